package web_test

import (
	"encoding/csv"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
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
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/reach"
	"github.com/enlace-portal/enlace/internal/web"
)

// reachWorld is a UI with projects, numbers and the migrations' lists of
// people: customers A and B with a site each, an IP-Centrex migration for
// each (a runbook that keeps a list), free numbers of A's in Monterrey
// (+52 81 8000 0100–0103) and one of B's, and a job runner the test runs
// by hand.
type reachWorld struct {
	*env
	svc             *activation.Service
	reach           *reach.Service
	runner          *jobs.Runner
	a, b            *tenant
	aSite, bSite    string
	aProject        string
	bProject        string
	aNumbers, bFree []numbering.Number
}

const ipCentrex = "ip-centrex"

func newReachWorld(t *testing.T) *reachWorld {
	t.Helper()
	e := newEnv(t)
	catalog := activation.NewCatalog(e.store)
	must(t, catalog.SyncShipped(t.Context()))
	svc := activation.NewService(e.store, catalog, e.mail, e.clock, activation.Config{BaseURL: "https://portal.example"})
	blobs, err := blob.NewFolder(filepath.Join(t.TempDir(), "blobs"))
	must(t, err)
	docs := document.NewService(e.store, blobs, document.Config{TempDir: t.TempDir()})
	svc.SetFiles(docs)
	e.numberServices(svc, docs)
	w := &reachWorld{env: e, svc: svc, reach: reach.NewService(e.store, svc, e.clock),
		runner: jobs.NewRunner(e.store, e.clock, slog.New(slog.DiscardHandler))}
	w.reach.Register(w.runner)
	s := web.New(web.Deps{Identity: e.id, Notify: notify.NewService(e.store), Audit: audit.NewService(e.store),
		Customers: customer.NewService(e.store), Contacts: contact.NewService(e.store, e.store),
		Inventory: inventory.NewManager(e.store, e.clock), Documents: docs, Projects: svc, Numbers: e.numbers,
		Porting: e.porting, Reach: w.reach, Catalog: i18n.MustLoad(), Clock: e.clock, Demo: true})
	mux := http.NewServeMux()
	s.Register(mux)
	srv := httptest.NewServer(ops.Chain(ops.CrossOriginProtection().Handler(mux), ops.RequestID(false),
		ops.LimitBodyByRoute(64<<10, mux, s.BodyLimits())))
	t.Cleanup(srv.Close)
	e.srv = srv

	w.a, w.b = e.newTenant("Alfa"), e.newTenant("Beta")
	w.aSite, w.bSite = w.site(t, w.a), w.site(t, w.b)
	w.aProject = w.start(t, w.a, w.aSite, ipCentrex)
	w.bProject = w.start(t, w.b, w.bSite, ipCentrex)
	w.aNumbers, err = e.numbers.Add(e.staffCtx(), numbering.AddInput{CustomerID: w.a.customer.ID, From: "+52 81 8000 0100",
		To: "+52 81 8000 0103", State: numbering.StateAvailable})
	must(t, err)
	w.bFree, err = e.numbers.Add(e.staffCtx(), numbering.AddInput{CustomerID: w.b.customer.ID, From: "+52 81 9000 0100",
		State: numbering.StateAvailable})
	must(t, err)
	return w
}

func (w *reachWorld) site(t *testing.T, tn *tenant) string {
	t.Helper()
	site := inventory.Site{ID: enlace.NewID(), CustomerID: tn.customer.ID, Name: "Matriz " + tn.customer.Name,
		AddressLine1: "Av. Constitución 100", City: "Monterrey", State: "NLE", Country: "MX", BillingAccountID: tn.account.ID}
	must(t, w.store.CreateSite(t.Context(), &site))
	return site.ID
}

// start starts a project of a runbook for a tenant, as the staff
// administrator, and returns its id.
func (w *reachWorld) start(t *testing.T, tn *tenant, site, runbook string) string {
	t.Helper()
	v, err := w.svc.Start(w.staffCtx(), activation.StartInput{CustomerID: tn.customer.ID, BillingAccountID: tn.account.ID,
		SiteID: site, Runbook: runbook, PMUserID: w.admin.ID, ContactUserID: tn.admin.ID})
	must(t, err)
	return v.Project.ID
}

// plan reads a project's list as the staff administrator sees it.
func (w *reachWorld) plan(t *testing.T, projectID string) *reach.Plan {
	t.Helper()
	pl, err := w.reach.Plan(w.staffCtx(), projectID)
	must(t, err)
	return pl
}

// line returns the person of a project's list with a name.
func (w *reachWorld) line(t *testing.T, projectID, person string) reach.Line {
	t.Helper()
	for _, l := range w.plan(t, projectID).Lines {
		if l.Person == person {
			return l
		}
	}
	t.Fatalf("nobody called %s on the list", person)
	return reach.Line{}
}

// TestReachMigration walks a migration's list through its pages: the
// customer pastes its people (a bad row refuses the whole paste and
// names the row), staff add a trunk, give the provisional numbers (a
// person outside the local area of the free numbers is reported), put
// people on the trunk and record CLIP-no-screening for it, the customer
// confirms the forwarding and downloads the list; a change made on an
// old version asks to make it again; when everyone has a provisional
// number the task following it is done.
func TestReachMigration(t *testing.T) {
	w := newReachWorld(t)
	list := "/projects/" + w.aProject + "/reach"
	customer := w.signedIn(w.a.admin.Email)
	staff := w.signedIn(w.admin.Email)

	customer.get("/projects/"+w.aProject).want(t, 200, "").contains(t, `id="project-reach"`, `href="`+list+`"`)
	customer.get(list).want(t, 200, "").contains(t, "Disponibilidad durante la migración", `id="people-none"`,
		`id="lines-form"`, `id="check-temporary"`, `id="check-no_return"`, `href="/projects/`+w.aProject+`#task-shutdown-old-system"`).
		notContains(t, `id="trunks"`, `id="temporaries-form"`, `id="reach-act"`)

	// One bad row: nothing is added, the row is named, the text stays.
	bad := "Ana Ruiz, 81 1111 2222, ana@alfa.mx\nBeto Díaz, sin número\nCarla Núñez, 55 2222 4444\n"
	customer.post(list+"/lines", url.Values{"lines": {bad}}).want(t, 422, "").
		contains(t, `id="row-errors"`, "Renglón 2: «sin número» no es un número de teléfono válido", "Renglones con problemas: 1",
			"Beto Díaz, sin número")
	if n := len(w.plan(t, w.aProject).Lines); n != 0 {
		t.Fatalf("a refused paste added %d people", n)
	}
	good := "Nombre\tNúmero\tCorreo\nAna Ruiz\t81 1111 2222\tana@alfa.mx\nBeto Díaz\t81 1111 3333\nCarla Núñez\t55 2222 4444\n"
	customer.post(list+"/lines", url.Values{"lines": {good}}).want(t, 303, list+"#people")
	customer.get(list).want(t, 200, "").contains(t, "Personas agregadas a la lista.", "Ana Ruiz", "ana@alfa.mx",
		"&#43;52 81 1111 2222", "Carla Núñez", "0 de 3 personas", `id="act-confirm_forwarding"`).
		notContains(t, `id="act-confirm_clip"`, "Nombre\tNúmero")

	// Staff: a trunk, then everyone's provisional number.
	staff.post(list+"/trunks", url.Values{"name": {""}}).want(t, 422, "").contains(t, `id="name-trunk-new"`, `aria-invalid="true"`)
	staff.post(list+"/trunks", url.Values{"name": {"SIP Monterrey"}, "ref": {"+52 81 8000 9999"}}).want(t, 303, list+"#trunks")
	trunk := w.plan(t, w.aProject).Trunks[0]
	staff.post(list+"/temporaries", nil).want(t, 303, list+"?given=2#temporaries")
	staff.get(list+"?given=2").want(t, 200, "").contains(t, "Números provisionales asignados: 2.",
		"No hay números libres en &#43;52 55 para 1 persona:", `href="/numbers/new?customer=`+w.a.customer.ID+`"`, "2 de 3 personas")
	ana, beto := w.line(t, w.aProject, "Ana Ruiz"), w.line(t, w.aProject, "Beto Díaz")
	for _, l := range []reach.Line{ana, beto} {
		if !l.HasTemporary() || numbering.LocalArea(l.TemporaryE164) != "+5281" {
			t.Errorf("%s's provisional number = %q (%s), want one of +52 81", l.Person, l.TemporaryE164, l.TemporaryState)
		}
	}

	// Staff put Ana on the trunk from her page, Beto and Carla (who has
	// no provisional number yet) from the list; the customer's page of a
	// person has no trunk nor provisional number to choose.
	anaPage := list + "/lines/" + ana.ID
	staff.get(anaPage).want(t, 200, "").contains(t, `name="trunkId"`, `id="numberId-temporary"`, "&#43;52 81 8000 010")
	customer.get(anaPage).want(t, 200, "").contains(t, `id="line-form"`).notContains(t, `name="trunkId"`, `id="temporary-form"`)
	staff.post(anaPage, url.Values{"person": {ana.Person}, "ref": {ana.Ref}, "oldNumber": {ana.OldE164},
		"trunkId": {trunk.ID}, "version": {strconv.Itoa(ana.Version)}}).want(t, 303, list+"#people")
	staff.get(list).want(t, 200, "").contains(t, `id="act-put_on_trunk"`, `<option value="`+trunk.ID+`">SIP Monterrey</option>`)
	customer.post(list+"/act", url.Values{"action": {"put_on_trunk"}, "to_trunk": {trunk.ID}, "line": {beto.ID}}).want(t, 403, "")
	staff.post(list+"/act", url.Values{"action": {"put_on_trunk"}, "to_trunk": {trunk.ID},
		"line": {beto.ID, w.line(t, w.aProject, "Carla Núñez").ID}}).want(t, 303, list+"#people")
	staff.get(list).want(t, 200, "").contains(t, "Las personas seleccionadas quedaron en la troncal.")
	// A change on the version read before is refused: the page again, as
	// it is now, asking to make the change again.
	staff.post(anaPage, url.Values{"person": {"Ana R."}, "oldNumber": {ana.OldE164}, "version": {strconv.Itoa(ana.Version)}}).
		want(t, 303, anaPage)
	staff.get(anaPage).want(t, 200, "").contains(t, "Alguien más modificó la lista", `value="Ana Ruiz"`)

	// A customer may not record CLIP-no-screening; staff record it for
	// the trunk with the form the page shows.
	ana = w.line(t, w.aProject, "Ana Ruiz")
	customer.post(list+"/act", url.Values{"action": {"confirm_clip"}, "line": {ana.ID}}).want(t, 403, "")
	page := staff.get(list).want(t, 200, "").contains(t, `id="trunk-clip-`+trunk.ID+`"`, `id="act-confirm_clip"`)
	staff.post(list+"/act", url.Values{"action": {"confirm_clip"}, "trunk": {trunk.ID},
		"line": pendingOn(t, page.body, trunk.ID)}).want(t, 303, list+"#people")
	if l := w.line(t, w.aProject, "Beto Díaz"); l.ClipAt == nil || l.ClipBy == "" {
		t.Errorf("Beto's CLIP-no-screening = %v by %q, want recorded", l.ClipAt, l.ClipBy)
	}

	// The customer confirms the forwarding of those selected; Carla has
	// no provisional number to forward to.
	carla := w.line(t, w.aProject, "Carla Núñez")
	customer.post(list+"/act", url.Values{"action": {"confirm_forwarding"}, "line": {carla.ID, ana.ID}}).want(t, 422, "").
		contains(t, "Carla Núñez aún no tiene número provisional", `id="select-`+ana.ID+`" aria-label="Seleccionar a Ana Ruiz" checked`)
	customer.post(list+"/act", url.Values{"action": {"confirm_forwarding"}}).want(t, 422, "").contains(t, "Seleccione al menos una persona")
	customer.post(list+"/act", url.Values{"action": {"confirm_forwarding"}, "line": {ana.ID, beto.ID}}).want(t, 303, list+"#people")
	customer.get(list).want(t, 200, "").contains(t, "Desvío confirmado", `id="forwarding-`+ana.ID+`"><span aria-label="Sí">✓</span>`,
		"Admin Alfa", "2 de 3 personas")
	customer.post(list+"/act", url.Values{"action": {"confirm_forwarding"}, "line": {ana.ID}}).want(t, 303, list+"#people")
	customer.get(list).want(t, 200, "").contains(t, "No cambió nada")

	// The forwarding list.
	res, err := customer.hc.Get(w.srv.URL + list + ".csv")
	must(t, err)
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || ct != "text/csv; charset=utf-8" {
		t.Fatalf("GET reach.csv = %d %s", res.StatusCode, ct)
	}
	rows, err := csv.NewReader(res.Body).ReadAll()
	must(t, err)
	if len(rows) != 4 || rows[0][0] != "\uFEFFPersona" || rows[0][6] != "Desvío confirmado desde" {
		t.Fatalf("reach.csv = %q, want a header with BOM and three people", rows)
	}
	anaNow := w.line(t, w.aProject, "Ana Ruiz")
	wantAna := []string{"Ana Ruiz", "ana@alfa.mx", "+52 81 1111 2222", numbering.Format(anaNow.TemporaryE164), "SIP Monterrey"}
	if got := rows[1][:5]; strings.Join(got, "|") != strings.Join(wantAna, "|") || rows[1][5] == "" || rows[1][6] == "" {
		t.Errorf("reach.csv Ana = %q, want %q and both dates", rows[1], wantAna)
	}
	if rows[3][0] != "Carla Núñez" || rows[3][3] != "" || rows[3][6] != "" {
		t.Errorf("reach.csv Carla = %q, want no provisional number nor forwarding", rows[3])
	}

	// Carla leaves the list: everyone has a provisional number, and the
	// task that follows it is done.
	customer.post(list+"/lines/"+carla.ID+"/remove", url.Values{"version": {strconv.Itoa(carla.Version)}}).want(t, 303, list+"#people")
	if _, err := w.runner.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	customer.get(list).want(t, 200, "").contains(t, "Persona quitada de la lista", "2 de 2 personas",
		`id="check-temporary-state">Cumplido`).notContains(t, "Carla Núñez")
	v, err := w.svc.Project(w.staffCtx(), w.aProject)
	must(t, err)
	// The point of no return names who confirmed it.
	var shutdown string
	for _, tk := range v.Tasks {
		if tk.Key == "shutdown-old-system" {
			shutdown = tk.ID
		}
	}
	customer.post("/projects/"+w.aProject+"/tasks/"+shutdown+"/gate", url.Values{"name": {"Ana Directora"}, "confirm": {"yes"}}).
		want(t, 303, "/projects/"+w.aProject+"#task-shutdown-old-system")
	customer.get(list).want(t, 200, "").contains(t, `id="check-no_return-gate">Confirmado por Ana Directora el `)
	for _, tk := range v.Tasks {
		if (tk.Key == "provisional-numbers" || tk.Key == "clip-no-screening" || tk.Key == "call-forwarding") && tk.Status != activation.TaskDone {
			t.Errorf("task %s = %s, want done: everyone on the list reached its step", tk.Key, tk.Status)
		}
	}
}

// pendingOn returns the people a trunk's CLIP form on the list's page
// sends: those on the trunk whose old number is not presented yet.
func pendingOn(t *testing.T, body, trunkID string) []string {
	t.Helper()
	start := strings.Index(body, `id="trunk-clip-`+trunkID+`"`)
	if start < 0 {
		t.Fatalf("no CLIP form for trunk %s", trunkID)
	}
	form := body[start : start+strings.Index(body[start:], "</form>")]
	var ids []string
	for _, part := range strings.Split(form, `name="line" value="`)[1:] {
		ids = append(ids, part[:strings.Index(part, `"`)])
	}
	if len(ids) != 2 {
		t.Fatalf("trunk form sends %v, want two people", ids)
	}
	return ids
}

// TestReachPersonChanges changes people from their pages: a provisional
// number chosen among the candidates, another customer's number refused,
// the customer renaming a person without touching the trunk, and bad
// input kept with the field's message.
func TestReachPersonChanges(t *testing.T) {
	w := newReachWorld(t)
	list := "/projects/" + w.aProject + "/reach"
	_, err := w.reach.AddLines(w.staffCtx(), w.aProject, []reach.Row{{N: 1, Person: "Ana Ruiz", Number: "81 1111 2222"}})
	must(t, err)
	tr, err := w.reach.AddTrunk(w.staffCtx(), w.aProject, reach.TrunkInput{Name: "SIP Monterrey"})
	must(t, err)
	ana := w.line(t, w.aProject, "Ana Ruiz")
	staff, customer := w.signedIn(w.admin.Email), w.signedIn(w.a.admin.Email)
	page := list + "/lines/" + ana.ID

	staff.post(page+"/temporary", url.Values{"numberId": {w.bFree[0].ID}}).want(t, 422, "").
		contains(t, "Elija uno de los números del cliente", `id="numberId-temporary"`)
	staff.post(page+"/temporary", url.Values{"numberId": {w.aNumbers[2].ID}}).want(t, 303, list+"#people")
	if l := w.line(t, w.aProject, "Ana Ruiz"); l.TemporaryNumberID != w.aNumbers[2].ID {
		t.Fatalf("Ana's provisional number = %s, want %s", l.TemporaryE164, w.aNumbers[2].E164)
	}
	ana = w.line(t, w.aProject, "Ana Ruiz")
	staff.post(page, url.Values{"person": {"Ana Ruiz"}, "oldNumber": {ana.OldE164}, "trunkId": {tr.ID},
		"version": {strconv.Itoa(ana.Version)}}).want(t, 303, list+"#people")

	ana = w.line(t, w.aProject, "Ana Ruiz")
	customer.post(page, url.Values{"person": {""}, "ref": {"ana ruiz"}, "oldNumber": {"12"}, "version": {strconv.Itoa(ana.Version)}}).
		want(t, 422, "").contains(t, `id="person-line"`, `id="ref-line" name="ref" value="ana ruiz"`, `id="oldNumber-line" name="oldNumber" value="12"`,
		"Escriba el nombre de la persona.")
	customer.post(page, url.Values{"person": {"Ana Ruiz Pérez"}, "ref": {"ana@alfa.mx"}, "oldNumber": {"81 1111 2222"},
		"version": {strconv.Itoa(ana.Version)}}).want(t, 303, list+"#people")
	got := w.line(t, w.aProject, "Ana Ruiz Pérez")
	if got.TrunkID != tr.ID || got.Ref != "ana@alfa.mx" {
		t.Errorf("after the customer's change trunk = %q ref = %q, want %q ana@alfa.mx", got.TrunkID, got.Ref, tr.ID)
	}
	n, err := w.numbers.Get(w.staffCtx(), got.TemporaryNumberID)
	must(t, err)
	if n.AssigneeName != "Ana Ruiz Pérez" || !n.Assigned() {
		t.Errorf("provisional number assigned to %q (%s), want the new name", n.AssigneeName, n.State)
	}

	// A trunk with people stays; the release waits for confirmation and
	// for every old number to be ported.
	staff.post(list+"/trunks/"+tr.ID+"/remove", url.Values{"version": {"1"}}).want(t, 422, "").contains(t, "SIP Monterrey")
	staff.post(list+"/trunks/"+tr.ID, url.Values{"name": {"SIP MTY"}, "version": {"9"}}).want(t, 303, list)
	staff.post(list+"/trunks/"+tr.ID, url.Values{"name": {"SIP MTY"}, "version": {"1"}}).want(t, 303, list+"#trunks")
	staff.post(list+"/release", nil).want(t, 422, "").contains(t, "Marque la casilla para confirmar la liberación")
	staff.post(list+"/release", url.Values{"confirm": {"yes"}}).want(t, 422, "").contains(t, "Aún faltan 1 números anteriores por portar")
	staff.get(list).want(t, 200, "").contains(t, "SIP MTY").notContains(t, `id="release-form"`)

	// A name a spreadsheet would take for a formula is written as text in
	// the forwarding list.
	_, err = w.reach.AddLines(w.staffCtx(), w.aProject, []reach.Row{{N: 1, Person: "=HYPERLINK(\"x\")", Number: "81 1111 5555"}})
	must(t, err)
	customer.get(list+".csv").want(t, 200, "").contains(t, `"'=HYPERLINK(""x"")",,+52 81 1111 5555,`)
}

// TestReachTenancy walks every route of a list as customer A's people
// against customer B's project (404, and B's list unchanged), the
// provider's routes as A's administrator on A's own project (403), the
// list's changes as A's read-only user (403), and the list of a project
// whose runbook keeps none (404).
func TestReachTenancy(t *testing.T) {
	w := newReachWorld(t)
	for _, p := range []string{w.aProject, w.bProject} {
		_, err := w.reach.AddLines(w.staffCtx(), p, []reach.Row{{N: 1, Person: "Persona", Number: "81 1111 2222"}})
		must(t, err)
		_, err = w.reach.AddTrunk(w.staffCtx(), p, reach.TrunkInput{Name: "SIP"})
		must(t, err)
	}
	routes := func(project, line, trunk, number string) []struct {
		method, path string
		form         url.Values
	} {
		list := "/projects/" + project + "/reach"
		v1 := url.Values{"version": {"1"}}
		return []struct {
			method, path string
			form         url.Values
		}{
			{"GET", list, nil},
			{"GET", list + ".csv", nil},
			{"GET", list + "/lines/" + line, nil},
			{"POST", list + "/act", url.Values{"action": {"confirm_forwarding"}, "line": {line}}},
			{"POST", list + "/act", url.Values{"action": {"confirm_clip"}, "line": {line}}},
			{"POST", list + "/act", url.Values{"action": {"clear_clip"}, "line": {line}}},
			{"POST", list + "/lines", url.Values{"lines": {"Intruso, 81 2222 3333"}}},
			{"POST", list + "/lines/" + line, url.Values{"person": {"Intruso"}, "oldNumber": {"81 1111 2222"}, "version": {"1"}}},
			{"POST", list + "/lines/" + line + "/temporary", url.Values{"numberId": {number}}},
			{"POST", list + "/lines/" + line + "/remove", v1},
			{"POST", list + "/trunks", url.Values{"name": {"Intruso"}}},
			{"POST", list + "/trunks/" + trunk, url.Values{"name": {"Intruso"}, "version": {"1"}}},
			{"POST", list + "/trunks/" + trunk + "/remove", v1},
			{"POST", list + "/temporaries", nil},
			{"POST", list + "/release", url.Values{"confirm": {"yes"}}},
		}
	}
	a, b := w.plan(t, w.aProject), w.plan(t, w.bProject)
	aLine, aTrunk := a.Lines[0].ID, a.Trunks[0].ID
	bLine, bTrunk := b.Lines[0].ID, b.Trunks[0].ID
	member := func(role, access string) string {
		m, err := w.id.CreateMember(w.staffCtx(), identity.NewMember{CustomerID: w.a.customer.ID, Email: role + "." + access + "@alfa.mx",
			FirstName: "Rol", LastName: role, Role: role, AccessLevel: access})
		must(t, err)
		return m.Email
	}
	admin := w.signedIn(w.a.admin.Email)
	readOnly := w.signedIn(w.a.user.Email)
	customers := map[string]*client{"A admin": admin, "A user": readOnly,
		"A technical": w.signedIn(member(identity.RoleTechnical, identity.AccessFull))}
	call := func(c *client, method, path string, form url.Values) resp {
		if method == http.MethodPost {
			return c.post(path, form)
		}
		return c.get(path)
	}
	for who, c := range customers {
		for _, rt := range routes(w.bProject, bLine, bTrunk, w.bFree[0].ID) {
			if r := call(c, rt.method, rt.path, rt.form); r.status != http.StatusNotFound {
				t.Errorf("%s %s as %s = %d, want 404", rt.method, rt.path, who, r.status)
			}
		}
		// B's person and trunk through A's project.
		for _, rt := range routes(w.aProject, bLine, bTrunk, w.bFree[0].ID)[2:] {
			if rt.path == "/projects/"+w.aProject+"/reach/lines" || strings.HasSuffix(rt.path, "/temporaries") ||
				strings.HasSuffix(rt.path, "/release") || strings.HasSuffix(rt.path, "/trunks") {
				continue // these name no person nor trunk
			}
			r := call(c, rt.method, rt.path, rt.form)
			if r.status != http.StatusNotFound && r.status != http.StatusForbidden {
				t.Errorf("%s %s as %s = %d, want 404 (403 before the lookup for a customer)", rt.method, rt.path, who, r.status)
			}
		}
	}
	if after := w.plan(t, w.bProject); len(after.Lines) != 1 || after.Lines[0].Version != 1 || after.Lines[0].ForwardingAt != nil ||
		len(after.Trunks) != 1 || after.Trunks[0].Name != "SIP" {
		t.Errorf("B's list changed: %+v %+v", after.Lines, after.Trunks)
	}

	// The provider's part, as A's administrator on A's own list.
	for _, rt := range routes(w.aProject, aLine, aTrunk, w.aNumbers[0].ID) {
		staffOnly := strings.Contains(rt.path, "/trunks") || strings.HasSuffix(rt.path, "/temporaries") ||
			strings.HasSuffix(rt.path, "/temporary") || strings.HasSuffix(rt.path, "/release") ||
			rt.form.Get("action") == "confirm_clip" || rt.form.Get("action") == "clear_clip"
		if !staffOnly {
			continue
		}
		if r := call(admin, rt.method, rt.path, rt.form); r.status != http.StatusForbidden {
			t.Errorf("%s %s as A admin = %d, want 403", rt.method, rt.path, r.status)
		}
	}
	// A read-only user sees the list but changes nothing.
	readOnly.get("/projects/"+w.aProject+"/reach").want(t, 200, "").
		notContains(t, `id="lines-form"`, `id="reach-act"`, `id="edit-`+aLine+`"`)
	for _, rt := range routes(w.aProject, aLine, aTrunk, w.aNumbers[0].ID) {
		if rt.method != http.MethodPost {
			continue
		}
		if r := call(readOnly, rt.method, rt.path, rt.form); r.status != http.StatusForbidden {
			t.Errorf("%s %s as A's read-only user = %d, want 403", rt.method, rt.path, r.status)
		}
	}
	readOnly.get("/projects/"+w.aProject+"/reach/lines/"+aLine).want(t, 403, "")
	if after := w.plan(t, w.aProject); len(after.Lines) != 1 || after.Lines[0].Version != 1 || after.Trunks[0].Name != "SIP" {
		t.Errorf("A's list changed: %+v %+v", after.Lines, after.Trunks)
	}

	// A runbook that keeps no list: no list, no link.
	other := w.start(t, w.a, w.aSite, "hosted-exchange")
	staff := w.signedIn(w.admin.Email)
	for _, c := range []*client{staff, admin} {
		c.get("/projects/"+other+"/reach").want(t, 404, "")
		c.get("/projects/"+other+"/reach.csv").want(t, 404, "")
		c.post("/projects/"+other+"/reach/lines", url.Values{"lines": {"Ana, 81 1111 2222"}}).want(t, 404, "")
		c.get("/projects/"+other).want(t, 200, "").notContains(t, `id="project-reach"`)
	}
}

// TestReachPagesInEveryLanguage renders the list's pages, and their
// refused forms, in the three languages and looks for message keys that
// came out untranslated.
func TestReachPagesInEveryLanguage(t *testing.T) {
	w := newReachWorld(t)
	_, err := w.reach.AddLines(w.staffCtx(), w.aProject, []reach.Row{{N: 1, Person: "Ana Ruiz", Number: "81 1111 2222"},
		{N: 2, Person: "Carla Núñez", Number: "55 2222 4444"}})
	must(t, err)
	_, err = w.reach.AddTrunk(w.staffCtx(), w.aProject, reach.TrunkInput{Name: "SIP Monterrey"})
	must(t, err)
	_, _, err = w.reach.AssignTemporaries(w.staffCtx(), w.aProject)
	must(t, err)
	line := w.line(t, w.aProject, "Ana Ruiz").ID
	list := "/projects/" + w.aProject + "/reach"
	staff, customer := w.signedIn(w.admin.Email), w.signedIn(w.a.admin.Email)
	pages := []langPage{
		{staff, "GET", list + "?given=1", nil},
		{staff, "GET", list + "/lines/" + line, nil},
		{staff, "POST", list + "/trunks", url.Values{"name": {""}}},
		{staff, "POST", list + "/release", nil},
		{staff, "POST", list + "/act", url.Values{"action": {"confirm_clip"}, "line": {line}}},
		{customer, "GET", list, nil},
		{customer, "GET", list + "/lines/" + line, nil},
		{customer, "POST", list + "/lines", url.Values{"lines": {"Beto, 12\n, 81 3333 4444"}}},
		{customer, "POST", list + "/lines", url.Values{"lines": {""}}},
		{customer, "GET", "/projects/" + w.aProject, nil},
	}
	for _, lang := range []string{"es-MX", "en", "de"} {
		for _, c := range []*client{staff, customer} {
			c.post("/lang", url.Values{"lang": {lang}})
		}
		for _, p := range pages {
			var r resp
			if p.method == http.MethodPost {
				r = p.c.post(p.path, p.form)
			} else {
				r = p.c.get(p.path)
			}
			if r.status >= 300 && r.status < 400 || r.status >= 500 {
				t.Errorf("%s %s %s = %d %s", lang, p.method, p.path, r.status, r.location)
				continue
			}
			if !strings.Contains(r.body, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s %s: page is not in %s", lang, p.method, p.path, lang)
			}
			// The download's link ends in reach.csv, which reads like a key.
			body := strings.ReplaceAll(stripAssets(r.body), `/reach.csv"`, `"`)
			if keys := rawKey.FindAllString(body, -1); len(keys) > 0 {
				t.Errorf("%s %s %s shows untranslated keys %v", lang, p.method, p.path, keys)
			}
		}
	}
}

// TestReachLargePaste pastes the most people the list takes at once,
// which is more than the default body limit: the route has its own.
func TestReachLargePaste(t *testing.T) {
	w := newReachWorld(t)
	list := "/projects/" + w.aProject + "/reach"
	var b strings.Builder
	for i := range reach.MaxRows {
		fmt.Fprintf(&b, "Persona %04d\t81 2000 %04d\tpersona%04d@alfa.mx\n", i, i, i)
	}
	form := url.Values{"lines": {b.String()}}
	if n := len(form.Encode()); n <= 64<<10 {
		t.Fatalf("the paste is %d bytes, want more than the default limit", n)
	}
	w.signedIn(w.a.admin.Email).post(list+"/lines", form).want(t, 303, list+"#people")
	if n := len(w.plan(t, w.aProject).Lines); n != reach.MaxRows {
		t.Errorf("list has %d people, want %d", n, reach.MaxRows)
	}
}
