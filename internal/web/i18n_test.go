package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
)

func TestLanguage(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.get("/login").want(t, 200, "").contains(t, `<html lang="es-MX">`, "Iniciar sesión")
	c.lang = "de-DE,de;q=0.9"
	c.get("/login").want(t, 200, "").contains(t, `<html lang="de">`, "Bei Enlace anmelden")
	c.post("/lang", url.Values{"lang": {"en"}, "next": {"/register"}}).want(t, 303, "/register")
	c.get("/login").want(t, 200, "").contains(t, `<html lang="en">`, "Sign in to Enlace", `id="lang-en" aria-current="true"`)
	c.post("/lang", url.Values{"lang": {"fr"}}).want(t, 400, "")
	c.post("/lang", url.Values{"lang": {"de"}, "next": {"https://evil.example/"}}).want(t, 303, "/")

	// A signed-in user's own language wins over the browser's.
	_, err := e.id.CreateMember(e.staffCtx(), identity.NewMember{CustomerID: e.newTenant("Acme").customer.ID,
		Email: "hans@acme.mx", FirstName: "Hans", LastName: "Müller", Locale: "de", Role: identity.RoleUser, AccessLevel: identity.AccessFull})
	must(t, err)
	h := e.client()
	h.lang = "en"
	h.signIn("hans@acme.mx")
	h.get("/").want(t, 200, "").contains(t, `<html lang="de">`, "Hallo, Hans")
}

// rawKey matches a catalogue key that was rendered as itself.
// rawKey matches a message key of any catalogue left untranslated on a page.
var rawKey = func() *regexp.Regexp {
	prefixes, err := i18n.KeyPrefixes()
	if err != nil {
		panic(err)
	}
	return regexp.MustCompile(`\b(` + strings.Join(prefixes, "|") + `)\.[a-z_]+(\.[a-z_]+)*\b`)
}()

// TestEveryPageInEveryLanguage renders every page in the three languages
// and looks for message keys that came out untranslated.
func TestEveryPageInEveryLanguage(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	req, err := e.id.Register(t.Context(), identity.Registration{CustomerNumber: tn.customer.Number,
		AccountNumber: tn.account.Number, InvoiceNumber: tn.invoiceNumbs[1], Email: "pide@acme.mx", FirstName: "Pide", LastName: "Acceso"})
	must(t, err)
	staff := e.signedIn(e.admin.Email)
	admin := e.signedIn(tn.admin.Email)
	note := idAfter(t, admin.get("/notifications").body, `href="/notifications/`)
	anon := e.client()
	id := tn.customer.ID
	pages := []langPage{
		{anon, "GET", "/login", nil},
		{anon, "POST", "/login", url.Values{"email": {"x@y.mx"}, "password": {"bad"}}},
		{anon, "GET", "/register", nil},
		{anon, "POST", "/register", url.Values{"email": {"bad"}}},
		{anon, "GET", "/recover", nil},
		{anon, "POST", "/recover", url.Values{"email": {"bad"}}},
		{anon, "GET", "/recover/not-a-token", nil},
		{anon, "GET", "/help/access", nil},
		{anon, "GET", "/help?q=codigo", nil},
		{anon, "GET", "/help/roles", nil},
		{anon, "GET", "/no/such/page", nil},
		{staff, "GET", "/", nil},
		{staff, "GET", "/users", nil},
		{staff, "GET", "/users?tab=staff", nil},
		{staff, "GET", "/users?customer=" + id, nil},
		{staff, "GET", "/users/new?customer=" + id, nil},
		{staff, "GET", "/users/" + tn.user.ID + "?customer=" + id, nil},
		{staff, "GET", "/staff/new", nil},
		{staff, "GET", "/access-requests?status=all", nil},
		{staff, "GET", "/audit?from=nope", nil},
		{staff, "GET", "/audit", nil},
		{staff, "GET", "/outbox", nil},
		{admin, "GET", "/", nil},
		{admin, "GET", "/access-requests/" + req.ID, nil},
		{admin, "POST", "/access-requests/" + req.ID + "/reject", url.Values{"reason": {""}}},
		{admin, "GET", "/notifications", nil},
		{admin, "GET", "/notifications/" + note, nil},
		{admin, "GET", "/profile", nil},
		{admin, "POST", "/profile/totp", nil},
		{admin, "POST", "/profile/totp/confirm", url.Values{"secret": {"JBSWY3DPEHPK3PXP"}, "code": {"000000"}}},
		{admin, "POST", "/profile/tokens", url.Values{"name": {""}}},
		{admin, "POST", "/password/change", url.Values{"current": {"x"}, "password": {"y"}, "confirm": {"z"}}},
		{admin, "GET", "/logout", nil},
		{admin, "GET", "/outbox", nil},
	}
	checkEveryLanguage(t, []*client{anon, staff, admin}, pages)
}

// langPage is a request a language check makes, as one of its clients.
type langPage struct {
	c            *client
	method, path string
	form         url.Values
}

// checkEveryLanguage switches the clients to each language in turn and
// makes every request: each page must answer (no redirect, no error), be
// in that language, and show no message key left untranslated.
func checkEveryLanguage(t *testing.T, clients []*client, pages []langPage) {
	t.Helper()
	for _, lang := range []string{"es-MX", "en", "de"} {
		for _, c := range clients {
			c.post("/lang", url.Values{"lang": {lang}})
		}
		for _, p := range pages {
			var r resp
			if p.method == http.MethodPost {
				r = p.c.post(p.path, p.form)
			} else {
				r = p.c.get(p.path)
			}
			if r.status >= 300 && r.status < 400 || r.status >= 500 {
				t.Errorf("%s %s %s = %d %s", lang, p.method, p.path, r.status, r.location)
				continue
			}
			if !strings.Contains(r.body, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s %s: page is not in %s", lang, p.method, p.path, lang)
			}
			if keys := rawKey.FindAllString(stripAssets(r.body), -1); len(keys) > 0 {
				t.Errorf("%s %s %s shows untranslated keys %v", lang, p.method, p.path, keys)
			}
		}
	}
}

// stripAssets removes what may legitimately look like a key: file names
// of static assets, e-mail addresses, and the audit log's action codes in
// option values and tooltips.
func stripAssets(body string) string {
	body = regexp.MustCompile(`/static/[^"]+`).ReplaceAllString(body, "")
	body = regexp.MustCompile(`(value|title)="[a-z_.]*"`).ReplaceAllString(body, "")
	return regexp.MustCompile(`[\w.+-]+@[\w.-]+`).ReplaceAllString(body, "")
}

// TestLanguageSwitchAfterPost: a page answering a POST has no GET of its
// own, so the switch returns to the page the form was on.
func TestLanguageSwitchAfterPost(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/login", strings.NewReader("email=x%40y.mx&password=bad"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", e.srv.URL+"/login?next=%2Fusers")
	c.do(req).want(t, 401, "").contains(t, `name="next" value="/login?next=%2Fusers"`)
}
