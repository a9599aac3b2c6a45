package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserNewHireStaysReachable: during Clínica Santa Fe's IP-Centrex
// migration a new person joins. The customer's administrator opens the
// migration's list from the project, pastes the person with the number
// callers know, and sees them waiting for a provisional number; support
// gives them a free number of the customer's from Guadalajara, like
// their number; the forwarding list
// the administrator downloads for the old carrier carries both numbers.
func TestBrowserNewHireStaysReachable(t *testing.T) {
	d := startDemo(t)
	c := d.open(t)
	c.signIn("carlos.ibarra@santafe.example", "Enlace#2026", "greeting")
	c.visit("/projects", "projects")
	href, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll('#projects tr')].find(r => r.textContent.includes('IP-Centrex'))?.querySelector('a')?.getAttribute('href') ?? ''`))
	if err != nil || href == "" {
		t.Fatalf("no IP-Centrex project in the customer's list: %q, %v", href, err)
	}
	c.visit(href, "project-reach")
	c.submit("project-reach", "reach-people")
	list := href + "/reach"
	if got := c.text("check-temporary-count"); !strings.Contains(got, "8 de 8") {
		t.Errorf("provisional numbers checkpoint reads %q, want everyone's", got)
	}
	if got := c.text("check-no_return"); !strings.Contains(got, "Apagar la solución telefónica anterior") {
		t.Errorf("the point of no return does not name the shutdown:\n%s", got)
	}

	c.fill("lines-add", "Enfermería piso 2, 33 3826 4408, enfermeria2@santafe.example")
	c.submit("lines-submit", "reach-people")
	if got := c.text("reach-people"); !strings.Contains(got, "Enfermería piso 2") || !strings.Contains(got, "33 3826 4408") {
		t.Errorf("the new person is not on the list:\n%s", got)
	}
	if got := c.text("check-temporary-count"); !strings.Contains(got, "8 de 9") {
		t.Errorf("provisional numbers checkpoint reads %q after the paste, want 8 of 9", got)
	}

	s := d.open(t)
	s.signIn("soporte@enlace.example", "Enlace#2026", "greeting")
	s.visit(list, "temporaries-form")
	s.submit("temporaries-submit", "reach-given")
	if got := s.text("check-temporary-count"); !strings.Contains(got, "9 de 9") {
		t.Errorf("provisional numbers checkpoint reads %q, want 9 of 9", got)
	}
	row, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll('#reach-people tr')].find(r => r.textContent.includes('Enfermería piso 2'))?.textContent ?? ''`))
	if err != nil || !strings.Contains(row, "+52 33 3615") {
		t.Errorf("the new person's provisional number is not from Guadalajara: %q, %v", row, err)
	}

	csv, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](`fetch(`+quoteJS(list+".csv")+`).then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download the forwarding list: %v", err)
	}
	for _, want := range []string{"Enfermería piso 2,enfermeria2@santafe.example,+52 33 3826 4408,+52 33 3615", "SIP Guadalajara", "Carlos Ibarra"} {
		if !strings.Contains(csv, want) {
			t.Errorf("the forwarding list lacks %q:\n%s", want, csv)
		}
	}
}
