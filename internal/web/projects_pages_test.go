package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/identity"
)

func TestProjectWorkBoardAndOrders(t *testing.T) {
	w := newProjectWorld(t)
	aID := w.aProject.Project.ID
	// A week later the first tasks (due within a day or two) are overdue.
	w.clock.Advance(7 * 24 * time.Hour)
	pm := w.signedIn(w.pm.Email)

	r := pm.get("/projects/work").want(t, 200, "")
	r.contains(t, `id="work-overdue"`, `id="work-waiting"`, `id="work-next"`, `aria-current="true" id="scope-mine"`,
		"/projects/"+aID+"#task-identify-service-requirements", "Alfa", "Beta")
	support := w.signedIn(w.newStaff(identity.StaffSupport))
	support.get("/projects/work").want(t, 200, "").contains(t, `aria-current="true" id="scope-all"`)
	pm.get("/projects/work?scope=nope").want(t, 200, "").contains(t, `id="error-summary"`)

	// The customer's version lists only what the customer must do.
	admin := w.signedIn(w.a.admin.Email)
	r = admin.get("/projects/work").want(t, 200, "")
	r.contains(t, "Lo que le toca hacer", "#task-identify-order-requirements", "Vencida")
	for _, other := range []string{"identify-service-requirements", w.bProject.Project.Folio} {
		if strings.Contains(r.body, other) {
			t.Errorf("the customer's work page shows %s", other)
		}
	}

	r = pm.get("/projects/board").want(t, 200, "")
	r.contains(t, `id="board-officeconnect-ucaas"`, `id="column-discovery"`, w.aProject.Project.Folio, w.bProject.Project.Folio,
		`class="status status-overdue"`)
	admin.get("/projects/board").want(t, 404, "")

	// Orders by site: the customer's own, with the 10-day notice.
	r = admin.get("/orders").want(t, 200, "")
	r.contains(t, `id="orders-delay"`, "Matriz Alfa", "OC-ALFA-1", w.aProject.Project.Folio)
	if strings.Contains(r.body, "OC-BETA-1") {
		t.Error("A's orders page shows B's order")
	}
	pm.get("/orders").want(t, 200, "").contains(t, `id="choose-customer"`)
	pm.get("/orders?customer_id="+w.b.customer.ID).want(t, 200, "").contains(t, "OC-BETA-1", "Matriz Beta")
	pm.get("/orders?customer_id="+enlaceMissingID).want(t, 404, "")
}

func TestProjectHomeWidgets(t *testing.T) {
	w := newProjectWorld(t)
	w.clock.Advance(7 * 24 * time.Hour)
	r := w.signedIn(w.a.admin.Email).get("/").want(t, 200, "")
	r.contains(t, `id="widget-projects"`, `id="projects-active-count">1<`, "#task-identify-order-requirements", `href="/orders"`)
	r = w.signedIn(w.pm.Email).get("/").want(t, 200, "")
	r.contains(t, `id="widget-work"`, `href="/projects/work"`)
	if strings.Contains(r.body, `id="work-overdue-count">0<`) {
		t.Error("the PM's widget counts no overdue task a week in")
	}
	// Nav: projects for everyone, runbooks for staff, orders for
	// customers, the calendar for staff administrators.
	w.signedIn(w.a.user.Email).get("/").want(t, 200, "").contains(t, `id="nav-projects"`, `id="nav-orders"`)
	w.signedIn(w.admin.Email).get("/").want(t, 200, "").contains(t, `id="nav-runbooks"`, `id="nav-calendar"`)
}

// TestProjectPagesInEveryLanguage renders every project, runbook and
// calendar page, and their refused forms, in the three languages, and
// looks for message keys left untranslated (the rawKey check of
// TestEveryPageInEveryLanguage, on a server with projects).
func TestProjectPagesInEveryLanguage(t *testing.T) {
	w := newProjectWorld(t)
	w.toAgreement(t)
	w.clock.Advance(3 * 24 * time.Hour)
	aID, bID := w.aProject.Project.ID, w.bProject.Project.ID
	sign := "/projects/" + aID + "/tasks/" + w.task(t, aID, "sign-agreement").ID
	staff := w.signedIn(w.admin.Email)
	pm := w.signedIn(w.pm.Email)
	admin := w.signedIn(w.a.admin.Email)
	pages := []langPage{
		{staff, "GET", "/", nil},
		{staff, "GET", "/projects", nil},
		{staff, "GET", "/projects?status=x", nil},
		{staff, "GET", "/projects/new", nil},
		{staff, "GET", "/projects/new?customer_id=" + w.a.customer.ID + "&runbook=teams-cloud-voice", nil},
		{staff, "POST", "/projects", url.Values{"customer_id": {w.a.customer.ID}, "runbook": {"ip-centrex"}, "start_date": {"x"}}},
		{staff, "GET", "/projects/" + aID, nil},
		{staff, "GET", "/projects/" + bID, nil},
		{staff, "GET", "/projects/work", nil},
		{staff, "GET", "/projects/board", nil},
		{staff, "GET", "/orders?customer_id=" + w.a.customer.ID, nil},
		{staff, "GET", "/runbooks", nil},
		{staff, "GET", "/runbooks/teams-cloud-voice", nil},
		{staff, "GET", "/runbooks/hosted-exchange", nil},
		{staff, "GET", "/runbooks/ip-centrex", nil},
		{staff, "GET", "/runbooks/officeconnect-ucaas", nil},
		{staff, "GET", "/runbooks/new", nil},
		{staff, "GET", "/runbooks/new?from=&key=", nil},
		{staff, "GET", "/runbooks/new?from=hosted-exchange&key=correo-2", nil},
		{staff, "POST", "/runbooks", url.Values{"source": {brokenRunbook}}},
		{staff, "GET", "/settings/calendar", nil},
		{staff, "POST", "/settings/calendar", url.Values{"day": {"x"}, "kind": {"x"}}},
		{pm, "GET", "/", nil},
		{pm, "POST", sign + "/act", url.Values{"action": {"block"}}},
		{pm, "POST", sign + "/reschedule", url.Values{"at_date": {"nope"}}},
		{pm, "POST", "/projects/" + aID + "/cancel", nil},
		{admin, "GET", "/", nil},
		{admin, "GET", "/projects", nil},
		{admin, "GET", "/projects/" + aID, nil},
		{admin, "GET", "/projects/work", nil},
		{admin, "GET", "/orders", nil},
		{admin, "POST", sign + "/gate", url.Values{"name": {""}}},
		{admin, "POST", sign + "/act", url.Values{"action": {"complete"}}},
	}
	checkEveryLanguage(t, []*client{staff, pm, admin}, pages)
}
