package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/report"
	"github.com/enlace-portal/enlace/internal/servicedesk"
	"github.com/enlace-portal/enlace/internal/sqlstore"
	"github.com/enlace-portal/enlace/internal/web"
)

// catcher is the real renderer, remembering the login codes and
// temporary passwords it puts in messages, the way a person reads them.
type catcher struct {
	*notify.Renderer
	mu        sync.Mutex
	codes     map[string]string // recipient -> last code
	passwords map[string]string // recipient -> temporary password
	links     map[string]string // recipient -> last link
}

func (c *catcher) remember(to string, data map[string]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := data["Code"]; ok {
		c.codes[to] = fmt.Sprint(v)
	}
	if v, ok := data["Password"]; ok {
		c.passwords[to] = fmt.Sprint(v)
	}
	for _, k := range []string{"Link", "URL"} {
		if v, ok := data[k]; ok {
			c.links[to] = fmt.Sprint(v)
		}
	}
}

func (c *catcher) EmailMessage(lang, purpose, to string, data map[string]any) (notify.Message, error) {
	c.remember(to, data)
	return c.Renderer.EmailMessage(lang, purpose, to, data)
}

func (c *catcher) WhatsAppMessage(lang, purpose, to string, data map[string]any) (notify.Message, error) {
	c.remember(to, data)
	return c.Renderer.WhatsAppMessage(lang, purpose, to, data)
}

func (c *catcher) code(t *testing.T, to string) string {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	code, ok := c.codes[to]
	if !ok {
		t.Fatalf("no code was sent to %s", to)
	}
	return code
}

func (c *catcher) password(t *testing.T, to string) string {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.passwords[to]
	if !ok {
		t.Fatalf("no temporary password was sent to %s", to)
	}
	return p
}

// forget drops a temporary password once it has been changed.
func (c *catcher) forget(to string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.passwords, to)
}

// env is a running web UI on a fresh database, with real services.
type env struct {
	t     *testing.T
	clock *enlace.FakeClock
	store *sqlstore.Store
	id    *identity.Service
	mail  *catcher
	srv   *httptest.Server
	admin *identity.User // the bootstrap staff administrator
	// desk is the service desk, numbers the numbers inventory and
	// porting the port orders, when the environment has them
	// (newProjectEnv).
	desk    *servicedesk.Service
	numbers *numbering.Service
	porting *porting.Service
}

const newPassword = "Nueva#Clave2026"

func newEnv(t *testing.T) *env {
	t.Helper()
	clock := enlace.NewFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
	store := sqlstore.MustOpenTest(t, clock)
	catalog := i18n.MustLoad()
	r, err := notify.NewRenderer(catalog)
	if err != nil {
		t.Fatal(err)
	}
	mail := &catcher{Renderer: r, codes: map[string]string{}, passwords: map[string]string{}, links: map[string]string{}}
	cfg := identity.DefaultConfig()
	cfg.Hash = identity.HashParams{Time: 1, Memory: 1024, Threads: 1}
	id := identity.NewService(store, clock, mail, cfg)
	s := web.New(web.Deps{Identity: id, Notify: notify.NewService(store), Audit: audit.NewService(store),
		Customers: customer.NewService(store), Contacts: contact.NewService(store, store), Inventory: inventory.NewManager(store, clock), Catalog: catalog,
		Clock: clock, Demo: true})
	// The production chain's request id and body limit, around the UI.
	srv := httptest.NewServer(ops.Chain(s.Handler(), ops.RequestID(false), ops.LimitBody(64<<10)))
	t.Cleanup(srv.Close)
	e := &env{t: t, clock: clock, store: store, id: id, mail: mail, srv: srv}
	admin, temp, err := id.CreateStaffUser(context.Background(), identity.NewStaffUser{
		Email: "admin@proveedor.mx", FirstName: "Ada", LastName: "Admin", Role: identity.StaffAdmin})
	if err != nil {
		t.Fatal(err)
	}
	mail.passwords[admin.Email] = temp
	e.admin = admin
	return e
}

// numberServices builds the numbers inventory and the port orders the way
// the program does: porting plans on the activation service's working
// calendar and time zone, moves its projects' porting tasks, and keeps
// its documents with docs. There is no carrier gateway: orders are
// entered and signed, not submitted.
func (e *env) numberServices(projects *activation.Service, docs *document.Service) {
	e.numbers = numbering.NewService(e.store, e.clock)
	loa := report.LOAWriter{Catalog: i18n.MustLoad(), ProviderName: "Enlace Telecom", Location: projects.Location()}
	e.porting = porting.NewService(e.store, nil, projects, loa, e.mail, e.clock,
		porting.Config{BaseURL: "https://portal.example", Location: projects.Location()})
	e.porting.SetFiles(docs)
	e.porting.SetProjects(projects)
}

// staffCtx is a context acting as the bootstrap staff administrator.
func (e *env) staffCtx() context.Context {
	return enlace.WithActor(context.Background(), &enlace.Actor{UserID: e.admin.ID, Email: e.admin.Email, StaffRole: identity.StaffAdmin})
}

// tenant is a customer with one billing account, three invoices, and an
// administrator and an end user.
type tenant struct {
	customer     customer.Customer
	account      customer.BillingAccount
	admin, user  *identity.Member
	invoiceNumbs []string
}

func (e *env) newTenant(name string) *tenant {
	e.t.Helper()
	ctx := context.Background()
	slug := strings.ToLower(name)
	c := customer.Customer{ID: enlace.NewID(), Number: "C-" + slug, Name: name}
	must(e.t, e.store.CreateCustomer(ctx, &c))
	b := customer.BillingAccount{ID: enlace.NewID(), CustomerID: c.ID, Number: "A-" + slug, Name: name + " HQ"}
	must(e.t, e.store.CreateBillingAccount(ctx, &b))
	tn := &tenant{customer: c, account: b}
	for i := range 3 {
		inv := customer.Invoice{ID: enlace.NewID(), CustomerID: c.ID, BillingAccountID: b.ID,
			Number: fmt.Sprintf("F-%s-%d", slug, i), IssuedOn: e.clock.Now().AddDate(0, -i, 0)}
		must(e.t, e.store.CreateInvoice(ctx, &inv))
		tn.invoiceNumbs = append(tn.invoiceNumbs, inv.Number)
	}
	var err error
	tn.admin, err = e.id.CreateMember(e.staffCtx(), identity.NewMember{CustomerID: c.ID, Email: "admin@" + slug + ".mx",
		FirstName: "Admin", LastName: name, Role: identity.RoleAdmin, AccessLevel: identity.AccessFull})
	must(e.t, err)
	tn.user, err = e.id.CreateMember(e.staffCtx(), identity.NewMember{CustomerID: c.ID, Email: "user@" + slug + ".mx",
		FirstName: "Usuario", LastName: name, Role: identity.RoleUser, AccessLevel: identity.AccessReadOnly,
		BillingAccountIDs: []string{b.ID}})
	must(e.t, err)
	return tn
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// client is a browser: a cookie jar, redirects not followed, so that each
// step can be checked.
type client struct {
	e  *env
	hc *http.Client
	// lang, when set, is sent as Accept-Language.
	lang string
}

type resp struct {
	status   int
	body     string
	location string
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (c *client) do(req *http.Request) resp {
	c.e.t.Helper()
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, body: string(b), location: res.Header.Get("Location")}
}

func (c *client) get(path string) resp {
	c.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.srv.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) resp {
	c.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (r resp) want(t *testing.T, status int, location string) resp {
	t.Helper()
	if r.status != status || r.location != location {
		t.Fatalf("got status %d location %q, want %d %q; body:\n%s", r.status, r.location, status, location, r.body)
	}
	return r
}

func (r resp) contains(t *testing.T, parts ...string) resp {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.body, p) {
			t.Errorf("page lacks %q; body:\n%s", p, r.body)
		}
	}
	return r
}

// signIn runs the whole sign-in: password, e-mail code, and the forced
// change of a temporary password to newPassword when one is due.
func (c *client) signIn(email string) {
	t := c.e.t
	t.Helper()
	password := newPassword
	c.e.mail.mu.Lock()
	temp, fresh := c.e.mail.passwords[email]
	c.e.mail.mu.Unlock()
	if fresh {
		password = temp
	}
	c.post("/login", url.Values{"email": {email}, "password": {password}}).want(t, 303, "/login/code")
	c.post("/login/code/send", url.Values{"channel": {"email"}}).want(t, 200, "")
	r := c.post("/login/code", url.Values{"code": {c.e.mail.code(t, email)}})
	c.e.clock.Advance(31 * time.Second) // the next sign-in may ask for a code at once
	if !fresh {
		r.want(t, 303, "/")
		return
	}
	r.want(t, 303, "/password/change")
	c.post("/password/change", url.Values{"current": {temp}, "password": {newPassword}, "confirm": {newPassword}}).want(t, 303, "/")
	c.e.mail.forget(email)
}

// newStaff creates a staff user of role and returns their e-mail; the
// temporary password is kept as if it had been handed over.
func (e *env) newStaff(role string) string {
	e.t.Helper()
	email := role + "@proveedor.mx"
	_, temp, err := e.id.CreateStaffUser(e.staffCtx(), identity.NewStaffUser{Email: email, FirstName: "Staff", LastName: role, Role: role})
	must(e.t, err)
	e.mail.mu.Lock()
	e.mail.passwords[email] = temp
	e.mail.mu.Unlock()
	return email
}

// signedIn returns a client signed in as email.
func (e *env) signedIn(email string) *client {
	e.t.Helper()
	c := e.client()
	c.signIn(email)
	return c
}

var idPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// idAfter returns the first id that follows prefix in body.
func idAfter(t *testing.T, body, prefix string) string {
	t.Helper()
	i := strings.Index(body, prefix)
	if i < 0 {
		t.Fatalf("no %q in page:\n%s", prefix, body)
	}
	id := idPattern.FindString(body[i+len(prefix):])
	if id == "" {
		t.Fatalf("no id after %q", prefix)
	}
	return id
}
