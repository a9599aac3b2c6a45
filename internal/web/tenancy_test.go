package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
)

// TestTenancy walks every route that takes an object id, and the admin
// pages, as users who must not see them: customer A's administrator and
// end user against customer B's objects, and staff roles without the
// right. The answer is 404 for another tenant's object (nothing is
// revealed) and 403 for a page the role does not reach.
func TestTenancy(t *testing.T) {
	e := newEnv(t)
	a, b := e.newTenant("Alfa"), e.newTenant("Beta")

	// B's objects: an access request, a notification for B's admin, an API token.
	req, err := e.id.Register(t.Context(), identity.Registration{CustomerNumber: b.customer.Number,
		AccountNumber: b.account.Number, InvoiceNumber: b.invoiceNumbs[0], Email: "pide@beta.mx", FirstName: "Pide", LastName: "Acceso"})
	must(t, err)
	reqA, err := e.id.Register(t.Context(), identity.Registration{CustomerNumber: a.customer.Number,
		AccountNumber: a.account.Number, InvoiceNumber: a.invoiceNumbs[0], Email: "pide@alfa.mx", FirstName: "Pide", LastName: "Alfa"})
	must(t, err)
	bAdmin := enlace.WithActor(t.Context(), &enlace.Actor{UserID: b.admin.ID, Email: b.admin.Email,
		CustomerID: b.customer.ID, CustomerRole: identity.RoleAdmin})
	notes, _, err := notify.NewService(e.store).List(bAdmin, notify.NotificationFilter{})
	must(t, err)
	if len(notes) == 0 {
		t.Fatal("B's administrator has no notification to test with")
	}
	token, _, err := e.id.CreateAPIToken(bAdmin, "beta-crm")
	must(t, err)

	clients := map[string]*client{
		"A admin":    e.signedIn(a.admin.Email),
		"A user":     e.signedIn(a.user.Email),
		"technician": e.signedIn(e.newStaff(identity.StaffTechnician)),
		"pm":         e.signedIn(e.newStaff(identity.StaffPM)),
		"support":    e.signedIn(e.newStaff(identity.StaffSupport)),
	}
	decide := url.Values{"role": {"user"}, "access_level": {"read_only"}}
	edit := url.Values{"email": {b.user.Email}, "first_name": {"X"}, "last_name": {"Y"}, "role": {"user"}, "access_level": {"full"}}
	tests := []struct {
		who, method, path string
		form              url.Values
		want              int
	}{
		{"A admin", "GET", "/users/" + b.user.ID, nil, 404},
		{"A admin", "GET", "/users/" + b.user.ID + "?customer=" + b.customer.ID, nil, 404},
		{"A admin", "POST", "/users/" + b.user.ID, edit, 404},
		{"A admin", "GET", "/users/" + b.admin.ID, nil, 404},
		{"A admin", "GET", "/access-requests/" + req.ID, nil, 404},
		{"A admin", "POST", "/access-requests/" + req.ID + "/approve", decide, 404},
		{"A admin", "POST", "/access-requests/" + req.ID + "/reject", url.Values{"reason": {"no"}}, 404},
		{"A admin", "GET", "/notifications/" + notes[0].ID, nil, 404},
		{"A admin", "POST", "/profile/tokens/" + token.ID + "/revoke", nil, 404},
		{"A admin", "GET", "/users/" + a.user.ID, nil, 200},
		{"A admin", "GET", "/access-requests/" + reqA.ID, nil, 200},
		{"A admin", "GET", "/outbox", nil, 403},
		{"A admin", "GET", "/staff/new", nil, 403},
		{"A admin", "POST", "/staff/new", url.Values{"email": {"x@y.mx"}, "first_name": {"x"}, "last_name": {"y"}, "role": {"admin"}}, 403},
		{"A admin", "GET", "/audit", nil, 200},

		{"A user", "GET", "/users/" + b.user.ID, nil, 404},
		{"A user", "GET", "/users/" + a.admin.ID, nil, 404},
		{"A user", "GET", "/access-requests/" + req.ID, nil, 404},
		{"A user", "GET", "/access-requests/" + reqA.ID, nil, 404},
		{"A user", "POST", "/access-requests/" + reqA.ID + "/approve", decide, 404},
		{"A user", "GET", "/notifications/" + notes[0].ID, nil, 404},
		{"A user", "POST", "/profile/tokens/" + token.ID + "/revoke", nil, 404},
		{"A user", "GET", "/users", nil, 403},
		{"A user", "GET", "/users/new", nil, 403},
		{"A user", "POST", "/users/new", url.Values{"email": {"z@alfa.mx"}, "first_name": {"Z"}, "last_name": {"Z"}, "role": {"admin"}, "access_level": {"full"}}, 403},
		{"A user", "GET", "/access-requests", nil, 403},
		{"A user", "GET", "/audit", nil, 403},
		{"A user", "GET", "/outbox", nil, 403},
		{"A user", "GET", "/staff/new", nil, 403},

		{"technician", "GET", "/users", nil, 403},
		{"technician", "GET", "/users?customer=" + a.customer.ID, nil, 403},
		{"technician", "GET", "/users/" + a.user.ID + "?customer=" + a.customer.ID, nil, 404},
		{"technician", "GET", "/access-requests", nil, 403},
		{"technician", "GET", "/access-requests/" + req.ID, nil, 404},
		{"technician", "GET", "/audit", nil, 403},
		{"technician", "GET", "/outbox", nil, 403},
		{"pm", "GET", "/users?customer=" + a.customer.ID, nil, 200},
		{"pm", "GET", "/users/new?customer=" + a.customer.ID, nil, 403},
		{"pm", "POST", "/users/" + a.user.ID + "?customer=" + a.customer.ID, edit, 403},
		{"pm", "POST", "/access-requests/" + req.ID + "/approve", decide, 403},
		{"pm", "GET", "/audit", nil, 403},
		{"pm", "GET", "/outbox", nil, 403},
		{"pm", "GET", "/users?tab=staff", nil, 200}, // the tab is ignored: customer picker only
		{"support", "GET", "/audit", nil, 200},
		{"support", "GET", "/outbox", nil, 403},
		{"support", "GET", "/staff/new", nil, 403},
		{"support", "GET", "/notifications/" + notes[0].ID, nil, 404},
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
	// Nothing of B changed.
	got, err := e.id.AccessRequest(e.staffCtx(), req.ID)
	must(t, err)
	if got.Status != identity.RequestPending {
		t.Errorf("B's request is %s, want pending", got.Status)
	}
	m, err := e.id.Member(e.staffCtx(), b.customer.ID, b.user.ID)
	must(t, err)
	if m.FirstName == "X" {
		t.Error("A's administrator renamed B's user")
	}
}
