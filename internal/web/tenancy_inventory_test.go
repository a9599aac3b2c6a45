package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// TestInventoryTenancy walks every inventory route, the CSV export
// included, as users who must not reach another tenant's sites and
// services, and staff roles that may only read: another tenant's object
// is 404 whatever the route, a change the role may not make is 403, and
// nothing of B changes.
func TestInventoryTenancy(t *testing.T) {
	e, inv := newInventoryEnv(t)
	a, b := e.newTenant("Alfa"), e.newTenant("Beta")
	aSites, _ := e.stock(inv, a, "ALF", 4)
	bSites, _ := e.stock(inv, b, "BET", 4)
	aSvc, _, err := inv.Services(e.staffCtx(), inventory.ServiceFilter{CustomerID: a.customer.ID, Limit: 1})
	must(t, err)
	bSvc, _, err := inv.Services(e.staffCtx(), inventory.ServiceFilter{CustomerID: b.customer.ID, Limit: 1})
	must(t, err)
	as, bs, bSite := aSvc[0].ID, bSvc[0].ID, bSites[0].ID

	clients := map[string]*client{
		"A admin":    e.signedIn(a.admin.Email),
		"A user":     e.signedIn(a.user.Email),
		"technician": e.signedIn(e.newStaff(identity.StaffTechnician)),
		"support":    e.signedIn(e.newStaff(identity.StaffSupport)),
		"pm":         e.signedIn(e.newStaff(identity.StaffPM)),
	}
	svcForm := url.Values{"service_key": {"HACK-1"}, "category": {"it"}, "product": {"X"}, "site_id": {bSite},
		"billing_account_id": {b.account.ID}, "status": {"active"}, "activated_on": {"2026-01-01"}}
	siteForm := url.Values{"name": {"Hack"}, "address_line1": {"X"}, "city": {"X"}, "postal_code": {"64000"}, "state": {"NLE"}, "country": {"MX"}}
	retire := url.Values{"status": {"retired"}}
	bq := "?customer=" + b.customer.ID
	tests := []struct {
		who, method, path string
		form              url.Values
		want              int
	}{
		{"A admin", "GET", "/services", nil, 200},
		{"A admin", "GET", "/services" + bq, nil, 404},
		{"A admin", "GET", "/services/export", nil, 200},
		{"A admin", "GET", "/services/export" + bq, nil, 404},
		{"A admin", "GET", "/services/" + bs, nil, 404},
		{"A admin", "GET", "/services/" + bs + "/edit", nil, 404},
		{"A admin", "POST", "/services/" + bs + "/edit", svcForm, 404},
		{"A admin", "POST", "/services/" + bs + "/status", retire, 404},
		{"A admin", "GET", "/services/" + as, nil, 200},
		{"A admin", "POST", "/services/" + as + "/status", retire, 403},
		{"A admin", "GET", "/services/" + as + "/edit", nil, 403},
		{"A admin", "GET", "/services/new", nil, 403},
		{"A admin", "POST", "/services/new" + bq, svcForm, 403},
		{"A admin", "GET", "/sites", nil, 200},
		{"A admin", "GET", "/sites" + bq, nil, 404},
		{"A admin", "GET", "/sites/" + bSite, nil, 404},
		{"A admin", "GET", "/sites/" + bSite + "/edit", nil, 404},
		{"A admin", "POST", "/sites/" + bSite + "/edit", siteForm, 404},
		{"A admin", "POST", "/sites/" + bSite + "/retire", nil, 404},
		{"A admin", "GET", "/sites/" + aSites[0].ID, nil, 200},
		{"A admin", "POST", "/sites/" + aSites[0].ID + "/retire", nil, 403},
		{"A admin", "GET", "/sites/new", nil, 403},
		{"A admin", "POST", "/sites/new", siteForm, 403},

		{"A user", "GET", "/services", nil, 200},
		{"A user", "GET", "/services/export" + bq, nil, 404},
		{"A user", "GET", "/services/" + bs, nil, 404},
		{"A user", "GET", "/services/" + as, nil, 200},
		{"A user", "POST", "/services/" + as + "/edit", svcForm, 403},
		{"A user", "GET", "/sites/" + bSite, nil, 404},
		{"A user", "GET", "/sites/" + aSites[1].ID, nil, 200},

		{"technician", "GET", "/services" + bq, nil, 200},
		{"technician", "GET", "/services/export" + bq, nil, 200},
		{"technician", "GET", "/services/" + bs, nil, 200},
		{"technician", "GET", "/services/new" + bq, nil, 403},
		{"technician", "POST", "/services/new" + bq, svcForm, 403},
		{"technician", "POST", "/services/" + bs + "/status", retire, 403},
		{"technician", "POST", "/services/" + bs + "/edit", svcForm, 403},
		{"technician", "POST", "/sites/new" + bq, siteForm, 403},
		{"technician", "POST", "/sites/" + bSite + "/edit", siteForm, 403},
		{"technician", "POST", "/sites/" + bSite + "/retire", nil, 403},
		{"support", "GET", "/sites" + bq, nil, 200},
		{"support", "GET", "/sites/" + bSite + "/edit", nil, 403},
		{"pm", "GET", "/services/new" + bq, nil, 200},
		{"pm", "GET", "/sites/" + bSite + "/edit", nil, 200},
		{"pm", "GET", "/services/" + enlaceMissingID, nil, 404},
	}
	for _, tt := range tests {
		t.Run(tt.who+" "+tt.method+" "+tt.path, func(t *testing.T) {
			c := clients[tt.who]
			var r resp
			if tt.method == http.MethodPost {
				r = c.post(tt.path, tt.form)
			} else {
				r = c.get(tt.path)
			}
			if r.status != tt.want {
				t.Errorf("%s %s as %s = %d, want %d\n%s", tt.method, tt.path, tt.who, r.status, tt.want, r.body)
			}
		})
	}
	// Nothing of B changed, and A's export holds A's services only.
	v, err := inv.Service(e.staffCtx(), bs)
	must(t, err)
	if v.Status == inventory.StatusRetired || v.Key == "HACK-1" {
		t.Errorf("B's service changed: %+v", v)
	}
	_, n, err := inv.Services(e.staffCtx(), inventory.ServiceFilter{CustomerID: b.customer.ID})
	must(t, err)
	if n != 4 {
		t.Errorf("B has %d services, want 4", n)
	}
	r := clients["A user"].get("/services/export")
	if r.status != 200 || !containsAll(r.body, "ALF-000", "ALF-003") || containsAll(r.body, "BET-") {
		t.Errorf("A user's export:\n%s", r.body)
	}
}

const enlaceMissingID = "01900000-0000-7000-8000-000000000000"

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !contains(s, p) {
			return false
		}
	}
	return true
}

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
