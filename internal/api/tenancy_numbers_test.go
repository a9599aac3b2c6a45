package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// numberTenancyBodies are valid bodies for the number routes that need
// one, so that a refusal is about who asks, never about what they sent.
var numberTenancyBodies = map[string]string{
	"PATCH /numbers/{id}":        `{"cnam":"OTRA"}`,
	"POST /numbers/{id}/actions": `{"event":"assign","assignee":{"kind":"user","name":"Ana","ref":"ana@x.example"}}`,
}

// numberCalls returns a call of every route that names a number, on
// number id.
func numberCalls(id string) []call {
	var out []call
	for _, rt := range numberRoutes {
		if !strings.HasPrefix(rt.path, "/numbers/{id}") {
			continue
		}
		out = append(out, call{method: rt.method, path: strings.ReplaceAll(rt.path, "{id}", id), body: numberTenancyBodies[rt.method+" "+rt.path]})
	}
	return out
}

// TestNumberTenancy runs every number route as every role: another
// customer's number is not found on every route, whoever asks; read-only
// users and staff who do not keep numbers read and change nothing (403);
// only staff who keep numbers add and import them, and imports do not
// exist for anyone else. Nothing changes.
func TestNumberTenancy(t *testing.T) {
	f := newNumberFixture(t)
	imp, err := f.numbers.StartImport(f.pmCtx, f.a.customer.ID, "numeros.csv", []byte("numero\n5512340700\n"))
	must(t, err)
	type row struct {
		name   string
		c      call
		status int
	}
	var tests []row
	for _, who := range []struct{ as, number string }{
		{aAdmin, f.bNumber}, {aUser, f.bNumber}, {aViewer, f.bNumber}, {bAdmin, f.aNumber},
	} {
		for _, c := range numberCalls(who.number) {
			c.as = who.as
			tests = append(tests, row{who.as + " " + c.method + " " + c.path, c, 404})
		}
	}
	// Read-only users and staff without the right see A's number and
	// change nothing.
	for _, as := range []string{aUser, aViewer, staffTech, staffExec} {
		for _, c := range numberCalls(f.aNumber) {
			c.as = as
			status := http.StatusForbidden
			if c.method == "GET" {
				status = http.StatusOK
			}
			tests = append(tests, row{as + " " + c.method + " " + c.path, c, status})
		}
	}
	add := `{"customerId":"` + f.a.customer.ID + `","from":"5512340800"}`
	upload := multipartBody([][2]string{{"customerId", f.a.customer.ID}, {"file", ""}}, "n.csv", []byte("numero\n5512340800\n"))
	upload.path = "/numbers/imports"
	for _, as := range []string{aAdmin, aUser, aViewer} {
		tests = append(tests,
			row{as + " lists B numbers", call{as: as, method: "GET", path: "/numbers?customerId=" + f.b.customer.ID}, 404},
			row{as + " counts B numbers", call{as: as, method: "GET", path: "/numbers/counts?customerId=" + f.b.customer.ID}, 404},
			row{as + " reads A's import", call{as: as, method: "GET", path: "/numbers/imports/" + imp.ID}, 404})
	}
	for _, as := range []string{aAdmin, aViewer, staffTech, staffExec} {
		c := upload
		c.as = as
		tests = append(tests,
			row{as + " adds numbers", call{as: as, method: "POST", path: "/numbers", body: add}, 403},
			row{as + " imports numbers", c, 403})
	}
	tests = append(tests, []row{
		{"no token", call{method: "GET", path: "/numbers"}, 401},
		{"no token on a number", call{method: "GET", path: "/numbers/" + f.aNumber}, 401},
		{"no token on an import", call{method: "GET", path: "/numbers/imports/" + imp.ID}, 401},
		{"B admin reads A's import", call{as: bAdmin, method: "GET", path: "/numbers/imports/" + imp.ID}, 404},
		{"technician reads an import", call{as: staffTech, method: "GET", path: "/numbers/imports/" + imp.ID}, 404},
		{"support reads an import", call{as: staffSupport, method: "GET", path: "/numbers/imports/" + imp.ID}, 200},
		{"technician reads B numbers", call{as: staffTech, method: "GET", path: "/numbers?customerId=" + f.b.customer.ID}, 200},
		{"A admin names own customer", call{as: aAdmin, method: "GET", path: "/numbers/counts?customerId=" + f.a.customer.ID}, 200},
	}...)

	before := f.numberState()
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
		})
	}
	if diff := cmp.Diff(before, f.numberState()); diff != "" {
		t.Errorf("refused requests changed the data (-before +after):\n%s", diff)
	}
}
