package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/document/doctest"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// deskWorld is a UI with the service desk: customers A and B, each with a
// site in Nuevo León and an Internet service there, and a support agent.
type deskWorld struct {
	*env
	a, b         *tenant
	aSite, bSite string
	aKey, bKey   string
	agent        *identity.User
}

func newDeskWorld(t *testing.T) *deskWorld {
	t.Helper()
	e, _ := newProjectEnv(t)
	w := &deskWorld{env: e, a: e.newTenant("Alfa"), b: e.newTenant("Beta"), aKey: "MTY-INT-0001", bKey: "MTY-INT-0002"}
	for _, s := range []struct {
		site *string
		tn   *tenant
		key  string
	}{{&w.aSite, w.a, w.aKey}, {&w.bSite, w.b, w.bKey}} {
		site := inventory.Site{ID: enlace.NewID(), CustomerID: s.tn.customer.ID, Name: "Matriz " + s.tn.customer.Name,
			AddressLine1: "Av. Constitución 100", City: "Monterrey", State: "NLE", Country: "MX", BillingAccountID: s.tn.account.ID}
		must(t, e.store.CreateSite(t.Context(), &site))
		svc := inventory.Service{ID: enlace.NewID(), CustomerID: s.tn.customer.ID, BillingAccountID: s.tn.account.ID,
			SiteID: site.ID, Key: s.key, Category: inventory.CategoryConnectivity, Product: "Internet dedicado 100 Mbps",
			Status: inventory.StatusActive, State: "NLE"}
		must(t, e.store.CreateService(t.Context(), &svc))
		*s.site = site.ID
	}
	agent, err := e.store.UserByEmail(t.Context(), e.newStaff(identity.StaffSupport))
	must(t, err)
	w.agent = agent
	return w
}

// customerCtx acts as a tenant's administrator, for setting up through
// the service.
func (w *deskWorld) customerCtx(tn *tenant) context.Context {
	return enlace.WithActor(context.Background(), &enlace.Actor{UserID: tn.admin.ID, Email: tn.admin.Email, Name: "Admin",
		CustomerID: tn.customer.ID, CustomerRole: identity.RoleAdmin, Locale: "es-MX"})
}

// raise creates an Internet failure on a service key through the service.
func (w *deskWorld) raise(t *testing.T, tn *tenant, key string) *servicedesk.Request {
	t.Helper()
	v, err := w.desk.Create(w.customerCtx(tn), servicedesk.Input{TypeKey: "internet_failure", ServiceKey: key,
		Description: "Sin enlace desde la mañana.", Fields: map[string]string{"symptom": "down", "contact_phone": "8112345678"}}, nil)
	must(t, err)
	return v.Request
}

// failure is the form of an Internet failure on a service key.
func failure(key string) url.Values {
	return url.Values{"service_key": {key}, "fields.symptom": {"down"}, "fields.contact_phone": {"81 1234 5678"},
		"description": {"El enlace no levanta desde las 8:00."}, "priority": {"high"}}
}

// TestDeskRequestLifecycle follows a failure report from the customer's
// form through the agent's work to the survey: the folio on the page,
// assignment, the checklist that must be done before resolving, the
// customer closing it, the survey answered once, and internal notes the
// customer never sees.
func TestDeskRequestLifecycle(t *testing.T) {
	w := newDeskWorld(t)
	customer := w.signedIn(w.a.admin.Email)
	customer.get("/requests/new").want(t, 200, "").contains(t, `id="kind-technical"`, `id="kind-administrative"`, `id="kind-procedures"`)
	customer.get("/requests/new?kind=technical").want(t, 200, "").contains(t, `id="category-connectivity"`)
	customer.get("/requests/new?category=connectivity&service="+w.aKey).want(t, 200, "").
		contains(t, `href="/requests/new/internet_failure?service=`+w.aKey+`"`)
	customer.get("/requests/new/internet_failure?state=NLE").want(t, 200, "").
		contains(t, `id="found-`+w.aKey+`"`).notContains(t, w.bKey)
	customer.get("/requests/new/internet_failure?service="+w.aKey).want(t, 200, "").
		contains(t, `value="`+w.aKey+`"`, `id="fields.symptom"`, `type="tel"`)

	r := customer.post("/requests/new?type=internet_failure", failure(w.aKey))
	if r.status != 303 || !strings.HasPrefix(r.location, "/requests/") {
		t.Fatalf("POST /requests/new?type=internet_failure = %d %q\n%s", r.status, r.location, r.body)
	}
	path := r.location
	customer.get(path).want(t, 200, "").contains(t, "REQ-2026-000001", "Recibimos su solicitud con el folio REQ-2026-000001",
		"Sin conexión", "&#43;528112345678", `id="request-phase-badge">Nueva<`)

	agent := w.signedIn(w.agent.Email)
	agent.get("/requests").want(t, 200, "").contains(t, `id="request-REQ-2026-000001"`)
	agent.post(path+"/act", url.Values{"action": {"assign"}, "queue": {"network"}, "assignee": {w.agent.ID}, "priority": {"high"}}).
		want(t, 303, path+"#request-actions")
	agent.post(path+"/checklist/receive", url.Values{"done": {"1"}}).want(t, 303, path+"#step-receive")
	agent.post(path+"/act", url.Values{"action": {"resolve"}, "resolution": {"Se reinició el CPE."}}).want(t, 422, "").
		contains(t, "Faltan pasos obligatorios", `id="checklist-act-resolve"`, "Se reinició el CPE.")
	for _, step := range []string{"physical", "logical", "detect", "solve"} {
		agent.post(path+"/checklist/"+step, url.Values{"done": {"1"}}).want(t, 303, path+"#step-"+step)
	}
	agent.post(path+"/comments", url.Values{"body": {"Cliente difícil, revisar contrato."}, "internal": {"yes"}}).want(t, 303, path+"#thread")
	agent.post(path+"/comments", url.Values{"body": {"Estamos revisando su enlace."}}).want(t, 303, path+"#thread")
	agent.post(path+"/act", url.Values{"action": {"resolve"}, "resolution": {"Se reinició el CPE."}}).want(t, 303, path+"#request-actions")
	agent.get(path).want(t, 200, "").contains(t, "Cliente difícil", "comment-internal", "Staff support")

	page := customer.get(path).want(t, 200, "").contains(t, "Estamos revisando su enlace.", `id="act-close"`, `id="act-reopen"`)
	if strings.Contains(page.body, "Cliente difícil") || strings.Contains(page.body, "comment-internal") {
		t.Error("the customer sees the internal note")
	}
	if strings.Contains(page.body, "Staff support ·") {
		t.Error("the customer sees who ticked the checklist")
	}
	customer.post(path+"/act", url.Values{"action": {"close"}}).want(t, 303, path+"#request-actions")
	customer.get(path).want(t, 200, "").contains(t, `id="survey-form"`)
	customer.post(path+"/survey", url.Values{"score": {"9"}}).want(t, 422, "").contains(t, "Elija una calificación del 1 al 5.")
	customer.post(path+"/survey", url.Values{"score": {"5"}, "comment": {"Rápido."}}).want(t, 303, path+"#survey")
	customer.post(path+"/survey", url.Values{"score": {"1"}}).want(t, 409, "")
	customer.get(path).want(t, 200, "").contains(t, "Calificación: 5 de 5").notContains(t, `id="survey-form"`)
	agent.get("/requests/surveys?days=90").want(t, 200, "").contains(t, "Staff support", "5.0", "100 %", "Conectividad")
}

func (r resp) notContains(t *testing.T, parts ...string) resp {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(r.body, p) {
			t.Errorf("page shows %q; body:\n%s", p, r.body)
		}
	}
	return r
}

// TestDeskRequestBadInput posts forms the service refuses: each comes back
// with the input kept and the message next to the field, and nothing is
// stored. Another customer's service key reads exactly as an unknown one.
func TestDeskRequestBadInput(t *testing.T) {
	w := newDeskWorld(t)
	c := w.signedIn(w.a.admin.Email)
	with := func(change func(url.Values)) url.Values {
		f := failure(w.aKey)
		change(f)
		return f
	}
	unknown := "No encontramos un servicio suyo con esa llave"
	tests := []struct {
		name  string
		form  url.Values
		field string
		want  []string
	}{
		{"missing required field", with(func(f url.Values) { f.Del("fields.symptom") }), "fields.symptom",
			[]string{"Este dato es obligatorio.", "El enlace no levanta desde las 8:00."}},
		{"unknown service key", with(func(f url.Values) { f.Set("service_key", "NOPE-0001") }), "service_key",
			[]string{unknown, `value="NOPE-0001"`}},
		{"another customer's key", with(func(f url.Values) { f.Set("service_key", w.bKey) }), "service_key",
			[]string{unknown}},
		{"oversized description", with(func(f url.Values) { f.Set("description", strings.Repeat("x", 10001)) }), "description",
			[]string{"Escriba como máximo 10000 caracteres."}},
		{"hostile subject", with(func(f url.Values) {
			f.Set("subject", `<script>alert("x")</script>`)
			f.Set("fields.contact_phone", "no")
		}), "fields.contact_phone", []string{"&lt;script&gt;alert("}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.post("/requests/new?type=internet_failure", tt.form).want(t, 422, "").
				contains(t, append(tt.want, `id="`+tt.field+`"`, `id="error-summary"`)...)
			if strings.Contains(r.body, "<script>alert") {
				t.Error("the subject came back unescaped")
			}
			if !strings.Contains(r.body, `id="`+tt.field+`" name="`+tt.field+`"`) &&
				!strings.Contains(r.body, `<select id="`+tt.field+`"`) && !strings.Contains(r.body, `<textarea id="`+tt.field+`"`) {
				t.Errorf("no input %s on the page", tt.field)
			}
		})
	}
	if _, total, err := w.desk.List(w.staffCtx(), servicedesk.Filter{}); err != nil || total != 0 {
		t.Errorf("List after refused forms = %d requests, %v; want none", total, err)
	}
}

// TestDeskListChartAndSites checks the chart counts by phase, its links
// filtering the list, the list scoped to the reader, and the view by site.
func TestDeskListChartAndSites(t *testing.T) {
	w := newDeskWorld(t)
	first := w.raise(t, w.a, w.aKey)
	w.raise(t, w.a, w.aKey)
	w.raise(t, w.b, w.bKey)
	_, err := w.desk.Act(w.customerCtx(w.a), first.ID, servicedesk.ActInput{Action: servicedesk.ActionCancel, Reason: "Ya funciona."})
	must(t, err)

	row := func(n int) string { return fmt.Sprintf(`id="request-REQ-2026-%06d"`, n) }
	c := w.signedIn(w.a.admin.Email)
	c.get("/requests").want(t, 200, "").contains(t, `aria-label="Nueva: 1"`, `aria-label="Cancelada: 1"`, `aria-label="Asignada: 0"`,
		`href="/requests?phase=cancelled"`, row(1), row(2)).notContains(t, row(3))
	c.get("/requests?phase=cancelled").want(t, 200, "").contains(t, row(1), `aria-current="true"`).notContains(t, row(2))
	c.get("/requests?phase=bogus").want(t, 200, "").contains(t, `id="error-summary"`)
	c.get("/requests?q=REQ-2026-000002").want(t, 200, "").contains(t, row(2)).notContains(t, row(1))
	c.get("/requests?view=site").want(t, 200, "").contains(t, "Matriz Alfa", `href="/requests?site=`+w.aSite+`"`).
		notContains(t, "Matriz Beta")
	c.get("/requests?site="+w.aSite).want(t, 200, "").contains(t, `id="desk-site-filter"`, row(2))
	c.get("/requests?site="+w.bSite).want(t, 200, "").contains(t, `id="error-summary"`).notContains(t, row(3))

	staff := w.signedIn(w.admin.Email)
	staff.get("/requests").want(t, 200, "").contains(t, `aria-label="Nueva: 2"`, row(3), "Beta")
	staff.get("/requests?customer="+w.b.customer.ID).want(t, 200, "").contains(t, row(3)).notContains(t, row(2))
	staff.get("/requests?agent=none&open=1").want(t, 200, "").contains(t, row(2), row(3)).notContains(t, row(1))
	staff.get("/").want(t, 200, "").contains(t, `id="desk-unassigned-count">2<`, `id="desk-mine-count">0<`)
	c.get("/").want(t, 200, "").contains(t, `id="desk-open-count">1<`, "REQ-2026-000002", `id="shortcut-support"`,
		`id="shortcut-administrative"`)
}

// TestDeskAdministrativeRequest raises an administrative requirement with
// the document it needs, then downloads it from the request's page.
func TestDeskAdministrativeRequest(t *testing.T) {
	w := newDeskWorld(t)
	c := w.signedIn(w.a.admin.Email)
	c.get("/requests/new?kind=administrative").want(t, 200, "").contains(t, `id="type-billing_clarification"`, "Factura (PDF)")
	c.get("/requests/new/billing_clarification").want(t, 200, "").
		contains(t, `enctype="multipart/form-data"`, `type="file" id="attachment.invoice"`)
	fields := map[string]string{"fields.invoice_number": "F-alfa-0", "description": "Cobro duplicado."}
	c.uploadForm("/requests/new?type=billing_clarification", fields, nil).want(t, 422, "").
		contains(t, "Adjunte este documento", `id="attachment.invoice"`, "F-alfa-0")
	r := c.uploadForm("/requests/new?type=billing_clarification", fields, map[string][]byte{"attachment.invoice": doctest.PDF("factura")})
	if r.status != 303 {
		t.Fatalf("POST with the invoice = %d\n%s", r.status, r.body)
	}
	page := c.get(r.location).want(t, 200, "").contains(t, "Factura (PDF)")
	doc := idAfter(t, page.body, "/attachments/")
	res, body := c.download(r.location+"/attachments/"+doc, nil)
	if res.StatusCode != 200 || !strings.HasPrefix(string(body), "%PDF") {
		t.Errorf("GET the attachment = %d, %.20q", res.StatusCode, body)
	}
	c.uploadTo(r.location+"/attachments", map[string]string{"key": ""}, "nota.pdf", doctest.PDF("nota")).
		want(t, 303, r.location+"#attachments")
	c.get(r.location).want(t, 200, "").contains(t, "nota.pdf")
}

// uploadForm posts a multipart form to path: fields first, then a file
// part for each input named in files.
func (c *client) uploadForm(path string, fields map[string]string, files map[string][]byte) resp {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for name, content := range files {
		fw, _ := mw.CreateFormFile(name, name+".pdf")
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}
