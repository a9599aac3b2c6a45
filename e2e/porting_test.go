package e2e

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSignerSignsTheLOA: Grupo Aurora's authorized signer opens
// the port order waiting for his signature, reviews its numbers, signs the
// LOA with his typed name; the signed PDF opens and carries the numbers
// and the signature's evidence, and the project manager finds the order
// ready to submit to the carrier.
func TestBrowserSignerSignsTheLOA(t *testing.T) {
	d := startDemo(t)
	s := d.open(t)
	s.signIn("diego.paz@aurora.example", "Enlace#2026", "greeting")
	s.visit("/port-orders", "port-orders")
	href, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll('#port-orders tr')].find(r => r.textContent.includes('Esperando la firma'))?.querySelector('a')?.getAttribute('href') ?? ''`))
	if err != nil || href == "" {
		t.Fatalf("no order awaiting the signer's signature in his list: %q, %v", href, err)
	}
	s.visit(href, "order-sign")
	s.submit("order-sign", "sign-form")
	if got := s.text("sign-numbers"); !strings.Contains(got, "+52 81 8356 5500") || !strings.Contains(got, "Telmex") {
		t.Errorf("the signer does not see the numbers to port by carrier:\n%s", got)
	}
	s.fill("name", "Diego Paz Garza")
	s.do(chromedp.Click(chromedp.ID("agree")))
	s.submit("sign-submit", "order-signature")
	if got := s.text("order-state"); !strings.Contains(got, "Firmada") {
		t.Errorf("after signing the order reads %q, want signed", got)
	}
	evidence := s.text("order-signature")
	if !strings.Contains(evidence, "Diego Paz Garza") || !strings.Contains(evidence, "127.0.0.1") {
		t.Errorf("the signature's evidence is not shown:\n%s", evidence)
	}

	// The signed PDF, as the signer's browser downloads it.
	link, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](`document.getElementById('order-signed-link').getAttribute('href')`))
	if err != nil || link == "" {
		t.Fatalf("no link to the signed LOA: %v", err)
	}
	encoded, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](`fetch(`+quoteJS(link)+`).then(r => r.arrayBuffer()).then(b => {
		let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s) })`,
		chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download the signed LOA: %v", err)
	}
	pdf, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatal(err)
	}
	sum := lineAfter(evidence, "SHA-256")
	for _, want := range []string{"%PDF", "+52 81 8356 5500", "+52 81 8356 5505", "Diego Paz Garza", "127.0.0.1", sum} {
		if want == "" || !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("the signed LOA (%d bytes) lacks %q", len(pdf), want)
		}
	}

	pm := d.open(t)
	pm.signIn("pm@enlace.example", "Enlace#2026", "greeting")
	pm.visit(href, "order-state")
	if got := pm.text("order-state"); !strings.Contains(got, "lista para enviar") {
		t.Errorf("the PM sees the order as %q, want ready to submit", got)
	}
	if _, err := chromedp.Run(pm.ctx, chromedp.WaitEnabled(chromedp.ID("act-submit-submit"))); err != nil {
		t.Errorf("the PM cannot submit the signed order: %v", err)
	}
}

// quoteJS writes s as a JavaScript string literal.
func quoteJS(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// lineAfter returns the first 64-character hexadecimal word of text after
// label: the checksum the evidence shows.
func lineAfter(text, label string) string {
	_, rest, ok := strings.Cut(text, label)
	if !ok {
		return ""
	}
	for _, w := range strings.Fields(rest) {
		if len(w) == 64 && strings.Trim(w, "0123456789abcdef") == "" {
			return w
		}
	}
	return ""
}
