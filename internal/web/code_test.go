package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// startSignIn posts the password and leaves the client at the code stage.
func startSignIn(t *testing.T, e *env, email string) *client {
	t.Helper()
	c := e.client()
	c.post("/login", url.Values{"email": {email}, "password": {e.mail.password(t, email)}}).want(t, 303, "/login/code")
	return c
}

func TestSecondFactorErrors(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	c := startSignIn(t, e, tn.user.Email)

	c.get("/login/code").want(t, 200, "").contains(t, `id="send-email"`, `name="mobile"`, `name="mobile_again"`, `id="code"`)
	c.post("/login/code", url.Values{"code": {"123456"}}).want(t, 422, "").contains(t, `id="code-hint"`)

	// WhatsApp: ten digits, typed twice; input survives a mismatch.
	c.post("/login/code/send", url.Values{"channel": {"whatsapp"}, "mobile": {"81 1234 5678"}, "mobile_again": {"8112345679"}}).
		want(t, 422, "").contains(t, `value="81 1234 5678"`, `value="8112345679"`, `id="error-summary"`)
	c.post("/login/code/send", url.Values{"channel": {"whatsapp"}, "mobile": {"12345"}, "mobile_again": {"12345"}}).want(t, 422, "")
	c.post("/login/code/send", url.Values{"channel": {"fax"}}).want(t, 422, "")
	c.post("/login/code/send", url.Values{"channel": {"whatsapp"}, "mobile": {"8112345678"}, "mobile_again": {"8112345678"}}).
		want(t, 200, "").contains(t, `id="code-sent"`, "5678")
	c.post("/login/code/send", url.Values{"channel": {"email"}}).want(t, 429, "").contains(t, `id="error-summary"`)

	code := e.mail.code(t, "+528112345678")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	r := c.post("/login/code", url.Values{"code": {wrong}}).want(t, 422, "").contains(t, `aria-invalid="true"`)
	if !strings.Contains(r.body, "4") {
		t.Errorf("wrong-code page does not say how many tries are left:\n%s", r.body)
	}
	e.clock.Advance(61 * time.Second)
	c.post("/login/code", url.Values{"code": {code}}).want(t, 422, "").contains(t, `id="code-hint"`)

	// A new code, then too many wrong tries spend it.
	c.post("/login/code/send", url.Values{"channel": {"email"}}).want(t, 200, "")
	code = e.mail.code(t, tn.user.Email)
	if code == wrong {
		wrong = "222222"
	}
	for range 4 {
		c.post("/login/code", url.Values{"code": {wrong}}).want(t, 422, "")
	}
	c.post("/login/code", url.Values{"code": {wrong}}).want(t, 422, "").contains(t, `id="code-hint"`)
	c.post("/login/code", url.Values{"code": {code}}).want(t, 422, "").contains(t, `id="code-hint"`)

	// The WhatsApp number is remembered once a code sent to it was entered:
	// not the case here, so the next sign-in still asks for it.
	e.clock.Advance(31 * time.Second)
	c.post("/login/code/send", url.Values{"channel": {"email"}}).want(t, 200, "")
	c.post("/login/code", url.Values{"code": {e.mail.code(t, tn.user.Email)}}).want(t, 303, "/password/change")
}

func TestWhatsAppNumberRemembered(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	c := startSignIn(t, e, tn.user.Email)
	c.post("/login/code/send", url.Values{"channel": {"whatsapp"}, "mobile": {"8112345678"}, "mobile_again": {"8112345678"}}).want(t, 200, "")
	c.post("/login/code", url.Values{"code": {e.mail.code(t, "+528112345678")}}).want(t, 303, "/password/change")
	temp := e.mail.password(t, tn.user.Email)
	// Forced change: every broken rule is marked, input is never echoed.
	r := c.post("/password/change", url.Values{"current": {temp}, "password": {"abc"}, "confirm": {"abd"}}).want(t, 422, "")
	if n := strings.Count(r.body, `class="broken"`); n < 4 {
		t.Errorf("%d rules marked broken, want at least 4 (length, upper, digit, special):\n%s", n, r.body)
	}
	r.contains(t, `id="confirm"`, `class="field-error"`)
	if strings.Contains(r.body, temp) || strings.Contains(r.body, `value="abc"`) {
		t.Error("password page echoes a password")
	}
	c.post("/password/change", url.Values{"current": {temp}, "password": {newPassword}, "confirm": {newPassword}}).want(t, 303, "/")
	e.mail.forget(tn.user.Email)
	c.post("/logout", nil).want(t, 303, "/login")

	e.clock.Advance(time.Minute)
	c.post("/login", url.Values{"email": {tn.user.Email}, "password": {newPassword}}).want(t, 303, "/login/code")
	c.get("/login/code").want(t, 200, "").contains(t, `name="use_registered"`, "*******5678")
	c.post("/login/code/send", url.Values{"channel": {"whatsapp"}, "use_registered": {"1"}}).want(t, 200, "").contains(t, `id="code-sent"`)
	c.post("/login/code", url.Values{"code": {e.mail.code(t, "+528112345678")}}).want(t, 303, "/")
}
