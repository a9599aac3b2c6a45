package api

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/reach"
)

// reachFixture is the project fixture with the number inventory and the
// lists of people wired in: an IP-Centrex migration of each of A and B,
// A's read-only technical contact, a support agent who keeps numbers,
// three available numbers of A in Monterrey (+52 81 1000 0000 to 0002)
// and one of B there, and the job runner that moves the tasks following
// the lists.
type reachFixture struct {
	*projectFixture
	reach         *reach.Service
	numbers       *numbering.Service
	runner        *jobs.Runner
	aMigration    string
	bMigration    string
	bLine, bTrunk string // a person and a trunk of B's list
	aNumbers      []numbering.Number
	bNumber       numbering.Number
}

func newReachFixture(t *testing.T) *reachFixture {
	t.Helper()
	f := &reachFixture{projectFixture: newProjectFixture(t)}
	f.addViewer()
	support, _, err := f.svc.CreateStaffUser(f.staffCtx, identity.NewStaffUser{Email: "soporte@provider.example",
		FirstName: "Sofía", LastName: "Soporte", Role: identity.StaffSupport})
	must(t, err)
	f.tokens[staffSupport] = f.token(support.ID, "")
	f.numbers = f.withNumbers()
	f.reach = reach.NewService(f.store, f.projects, f.clock)
	f.api.Reach = f.reach
	f.runner = jobs.NewRunner(f.store, f.clock, slog.New(slog.DiscardHandler))
	f.reach.Register(f.runner)
	f.aMigration = f.start(f.a, f.aSite, "ip-centrex")
	f.bMigration = f.start(f.b, f.bSite, "ip-centrex")
	f.aNumbers = f.addNumbers(f.a, "+52 81 1000 0000", "+52 81 1000 0002")
	f.bNumber = f.addNumbers(f.b, "+52 81 2000 0000", "")[0]
	lines, err := f.reach.AddLines(f.pmCtx, f.bMigration, []reach.Row{{N: 1, Person: "Berta Bolsa", Number: "+52 81 6000 0001"}})
	must(t, err)
	trunk, err := f.reach.AddTrunk(f.pmCtx, f.bMigration, reach.TrunkInput{Name: "SIP trunk Bolsa"})
	must(t, err)
	f.bLine, f.bTrunk = lines[0].ID, trunk.ID
	return f
}

// addNumbers adds available numbers to a customer as the PM.
func (f *reachFixture) addNumbers(tn tenant, from, to string) []numbering.Number {
	f.t.Helper()
	ns, err := f.numbers.Add(f.pmCtx, numbering.AddInput{CustomerID: tn.customer.ID, From: from, To: to})
	must(f.t, err)
	return ns
}

// list reads a project's list through the API in English.
func (f *reachFixture) list(as, projectID string) reachJSON {
	f.t.Helper()
	var out reachJSON
	f.doJSON(call{as: as, method: "GET", path: "/projects/" + projectID + "/reach", lang: "en"}, 200, &out)
	return out
}

// reachState is what refused requests on the lists must leave as it was.
func (f *reachFixture) reachState() map[string]string {
	f.t.Helper()
	return f.snapshot(`SELECT COUNT(*) FROM reach_lines`, `SELECT COALESCE(SUM(version), 0) FROM reach_lines`,
		`SELECT COUNT(*) FROM reach_trunks`, `SELECT COALESCE(SUM(version), 0) FROM reach_trunks`,
		`SELECT COUNT(*) FROM numbers`, `SELECT SUM(version) FROM numbers`, `SELECT COUNT(*) FROM audit_log`,
		`SELECT COUNT(*) FROM jobs`)
}

// personPath is the path of a person of a project's list.
func personPath(projectID, lineID string) string {
	return "/projects/" + projectID + "/reach/people/" + lineID
}

// TestReach keeps A's list through a migration: the customer's
// administrator enters the people, the PM adds a trunk, puts everyone on
// it and gives everyone a provisional number from A's numbers in their
// local area (one person's area has none until a number is added), the
// support agent records CLIP-no-screening, the administrator confirms the
// forwarding, and the runbook's tasks and the checkpoints follow. Trunks
// and people change and go only on the version read.
func TestReach(t *testing.T) {
	f := newReachFixture(t)
	base := "/projects/" + f.aMigration + "/reach"

	var added addedPeopleJSON
	f.doJSON(call{as: aAdmin, method: "POST", path: base + "/people", body: `{"people":[
		{"person":"Ana López","number":"+52 81 5000 0001","ref":"ana@a.example"},
		{"person":"Beto Ruiz","number":"81 5000 0002"},
		{"person":"Carla Díaz","number":"55 5000 0003","ref":"carla@a.example"}]}`}, http.StatusCreated, &added)
	if len(added.People) != 3 {
		t.Fatalf("added %d people, want 3", len(added.People))
	}
	ana, beto, carla := added.People[0], added.People[1], added.People[2]
	if ana.Person != "Ana López" || ana.Ref != "ana@a.example" || ana.Number != "+528150000001" || ana.Version != 1 ||
		beto.Number != "+528150000002" || carla.Number != "+525550000003" || ana.TemporaryNumberID != "" || ana.TrunkID != "" {
		t.Errorf("added = %+v", added.People)
	}
	l := f.list(aViewer, f.aMigration)
	var keys []string
	for _, c := range l.Checkpoints {
		keys = append(keys, c.Key)
	}
	want := []string{reach.CheckTemporary, reach.CheckClip, reach.CheckForwarding, reach.CheckParallel, reach.CheckPorted, reach.CheckNoReturn}
	if !cmp.Equal(keys, want) || len(l.People) != 3 || len(l.Trunks) != 0 {
		t.Fatalf("checkpoints %v, %d people, %d trunks; want %v, 3, 0", keys, len(l.People), len(l.Trunks), want)
	}
	if c := l.Checkpoints[0]; c.Label != "A provisional number for everyone" || c.Done != 0 || c.Total != 3 || c.Complete ||
		c.TaskID == "" || c.TaskStatus == activation.TaskDone {
		t.Errorf("first checkpoint = %+v", c)
	}

	// The PM adds a trunk and puts Ana on it, then everyone at once; the
	// administrator's change of a sign-in name leaves the trunk as it is.
	var trunk reachTrunkJSON
	f.doJSON(call{as: staffPM, method: "POST", path: base + "/trunks", body: `{"name":"SIP trunk Monterrey","ref":"+528110009999"}`},
		http.StatusCreated, &trunk)
	if trunk.Name != "SIP trunk Monterrey" || trunk.Ref != "+528110009999" || trunk.People != 0 || trunk.Version != 1 {
		t.Errorf("trunk = %+v", trunk)
	}
	f.doJSON(call{as: staffPM, method: "PUT", path: personPath(f.aMigration, ana.ID), body: `{"person":"` + ana.Person +
		`","ref":"` + ana.Ref + `","number":"` + ana.Number + `","trunkId":"` + trunk.ID + `","version":1}`}, 200, &ana)
	var moved changedJSON
	f.doJSON(call{as: staffPM, method: "POST", path: base + "/trunks/" + trunk.ID + "/people",
		body: `{"people":["` + ana.ID + `","` + beto.ID + `","` + carla.ID + `"]}`}, 200, &moved)
	if moved.Changed != 2 {
		t.Errorf("put on the trunk: %d moved, want 2 (Ana was on it)", moved.Changed)
	}
	f.doJSON(call{as: aAdmin, method: "PUT", path: personPath(f.aMigration, beto.ID),
		body: `{"person":"Beto Ruiz","ref":"beto@a.example","number":"+52 81 5000 0002","version":2}`}, 200, &beto)
	if beto.Ref != "beto@a.example" || beto.TrunkID != trunk.ID || beto.TrunkName != "SIP trunk Monterrey" || beto.Version != 3 {
		t.Errorf("Beto after the administrator's change = %+v", beto)
	}
	f.refused(t, call{as: aAdmin, method: "PUT", path: personPath(f.aMigration, beto.ID),
		body: `{"person":"Beto","number":"+52 81 5000 0002","version":2}`}, 409, "")

	// Provisional numbers come from A's numbers in the person's area;
	// Carla's area has none until the PM adds one.
	var candidates list[numberJSON]
	f.doJSON(call{as: staffPM, method: "GET", path: personPath(f.aMigration, ana.ID) + "/candidates", lang: "en"}, 200, &candidates)
	var offered, mine []string
	for _, n := range candidates.Items {
		offered = append(offered, n.E164+" "+n.StateName)
	}
	for _, n := range f.aNumbers {
		mine = append(mine, n.E164+" Available")
	}
	if candidates.Total != 3 || !cmp.Equal(offered, mine) {
		t.Errorf("candidates = %v (total %d), want A's numbers in Monterrey %v", offered, candidates.Total, mine)
	}
	var temps temporariesJSON
	f.doJSON(call{as: staffPM, method: "POST", path: base + "/temporaries"}, 200, &temps)
	if wantShort := []reach.Shortfall{{Area: numbering.LocalArea(carla.Number), Count: 1}}; temps.Assigned != 2 ||
		!cmp.Equal(temps.Shortfall, wantShort) {
		t.Errorf("temporaries = %+v, want 2 assigned and shortfall %+v", temps, wantShort)
	}
	cdmx := f.addNumbers(f.a, "+52 55 1000 0000", "")[0]
	f.doJSON(call{as: staffSupport, method: "PUT", path: personPath(f.aMigration, carla.ID) + "/temporary",
		body: `{"numberId":"` + cdmx.ID + `"}`}, 200, &carla)
	if carla.TemporaryNumberID != cdmx.ID || carla.TemporaryNumber != "+525510000000" || carla.TemporaryNumberState != numbering.StateTest {
		t.Errorf("Carla's provisional number = %+v", carla)
	}
	var n numberJSON
	f.doJSON(call{as: aAdmin, method: "GET", path: "/numbers/" + cdmx.ID}, 200, &n)
	if n.State != numbering.StateTest || n.AssigneeName != "Carla Díaz" || n.AssigneeRef != "carla@a.example" {
		t.Errorf("Carla's provisional number in the inventory = %+v", n)
	}

	// The provider presents the old numbers; the customer confirms the
	// forwarding, once.
	everyone := `"people":["` + ana.ID + `","` + beto.ID + `","` + carla.ID + `"]`
	var changed changedJSON
	f.doJSON(call{as: staffSupport, method: "POST", path: base + "/actions", body: `{"action":"confirm_clip",` + everyone + `}`}, 200, &changed)
	if changed.Changed != 3 {
		t.Errorf("CLIP-no-screening recorded for %d people, want 3", changed.Changed)
	}
	f.doJSON(call{as: aAdmin, method: "POST", path: base + "/actions", body: `{"action":"confirm_forwarding",` + everyone + `}`}, 200, &changed)
	if changed.Changed != 3 {
		t.Errorf("forwarding confirmed for %d people, want 3", changed.Changed)
	}
	f.doJSON(call{as: aAdmin, method: "POST", path: base + "/actions", body: `{"action":"confirm_forwarding",` + everyone + `}`}, 200, &changed)
	if changed.Changed != 0 {
		t.Errorf("confirming again changed %d people, want 0", changed.Changed)
	}

	// The tasks that follow the list are done once the job has run.
	if _, err := f.runner.RunDue(f.ctx); err != nil {
		t.Fatalf("RunDue() = %v", err)
	}
	l = f.list(aAdmin, f.aMigration)
	for _, c := range l.Checkpoints {
		following := c.Key == reach.CheckTemporary || c.Key == reach.CheckClip || c.Key == reach.CheckForwarding
		if following && (!c.Complete || c.Done != 3 || c.TaskStatus != activation.TaskDone) {
			t.Errorf("checkpoint %s = %+v, want 3 of 3, its task done", c.Key, c)
		}
		if !following && c.Complete {
			t.Errorf("checkpoint %s = %+v, want not complete", c.Key, c)
		}
		if c.Key == reach.CheckPorted && (c.Done != 0 || c.Total != 3 || c.TaskID != "") {
			t.Errorf("ported checkpoint = %+v, want 0 of 3 without a task", c)
		}
		if (c.Key == reach.CheckParallel || c.Key == reach.CheckNoReturn) && c.TaskID == "" {
			t.Errorf("checkpoint %s has no task", c.Key)
		}
	}
	for _, p := range l.People {
		if p.ClipAt == nil || p.ClipBy == "" || p.ForwardingAt == nil || p.ForwardingBy == "" || p.TemporaryNumber == "" {
			t.Errorf("person after the confirmations = %+v", p)
		}
	}
	if tr := l.Trunks[0]; tr.People != 3 || tr.Presented != 3 {
		t.Errorf("trunk = %+v, want 3 people, 3 presented", tr)
	}
	f.refused(t, call{as: staffPM, method: "POST", path: base + "/release"}, 422, "")

	// Trunks change on the version read; one in use stays.
	trunkPath := base + "/trunks/" + trunk.ID
	f.doJSON(call{as: staffPM, method: "PUT", path: trunkPath, body: `{"name":"SIP trunk MTY","ref":"","version":1}`}, 200, &trunk)
	if trunk.Name != "SIP trunk MTY" || trunk.Ref != "" || trunk.Version != 2 || trunk.People != 3 {
		t.Errorf("renamed trunk = %+v", trunk)
	}
	f.refused(t, call{as: staffPM, method: "PUT", path: trunkPath, body: `{"name":"SIP trunk","version":1}`}, 409, "")
	f.refused(t, call{as: staffPM, method: "DELETE", path: trunkPath + "?version=2"}, 422, "")
	var spare reachTrunkJSON
	f.doJSON(call{as: staffPM, method: "POST", path: base + "/trunks", body: `{"name":"SIP trunk reserva"}`}, http.StatusCreated, &spare)
	f.refused(t, call{as: staffPM, method: "POST", path: base + "/trunks", body: `{"name":"SIP trunk reserva"}`}, 409, "")
	if resp, body := f.do(call{as: staffPM, method: "DELETE", path: base + "/trunks/" + spare.ID + "?version=1"}); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("removing the spare trunk = %d %s", resp.StatusCode, body)
	}

	// A person leaves the list on the version read; their provisional
	// number stays A's test number, free for someone else.
	carla = l.People[2]
	f.refused(t, call{as: aAdmin, method: "DELETE", path: personPath(f.aMigration, carla.ID) + "?version=" + strconv.Itoa(carla.Version-1)}, 409, "")
	if resp, body := f.do(call{as: aAdmin, method: "DELETE", path: personPath(f.aMigration, carla.ID) + "?version=" + strconv.Itoa(carla.Version)}); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("removing Carla = %d %s", resp.StatusCode, body)
	}
	var freed numberJSON
	f.doJSON(call{as: aAdmin, method: "GET", path: "/numbers/" + cdmx.ID}, 200, &freed)
	if freed.State != numbering.StateTest || freed.Assigned() {
		t.Errorf("Carla's provisional number after she left = %+v", freed)
	}
	if l = f.list(aAdmin, f.aMigration); len(l.People) != 2 || l.Checkpoints[0].Total != 2 || !l.Checkpoints[0].Complete {
		t.Errorf("after Carla left: %d people, first checkpoint %+v", len(l.People), l.Checkpoints[0])
	}
}

// TestReachBadInput sends malformed and invalid requests as people who
// may make the change they aim at: each is refused with a problem naming
// the fault (a person added by its item of people), and nothing changes.
func TestReachBadInput(t *testing.T) {
	f := newReachFixture(t)
	base := "/projects/" + f.aMigration + "/reach"
	lines, err := f.reach.AddLines(f.pmCtx, f.aMigration, []reach.Row{{N: 1, Person: "Ana López", Number: "+52 81 5000 0001"}})
	must(t, err)
	trunk, err := f.reach.AddTrunk(f.pmCtx, f.aMigration, reach.TrunkInput{Name: "SIP trunk Monterrey"})
	must(t, err)
	ana := personPath(f.aMigration, lines[0].ID)
	add := func(body string) call { return call{method: "POST", path: base + "/people", body: body} }
	put := func(body string) call { return call{method: "PUT", path: ana, body: body} }
	act := func(body string) call { return call{method: "POST", path: base + "/actions", body: body} }
	huge := `{"people":[{"person":"` + strings.Repeat("a", ops.DefaultMaxBodyBytes) + `","number":"8150000002"}]}`
	customers := []refusal{
		{"malformed JSON", add(`{"people":[`), 400, ""},
		{"null body", add(`null`), 400, ""},
		{"unknown member", add(`{"people":[],"mode":"replace"}`), 400, "/mode"},
		{"unknown member of a person", add(`{"people":[{"person":"Beto","number":"8150000002","email":"b@a.example"}]}`), 400, "/email"},
		{"people not an array", add(`{"people":"Beto"}`), 400, "/people"},
		{"number not a string", add(`{"people":[{"person":"Beto","number":8150000002}]}`), 400, "/people/number"},
		{"form body", call{method: "POST", path: base + "/people", body: "person=Beto", contentType: "application/x-www-form-urlencoded"}, 415, ""},
		{"body too large", add(huge), 413, ""},
		{"nobody", add(`{"people":[]}`), 422, "/people"},
		{"bad number in the second item", add(`{"people":[{"person":"Beto","number":"8150000002"},{"person":"Carla","number":"12"}]}`), 422, "/people/1"},
		{"number already listed", add(`{"people":[{"person":"Ana","number":"81 5000 0001"}]}`), 422, "/people/0"},
		{"number given twice", add(`{"people":[{"person":"Beto","number":"8150000002"},{"person":"Carla","number":"+52 81 5000 0002"}]}`), 422, "/people/1"},
		{"person without a name", add(`{"people":[{"person":" ","number":"8150000002"}]}`), 422, "/people/0"},
		{"sign-in name not an address", add(`{"people":[{"person":"Beto","number":"8150000002","ref":"beto"}]}`), 422, "/people/0"},
		{"change without a version", put(`{"person":"Ana","number":"8150000001"}`), 422, "/version"},
		{"change to a bad number", put(`{"person":"Ana","number":"x","version":1}`), 422, "/number"},
		{"change without a name", put(`{"person":"","number":"8150000001","version":1}`), 422, "/person"},
		{"trunk not a string", put(`{"person":"Ana","number":"8150000001","trunkId":7,"version":1}`), 400, "/trunkId"},
		{"change on a stale version", put(`{"person":"Ana","number":"8150000001","version":7}`), 409, ""},
		{"change of someone not listed", call{method: "PUT", path: personPath(f.aMigration, "nobody"), body: `{"person":"X","number":"8150000009","version":1}`}, 404, ""},
		{"removal without a version", call{method: "DELETE", path: ana}, 400, "version"},
		{"removal with a version not a number", call{method: "DELETE", path: ana + "?version=latest"}, 400, "version"},
		{"removal on a stale version", call{method: "DELETE", path: ana + "?version=7"}, 409, ""},
		{"unknown action", act(`{"action":"forward","people":["` + lines[0].ID + `"]}`), 422, "/action"},
		{"action on nobody", act(`{"action":"confirm_forwarding","people":[]}`), 422, "/people"},
		{"action on someone not listed", act(`{"action":"confirm_forwarding","people":["nobody"]}`), 404, ""},
		{"forwarding before a provisional number", act(`{"action":"confirm_forwarding","people":["` + lines[0].ID + `"]}`), 422, ""},
		{"parameter on the list", call{method: "GET", path: base + "?lang=de"}, 400, "lang"},
	}
	staff := []refusal{
		{"trunk without a name", call{method: "POST", path: base + "/trunks", body: `{"name":""}`}, 422, "/name"},
		{"nobody to put on a trunk", call{method: "POST", path: base + "/trunks/" + trunk.ID + "/people", body: `{"people":[]}`}, 422, "/people"},
		{"put on a trunk, people not a list", call{method: "POST", path: base + "/trunks/" + trunk.ID + "/people", body: `{"people":"x"}`}, 400, "/people"},
		{"new trunk with a version", call{method: "POST", path: base + "/trunks", body: `{"name":"T","version":1}`}, 400, "/version"},
		{"trunk change without a version", call{method: "PUT", path: base + "/trunks/" + trunk.ID, body: `{"name":"T"}`}, 422, "/version"},
		{"trunk name too long", call{method: "PUT", path: base + "/trunks/" + trunk.ID, body: `{"name":"` + strings.Repeat("T", 101) + `","version":1}`}, 422, "/name"},
		{"unknown trunk", put(`{"person":"Ana","number":"8150000001","trunkId":"nope","version":1}`), 422, "/trunkId"},
		{"provisional number unknown", call{method: "PUT", path: ana + "/temporary", body: `{"numberId":"nope"}`}, 422, "/numberId"},
		{"provisional number of B", call{method: "PUT", path: ana + "/temporary", body: `{"numberId":"` + f.bNumber.ID + `"}`}, 422, "/numberId"},
		{"provisional number not a string", call{method: "PUT", path: ana + "/temporary", body: `{"numberId":1}`}, 400, "/numberId"},
		{"CLIP-no-screening before a provisional number", act(`{"action":"confirm_clip","people":["` + lines[0].ID + `"]}`), 422, ""},
		{"release before the port", call{method: "POST", path: base + "/release"}, 422, ""},
		{"candidates paged beyond the limit", call{method: "GET", path: ana + "/candidates?limit=500"}, 400, "limit"},
		{"candidates of someone not listed", call{method: "GET", path: personPath(f.aMigration, "nobody") + "/candidates"}, 404, ""},
		{"removal of a trunk not there", call{method: "DELETE", path: base + "/trunks/nope?version=1"}, 404, ""},
	}
	before := f.reachState()
	f.refuseAll(t, aAdmin, customers)
	f.refuseAll(t, staffPM, staff)
	if diff := cmp.Diff(before, f.reachState()); diff != "" {
		t.Errorf("bad input changed the data (-before +after):\n%s", diff)
	}

	// A refused list names every item's problem, in the reader's language.
	resp, body := f.do(call{as: aAdmin, method: "POST", path: base + "/people", lang: "en",
		body: `{"people":[{"person":"","number":"8150000002"},{"person":"Carla","number":"12"}]}`})
	p := checkProblem(t, resp, body, 422)
	var fields []string
	for _, e := range p.Errors {
		fields = append(fields, e.Field)
	}
	if !cmp.Equal(fields, []string{"/people/0", "/people/1"}) || !strings.HasPrefix(p.Errors[1].Detail, "Line 2:") {
		t.Errorf("problem errors = %+v, want /people/0 and /people/1 naming line 2", p.Errors)
	}
}

// reachTenancyBodies are valid bodies for the list's routes that need
// one, so that a refusal is about who asks, never about what they sent.
var reachTenancyBodies = map[string]string{
	"POST /projects/{id}/reach/people":                 `{"people":[{"person":"Pablo","number":"+52 81 7000 0001"}]}`,
	"PUT /projects/{id}/reach/people/{line}":           `{"person":"Pablo","number":"+52 81 7000 0001","version":1}`,
	"PUT /projects/{id}/reach/people/{line}/temporary": `{"numberId":"x"}`,
	"POST /projects/{id}/reach/actions":                `{"action":"confirm_clip","people":["{line}"]}`,
	"POST /projects/{id}/reach/trunks":                 `{"name":"T"}`,
	"PUT /projects/{id}/reach/trunks/{trunk}":          `{"name":"T","version":1}`,
	"POST /projects/{id}/reach/trunks/{trunk}/people":  `{"people":["{line}"]}`,
}

// reachCalls returns a call of every route of the list, on the list of
// project with its person line and trunk.
func reachCalls(project, line, trunk string) []call {
	out := make([]call, len(reachRoutes))
	r := strings.NewReplacer("{id}", project, "{line}", line, "{trunk}", trunk)
	for i, rt := range reachRoutes {
		out[i] = call{method: rt.method, path: r.Replace(rt.path), body: r.Replace(reachTenancyBodies[rt.method+" "+rt.path])}
		if rt.method == "DELETE" {
			out[i].path += "?version=1"
		}
	}
	return out
}

// TestReachTenancy runs every route of the lists as every role: another
// customer's list is not found on every route, whoever asks; the
// customer's people do not do the provider's part (403), read-only users
// and staff who do not keep numbers change nothing; a project whose
// runbook keeps no list has none. Nothing changes.
func TestReachTenancy(t *testing.T) {
	f := newReachFixture(t)
	lines, err := f.reach.AddLines(f.pmCtx, f.aMigration, []reach.Row{{N: 1, Person: "Ana López", Number: "+52 81 5000 0001"}})
	must(t, err)
	trunk, err := f.reach.AddTrunk(f.pmCtx, f.aMigration, reach.TrunkInput{Name: "SIP trunk Monterrey"})
	must(t, err)
	aCalls := reachCalls(f.aMigration, lines[0].ID, trunk.ID)
	type row struct {
		name   string
		c      call
		status int
	}
	var tests []row
	for _, who := range []struct {
		as    string
		calls []call
	}{
		{aAdmin, reachCalls(f.bMigration, f.bLine, f.bTrunk)}, {aUser, reachCalls(f.bMigration, f.bLine, f.bTrunk)},
		{aViewer, reachCalls(f.bMigration, f.bLine, f.bTrunk)}, {bAdmin, aCalls},
		// A's end user sees no billing account, so not A's project either.
		{aUser, aCalls},
	} {
		for _, c := range who.calls {
			c.as = who.as
			tests = append(tests, row{who.as + " " + c.method + " " + c.path, c, 404})
		}
	}
	// Read-only users and staff who do not keep numbers read the list and
	// change nothing.
	for _, as := range []string{aViewer, staffTech} {
		for _, c := range aCalls {
			c.as = as
			status := http.StatusForbidden
			if c.method == "GET" && strings.HasSuffix(c.path, "/reach") {
				status = http.StatusOK
			}
			tests = append(tests, row{as + " " + c.method + " " + c.path, c, status})
		}
	}
	// The customer's administrator keeps the people but does not do the
	// provider's part.
	for _, c := range aCalls {
		staffOnly := strings.Contains(c.path, "/trunks") || strings.HasSuffix(c.path, "/temporaries") ||
			strings.HasSuffix(c.path, "/temporary") || strings.HasSuffix(c.path, "/release") ||
			strings.HasSuffix(c.path, "/candidates") || strings.HasSuffix(c.path, "/actions")
		if staffOnly {
			c.as = aAdmin
			tests = append(tests, row{"customer " + c.method + " " + c.path, c, 403})
		}
	}
	person := personPath(f.aMigration, lines[0].ID)
	noList := f.start(f.a, f.aSite, "teams-cloud-voice")
	tests = append(tests, []row{
		{"customer chooses a trunk", call{as: aAdmin, method: "PUT", path: person,
			body: `{"person":"Ana López","number":"+52 81 5000 0001","trunkId":"` + trunk.ID + `","version":1}`}, 403},
		{"customer withdraws CLIP-no-screening", call{as: aAdmin, method: "POST", path: "/projects/" + f.aMigration + "/reach/actions",
			body: `{"action":"clear_clip","people":["` + lines[0].ID + `"]}`}, 403},
		{"no token", call{method: "GET", path: "/projects/" + f.aMigration + "/reach"}, 401},
		{"no token on a person", call{method: "DELETE", path: person + "?version=1"}, 401},
		{"runbook without a list", call{as: staffPM, method: "GET", path: "/projects/" + noList + "/reach"}, 404},
		{"runbook without a list, adding", call{as: aAdmin, method: "POST", path: "/projects/" + noList + "/reach/people",
			body: reachTenancyBodies["POST /projects/{id}/reach/people"]}, 404},
		{"A admin reads A's list", call{as: aAdmin, method: "GET", path: "/projects/" + f.aMigration + "/reach"}, 200},
		{"B admin reads B's list", call{as: bAdmin, method: "GET", path: "/projects/" + f.bMigration + "/reach"}, 200},
		{"technician reads B's list", call{as: staffTech, method: "GET", path: "/projects/" + f.bMigration + "/reach"}, 200},
	}...)

	before := f.reachState()
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
	if diff := cmp.Diff(before, f.reachState()); diff != "" {
		t.Errorf("refused requests changed the data (-before +after):\n%s", diff)
	}
}
