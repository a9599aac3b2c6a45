package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserImportInventoryFromCSV: a project manager loads a customer's
// sites and services from a spreadsheet saved as CSV — upload, the check
// with its progress bar, the preview, the import — and the customer's
// administrator then finds the services in their portal.
func TestBrowserImportInventoryFromCSV(t *testing.T) {
	d := startDemo(t)
	file := filepath.Join(t.TempDir(), "inventario.csv")
	csv := "sitio;dirección;ciudad;código postal;estado;llave de servicio;categoría;producto;cuenta facturación;fecha activación\n" +
		"Planta Apodaca;Carretera Miguel Alemán 200;Apodaca;66600;Nuevo León;E2E-001;Conectividad;Internet dedicado 200 Mbps;8100-0001;15/03/2025\n" +
		"Planta Apodaca;;;;;E2E-002;Telco;Troncal SIP 30 canales;8100-0001;15/03/2025\n" +
		"Oficina Querétaro;Av. Constituyentes 45;Querétaro;76000;Querétaro;E2E-003;Colaboración;Teams Phone;8100-0002;2025-04-01\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}

	p := d.open(t)
	p.signIn("pm@enlace.example", "Enlace#2026", "greeting")
	p.visit("/imports", "import-customer")
	id, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll('#customer option')].find(o => o.text.startsWith('Grupo Aurora')).value`))
	if err != nil || id == "" {
		t.Fatalf("no Grupo Aurora among the customers: %q, %v", id, err)
	}
	p.visit("/imports?customer="+id, "import-form")
	p.do(chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}))
	p.submit("import-upload", "import-status")
	p.do(chromedp.WaitVisible(chromedp.ID("import-apply"))) // the check ran, with no problems
	if got := p.text("count-services"); !strings.Contains(got, "3") {
		t.Errorf("preview counts %q services, want 3", got)
	}
	p.submit("import-apply", "import-status")
	p.do(chromedp.WaitVisible(chromedp.ID("import-done")))

	a := d.open(t)
	a.signIn(admin, "Enlace#2026", "greeting")
	a.visit("/services?q=E2E", "services")
	if got := a.text("services"); !strings.Contains(got, "E2E-001") || !strings.Contains(got, "E2E-003") {
		t.Errorf("the customer's services do not show the imported ones:\n%s", got)
	}
}
