package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

const admin = "laura.vega@aurora.example" // Grupo Aurora's administrator

func TestBrowserLoginWithEmailedCode(t *testing.T) {
	d := startDemo(t)
	p := d.open(t)
	p.signIn(admin, "Enlace#2026", "greeting")
	if got := p.text("greeting"); !strings.Contains(got, "Laura") {
		t.Errorf("greeting = %q, want it to name Laura", got)
	}
	// The bell counts the unread notice of the pending access request.
	if got := strings.TrimSpace(p.text("bell-count")); got == "" || got == "0" {
		t.Errorf("bell count = %q, want unread notifications", got)
	}
}

func TestBrowserCreateUserWhoMustChangePassword(t *testing.T) {
	d := startDemo(t)
	p := d.open(t)
	p.signIn(admin, "Enlace#2026", "greeting")
	p.visit("/users/new", "user-form")
	p.fill("email", "nuevo.usuario@aurora.example", "first_name", "Nuevo", "last_name", "Usuario", "corporate_area", "Compras")
	p.submit("user-submit", "users")
	if got := p.text("users"); !strings.Contains(got, "nuevo.usuario@aurora.example") {
		t.Fatalf("user list does not show the new user:\n%s", got)
	}

	// The new user signs in with the mailed temporary password and must
	// replace it; a password breaking the rules is refused with each rule named.
	temp := d.mail(t, "nuevo.usuario@aurora.example", passwordPattern)
	u := d.open(t)
	u.signIn("nuevo.usuario@aurora.example", temp, "password-forced")
	u.fill("current", temp, "password", "corta", "confirm", "corta")
	u.submit("password-submit", "error-summary")
	if got := u.text("error-summary"); !strings.Contains(got, "8") || !strings.Contains(got, "mayúscula") {
		t.Errorf("errors = %q, want the length and upper-case rules named", got)
	}
	u.fill("current", temp, "password", "Compras#2027", "confirm", "Compras#2027")
	u.submit("password-submit", "greeting")
}

func TestBrowserSelfRegistrationApprovedByAdmin(t *testing.T) {
	d := startDemo(t)
	// A visitor copies the numbers from one of their last three invoices
	// (the demo issues one a month on every account).
	month := time.Now().AddDate(0, -1, 0)
	v := d.open(t)
	v.visit("/register", "register-submit")
	v.fill("customer_number", "100200", "account_number", "8100-0002",
		"invoice_number", "F"+month.Format("0601")+"-81000002",
		"first_name", "Sara", "last_name", "Campos", "email", "sara.campos@aurora.example", "corporate_area", "Logística")
	v.submit("register-submit", "register-sent")

	// The customer's administrator finds it in her list and approves it.
	a := d.open(t)
	a.signIn(admin, "Enlace#2026", "greeting")
	a.visit("/access-requests", "requests")
	if got := a.text("requests"); !strings.Contains(got, "Sara") {
		t.Fatalf("access requests do not list Sara:\n%s", got)
	}
	id := d.mail(t, admin, regexp.MustCompile(`/access-requests/([0-9a-f-]{36})`))
	a.visit("/access-requests/"+id, "approve-form")
	a.fill("role", "technical", "access_level", "full")
	a.submit("approve", "flash")
	if got := a.text("request-status"); !strings.Contains(got, "Autorizada") {
		t.Fatalf("request status after approval = %q, want Autorizada", got)
	}

	// Sara signs in with the mailed temporary password and sets her own.
	temp := d.mail(t, "sara.campos@aurora.example", passwordPattern)
	s := d.open(t)
	s.signIn("sara.campos@aurora.example", temp, "password-forced")
	s.fill("current", temp, "password", "Logistica#2027", "confirm", "Logistica#2027")
	s.submit("password-submit", "greeting")
}
