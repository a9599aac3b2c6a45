package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/identity"
)

func TestMe(t *testing.T) {
	f := newFixture(t)
	var me meJSON
	f.doJSON(call{as: aAdmin, method: "GET", path: "/me"}, 200, &me)
	want := membershipJSON{CustomerID: f.a.customer.ID, CustomerName: "Acme", Role: identity.RoleAdmin,
		AccessLevel: identity.AccessFull, BillingAccountIDs: []string{}}
	if me.ID != f.a.adminID || me.Email != "admin@a.example" || me.StaffRole != "" {
		t.Errorf("me = %+v, want customer A's administrator", me)
	}
	if diff := cmp.Diff(&want, me.Customer); diff != "" {
		t.Errorf("me.customer (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]membershipJSON{want}, me.Memberships); diff != "" {
		t.Errorf("me.memberships (-want +got):\n%s", diff)
	}

	var staff map[string]any
	f.doJSON(call{as: staffAdmin, method: "GET", path: "/me"}, 200, &staff)
	if staff["staffRole"] != identity.StaffAdmin || staff["customer"] != nil {
		t.Errorf("staff me = %v, want staffRole admin and customer null", staff)
	}
}

func TestCreateAndPatchUser(t *testing.T) {
	f := newFixture(t)
	var created userJSON
	resp := f.doJSON(call{as: aAdmin, method: "POST", path: "/users", body: `{"email":"Nueva@A.example","firstName":"Nueva",
		"lastName":"Persona","role":"billing","accessLevel":"full","billingAccountIds":["` + f.a.accounts[1].ID + `"]}`}, 201, &created)
	if want := Prefix + "/users/" + created.ID; resp.Header.Get("Location") != want {
		t.Errorf("Location = %q, want %q", resp.Header.Get("Location"), want)
	}
	if created.Email != "nueva@a.example" || created.Membership == nil || created.Membership.Role != "billing" {
		t.Errorf("created = %+v, want nueva@a.example as billing contact", created)
	}
	var got userJSON
	f.doJSON(call{as: aAdmin, method: "GET", path: "/users/" + created.ID}, 200, &got)
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("GET after POST (-created +got):\n%s", diff)
	}

	// Staff name the customer, and the Location names it too.
	resp = f.doJSON(call{as: staffAdmin, method: "POST", path: "/users", body: `{"customerId":"` + f.b.customer.ID +
		`","email":"otra@b.example","firstName":"Otra","lastName":"Persona","role":"user","accessLevel":"read_only"}`}, 201, &got)
	if loc := resp.Header.Get("Location"); !strings.HasSuffix(loc, "?customerId="+f.b.customer.ID) {
		t.Errorf("staff Location = %q, want it to name customer B", loc)
	}

	// A patch changes what it names and nothing else.
	var patched userJSON
	f.doJSON(call{as: aAdmin, method: "PATCH", path: "/users/" + created.ID, body: `{"corporateArea":"Finanzas","disabled":true}`}, 200, &patched)
	want := created
	want.Membership = ptr(*created.Membership)
	want.Membership.CorporateArea, want.Membership.Disabled = "Finanzas", true
	if diff := cmp.Diff(want, patched, ignoreUpdatedAt); diff != "" {
		t.Errorf("PATCH corporateArea, disabled (-want +got):\n%s", diff)
	}
	f.doJSON(call{as: aAdmin, method: "PATCH", path: "/users/" + created.ID, body: `{"role":"technical","billingAccountIds":[],"disabled":null}`}, 200, &patched)
	want.Membership.Role, want.Membership.BillingAccountIDs = "technical", []string{}
	if diff := cmp.Diff(want, patched, ignoreUpdatedAt); diff != "" {
		t.Errorf("PATCH role, billingAccountIds (-want +got):\n%s", diff)
	}
	// Merge-patch clients send their own media type.
	f.doJSON(call{as: aAdmin, method: "PATCH", path: "/users/" + created.ID, body: `{"lastName":"Cambiada"}`,
		contentType: "application/merge-patch+json"}, 200, &patched)
	if patched.LastName != "Cambiada" || patched.Membership.Role != "technical" {
		t.Errorf("merge-patch result = %+v", patched)
	}
}

var ignoreUpdatedAt = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".UpdatedAt" }, cmp.Ignore())

func ptr[T any](v T) *T { return &v }

func TestDecideAccessRequests(t *testing.T) {
	f := newFixture(t)
	var ar identity.AccessRequest
	f.doJSON(call{as: aAdmin, method: "POST", path: "/access-requests/" + f.a.requestID + "/approve",
		body: `{"role":"technical","accessLevel":"full"}`}, 200, &ar)
	if ar.Status != identity.RequestApproved || ar.UserID == "" || ar.DecidedBy != "admin@a.example" {
		t.Errorf("approved = %+v", ar)
	}
	m := f.memberOf(f.a.customer.ID, ar.UserID)
	if m.Membership.Role != "technical" || m.Membership.AccessLevel != "full" {
		t.Errorf("new member = %+v, want technical with full access", m.Membership)
	}
	resp, body := f.do(call{as: aAdmin, method: "POST", path: "/access-requests/" + f.a.requestID + "/reject", body: `{"reason":"late"}`})
	checkProblem(t, resp, body, http.StatusConflict)

	// An approval without a body takes the defaults.
	second := f.register(f.a, "second")
	f.doJSON(call{as: aAdmin, method: "POST", path: "/access-requests/" + second + "/approve"}, 200, &ar)
	if m := f.memberOf(f.a.customer.ID, ar.UserID); m.Membership.Role != identity.RoleUser || m.Membership.AccessLevel != identity.AccessReadOnly {
		t.Errorf("default approval = %+v, want a read-only end user", m.Membership)
	}

	third := f.register(f.a, "third")
	f.doJSON(call{as: aAdmin, method: "POST", path: "/access-requests/" + third + "/reject", body: `{"reason":"No trabaja aquí"}`}, 200, &ar)
	if ar.Status != identity.RequestRejected || ar.Reason != "No trabaja aquí" {
		t.Errorf("rejected = %+v", ar)
	}

	var l list[identity.AccessRequest]
	f.doJSON(call{as: aAdmin, method: "GET", path: "/access-requests?status=pending"}, 200, &l)
	if l.Total != 0 {
		t.Errorf("pending after deciding all = %d, want 0", l.Total)
	}
	f.doJSON(call{as: staffAdmin, method: "GET", path: "/access-requests?status=pending"}, 200, &l)
	if l.Total != 1 || l.Items[0].ID != f.b.requestID {
		t.Errorf("staff sees pending %v, want only B's", l.Items)
	}
}

func TestNotifications(t *testing.T) {
	f := newFixture(t)
	f.register(f.a, "second")
	unread := func() int {
		var l list[notificationJSON]
		f.doJSON(call{as: aAdmin, method: "GET", path: "/notifications?unread=true"}, 200, &l)
		return l.Total
	}
	if n := unread(); n != 2 {
		t.Fatalf("unread = %d, want 2", n)
	}
	var n notificationJSON
	f.doJSON(call{as: aAdmin, method: "GET", path: "/notifications/" + f.a.notification, lang: "de"}, 200, &n)
	de := f.api.Catalog.Localizer("de")
	if n.Unread || n.ReadAt == nil || n.Title != de.T("identity.notice.access_request.title") ||
		n.Body != de.T("identity.notice.access_request.body", "Name", "Rita Solicitante", "Email", "requester@acme.example") {
		t.Errorf("opened notification = %+v, want it read and in German", n)
	}
	if got := unread(); got != 1 {
		t.Errorf("unread after opening one = %d, want 1", got)
	}
	f.doJSON(call{as: aAdmin, method: "POST", path: "/notifications/read-all"}, 204, nil)
	if got := unread(); got != 0 {
		t.Errorf("unread after read-all = %d, want 0", got)
	}
	f.doJSON(call{as: aAdmin, method: "POST", path: "/notifications/" + f.a.notification + "/read"}, 204, nil)
	var all list[notificationJSON]
	f.doJSON(call{as: aAdmin, method: "GET", path: "/notifications"}, 200, &all)
	if all.Total != 2 {
		t.Errorf("all notifications = %d, want 2", all.Total)
	}
}

func TestAuditFilters(t *testing.T) {
	f := newFixture(t)
	f.clock.Advance(time.Hour)
	f.doJSON(call{as: aAdmin, method: "PATCH", path: "/users/" + f.a.userID, body: `{"corporateArea":"Ventas"}`}, 200, nil)
	later := f.clock.Now().Format(time.RFC3339)
	total := func(c call) int {
		t.Helper()
		var l list[audit.Entry]
		f.doJSON(c, 200, &l)
		return l.Total
	}
	tests := []struct {
		name  string
		as    string
		query string
		want  int
	}{
		// Setup made 2 staff users, 2×2 members, 2 access requests and 5
		// API tokens (2 in A, 1 in B, 2 for staff); the test one update.
		{"everything", staffAdmin, "", 14},
		{"action prefix", staffAdmin, "?action=user.", 7},
		{"exact action", staffAdmin, "?action=user.update", 1},
		{"object type", staffAdmin, "?objectType=access_request", 2},
		{"object id", staffAdmin, "?objectId=" + f.a.userID, 2},
		{"actor", staffAdmin, "?actor=admin@a.example", 1},
		{"since", staffAdmin, "?since=" + later, 1},
		{"until", staffAdmin, "?until=" + later, 13},
		{"customer", staffAdmin, "?customerId=" + f.b.customer.ID, 4},
		{"customer admin sees own customer only", aAdmin, "", 6},
		{"customer admin cannot widen", aAdmin, "?customerId=" + f.b.customer.ID, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := total(call{as: tt.as, method: "GET", path: "/audit-log" + tt.query}); got != tt.want {
				t.Errorf("GET /audit-log%s as %s: total = %d, want %d", tt.query, tt.as, got, tt.want)
			}
		})
	}
}

func TestPagination(t *testing.T) {
	f := newFixture(t)
	for i := range 5 {
		f.member(f.a.customer.ID, fmt.Sprintf("p%d@a.example", i), identity.RoleUser, identity.AccessReadOnly)
	}
	// Customer A now has 7 users, ordered by e-mail.
	tests := []struct {
		query        string
		items, total int
		offset, lim  int
	}{
		{"", 7, 7, 0, 50},
		{"?limit=3", 3, 7, 0, 3},
		{"?limit=3&offset=6", 1, 7, 6, 3},
		{"?offset=10", 0, 7, 10, 50},
		{"?q=p1", 1, 1, 0, 50},
		{"?role=admin", 1, 1, 0, 50},
	}
	for _, tt := range tests {
		var l list[userJSON]
		f.doJSON(call{as: aAdmin, method: "GET", path: "/users" + tt.query}, 200, &l)
		if len(l.Items) != tt.items || l.Total != tt.total || l.Offset != tt.offset || l.Limit != tt.lim {
			t.Errorf("GET /users%s = %d items, total %d, offset %d, limit %d; want %d, %d, %d, %d",
				tt.query, len(l.Items), l.Total, l.Offset, l.Limit, tt.items, tt.total, tt.offset, tt.lim)
		}
	}
	var cs list[customer.Customer]
	f.doJSON(call{as: staffAdmin, method: "GET", path: "/customers?limit=1&offset=1"}, 200, &cs)
	if len(cs.Items) != 1 || cs.Total != 2 {
		t.Errorf("customers page 2 = %+v, want 1 of 2", cs)
	}
}
