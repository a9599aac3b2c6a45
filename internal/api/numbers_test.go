package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/carrier/fakecarrier"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// staffSupport holds the token of the fixture's support agent, who keeps
// the number inventory but does not run port orders.
const staffSupport = "staff support agent"

// carrierSecret signs the carrier's webhooks in the tests.
const carrierSecret = "whsec-api-test"

// numberFixture is the fixture with numbers and port orders wired in: a
// project manager and a support agent, A's read-only technical contact,
// a fake carrier gateway that orders are submitted to and that posts its
// events to the API's webhook, five numbers of A (+52 81 1000 0000 to
// 0004) and one of B, and a draft port order of each customer, signed by
// its administrator; A's is on A's first billing account.
type numberFixture struct {
	*fixture
	numbers          *numbering.Service
	porting          *porting.Service
	gateway          *fakecarrier.Gateway
	pmCtx            context.Context
	aNumber, bNumber string
	aOrder, bOrder   string
}

func newNumberFixture(t testing.TB) *numberFixture {
	t.Helper()
	f := &numberFixture{fixture: newFixture(t)}
	f.gateway = fakecarrier.New(f.clock, fakecarrier.Config{Token: "tok-gateway", WebhookURL: f.srv.URL + Prefix + "/carrier/events",
		WebhookSecret: carrierSecret, AnswerAfter: 2 * time.Hour})
	gw := httptest.NewServer(f.gateway)
	t.Cleanup(gw.Close)
	f.porting = f.withPorting(carrier.New(carrier.Config{BaseURL: gw.URL, Token: "tok-gateway"}), carrierSecret)
	f.numbers = f.api.Numbers
	f.addViewer()
	pm := f.staffUser("pm@provider.example", identity.StaffPM, staffPM)
	f.staffUser("soporte@provider.example", identity.StaffSupport, staffSupport)
	f.pmCtx = enlace.WithActor(f.ctx, &enlace.Actor{UserID: pm, Email: "pm@provider.example", StaffRole: identity.StaffPM})
	f.aNumber = f.add(f.a, "+52 81 1000 0000", "+52 81 1000 0004")[0].ID
	f.bNumber = f.add(f.b, "+52 81 2000 0000", "")[0].ID
	f.aOrder = f.order(f.a, f.a.accounts[0].ID, "+52 55 1234 0001", "+52 55 1234 0002")
	f.bOrder = f.order(f.b, "", "+52 55 2234 0001")
	return f
}

// staffUser adds a staff user with a token held as holder, and returns
// the user's id.
func (f *numberFixture) staffUser(email, role, holder string) string {
	f.t.Helper()
	u, _, err := f.svc.CreateStaffUser(f.staffCtx, identity.NewStaffUser{Email: email, FirstName: "Nombre", LastName: "Staff", Role: role})
	must(f.t, err)
	f.tokens[holder] = f.token(u.ID, "")
	return u.ID
}

// add adds available numbers to a customer as the PM.
func (f *numberFixture) add(tn tenant, from, to string) []numbering.Number {
	f.t.Helper()
	ns, err := f.numbers.Add(f.pmCtx, numbering.AddInput{CustomerID: tn.customer.ID, From: from, To: to})
	must(f.t, err)
	return ns
}

// requestedDate is the port date of the fixture's orders: six weeks
// after the fixture's clock, a Tuesday.
var requestedDate = schedule.Date{Year: 2026, Month: time.December, Day: 15}

// order enters a draft port order of numbers at Telmex as the PM, signed
// by the customer's administrator, and returns its id.
func (f *numberFixture) order(tn tenant, account string, numbers ...string) string {
	f.t.Helper()
	in := porting.Input{CustomerID: tn.customer.ID, BillingAccountID: account, RequestedDate: requestedDate,
		SignerUserID: tn.adminID, AccountName: tn.customer.Name + " SA de CV", ServiceAddress: "Av. Constitución 1, Monterrey"}
	for _, n := range numbers {
		in.Lines = append(in.Lines, porting.LineInput{Number: n, Carrier: "Telmex", AccountNumber: "8112345678"})
	}
	v, err := f.porting.Create(f.pmCtx, in)
	must(f.t, err)
	return v.Order.ID
}

// numberState is what refused number requests must leave as it was.
func (f *numberFixture) numberState() map[string]string {
	f.t.Helper()
	return f.snapshot(`SELECT COUNT(*) FROM numbers`, `SELECT MAX(updated_at) FROM numbers`, `SELECT SUM(version) FROM numbers`,
		`SELECT COUNT(*) FROM number_imports`, `SELECT COUNT(*) FROM audit_log`, `SELECT COUNT(*) FROM jobs`)
}

// number reads a number through the API.
func (f *numberFixture) number(as, id string) numberJSON {
	f.t.Helper()
	var n numberJSON
	f.doJSON(call{as: as, method: "GET", path: "/numbers/" + id, lang: "en"}, 200, &n)
	return n
}

// act posts an event on a number and returns the number after it.
func (f *numberFixture) act(as, id, body string) numberJSON {
	f.t.Helper()
	var n numberJSON
	f.doJSON(call{as: as, method: "POST", path: "/numbers/" + id + "/actions", body: body}, 200, &n)
	return n
}

// TestNumbers adds a range and a number, lists and counts them, edits a
// number's particulars and moves numbers through their states.
func TestNumbers(t *testing.T) {
	f := newNumberFixture(t)
	var added addedNumbersJSON
	resp := f.doJSON(call{as: staffSupport, method: "POST", path: "/numbers", lang: "en", body: `{"customerId":"` + f.a.customer.ID +
		`","from":"+52 55 1234 0100","to":"55 1234 0109","state":"reserved","cnam":"ACME","location":"Av. Constitución 1"}`}, 201, &added)
	if added.Count != 10 || len(added.Items) != 10 || resp.Header.Get("Location") != "" {
		t.Fatalf("added %d numbers (%d items), Location %q; want 10 and no Location", added.Count, len(added.Items), resp.Header.Get("Location"))
	}
	if n := added.Items[9]; n.E164 != "+525512340109" || n.State != numbering.StateReserved || n.StateName != "Reserved" ||
		n.CNAM != "ACME" || n.Country != "MX" || n.CustomerID != f.a.customer.ID {
		t.Errorf("last of the range = %+v", n)
	}
	resp = f.doJSON(call{as: staffPM, method: "POST", path: "/numbers", body: `{"customerId":"` + f.a.customer.ID +
		`","from":"33 1234 5678","state":"test","note":"Pruebas de Teams"}`}, 201, &added)
	test := added.Items[0].ID
	if resp.Header.Get("Location") != numberPath(test) {
		t.Errorf("Location = %q, want %q", resp.Header.Get("Location"), numberPath(test))
	}
	// A range with a number held already is refused whole, naming it.
	f.refused(t, call{as: staffPM, method: "POST", path: "/numbers", body: `{"customerId":"` + f.b.customer.ID +
		`","from":"+52 55 1234 0108","to":"+52 55 1234 0111"}`}, 409, "")

	for _, tt := range []struct {
		as, query string
		want      int
	}{
		{aAdmin, "", 18}, // 5 of the fixture, 2 porting in, 10 reserved, 1 test
		{aAdmin, "?state=reserved", 10},
		{aAdmin, "?q=525512340105", 1},
		{aAdmin, "?q=+52551234", 12},
		{aUser, "?limit=5&offset=15", 18},
		{bAdmin, "", 2},
		{staffTech, "?customerId=" + f.b.customer.ID, 2},
		{staffTech, "", 20},
	} {
		var l list[numberJSON]
		f.doJSON(call{as: tt.as, method: "GET", path: "/numbers" + tt.query}, 200, &l)
		if l.Total != tt.want {
			t.Errorf("GET /numbers%s as %s: total %d, want %d", tt.query, tt.as, l.Total, tt.want)
		}
		for _, n := range l.Items {
			if tt.as == aAdmin && n.CustomerID != f.a.customer.ID {
				t.Errorf("A's admin sees %s of customer %s", n.E164, n.CustomerID)
			}
		}
	}
	var counts numberCountsJSON
	f.doJSON(call{as: aAdmin, method: "GET", path: "/numbers/counts", lang: "en"}, 200, &counts)
	want := map[string]int{numbering.StateAvailable: 5, numbering.StateTest: 1, numbering.StateReserved: 10, numbering.StatePortingIn: 2}
	if counts.Total != 18 || len(counts.States) != len(numbering.States) || counts.States[0].Name != "Available" {
		t.Errorf("counts = %+v", counts)
	}
	for _, c := range counts.States {
		if c.Count != want[c.State] {
			t.Errorf("%s: %d numbers, want %d", c.State, c.Count, want[c.State])
		}
	}

	// A patch changes what it names; the customer's administrator may.
	f.doJSON(call{as: aAdmin, method: "PATCH", path: "/numbers/" + f.aNumber, body: `{"cnam":"ACME MTY","location":"Piso 3"}`}, 200, nil)
	var n numberJSON
	f.doJSON(call{as: aAdmin, method: "PATCH", path: "/numbers/" + f.aNumber, body: `{"note":"Recepción"}`,
		contentType: "application/merge-patch+json"}, 200, &n)
	if n.CNAM != "ACME MTY" || n.Location != "Piso 3" || n.Note != "Recepción" || n.Version != 3 {
		t.Errorf("patched = %+v", n)
	}

	// The customer assigns its numbers; staff reserve them.
	n = f.act(aAdmin, f.aNumber, `{"event":"assign","assignee":{"kind":"user","name":"Ana López","ref":"ana@a.example"}}`)
	if n.State != numbering.StateAssigned || n.AssigneeKind != numbering.AssigneeUser || n.AssigneeName != "Ana López" || n.AssigneeRef != "ana@a.example" {
		t.Errorf("assigned = %+v", n)
	}
	if n = f.act(aAdmin, f.aNumber, `{"event":"unassign"}`); n.State != numbering.StateAvailable || n.AssigneeName != "" {
		t.Errorf("unassigned = %+v", n)
	}
	if n = f.act(staffSupport, f.aNumber, `{"event":"reserve","note":"Para el conmutador"}`); n.State != numbering.StateReserved ||
		n.Note != "Para el conmutador" || n.CNAM != "ACME MTY" {
		t.Errorf("reserved = %+v", n)
	}
	// The customer releases its test number, not the others.
	f.refused(t, call{as: aAdmin, method: "POST", path: "/numbers/" + f.aNumber + "/actions", body: `{"event":"release"}`}, 403, "")
	if n = f.act(aAdmin, test, `{"event":"release"}`); n.State != numbering.StateReleased {
		t.Errorf("released = %+v", n)
	}
	f.refused(t, call{as: aAdmin, method: "PATCH", path: "/numbers/" + test, body: `{"cnam":"X"}`}, 409, "")
	var audited int
	must(t, f.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE object_id = $1`, f.aNumber).Scan(&audited))
	if audited != 5 {
		t.Errorf("audit entries of the number = %d, want 5 (two patches, three events)", audited)
	}
}

// TestNumberImport loads a CSV file in both ways the route takes it,
// reads it as the background job does, and reports its refused rows.
func TestNumberImport(t *testing.T) {
	f := newNumberFixture(t)
	csv := "numero,hasta,estado,cnam\r\n+52 55 1234 0300,+52 55 1234 0304,disponible,ACME\r\n5512340400,,prueba,\r\n" +
		"no es un número,,,\r\n+52 81 2000 0000,,,\r\n"
	c := multipartBody([][2]string{{"customerId", f.a.customer.ID}, {"file", ""}}, "numeros.csv", []byte(csv))
	c.as, c.path, c.lang = staffPM, "/numbers/imports", "en"
	var imp numberImportJSON
	resp := f.doJSON(c, http.StatusAccepted, &imp)
	if imp.Status != numbering.ImportRunning || imp.TotalRows != 4 || imp.FileName != "numeros.csv" || imp.CustomerID != f.a.customer.ID {
		t.Errorf("started import = %+v", imp)
	}
	if resp.Header.Get("Location") != Prefix+"/numbers/imports/"+imp.ID {
		t.Errorf("Location = %q", resp.Header.Get("Location"))
	}
	must(t, f.numbers.RunImport(f.pmCtx, imp.ID))
	f.doJSON(call{as: staffSupport, method: "GET", path: "/numbers/imports/" + imp.ID, lang: "en"}, 200, &imp)
	if imp.Status != numbering.ImportDone || imp.Created != 6 || imp.ErrorRows != 2 || imp.Percent != 100 || len(imp.Problems) != 2 {
		t.Fatalf("finished import = %+v", imp)
	}
	if p := imp.Problems[0]; p.Line != 4 || p.Column != "numero" || p.Detail == "" || strings.HasPrefix(p.Detail, "numbering.") {
		t.Errorf("first problem = %+v", p)
	}
	var l list[numberJSON]
	f.doJSON(call{as: aAdmin, method: "GET", path: "/numbers?state=test"}, 200, &l)
	if l.Total != 1 || l.Items[0].E164 != "+525512340400" {
		t.Errorf("test numbers = %+v", l.Items)
	}

	// The file as the body, the customer as the query parameter.
	f.doJSON(call{as: staffSupport, method: "POST", path: "/numbers/imports?customerId=" + f.b.customer.ID,
		body: "numero\n+52 55 1234 0500\n", contentType: "text/csv; charset=utf-8"}, http.StatusAccepted, &imp)
	if imp.TotalRows != 1 || imp.CustomerID != f.b.customer.ID || imp.FileName != csvBodyName {
		t.Errorf("text/csv import = %+v", imp)
	}
	f.refused(t, call{as: aAdmin, method: "GET", path: "/numbers/imports/" + imp.ID}, 404, "")
}

// TestNumberBadInput sends malformed and invalid requests as people who
// may make the change they aim at: each is refused with a problem naming
// the fault, and nothing changes.
func TestNumberBadInput(t *testing.T) {
	f := newNumberFixture(t)
	a := "/numbers/" + f.aNumber
	add := func(body string) call { return call{method: "POST", path: "/numbers", body: body} }
	customer := `"customerId":"` + f.a.customer.ID + `",`
	csv := func(body, query string) call {
		return call{method: "POST", path: "/numbers/imports" + query, body: body, contentType: "text/csv"}
	}
	form := func(fields [][2]string, content string) call {
		c := multipartBody(fields, "numeros.csv", []byte(content))
		c.path = "/numbers/imports"
		return c
	}
	huge := strings.Repeat("5512340001\n", numbering.MaxImportBytes/11+10000)
	staff := []refusal{
		{"malformed JSON", add(`{"from":`), 400, ""},
		{"unknown member", add(`{` + customer + `"from":"5512340600","colour":"red"}`), 400, "/colour"},
		{"number not a string", add(`{` + customer + `"from":5512340600}`), 400, "/from"},
		{"bad number", add(`{` + customer + `"from":"12345"}`), 422, "/from"},
		{"range of two countries", add(`{` + customer + `"from":"+52 55 1234 0600","to":"+49 30 1234567"}`), 422, "/to"},
		{"range too large", add(`{` + customer + `"from":"+52 55 1000 0000","to":"+52 55 1001 0000"}`), 422, "/to"},
		{"range backwards", add(`{` + customer + `"from":"+52 55 1234 0609","to":"+52 55 1234 0600"}`), 422, "/to"},
		{"state not addable", add(`{` + customer + `"from":"5512340600","state":"assigned"}`), 422, "/state"},
		{"no customer", add(`{"from":"5512340600"}`), 422, "/customerId"},
		{"caller name too long", add(`{` + customer + `"from":"5512340600","cnam":"ACME TELECOMUNICACIONES"}`), 422, "/cnam"},
		{"text body", call{method: "POST", path: "/numbers", body: "5512340600", contentType: "text/plain"}, 415, ""},
		{"unreserve an available number", call{method: "POST", path: a + "/actions", body: `{"event":"unreserve"}`}, 409, ""},
		{"bad state filter", call{method: "GET", path: "/numbers?state=lost"}, 400, "state"},
		{"unknown parameter", call{method: "GET", path: "/numbers?status=available"}, 400, "status"},
		{"limit above maximum", call{method: "GET", path: "/numbers?limit=201"}, 400, "limit"},
		{"counts paged", call{method: "GET", path: "/numbers/counts?limit=5"}, 400, "limit"},
		{"import as JSON", call{method: "POST", path: "/numbers/imports", body: `{"file":"x"}`}, 415, ""},
		{"import without customer", csv("numero\n5512340600\n", ""), 422, "customerId"},
		{"import without number column", csv("telefono_movil\n5512340600\n", "?customerId="+f.a.customer.ID), 422, "/file"},
		{"import empty", csv("", "?customerId="+f.a.customer.ID), 422, "/file"},
		{"import too large", csv(huge, "?customerId="+f.a.customer.ID), 413, ""},
		{"import with an unknown field", form([][2]string{{"customerId", f.a.customer.ID}, {"mode", "replace"}, {"file", ""}}, "numero\n5512340600\n"), 400, "mode"},
		{"import without a file", form([][2]string{{"customerId", f.a.customer.ID}}, ""), 422, "/file"},
		{"import malformed multipart", call{method: "POST", path: "/numbers/imports", body: "--x\r\nnot a part", contentType: "multipart/form-data; boundary=x"}, 400, ""},
		{"import of an unknown job", call{method: "GET", path: "/numbers/imports/nope"}, 404, ""},
	}
	customers := []refusal{
		{"patch unknown member", call{method: "PATCH", path: a, body: `{"state":"released"}`}, 400, "/state"},
		{"patch null", call{method: "PATCH", path: a, body: `null`}, 400, ""},
		{"patch caller name not a string", call{method: "PATCH", path: a, body: `{"cnam":15}`}, 400, "/cnam"},
		{"patch caller name with accents", call{method: "PATCH", path: a, body: `{"cnam":"Recepción"}`}, 422, "/cnam"},
		{"patch location too long", call{method: "PATCH", path: a, body: `{"location":"` + strings.Repeat("x", 501) + `"}`}, 422, "/location"},
		{"unknown event", call{method: "POST", path: a + "/actions", body: `{"event":"steal"}`}, 422, "/event"},
		{"event by the port order", call{method: "POST", path: a + "/actions", body: `{"event":"port_done"}`}, 409, ""},
		{"assign without a name", call{method: "POST", path: a + "/actions", body: `{"event":"assign","assignee":{"kind":"user","ref":"x@a.example"}}`}, 422, "/assignee/name"},
		{"assign to an unknown kind", call{method: "POST", path: a + "/actions", body: `{"event":"assign","assignee":{"kind":"fax","name":"Fax"}}`}, 422, "/assignee/kind"},
		{"assignee not an object", call{method: "POST", path: a + "/actions", body: `{"event":"assign","assignee":"Ana"}`}, 400, "/assignee"},
		{"action without a body", call{method: "POST", path: a + "/actions"}, 415, ""},
		{"parameter on a number", call{method: "GET", path: a + "?lang=de"}, 400, "lang"},
	}
	before := f.numberState()
	f.refuseAll(t, staffPM, staff)
	f.refuseAll(t, aAdmin, customers)
	if diff := cmp.Diff(before, f.numberState()); diff != "" {
		t.Errorf("bad input changed the data (-before +after):\n%s", diff)
	}
}
