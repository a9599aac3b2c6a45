package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// aViewer holds the token of a read-only technical contact of customer A
// who may see A's first billing account, and so A's project.
const aViewer = "customer A read-only technical contact"

// tenancyBodies are valid bodies for the project routes that need one, so
// that a refusal is about who asks, never about what they sent.
var tenancyBodies = map[string]string{
	"/projects/{id}/reschedule":                `{"startAt":"2026-12-01"}`,
	"/projects/{id}/cancel":                    `{"reason":"x"}`,
	"/projects/{id}/assign":                    `{"pmUserId":""}`,
	"/projects/{id}/tasks/{taskId}/block":      `{"reason":"x"}`,
	"/projects/{id}/tasks/{taskId}/gate":       `{"name":"X","reference":"R","date":"2026-12-01","confirm":true}`,
	"/projects/{id}/tasks/{taskId}/reschedule": `{"date":"2026-12-01"}`,
}

// projectCalls returns a call of every project route that names a project,
// on project id and its task taskID.
func projectCalls(id, taskID string) []call {
	var out []call
	for _, rt := range projectRoutes {
		if !strings.Contains(rt.path, "{id}") {
			continue
		}
		path := strings.NewReplacer("{id}", id, "{taskId}", taskID).Replace(rt.path)
		out = append(out, call{method: rt.method, path: path, body: tenancyBodies[rt.path]})
	}
	return out
}

// TestProjectTenancy runs every project and runbook route as every role:
// another customer's project is not found on every route, whoever asks;
// runbooks are not found for customers; a customer may not act on the
// provider's tasks nor staff on the customer's (403); customers never see
// internal tasks. Nothing changes.
func TestProjectTenancy(t *testing.T) {
	f := newProjectFixture(t)
	f.addViewer()
	aTask := func(key string) string { return "/projects/" + f.aProject + "/tasks/" + f.taskID(f.aProject, key) }
	type row struct {
		name   string
		c      call
		status int
	}
	var tests []row

	// Another customer's project, on every route, for every customer role;
	// A's end user sees no billing account, so not A's project either.
	for _, who := range []struct {
		as, project string
	}{{aAdmin, f.bProject}, {aUser, f.bProject}, {aViewer, f.bProject}, {bAdmin, f.aProject}, {aUser, f.aProject}} {
		for _, c := range projectCalls(who.project, f.taskID(who.project, "identify-order-requirements")) {
			c.as = who.as
			tests = append(tests, row{who.as + " " + c.method + " " + c.path, c, 404})
		}
	}
	for _, as := range []string{aAdmin, aUser, aViewer} {
		tests = append(tests,
			row{as + " lists B projects", call{as: as, method: "GET", path: "/projects?customerId=" + f.b.customer.ID}, 404},
			row{as + " lists B next actions", call{as: as, method: "GET", path: "/next-actions?customerId=" + f.b.customer.ID}, 404})
		// Runbooks are the provider's: not found for customers.
		for _, rt := range runbookRoutes {
			c := call{as: as, method: rt.method, path: strings.ReplaceAll(rt.path, "{key}", "hosted-exchange")}
			if rt.method == "POST" {
				c.body, c.contentType = shippedSource(t, "hosted-exchange", "2"), "text/yaml"
			}
			tests = append(tests, row{as + " " + c.method + " " + c.path, c, 404})
		}
	}

	provider, customerTask := aTask("identify-service-requirements"), aTask("identify-order-requirements")
	tests = append(tests, []row{
		{"no token", call{method: "GET", path: "/projects"}, 401},
		{"no token on a task", call{method: "POST", path: customerTask + "/start"}, 401},

		// A customer on the provider's tasks and the PM's operations.
		{"customer starts a provider task", call{as: aAdmin, method: "POST", path: provider + "/start"}, 403},
		{"customer completes a provider task", call{as: aAdmin, method: "POST", path: provider + "/complete"}, 403},
		{"customer blocks a provider task", call{as: aAdmin, method: "POST", path: provider + "/block", body: `{"reason":"x"}`}, 403},
		{"customer skips own task", call{as: aAdmin, method: "POST", path: customerTask + "/skip"}, 403},
		{"customer records the payment", call{as: aAdmin, method: "POST", path: aTask("pay-nrc") + "/gate", body: `{"reference":"R"}`}, 403},
		{"customer reschedules a task", call{as: aAdmin, method: "POST", path: customerTask + "/reschedule", body: `{"date":"2026-12-01"}`}, 403},
		{"customer reschedules the project", call{as: aAdmin, method: "POST", path: "/projects/" + f.aProject + "/reschedule", body: `{"startAt":"2026-12-01"}`}, 403},
		{"customer cancels the project", call{as: aAdmin, method: "POST", path: "/projects/" + f.aProject + "/cancel"}, 403},
		{"customer assigns the PM", call{as: aAdmin, method: "POST", path: "/projects/" + f.aProject + "/assign", body: `{"pmUserId":""}`}, 403},
		{"customer starts a project", call{as: aAdmin, method: "POST", path: "/projects", body: `{"customerId":"` + f.a.customer.ID + `","runbook":"hosted-exchange"}`}, 404},
		{"customer acts on an internal task", call{as: aAdmin, method: "POST", path: aTask("pm-sales-review") + "/start"}, 404},
		{"read-only contact completes own task", call{as: aViewer, method: "POST", path: customerTask + "/complete"}, 403},
		{"read-only contact starts own task", call{as: aViewer, method: "POST", path: customerTask + "/start"}, 403},

		// Staff on the customer's tasks, and roles that do not manage.
		{"admin completes a customer task", call{as: staffAdmin, method: "POST", path: customerTask + "/complete"}, 403},
		{"admin starts a customer task", call{as: staffAdmin, method: "POST", path: customerTask + "/start"}, 403},
		{"PM completes a customer task", call{as: staffPM, method: "POST", path: customerTask + "/complete"}, 403},
		{"PM blocks a customer task", call{as: staffPM, method: "POST", path: customerTask + "/block", body: `{"reason":"x"}`}, 403},
		{"PM signs for the customer", call{as: staffPM, method: "POST", path: aTask("sign-agreement") + "/gate", body: `{"name":"X"}`}, 403},
		{"technician completes a support task", call{as: staffTech, method: "POST", path: provider + "/complete"}, 403},
		{"technician skips a task", call{as: staffTech, method: "POST", path: provider + "/skip"}, 403},
		{"technician cancels", call{as: staffTech, method: "POST", path: "/projects/" + f.aProject + "/cancel"}, 403},
		{"technician starts a project", call{as: staffTech, method: "POST", path: "/projects", body: `{"customerId":"` + f.a.customer.ID + `","runbook":"hosted-exchange"}`}, 403},
		{"technician publishes a runbook", call{as: staffTech, method: "POST", path: "/runbooks", body: shippedSource(t, "hosted-exchange", "2"), contentType: "text/yaml"}, 403},
		{"PM publishes a runbook", call{as: staffPM, method: "POST", path: "/runbooks", body: shippedSource(t, "hosted-exchange", "2"), contentType: "text/yaml"}, 403},

		// What each may see.
		{"A admin reads A project", call{as: aAdmin, method: "GET", path: "/projects/" + f.aProject}, 200},
		{"read-only contact reads A project", call{as: aViewer, method: "GET", path: "/projects/" + f.aProject}, 200},
		{"A admin names own customer", call{as: aAdmin, method: "GET", path: "/next-actions?customerId=" + f.a.customer.ID}, 200},
		{"technician reads B project", call{as: staffTech, method: "GET", path: "/projects/" + f.bProject}, 200},
		{"technician reads runbooks", call{as: staffTech, method: "GET", path: "/runbooks"}, 200},
	}...)

	before := f.projectState()
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
	if diff := cmp.Diff(before, f.projectState()); diff != "" {
		t.Errorf("refused requests changed the data (-before +after):\n%s", diff)
	}
}

// TestCustomerNeverSeesInternalTasks reads one project as staff and as the
// customer: the provider's internal tasks are only in the staff view,
// nowhere in the customer's (tasks, critical path, next actions).
func TestCustomerNeverSeesInternalTasks(t *testing.T) {
	f := newProjectFixture(t)
	internal := []string{"pm-sales-review", "update-deliverables"}
	staff := f.project(staffPM, f.aProject)
	for _, key := range internal {
		if pt := findTask(t, staff, key); !pt.Internal {
			t.Errorf("staff view of %s: internal = false", key)
		}
	}
	f.addViewer()
	for _, as := range []string{aAdmin, aViewer} {
		p := f.project(as, f.aProject)
		if len(p.Tasks) != len(staff.Tasks)-len(internal) {
			t.Errorf("%s sees %d tasks, want %d", as, len(p.Tasks), len(staff.Tasks)-len(internal))
		}
		for _, pt := range p.Tasks {
			if pt.Internal || slices.Contains(internal, pt.Key) {
				t.Errorf("%s sees internal task %s", as, pt.Key)
			}
			for _, k := range pt.After {
				if slices.Contains(internal, k) {
					t.Errorf("%s sees that %s waits for internal task %s", as, pt.Key, k)
				}
			}
		}
		for _, k := range append(p.CriticalPath, nextKeys(p.NextActions)...) {
			if slices.Contains(internal, k) {
				t.Errorf("%s sees internal task %s in the critical path or next actions", as, k)
			}
		}
		var l list[nextActionJSON]
		f.doJSON(call{as: as, method: "GET", path: "/next-actions"}, 200, &l)
		for _, n := range l.Items {
			if n.Party != "customer" || slices.Contains(internal, n.Key) {
				t.Errorf("%s's next actions include %s of %s", as, n.Key, n.Party)
			}
		}
	}
	resp, body := f.do(call{as: aAdmin, method: "GET", path: "/projects/" + f.aProject})
	for _, key := range internal {
		if strings.Contains(string(body), key) || resp.StatusCode != http.StatusOK {
			t.Errorf("the customer's response (%d) names internal task %s", resp.StatusCode, key)
		}
	}
	if after := findTask(t, staff, "kickoff-call").After; !slices.Contains(after, "pm-sales-review") {
		t.Errorf("staff see kickoff-call after %v, want pm-sales-review among them", after)
	}
}
