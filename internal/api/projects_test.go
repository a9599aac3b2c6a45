package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/notify"
)

// staffPM holds the token of the fixture's project manager.
const staffPM = "staff project manager"

// projectFixture is the fixture with projects wired in: the shipped
// runbooks, a project manager, a site for each of A and B, and an
// OfficeConnect project on each customer's first billing account, managed
// by the PM. OfficeConnect has tasks of every side, internal tasks, and
// signature and payment gates.
type projectFixture struct {
	*fixture
	projects     *activation.Service
	pmID         string
	pmCtx        context.Context
	aSite, bSite string
	aProject     string
	bProject     string
}

func newProjectFixture(t *testing.T) *projectFixture {
	t.Helper()
	f := &projectFixture{fixture: newFixture(t)}
	renderer, err := notify.NewRenderer(f.api.Catalog)
	must(t, err)
	catalog := activation.NewCatalog(f.store)
	must(t, catalog.SyncShipped(f.ctx))
	f.projects = activation.NewService(f.store, catalog, renderer, f.clock, activation.Config{BaseURL: "https://portal.example"})
	f.api.Projects = f.projects
	pm, _, err := f.svc.CreateStaffUser(f.staffCtx, identity.NewStaffUser{Email: "pm@provider.example",
		FirstName: "Pablo", LastName: "Gestor", Role: identity.StaffPM})
	must(t, err)
	f.pmID, f.tokens[staffPM] = pm.ID, f.token(pm.ID, "")
	f.pmCtx = enlace.WithActor(f.ctx, &enlace.Actor{UserID: pm.ID, StaffRole: identity.StaffPM, Locale: "es-MX"})
	for _, s := range []struct {
		dst *string
		tn  tenant
	}{{&f.aSite, f.a}, {&f.bSite, f.b}} {
		site := inventory.Site{ID: enlace.NewID(), CustomerID: s.tn.customer.ID, Name: "Matriz " + s.tn.customer.Name,
			AddressLine1: "Av. Constitución 1", City: "Monterrey", PostalCode: "64000", State: "NLE", Country: "MX"}
		must(t, f.store.CreateSite(f.ctx, &site))
		*s.dst = site.ID
	}
	f.aProject = f.start(f.a, f.aSite, "officeconnect-ucaas")
	f.bProject = f.start(f.b, f.bSite, "officeconnect-ucaas")
	return f
}

// start starts a project for a customer as the PM and returns its id.
func (f *projectFixture) start(tn tenant, site, rb string) string {
	f.t.Helper()
	v, err := f.projects.Start(f.pmCtx, activation.StartInput{CustomerID: tn.customer.ID, BillingAccountID: tn.accounts[0].ID,
		SiteID: site, OrderRef: "OC-" + tn.customer.Number, Runbook: rb, PMUserID: f.pmID})
	must(f.t, err)
	return v.Project.ID
}

// project reads a project through the API as a token holder.
func (f *projectFixture) project(as, id string) projectDetailJSON {
	f.t.Helper()
	var p projectDetailJSON
	f.doJSON(call{as: as, method: "GET", path: "/projects/" + id}, 200, &p)
	return p
}

// taskID returns the id of a project's task, read as staff.
func (f *projectFixture) taskID(projectID, key string) string {
	f.t.Helper()
	v, err := f.projects.Project(f.pmCtx, projectID)
	must(f.t, err)
	for _, t := range v.Tasks {
		if t.Key == key {
			return t.ID
		}
	}
	f.t.Fatalf("project %s has no task %s", projectID, key)
	return ""
}

// act posts a task action and returns the project after it.
func (f *projectFixture) act(as, projectID, key, action, body string, want int) projectDetailJSON {
	f.t.Helper()
	var p projectDetailJSON
	c := call{as: as, method: "POST", path: "/projects/" + projectID + "/tasks/" + f.taskID(projectID, key) + "/" + action, body: body}
	if want != http.StatusOK {
		resp, b := f.do(c)
		checkProblem(f.t, resp, b, want)
		return p
	}
	f.doJSON(c, want, &p)
	return p
}

func findTask(t *testing.T, p projectDetailJSON, key string) projectTaskJSON {
	t.Helper()
	for _, pt := range p.Tasks {
		if pt.Key == key {
			return pt
		}
	}
	t.Fatalf("project %s has no task %s", p.Folio, key)
	return projectTaskJSON{}
}

func nextKeys(ns []nextActionJSON) []string {
	keys := []string{}
	for _, n := range ns {
		keys = append(keys, n.Key)
	}
	return keys
}

func TestStartProject(t *testing.T) {
	f := newProjectFixture(t)
	a := f.a
	body := fmt.Sprintf(`{"customerId":%q,"billingAccountId":%q,"siteId":%q,"runbook":"hosted-exchange",
		"options":{"lync_sharepoint":true},"orderRef":"OC-77","title":"Correo Acme","startAt":"2026-11-04",
		"pmUserId":%q,"contactUserId":%q}`, a.customer.ID, a.accounts[1].ID, f.aSite, f.pmID, a.adminID)
	var p projectDetailJSON
	resp := f.doJSON(call{as: staffPM, method: "POST", path: "/projects", body: body, lang: "en"}, 201, &p)
	if want := Prefix + "/projects/" + p.ID; resp.Header.Get("Location") != want {
		t.Errorf("Location = %q, want %q", resp.Header.Get("Location"), want)
	}
	want := projectJSON{ID: p.ID, Folio: "PRJ-2026-00003", Title: "Correo Acme", Status: "active", CustomerID: a.customer.ID,
		CustomerName: "Acme", BillingAccountID: a.accounts[1].ID, SiteID: f.aSite, SiteName: "Matriz Acme", OrderRef: "OC-77",
		Runbook: "hosted-exchange", RunbookVersion: 1, RunbookName: "Hosted Exchange domain migration",
		Options: map[string]bool{"lync_sharepoint": true, "bulk_load": true}, PMUserID: f.pmID, PMName: "Pablo Gestor",
		ContactUserID: a.adminID, StartAt: time.Date(2026, 11, 4, 6, 0, 0, 0, time.UTC)}
	if diff := cmp.Diff(want, p.projectJSON, cmp.FilterPath(func(p cmp.Path) bool {
		switch p.Last().String() {
		case ".PlannedEnd", ".CreatedAt", ".UpdatedAt":
			return true
		}
		return false
	}, cmp.Ignore())); diff != "" {
		t.Errorf("started project (-want +got):\n%s", diff)
	}
	if !p.StartAt.Equal(want.StartAt) || !p.PlannedEnd.After(p.StartAt) || p.Window != 240 {
		t.Errorf("plan: start %v, end %v, window %d; want start %v, a later end and a 240-minute window",
			p.StartAt, p.PlannedEnd, p.Window, want.StartAt)
	}
	statuses := map[string]string{}
	for _, pt := range p.Tasks {
		statuses[pt.Key] = pt.Status
		if pt.PlannedStart.Before(p.StartAt) || pt.Due.IsZero() {
			t.Errorf("task %s planned from %v (due %v), before the start %v", pt.Key, pt.PlannedStart, pt.Due, p.StartAt)
		}
	}
	for key, status := range map[string]string{"mail-backup": "ready", "account-list": "ready",
		"dns-provisioning": "pending", "sharepoint-lync": "pending"} {
		if statuses[key] != status {
			t.Errorf("task %s = %s, want %s", key, statuses[key], status)
		}
	}
	gate := findTask(t, p, "account-list").Gate
	if gate == nil || gate.Kind != "document" || gate.Document != "mailbox_list" || gate.Met ||
		gate.Label != f.api.Catalog.Localizer("en").T("runbook.gate.document") {
		t.Errorf("account-list gate = %+v, want an unmet mailbox_list document gate", gate)
	}
	if len(p.CriticalPath) == 0 {
		t.Error("no critical path")
	}
	for _, k := range p.CriticalPath {
		if !findTask(t, p, k).Critical {
			t.Errorf("critical path names %s, which is not critical", k)
		}
	}
	// The PM's next action is the provider's next task; the customer's
	// are the two ready tasks of the customer.
	if got := nextKeys(p.NextActions); !cmp.Equal(got, []string{"dns-provisioning"}) {
		t.Errorf("PM's next actions = %v, want [dns-provisioning]", got)
	}
	got := f.project(aAdmin, p.ID)
	if keys := nextKeys(got.NextActions); len(keys) != 2 || got.NextActions[0].ProjectFolio != p.Folio {
		t.Errorf("customer's next actions = %+v, want mail-backup and account-list of %s", got.NextActions, p.Folio)
	}
	var entries int
	must(t, f.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'project.create' AND object_id = $1`, p.ID).Scan(&entries))
	if entries != 1 {
		t.Errorf("audit entries of the start = %d, want 1", entries)
	}
}

func TestListProjects(t *testing.T) {
	f := newProjectFixture(t)
	tests := []struct {
		name  string
		as    string
		query string
		want  []string
	}{
		{"staff see all, newest first", staffAdmin, "", []string{f.bProject, f.aProject}},
		{"by customer", staffAdmin, "?customerId=" + f.a.customer.ID, []string{f.aProject}},
		{"by runbook", staffTech, "?runbook=officeconnect-ucaas", []string{f.bProject, f.aProject}},
		{"by other runbook", staffTech, "?runbook=hosted-exchange", nil},
		{"by status", staffAdmin, "?status=active", []string{f.bProject, f.aProject}},
		{"by other status", staffAdmin, "?status=cancelled", nil},
		{"by site", staffAdmin, "?siteId=" + f.bSite, []string{f.bProject}},
		{"the PM's own", staffPM, "?pm=me", []string{f.bProject, f.aProject}},
		{"an admin manages none", staffAdmin, "?pm=me", nil},
		{"a page", staffAdmin, "?limit=1&offset=1", []string{f.aProject}},
		{"customer sees its own", aAdmin, "", []string{f.aProject}},
		{"customer names itself", aAdmin, "?customerId=" + f.a.customer.ID, []string{f.aProject}},
		{"user without accounts sees none", aUser, "", nil},
		{"other customer", bAdmin, "", []string{f.bProject}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l list[projectJSON]
			f.doJSON(call{as: tt.as, method: "GET", path: "/projects" + tt.query, lang: "de"}, 200, &l)
			var got []string
			for _, p := range l.Items {
				got = append(got, p.ID)
				if p.RunbookName != "Aktivierung von OfficeConnect (UCaaS)" || p.Runbook != "officeconnect-ucaas" {
					t.Errorf("runbook = %s %q, want OfficeConnect's German name", p.Runbook, p.RunbookName)
				}
			}
			if !cmp.Equal(got, tt.want) {
				t.Errorf("GET /projects%s as %s = %v, want %v", tt.query, tt.as, got, tt.want)
			}
		})
	}
	var l list[projectJSON]
	f.doJSON(call{as: staffAdmin, method: "GET", path: "/projects?limit=1"}, 200, &l)
	if l.Total != 2 || len(l.Items) != 1 || l.Limit != 1 {
		t.Errorf("first page = %d of %d (limit %d), want 1 of 2", len(l.Items), l.Total, l.Limit)
	}
}

// TestTaskLifecycle drives the first stages of an OfficeConnect project:
// each side does its tasks, the signature and payment gates hold until
// met, and wrong moves are refused with 409.
func TestTaskLifecycle(t *testing.T) {
	f := newProjectFixture(t)
	id := f.aProject
	p := f.act(aAdmin, id, "identify-order-requirements", "start", "", 200)
	if pt := findTask(t, p, "identify-order-requirements"); pt.Status != "in_progress" || pt.StartedAt == nil {
		t.Errorf("started task = %+v", pt)
	}
	p = f.act(aAdmin, id, "identify-order-requirements", "complete", "", 200)
	if pt := findTask(t, p, "identify-order-requirements"); pt.Status != "done" || pt.DoneAt == nil {
		t.Errorf("completed task = %+v", pt)
	}
	p = f.act(aAdmin, id, "assess-network", "block", `{"reason":"Esperamos al proveedor de red"}`, 200)
	if pt := findTask(t, p, "assess-network"); pt.Status != "blocked" || pt.BlockedReason != "Esperamos al proveedor de red" {
		t.Errorf("blocked task = %+v", pt)
	}
	p = f.act(aAdmin, id, "assess-network", "unblock", "", 200)
	if pt := findTask(t, p, "assess-network"); pt.Status != "ready" || pt.BlockedReason != "" {
		t.Errorf("unblocked task = %+v", pt)
	}
	f.act(aAdmin, id, "assess-network", "complete", `{}`, 200)
	f.act(staffPM, id, "identify-service-requirements", "complete", "", 200)
	f.act(staffPM, id, "service-demo", "complete", "", 200)
	p = f.act(staffPM, id, "send-agreement", "complete", "", 200)
	if pt := findTask(t, p, "sign-agreement"); pt.Status != "ready" || pt.Gate == nil || pt.Gate.Kind != "signature" || pt.Gate.Met {
		t.Fatalf("sign-agreement after the agreement was sent = %+v", pt)
	}

	// Gates hold until their condition is met, by the right people.
	f.act(aAdmin, id, "sign-agreement", "complete", "", http.StatusConflict)
	p = f.act(aAdmin, id, "sign-agreement", "gate", `{"name":"Laura Vega"}`, 200)
	if g := findTask(t, p, "sign-agreement").Gate; !g.Met || g.MetAt == nil || g.Detail != "Laura Vega" {
		t.Errorf("signature gate = %+v, want met by Laura Vega", g)
	}
	f.act(aAdmin, id, "sign-agreement", "gate", `{"name":"Otra"}`, http.StatusConflict)
	f.act(aAdmin, id, "sign-agreement", "complete", "", 200)
	f.act(aAdmin, id, "pay-nrc", "gate", `{"reference":"TRX-1"}`, http.StatusForbidden)
	f.act(staffPM, id, "pay-nrc", "gate", `{"reference":"TRX-1"}`, 200)
	p = f.act(aAdmin, id, "pay-nrc", "complete", "", 200)
	if pt := findTask(t, p, "introduce-pm"); pt.Status != "ready" {
		t.Errorf("introduce-pm after signature and payment = %s, want ready", pt.Status)
	}
	f.act(aAdmin, id, "sign-agreement", "complete", "", http.StatusConflict)
	f.act(staffPM, id, "introduce-pm", "gate", `{"name":"X"}`, http.StatusConflict)

	// The PM marks a task not applicable and back, and pins a date.
	p = f.act(staffPM, id, "designate-contact", "skip", `{"reason":"Ya designado en el contrato"}`, 200)
	if pt := findTask(t, p, "designate-contact"); pt.Status != "not_applicable" || pt.BlockedReason != "Ya designado en el contrato" {
		t.Errorf("skipped task = %+v", pt)
	}
	p = f.act(staffPM, id, "designate-contact", "include", "", 200)
	if pt := findTask(t, p, "designate-contact"); pt.Status != "pending" {
		t.Errorf("included task = %s, want pending", pt.Status)
	}
	p = f.act(staffPM, id, "introduce-pm", "reschedule", `{"date":"2026-11-20"}`, 200)
	pin := time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)
	if pt := findTask(t, p, "introduce-pm"); pt.NotBefore == nil || !pt.NotBefore.Equal(pin) || pt.PlannedStart.Before(pin) {
		t.Errorf("rescheduled task = not before %v, planned from %v; want both at or after %v", pt.NotBefore, pt.PlannedStart, pin)
	}
	var moved projectDetailJSON
	f.doJSON(call{as: staffPM, method: "POST", path: "/projects/" + id + "/reschedule", body: `{"startAt":"2026-11-03T09:00:00-06:00"}`}, 200, &moved)
	if !moved.StartAt.Equal(time.Date(2026, 11, 3, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("rescheduled start = %v", moved.StartAt)
	}

	var entries int
	must(t, f.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE object_id = $1 AND action LIKE 'project.%'`, id).Scan(&entries))
	if entries < 15 {
		t.Errorf("audit entries of the project = %d, want one per change", entries)
	}

	// A cancelled project takes no more changes.
	var cancelled projectDetailJSON
	f.doJSON(call{as: staffPM, method: "POST", path: "/projects/" + id + "/cancel", body: `{"reason":"El cliente desistió"}`}, 200, &cancelled)
	if cancelled.Status != "cancelled" || cancelled.CancelledAt == nil {
		t.Errorf("cancelled project = %s at %v", cancelled.Status, cancelled.CancelledAt)
	}
	f.act(aAdmin, id, "designate-contact", "start", "", http.StatusConflict)
	resp, b := f.do(call{as: staffPM, method: "POST", path: "/projects/" + id + "/cancel"})
	checkProblem(t, resp, b, http.StatusConflict)
}

func TestNextActions(t *testing.T) {
	f := newProjectFixture(t)
	page := func(as, query string) list[nextActionJSON] {
		t.Helper()
		var l list[nextActionJSON]
		f.doJSON(call{as: as, method: "GET", path: "/next-actions" + query, lang: "en"}, 200, &l)
		return l
	}
	// At the start, each OfficeConnect project has two ready tasks of the
	// customer and two of provider support.
	l := page(aAdmin, "")
	if l.Total != 2 {
		t.Fatalf("A's next actions = %d, want its 2 customer tasks", l.Total)
	}
	for _, n := range l.Items {
		if n.Party != "customer" || n.ProjectID != f.aProject || n.CustomerName != "Acme" || n.Name == n.Key || n.Overdue {
			t.Errorf("customer next action = %+v", n)
		}
	}
	if got := page(staffPM, "?mine=true").Total; got != 8 {
		t.Errorf("PM's next actions = %d, want 8", got)
	}
	if got := page(staffAdmin, "?mine=true").Total; got != 0 {
		t.Errorf("admin's own next actions = %d, want 0", got)
	}
	if got := page(staffAdmin, "?customerId="+f.b.customer.ID).Total; got != 4 {
		t.Errorf("B's next actions for staff = %d, want 4", got)
	}
	if l := page(staffPM, "?limit=3&offset=6"); len(l.Items) != 2 || l.Total != 8 {
		t.Errorf("last page = %d items of %d, want 2 of 8", len(l.Items), l.Total)
	}

	f.clock.Advance(60 * 24 * time.Hour)
	for _, n := range page(staffPM, "?customerId="+f.a.customer.ID).Items {
		if !n.Overdue {
			t.Errorf("next action %s due %v is not overdue two months later", n.Key, n.Due)
		}
	}
	if pt := findTask(t, f.project(aAdmin, f.aProject), "identify-order-requirements"); !pt.Overdue {
		t.Errorf("task due %v not overdue two months later", pt.Due)
	}
}

// projectState is what refused project requests must leave as it was.
func (f *projectFixture) projectState() map[string]string {
	f.t.Helper()
	out := map[string]string{}
	for _, q := range []string{`SELECT COUNT(*) FROM projects`, `SELECT COUNT(*) FROM project_tasks`,
		`SELECT MAX(updated_at) FROM projects`, `SELECT MAX(updated_at) FROM project_tasks`,
		`SELECT COUNT(*) FROM runbook_versions`, `SELECT COUNT(*) FROM audit_log`, `SELECT COUNT(*) FROM notifications`,
		`SELECT COUNT(*) FROM messages`, `SELECT COUNT(*) FROM jobs`} {
		var v any
		must(f.t, f.db.QueryRow(q).Scan(&v))
		out[q] = fmt.Sprint(v)
	}
	return out
}

// TestProjectBadInput sends malformed and invalid project requests as
// people who may make the change they aim at: each is refused with a
// problem naming the fault, and nothing changes.
func TestProjectBadInput(t *testing.T) {
	f := newProjectFixture(t)
	a := f.a
	task := func(key, action string) string {
		return "/projects/" + f.aProject + "/tasks/" + f.taskID(f.aProject, key) + "/" + action
	}
	start := func(extra string) string {
		return fmt.Sprintf(`{"customerId":%q,"billingAccountId":%q,"siteId":%q,"runbook":"hosted-exchange"%s}`,
			a.customer.ID, a.accounts[0].ID, f.aSite, extra)
	}
	huge := `{"reason":"` + strings.Repeat("x", 2<<20) + `"}`
	tests := []refusal{
		{"unknown member", call{as: staffPM, method: "POST", path: "/projects", body: start(`,"colour":"red"`)}, 400, "/colour"},
		{"wrong type", call{as: staffPM, method: "POST", path: "/projects", body: start(`,"version":"1"`)}, 400, "/version"},
		{"option not a boolean", call{as: staffPM, method: "POST", path: "/projects", body: start(`,"options":{"bulk_load":"yes"}`)}, 400, ""},
		{"malformed JSON", call{as: staffPM, method: "POST", path: "/projects", body: `{"runbook":`}, 400, ""},
		{"wrong media type", call{as: staffPM, method: "POST", path: "/projects", body: start(""), contentType: "text/plain"}, 415, ""},
		{"oversized body", call{as: staffPM, method: "POST", path: "/projects/" + f.aProject + "/cancel", body: huge}, 413, ""},
		{"bad start", call{as: staffPM, method: "POST", path: "/projects", body: start(`,"startAt":"next week"`)}, 422, "/startAt"},
		{"unknown runbook", call{as: staffPM, method: "POST", path: "/projects", body: strings.Replace(start(""), "hosted-exchange", "nope", 1)}, 422, "/runbook"},
		{"unknown option", call{as: staffPM, method: "POST", path: "/projects", body: start(`,"options":{"porting":true}`)}, 422, "/options"},
		{"site of another customer", call{as: staffPM, method: "POST", path: "/projects", body: strings.Replace(start(""), f.aSite, f.bSite, 1)}, 422, "/siteId"},
		{"account of another customer", call{as: staffPM, method: "POST", path: "/projects", body: strings.Replace(start(""), a.accounts[0].ID, f.b.accounts[0].ID, 1)}, 422, "/billingAccountId"},
		{"PM not staff", call{as: staffPM, method: "POST", path: "/projects", body: start(`,"pmUserId":"` + a.adminID + `"`)}, 422, "/pmUserId"},
		{"contact of another customer", call{as: staffPM, method: "POST", path: "/projects", body: start(`,"contactUserId":"` + f.b.adminID + `"`)}, 422, "/contactUserId"},
		{"block without reason", call{as: aAdmin, method: "POST", path: task("assess-network", "block"), body: `{"reason":" "}`}, 422, "/reason"},
		{"block without body", call{as: aAdmin, method: "POST", path: task("assess-network", "block")}, 422, "/reason"},
		{"unknown member in action", call{as: aAdmin, method: "POST", path: task("assess-network", "start"), body: `{"force":true}`}, 400, "/force"},
		{"reason not a string", call{as: aAdmin, method: "POST", path: task("assess-network", "block"), body: `{"reason":1}`}, 400, "/reason"},
		{"gate confirm not a boolean", call{as: aAdmin, method: "POST", path: task("assess-network", "gate"), body: `{"confirm":"yes"}`}, 400, "/confirm"},
		{"gate bad date", call{as: aAdmin, method: "POST", path: task("assess-network", "gate"), body: `{"date":"31/12/2026"}`}, 422, "/date"},
		{"gate on a task without one", call{as: aAdmin, method: "POST", path: task("assess-network", "gate"), body: `{"name":"X"}`}, 409, ""},
		{"complete a pending task", call{as: staffPM, method: "POST", path: task("send-agreement", "complete")}, 409, ""},
		{"unblock a ready task", call{as: aAdmin, method: "POST", path: task("assess-network", "unblock")}, 409, ""},
		{"reschedule without date", call{as: staffPM, method: "POST", path: task("send-agreement", "reschedule"), body: `{}`}, 422, "/date"},
		{"reschedule bad date", call{as: staffPM, method: "POST", path: task("send-agreement", "reschedule"), body: `{"date":"2026-13-01"}`}, 422, "/date"},
		{"project reschedule without start", call{as: staffPM, method: "POST", path: "/projects/" + f.aProject + "/reschedule", body: `{"startAt":""}`}, 422, "/startAt"},
		{"project reschedule unknown member", call{as: staffPM, method: "POST", path: "/projects/" + f.aProject + "/reschedule", body: `{"date":"2026-12-01"}`}, 400, "/date"},
		{"cancel reason too long", call{as: staffPM, method: "POST", path: "/projects/" + f.aProject + "/cancel", body: `{"reason":"` + strings.Repeat("x", 501) + `"}`}, 422, "/reason"},
		{"unknown task", call{as: staffPM, method: "POST", path: "/projects/" + f.aProject + "/tasks/nope/start"}, 404, ""},
		{"unknown project", call{as: staffPM, method: "GET", path: "/projects/nope"}, 404, ""},
		{"bad status filter", call{as: staffPM, method: "GET", path: "/projects?status=maybe"}, 400, "status"},
		{"bad pm filter", call{as: staffPM, method: "GET", path: "/projects?pm=" + f.pmID}, 400, "pm"},
		{"unknown parameter", call{as: staffPM, method: "GET", path: "/projects?customer=x"}, 400, "customer"},
		{"limit above maximum", call{as: staffPM, method: "GET", path: "/next-actions?limit=201"}, 400, "limit"},
		{"junk boolean", call{as: staffPM, method: "GET", path: "/next-actions?mine=perhaps"}, 400, "mine"},
		{"parameter on a route without any", call{as: staffPM, method: "GET", path: "/projects/" + f.aProject + "?lang=de"}, 400, "lang"},
	}
	before := f.projectState()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.do(tt.c)
			p := checkProblem(t, resp, body, tt.status)
			if tt.field != "" && !hasField(p, tt.field) {
				t.Errorf("problem %+v lacks field %q", p, tt.field)
			}
		})
	}
	if diff := cmp.Diff(before, f.projectState()); diff != "" {
		t.Errorf("bad input changed the data (-before +after):\n%s", diff)
	}
}
