package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// numbersWorld is a UI with numbers and port orders: customers A and B,
// each with a site, an authorized signer and five numbers (A's
// +52 55 5000 0100–0104, B's +52 81 8000 0200–0204), a project manager,
// and a job runner the test runs by hand.
type numbersWorld struct {
	*env
	a, b               *tenant
	aSite, bSite       string
	aSigner, bSigner   *identity.Member
	aNumbers, bNumbers []numbering.Number
	pm                 *identity.User
	runner             *jobs.Runner
}

func newNumbersWorld(t *testing.T) *numbersWorld {
	t.Helper()
	e, _ := newProjectEnv(t)
	w := &numbersWorld{env: e, a: e.newTenant("Alfa"), b: e.newTenant("Beta"),
		runner: jobs.NewRunner(e.store, e.clock, slog.New(slog.DiscardHandler))}
	e.numbers.Register(w.runner)
	for _, s := range []struct {
		tn       *tenant
		site     *string
		signer   **identity.Member
		numbers  *[]numbering.Number
		from, to string
	}{{w.a, &w.aSite, &w.aSigner, &w.aNumbers, "+52 55 5000 0100", "+52 55 5000 0104"},
		{w.b, &w.bSite, &w.bSigner, &w.bNumbers, "+52 81 8000 0200", "+52 81 8000 0204"}} {
		site := inventory.Site{ID: enlace.NewID(), CustomerID: s.tn.customer.ID, Name: "Matriz " + s.tn.customer.Name,
			AddressLine1: "Av. Constitución 100", City: "Monterrey", State: "NLE", Country: "MX", BillingAccountID: s.tn.account.ID}
		must(t, e.store.CreateSite(t.Context(), &site))
		*s.site = site.ID
		slug := strings.ToLower(s.tn.customer.Name)
		m, err := e.id.CreateMember(e.staffCtx(), identity.NewMember{CustomerID: s.tn.customer.ID, Email: "firma@" + slug + ".mx",
			FirstName: "Fernanda", LastName: "Firmante " + s.tn.customer.Name, Role: identity.RoleSigner, AccessLevel: identity.AccessFull})
		must(t, err)
		*s.signer = m
		*s.numbers, err = e.numbers.Add(e.staffCtx(), numbering.AddInput{CustomerID: s.tn.customer.ID, From: s.from, To: s.to})
		must(t, err)
	}
	pm, err := e.store.UserByEmail(t.Context(), e.newStaff(identity.StaffPM))
	must(t, err)
	w.pm = pm
	return w
}

// pmCtx acts as the project manager, for setting up through the services.
func (w *numbersWorld) pmCtx() context.Context {
	return enlace.WithActor(context.Background(), &enlace.Actor{UserID: w.pm.ID, Email: w.pm.Email, StaffRole: identity.StaffPM,
		Locale: "es-MX"})
}

// number reads a number as staff see it.
func (w *numbersWorld) number(t *testing.T, id string) *numbering.Number {
	t.Helper()
	n, err := w.numbers.Get(w.staffCtx(), id)
	must(t, err)
	return n
}

// member adds a person to customer A with a role and access level and
// returns their e-mail.
func (w *numbersWorld) member(t *testing.T, role, access string) string {
	t.Helper()
	m, err := w.id.CreateMember(w.staffCtx(), identity.NewMember{CustomerID: w.a.customer.ID, Email: role + "." + access + "@alfa.mx",
		FirstName: "Rol", LastName: role, Role: role, AccessLevel: access})
	must(t, err)
	return m.Email
}

// TestNumbersList checks the list as staff and as a customer: the chart
// by state whose bars filter the list, the filters, the links staff who
// keep the inventory get, and a customer's list holding only its own
// numbers.
func TestNumbersList(t *testing.T) {
	w := newNumbersWorld(t)
	_, err := w.numbers.Act(w.staffCtx(), w.aNumbers[0].ID, numbering.Action{Event: numbering.EventReserve})
	must(t, err)
	pm := w.signedIn(w.pm.Email)
	pm.get("/numbers").want(t, 200, "").contains(t, `id="state-chart"`, `href="/numbers?state=reserved"`, `id="numbers-new"`,
		`id="numbers-import"`, "&#43;52 55 5000 0100", "&#43;52 81 8000 0200", `id="nav-numbers"`, `id="nav-port-orders"`)
	pm.get("/numbers?state=reserved").want(t, 200, "").contains(t, `aria-current="true"`, "&#43;52 55 5000 0100", `id="numbers-all-states"`).
		notContains(t, "&#43;52 55 5000 0101", "&#43;52 81 8000 0200")
	pm.get("/numbers?customer="+w.b.customer.ID).want(t, 200, "").contains(t, "&#43;52 81 8000 0204", `href="/numbers/new?customer=`+w.b.customer.ID+`"`).
		notContains(t, "&#43;52 55 5000 0100")
	pm.get("/numbers?q=%2B52818000020").want(t, 200, "").contains(t, "&#43;52 81 8000 0203").notContains(t, "&#43;52 55 5000 0100")
	pm.get("/numbers?state=lost").want(t, 200, "").contains(t, `id="error-summary"`)

	admin := w.signedIn(w.a.admin.Email)
	admin.get("/numbers").want(t, 200, "").contains(t, "&#43;52 55 5000 0104", `id="nav-numbers"`).
		notContains(t, "&#43;52 81 8000 0200", `id="numbers-new"`, `id="numbers-import"`, `id="customer"`)
	// A customer naming another customer still sees its own numbers only.
	admin.get("/numbers?customer="+w.b.customer.ID).want(t, 200, "").notContains(t, "&#43;52 81 8000 0200")
}

// TestNumberChanges assigns a number through its page and changes its
// details, after bad input that comes back with the fields' messages and
// changes nothing; the page offers each reader only what they may do.
func TestNumberChanges(t *testing.T) {
	w := newNumbersWorld(t)
	n := w.aNumbers[1]
	path := "/numbers/" + n.ID
	admin := w.signedIn(w.a.admin.Email)
	admin.get(path).want(t, 200, "").contains(t, `id="act-assign"`, `id="details"`, `id="siteId-details"`, "Matriz Alfa").
		notContains(t, `id="act-reserve"`, `id="act-release"`, `id="act-mark_test"`)

	bad := []struct {
		name, path string
		form       url.Values
		want       []string
	}{
		{"no name, bad sign-in name", path + "/act", url.Values{"event": {"assign"}, "assigneeKind": {"user"}, "assigneeRef": {"ana lopez"}},
			[]string{"Escriba el nombre de quien recibe el número", "Escriba el nombre de inicio de sesión (UPN)", `id="assigneeName-act-assign"`, `value="ana lopez"`}},
		{"unknown kind", path + "/act", url.Values{"event": {"assign"}, "assigneeKind": {"fax"}, "assigneeName": {"Ana"}, "assigneeRef": {"ana@alfa.mx"}},
			[]string{"Elija a qué se asigna"}},
		{"caller name too long", path + "/details", url.Values{"cnam": {"ALFA CORPORATIVO MX"}, "location": {"Av. 1"}},
			[]string{"a lo más 15", `value="ALFA CORPORATIVO MX"`}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := admin.post(tt.path, tt.form)
			if r.status < 400 {
				t.Fatalf("POST %s %v = %d, want refused", tt.path, tt.form, r.status)
			}
			r.contains(t, tt.want...)
		})
	}
	if got := w.number(t, n.ID); got.Version != n.Version || got.AssigneeName != "" || got.CNAM != "" || got.SiteID != "" {
		t.Fatalf("refused changes changed the number: %+v", got)
	}

	admin.post(path+"/act", url.Values{"event": {"assign"}, "assigneeKind": {"user"}, "assigneeName": {"Ana López"},
		"assigneeRef": {"ana@alfa.mx"}}).want(t, 303, path)
	admin.get(path).want(t, 200, "").contains(t, "Se asignó el número.", "Ana López", `id="act-unassign"`, `value="ana@alfa.mx"`)
	admin.post(path+"/details", url.Values{"cnam": {"ALFA"}, "location": {"Av. Constitución 100, Monterrey"}, "siteId": {w.aSite}}).
		want(t, 303, path)
	if got := w.number(t, n.ID); got.State != numbering.StateAssigned || got.AssigneeRef != "ana@alfa.mx" || got.CNAM != "ALFA" ||
		got.SiteID != w.aSite {
		t.Errorf("number after the changes = %+v", got)
	}

	// A read-only user sees the number and changes nothing; releasing is
	// the staff's but for test numbers.
	viewer := w.signedIn(w.a.user.Email)
	viewer.get(path).want(t, 200, "").notContains(t, `id="act-assign"`, `id="details"`, `id="act-unassign"`)
	viewer.post(path+"/act", url.Values{"event": {"unassign"}}).want(t, 403, "")
	admin.post("/numbers/"+w.aNumbers[2].ID+"/act", url.Values{"event": {"release"}}).want(t, 403, "")
	admin.post(path+"/act", url.Values{"event": {"port_in"}}).want(t, 400, "")

	pm := w.signedIn(w.pm.Email)
	pm.get("/numbers/"+w.aNumbers[2].ID).want(t, 200, "").contains(t, `id="act-reserve"`, `id="act-mark_test"`, `id="act-release"`).
		notContains(t, `id="act-unassign"`, `id="act-unreserve"`)
	pm.post("/numbers/"+w.aNumbers[2].ID+"/act", url.Values{"event": {"mark_test"}}).want(t, 303, "/numbers/"+w.aNumbers[2].ID)
	admin.get("/numbers/"+w.aNumbers[2].ID).want(t, 200, "").contains(t, `id="act-release"`)
	admin.post("/numbers/"+w.aNumbers[2].ID+"/act", url.Values{"event": {"release"}}).want(t, 303, "/numbers/"+w.aNumbers[2].ID)
	if got := w.number(t, w.aNumbers[2].ID); got.State != numbering.StateReleased {
		t.Errorf("test number released by the customer is %s", got.State)
	}
}

// TestNumbersAdd adds a number and a range through the staff's form,
// after bad input; a number another customer holds is refused naming it;
// the form is the staff's.
func TestNumbersAdd(t *testing.T) {
	w := newNumbersWorld(t)
	pm := w.signedIn(w.pm.Email)
	pm.get("/numbers/new?customer="+w.a.customer.ID).want(t, 200, "").contains(t, `id="numbers-form"`, `id="to"`, "10,000")
	count := func() int {
		_, total, err := w.numbers.List(w.staffCtx(), numbering.Filter{})
		must(t, err)
		return total
	}
	before := count()
	pm.post("/numbers/new", url.Values{"from": {"12"}, "state": {"assigned"}, "cnam": {"ÑOÑO"}}).want(t, 422, "").
		contains(t, "Elija el cliente.", "No es un número telefónico válido", "Elija un estado válido.", "a lo más 15")
	pm.post("/numbers/new", url.Values{"customerId": {w.a.customer.ID}, "from": {"+52 55 5000 0300"}, "to": {"+52 55 5000 0200"}}).
		want(t, 422, "").contains(t, "El número final debe ser")
	pm.post("/numbers/new", url.Values{"customerId": {w.a.customer.ID}, "from": {"+52 81 8000 0190"}, "to": {"+52 81 8000 0200"}}).
		want(t, 409, "").contains(t, "&#43;528180000200", `value="&#43;52 81 8000 0190"`)
	if got := count(); got != before {
		t.Fatalf("refused adds left %d numbers, want %d", got, before)
	}
	pm.post("/numbers/new", url.Values{"customerId": {w.a.customer.ID}, "from": {"55 5000 0300"}, "to": {"55 5000 0309"},
		"state": {"test"}, "cnam": {"ALFA"}}).want(t, 303, "/numbers?customer="+w.a.customer.ID)
	pm.get("/numbers?customer="+w.a.customer.ID+"&state=test").want(t, 200, "").
		contains(t, "Se agregaron los números del rango.", "&#43;52 55 5000 0309")
	if got := count(); got != before+10 {
		t.Errorf("numbers after the range = %d, want %d", got, before+10)
	}

	admin := w.signedIn(w.a.admin.Email)
	for _, path := range []string{"/numbers/new", "/numbers/import", "/numbers/import/template.csv"} {
		admin.get(path).want(t, 403, "")
	}
	admin.post("/numbers/new", url.Values{"customerId": {w.a.customer.ID}, "from": {"+52 55 5000 0400"}}).want(t, 403, "")
	w.signedIn(w.newStaff(identity.StaffTechnician)).get("/numbers/new").want(t, 403, "")
}

// TestNumberImport loads a file through the form and the job: the page
// follows the progress, then shows what was added and each refused row's
// problem in the reader's language, also as CSV.
func TestNumberImport(t *testing.T) {
	w := newNumbersWorld(t)
	pm := w.signedIn(w.pm.Email)
	pm.get("/numbers/import").want(t, 200, "").contains(t, `id="numbers-import-template"`, "<code>numero</code>", "rufnummer").
		notContains(t, `id="numbers-import-form"`)
	pm.get("/numbers/import/template.csv").want(t, 200, "").contains(t, "numero,hasta,estado,cnam,ubicacion,nota")
	pm.get("/numbers/import?customer="+w.a.customer.ID).want(t, 200, "").contains(t, `id="numbers-import-form"`)

	file := "Número;Hasta;Estado;CNAM\n" +
		"+52 55 6000 0100;+52 55 6000 0104;disponible;ALFA\n" +
		"+52 55 6000 0200;;prueba;\n" +
		"no es número;;;\n" +
		"+52 81 8000 0201;;;\n" +
		"+52 55 6000 0300;;perdido;\n"
	r := pm.uploadTo("/numbers/import?customer="+w.a.customer.ID, nil, "alfa.csv", []byte(file))
	if r.status != 303 || !strings.HasPrefix(r.location, "/numbers/imports/") {
		t.Fatalf("upload = %d %q\n%s", r.status, r.location, r.body)
	}
	path := r.location
	pm.get(path).want(t, 200, "").contains(t, `id="import-progress"`, `data-status-url="`+path+`/status"`)
	pm.get(path+"/status").want(t, 200, "").contains(t, `"status":"running"`, `"running":true`, `"total":5`)
	if _, err := w.runner.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	pm.get(path+"/status").want(t, 200, "").contains(t, `"running":false`, `"percent":100`)
	pm.get(path).want(t, 200, "").contains(t, `id="count-created">6<`, `id="count-refused">3<`, `id="numbers-import-problems"`,
		"No es un número telefónico válido", "ya está en el inventario", "Elija un estado válido.", `id="numbers-import-done"`)
	pm.get(path+"/problems.csv").want(t, 200, "").contains(t, "\uFEFF", "Renglón,Columna,Problema", `4,Número,"No es un número`)
	pm.get("/numbers?customer="+w.a.customer.ID+"&q=%2B525560000").want(t, 200, "").contains(t, "&#43;52 55 6000 0104", "&#43;52 55 6000 0200")

	// A file without the number column is refused on the form, and no
	// import starts.
	pm.uploadTo("/numbers/import?customer="+w.a.customer.ID, nil, "cols.csv", []byte("cnam;nota\nA;B\n")).want(t, 422, "").
		contains(t, "numero")
	pm.uploadTo("/numbers/import?customer="+w.a.customer.ID, nil, "", nil).want(t, 422, "")
	imports, err := w.numbers.Imports(w.staffCtx(), w.a.customer.ID)
	if err != nil || len(imports) != 1 {
		t.Errorf("imports = %d, %v; want the one", len(imports), err)
	}

	// The imports are the staff's who keep the inventory.
	admin := w.signedIn(w.a.admin.Email)
	for _, p := range []string{path, path + "/status", path + "/problems.csv"} {
		admin.get(p).want(t, 404, "")
	}
	admin.uploadTo("/numbers/import?customer="+w.a.customer.ID, nil, "a.csv", []byte(file)).want(t, 403, "")
}

// numberRoutesOf lists every route that names a number, for the number at
// path.
func numberRoutesOf(path string) []deskRoute {
	act := func(event string, more ...string) deskRoute {
		f := url.Values{"event": {event}}
		for i := 0; i+1 < len(more); i += 2 {
			f.Set(more[i], more[i+1])
		}
		return deskRoute{"POST", path + "/act", f, false}
	}
	return []deskRoute{
		{"GET", path, nil, false},
		act(numbering.EventAssign, "assigneeKind", "user", "assigneeName", "Intruso", "assigneeRef", "intruso@alfa.mx"),
		act(numbering.EventUnassign),
		act(numbering.EventReserve),
		act(numbering.EventUnreserve),
		act(numbering.EventMarkTest),
		act(numbering.EventRelease),
		{"POST", path + "/details", url.Values{"cnam": {"INTRUSO"}}, false},
	}
}

// TestNumbersTenancy walks every route of a number as every customer
// role of customer A against customer B's number: each answers 404 and
// nothing of B changes; A's lists show none of B's numbers.
func TestNumbersTenancy(t *testing.T) {
	w := newNumbersWorld(t)
	target := w.bNumbers[0]
	_, err := w.numbers.Act(w.staffCtx(), target.ID, numbering.Action{Event: numbering.EventAssign,
		Assignee: numbering.Assignee{Kind: numbering.AssigneeUser, Name: "Bruno Beta", Ref: "bruno@beta.mx"}})
	must(t, err)
	target = *w.number(t, target.ID)
	customers := map[string]*client{
		"A admin":     w.signedIn(w.a.admin.Email),
		"A user":      w.signedIn(w.a.user.Email),
		"A technical": w.signedIn(w.member(t, identity.RoleTechnical, identity.AccessFull)),
		"A signer":    w.signedIn(w.aSigner.Email),
	}
	for who, c := range customers {
		for _, rt := range numberRoutesOf("/numbers/" + target.ID) {
			t.Run(who+" "+rt.method+" "+rt.path+" "+rt.form.Get("event"), func(t *testing.T) {
				if r := c.call(rt); r.status != http.StatusNotFound {
					t.Errorf("%s %s %v as %s = %d, want 404\n%s", rt.method, rt.path, rt.form, who, r.status, r.body)
				}
			})
		}
		for _, path := range []string{"/numbers", "/numbers?customer=" + w.b.customer.ID, "/numbers?q=%2B5281", "/numbers?q=bruno"} {
			if r := c.get(path); r.status != 200 || strings.Contains(r.body, "8000 020") || strings.Contains(r.body, "Bruno") {
				t.Errorf("%s GET %s = %d or shows B's numbers", who, path, r.status)
			}
		}
	}
	if got := w.number(t, target.ID); got.Version != target.Version || got.State != numbering.StateAssigned || got.CNAM != "" {
		t.Errorf("B's number changed: %+v", got)
	}
}
