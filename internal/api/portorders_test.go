package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/document/doctest"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/porting"
)

// portOrderBody is the body of a new order of customer tn, signed by its
// administrator, for the date, with the numbers at Telmex.
func portOrderBody(tn tenant, date string, numbers ...string) string {
	lines := make([]string, len(numbers))
	for i, n := range numbers {
		lines[i] = fmt.Sprintf(`{"number":%q,"carrier":"Telmex","accountNumber":"8112345678"}`, n)
	}
	return fmt.Sprintf(`{"customerId":%q,"requestedDate":%q,"signerUserId":%q,"accountName":"Acme SA de CV",
		"serviceAddress":"Av. Constitución 1, Monterrey","numbers":[%s]}`, tn.customer.ID, date, tn.adminID, strings.Join(lines, ","))
}

// portOrder reads an order through the API.
func (f *numberFixture) portOrder(as, id string) portOrderDetailJSON {
	f.t.Helper()
	var v portOrderDetailJSON
	f.doJSON(call{as: as, method: "GET", path: "/port-orders/" + id, lang: "en"}, 200, &v)
	return v
}

// portAction posts an action on an order as the PM and returns the order
// after it.
func (f *numberFixture) portAction(id, action string) portOrderDetailJSON {
	f.t.Helper()
	var v portOrderDetailJSON
	f.doJSON(call{as: staffPM, method: "POST", path: "/port-orders/" + id + "/actions", body: `{"action":"` + action + `"}`}, 200, &v)
	return v
}

// attach gives an order a document of a kind through the API.
func (f *numberFixture) attach(as, id, kind string) portOrderDetailJSON {
	f.t.Helper()
	c := multipartBody([][2]string{{"kind", kind}, {"file", ""}}, kind+".pdf", doctest.PDF(kind))
	c.as, c.path = as, "/port-orders/"+id+"/documents"
	var v portOrderDetailJSON
	f.doJSON(c, http.StatusCreated, &v)
	return v
}

// deliver posts a carrier event to the webhook as the gateway does,
// signed at the fixture's time.
func (f *numberFixture) deliver(ev carrier.Event) (*http.Response, []byte) {
	f.t.Helper()
	b, err := json.Marshal(ev)
	must(f.t, err)
	return f.do(call{method: "POST", path: "/carrier/events", body: string(b), header: signed(b, f.clock.Now())})
}

// signed is the signature header of a webhook body sent at t.
func signed(body []byte, t time.Time) http.Header {
	return http.Header{carrier.SignatureHeader: {carrier.Sign(carrierSecret, body, t)}}
}

// event is a carrier event on an order, happening now.
func (f *numberFixture) event(id, orderID, kind string) carrier.Event {
	return carrier.Event{ID: id, Reference: orderID, OrderID: "PO-" + orderID, Kind: kind, OccurredAt: f.clock.Now()}
}

// submitted takes a fixture order through its documents, its LOA and the
// signature of the customer's administrator to the carrier, as the
// services do, and returns it as submitted.
func (f *numberFixture) submitted(id string, tn tenant) *porting.Order {
	f.t.Helper()
	for _, kind := range porting.RequiredDocs {
		file, err := f.api.Documents.Receive(bytes.NewReader(doctest.PDF(kind)))
		must(f.t, err)
		_, err = f.porting.Attach(f.pmCtx, id, porting.Upload{Kind: kind, FileName: kind + ".pdf", File: file})
		file.Close()
		must(f.t, err)
	}
	v, err := f.porting.SendForSignature(f.pmCtx, id)
	must(f.t, err)
	signer := enlace.WithActor(f.ctx, &enlace.Actor{UserID: tn.adminID, CustomerID: tn.customer.ID, CustomerRole: identity.RoleAdmin})
	_, err = f.porting.Sign(signer, id, porting.SignInput{Name: "Rita Solicitante", Kind: porting.SignatureTyped, Agree: true,
		SHA256: v.Order.LOASHA256})
	must(f.t, err)
	v, err = f.porting.Submit(f.pmCtx, id)
	must(f.t, err)
	return v.Order
}

// portState is what refused port order requests must leave as it was.
func (f *numberFixture) portState() map[string]string {
	f.t.Helper()
	return f.snapshot(`SELECT COUNT(*) FROM port_orders`, `SELECT MAX(updated_at) FROM port_orders`, `SELECT SUM(version) FROM port_orders`,
		`SELECT COUNT(*) FROM port_order_lines`, `SELECT COUNT(*) FROM numbers`, `SELECT SUM(version) FROM numbers`,
		`SELECT COUNT(*) FROM documents`, `SELECT COUNT(*) FROM carrier_events`, `SELECT COUNT(*) FROM audit_log`,
		`SELECT COUNT(*) FROM notifications`, `SELECT COUNT(*) FROM jobs`)
}

// TestPortOrderLifecycle takes an order through the API from entry to
// completion: corrected, documented by the customer, its LOA signed by
// the customer's administrator, submitted, answered by the carrier's
// webhook with one number rejected, its number shown, assigned and
// confirmed, ported and completed.
func TestPortOrderLifecycle(t *testing.T) {
	f := newNumberFixture(t)
	var v portOrderDetailJSON
	resp := f.doJSON(call{as: staffPM, method: "POST", path: "/port-orders", lang: "en",
		body: portOrderBody(f.a, "2026-12-15", "+52 55 1234 0101", "55 1234 0102")}, http.StatusCreated, &v)
	if resp.Header.Get("Location") != portOrderPath(v.ID) {
		t.Errorf("Location = %q", resp.Header.Get("Location"))
	}
	if !strings.HasPrefix(v.Folio, "PORT-2026-") || v.State != porting.StateDraft || v.StateName != "Draft" || v.RequestedDate != "2026-12-15" ||
		v.CustomerName != "Acme" || v.SignerEmail != "admin@a.example" || v.NumberCount != 2 || v.LOAURL != "" || v.Events == nil {
		t.Errorf("created %+v", v.portOrderJSON)
	}
	if len(v.Lines) != 2 || v.Lines[1].E164 != "+525512340102" || v.Lines[1].NumberState != numbering.StatePortingIn {
		t.Errorf("lines = %+v", v.Lines)
	}
	// With no documents, the earliest date is three weeks from today, past
	// the Revolution Day holiday.
	if e := v.Earliest; e.Date != "2026-11-23" || !cmp.Equal(e.Missing, porting.RequiredDocs) || !strings.Contains(e.Explanation, "2026-11-23") {
		t.Errorf("earliest = %+v", e)
	}

	// A correction replaces the numbers: one given up, one brought in.
	f.doJSON(call{as: staffPM, method: "PUT", path: "/port-orders/" + v.ID,
		body: portOrderBody(f.a, "2026-12-15", "+52 55 1234 0101", "+52 55 1234 0103")}, 200, &v)
	var l list[numberJSON]
	f.doJSON(call{as: aAdmin, method: "GET", path: "/numbers?state=porting_in&q=52551234010"}, 200, &l)
	if l.Total != 2 || l.Items[0].E164 != "+525512340101" || l.Items[1].E164 != "+525512340103" {
		t.Errorf("numbers porting in = %+v", l.Items)
	}

	// The customer gives the CSR and the bill.
	f.attach(aAdmin, v.ID, porting.DocCSR)
	v = f.attach(aAdmin, v.ID, porting.DocPhoneBill)
	if len(v.Documents) != 2 || len(v.Earliest.Missing) != 0 || v.Documents[0].ContentURL == "" {
		t.Errorf("documented: %d documents, earliest %+v", len(v.Documents), v.Earliest)
	}

	// The LOA goes to the signer, who downloads exactly what they sign.
	v = f.portAction(v.ID, "send_for_signature")
	if v.State != porting.StateAwaitingSignature || v.LOAURL != portOrderPath(v.ID)+"/loa" || len(v.LOASHA256) != 64 {
		t.Fatalf("sent for signature: %s, LOA at %q, sha %q", v.State, v.LOAURL, v.LOASHA256)
	}
	resp, pdf := f.do(call{as: aAdmin, method: "GET", path: "/port-orders/" + v.ID + "/loa"})
	if sum := sha256.Sum256(pdf); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" ||
		hex.EncodeToString(sum[:]) != v.LOASHA256 {
		t.Fatalf("LOA download = %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(pdf))
	}
	f.doJSON(call{as: aAdmin, method: "POST", path: "/port-orders/" + v.ID + "/signature",
		body:   `{"name":"Rita Solicitante","kind":"typed","agree":true,"sha256":"` + v.LOASHA256 + `"}`,
		header: http.Header{"User-Agent": {"IntegracionERP/2.1"}}}, http.StatusCreated, &v)
	if v.State != porting.StateSigned || v.Signature == nil || v.Signature.Name != "Rita Solicitante" ||
		v.Signature.UserAgent != "IntegracionERP/2.1" || v.Signature.IP == "" || v.Signature.DocumentSHA256 != v.LOASHA256 {
		t.Fatalf("signed: %s, signature %+v", v.State, v.Signature)
	}
	if _, signedPDF := f.do(call{as: aAdmin, method: "GET", path: "/port-orders/" + v.ID + "/loa"}); bytes.Equal(signedPDF, pdf) {
		t.Error("the LOA after signing is still the unsigned one")
	}

	// Submitted, the carrier accepts one number and rejects the other.
	if v = f.portAction(v.ID, "submit"); v.State != porting.StateSubmitted || v.Submissions != 1 {
		t.Fatalf("submitted: %s, %d submissions", v.State, v.Submissions)
	}
	f.clock.Advance(time.Hour)
	f.deliverOK(f.event("ev-1", v.ID, porting.EventReceived))
	f.clock.Advance(time.Hour)
	accepted := f.event("ev-2", v.ID, porting.EventAccepted)
	accepted.FOCDate, accepted.Numbers = "2026-12-15", []porting.EventNumber{{E164: "+525512340103", Status: porting.LineRejected, Reason: "No está en el CSR"}}
	f.deliverOK(accepted)
	v = f.portOrder(staffPM, v.ID)
	if v.State != porting.StateConfirmed || v.FOCDate != "2026-12-15" || v.CarrierRef != "PO-"+v.ID || len(v.Events) != 2 ||
		!v.Events[1].Applied || v.Events[1].KindName == "" || v.Events[1].Payload == nil {
		t.Fatalf("confirmed: %s, FOC %q, ref %q, events %+v", v.State, v.FOCDate, v.CarrierRef, v.Events)
	}
	if v.Lines[0].Status != porting.LineAccepted || v.Lines[1].Status != porting.LineRejected || v.Lines[1].Reason != "No está en el CSR" {
		t.Errorf("lines = %+v", v.Lines)
	}
	if customer := f.portOrder(aAdmin, v.ID); customer.Events != nil {
		t.Errorf("the customer sees the carrier's events: %+v", customer.Events)
	}

	// The number appears for assignment, is assigned and confirmed.
	if v = f.portAction(v.ID, "publish"); v.VisibleAt == nil {
		t.Fatalf("published: visible at %v", v.VisibleAt)
	}
	accepted101 := v.Lines[0].NumberID
	f.act(aAdmin, accepted101, `{"event":"assign","assignee":{"kind":"call_queue","name":"Recepción","ref":"recepcion@a.example"}}`)
	if v = f.portAction(v.ID, "confirm_assigned"); v.AssignedConfirmedAt == nil {
		t.Fatalf("confirmed assigned at %v", v.AssignedConfirmedAt)
	}
	f.clock.Advance(time.Hour)
	f.deliverOK(f.event("ev-3", v.ID, porting.EventPorted))
	if v = f.portAction(v.ID, "complete"); v.State != porting.StateCompleted || v.CompletedAt == nil {
		t.Fatalf("completed: %s", v.State)
	}
	if n := f.number(aAdmin, accepted101); n.State != numbering.StatePorted || n.AssigneeName != "Recepción" || n.PortOrderID != v.ID {
		t.Errorf("ported number = %+v", n)
	}
	if n := f.number(staffPM, v.Lines[1].NumberID); n.State != numbering.StateReleased {
		t.Errorf("rejected number = %+v", n)
	}
	var orders list[portOrderJSON]
	f.doJSON(call{as: aAdmin, method: "GET", path: "/port-orders?state=completed"}, 200, &orders)
	if orders.Total != 1 || orders.Items[0].ID != v.ID || orders.Items[0].FOCDate != "2026-12-15" {
		t.Errorf("completed orders = %+v", orders.Items)
	}
}

// deliverOK posts a carrier event and checks the webhook takes it.
func (f *numberFixture) deliverOK(ev carrier.Event) {
	f.t.Helper()
	resp, body := f.deliver(ev)
	var ack carrierAckJSON
	if resp.StatusCode != 200 || json.Unmarshal(body, &ack) != nil || ack.EventID != ev.ID || ack.OrderID != ev.Reference {
		f.t.Fatalf("deliver %s %s = %d %s", ev.Kind, ev.ID, resp.StatusCode, body)
	}
}

// TestPortOrderListsAndCancel filters the list as staff and customers,
// and cancels an order, giving its numbers up.
func TestPortOrderListsAndCancel(t *testing.T) {
	f := newNumberFixture(t)
	for _, tt := range []struct {
		as, query string
		want      []string
	}{
		{staffTech, "", []string{f.bOrder, f.aOrder}},
		{staffTech, "?customerId=" + f.b.customer.ID, []string{f.bOrder}},
		{staffTech, "?state=draft&open=true&limit=1&offset=1", []string{f.aOrder}},
		{aAdmin, "", []string{f.aOrder}},
		{aViewer, "", []string{f.aOrder}},
		{aUser, "", nil},
		{bAdmin, "?open=true", []string{f.bOrder}},
	} {
		var l list[portOrderJSON]
		f.doJSON(call{as: tt.as, method: "GET", path: "/port-orders" + tt.query}, 200, &l)
		var got []string
		for _, o := range l.Items {
			got = append(got, o.ID)
		}
		if !cmp.Equal(got, tt.want) {
			t.Errorf("GET /port-orders%s as %s = %v, want %v", tt.query, tt.as, got, tt.want)
		}
	}
	var v portOrderDetailJSON
	f.doJSON(call{as: staffPM, method: "POST", path: "/port-orders/" + f.bOrder + "/actions",
		body: `{"action":"cancel","reason":"El cliente se queda con su operador"}`}, 200, &v)
	if v.State != porting.StateCancelled || v.Reason != "El cliente se queda con su operador" || v.CancelledAt == nil {
		t.Errorf("cancelled: %+v", v.portOrderJSON)
	}
	if n := f.number(staffPM, v.Lines[0].NumberID); n.State != numbering.StateReleased {
		t.Errorf("number of the cancelled order = %+v", n)
	}
	var l list[portOrderJSON]
	if f.doJSON(call{as: bAdmin, method: "GET", path: "/port-orders?open=true"}, 200, &l); l.Total != 0 {
		t.Errorf("B's open orders = %+v", l.Items)
	}
}

// TestPortOrderBadInput sends malformed and invalid requests as people
// who may make the change they aim at: each is refused with a problem
// naming the fault, and nothing changes.
func TestPortOrderBadInput(t *testing.T) {
	f := newNumberFixture(t)
	a := "/port-orders/" + f.aOrder
	good := portOrderBody(f.a, "2026-12-15", "+52 55 1234 0201")
	with := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	create := func(body string) call { return call{method: "POST", path: "/port-orders", body: body} }
	action := func(body string) call { return call{method: "POST", path: a + "/actions", body: body} }
	upload := func(fields [][2]string, name string, content []byte) call {
		c := multipartBody(fields, name, content)
		c.path = a + "/documents"
		return c
	}
	staff := []refusal{
		{"malformed JSON", create(`{"customerId":`), 400, ""},
		{"unknown member", create(with(`"customerId"`, `"priority":"high","customerId"`)), 400, "/priority"},
		{"numbers not an array", create(`{"customerId":"` + f.a.customer.ID + `","numbers":"5512340201"}`), 400, "/numbers"},
		{"date not a string", create(with(`"2026-12-15"`, `20261215`)), 400, "/requestedDate"},
		{"date not a day", create(with(`2026-12-15`, `15/12/2026`)), 422, "/requestedDate"},
		{"date past", create(with(`2026-12-15`, `2026-10-01`)), 422, "/requestedDate"},
		{"no date", create(with(`2026-12-15`, ``)), 422, "/requestedDate"},
		{"bad number", create(portOrderBody(f.a, "2026-12-15", "+52 55 1234 0201", "12345")), 422, "/numbers/1"},
		{"number twice", create(portOrderBody(f.a, "2026-12-15", "+52 55 1234 0201", "55 1234 0201")), 422, "/numbers/1"},
		{"number held", create(portOrderBody(f.a, "2026-12-15", "+52 81 2000 0000")), 422, "/numbers/0"},
		{"no numbers", create(portOrderBody(f.a, "2026-12-15")), 422, "/numbers"},
		{"no carrier", create(with(`"Telmex"`, `" "`)), 422, "/numbers/0"},
		{"unknown customer", create(with(f.a.customer.ID, "nope")), 422, "/customerId"},
		{"signer without the right", create(with(f.a.adminID, f.a.userID)), 422, "/signerUserId"},
		{"no account name", create(with(`"Acme SA de CV"`, `""`)), 422, "/accountName"},
		{"text body", call{method: "POST", path: "/port-orders", body: good, contentType: "text/plain"}, 415, ""},
		{"replace with a bad date", call{method: "PUT", path: a, body: with(`2026-12-15`, `mañana`)}, 422, "/requestedDate"},
		{"replace with a bad number", call{method: "PUT", path: a, body: portOrderBody(f.a, "2026-12-15", "x")}, 422, "/numbers/0"},
		{"unknown action", action(`{"action":"expedite"}`), 422, "/action"},
		{"action not a string", action(`{"action":1}`), 400, "/action"},
		{"action without a body", call{method: "POST", path: a + "/actions"}, 415, ""},
		{"cancel without a reason", action(`{"action":"cancel"}`), 422, "/reason"},
		{"submit a draft", action(`{"action":"submit"}`), 409, ""},
		{"publish a draft", action(`{"action":"publish"}`), 409, ""},
		{"complete a draft", action(`{"action":"complete"}`), 409, ""},
		{"LOA of a draft", call{method: "GET", path: a + "/loa"}, 404, ""},
		{"bad state filter", call{method: "GET", path: "/port-orders?state=lost"}, 400, "state"},
		{"bad open filter", call{method: "GET", path: "/port-orders?open=maybe"}, 400, "open"},
		{"unknown parameter", call{method: "GET", path: "/port-orders?folio=PORT-1"}, 400, "folio"},
	}
	customers := []refusal{
		{"document of an unknown kind", upload([][2]string{{"kind", "contract"}, {"file", ""}}, "x.pdf", doctest.PDF("x")), 422, "/kind"},
		{"document not a document", upload([][2]string{{"kind", "csr"}, {"file", ""}}, "x.exe", doctest.EXE()), 422, "/file"},
		{"document without a file", upload([][2]string{{"kind", "csr"}}, "", nil), 422, "/file"},
		{"document with an unknown field", upload([][2]string{{"kind", "csr"}, {"title", "CSR"}, {"file", ""}}, "x.pdf", doctest.PDF("x")), 400, "title"},
		{"document as JSON", call{method: "POST", path: a + "/documents", body: `{"kind":"csr"}`}, 415, ""},
		{"signature on a draft", call{method: "POST", path: a + "/signature", body: `{"name":"Rita","kind":"typed","agree":true,"sha256":""}`}, 409, ""},
		{"signature agreement not a boolean", call{method: "POST", path: a + "/signature", body: `{"name":"Rita","kind":"typed","agree":"yes"}`}, 400, "/agree"},
		{"signature unknown member", call{method: "POST", path: a + "/signature", body: `{"name":"Rita","ip":"10.0.0.1"}`}, 400, "/ip"},
	}
	before := f.portState()
	f.refuseAll(t, staffPM, staff)
	f.refuseAll(t, aAdmin, customers)
	if diff := cmp.Diff(before, f.portState()); diff != "" {
		t.Errorf("bad input changed the data (-before +after):\n%s", diff)
	}
}
