package web_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/licensing"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/web"
)

// newLicenceEnv is newEnv with the Teams licence check wired in and the
// program's per-route body limits around the UI.
func newLicenceEnv(t *testing.T) (*env, *licensing.Service) {
	t.Helper()
	e := newEnv(t)
	svc := licensing.NewService(e.store, e.clock)
	s := web.New(web.Deps{Identity: e.id, Notify: notify.NewService(e.store), Audit: audit.NewService(e.store),
		Customers: customer.NewService(e.store), Licences: svc, Catalog: i18n.MustLoad(), Clock: e.clock, Demo: true})
	mux := http.NewServeMux()
	s.Register(mux)
	srv := httptest.NewServer(ops.Chain(ops.CrossOriginProtection().Handler(mux), ops.RequestID(false),
		ops.LimitBodyByRoute(64<<10, mux, s.BodyLimits())))
	t.Cleanup(srv.Close)
	e.srv = srv
	return e, svc
}

// sampleExport is the Microsoft 365 admin center export of the tests.
func sampleExport(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../licensing/testdata/users.csv")
	must(t, err)
	return b
}

// TestLicences: a customer's administrator uploads the tenant's export and
// reads what each account lacks, filters by it, and sees the row left out.
func TestLicences(t *testing.T) {
	e, _ := newLicenceEnv(t)
	tn := e.newTenant("Acme")
	admin := e.signedIn(tn.admin.Email)
	admin.get("/numbers/licences").want(t, 200, "").contains(t, `id="licences-none"`, `id="licences-form"`,
		"Usuarios → Usuarios activos → Exportar usuarios")

	admin.uploadTo("/numbers/licences", nil, "users.csv", sampleExport(t)).want(t, 303, "/numbers/licences")
	page := admin.get("/numbers/licences").want(t, 200, "")
	page.contains(t, "Lista de usuarios importada y revisada.", `Lista «users.csv» importada`, `id="licences-ready">7<`,
		`id="licences-not-ready">6<`, `id="licences-chart"`, "Filas del archivo que no se importaron: 1",
		"La fila no tiene nombre principal de usuario (UPN) y no se importó.",
		"jose.martinez@contoso.mx", "Quitar el plan de llamadas de Microsoft", "Cuenta de recursos",
		"Sin audioconferencia con marcación saliente (opcional).", "Lista: no falta nada")
	if strings.Contains(page.body, "licensing.missing.") {
		t.Error("the page names a missing item by its key")
	}

	lacking := admin.get("/numbers/licences?missing=teams").want(t, 200, "")
	lacking.contains(t, "fernando.ruiz@contoso.mx", "hector.nunez@contoso.mx", `<option value="teams" selected>`)
	if strings.Contains(lacking.body, "ana.lopez@contoso.mx") {
		t.Error("?missing=teams lists Ana, who has E5")
	}
	notReady := admin.get("/numbers/licences?missing=any&q=e").want(t, 200, "")
	notReady.contains(t, "elena.castro@contoso.mx")
	if strings.Contains(notReady.body, "carla.mendoza@contoso.mx") {
		t.Error("?q=e lists Carla")
	}
	admin.get("/numbers/licences?missing=everything").want(t, 200, "").contains(t, "jose.martinez@contoso.mx")

	// A file wrong as a whole is said on the form, and the list stays.
	admin.uploadTo("/numbers/licences", nil, "otro.csv", []byte("Display name,User principal name\nAna,ana@contoso.mx\n")).
		want(t, 422, "").contains(t, `aria-invalid="true"`, "Licenses", `Lista «users.csv» importada`)
	admin.uploadTo("/numbers/licences", nil, "", nil).want(t, 422, "").contains(t, `aria-invalid="true"`)
	admin.uploadTo("/numbers/licences", nil, "grande.csv", make([]byte, licensing.MaxImportBytes+1)).
		want(t, 422, "").contains(t, `aria-invalid="true"`, "20 MiB")
	admin.uploadTo("/numbers/licences", nil, "enorme.csv", make([]byte, licensing.MaxImportBytes+128<<10)).
		want(t, 413, "").contains(t, `aria-invalid="true"`)
}

// TestLicencesStaff: the staff who manage numbers pick the customer and
// load its list; other staff are refused.
func TestLicencesStaff(t *testing.T) {
	e, _ := newLicenceEnv(t)
	tn := e.newTenant("Acme")
	pm := e.signedIn(e.newStaff(identity.StaffPM))
	pm.get("/numbers/licences").want(t, 200, "").contains(t, `id="choose-customer"`, "Acme (C-acme)")
	path := "/numbers/licences?customer=" + tn.customer.ID
	pm.uploadTo(path, nil, "users.csv", sampleExport(t)).want(t, 303, path)
	pm.get(path).want(t, 200, "").contains(t, `id="licences-ready">7<`, "pm@proveedor.mx")
	pm.get("/numbers/licences?customer=no-such-customer").want(t, 404, "")

	tech := e.signedIn(e.newStaff(identity.StaffTechnician))
	tech.get(path).want(t, 403, "")
	tech.uploadTo(path, nil, "users.csv", sampleExport(t)).want(t, 403, "")
}

// TestLicencesTenancy: a customer's people see only their own customer's
// accounts whatever they name; a read-only technical contact looks but
// does not import; an end user is refused.
func TestLicencesTenancy(t *testing.T) {
	e, svc := newLicenceEnv(t)
	a, b := e.newTenant("Alfa"), e.newTenant("Beta")
	_, err := svc.Import(e.staffCtx(), a.customer.ID, "alfa.csv", sampleExport(t))
	must(t, err)

	bAdmin := e.signedIn(b.admin.Email)
	bAdmin.get("/numbers/licences?customer="+a.customer.ID).want(t, 200, "").contains(t, `id="licences-none"`)
	bAdmin.uploadTo("/numbers/licences?customer="+a.customer.ID, nil, "b.csv",
		[]byte("User principal name,Licenses\nintruso@beta.mx,SPE_E5\n")).want(t, 303, "/numbers/licences")
	if sum, err := svc.Summary(e.staffCtx(), a.customer.ID); err != nil || sum.FileName != "alfa.csv" || sum.Users != 13 {
		t.Errorf("A's list after B's upload = %+v, %v; want alfa.csv untouched", sum, err)
	}

	_, err = e.id.CreateMember(e.staffCtx(), identity.NewMember{CustomerID: a.customer.ID, Email: "vista@alfa.mx",
		FirstName: "Vera", LastName: "Vista", Role: identity.RoleTechnical, AccessLevel: identity.AccessReadOnly})
	must(t, err)
	viewer := e.signedIn("vista@alfa.mx")
	viewer.get("/numbers/licences").want(t, 200, "").contains(t, `id="licences-read-only"`, "jose.martinez@contoso.mx")
	viewer.uploadTo("/numbers/licences", nil, "users.csv", sampleExport(t)).want(t, 403, "")

	e.signedIn(a.user.Email).get("/numbers/licences").want(t, 403, "")
}

// TestLicencesInEveryLanguage renders the page's states in the three
// languages without a key left untranslated.
func TestLicencesInEveryLanguage(t *testing.T) {
	e, svc := newLicenceEnv(t)
	tn := e.newTenant("Acme")
	staff := e.signedIn(e.admin.Email)
	admin := e.signedIn(tn.admin.Email)
	path := "/numbers/licences?customer=" + tn.customer.ID
	pages := []langPage{
		{staff, "GET", "/numbers/licences", nil},
		{staff, "GET", path, nil},
	}
	checkEveryLanguage(t, []*client{staff, admin}, pages)
	// A file name such as users.csv would read as a key of the catalogue.
	_, err := svc.Import(e.staffCtx(), tn.customer.ID, "exportacion.csv", sampleExport(t))
	must(t, err)
	pages = append(pages, langPage{admin, "GET", "/numbers/licences?missing=teams_phone", nil},
		langPage{admin, "GET", "/numbers/licences?missing=nope", nil})
	checkEveryLanguage(t, []*client{staff, admin}, pages)
}
