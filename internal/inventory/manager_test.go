package inventory_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

type world struct {
	store    *sqlstore.Store
	inv      *inventory.Manager
	staff    context.Context
	a, b     customer.Customer
	aAcc     []string // A's billing accounts
	bAcc     string
	aSites   []string
	bSite    string
	aService []string // one per A account
	bService string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	clock := enlace.NewFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
	store := sqlstore.MustOpenTest(t, clock)
	w := &world{store: store, inv: inventory.NewManager(store, clock),
		staff: enlace.WithActor(context.Background(), &enlace.Actor{UserID: "s", StaffRole: "account_exec"})}
	ctx := context.Background()
	for i, c := range []*customer.Customer{&w.a, &w.b} {
		*c = customer.Customer{ID: enlace.NewID(), Number: fmt.Sprint("C", i), Name: fmt.Sprint("Cliente ", i)}
		must(t, store.CreateCustomer(ctx, c))
	}
	for i := range 2 {
		b := customer.BillingAccount{ID: enlace.NewID(), CustomerID: w.a.ID, Number: fmt.Sprint("A-", i), Name: "A"}
		must(t, store.CreateBillingAccount(ctx, &b))
		w.aAcc = append(w.aAcc, b.ID)
	}
	bb := customer.BillingAccount{ID: enlace.NewID(), CustomerID: w.b.ID, Number: "B-0", Name: "B"}
	must(t, store.CreateBillingAccount(ctx, &bb))
	w.bAcc = bb.ID
	for i, st := range []string{"NLE", "JAL"} {
		s := inventory.Site{CustomerID: w.a.ID, Name: fmt.Sprint("Sitio ", st), AddressLine1: "Calle 1", City: "Ciudad",
			PostalCode: "64000", State: st}
		must(t, w.inv.CreateSite(w.staff, &s))
		w.aSites = append(w.aSites, s.ID)
		v := inventory.Service{CustomerID: w.a.ID, Key: fmt.Sprint("A-SVC-", i), Category: inventory.Categories[i],
			Product: "Producto", SiteID: s.ID, BillingAccountID: w.aAcc[i], Status: inventory.StatusActivating}
		must(t, w.inv.CreateService(w.staff, &v))
		w.aService = append(w.aService, v.ID)
	}
	s := inventory.Site{CustomerID: w.b.ID, Name: "Austin", AddressLine1: "Congress Ave 1", City: "Austin", Country: "US", Region: "Texas"}
	must(t, w.inv.CreateSite(w.staff, &s))
	w.bSite = s.ID
	v := inventory.Service{CustomerID: w.b.ID, Key: "B-SVC-0", Category: "telco", Product: "SIP", SiteID: s.ID,
		BillingAccountID: w.bAcc, Status: inventory.StatusActivating}
	must(t, w.inv.CreateService(w.staff, &v))
	w.bService = v.ID
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestTenancy reads and writes A's and B's inventory as every kind of
// actor: another tenant's objects and objects on accounts the user may not
// see are not found; customer users never write.
func TestTenancy(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	as := func(a *enlace.Actor) context.Context { return enlace.WithActor(ctx, a) }
	for _, tt := range []struct {
		name     string
		ctx      context.Context
		services int // of A, listed
		sites    int // of A, listed
		readA0   string
		readA1   string
		site1    string // error reading A's second site
		readB    string
		write    string
	}{
		{"staff technician", as(&enlace.Actor{UserID: "t", StaffRole: "technician"}), 2, 2, "", "", "", "", enlace.EFORBIDDEN},
		{"staff pm", as(&enlace.Actor{UserID: "p", StaffRole: "pm"}), 2, 2, "", "", "", "", ""},
		{"A admin", as(&enlace.Actor{UserID: "a", CustomerID: w.a.ID, CustomerRole: "admin"}), 2, 2, "", "", "", enlace.ENOTFOUND, enlace.EFORBIDDEN},
		{"A user of account 0", as(&enlace.Actor{UserID: "u", CustomerID: w.a.ID, CustomerRole: "user", BillingAccountIDs: w.aAcc[:1]}),
			1, 1, "", enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.EFORBIDDEN},
		{"A user without accounts", as(&enlace.Actor{UserID: "u", CustomerID: w.a.ID, CustomerRole: "user", BillingAccountIDs: []string{}}),
			0, 0, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.EFORBIDDEN},
		{"B admin", as(&enlace.Actor{UserID: "b", CustomerID: w.b.ID, CustomerRole: "admin"}), -1, -1,
			enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, "", enlace.EFORBIDDEN},
	} {
		t.Run(tt.name, func(t *testing.T) {
			vs, n, err := w.inv.Services(tt.ctx, inventory.ServiceFilter{CustomerID: w.a.ID})
			if tt.services < 0 {
				if enlace.ErrorCode(err) != enlace.ENOTFOUND {
					t.Errorf("Services(A) error = %v, want not found", err)
				}
			} else if err != nil || n != tt.services || len(vs) != tt.services {
				t.Errorf("Services(A) = %d (total %d), %v; want %d", len(vs), n, err, tt.services)
			}
			ss, n, err := w.inv.Sites(tt.ctx, inventory.SiteFilter{CustomerID: w.a.ID})
			if tt.sites >= 0 && (err != nil || n != tt.sites || len(ss) != tt.sites) {
				t.Errorf("Sites(A) = %d (total %d), %v; want %d", len(ss), n, err, tt.sites)
			}
			o, err := w.inv.Overview(tt.ctx, inventory.ServiceFilter{CustomerID: w.a.ID})
			if tt.services >= 0 && (err != nil || o.Total != tt.services) {
				t.Errorf("Overview(A).Total = %v, %v; want %d", o, err, tt.services)
			}
			check := func(what, want string, err error) {
				t.Helper()
				if got := enlace.ErrorCode(err); got != want {
					t.Errorf("%s: error code %q, want %q", what, got, want)
				}
			}
			_, err = w.inv.Service(tt.ctx, w.aService[0])
			check("Service(A0)", tt.readA0, err)
			_, err = w.inv.Service(tt.ctx, w.aService[1])
			check("Service(A1)", tt.readA1, err)
			_, err = w.inv.Site(tt.ctx, w.aSites[1])
			check("Site(A1)", tt.site1, err)
			_, err = w.inv.Service(tt.ctx, w.bService)
			check("Service(B)", tt.readB, err)
			_, err = w.inv.SetStatus(tt.ctx, w.aService[0], inventory.StatusActive)
			want := tt.write
			if tt.readA0 != "" {
				want = tt.readA0
			}
			check("SetStatus(A0)", want, err)
		})
	}
}

func TestOverviewAndSearch(t *testing.T) {
	w := newWorld(t)
	var services []inventory.Service
	for i := range 30 {
		services = append(services, inventory.Service{Key: fmt.Sprintf("mty-%03d", i), Category: inventory.Categories[i%6],
			Product: "P", SiteID: w.aSites[i%2], BillingAccountID: w.aAcc[i%2], Status: inventory.StatusActive,
			ActivatedOn: ptr(time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))})
	}
	must(t, w.inv.Import(w.staff, w.a.ID, nil, services))
	o, err := w.inv.Overview(w.staff, inventory.ServiceFilter{CustomerID: w.a.ID, State: ptr("NLE"), Limit: 10})
	must(t, err)
	// 15 imported + 1 created at site 0 in NLE; the state list keeps JAL.
	if diff := cmp.Diff([]inventory.Count{{"JAL", 16}, {"NLE", 16}}, o.ByState); diff != "" || o.Total != 16 || len(o.Services) != 10 {
		t.Errorf("Overview(NLE) total %d, %d rows, by state diff:\n%s", o.Total, len(o.Services), diff)
	}
	if o.Services[0].Key != "A-SVC-0" || o.Services[1].Key != "MTY-000" || o.Services[0].SiteName != "Sitio NLE" {
		t.Errorf("first page starts %q %q (%q)", o.Services[0].Key, o.Services[1].Key, o.Services[0].SiteName)
	}
	vs, n, err := w.inv.Services(w.staff, inventory.ServiceFilter{CustomerID: w.a.ID, KeyPrefix: ptr("mty-01"), Offset: 5, Limit: 3})
	must(t, err)
	if n != 10 || len(vs) != 3 || vs[0].Key != "MTY-015" {
		t.Errorf("Services(prefix mty-01, offset 5) = %d of %d, first %v", len(vs), n, vs)
	}
	// Moving a site to another state moves its services.
	s, err := w.inv.Site(w.staff, w.aSites[1])
	must(t, err)
	s.State = "CMX"
	_, err = w.inv.UpdateSite(w.staff, s.ID, *s)
	must(t, err)
	o, err = w.inv.Overview(w.staff, inventory.ServiceFilter{CustomerID: w.a.ID})
	must(t, err)
	if diff := cmp.Diff([]inventory.Count{{"CMX", 16}, {"NLE", 16}}, o.ByState); diff != "" {
		t.Errorf("by state after the move, diff:\n%s", diff)
	}
	o, err = w.inv.Overview(w.staff, inventory.ServiceFilter{CustomerID: w.a.ID, Category: ptr(inventory.CategoryTelco)})
	must(t, err)
	if diff := cmp.Diff([]inventory.Count{{"NLE", 6}}, o.ByState); diff != "" {
		t.Errorf("telco by state, diff:\n%s", diff)
	}
	if o.Total != 6 || o.ByCategory[0] != (inventory.Count{Key: "telco", N: 6}) {
		t.Errorf("telco total %d, by category %v", o.Total, o.ByCategory)
	}
	var exported []string
	must(t, w.inv.Export(w.staff, inventory.ServiceFilter{CustomerID: w.a.ID, KeyPrefix: ptr("MTY-02")}, func(v *inventory.Service) error {
		exported = append(exported, v.Key)
		return nil
	}))
	if len(exported) != 10 || exported[9] != "MTY-029" {
		t.Errorf("Export(MTY-02) = %v", exported)
	}
	// A site with services in use cannot be retired.
	if _, err := w.inv.RetireSite(w.staff, w.aSites[0]); enlace.ErrorCode(err) != enlace.ECONFLICT {
		t.Errorf("RetireSite(in use) error = %v, want conflict", err)
	}
}

func TestImportReportsEveryRowAndWritesNothing(t *testing.T) {
	w := newWorld(t)
	sites := []inventory.Site{
		{Name: "Nueva", AddressLine1: "Calle 2", City: "Puebla", PostalCode: "72000", State: "Puebla"},
		{Name: "", AddressLine1: "Calle 3", City: "X", PostalCode: "1", State: "Nowhere"},
	}
	sites[0].ID = enlace.NewID()
	day := ptr(time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))
	services := []inventory.Service{
		{Key: "NEW-1", Category: "TI", Product: "Nube", SiteID: sites[0].ID, BillingAccountID: w.aAcc[0], ActivatedOn: day},
		{Key: "a-svc-0", Category: "TI", Product: "Nube", SiteID: sites[0].ID, BillingAccountID: w.aAcc[0], ActivatedOn: day},
		{Key: "new-1", Category: "TI", Product: "Nube", SiteID: w.aSites[0], BillingAccountID: w.bAcc, ActivatedOn: day},
		{Key: "NEW-3", Category: "Otro", Product: "Nube", SiteID: w.bSite, BillingAccountID: w.aAcc[1], ActivatedOn: day},
	}
	err := w.inv.Import(w.staff, w.a.ID, sites, services)
	want := []string{
		"sites.1.name:inventory.error.required", "sites.1.state:inventory.error.state_unknown",
		"sites.1.postal_code:inventory.error.postal_code_mx",
		"services.1.service_key:inventory.error.key_taken",
		"services.2.billing_account_id:inventory.error.account_unknown", "services.2.service_key:inventory.error.key_repeated",
		"services.3.category:inventory.error.category", "services.3.site_id:inventory.error.site_unknown",
	}
	if diff := cmp.Diff(want, fields(err)); diff != "" {
		t.Errorf("Import() fields (-want +got):\n%s", diff)
	}
	_, n, err := w.inv.Services(w.staff, inventory.ServiceFilter{CustomerID: w.a.ID})
	if err != nil || n != 2 {
		t.Errorf("after the refused import A has %d services, %v; want 2", n, err)
	}
	// The store refuses a key taken since the check, writing nothing.
	err = w.store.ImportInventory(context.Background(), w.a.ID, sites[:1], []inventory.Service{
		{ID: enlace.NewID(), Key: "OK-1", Category: "it", Product: "P", SiteID: sites[0].ID, BillingAccountID: w.aAcc[0], Status: "active"},
		{ID: enlace.NewID(), Key: "B-SVC-0", Category: "it", Product: "P", SiteID: sites[0].ID, BillingAccountID: w.aAcc[0], Status: "active"},
	})
	if diff := cmp.Diff([]string{"services.1.service_key:inventory.error.key_taken"}, fields(err)); diff != "" {
		t.Errorf("ImportInventory() fields (-want +got):\n%s", diff)
	}
	if _, err := w.store.SiteByID(context.Background(), sites[0].ID); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("the refused import wrote its site: %v", err)
	}
}
