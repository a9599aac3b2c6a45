package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/blob"
	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/servicedesk"
	"github.com/enlace-portal/enlace/internal/web"
)

// projectWorld is a UI with activation projects: customers A and B with a
// site each, a project manager, and an OfficeConnect project for each
// customer started by the PM with A's and B's administrators as contacts.
type projectWorld struct {
	*env
	svc          *activation.Service
	a, b         *tenant
	aSite, bSite string
	pm           *identity.User
	pmCtx        context.Context
	aProject     *activation.View
	bProject     *activation.View
}

const officeConnect = "officeconnect-ucaas"

// newProjectEnv is newEnv with the activation service wired in (the
// shipped runbooks installed), the service desk over its calendar, and
// the program's per-route body limits.
func newProjectEnv(t *testing.T) (*env, *activation.Service) {
	t.Helper()
	e := newEnv(t)
	catalog := activation.NewCatalog(e.store)
	must(t, catalog.SyncShipped(t.Context()))
	svc := activation.NewService(e.store, catalog, e.mail, e.clock, activation.Config{BaseURL: "https://portal.example"})
	blobs, err := blob.NewFolder(filepath.Join(t.TempDir(), "blobs"))
	must(t, err)
	docs := document.NewService(e.store, blobs, document.Config{TempDir: t.TempDir()})
	svc.SetFiles(docs)
	e.desk = servicedesk.NewService(e.store, svc, e.mail, e.clock, servicedesk.Config{BaseURL: "https://portal.example"})
	e.desk.SetFiles(docs)
	e.numberServices(svc, docs)
	s := web.New(web.Deps{Identity: e.id, Notify: notify.NewService(e.store), Audit: audit.NewService(e.store),
		Customers: customer.NewService(e.store), Contacts: contact.NewService(e.store, e.store),
		Inventory: inventory.NewManager(e.store, e.clock), Documents: docs, Projects: svc, Requests: e.desk,
		Numbers: e.numbers, Porting: e.porting, Catalog: i18n.MustLoad(), Clock: e.clock, Demo: true})
	mux := http.NewServeMux()
	s.Register(mux)
	srv := httptest.NewServer(ops.Chain(ops.CrossOriginProtection().Handler(mux), ops.RequestID(false),
		ops.LimitBodyByRoute(64<<10, mux, s.BodyLimits())))
	t.Cleanup(srv.Close)
	e.srv = srv
	return e, svc
}

func newProjectWorld(t *testing.T) *projectWorld {
	t.Helper()
	e, svc := newProjectEnv(t)
	w := &projectWorld{env: e, svc: svc, a: e.newTenant("Alfa"), b: e.newTenant("Beta")}
	for _, s := range []struct {
		dst *string
		tn  *tenant
	}{{&w.aSite, w.a}, {&w.bSite, w.b}} {
		site := inventory.Site{ID: enlace.NewID(), CustomerID: s.tn.customer.ID, Name: "Matriz " + s.tn.customer.Name,
			AddressLine1: "Av. Constitución 100", City: "Monterrey", State: "NLE", Country: "MX", BillingAccountID: s.tn.account.ID}
		must(t, e.store.CreateSite(t.Context(), &site))
		*s.dst = site.ID
	}
	pm, temp, err := e.id.CreateStaffUser(e.staffCtx(), identity.NewStaffUser{Email: "pm@proveedor.mx", FirstName: "Paula",
		LastName: "Gerente", Role: identity.StaffPM})
	must(t, err)
	e.mail.passwords[pm.Email] = temp
	w.pm = pm
	w.pmCtx = enlace.WithActor(t.Context(), &enlace.Actor{UserID: pm.ID, Email: pm.Email, StaffRole: identity.StaffPM, Locale: "es-MX"})
	w.aProject = w.start(t, w.a, w.aSite, "OC-ALFA-1")
	w.bProject = w.start(t, w.b, w.bSite, "OC-BETA-1")
	return w
}

// start starts an OfficeConnect project for a tenant.
func (w *projectWorld) start(t *testing.T, tn *tenant, site, order string) *activation.View {
	t.Helper()
	v, err := w.svc.Start(w.pmCtx, activation.StartInput{CustomerID: tn.customer.ID, BillingAccountID: tn.account.ID,
		SiteID: site, OrderRef: order, Runbook: officeConnect, PMUserID: w.pm.ID, ContactUserID: tn.admin.ID})
	must(t, err)
	return v
}

// task returns the current state of a project's task by key, as staff see it.
func (w *projectWorld) task(t *testing.T, projectID, key string) activation.Task {
	t.Helper()
	v, err := w.svc.Project(w.pmCtx, projectID)
	must(t, err)
	for _, tk := range v.Tasks {
		if tk.Key == key {
			return tk
		}
	}
	t.Fatalf("project %s has no task %s", projectID, key)
	return activation.Task{}
}

// finish completes tasks through the service as the actor of ctx.
func (w *projectWorld) finish(t *testing.T, ctx context.Context, projectID string, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, err := w.svc.Act(ctx, projectID, w.task(t, projectID, k).ID, activation.Action{Kind: activation.ActComplete})
		must(t, err)
	}
}

// customerCtx acts as a tenant's administrator.
func (w *projectWorld) customerCtx(tn *tenant) context.Context {
	return enlace.WithActor(context.Background(), &enlace.Actor{UserID: tn.admin.ID, Email: tn.admin.Email,
		CustomerID: tn.customer.ID, CustomerRole: identity.RoleAdmin})
}

// toAgreement brings A's project to the subscription phase: the
// discovery tasks done and the agreement sent.
func (w *projectWorld) toAgreement(t *testing.T) {
	t.Helper()
	id := w.aProject.Project.ID
	w.finish(t, w.customerCtx(w.a), id, "identify-order-requirements", "assess-network")
	w.finish(t, w.pmCtx, id, "identify-service-requirements", "service-demo", "send-agreement")
}

func TestProjectListAndDetail(t *testing.T) {
	w := newProjectWorld(t)
	pm := w.signedIn(w.pm.Email)
	r := pm.get("/projects").want(t, 200, "")
	r.contains(t, w.aProject.Project.Folio, w.bProject.Project.Folio, "Alfa", "Beta", `<progress max="`, `id="project-new"`)
	pm.get("/projects?customer="+w.a.customer.ID).want(t, 200, "").contains(t, w.aProject.Project.Folio)
	// The list, not the page: the PM's notifications may name B's project.
	if r := pm.get("/projects?customer=" + w.a.customer.ID); strings.Contains(listOf(r.body), w.bProject.Project.Folio) {
		t.Error("the customer filter lets B's project through")
	}
	pm.get("/projects?status=bogus").want(t, 200, "").contains(t, `id="error-summary"`)

	id := w.aProject.Project.ID
	r = pm.get("/projects/"+id).want(t, 200, "")
	r.contains(t, `id="next"`, `<svg class="timeline"`, `id="task-identify-order-requirements"`, `id="task-pm-sales-review"`,
		"OC-ALFA-1", "Paula Gerente", `id="project-billing"`, `id="project-cancel"`)

	admin := w.signedIn(w.a.admin.Email)
	r = admin.get("/projects").want(t, 200, "")
	r.contains(t, w.aProject.Project.Folio)
	if strings.Contains(r.body, w.bProject.Project.Folio) || strings.Contains(r.body, `id="project-new"`) {
		t.Error("A's administrator sees B's project or the new-project button")
	}
	r = admin.get("/projects/"+id).want(t, 200, "")
	// What is expected of the customer, with the seed's explanation.
	r.contains(t, "Qué se espera de usted", `id="next-identify-order-requirements"`, `id="act-identify-order-requirements-complete"`)
	for _, hidden := range []string{"task-pm-sales-review", `id="project-cancel"`, `id="act-identify-service-requirements-start"`} {
		if strings.Contains(r.body, hidden) {
			t.Errorf("A's administrator sees %s", hidden)
		}
	}
	// The read-only user sees the project but no button.
	r = w.signedIn(w.a.user.Email).get("/projects/"+id).want(t, 200, "")
	if strings.Contains(r.body, `/act"`) {
		t.Error("a read-only user is offered task actions")
	}
}

func TestCreateProject(t *testing.T) {
	w := newProjectWorld(t)
	pm := w.signedIn(w.pm.Email)
	pm.get("/projects/new").want(t, 200, "").contains(t, `id="project-choose"`)
	pm.get("/projects/new?customer_id="+w.a.customer.ID+"&runbook=hosted-exchange").want(t, 200, "").
		contains(t, `id="project-form"`, `id="option-lync_sharepoint"`, `id="option-bulk_load" checked`, w.a.admin.Email,
			`<option value="`+w.pm.ID+`" selected>`)

	form := url.Values{"customer_id": {w.a.customer.ID}, "runbook": {"hosted-exchange"}, "order_ref": {"OC-77"},
		"title": {"Correo Alfa"}, "site_id": {""}, "billing_account_id": {w.a.account.ID}, "option": {"lync_sharepoint"},
		"start_date": {"2026-03-09"}, "start_time": {"10:00"}, "pm_user_id": {w.pm.ID}}
	r := pm.post("/projects", form).want(t, 422, "")
	r.contains(t, `id="site_id-error"`, `value="OC-77"`, `id="option-lync_sharepoint" checked`, `value="2026-03-09"`)
	if strings.Contains(r.body, `id="option-bulk_load" checked`) {
		t.Error("an option the form left unticked came back ticked")
	}
	form.Set("start_date", "9/3/2026")
	pm.post("/projects", form).want(t, 422, "").contains(t, `id="start_date" name="start_date" value="9/3/2026"`)

	form.Set("start_date", "2026-03-09")
	form.Set("site_id", w.aSite)
	r = pm.post("/projects", form)
	if r.status != 303 || !strings.HasPrefix(r.location, "/projects/") {
		t.Fatalf("create = %d %q\n%s", r.status, r.location, r.body)
	}
	page := pm.get(r.location).want(t, 200, "")
	page.contains(t, "Correo Alfa", "OC-77", `id="flash"`, `id="project-window"`, `id="runbook-notes"`, `id="project-advice"`)
	id := strings.TrimPrefix(r.location, "/projects/")
	v, err := w.svc.Project(w.pmCtx, id)
	must(t, err)
	if !v.Project.Options["lync_sharepoint"] || v.Project.Options["bulk_load"] {
		t.Errorf("options = %v, want lync_sharepoint only", v.Project.Options)
	}

	// Staff who may not start projects get 403; customers 404.
	support := w.signedIn(w.newStaff(identity.StaffSupport))
	support.get("/projects/new").want(t, 403, "")
	support.post("/projects", form).want(t, 403, "")
	admin := w.signedIn(w.a.admin.Email)
	admin.get("/projects/new").want(t, 404, "")
	admin.post("/projects", form).want(t, 404, "")
}

func TestTaskActions(t *testing.T) {
	w := newProjectWorld(t)
	id := w.aProject.Project.ID
	path := func(key, what string) string {
		return "/projects/" + id + "/tasks/" + w.task(t, id, key).ID + "/" + what
	}
	admin := w.signedIn(w.a.admin.Email)
	pm := w.signedIn(w.pm.Email)

	// The customer finishes their own task and lands back on it.
	admin.post(path("identify-order-requirements", "act"), url.Values{"action": {"complete"}}).
		want(t, 303, "/projects/"+id+"#task-identify-order-requirements")
	if st := w.task(t, id, "identify-order-requirements").Status; st != activation.TaskDone {
		t.Fatalf("status = %s, want done", st)
	}
	// A customer cannot act on a provider task, nor staff on a customer's.
	admin.post(path("service-demo", "act"), url.Values{"action": {"complete"}}).want(t, 403, "").
		contains(t, "le corresponde a otra parte")
	pm.post(path("assess-network", "act"), url.Values{"action": {"complete"}}).want(t, 403, "")
	for _, k := range []string{"service-demo", "assess-network"} {
		if st := w.task(t, id, k).Status; st != activation.TaskReady {
			t.Errorf("%s is %s after refused actions, want ready", k, st)
		}
	}
	// Blocking needs a reason, shown next to the task's field.
	r := pm.post(path("service-demo", "act"), url.Values{"action": {"block"}, "reason": {" "}}).want(t, 422, "")
	r.contains(t, `id="reason-service-demo" name="reason" value=" " maxlength="500" aria-invalid="true"`, `<details class="task-more" open>`)
	pm.post(path("service-demo", "act"), url.Values{"action": {"block"}, "reason": {"Sin acceso al sitio"}}).want(t, 303, "/projects/"+id+"#task-service-demo")
	pm.get("/projects/"+id).want(t, 200, "").contains(t, "Sin acceso al sitio", `id="act-service-demo-unblock"`)
	pm.post(path("service-demo", "act"), url.Values{"action": {"unblock"}}).want(t, 303, "/projects/"+id+"#task-service-demo")

	// Gates: the customer signs; the PM records the NRC payment, which
	// the customer cannot.
	w.toAgreementRest(t)
	sign, pay := path("sign-agreement", "gate"), path("pay-nrc", "gate")
	admin.get("/projects/"+id).want(t, 200, "").contains(t, `id="gate-sign-agreement"`, `id="next-pay-nrc"`)
	admin.post(pay, url.Values{"reference": {"TRF-1"}}).want(t, 403, "")
	admin.post(sign, url.Values{"name": {strings.Repeat("x", 201)}}).want(t, 422, "").contains(t, `value="`+strings.Repeat("x", 201)+`"`)
	admin.post(sign, url.Values{"name": {""}}).want(t, 422, "").contains(t, `id="name-sign-agreement" name="name" value="" maxlength="200" autocomplete="name" aria-invalid="true"`)
	admin.post(path("sign-agreement", "act"), url.Values{"action": {"complete"}}).want(t, 409, "")
	admin.post(sign, url.Values{"name": {"Ana Alfa"}}).want(t, 303, "/projects/"+id+"#task-sign-agreement")
	admin.post(path("sign-agreement", "act"), url.Values{"action": {"complete"}}).want(t, 303, "/projects/"+id+"#task-sign-agreement")
	pm.post(pay, url.Values{"reference": {""}}).want(t, 422, "").contains(t, `id="reference-pay-nrc" name="reference" value="" maxlength="200" aria-invalid="true"`)
	pm.post(pay, url.Values{"reference": {"TRF-1"}}).want(t, 303, "/projects/"+id+"#task-pay-nrc")
	if g := w.task(t, id, "pay-nrc"); g.GateMetAt == nil || g.GateDetail != "TRF-1" {
		t.Errorf("payment gate = %v %q", g.GateMetAt, g.GateDetail)
	}

	// Rescheduling and cancelling are the PM's; the customer gets 403.
	admin.post("/projects/"+id+"/reschedule", url.Values{"start_date": {"2026-04-01"}}).want(t, 403, "")
	pm.post("/projects/"+id+"/reschedule", url.Values{"start_date": {""}}).want(t, 422, "").contains(t, `id="start_date" name="start_date" value="2026-03-02" aria-invalid="true"`)
	pm.post(path("designate-contact", "reschedule"), url.Values{"at_date": {"2026-04-06"}, "at_time": {"10:00"}}).
		want(t, 303, "/projects/"+id+"#task-designate-contact")
	admin.post("/projects/"+id+"/cancel", url.Values{"confirm": {"yes"}}).want(t, 403, "")
	pm.post("/projects/"+id+"/cancel", url.Values{"reason": {"x"}}).want(t, 422, "").contains(t, `id="cancel_confirm" required aria-invalid="true"`, "Marque la casilla")
	pm.post("/projects/"+id+"/cancel", url.Values{"reason": {"Cliente desiste"}, "confirm": {"yes"}}).want(t, 303, "/projects/"+id)
	pm.get("/projects/"+id).want(t, 200, "").contains(t, "Cancelado")
	admin.post(path("assess-network", "act"), url.Values{"action": {"complete"}}).want(t, 409, "")
}

// toAgreementRest finishes what remains before the agreement after the
// first customer task was done through the UI.
func (w *projectWorld) toAgreementRest(t *testing.T) {
	t.Helper()
	id := w.aProject.Project.ID
	w.finish(t, w.customerCtx(w.a), id, "assess-network")
	w.finish(t, w.pmCtx, id, "identify-service-requirements", "service-demo", "send-agreement")
}

// listOf returns the projects table of a projects page.
func listOf(body string) string {
	start := strings.Index(body, `<table id="projects">`)
	if start < 0 {
		return ""
	}
	end := strings.Index(body[start:], "</table>")
	if end < 0 {
		return body[start:]
	}
	return body[start : start+end]
}
