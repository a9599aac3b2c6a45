package api

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
)

// TestTenancy runs every route that takes an object id, and the admin
// operations, as every role: another tenant's objects are not found, roles
// without the right are forbidden. Rows only read or are refused, so their
// order does not matter; the end checks that B's objects did not change.
func TestTenancy(t *testing.T) {
	f := newFixture(t)
	a, b := f.a, f.b
	newUser := `{"email":"new@a.example","firstName":"N","lastName":"U","role":"user","accessLevel":"read_only"}`
	tests := []struct {
		name   string
		c      call
		status int
	}{
		{"no token", call{method: "GET", path: "/me"}, 401},
		{"no token on an admin route", call{method: "POST", path: "/users", body: newUser}, 401},

		// Customer A's administrator against customer B's objects.
		{"A admin reads B user", call{as: aAdmin, method: "GET", path: "/users/" + b.userID}, 404},
		{"A admin reads B user naming B", call{as: aAdmin, method: "GET", path: "/users/" + b.userID + "?customerId=" + b.customer.ID}, 404},
		{"A admin lists B users", call{as: aAdmin, method: "GET", path: "/users?customerId=" + b.customer.ID}, 404},
		{"A admin patches B user", call{as: aAdmin, method: "PATCH", path: "/users/" + b.userID, body: `{"firstName":"Pwned"}`}, 404},
		{"A admin patches B user naming B", call{as: aAdmin, method: "PATCH", path: "/users/" + b.userID + "?customerId=" + b.customer.ID, body: `{"firstName":"Pwned"}`}, 404},
		{"A admin creates user in B", call{as: aAdmin, method: "POST", path: "/users", body: `{"customerId":"` + b.customer.ID + `","email":"x@b.example","firstName":"X","lastName":"Y","role":"admin","accessLevel":"full"}`}, 404},
		{"A admin reads B access request", call{as: aAdmin, method: "GET", path: "/access-requests/" + b.requestID}, 404},
		{"A admin lists B access requests", call{as: aAdmin, method: "GET", path: "/access-requests?customerId=" + b.customer.ID}, 404},
		{"A admin approves B access request", call{as: aAdmin, method: "POST", path: "/access-requests/" + b.requestID + "/approve", body: `{}`}, 404},
		{"A admin rejects B access request", call{as: aAdmin, method: "POST", path: "/access-requests/" + b.requestID + "/reject", body: `{"reason":"no"}`}, 404},
		{"A admin reads B notification", call{as: aAdmin, method: "GET", path: "/notifications/" + b.notification}, 404},
		{"A admin marks B notification read", call{as: aAdmin, method: "POST", path: "/notifications/" + b.notification + "/read"}, 404},
		{"A admin reads B customer", call{as: aAdmin, method: "GET", path: "/customers/" + b.customer.ID}, 404},
		{"A admin reads B billing accounts", call{as: aAdmin, method: "GET", path: "/customers/" + b.customer.ID + "/billing-accounts"}, 404},
		{"A admin reads own user", call{as: aAdmin, method: "GET", path: "/users/" + a.userID}, 200},
		{"A admin reads own access request", call{as: aAdmin, method: "GET", path: "/access-requests/" + a.requestID}, 200},
		{"A admin reads own customer", call{as: aAdmin, method: "GET", path: "/customers/" + a.customer.ID}, 200},
		{"A admin reads own audit log", call{as: aAdmin, method: "GET", path: "/audit-log"}, 200},

		// Customer B's administrator against customer A's objects.
		{"B admin reads A user", call{as: bAdmin, method: "GET", path: "/users/" + a.adminID}, 404},
		{"B admin reads A access request", call{as: bAdmin, method: "GET", path: "/access-requests/" + a.requestID}, 404},
		{"B admin reads A notification", call{as: bAdmin, method: "GET", path: "/notifications/" + a.notification}, 404},
		{"B admin reads A billing accounts", call{as: bAdmin, method: "GET", path: "/customers/" + a.customer.ID + "/billing-accounts"}, 404},

		// Customer A's read-only end user.
		{"A user lists users", call{as: aUser, method: "GET", path: "/users"}, 403},
		{"A user creates user", call{as: aUser, method: "POST", path: "/users", body: newUser}, 403},
		{"A user lists access requests", call{as: aUser, method: "GET", path: "/access-requests"}, 403},
		{"A user reads audit log", call{as: aUser, method: "GET", path: "/audit-log"}, 403},
		// identity answers "not found" to anyone who may not see users or
		// requests, even in their own customer, before it checks the right
		// to change them.
		{"A user reads A admin", call{as: aUser, method: "GET", path: "/users/" + a.adminID}, 404},
		{"A user patches A admin", call{as: aUser, method: "PATCH", path: "/users/" + a.adminID, body: `{"disabled":true}`}, 404},
		{"A user approves A access request", call{as: aUser, method: "POST", path: "/access-requests/" + a.requestID + "/approve", body: `{}`}, 404},
		{"A user reads B customer", call{as: aUser, method: "GET", path: "/customers/" + b.customer.ID}, 404},
		{"A user reads B billing accounts", call{as: aUser, method: "GET", path: "/customers/" + b.customer.ID + "/billing-accounts"}, 404},
		{"A user reads A admin notification", call{as: aUser, method: "GET", path: "/notifications/" + a.notification}, 404},
		{"A user reads own customer", call{as: aUser, method: "GET", path: "/customers/" + a.customer.ID}, 200},
		{"A user reads own billing accounts", call{as: aUser, method: "GET", path: "/customers/" + a.customer.ID + "/billing-accounts"}, 200},
		{"A user reads own notifications", call{as: aUser, method: "GET", path: "/notifications"}, 200},

		// Staff.
		{"staff technician lists A users", call{as: staffTech, method: "GET", path: "/users?customerId=" + a.customer.ID}, 403},
		{"staff technician lists staff", call{as: staffTech, method: "GET", path: "/users"}, 403},
		{"staff technician creates user", call{as: staffTech, method: "POST", path: "/users", body: `{"customerId":"` + a.customer.ID + `","email":"t@a.example","firstName":"T","lastName":"T","role":"user","accessLevel":"full"}`}, 403},
		{"staff technician lists access requests", call{as: staffTech, method: "GET", path: "/access-requests"}, 403},
		{"staff technician reads audit log", call{as: staffTech, method: "GET", path: "/audit-log"}, 403},
		{"staff technician reads A user", call{as: staffTech, method: "GET", path: "/users/" + a.userID + "?customerId=" + a.customer.ID}, 404},
		{"staff technician patches A user", call{as: staffTech, method: "PATCH", path: "/users/" + a.userID + "?customerId=" + a.customer.ID, body: `{"role":"admin"}`}, 404},
		{"staff technician rejects A access request", call{as: staffTech, method: "POST", path: "/access-requests/" + a.requestID + "/reject", body: `{"reason":"no"}`}, 404},
		{"staff technician lists customers", call{as: staffTech, method: "GET", path: "/customers"}, 200},
		{"staff technician reads A billing accounts", call{as: staffTech, method: "GET", path: "/customers/" + a.customer.ID + "/billing-accounts"}, 200},
		{"staff admin reads B user", call{as: staffAdmin, method: "GET", path: "/users/" + b.userID + "?customerId=" + b.customer.ID}, 200},
		{"staff admin reads B access request", call{as: staffAdmin, method: "GET", path: "/access-requests/" + b.requestID}, 200},
		{"staff admin reads A admin notification", call{as: staffAdmin, method: "GET", path: "/notifications/" + a.notification}, 404},
		{"staff admin lists staff", call{as: staffAdmin, method: "GET", path: "/users"}, 200},
		{"staff admin patches without naming the customer", call{as: staffAdmin, method: "PATCH", path: "/users/" + b.userID, body: `{"firstName":"X"}`}, 400},
		{"staff admin creates without naming the customer", call{as: staffAdmin, method: "POST", path: "/users", body: newUser}, 422},
		{"staff admin reads audit log", call{as: staffAdmin, method: "GET", path: "/audit-log"}, 200},
	}
	bUser := f.memberOf(b.customer.ID, b.userID)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.do(tt.c)
			if tt.status < 400 {
				if resp.StatusCode != tt.status {
					t.Fatalf("%s %s = %d %s, want %d", tt.c.method, tt.c.path, resp.StatusCode, body, tt.status)
				}
				return
			}
			checkProblem(t, resp, body, tt.status)
			if tt.status == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	if diff := cmp.Diff(bUser, f.memberOf(b.customer.ID, b.userID)); diff != "" {
		t.Errorf("B's user changed (-before +after):\n%s", diff)
	}
	r, err := f.svc.AccessRequest(f.staffCtx, b.requestID)
	must(t, err)
	if r.Status != identity.RequestPending {
		t.Errorf("B's access request is %s, want still pending", r.Status)
	}
	ns, _, err := f.store.FindNotifications(f.ctx, b.adminID, b.customer.ID, notify.NotificationFilter{UnreadOnly: true, Limit: 10})
	must(t, err)
	if len(ns) != 1 || ns[0].ID != b.notification {
		t.Errorf("B's unread notifications = %v, want only %s", ns, b.notification)
	}
}
