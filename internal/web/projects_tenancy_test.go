package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/identity"
)

// TestProjectTenancy walks every project route as every customer role of
// customer A against customer B's project: each answers 404 and nothing
// of B changes. Then the roles within a project: a customer cannot act on
// a provider task nor staff on a customer's (403, status unchanged), a
// customer never sees nor reaches an internal task, and the staff-only
// pages are 404 for customers and 403 for staff without the right.
func TestProjectTenancy(t *testing.T) {
	w := newProjectWorld(t)
	a, b := w.aProject.Project.ID, w.bProject.Project.ID
	bTask := w.task(t, b, "identify-order-requirements").ID
	bGate := w.task(t, b, "sign-agreement").ID
	note, err := w.svc.AddNote(w.pmCtx, b, activation.NoteInput{Kind: activation.NoteKickoff, MeetingAt: w.clock.Now()})
	must(t, err)
	bNote := note.ID
	member := func(role, access string) string {
		m, err := w.id.CreateMember(w.staffCtx(), identity.NewMember{CustomerID: w.a.customer.ID, Email: role + "@alfa.mx",
			FirstName: "Rol", LastName: role, Role: role, AccessLevel: access})
		must(t, err)
		return m.Email
	}
	customers := map[string]*client{
		"A admin":     w.signedIn(w.a.admin.Email),
		"A user":      w.signedIn(w.a.user.Email),
		"A technical": w.signedIn(member(identity.RoleTechnical, identity.AccessFull)),
		"A billing":   w.signedIn(member(identity.RoleBilling, identity.AccessFull)),
		"A signer":    w.signedIn(member(identity.RoleSigner, identity.AccessFull)),
	}
	complete := url.Values{"action": {"complete"}}
	routes := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/projects/" + b, nil},
		{"POST", "/projects/" + b + "/tasks/" + bTask + "/act", complete},
		{"POST", "/projects/" + b + "/tasks/" + bTask + "/act", url.Values{"action": {"block"}, "reason": {"x"}}},
		{"POST", "/projects/" + b + "/tasks/" + bGate + "/gate", url.Values{"name": {"Intruso"}}},
		{"POST", "/projects/" + b + "/tasks/" + bGate + "/gate", url.Values{"name": {""}}},
		{"POST", "/projects/" + b + "/tasks/" + bTask + "/reschedule", url.Values{"at_date": {"2026-05-04"}}},
		{"POST", "/projects/" + b + "/reschedule", url.Values{"start_date": {"2026-05-04"}}},
		{"POST", "/projects/" + b + "/cancel", url.Values{"confirm": {"yes"}}},
		{"POST", "/projects/" + b + "/cancel", nil},
		{"POST", "/projects/" + a + "/tasks/" + bTask + "/act", complete}, // B's task through A's project
		{"GET", "/projects/" + b + "/report", nil},
		{"POST", "/projects/" + b + "/assign", url.Values{"pm_user_id": {""}}},
		{"POST", "/projects/" + b + "/notes", url.Values{"kind": {"note"}, "body": {"x"}}},
		{"POST", "/projects/" + b + "/notes/" + bNote + "/publish", url.Values{"body": {"x"}}},
		{"GET", "/orders?customer_id=" + w.b.customer.ID, nil},
		{"GET", "/projects/new?customer_id=" + w.b.customer.ID, nil},
		{"POST", "/projects", url.Values{"customer_id": {w.b.customer.ID}, "runbook": {officeConnect},
			"billing_account_id": {w.b.account.ID}, "site_id": {w.bSite}}},
		{"GET", "/projects/board", nil},
		{"GET", "/runbooks", nil},
		{"GET", "/runbooks/" + officeConnect, nil},
		{"GET", "/runbooks/" + officeConnect + "/edit", nil},
		{"GET", "/runbooks/new", nil},
		{"POST", "/runbooks", url.Values{"source": {brokenRunbook}}},
		{"GET", "/settings/calendar", nil},
		{"POST", "/settings/calendar", url.Values{"day": {"2026-12-24"}, "kind": {"holiday"}, "name": {"Nochebuena"}}},
		{"POST", "/settings/calendar/2026-12-24/delete", nil},
	}
	for who, c := range customers {
		for _, rt := range routes {
			t.Run(who+" "+rt.method+" "+rt.path, func(t *testing.T) {
				var r resp
				if rt.method == http.MethodPost {
					r = c.post(rt.path, rt.form)
				} else {
					r = c.get(rt.path)
				}
				if r.status != http.StatusNotFound {
					t.Errorf("%s %s as %s = %d, want 404\n%s", rt.method, rt.path, who, r.status, r.body)
				}
			})
		}
		// The list and the orders page show A's projects only.
		for _, path := range []string{"/projects", "/projects?customer=" + w.b.customer.ID, "/projects/work", "/orders", "/"} {
			if r := c.get(path); r.status != 200 || strings.Contains(r.body, w.bProject.Project.Folio) || strings.Contains(r.body, "OC-BETA") {
				t.Errorf("%s GET %s = %d or shows B's project", who, path, r.status)
			}
		}
	}
	bNow, err := w.svc.Project(w.pmCtx, b)
	must(t, err)
	if bNow.Project.Status != activation.ProjectActive || !bNow.Project.StartAt.Equal(w.bProject.Project.StartAt) {
		t.Errorf("B's project changed: %s, start %v", bNow.Project.Status, bNow.Project.StartAt)
	}
	for _, before := range w.bProject.Tasks {
		if tk := w.task(t, b, before.Key); tk.Status != before.Status || tk.GateMetAt != nil || tk.NotBefore != nil {
			t.Errorf("B's task %s changed: %s → %s", before.Key, before.Status, tk.Status)
		}
	}
	if _, err := w.svc.Catalog().Latest(t.Context(), "prueba"); err == nil {
		t.Error("a customer published a runbook")
	}
	if _, days, err := w.svc.Holidays(w.staffCtx(), 2026); err != nil || len(days) != 0 {
		t.Errorf("the calendar changed: %v %v", days, err)
	}
}

// TestProjectRolesWithinAProject checks who may act on which task of a
// project they see.
func TestProjectRolesWithinAProject(t *testing.T) {
	w := newProjectWorld(t)
	id := w.aProject.Project.ID
	taskPath := func(key string) string { return "/projects/" + id + "/tasks/" + w.task(t, id, key).ID }
	clients := map[string]*client{
		"A admin":    w.signedIn(w.a.admin.Email),
		"A user":     w.signedIn(w.a.user.Email),
		"pm":         w.signedIn(w.pm.Email),
		"technician": w.signedIn(w.newStaff(identity.StaffTechnician)),
		"support":    w.signedIn(w.newStaff(identity.StaffSupport)),
		"account":    w.signedIn(w.newStaff(identity.StaffAccountExec)),
	}
	complete := url.Values{"action": {"complete"}}
	tests := []struct {
		who, method, path string
		form              url.Values
		want              int
	}{
		// Customers on provider tasks, staff on customer tasks: 403.
		{"A admin", "POST", taskPath("service-demo") + "/act", complete, 403},
		{"A admin", "POST", taskPath("identify-service-requirements") + "/act", url.Values{"action": {"start"}}, 403},
		{"A admin", "POST", taskPath("assess-network") + "/act", url.Values{"action": {"skip"}}, 403},
		{"A user", "POST", taskPath("assess-network") + "/act", complete, 403},
		{"pm", "POST", taskPath("assess-network") + "/act", complete, 403},
		{"technician", "POST", taskPath("assess-network") + "/act", complete, 403},
		{"technician", "POST", taskPath("service-demo") + "/act", complete, 403},
		{"support", "POST", taskPath("assess-network") + "/act", url.Values{"action": {"block"}, "reason": {"x"}}, 403},
		{"support", "POST", "/projects/" + id + "/cancel", url.Values{"confirm": {"yes"}}, 403},
		{"account", "POST", taskPath("service-demo") + "/reschedule", url.Values{"at_date": {"2026-05-04"}}, 403},
		// A customer never reaches an internal task.
		{"A admin", "POST", taskPath("pm-sales-review") + "/act", complete, 404},
		{"A admin", "POST", taskPath("pm-sales-review") + "/reschedule", url.Values{"at_date": {"2026-05-04"}}, 404},
		// Staff see every project; pages for their role.
		{"technician", "GET", "/projects/" + id, nil, 200},
		{"account", "GET", "/projects/board", nil, 200},
		{"support", "GET", "/projects/new", nil, 403},
		{"support", "GET", "/settings/calendar", nil, 403},
		{"pm", "POST", "/settings/calendar", url.Values{"day": {"2026-12-24"}, "kind": {"holiday"}, "name": {"x"}}, 403},
		{"pm", "GET", "/projects/" + enlaceMissingID, nil, 404},
		{"pm", "POST", "/projects/" + enlaceMissingID + "/cancel", url.Values{"confirm": {"yes"}}, 404},
	}
	for _, tt := range tests {
		t.Run(tt.who+" "+tt.method+" "+tt.path, func(t *testing.T) {
			var r resp
			if tt.method == http.MethodPost {
				r = clients[tt.who].post(tt.path, tt.form)
			} else {
				r = clients[tt.who].get(tt.path)
			}
			if r.status != tt.want {
				t.Errorf("%s %s as %s = %d, want %d\n%s", tt.method, tt.path, tt.who, r.status, tt.want, r.body)
			}
		})
	}
	for _, k := range []string{"service-demo", "identify-service-requirements", "assess-network"} {
		if tk := w.task(t, id, k); tk.Status != activation.TaskReady || tk.NotBefore != nil {
			t.Errorf("task %s changed by a refused action: %s", k, tk.Status)
		}
	}
	if w.task(t, id, "pm-sales-review").Status != activation.TaskPending {
		t.Error("the internal task changed")
	}
	// Nowhere does a customer see the internal task, not even as what
	// the kickoff call waits for.
	internalName := "Revisar con el Representante de Ventas los documentos de firma"
	for _, path := range []string{"/projects/" + id, "/projects/work", "/"} {
		if r := clients["A admin"].get(path); strings.Contains(r.body, "pm-sales-review") || strings.Contains(r.body, internalName) {
			t.Errorf("GET %s shows the internal task to the customer", path)
		}
	}
	clients["A admin"].get("/projects/"+id).want(t, 200, "").contains(t, `id="task-kickoff-call"`)
	clients["pm"].get("/projects/"+id).want(t, 200, "").contains(t, `id="task-pm-sales-review"`, internalName)
}
