package web_test

import "testing"

func TestHelpCenter(t *testing.T) {
	e := newEnv(t)
	c := e.client() // the help center needs no sign-in
	c.get("/help").want(t, 200, "").contains(t, `id="help-q"`, `id="help-topic-access"`, `href="/help/forgot"`)
	c.get("/help?q=contrasena+temporal").want(t, 200, "").
		contains(t, `id="help-results"`, `href="/help/temporary-password"`)
	c.get("/help?q=xyzzy").want(t, 200, "").contains(t, `id="help-none"`)
	// The sign-in page's help link: every access answer, in full.
	c.get("/help/access").want(t, 200, "").contains(t, `id="help-temporary-password"`, `id="help-bookmark"`, "10 dígitos")
	c.get("/help/forgot").want(t, 200, "").contains(t, `id="help-forgot"`, "30 minutos", `href="/recover"`)
	c.get("/help/nope").want(t, 404, "")
	c.lang = "de"
	c.get("/help?q=passwort").want(t, 200, "").contains(t, `href="/help/forgot"`, "Hilfe-Center")
}
