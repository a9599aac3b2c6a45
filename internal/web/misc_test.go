package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/identity"
)

func TestNotificationBell(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	for _, who := range []string{"Uno", "Dos"} {
		_, err := e.id.Register(context.Background(), identity.Registration{CustomerNumber: tn.customer.Number,
			AccountNumber: tn.account.Number, InvoiceNumber: tn.invoiceNumbs[0], Email: strings.ToLower(who) + "@acme.mx",
			FirstName: who, LastName: "Solicitante"})
		must(t, err)
	}
	c := e.signedIn(tn.admin.Email)
	home := c.get("/").want(t, 200, "").contains(t, `<span class="badge" id="bell-count">3</span>`, `class="unread"`, `id="bell-all"`)
	id := idAfter(t, home.body, `<li class="unread"><a href="/notifications/`)
	c.get("/notifications/"+id).want(t, 200, "").contains(t, `id="bell-count">2<`, `id="notification-link"`)
	c.get("/notifications").want(t, 200, "").contains(t, `id="notifications"`, `id="read-all"`)
	c.post("/notifications/read-all", nil).want(t, 303, "/notifications")
	c.get("/").want(t, 200, "").contains(t, `id="bell-count" hidden>0<`)
	c.get("/notifications/not-an-id").want(t, 404, "")
}

func TestErrorPages(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.get("/no/such/page").want(t, 404, "").contains(t, `id="error-page"`, "La página que busca no existe.")
	c.post("/login", url.Values{"email": {"x"}}).want(t, 401, "")

	// A body over the limit, sent without a length, fails while the form is read.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/register", io.MultiReader(strings.NewReader("first_name="), strings.NewReader(strings.Repeat("x", 100<<10))))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "en")
	c.do(req).want(t, 413, "").contains(t, "The data sent is too large")

	req, _ = http.NewRequest(http.MethodPost, e.srv.URL+"/register", strings.NewReader("%zz=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c.do(req).want(t, 400, "").contains(t, "no se cambió nada")
}

func TestStaticFilesAreHashedAndCached(t *testing.T) {
	e := newEnv(t)
	page := e.client().get("/login").body
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(page)
	if css == nil {
		t.Fatalf("no hashed stylesheet link in:\n%s", page)
	}
	res, err := http.Get(e.srv.URL + css[1])
	must(t, err)
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("GET %s = %d %q %q", css[1], res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Type"))
	}
	e.client().get("/static/app.css").want(t, 404, "")
}

func TestSessionCookie(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.PostForm(e.srv.URL+"/login", url.Values{"email": {tn.user.Email}, "password": {e.mail.password(t, tn.user.Email)}})
	must(t, err)
	res.Body.Close()
	var found bool
	for _, c := range res.Cookies() {
		if c.Name == "enlace_session" {
			found = true
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
				t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/", c)
			}
		}
	}
	if !found {
		t.Error("no session cookie set")
	}
}

func TestProfileTokens(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	c := e.signedIn(tn.admin.Email)
	c.get("/profile").want(t, 200, "").contains(t, `id="totp-begin"`, `id="token-create"`, tn.admin.Email)
	c.post("/profile/tokens", url.Values{"name": {" "}}).want(t, 422, "").contains(t, `id="name-error"`)
	r := c.post("/profile/tokens", url.Values{"name": {"CRM"}}).want(t, 200, "").contains(t, `id="token-secret">enl_`)
	id := idAfter(t, r.body, `action="/profile/tokens/`)
	if strings.Contains(c.get("/profile").body, `id="token-secret"`) {
		t.Error("the token secret is shown twice")
	}
	c.post("/profile/tokens/"+id+"/revoke", nil).want(t, 303, "/profile")
	c.post("/profile/tokens/"+id+"/revoke", nil).want(t, 404, "")
	c.post("/profile/totp", nil).want(t, 200, "").contains(t, `id="totp-secret"`, "otpauth://", `id="totp-qr"`, `src="data:image/png;base64,`)
}

func TestProfilePreferences(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	c := e.signedIn(tn.admin.Email)
	c.post("/profile/preferences", url.Values{"locale": {"de"}, "recovery_email": {"kaputt"}}).
		want(t, 422, "").contains(t, `id="recovery_email-error"`, `value="kaputt"`)
	c.post("/profile/preferences", url.Values{"locale": {"de"}, "recovery_email": {"privat@example.com"}}).want(t, 303, "/profile")
	// The page now speaks German and shows the saved address.
	c.get("/profile").want(t, 200, "").contains(t, `lang="de"`, `value="privat@example.com"`)
}

func TestFlashShowsOnlyFlashKeys(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	c := e.signedIn(tn.admin.Email)
	for _, tt := range []struct {
		value string
		shown bool
	}{
		{"inventory.flash.service_created", true},
		{"web.flash.customer_switched", true},
		{"error.internal", false},
		{"inventory.service_key", false},
		{"x.y.flash.z", false},
	} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/", nil)
		req.AddCookie(&http.Cookie{Name: "enlace_flash", Value: tt.value})
		r := c.do(req)
		if got := strings.Contains(r.body, `id="flash"`); got != tt.shown {
			t.Errorf("flash cookie %q shown = %v, want %v", tt.value, got, tt.shown)
		}
	}
}
