package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserInternetFailureFromReportToSurvey: Grupo Aurora's
// administrator reports an Internet connection failure on one of her
// connectivity services by its key; the support agent takes it, works the
// procedure's checklist step by step and resolves it; she accepts the
// solution, closing the request, and answers the satisfaction survey.
func TestBrowserInternetFailureFromReportToSurvey(t *testing.T) {
	d := startDemo(t)

	c := d.open(t)
	c.signIn(admin, "Enlace#2026", "greeting")
	c.visit("/services?category=connectivity", "services")
	key, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](`document.querySelector('#services td a')?.textContent.trim() ?? ''`))
	if err != nil || key == "" {
		t.Fatalf("no connectivity service in the customer's list: %q, %v", key, err)
	}
	c.visit("/requests/new/internet_failure", "desk-form")
	c.fill("service_key", key, "description", "Sin Internet en el sitio desde las 8:00; el módem tiene la luz LOS en rojo.")
	c.do(chromedp.SetValue(chromedp.CSS(`[id="fields.symptom"]`), "down"),
		chromedp.SetValue(chromedp.CSS(`[id="fields.contact_phone"]`), "81 8155 1234"))
	c.submit("desk-submit", "request-folio")
	folio := c.text("request-folio")
	if !strings.HasPrefix(folio, "REQ-") {
		t.Fatalf("the new request shows folio %q", folio)
	}
	if got := c.text("request-phase-badge"); !strings.Contains(got, "Nueva") {
		t.Errorf("the new request's phase reads %q", got)
	}
	href, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}

	agent := d.open(t)
	agent.signIn("soporte@enlace.example", "Enlace#2026", "greeting")
	agent.visit(href, "checklist")
	agent.submit("act-start-submit", "request-phase-badge")
	if got := agent.text("request-phase-badge"); !strings.Contains(got, "En proceso") {
		t.Errorf("after starting, the phase reads %q", got)
	}
	agent.fill("resolution-act-resolve", "Se reemplazó la ONT dañada; el enlace opera con normalidad.")
	agent.submit("act-resolve-submit", "checklist-act-resolve")
	if got := agent.text("checklist-act-resolve"); !strings.Contains(got, "obligatorios") {
		t.Errorf("resolving with the checklist open says %q, want the mandatory steps named", got)
	}
	for _, step := range []string{"receive", "physical", "logical", "detect", "solve"} {
		agent.submit("tick-"+step+"-submit", "step-"+step)
	}
	if got := agent.text("checklist"); strings.Contains(got, "○") {
		t.Errorf("steps left open after ticking them all:\n%s", got)
	}
	agent.fill("resolution-act-resolve", "Se reemplazó la ONT dañada; el enlace opera con normalidad.")
	agent.submit("act-resolve-submit", "request-resolution")
	if got := agent.text("request-phase-badge"); !strings.Contains(got, "Resuelta") {
		t.Errorf("after resolving, the phase reads %q", got)
	}

	c.visit(href, "act-close-submit")
	c.submit("act-close-submit", "survey-form")
	if got := c.text("request-phase-badge"); !strings.Contains(got, "Cerrada") {
		t.Errorf("after closing, the phase reads %q", got)
	}
	c.do(chromedp.Click(chromedp.ID("score-5")))
	c.fill("comment-survey", "Muy rápidos, gracias.")
	c.submit("survey-submit", "survey-answer")
	if got := c.text("survey-answer"); !strings.Contains(got, "5") {
		t.Errorf("the survey answer reads %q", got)
	}
}
