package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/sqlstore"
	"github.com/enlace-portal/enlace/internal/web"
)

// BenchmarkServicesByState renders the active-services page of a customer
// with 100,000 services in 32 states and 20 billing accounts, through the
// real handler and store, as its administrator: the whole customer, one
// state clicked, a deep page of that state, and a key search. The services
// are written by the bulk import the CSV importer uses.
func BenchmarkServicesByState(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	clock := enlace.NewFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
	store := sqlstore.MustOpenTest(b, clock)
	catalog := i18n.MustLoad()
	r, err := notify.NewRenderer(catalog)
	if err != nil {
		b.Fatal(err)
	}
	keeper := &codeKeeper{Renderer: r}
	id := identity.NewService(store, clock, keeper, identity.Config{Hash: identity.HashParams{Time: 1, Memory: 1024, Threads: 1}})
	h := web.New(web.Deps{Identity: id, Notify: notify.NewService(store), Audit: audit.NewService(store),
		Customers: customer.NewService(store), Inventory: inventory.NewManager(store, clock), Catalog: catalog,
		Clock: clock}).Handler()

	c := customer.Customer{ID: enlace.NewID(), Number: "100", Name: "Acme"}
	if err := store.CreateCustomer(ctx, &c); err != nil {
		b.Fatal(err)
	}
	var accounts []string
	for i := range 20 {
		ba := customer.BillingAccount{ID: enlace.NewID(), CustomerID: c.ID, Number: fmt.Sprintf("A-%02d", i), Name: "Acme"}
		if err := store.CreateBillingAccount(ctx, &ba); err != nil {
			b.Fatal(err)
		}
		accounts = append(accounts, ba.ID)
	}
	var sites []inventory.Site
	for i, st := range inventory.States {
		for j := range 10 {
			sites = append(sites, inventory.Site{ID: enlace.NewID(), Name: fmt.Sprintf("Sitio %d-%d", i, j),
				AddressLine1: "Calle 1", City: st.Name, PostalCode: "01000", State: st.Code, Country: "MX"})
		}
	}
	day := clock.Now()
	services := make([]inventory.Service, n)
	for i := range services {
		site := sites[(i*7919)%len(sites)]
		services[i] = inventory.Service{ID: enlace.NewID(), Key: fmt.Sprintf("SVC-%07d", i), Category: inventory.Categories[i%6],
			Product: "Internet dedicado", SiteID: site.ID, BillingAccountID: accounts[i%len(accounts)],
			Status: inventory.Statuses[i%4], State: site.State, ActivatedOn: &day}
	}
	start := time.Now()
	if err := store.ImportInventory(ctx, c.ID, sites, services); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: imported %d sites and %d services in %v", store, len(sites), n, time.Since(start).Round(time.Millisecond))

	u := &identity.User{ID: enlace.NewID(), Email: "admin@acme.example", FirstName: "Ana", LastName: "Admin", Locale: "es-MX"}
	m := &identity.Membership{ID: enlace.NewID(), UserID: u.ID, CustomerID: c.ID, Role: identity.RoleAdmin, AccessLevel: identity.AccessFull}
	if err := store.CreateUser(ctx, u, identity.HashPassword("Bench#2026x", identity.HashParams{Time: 1, Memory: 1024, Threads: 1}), false, m); err != nil {
		b.Fatal(err)
	}
	token, sess, err := id.Login(ctx, u.Email, "Bench#2026x", "bench")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := id.SendCode(ctx, sess, identity.ChannelEmail, "", ""); err != nil {
		b.Fatal(err)
	}
	if _, err := id.VerifyCode(ctx, sess, keeper.code); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, path string }{
		{"all", "/services"},
		{"state", "/services?state=JAL"},
		{"state_deep", "/services?state=JAL&page=60"},
		{"state_category_status", "/services?state=JAL&category=it&status=active"},
		{"key_search", "/services?q=svc-00123"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, bc.path, nil)
			req.AddCookie(&http.Cookie{Name: "enlace_session", Value: token})
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s = %d", bc.path, w.Code)
				}
			}
		})
	}
}
