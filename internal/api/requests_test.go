package api

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/document/doctest"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// requestFixture is the fixture with the service desk wired in: a site
// and a telco service for each of A and B (on their first billing
// account), a read-only technical contact of A who sees that account, and
// an incident on each customer's service raised by its administrator with
// a PDF attached.
type requestFixture struct {
	*fixture
	requests     *servicedesk.Service
	aSite, bSite string
	aReq, bReq   requestDetailJSON
	techID       string
}

// Service keys of the fixture's services.
const (
	aServiceKey = "A-TEL-001"
	bServiceKey = "B-TEL-001"
)

func newRequestFixture(t testing.TB) *requestFixture {
	t.Helper()
	f := &requestFixture{fixture: newFixture(t)}
	f.requests = f.withRequests()
	f.addViewer()
	f.aSite, f.bSite = f.service(f.a, aServiceKey), f.service(f.b, bServiceKey)
	var me struct{ ID string }
	f.doJSON(call{as: staffTech, method: "GET", path: "/me"}, 200, &me)
	f.techID = me.ID
	f.aReq = f.raise(aAdmin, incident(aServiceKey, attachmentJSONOf("", "fotos.pdf", doctest.PDF("A"))))
	f.bReq = f.raise(bAdmin, incident(bServiceKey, attachmentJSONOf("", "fotos.pdf", doctest.PDF("B"))))
	return f
}

// service adds a site and a telco service with key to the tenant's first
// billing account and returns the site's id.
func (f *requestFixture) service(tn tenant, key string) string {
	f.t.Helper()
	site := inventory.Site{ID: enlace.NewID(), CustomerID: tn.customer.ID, Name: "Matriz " + tn.customer.Name,
		AddressLine1: "Av. Constitución 1", City: "Monterrey", PostalCode: "64000", State: "NLE", Country: "MX"}
	must(f.t, f.store.CreateSite(f.ctx, &site))
	v := inventory.Service{ID: enlace.NewID(), CustomerID: tn.customer.ID, BillingAccountID: tn.accounts[0].ID,
		SiteID: site.ID, Key: key, Category: inventory.CategoryTelco, Product: "SIP trunk", Status: "active"}
	must(f.t, f.store.CreateService(f.ctx, &v))
	return site.ID
}

// incident is the body of a telco incident on a service, with files.
func incident(serviceKey string, files ...string) string {
	return fmt.Sprintf(`{"type":"telco_support","serviceKey":%q,"description":"Sin tono en la troncal",
		"fields":{"impact":"whole_site","contact_phone":"81 1234 5678"},"attachments":[%s]}`,
		serviceKey, strings.Join(files, ","))
}

// attachmentJSONOf is one member of a new request's attachments.
func attachmentJSONOf(key, name string, content []byte) string {
	return fmt.Sprintf(`{"key":%q,"fileName":%q,"contentBase64":%q}`, key, name, base64.StdEncoding.EncodeToString(content))
}

// raise creates a request through the API and returns it.
func (f *requestFixture) raise(as, body string) requestDetailJSON {
	f.t.Helper()
	var v requestDetailJSON
	resp := f.doJSON(call{as: as, method: "POST", path: "/requests", body: body}, http.StatusCreated, &v)
	if want := requestPath(v.ID); resp.Header.Get("Location") != want {
		f.t.Errorf("Location = %q, want %q", resp.Header.Get("Location"), want)
	}
	return v
}

// act posts an action on a request and returns the request after it.
func (f *requestFixture) act(as, id, action, body string) requestDetailJSON {
	f.t.Helper()
	var v requestDetailJSON
	f.doJSON(call{as: as, method: "POST", path: "/requests/" + id + "/actions/" + action, body: body}, 200, &v)
	return v
}

// refused sends c and checks it gets a problem with status naming field
// (when not empty).
func (f *requestFixture) refused(t testing.TB, c call, status int, field string) {
	t.Helper()
	resp, body := f.do(c)
	p := checkProblem(t, resp, body, status)
	if field != "" && !hasField(p, field) {
		t.Errorf("%s %s as %q: problem %+v names no %s", c.method, c.path, c.as, p, field)
	}
}

// requestState is what refused requests must leave as it was.
func (f *requestFixture) requestState() map[string]string {
	f.t.Helper()
	out := map[string]string{}
	for _, q := range []string{`SELECT COUNT(*) FROM requests`, `SELECT MAX(updated_at) FROM requests`,
		`SELECT COUNT(*) FROM request_comments`, `SELECT COUNT(*) FROM request_events`,
		`SELECT COUNT(*) FROM request_steps WHERE done_at IS NOT NULL`, `SELECT COUNT(*) FROM request_surveys`,
		`SELECT SUM(n) FROM request_counts`, `SELECT COUNT(*) FROM documents WHERE retired_at IS NULL`,
		`SELECT COUNT(*) FROM audit_log`, `SELECT COUNT(*) FROM notifications`, `SELECT COUNT(*) FROM messages`,
		`SELECT COUNT(*) FROM jobs`} {
		var v any
		must(f.t, f.db.QueryRow(q).Scan(&v))
		out[q] = fmt.Sprint(v)
	}
	return out
}

func TestRequestTypes(t *testing.T) {
	f := newRequestFixture(t)
	var l list[requestTypeJSON]
	f.doJSON(call{as: aUser, method: "GET", path: "/request-types?kind=administrative&limit=200", lang: "en"}, 200, &l)
	if l.Total == 0 || l.Total != len(l.Items) {
		t.Fatalf("administrative types = %d of %d", len(l.Items), l.Total)
	}
	for _, tp := range l.Items {
		if tp.Kind != "administrative" || tp.Category != servicedesk.CategoryAdministrative || tp.MayRaise {
			t.Errorf("type %s: kind %s, category %s, may raise %v; want administrative ones the read-only user may not raise",
				tp.Key, tp.Kind, tp.Category, tp.MayRaise)
		}
	}
	var tp requestTypeJSON
	f.doJSON(call{as: aAdmin, method: "GET", path: "/request-types/billing_clarification", lang: "de"}, 200, &tp)
	want := map[string]string{"es-MX": "Aclaración de factura", "en": "Invoice clarification", "de": "Rechnungsklärung"}
	if tp.Name != "Rechnungsklärung" || !cmp.Equal(tp.Names, want) || !tp.MayRaise || tp.QueueName != "Verwaltung und Abrechnung" {
		t.Errorf("billing_clarification = %q %v, may raise %v, queue %q", tp.Name, tp.Names, tp.MayRaise, tp.QueueName)
	}
	if len(tp.Attachments) != 1 || tp.Attachments[0] != (attachmentSpecJSON{Key: "invoice", Label: "Rechnung (PDF)", Required: true}) {
		t.Errorf("attachments = %+v", tp.Attachments)
	}
	if len(tp.Fields) == 0 || tp.Fields[0].Key != "invoice_number" || !tp.Fields[0].Required || len(tp.Checklist) == 0 {
		t.Errorf("form %+v, checklist %+v", tp.Fields, tp.Checklist)
	}
	f.doJSON(call{as: staffTech, method: "GET", path: "/request-types/telco_support"}, 200, &tp)
	if opts := tp.Fields[0].Options; len(opts) != 3 || opts[2].Label != "Todo el sitio" {
		t.Errorf("impact options = %+v", opts)
	}
	f.refused(t, call{as: aAdmin, method: "GET", path: "/request-types/nope"}, 404, "")
	f.refused(t, call{as: aAdmin, method: "GET", path: "/request-types?kind=secret"}, 400, "kind")
}

// TestRequestLifecycle raises an incident from a service key and works it
// through its phases: assigned, in progress, waiting on the customer (a
// customer's reply resumes it), resolved once the checklist is done,
// closed by the requester, who answers the survey once.
func TestRequestLifecycle(t *testing.T) {
	f := newRequestFixture(t)
	v := f.raise(aAdmin, `{"type":"telco_support","serviceKey":"a-tel-001","description":"Sin tono",
		"fields":{"impact":"one_user","contact_phone":"81 1234 5678"}}`)
	if !strings.HasPrefix(v.Folio, "REQ-2026-") || v.Channel != servicedesk.ChannelAPI || v.CustomerID != f.a.customer.ID ||
		v.BillingAccountID != f.a.accounts[0].ID || v.SiteID != f.aSite || v.ServiceKey != aServiceKey ||
		v.Phase != servicedesk.PhaseNew || v.Fields["contact_phone"] != "+528112345678" || v.Subject == "" {
		t.Errorf("created %+v", v.requestJSON)
	}
	if len(v.Checklist) != 4 || len(v.Events) != 1 || len(v.Comments) != 0 || v.Survey != nil ||
		!slices.Contains(v.Actions, "cancel") || slices.Contains(v.Actions, "start") {
		t.Errorf("checklist %d, events %d, comments %d, survey %v, actions %v", len(v.Checklist), len(v.Events),
			len(v.Comments), v.Survey, v.Actions)
	}
	id := v.ID
	v = f.act(staffTech, id, "assign", `{"assigneeId":"`+f.techID+`","queue":"voice"}`)
	if v.Phase != servicedesk.PhaseAssigned || v.AssigneeID != f.techID {
		t.Errorf("assigned: phase %s, agent %s", v.Phase, v.AssigneeID)
	}
	f.act(staffTech, id, "start", "")
	v = f.act(staffTech, id, "wait", `{"reason":"Necesitamos una foto del equipo"}`)
	if v.Phase != servicedesk.PhaseWaitingCustomer || v.PausedAt == nil || v.PhaseReason != "Necesitamos una foto del equipo" {
		t.Errorf("waiting: phase %s, paused %v, reason %q", v.Phase, v.PausedAt, v.PhaseReason)
	}
	f.doJSON(call{as: aAdmin, method: "POST", path: "/requests/" + id + "/comments", body: `{"body":"Adjunto la foto"}`}, 201, &v)
	if v.Phase != servicedesk.PhaseInProgress || len(v.Comments) != 1 {
		t.Errorf("after the customer's reply: phase %s, %d comments", v.Phase, len(v.Comments))
	}

	// Resolving waits for every mandatory step of the checklist.
	f.refused(t, call{as: staffTech, method: "POST", path: "/requests/" + id + "/actions/resolve", body: `{"resolution":"Se reinició"}`},
		422, "/checklist")
	for _, st := range v.Checklist {
		var after requestDetailJSON
		f.doJSON(call{as: staffTech, method: "PUT", path: "/requests/" + id + "/checklist/" + st.Key, body: `{"done":true}`}, 200, &after)
		if i := slices.IndexFunc(after.Checklist, func(s stepJSON) bool { return s.Key == st.Key }); after.Checklist[i].DoneAt == nil ||
			after.Checklist[i].DoneBy != f.techID {
			t.Errorf("step %s after ticking = %+v", st.Key, after.Checklist[i])
		}
	}
	var steps list[stepJSON]
	f.doJSON(call{as: aAdmin, method: "GET", path: "/requests/" + id + "/checklist", lang: "en"}, 200, &steps)
	if steps.Total != 4 || steps.Items[0].Label != "Report received" || steps.Items[0].DoneAt == nil {
		t.Errorf("checklist = %+v", steps)
	}
	v = f.act(staffTech, id, "resolve", `{"resolution":"Se reinició el equipo"}`)
	if v.Phase != servicedesk.PhaseResolved || v.Resolution != "Se reinició el equipo" || v.ResolvedAt == nil {
		t.Errorf("resolved: %s %q %v", v.Phase, v.Resolution, v.ResolvedAt)
	}
	f.refused(t, call{as: aAdmin, method: "POST", path: "/requests/" + id + "/survey", body: `{"score":5}`}, 409, "")
	v = f.act(aAdmin, id, "close", "")
	if v.Phase != servicedesk.PhaseClosed || !v.MayAnswer {
		t.Errorf("closed: %s, may answer %v", v.Phase, v.MayAnswer)
	}

	// The survey is answered once.
	f.doJSON(call{as: aAdmin, method: "POST", path: "/requests/" + id + "/survey", body: `{"score":4,"comment":"Rápido"}`}, 201, &v)
	if v.Survey == nil || v.Survey.Score != 4 || v.MayAnswer {
		t.Errorf("survey = %+v, may answer %v", v.Survey, v.MayAnswer)
	}
	f.refused(t, call{as: aAdmin, method: "POST", path: "/requests/" + id + "/survey", body: `{"score":1}`}, 409, "")
	var results list[servicedesk.SurveyResult]
	f.doJSON(call{as: staffAdmin, method: "GET", path: "/surveys?by=agent"}, 200, &results)
	if results.Total != 1 || results.Items[0].Key != f.techID || results.Items[0].Answers != 1 || results.Items[0].Average != 4 {
		t.Errorf("surveys by agent = %+v", results.Items)
	}
	f.doJSON(call{as: staffAdmin, method: "GET", path: "/surveys?by=category&since=2026-01-01T00:00:00Z", lang: "en"}, 200, &results)
	if results.Total != 1 || results.Items[0].Key != "telco" || results.Items[0].Name != "Telco" {
		t.Errorf("surveys by category = %+v", results.Items)
	}
	f.refused(t, call{as: aAdmin, method: "GET", path: "/surveys"}, 403, "")

	f.refused(t, call{as: aAdmin, method: "POST", path: "/requests/" + id + "/comments", body: `{"body":"¿Sigue?"}`}, 409, "")
	f.refused(t, call{as: staffAdmin, method: "DELETE", path: "/requests/" + id}, 409, "")
	var events int
	must(t, f.db.QueryRow(`SELECT COUNT(*) FROM request_events WHERE request_id = $1`, id).Scan(&events))
	if events != 7 { // new, assigned, in progress, waiting, in progress, resolved, closed
		t.Errorf("events = %d, want 7", events)
	}
}

// TestRequestInternalNotes holds the provider's internal notes back from
// customer tokens on every route that shows the thread.
func TestRequestInternalNotes(t *testing.T) {
	f := newRequestFixture(t)
	id := f.aReq.ID
	path := "/requests/" + id + "/comments"
	f.doJSON(call{as: staffTech, method: "POST", path: path, body: `{"body":"Nota interna: revisar el SBC","internal":true}`}, 201, nil)
	f.doJSON(call{as: staffTech, method: "POST", path: path, body: `{"body":"Estamos revisando"}`}, 201, nil)
	f.refused(t, call{as: aAdmin, method: "POST", path: path, body: `{"body":"x","internal":true}`}, 403, "")
	for _, tt := range []struct {
		as   string
		want int
	}{{staffTech, 2}, {staffAdmin, 2}, {aAdmin, 1}, {aViewer, 1}} {
		var l list[servicedesk.Comment]
		f.doJSON(call{as: tt.as, method: "GET", path: path}, 200, &l)
		var v requestDetailJSON
		f.doJSON(call{as: tt.as, method: "GET", path: "/requests/" + id}, 200, &v)
		if l.Total != tt.want || len(v.Comments) != tt.want {
			t.Errorf("%s sees %d comments (%d in the request), want %d", tt.as, l.Total, len(v.Comments), tt.want)
		}
		_, body := f.do(call{as: tt.as, method: "GET", path: "/requests/" + id})
		if hidden := !bytes.Contains(body, []byte("Nota interna")); hidden != (tt.want == 1) {
			t.Errorf("%s: internal note hidden = %v", tt.as, hidden)
		}
	}
}

// TestRequestAttachments raises an administrative request with the
// invoice it needs, adds a file by multipart, and downloads both, each
// download audited; a document of another request is not found there.
func TestRequestAttachments(t *testing.T) {
	f := newRequestFixture(t)
	invoice := doctest.PDF("Factura F-A-1")
	v := f.raise(aAdmin, `{"type":"billing_clarification","description":"Cargo duplicado",
		"fields":{"invoice_number":"F-A-1","amount":"1200.50"},
		"attachments":[`+attachmentJSONOf("invoice", "factura.pdf", invoice)+`]}`)
	if len(v.Attachments) != 1 || v.Attachments[0].RequestID != v.ID || v.Attachments[0].Size != int64(len(invoice)) {
		t.Fatalf("attachments = %+v", v.Attachments)
	}
	c := multipartBody([][2]string{{"file", ""}, {"key", ""}}, "carta.pdf", doctest.PDF("Carta"))
	c.as, c.path = aAdmin, "/requests/"+v.ID+"/attachments"
	f.doJSON(c, http.StatusCreated, &v)
	var l list[attachmentJSON]
	f.doJSON(call{as: staffTech, method: "GET", path: "/requests/" + v.ID + "/attachments"}, 200, &l)
	if l.Total != 2 || len(v.Attachments) != 2 {
		t.Fatalf("attachments = %d listed, %d in the request", l.Total, len(v.Attachments))
	}
	for _, d := range l.Items {
		if d.ContentURL != requestPath(v.ID)+"/attachments/"+d.ID {
			t.Errorf("content URL = %q", d.ContentURL)
		}
	}
	i := slices.IndexFunc(l.Items, func(d attachmentJSON) bool { return d.FileName == "factura.pdf" })
	resp, body := f.do(call{as: aAdmin, method: "GET", path: strings.TrimPrefix(l.Items[i].ContentURL, Prefix)})
	if resp.StatusCode != 200 || !bytes.Equal(body, invoice) || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("download = %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	var audited int
	must(t, f.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'document.download' AND object_id = $1`,
		l.Items[i].ID).Scan(&audited))
	if audited != 1 {
		t.Errorf("downloads audited = %d, want 1", audited)
	}
	f.refused(t, call{as: aAdmin, method: "GET", path: "/requests/" + f.aReq.ID + "/attachments/" + l.Items[i].ID}, 404, "")
}

// TestRequestListsAndCounts filters the list and counts by phase and by
// site as staff and as each customer.
func TestRequestListsAndCounts(t *testing.T) {
	f := newRequestFixture(t)
	f.act(staffTech, f.bReq.ID, "start", "")
	tests := []struct {
		as, query string
		want      []string
	}{
		{staffAdmin, "", []string{f.bReq.ID, f.aReq.ID}},
		{staffAdmin, "?customerId=" + f.a.customer.ID, []string{f.aReq.ID}},
		{staffAdmin, "?phase=in_progress", []string{f.bReq.ID}},
		{staffAdmin, "?assigneeId=me", nil},
		{staffTech, "?assigneeId=me", []string{f.bReq.ID}},
		{staffTech, "?unassigned=true&open=true", []string{f.aReq.ID}},
		{staffTech, "?serviceKey=" + bServiceKey, []string{f.bReq.ID}},
		{staffTech, "?q=b-tel", []string{f.bReq.ID}},
		{staffTech, "?q=" + f.aReq.Folio, []string{f.aReq.ID}},
		{staffTech, "?category=telco&kind=technical&type=telco_support&priority=medium&queue=voice", []string{f.bReq.ID, f.aReq.ID}},
		{staffTech, "?siteId=" + f.aSite, []string{f.aReq.ID}},
		{staffTech, "?limit=1&offset=1", []string{f.aReq.ID}},
		{aAdmin, "", []string{f.aReq.ID}},
		{aViewer, "", []string{f.aReq.ID}},
		{aUser, "", nil},
		{bAdmin, "?breached=false", []string{f.bReq.ID}},
	}
	for _, tt := range tests {
		var l list[requestJSON]
		f.doJSON(call{as: tt.as, method: "GET", path: "/requests" + tt.query, lang: "en"}, 200, &l)
		var got []string
		for _, r := range l.Items {
			got = append(got, r.ID)
			if r.TypeName != "Telco service support" || r.PhaseName == "" || r.QueueName != "Voice and collaboration" {
				t.Errorf("request %s named %q, %q, %q", r.Folio, r.TypeName, r.PhaseName, r.QueueName)
			}
		}
		if !cmp.Equal(got, tt.want) {
			t.Errorf("GET /requests%s as %s = %v, want %v", tt.query, tt.as, got, tt.want)
		}
	}
	var chart phaseChartJSON
	f.doJSON(call{as: staffAdmin, method: "GET", path: "/requests/phases", lang: "en"}, 200, &chart)
	if len(chart.Phases) != len(servicedesk.Phases) || chart.Total != 2 || chart.Phases[0].Count != 1 || chart.Phases[2].Count != 1 {
		t.Errorf("chart = %+v", chart)
	}
	f.doJSON(call{as: aAdmin, method: "GET", path: "/requests/phases?phase=closed"}, 200, &chart)
	if chart.Total != 1 || chart.Phases[0].Count != 1 {
		t.Errorf("A's chart = %+v", chart)
	}
	var sites list[servicedesk.SiteCount]
	f.doJSON(call{as: bAdmin, method: "GET", path: "/requests/sites"}, 200, &sites)
	if sites.Total != 1 || sites.Items[0].SiteID != f.bSite || sites.Items[0].Open != 1 || sites.Items[0].State != "NLE" {
		t.Errorf("B's sites = %+v", sites.Items)
	}
}

// TestRequestUpdateAndDelete changes a request's subject and priority,
// and deletes one raised by mistake (staff administrators only).
func TestRequestUpdateAndDelete(t *testing.T) {
	f := newRequestFixture(t)
	var v requestDetailJSON
	f.doJSON(call{as: aAdmin, method: "PATCH", path: "/requests/" + f.aReq.ID, body: `{"subject":"Sin tono en recepción"}`}, 200, &v)
	if v.Subject != "Sin tono en recepción" || v.Description != "Sin tono en la troncal" {
		t.Errorf("patched: %q, %q", v.Subject, v.Description)
	}
	f.doJSON(call{as: staffTech, method: "PATCH", path: "/requests/" + f.aReq.ID, body: `{"priority":"critical"}`,
		contentType: "application/merge-patch+json"}, 200, &v)
	if v.Priority != servicedesk.PriorityCritical || !v.ResolutionDueAt.Before(f.aReq.ResolutionDueAt) {
		t.Errorf("priority %s, resolution due %v (was %v)", v.Priority, v.ResolutionDueAt, f.aReq.ResolutionDueAt)
	}
	f.refused(t, call{as: staffTech, method: "DELETE", path: "/requests/" + f.aReq.ID}, 403, "")
	if resp, body := f.do(call{as: staffAdmin, method: "DELETE", path: "/requests/" + f.aReq.ID}); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE = %d %s", resp.StatusCode, body)
	}
	f.refused(t, call{as: aAdmin, method: "GET", path: "/requests/" + f.aReq.ID}, 404, "")
	var docs int
	must(t, f.db.QueryRow(`SELECT COUNT(*) FROM documents WHERE request_id = $1 AND retired_at IS NULL`, f.aReq.ID).Scan(&docs))
	if docs != 0 {
		t.Errorf("%d attachments of the deleted request still shown", docs)
	}
}

// TestRequestBadInput sends malformed and invalid requests as people who
// may make the change they aim at: each is refused with a problem naming
// the fault, and nothing changes.
func TestRequestBadInput(t *testing.T) {
	f := newRequestFixture(t)
	id := f.aReq.ID
	good := incident(aServiceKey)
	with := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	huge := incident(aServiceKey, attachmentJSONOf("", "x.pdf", make([]byte, 1<<20)))
	tests := []refusal{
		{"malformed JSON", call{method: "POST", path: "/requests", body: `{"type":`}, 400, ""},
		{"unknown member", call{method: "POST", path: "/requests", body: with(`"type"`, `"colour":"red","type"`)}, 400, "/colour"},
		{"field answer not a string", call{method: "POST", path: "/requests", body: with(`"whole_site"`, `3`)}, 400, "/fields"},
		{"attachments not an array", call{method: "POST", path: "/requests", body: with(`"attachments":[]`, `"attachments":"x"`)}, 400, "/attachments"},
		{"wrong media type", call{method: "POST", path: "/requests", body: good, contentType: "text/plain"}, 415, ""},
		{"oversized body", call{method: "POST", path: "/requests", body: huge}, 413, ""},
		{"bad base64", call{method: "POST", path: "/requests", body: incident(aServiceKey, `{"fileName":"x.pdf","contentBase64":"no es base64!"}`)}, 400, "/attachments/0/contentBase64"},
		{"file not a document", call{method: "POST", path: "/requests", body: incident(aServiceKey, attachmentJSONOf("", "x.exe", doctest.EXE()))}, 422, "/attachments"},
		{"unknown type", call{method: "POST", path: "/requests", body: with("telco_support", "teleport")}, 422, "/type"},
		{"missing form answer", call{method: "POST", path: "/requests", body: with(`"81 1234 5678"`, `""`)}, 422, "/fields/contact_phone"},
		{"unknown form answer", call{method: "POST", path: "/requests", body: with(`"impact"`, `"mood":"bad","impact"`)}, 422, "/fields/mood"},
		{"attachment the type does not take", call{method: "POST", path: "/requests", body: incident(aServiceKey, attachmentJSONOf("invoice", "f.pdf", doctest.PDF("x")))}, 422, "/attachments/0/key"},
		{"required attachment missing", call{method: "POST", path: "/requests", body: `{"type":"billing_clarification","description":"x","fields":{"invoice_number":"F-1"}}`}, 422, "/attachments"},
		{"another customer's service", call{method: "POST", path: "/requests", body: with(aServiceKey, bServiceKey)}, 422, "/serviceKey"},
		{"another customer's account", call{method: "POST", path: "/requests", body: `{"type":"contract_copy","description":"x","billingAccountId":"` + f.b.accounts[0].ID + `"}`}, 422, "/billingAccountId"},
		{"staff channel", call{method: "POST", path: "/requests", body: with(`"type"`, `"channel":"phone","type"`)}, 422, "/channel"},
		{"unknown action", call{method: "POST", path: "/requests/" + id + "/actions/escalate"}, 404, ""},
		{"action reason not a string", call{method: "POST", path: "/requests/" + id + "/actions/cancel", body: `{"reason":1}`}, 400, "/reason"},
		{"patch unknown member", call{method: "PATCH", path: "/requests/" + id, body: `{"phase":"closed"}`}, 400, "/phase"},
		{"patch bad priority", call{method: "PATCH", path: "/requests/" + id, body: `{"priority":"urgent"}`}, 422, "/priority"},
		{"patch null", call{method: "PATCH", path: "/requests/" + id, body: `null`}, 400, ""},
		{"comment empty", call{method: "POST", path: "/requests/" + id + "/comments", body: `{"body":" "}`}, 422, "/body"},
		{"comment internal not a boolean", call{method: "POST", path: "/requests/" + id + "/comments", body: `{"body":"x","internal":"no"}`}, 400, "/internal"},
		{"survey before closing", call{method: "POST", path: "/requests/" + id + "/survey", body: `{"score":5}`}, 409, ""},
		{"survey score not a number", call{method: "POST", path: "/requests/" + id + "/survey", body: `{"score":"5"}`}, 400, "/score"},
		{"multipart without a file", call{method: "POST", path: "/requests/" + id + "/attachments", body: "--x\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n\r\n--x--\r\n", contentType: "multipart/form-data; boundary=x"}, 422, "/file"},
		{"JSON attachment", call{method: "POST", path: "/requests/" + id + "/attachments", body: `{"file":"x"}`}, 415, ""},
		{"bad phase filter", call{method: "GET", path: "/requests?phase=lost"}, 400, "phase"},
		{"bad open filter", call{method: "GET", path: "/requests?open=maybe"}, 400, "open"},
		{"bad since", call{method: "GET", path: "/requests/phases?since=ayer"}, 400, "since"},
		{"unknown parameter", call{method: "GET", path: "/requests?status=open"}, 400, "status"},
		{"parameter on a route without any", call{method: "GET", path: "/requests/" + id + "?lang=de"}, 400, "lang"},
	}
	working := f.act(staffTech, f.bReq.ID, "start", "").ID
	before := f.requestState()
	f.refuseAll(t, aAdmin, tests)
	staff := []refusal{
		{"resolve without resolution", call{method: "POST", path: "/requests/" + working + "/actions/resolve", body: `{}`}, 422, "/resolution"},
		{"wait without reason", call{method: "POST", path: "/requests/" + working + "/actions/wait", body: `{}`}, 422, "/reason"},
		{"assign to a customer", call{method: "POST", path: "/requests/" + working + "/actions/assign", body: `{"assigneeId":"` + f.a.adminID + `"}`}, 422, "/assigneeId"},
		{"unknown queue", call{method: "POST", path: "/requests/" + working + "/actions/assign", body: `{"queue":"kitchen"}`}, 422, "/queue"},
		{"wait on a new request", call{method: "POST", path: "/requests/" + id + "/actions/wait", body: `{"reason":"x"}`}, 409, ""},
		{"start twice", call{method: "POST", path: "/requests/" + working + "/actions/start"}, 409, ""},
		{"tick without done", call{method: "PUT", path: "/requests/" + id + "/checklist/receive", body: `{}`}, 422, "/done"},
		{"tick unknown step", call{method: "PUT", path: "/requests/" + id + "/checklist/dance", body: `{"done":true}`}, 404, ""},
		{"tick done not a boolean", call{method: "PUT", path: "/requests/" + id + "/checklist/receive", body: `{"done":"yes"}`}, 400, "/done"},
		{"surveys by nothing", call{method: "GET", path: "/surveys?by=mood"}, 400, "by"},
	}
	f.refuseAll(t, staffTech, staff)
	if diff := cmp.Diff(before, f.requestState()); diff != "" {
		t.Errorf("bad input changed the data (-before +after):\n%s", diff)
	}
}
