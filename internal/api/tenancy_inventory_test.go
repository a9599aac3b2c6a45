package api

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// inventoryFixture is the fixture with the inventory wired in and a site
// with two services for each of A and B, on their first billing account.
type inventoryFixture struct {
	*fixture
	inv            *inventory.Manager
	aSite, bSite   string
	aSvc, bSvc     string
	aSvcOnSecond   string // on A's second billing account
	aSecondAccount string
}

func newInventoryFixture(t *testing.T) *inventoryFixture {
	t.Helper()
	f := &inventoryFixture{fixture: newFixture(t)}
	f.inv = inventory.NewManager(f.store, f.clock)
	f.api.Inventory = f.inv
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tn := range []tenant{f.a, f.b} {
		site := inventory.Site{ID: enlace.NewID(), Name: "Matriz " + tn.customer.Number, AddressLine1: "Calle 1",
			City: "Monterrey", PostalCode: "64000", State: "NLE"}
		var services []inventory.Service
		for i, acc := range tn.accounts {
			services = append(services, inventory.Service{Key: fmt.Sprintf("%s-SVC-%d", tn.customer.Number, i),
				Category: "telco", Product: "SIP", SiteID: site.ID, BillingAccountID: acc.ID, ActivatedOn: &day})
		}
		must(t, f.inv.Import(f.staffCtx, tn.customer.ID, []inventory.Site{site}, services))
		vs, _, err := f.inv.Services(f.staffCtx, inventory.ServiceFilter{CustomerID: tn.customer.ID})
		must(t, err)
		if tn.customer.ID == f.a.customer.ID {
			f.aSite, f.aSvc, f.aSvcOnSecond, f.aSecondAccount = site.ID, vs[0].ID, vs[1].ID, tn.accounts[1].ID
		} else {
			f.bSite, f.bSvc = site.ID, vs[0].ID
		}
	}
	return f
}

// TestInventoryTenancy runs every inventory route as every role: B's
// sites and services are not found for A, customer users and technicians
// may not write, and nothing of B changes.
func TestInventoryTenancy(t *testing.T) {
	f := newInventoryFixture(t)
	a, b := f.a, f.b
	newSite := func(customerID string) string {
		return `{"customerId":"` + customerID + `","name":"X","addressLine1":"X","city":"X","postalCode":"64000","state":"NLE"}`
	}
	newService := `{"customerId":"` + b.customer.ID + `","serviceKey":"HACK-1","category":"it","product":"X","siteId":"` +
		f.bSite + `","billingAccountId":"` + b.accounts[0].ID + `","activatedOn":"2026-01-01"}`
	tests := []struct {
		name   string
		c      call
		status int
	}{
		{"no token", call{method: "GET", path: "/services?customerId=" + a.customer.ID}, 401},
		{"A admin lists B services", call{as: aAdmin, method: "GET", path: "/services?customerId=" + b.customer.ID}, 404},
		{"A admin lists B sites", call{as: aAdmin, method: "GET", path: "/sites?customerId=" + b.customer.ID}, 404},
		{"A admin reads B service", call{as: aAdmin, method: "GET", path: "/services/" + f.bSvc}, 404},
		{"A admin patches B service", call{as: aAdmin, method: "PATCH", path: "/services/" + f.bSvc, body: `{"product":"Pwned"}`}, 404},
		{"A admin retires B service", call{as: aAdmin, method: "POST", path: "/services/" + f.bSvc + "/retire"}, 404},
		{"A admin reads B site", call{as: aAdmin, method: "GET", path: "/sites/" + f.bSite}, 404},
		{"A admin patches B site", call{as: aAdmin, method: "PATCH", path: "/sites/" + f.bSite, body: `{"name":"Pwned"}`}, 404},
		{"A admin retires B site", call{as: aAdmin, method: "POST", path: "/sites/" + f.bSite + "/retire"}, 404},
		{"A admin creates B service", call{as: aAdmin, method: "POST", path: "/services", body: newService}, 403},
		{"A admin creates B site", call{as: aAdmin, method: "POST", path: "/sites", body: newSite(b.customer.ID)}, 403},
		{"A admin lists own services", call{as: aAdmin, method: "GET", path: "/services"}, 200},
		{"A admin reads own service", call{as: aAdmin, method: "GET", path: "/services/" + f.aSvc}, 200},
		{"A admin reads own site", call{as: aAdmin, method: "GET", path: "/sites/" + f.aSite}, 200},
		{"A admin patches own service", call{as: aAdmin, method: "PATCH", path: "/services/" + f.aSvc, body: `{"product":"X"}`}, 403},
		{"A admin retires own site", call{as: aAdmin, method: "POST", path: "/sites/" + f.aSite + "/retire"}, 403},
		{"B admin reads A service", call{as: bAdmin, method: "GET", path: "/services/" + f.aSvc}, 404},
		{"B admin reads A site", call{as: bAdmin, method: "GET", path: "/sites/" + f.aSite}, 404},
		// A's end user has no billing account: A's services and site are
		// out of sight too.
		{"A user reads A service", call{as: aUser, method: "GET", path: "/services/" + f.aSvc}, 404},
		{"A user reads A site", call{as: aUser, method: "GET", path: "/sites/" + f.aSite}, 404},
		{"A user lists services", call{as: aUser, method: "GET", path: "/services"}, 200},
		{"technician lists B services", call{as: staffTech, method: "GET", path: "/services?customerId=" + b.customer.ID}, 200},
		{"technician reads B service", call{as: staffTech, method: "GET", path: "/services/" + f.bSvc}, 200},
		{"technician creates service", call{as: staffTech, method: "POST", path: "/services", body: newService}, 403},
		{"technician creates site", call{as: staffTech, method: "POST", path: "/sites", body: newSite(b.customer.ID)}, 403},
		{"technician patches B service", call{as: staffTech, method: "PATCH", path: "/services/" + f.bSvc, body: `{"status":"retired"}`}, 403},
		{"technician retires B service", call{as: staffTech, method: "POST", path: "/services/" + f.bSvc + "/retire"}, 403},
		{"technician patches B site", call{as: staffTech, method: "PATCH", path: "/sites/" + f.bSite, body: `{"name":"X"}`}, 403},
		{"technician retires B site", call{as: staffTech, method: "POST", path: "/sites/" + f.bSite + "/retire"}, 403},
		{"staff lists services without a customer", call{as: staffAdmin, method: "GET", path: "/services"}, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.do(tt.c)
			if resp.StatusCode != tt.status {
				t.Errorf("%s %s as %q = %d, want %d\n%s", tt.c.method, tt.c.path, tt.c.as, resp.StatusCode, tt.status, body)
			}
		})
	}
	v, err := f.inv.Service(f.staffCtx, f.bSvc)
	must(t, err)
	s, err := f.inv.Site(f.staffCtx, f.bSite)
	must(t, err)
	if v.Product != "SIP" || v.Status != inventory.StatusActive || s.Name != "Matriz C-B" || s.Retired() {
		t.Errorf("B's inventory changed: %+v %+v", v, s)
	}
	var l list[serviceJSON]
	f.doJSON(call{as: bAdmin, method: "GET", path: "/services"}, 200, &l)
	if l.Total != 2 {
		t.Errorf("B has %d services, want 2", l.Total)
	}
}

// TestInventoryAPI creates, filters, edits and retires through the API,
// and checks that bad input is refused and changes nothing.
func TestInventoryAPI(t *testing.T) {
	f := newInventoryFixture(t)
	a := f.a
	var site inventory.Site
	resp := f.doJSON(call{as: staffAdmin, method: "POST", path: "/sites", body: `{"customerId":"` + a.customer.ID +
		`","name":"Sucursal GDL","addressLine1":"Av. Vallarta 1","city":"Guadalajara","postalCode":"44100","state":"Jalisco","latitude":20.67,"longitude":-103.35}`}, 201, &site)
	if site.State != "JAL" || resp.Header.Get("Location") != Prefix+"/sites/"+site.ID {
		t.Errorf("created site %+v at %s", site, resp.Header.Get("Location"))
	}
	var v serviceJSON
	f.doJSON(call{as: staffAdmin, method: "POST", path: "/services", body: `{"customerId":"` + a.customer.ID +
		`","serviceKey":"gdl-001","category":"cybersecurity","product":"Firewall","siteId":"` + site.ID +
		`","billingAccountId":"` + f.aSecondAccount + `","status":"activating"}`}, 201, &v)
	if v.ServiceKey != "GDL-001" || v.State != "JAL" || v.Status != "activating" {
		t.Errorf("created service %+v", v)
	}
	var l list[serviceJSON]
	f.doJSON(call{as: aAdmin, method: "GET", path: "/services?state=JAL&category=cybersecurity&q=gdl"}, 200, &l)
	if l.Total != 1 || l.Items[0].ID != v.ID {
		t.Errorf("filtered list = %+v", l)
	}
	f.doJSON(call{as: staffAdmin, method: "PATCH", path: "/services/" + v.ID, body: `{"status":"active"}`}, 200, &v)
	if v.Status != "active" || v.ActivatedOn != "2026-11-02" {
		t.Errorf("activated service %+v", v)
	}
	f.doJSON(call{as: staffAdmin, method: "POST", path: "/services/" + v.ID + "/retire"}, 200, &v)
	f.doJSON(call{as: staffAdmin, method: "POST", path: "/sites/" + site.ID + "/retire"}, 200, &site)
	if !site.Retired() {
		t.Error("site not retired")
	}

	f.clock.Advance(time.Hour) // a write now would leave a new updated_at
	before := f.inventoryState()
	var sl list[inventory.Site]
	f.doJSON(call{as: aAdmin, method: "GET", path: "/sites"}, 200, &sl)
	for _, tt := range []refusal{
		{"unknown member", call{as: staffAdmin, method: "POST", path: "/services", body: `{"customerId":"` + a.customer.ID + `","serviceKey":"X-1","colour":"red"}`}, 400, "/colour"},
		{"wrong type", call{as: staffAdmin, method: "POST", path: "/sites", body: `{"customerId":"` + a.customer.ID + `","latitude":"north"}`}, 400, "/latitude"},
		{"bad date", call{as: staffAdmin, method: "PATCH", path: "/services/" + f.aSvc, body: `{"activatedOn":"01/02/2025"}`}, 422, "/activatedOn"},
		{"taken key", call{as: staffAdmin, method: "PATCH", path: "/services/" + f.aSvc, body: `{"serviceKey":"C-B-SVC-0"}`}, 422, "/serviceKey"},
		{"bad transition", call{as: staffAdmin, method: "PATCH", path: "/services/" + f.aSvc, body: `{"status":"activating"}`}, 422, "/status"},
		{"bad coordinates", call{as: staffAdmin, method: "PATCH", path: "/sites/" + f.aSite, body: `{"latitude":95,"longitude":0}`}, 422, "/latitude"},
		{"state abroad", call{as: staffAdmin, method: "PATCH", path: "/sites/" + f.aSite, body: `{"country":"US"}`}, 422, "/state"},
		{"site in use", call{as: staffAdmin, method: "POST", path: "/sites/" + f.aSite + "/retire"}, 409, ""},
		{"bad state filter", call{as: aAdmin, method: "GET", path: "/services?state=TX"}, 400, "state"},
		{"bad category filter", call{as: aAdmin, method: "GET", path: "/services?category=food"}, 400, "category"},
		{"unknown parameter", call{as: aAdmin, method: "GET", path: "/sites?city=x"}, 400, "city"},
		{"not JSON", call{as: staffAdmin, method: "POST", path: "/sites", body: `name=x`}, 400, ""},
		{"array", call{as: staffAdmin, method: "PATCH", path: "/sites/" + f.aSite, body: `[]`}, 400, ""},
		{"wrong media type", call{as: staffAdmin, method: "POST", path: "/services", body: `{}`, contentType: "text/plain"}, 415, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.do(tt.c)
			p := checkProblem(t, resp, body, tt.status)
			if tt.field != "" && !hasField(p, tt.field) {
				t.Errorf("problem %+v lacks field %q", p, tt.field)
			}
		})
	}
	if diff := cmp.Diff(before, f.inventoryState()); diff != "" {
		t.Errorf("bad input changed the data (-before +after):\n%s", diff)
	}
	v2, err := f.inv.Service(f.staffCtx, f.aSvc)
	must(t, err)
	if v2.Key != "C-A-SVC-0" || v2.Status != "active" {
		t.Errorf("A's service changed: %+v", v2)
	}
}

// inventoryState is what refused inventory requests must leave as it was:
// the rows of the inventory and the audit log, and every row's last change.
func (f *inventoryFixture) inventoryState() map[string]string {
	f.t.Helper()
	out := map[string]string{}
	for _, q := range []string{`SELECT COUNT(*) FROM sites`, `SELECT COUNT(*) FROM services`, `SELECT COUNT(*) FROM audit_log`,
		`SELECT MAX(updated_at) FROM services`, `SELECT MAX(updated_at) FROM sites`,
		`SELECT COUNT(*) FROM services WHERE status = 'retired'`} {
		var v any
		must(f.t, f.db.QueryRow(q).Scan(&v))
		out[q] = fmt.Sprint(v)
	}
	return out
}
