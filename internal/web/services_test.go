package web_test

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/web"
)

// newInventoryEnv is newEnv with the inventory wired in: the same store,
// clock and mail catcher behind a UI that also serves sites and services.
func newInventoryEnv(t *testing.T) (*env, *inventory.Manager) {
	t.Helper()
	e := newEnv(t)
	inv := inventory.NewManager(e.store, e.clock)
	s := web.New(web.Deps{Identity: e.id, Notify: notify.NewService(e.store), Audit: audit.NewService(e.store),
		Customers: customer.NewService(e.store), Inventory: inv, Catalog: i18n.MustLoad(), Clock: e.clock, Demo: true})
	srv := httptest.NewServer(ops.Chain(s.Handler(), ops.RequestID(false), ops.LimitBody(64<<10)))
	t.Cleanup(srv.Close)
	e.srv = srv
	return e, inv
}

// stock gives a tenant two sites (Nuevo León and abroad) and n services
// on its billing account, keys <prefix>-000…
func (e *env) stock(inv *inventory.Manager, tn *tenant, prefix string, n int) (sites []inventory.Site, services []inventory.Service) {
	e.t.Helper()
	sites = []inventory.Site{
		{ID: enlace.NewID(), Name: "Matriz " + prefix, AddressLine1: "Av. Constitución 100", City: "Monterrey", PostalCode: "64000", State: "NLE"},
		{ID: enlace.NewID(), Name: "Austin " + prefix, AddressLine1: "Congress Ave 1", City: "Austin", Country: "US", Region: "Texas"},
	}
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		services = append(services, inventory.Service{Key: fmt.Sprintf("%s-%03d", prefix, i), Category: inventory.Categories[i%6],
			Product: fmt.Sprintf("Producto «%d» con acentos: niño, señal", i), SiteID: sites[i%2].ID,
			BillingAccountID: tn.account.ID, Status: inventory.Statuses[i%3], ActivatedOn: &day})
		if services[i].Status == inventory.StatusActivating {
			services[i].ActivatedOn = nil
		}
	}
	must(e.t, inv.Import(e.staffCtx(), tn.customer.ID, sites, services))
	return sites, services
}

func TestServicesPageAndExport(t *testing.T) {
	e, inv := newInventoryEnv(t)
	a := e.newTenant("Alfa")
	e.stock(inv, a, "ALF", 12)
	c := e.signedIn(a.admin.Email)
	c.get("/services").want(t, 200, "").contains(t, `id="by-state"`, "Nuevo León", "Fuera de México",
		"12 servicios", "ALF-000", `href="/services?state=NLE"`, `<svg class="chart"`)
	c.get("/services?state=NLE&category=telco").want(t, 200, "").contains(t, "ALF-000", "ALF-006", "2 servicios")
	r := c.get("/services?q=alf-01")
	r.want(t, 200, "").contains(t, "ALF-010", "ALF-011", "2 servicios")
	if strings.Contains(r.body, "ALF-009") {
		t.Error("the key search shows ALF-009")
	}
	c.get("/services?state=XX").want(t, 200, "").contains(t, `id="error-summary"`)

	r = c.get("/services/export?category=telco")
	r.want(t, 200, "")
	golden := filepath.Join("testdata", "services_export.golden.csv")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		must(t, os.MkdirAll("testdata", 0o755))
		must(t, os.WriteFile(golden, []byte(r.body), 0o644))
	}
	want, err := os.ReadFile(golden)
	must(t, err)
	if r.body != string(want) {
		t.Errorf("export differs from %s:\n%s", golden, r.body)
	}
	if !strings.HasPrefix(r.body, "\uFEFFservice_key,") {
		t.Error("export lacks the byte-order mark and header")
	}
	c.get("/services/export?category=nope").want(t, 400, "")
}

func TestInventoryStaffEdits(t *testing.T) {
	e, inv := newInventoryEnv(t)
	a := e.newTenant("Alfa")
	sites, _ := e.stock(inv, a, "ALF", 3)
	c := e.signedIn(e.newStaff(identity.StaffAccountExec))
	cq := "?customer=" + a.customer.ID
	c.get("/services/new"+cq).want(t, 200, "").contains(t, `id="service-form"`, "Matriz ALF")
	form := url.Values{"service_key": {"alf-new-1"}, "category": {"it"}, "product": {"Nube privada"},
		"site_id": {sites[0].ID}, "billing_account_id": {a.account.ID}, "status": {"active"}, "activated_on": {"2026-01-15"}}
	r := c.post("/services/new"+cq, form)
	if r.status != 303 {
		t.Fatalf("create service = %d\n%s", r.status, r.body)
	}
	id := strings.TrimPrefix(r.location, "/services/")
	c.get(r.location).want(t, 200, "").contains(t, "ALF-NEW-1", "Nube privada", "15/01/2026")
	c.post("/services/new"+cq, form).want(t, 422, "").contains(t, "Ya existe un servicio con esta llave.")
	bad := url.Values{"service_key": {"x"}, "category": {"it"}, "product": {""}, "site_id": {sites[0].ID},
		"billing_account_id": {a.account.ID}, "status": {"active"}, "activated_on": {"15/01/2026"}}
	c.post("/services/new"+cq, bad).want(t, 422, "").contains(t, "AAAA-MM-DD")
	c.post("/services/"+id+"/status", url.Values{"status": {"activating"}}).want(t, 422, "")
	c.post("/services/"+id+"/status", url.Values{"status": {"suspended"}}).want(t, 303, "/services/"+id)
	c.get("/services/"+id).contains(t, "Suspendido")
	edit := url.Values{"service_key": {"ALF-NEW-2"}, "category": {"telco"}, "product": {"SIP"},
		"site_id": {sites[1].ID}, "billing_account_id": {a.account.ID}, "activated_on": {"2026-01-15"}}
	c.post("/services/"+id+"/edit", edit).want(t, 303, "/services/"+id)
	c.get("/services/"+id).contains(t, "ALF-NEW-2", "Austin ALF")

	site := url.Values{"name": {"Sucursal Guadalajara"}, "address_line1": {"Av. Vallarta 1"}, "city": {"Guadalajara"},
		"postal_code": {"44100"}, "country": {"MX"}, "state": {"JAL"}, "latitude": {"20.67"}, "longitude": {"-103.35"}}
	r = c.post("/sites/new"+cq, site)
	if r.status != 303 {
		t.Fatalf("create site = %d\n%s", r.status, r.body)
	}
	c.get(r.location).contains(t, "Sucursal Guadalajara", "Jalisco", "20.67, -103.35")
	site.Set("latitude", "norte")
	c.post("/sites/new"+cq, site).want(t, 422, "").contains(t, "Escriba un número")
	c.post(r.location+"/retire", nil).want(t, 303, r.location)
	c.post("/sites/"+sites[0].ID+"/retire", nil).want(t, 409, "")
	if n := countAudit(t, e, "site.retire"); n != 1 {
		t.Errorf("%d site.retire audit entries, want 1", n)
	}
}

func countAudit(t *testing.T, e *env, action string) int {
	t.Helper()
	_, n, err := audit.NewService(e.store).Find(e.staffCtx(), audit.Filter{Action: &action, Limit: 1})
	must(t, err)
	return n
}
