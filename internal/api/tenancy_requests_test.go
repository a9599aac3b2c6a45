package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/document/doctest"
)

// requestTenancyCalls are valid calls of the request routes that need a
// body, so that a refusal is about who asks, never about what they sent.
var requestTenancyCalls = map[string]call{
	"PATCH /requests/{id}":                   {body: `{"subject":"Otro asunto"}`},
	"POST /requests/{id}/actions/{action}":   {body: `{"reason":"x"}`},
	"POST /requests/{id}/comments":           {body: `{"body":"Hola"}`},
	"PUT /requests/{id}/checklist/{step}":    {body: `{"done":true}`},
	"POST /requests/{id}/survey":             {body: `{"score":5}`},
	"POST /requests/{id}/attachments":        multipartBody([][2]string{{"file", ""}}, "carta.pdf", doctest.PDF("Carta")),
	"GET /requests/{id}/attachments/{docId}": {},
}

// requestCalls returns a call of every request route that names a
// request, on request v: cancel as its action, its first checklist step
// and its first attachment.
func requestCalls(v requestDetailJSON) []call {
	var out []call
	for _, rt := range requestRoutes {
		if !strings.Contains(rt.path, "{id}") {
			continue
		}
		c := requestTenancyCalls[rt.method+" "+rt.path]
		c.method = rt.method
		c.path = strings.NewReplacer("{id}", v.ID, "{action}", "cancel", "{step}", v.Checklist[0].Key,
			"{docId}", v.Attachments[0].ID).Replace(rt.path)
		out = append(out, c)
	}
	return out
}

// TestRequestTenancy runs every request route as every role: another
// customer's request is not found on every route, whoever asks; a
// read-only user who sees the request may read it and change nothing
// (403); customers may not take the agents' actions nor read the survey
// results; only staff administrators delete. Nothing changes.
func TestRequestTenancy(t *testing.T) {
	f := newRequestFixture(t)
	type row struct {
		name   string
		c      call
		status int
	}
	var tests []row

	// Another customer's request, on every route, for every customer role;
	// A's end user sees no billing account, so not A's request either.
	for _, who := range []struct {
		as string
		v  requestDetailJSON
	}{{aAdmin, f.bReq}, {aUser, f.bReq}, {aViewer, f.bReq}, {bAdmin, f.aReq}, {aUser, f.aReq}} {
		for _, c := range requestCalls(who.v) {
			c.as = who.as
			tests = append(tests, row{who.as + " " + c.method + " " + c.path, c, 404})
		}
	}
	// The read-only contact sees A's request: it reads every part of it
	// (but the download, which writes its audit entry) and changes none.
	for _, c := range requestCalls(f.aReq) {
		c.as = aViewer
		switch {
		case c.method != "GET":
			tests = append(tests, row{"read-only " + c.method + " " + c.path, c, 403})
		case !strings.Contains(c.path, "/attachments/"):
			tests = append(tests, row{"read-only " + c.method + " " + c.path, c, 200})
		}
	}
	for _, as := range []string{aAdmin, aUser, aViewer} {
		tests = append(tests,
			row{as + " lists B requests", call{as: as, method: "GET", path: "/requests?customerId=" + f.b.customer.ID}, 404},
			row{as + " charts B requests", call{as: as, method: "GET", path: "/requests/phases?customerId=" + f.b.customer.ID}, 404},
			row{as + " counts B sites", call{as: as, method: "GET", path: "/requests/sites?customerId=" + f.b.customer.ID}, 404},
			row{as + " reads survey results", call{as: as, method: "GET", path: "/surveys"}, 403})
	}
	aReq := "/requests/" + f.aReq.ID
	tests = append(tests, []row{
		{"no token", call{method: "GET", path: "/requests"}, 401},
		{"no token on a request", call{method: "GET", path: aReq}, 401},
		{"no token on the catalogue", call{method: "GET", path: "/request-types"}, 401},
		{"read-only raises", call{as: aViewer, method: "POST", path: "/requests", body: incident(aServiceKey)}, 403},
		{"end user raises", call{as: aUser, method: "POST", path: "/requests", body: incident(aServiceKey)}, 403},
		{"A raises on B's service", call{as: aAdmin, method: "POST", path: "/requests", body: incident(bServiceKey)}, 422},
		{"customer starts", call{as: aAdmin, method: "POST", path: aReq + "/actions/start"}, 403},
		{"customer assigns", call{as: aAdmin, method: "POST", path: aReq + "/actions/assign", body: `{"assigneeId":"` + f.techID + `"}`}, 403},
		{"customer ticks", call{as: aAdmin, method: "PUT", path: aReq + "/checklist/receive", body: `{"done":true}`}, 403},
		{"customer writes an internal note", call{as: aAdmin, method: "POST", path: aReq + "/comments", body: `{"body":"x","internal":true}`}, 403},
		{"customer deletes", call{as: aAdmin, method: "DELETE", path: aReq}, 403},
		{"technician deletes", call{as: staffTech, method: "DELETE", path: aReq}, 403},
		{"account executive ticks", call{as: staffExec, method: "PUT", path: aReq + "/checklist/receive", body: `{"done":true}`}, 403},
		{"account executive starts", call{as: staffExec, method: "POST", path: aReq + "/actions/start"}, 403},
		{"staff answers the survey", call{as: staffTech, method: "POST", path: aReq + "/survey", body: `{"score":1}`}, 403},

		{"A admin reads A request", call{as: aAdmin, method: "GET", path: aReq}, 200},
		{"technician reads B request", call{as: staffTech, method: "GET", path: "/requests/" + f.bReq.ID}, 200},
		{"end user reads the catalogue", call{as: aUser, method: "GET", path: "/request-types"}, 200},
		{"A admin names own customer", call{as: aAdmin, method: "GET", path: "/requests?customerId=" + f.a.customer.ID}, 200},
	}...)

	before := f.requestState()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.do(tt.c)
			if tt.status < 400 {
				if resp.StatusCode != tt.status {
					t.Fatalf("%s %s as %q = %d %s, want %d", tt.c.method, tt.c.path, tt.c.as, resp.StatusCode, body, tt.status)
				}
				return
			}
			checkProblem(t, resp, body, tt.status)
			if tt.status == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	if diff := cmp.Diff(before, f.requestState()); diff != "" {
		t.Errorf("refused requests changed the data (-before +after):\n%s", diff)
	}
}
