package e2e

import (
	"strings"
	"testing"
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
