package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/ops"
)

// state is what a refused request must leave as it was.
type state struct {
	Rows    map[string]int
	User    *identity.Member
	Request string
}

func (f *fixture) state() state {
	f.t.Helper()
	s := state{Rows: map[string]int{}, User: f.memberOf(f.a.customer.ID, f.a.userID)}
	for _, table := range []string{"users", "memberships", "audit_log", "access_requests", "notifications", "messages"} {
		var n int
		must(f.t, f.db.QueryRow(`SELECT COUNT(*) FROM `+table).Scan(&n))
		s.Rows[table] = n
	}
	r, err := f.svc.AccessRequest(f.staffCtx, f.a.requestID)
	must(f.t, err)
	s.Request = r.Status
	return s
}

// TestBadInput sends malformed and invalid requests as customer A's
// administrator, who may do everything they aim at: each is refused with a
// problem document naming the fault, and nothing changes.
func TestBadInput(t *testing.T) {
	f := newFixture(t)
	user := "/users/" + f.a.userID
	approve := "/access-requests/" + f.a.requestID + "/approve"
	reject := "/access-requests/" + f.a.requestID + "/reject"
	valid := `{"email":"new@a.example","firstName":"N","lastName":"U","role":"user","accessLevel":"read_only"}`
	huge := `{"email":"` + strings.Repeat("a", ops.DefaultMaxBodyBytes) + `"}`
	tests := []struct {
		name   string
		c      call
		status int
		field  string // the field the problem must name, if any
	}{
		{"malformed JSON", call{method: "POST", path: "/users", body: `{"email" "x"}`}, 400, ""},
		{"truncated JSON", call{method: "POST", path: "/users", body: `{"email": `}, 400, ""},
		{"empty body", call{method: "POST", path: "/users", contentType: "application/json"}, 400, ""},
		{"trailing garbage", call{method: "POST", path: "/users", body: valid + ` xyz`}, 400, ""},
		{"second object", call{method: "POST", path: "/users", body: valid + valid}, 400, ""},
		{"array body", call{method: "POST", path: "/users", body: `[` + valid + `]`}, 400, ""},
		{"null body", call{method: "PATCH", path: user, body: `null`}, 400, ""},
		{"wrong type string", call{method: "POST", path: "/users", body: `{"email":"n@a.example","firstName":"N","lastName":"U","role":5,"accessLevel":"full"}`}, 400, "/role"},
		{"wrong type boolean", call{method: "PATCH", path: user, body: `{"disabled":"yes"}`}, 400, "/disabled"},
		{"wrong type array", call{method: "PATCH", path: user, body: `{"billingAccountIds":"x"}`}, 400, "/billingAccountIds"},
		{"wrong type in approval", call{method: "POST", path: approve, body: `{"role":["admin"]}`}, 400, "/role"},
		{"unknown field", call{method: "POST", path: "/users", body: `{"emial":"n@a.example"}`}, 400, "/emial"},
		{"unknown field in patch", call{method: "PATCH", path: user, body: `{"firstName":"X","password":"x"}`}, 400, "/password"},
		{"unknown field in rejection", call{method: "POST", path: reject, body: `{"reason":"no","notify":false}`}, 400, "/notify"},
		{"text content type", call{method: "POST", path: "/users", body: valid, contentType: "text/plain"}, 415, ""},
		{"form content type", call{method: "PATCH", path: user, body: `firstName=X`, contentType: "application/x-www-form-urlencoded"}, 415, ""},
		{"oversized body", call{method: "POST", path: "/users", body: huge}, 413, ""},
		{"oversized chunked body", call{method: "POST", path: "/users", body: huge, chunked: true}, 413, ""},
		{"invalid values", call{method: "POST", path: "/users", body: `{"email":"nope","firstName":"","lastName":"U","role":"boss","accessLevel":"full"}`}, 422, "/email"},
		{"invalid role on approval", call{method: "POST", path: approve, body: `{"role":"boss"}`}, 422, "/role"},
		{"rejection without reason", call{method: "POST", path: reject, body: `{"reason":" "}`}, 422, "/reason"},
		{"patch to invalid e-mail", call{method: "PATCH", path: user, body: `{"email":"not-an-address"}`}, 422, "/email"},
		{"limit not a number", call{method: "GET", path: "/users?limit=abc"}, 400, "limit"},
		{"limit zero", call{method: "GET", path: "/users?limit=0"}, 400, "limit"},
		{"limit above maximum", call{method: "GET", path: "/users?limit=201"}, 400, "limit"},
		{"negative offset", call{method: "GET", path: "/access-requests?offset=-1"}, 400, "offset"},
		{"unknown parameter", call{method: "GET", path: "/access-requests?stauts=pending"}, 400, "stauts"},
		{"repeated parameter", call{method: "GET", path: "/users?limit=1&limit=2"}, 400, "limit"},
		{"unknown status", call{method: "GET", path: "/access-requests?status=maybe"}, 400, "status"},
		{"unknown role", call{method: "GET", path: "/users?role=boss"}, 400, "role"},
		{"junk boolean", call{method: "GET", path: "/notifications?unread=maybe"}, 400, "unread"},
		{"junk time", call{method: "GET", path: "/audit-log?since=yesterday"}, 400, "since"},
		{"malformed query string", call{method: "GET", path: "/users?q=%zz"}, 400, ""},
		{"parameter on a route without any", call{method: "PATCH", path: user + "?dryRun=true", body: `{"firstName":"X"}`}, 400, "dryRun"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.c.as = aAdmin
			before := f.state()
			resp, body := f.do(tt.c)
			p := checkProblem(t, resp, body, tt.status)
			if tt.field != "" && !hasField(p, tt.field) {
				t.Errorf("problem errors = %+v, want one for %s", p.Errors, tt.field)
			}
			if diff := cmp.Diff(before, f.state()); diff != "" {
				t.Errorf("the refused request changed data (-before +after):\n%s", diff)
			}
		})
	}
}

func hasField(p problem, field string) bool {
	for _, e := range p.Errors {
		if e.Field == field && e.Detail != "" {
			return true
		}
	}
	return false
}

// TestUnmatchedRoutes answers paths and methods the API does not serve
// with problem documents too.
func TestUnmatchedRoutes(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do(call{as: aAdmin, method: "GET", path: "/nothing-here"})
	if p := checkProblem(t, resp, body, http.StatusNotFound); p.Type != "about:blank" {
		t.Errorf("type = %q, want about:blank", p.Type)
	}
	resp, body = f.do(call{as: aAdmin, method: "DELETE", path: "/users/" + f.a.userID})
	checkProblem(t, resp, body, http.StatusMethodNotAllowed)
	if got, want := resp.Header.Values("Allow"), []string{"GET", "PATCH"}; !cmp.Equal(got, want) {
		t.Errorf("Allow = %v, want %v", got, want)
	}
}
