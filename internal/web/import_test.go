package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/importer"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/web"
)

// newImportEnv is newEnv with the inventory and the importer wired in,
// and a job runner the test runs by hand.
func newImportEnv(t *testing.T) (*env, *inventory.Manager, *jobs.Runner) {
	t.Helper()
	e := newEnv(t)
	inv := inventory.NewManager(e.store, e.clock)
	imp := importer.NewService(e.store, inv, e.clock)
	runner := jobs.NewRunner(e.store, e.clock, slog.New(slog.DiscardHandler))
	imp.Register(runner)
	s := web.New(web.Deps{Identity: e.id, Notify: notify.NewService(e.store), Audit: audit.NewService(e.store),
		Customers: customer.NewService(e.store), Inventory: inv, Importer: imp, Catalog: i18n.MustLoad(), Clock: e.clock, Demo: true})
	srv := httptest.NewServer(ops.Chain(s.Handler(), ops.RequestID(false), ops.LimitBody(21<<20)))
	t.Cleanup(srv.Close)
	e.srv = srv
	return e, inv, runner
}

// upload posts a file to the import form.
func (c *client) upload(customerID, name, content string) resp {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("customer", customerID)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = io.WriteString(fw, content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+"/imports?customer="+customerID, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func importFile(account string, rows ...string) string {
	return "Sitio;Dirección;Ciudad;Código postal;Estado;Llave de servicio;Categoría;Producto;Cuenta facturación;Estatus;Fecha activación\n" +
		strings.Join(rows, "\n") + "\n"
}

func TestImportPreviewThenImport(t *testing.T) {
	e, inv, runner := newImportEnv(t)
	tn := e.newTenant("Alfa")
	pm := e.signedIn(e.newStaff(identity.StaffPM))
	pm.get("/imports").want(t, 200, "").contains(t, `id="import-template"`, "llave_de_servicio", "cuenta_facturacion")
	pm.get("/imports/template.csv").want(t, 200, "").contains(t, "sitio,direccion")
	pm.get("/imports?customer="+tn.customer.ID).want(t, 200, "").contains(t, `id="import-form"`)

	// A file with a bad row: the preview lists it and offers no import.
	bad := importFile(tn.account.Number,
		"Matriz;Av. Juárez 1;Mérida;97000;Yucatán;MID-0001;Colaboración;Troncal;A-alfa;Activo;01/02/2024",
		"Matriz;;;;;MID-0002;Telefonía;Troncal;A-alfa;Activo;2024-02-01",
		"Matriz;;;;;MID-0003;TI;Mesa;A-nada;Activo;2024-02-30")
	r := pm.upload(tn.customer.ID, "alfa.csv", bad)
	if r.status != 303 || !strings.HasPrefix(r.location, "/imports/") {
		t.Fatalf("upload: %d %s\n%s", r.status, r.location, r.body)
	}
	id := strings.TrimPrefix(r.location, "/imports/")
	pm.get("/imports/"+id).want(t, 200, "").contains(t, `id="import-progress"`, `id="import-refresh"`)
	pm.get("/imports/"+id+"/status").want(t, 200, "").contains(t, `"status":"uploaded"`, `"running":true`)
	if _, err := runner.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	page := pm.get("/imports/"+id).want(t, 200, "").contains(t, `id="import-problems"`, "Elija una categoría", "A-nada", "2024-02-30",
		`id="import-error-report"`)
	if strings.Contains(page.body, `id="import-apply"`) {
		t.Error("a file with problems offers the import")
	}
	pm.get("/imports/"+id+"/errors.csv").want(t, 200, "").contains(t, "\uFEFF", ",Categoría,", "A-nada")
	pm.post("/imports/"+id+"/apply", nil).want(t, 409, "")

	// The corrected file imports.
	good := importFile(tn.account.Number,
		"Matriz;Av. Juárez 1;Mérida;97000;Yucatán;MID-0001;Colaboración;Troncal;A-alfa;Activo;01/02/2024",
		"Matriz;;;;;MID-0002;Telco;Troncal;A-alfa;Activo;2024-02-01",
		"Sucursal;Av. 2;Puebla;72000;PUE;MID-0003;TI;Mesa;A-alfa;En activación;")
	r = pm.upload(tn.customer.ID, "alfa.csv", good)
	id = strings.TrimPrefix(r.location, "/imports/")
	if _, err := runner.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	pm.get("/imports/"+id).want(t, 200, "").contains(t, `id="import-apply"`, `id="count-new-sites">2<`, `id="count-services">3<`)
	if _, n, _ := inv.Services(e.staffCtx(), inventory.ServiceFilter{CustomerID: tn.customer.ID}); n != 0 {
		t.Fatalf("the preview wrote %d services", n)
	}
	pm.post("/imports/"+id+"/apply", nil).want(t, 303, "/imports/"+id)
	if _, err := runner.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	pm.get("/imports/"+id).want(t, 200, "").contains(t, `id="import-done"`)
	pm.get("/imports/"+id+"/status").want(t, 200, "").contains(t, `"status":"done"`, `"percent":100`)
	if _, n, _ := inv.Services(e.staffCtx(), inventory.ServiceFilter{CustomerID: tn.customer.ID}); n != 3 {
		t.Fatalf("imported %d services, want 3", n)
	}

	// A refused file says why on the form, and stores nothing.
	pm.upload(tn.customer.ID, "basura.csv", "\x00\x01garbage").want(t, 422, "").contains(t, "renglón 1")
	pm.upload(tn.customer.ID, "vacio.csv", "").want(t, 422, "")
	pm.upload(tn.customer.ID, "cols.csv", "sitio;producto\nA;B\n").want(t, 422, "").contains(t, "llave_de_servicio")
}

// TestImportTenancy: customer users reach no import page of any customer;
// staff who may not change the inventory are refused.
func TestImportTenancy(t *testing.T) {
	e, _, runner := newImportEnv(t)
	a, b := e.newTenant("Alfa"), e.newTenant("Beta")
	pm := e.signedIn(e.newStaff(identity.StaffPM))
	r := pm.upload(b.customer.ID, "b.csv", importFile(b.account.Number,
		"Matriz;Av 1;Mérida;97000;YUC;BET-0001;TI;Mesa;A-beta;Activo;2024-01-01"))
	id := strings.TrimPrefix(r.location, "/imports/")
	if _, err := runner.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	file := importFile(a.account.Number, "Matriz;Av 1;Mérida;97000;YUC;ALF-0001;TI;Mesa;A-alfa;Activo;2024-01-01")
	clients := map[string]*client{
		"A admin":    e.signedIn(a.admin.Email),
		"A user":     e.signedIn(a.user.Email),
		"technician": e.signedIn(e.newStaff(identity.StaffTechnician)),
		"support":    e.signedIn(e.newStaff(identity.StaffSupport)),
	}
	for who, c := range clients {
		want := 404
		if who == "technician" || who == "support" {
			want = 403
		}
		for _, path := range []string{"/imports", "/imports?customer=" + a.customer.ID, "/imports/" + id,
			"/imports/" + id + "/status", "/imports/" + id + "/errors.csv", "/imports/template.csv"} {
			if path == "/imports/template.csv" && want == 403 {
				continue // staff may read the format
			}
			if got := c.get(path); got.status != want {
				t.Errorf("%s GET %s = %d, want %d", who, path, got.status, want)
			}
		}
		if got := c.post("/imports/"+id+"/apply", nil); got.status != want {
			t.Errorf("%s POST apply = %d, want %d", who, got.status, want)
		}
		if got := c.upload(a.customer.ID, "a.csv", file); got.status != want {
			t.Errorf("%s upload = %d, want %d", who, got.status, want)
		}
	}
	imp, err := pmImport(e, id)
	if err != nil || imp != "ready" {
		t.Errorf("B's import is %s (%v), want untouched and ready", imp, err)
	}
}

func pmImport(e *env, id string) (string, error) {
	c := e.signedIn("pm@proveedor.mx")
	r := c.get("/imports/" + id + "/status")
	if r.status != 200 {
		return "", fmt.Errorf("status %d", r.status)
	}
	_, after, _ := strings.Cut(r.body, `"status":"`)
	st, _, _ := strings.Cut(after, `"`)
	return st, nil
}
