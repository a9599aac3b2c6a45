package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/document/doctest"
)

// portOrderTenancyCalls returns a call of every route that names a port
// order, on order v, each with a valid body for the order, so that a
// refusal is about who asks, never about what they sent.
func portOrderTenancyCalls(f *numberFixture, v portOrderDetailJSON) []call {
	tn := f.a
	if v.CustomerID == f.b.customer.ID {
		tn = f.b
	}
	bodies := map[string]call{
		"PUT /port-orders/{id}":            {body: portOrderBody(tn, "2026-12-15", "+52 55 1234 0901")},
		"POST /port-orders/{id}/documents": multipartBody([][2]string{{"kind", "csr"}, {"file", ""}}, "csr.pdf", doctest.PDF("CSR")),
		"POST /port-orders/{id}/actions":   {body: `{"action":"cancel","reason":"Ya no"}`},
		"POST /port-orders/{id}/signature": {body: `{"name":"Rita","kind":"typed","agree":true,"sha256":"` + v.LOASHA256 + `"}`},
	}
	var out []call
	for _, rt := range portOrderRoutes {
		if !strings.Contains(rt.path, "{id}") {
			continue
		}
		c := bodies[rt.method+" "+rt.path]
		c.method, c.path = rt.method, strings.ReplaceAll(rt.path, "{id}", v.ID)
		out = append(out, c)
	}
	return out
}

// TestPortOrderTenancy runs every port order route as every role, on
// orders awaiting their signature: another customer's order, or one of a
// billing account the user does not see, is not found on every route,
// whoever asks; a read-only user who sees the order reads it and changes
// nothing (403); customers, technicians, account executives and support
// agents do not run orders (403), and only the signer signs. Nothing
// changes.
func TestPortOrderTenancy(t *testing.T) {
	f := newNumberFixture(t)
	send := func(id string) portOrderDetailJSON {
		v, err := f.porting.SendForSignature(f.pmCtx, id)
		must(t, err)
		return portOrderDetailOut(v, f.api.Catalog.Localizer("es-MX"), providerZone, true)
	}
	aOrder, bOrder := send(f.aOrder), send(f.bOrder)
	type row struct {
		name   string
		c      call
		status int
	}
	var tests []row
	// A's order is on A's first account, which A's end user does not see.
	for _, who := range []struct {
		as    string
		order portOrderDetailJSON
	}{{aAdmin, bOrder}, {aUser, bOrder}, {aViewer, bOrder}, {bAdmin, aOrder}, {aUser, aOrder}} {
		for _, c := range portOrderTenancyCalls(f, who.order) {
			c.as = who.as
			tests = append(tests, row{who.as + " " + c.method + " " + c.path, c, 404})
		}
	}
	// Those who see A's order but may not change it read it (but the
	// LOA, whose download writes its audit entry) and change nothing.
	for _, as := range []string{aViewer, staffTech, staffExec, staffSupport} {
		for _, c := range portOrderTenancyCalls(f, aOrder) {
			c.as = as
			switch {
			case c.method != "GET":
				tests = append(tests, row{as + " " + c.method + " " + c.path, c, 403})
			case !strings.HasSuffix(c.path, "/loa"):
				tests = append(tests, row{as + " " + c.method + " " + c.path, c, 200})
			}
		}
	}
	a := "/port-orders/" + f.aOrder
	for _, as := range []string{aAdmin, aUser, aViewer} {
		tests = append(tests,
			row{as + " lists B orders", call{as: as, method: "GET", path: "/port-orders?customerId=" + f.b.customer.ID}, 404},
			row{as + " enters an order", call{as: as, method: "POST", path: "/port-orders", body: portOrderBody(f.a, "2026-12-15", "+52 55 1234 0902")}, 403})
	}
	tests = append(tests, []row{
		{"no token", call{method: "GET", path: "/port-orders"}, 401},
		{"no token on an order", call{method: "GET", path: a}, 401},
		{"no token on an LOA", call{method: "GET", path: a + "/loa"}, 401},
		{"customer corrects", call{as: aAdmin, method: "PUT", path: a, body: portOrderBody(f.a, "2026-12-15", "+52 55 1234 0903")}, 403},
		{"customer cancels", call{as: aAdmin, method: "POST", path: a + "/actions", body: `{"action":"cancel","reason":"Ya no"}`}, 403},
		{"customer sends for signature", call{as: aAdmin, method: "POST", path: a + "/actions", body: `{"action":"send_for_signature"}`}, 403},
		{"PM signs", call{as: staffPM, method: "POST", path: a + "/signature", body: `{"name":"Pablo","kind":"typed","agree":true,"sha256":"` + aOrder.LOASHA256 + `"}`}, 403},
		{"technician enters an order", call{as: staffTech, method: "POST", path: "/port-orders", body: portOrderBody(f.a, "2026-12-15", "+52 55 1234 0904")}, 403},
		{"support enters an order", call{as: staffSupport, method: "POST", path: "/port-orders", body: portOrderBody(f.a, "2026-12-15", "+52 55 1234 0905")}, 403},
		{"A admin reads A order", call{as: aAdmin, method: "GET", path: a}, 200},
		{"technician reads B orders", call{as: staffTech, method: "GET", path: "/port-orders?customerId=" + f.b.customer.ID}, 200},
	}...)

	before := f.portState()
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
	if diff := cmp.Diff(before, f.portState()); diff != "" {
		t.Errorf("refused requests changed the data (-before +after):\n%s", diff)
	}
}
