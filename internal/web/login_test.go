package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestLoginFlow(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	c := e.client()

	c.get("/").want(t, 303, "/login?next=%2F")
	c.get("/login").want(t, 200, "").contains(t, `id="login-email"`, `id="login-password"`, `href="/recover"`, `href="/register"`, `href="/help/access"`)

	temp := e.mail.password(t, tn.admin.Email)
	c.post("/login", url.Values{"email": {tn.admin.Email}, "password": {"wrong"}}).want(t, 401, "").
		contains(t, `id="error-summary"`, `value="`+tn.admin.Email+`"`)
	c.post("/login", url.Values{"email": {tn.admin.Email}, "password": {temp}, "next": {"/notifications"}}).
		want(t, 303, "/login/code?next=%2Fnotifications")

	// A session that owes the second factor reaches nothing else.
	for _, path := range []string{"/", "/users", "/password/change", "/profile"} {
		c.get(path).want(t, 303, "/login/code")
	}
	c.get("/login").want(t, 303, "/login/code")

	c.post("/login/code/send", url.Values{"channel": {"email"}, "next": {"/notifications"}}).want(t, 200, "").
		contains(t, `id="code-sent"`, "a****@acme.mx", "60")
	r := c.post("/login/code", url.Values{"code": {e.mail.code(t, tn.admin.Email)}, "next": {"/notifications"}})
	r.want(t, 303, "/password/change")

	// A temporary password must change before anything else.
	c.get("/").want(t, 303, "/password/change")
	c.get("/login/code").want(t, 303, "/password/change")
	c.get("/password/change").want(t, 200, "").contains(t, `id="password-forced"`, `id="password-rules"`)

	c.post("/password/change", url.Values{"current": {temp}, "password": {newPassword}, "confirm": {newPassword}}).want(t, 303, "/")
	e.mail.forget(tn.admin.Email)
	home := c.get("/").want(t, 200, "")
	home.contains(t, `id="greeting"`, "Admin", `id="bell"`, `id="bell-count"`, `id="flash"`, "Acme")
	if strings.Contains(home.body, temp) {
		t.Error("home page shows the temporary password")
	}

	c.post("/logout", nil).want(t, 303, "/login")
	c.get("/").want(t, 303, "/login?next=%2F")

	// The next sign-in needs no password change.
	e.clock.Advance(time.Minute)
	c.signIn(tn.admin.Email)
	c.get("/").want(t, 200, "")
}

func TestNextIsLocalOnly(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	c := e.client()
	temp := e.mail.password(t, tn.user.Email)
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example"} {
		c.post("/login", url.Values{"email": {tn.user.Email}, "password": {temp}, "next": {next}}).want(t, 303, "/login/code")
		c.post("/logout", nil)
	}
}
