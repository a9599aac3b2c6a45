package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"github.com/chromedp/chromedp"
)

// TestBrowserCustomerUploadsTheDocumentTheGateWaitsFor: on the demo's
// Teams onboarding project, Grupo Aurora's administrator sees what is
// expected of her next — the CSR for the number port — uploads it, and
// the project manager then finds the gate open and his own next task,
// entering the port order, ready.
func TestBrowserCustomerUploadsTheDocumentTheGateWaitsFor(t *testing.T) {
	d := startDemo(t)
	csr := filepath.Join(t.TempDir(), "CSR Grupo Aurora.pdf")
	writePDF(t, csr, "Customer Service Record", "Numeros: +52 81 8000 1000 a +52 81 8000 1049")

	c := d.open(t)
	c.signIn(admin, "Enlace#2026", "greeting")
	c.visit("/projects", "projects")
	href, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll('#projects tr')].find(r => r.textContent.includes('Teams'))?.querySelector('a')?.getAttribute('href') ?? ''`))
	if err != nil || href == "" {
		t.Fatalf("no Teams project in the customer's list: %q, %v", href, err)
	}
	c.visit(href, "next")
	if got := c.text("next"); !strings.Contains(got, "CSR") {
		t.Errorf("what is expected of the customer does not name the CSR:\n%s", got)
	}
	c.do(chromedp.SetUploadFiles(chromedp.ID("file-porting-csr"), []string{csr}))
	c.submit("upload-porting-csr-submit", "task-porting-csr")
	if got := c.text("task-porting-csr"); !strings.Contains(got, "Terminada") || !strings.Contains(got, "Cumplida") {
		t.Errorf("after the upload the CSR task reads:\n%s", got)
	}

	pm := d.open(t)
	pm.signIn("pm@enlace.example", "Enlace#2026", "greeting")
	pm.visit(href, "task-porting-csr")
	if got := pm.text("task-porting-csr"); !strings.Contains(got, "Cumplida") || !strings.Contains(got, "CSR Grupo Aurora.pdf") {
		t.Errorf("the PM does not see the gate open with the customer's file:\n%s", got)
	}
	// With the phone bill and number list already in, the PM's next step
	// is ready: entering the port order.
	if got := pm.text("task-enter-port-order"); !strings.Contains(got, "Lista para iniciar") {
		t.Errorf("enter-port-order is not ready for the PM:\n%s", got)
	}
}

// writePDF writes a one-page PDF a person could have scanned.
func writePDF(t *testing.T, path string, lines ...string) {
	t.Helper()
	p := fpdf.New("P", "mm", "Letter", "")
	p.AddPage()
	p.SetFont("Helvetica", "", 12)
	for _, l := range lines {
		p.MultiCell(0, 8, l, "", "L", false)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := p.Output(f); err != nil {
		t.Fatal(err)
	}
}
