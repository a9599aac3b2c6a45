package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	challengeID   = regexp.MustCompile(`name="challenge_id" value="([^"]+)"`)
	challengeText = regexp.MustCompile(`>([A-Z0-9])</text>`)
)

// solve reads the challenge off the recovery page as a person would.
func solve(t *testing.T, body string) (string, string) {
	t.Helper()
	m := challengeID.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no challenge on the page:\n%s", body)
	}
	var answer strings.Builder
	for _, c := range challengeText.FindAllStringSubmatch(body, -1) {
		answer.WriteString(c[1])
	}
	return m[1], answer.String()
}

func TestPasswordRecovery(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	c := e.client()
	page := c.get("/recover").want(t, 200, "").contains(t, `id="challenge-image"`, "<svg")

	id, _ := solve(t, page.body)
	r := c.post("/recover", url.Values{"email": {tn.user.Email}, "challenge_id": {id}, "challenge": {"WRONG"}}).want(t, 422, "")
	r.contains(t, `value="`+tn.user.Email+`"`, `class="field-error"`)

	id, answer := solve(t, r.body)
	r = c.post("/recover", url.Values{"email": {tn.user.Email}, "challenge_id": {id}, "challenge": {strings.ToLower(answer)}}).want(t, 200, "")
	r.contains(t, `name="key" value="primary"`, "u***@acme.mx")
	ticket := regexp.MustCompile(`name="ticket" value="([^"]+)"`).FindStringSubmatch(r.body)[1]
	c.post("/recover/send", url.Values{"ticket": {ticket}, "key": {"elsewhere"}}).want(t, 400, "")
	c.post("/recover/send", url.Values{"ticket": {ticket}, "key": {"primary"}}).want(t, 200, "").contains(t, `id="recover-sent"`)

	e.mail.mu.Lock()
	link := e.mail.links[tn.user.Email]
	e.mail.mu.Unlock()
	if !strings.Contains(link, "/recover/") {
		t.Fatalf("reset link = %q; links %v", link, e.mail.links)
	}
	path := link[strings.Index(link, "/recover/"):]
	c.get(path).want(t, 200, "").contains(t, `id="password-rules"`)
	c.post(path, url.Values{"password": {"short"}, "confirm": {"short"}}).want(t, 422, "").contains(t, `class="broken"`)
	c.post(path, url.Values{"password": {newPassword}, "confirm": {newPassword}}).want(t, 303, "/login")
	e.mail.forget(tn.user.Email)
	c.get(path).want(t, 410, "").contains(t, `id="recover-invalid"`, `href="/recover"`)
	c.post(path, url.Values{"password": {newPassword}, "confirm": {newPassword}}).want(t, 410, "")

	e.signedIn(tn.user.Email).get("/").want(t, 200, "")
}
