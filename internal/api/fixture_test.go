package api

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/report"
	"github.com/enlace-portal/enlace/internal/servicedesk"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// Token holders of the fixture, by the role each plays.
const (
	aAdmin     = "customer A admin"
	aUser      = "customer A end user"
	bAdmin     = "customer B admin"
	staffAdmin = "staff admin"
	staffTech  = "staff technician"
)

// fixture is the API on a real store and a real HTTP server, with two
// customers, A and B, and a token for every role of the tenancy tests.
type fixture struct {
	t        testing.TB
	ctx      context.Context // the bootstrap context: origin, no actor
	staffCtx context.Context // acts as the staff administrator
	clock    *enlace.FakeClock
	store    *sqlstore.Store
	db       *sql.DB // the same database, for plain SQL in the bulk helper
	svc      *identity.Service
	api      *API
	srv      *httptest.Server
	a, b     tenant
	tokens   map[string]string
	staffID  string
}

// tenant is one customer with an administrator, a read-only end user, a
// pending access request and a notification for the administrator.
type tenant struct {
	customer     customer.Customer
	accounts     []customer.BillingAccount
	adminID      string
	userID       string
	requestID    string
	notification string
}

var testHash = identity.HashParams{Time: 1, Memory: 1024, Threads: 1}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: enlace.NewFakeClock(time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)),
		ctx: enlace.WithOrigin(context.Background(), enlace.RequestOrigin{IP: "192.0.2.10"}), tokens: map[string]string{}}
	f.store, f.db = openTestDatabase(t, f.clock)
	catalog := i18n.MustLoad()
	renderer, err := notify.NewRenderer(catalog)
	must(t, err)
	f.svc = identity.NewService(f.store, f.clock, renderer, identity.Config{Hash: testHash, BaseURL: "https://portal.example"})
	staff, _, err := f.svc.CreateStaffUser(f.ctx, identity.NewStaffUser{Email: "admin@provider.example",
		FirstName: "Ana", LastName: "Staff", Role: identity.StaffAdmin})
	must(t, err)
	f.staffID = staff.ID
	f.staffCtx = enlace.WithActor(f.ctx, &enlace.Actor{UserID: staff.ID, Email: staff.Email, StaffRole: identity.StaffAdmin})
	tech, _, err := f.svc.CreateStaffUser(f.staffCtx, identity.NewStaffUser{Email: "tech@provider.example",
		FirstName: "Tomás", LastName: "Técnico", Role: identity.StaffTechnician})
	must(t, err)
	f.a, f.b = f.tenant("A", "Acme"), f.tenant("B", "Bolsa")
	f.tokens[aAdmin] = f.token(f.a.adminID, f.a.customer.ID)
	f.tokens[aUser] = f.token(f.a.userID, f.a.customer.ID)
	f.tokens[bAdmin] = f.token(f.b.adminID, f.b.customer.ID)
	f.tokens[staffAdmin] = f.token(staff.ID, "")
	f.tokens[staffTech] = f.token(tech.ID, "")

	f.api = New(Deps{Identity: f.svc, Notify: notify.NewService(f.store), Audit: audit.NewService(f.store),
		Customers: customer.NewService(f.store), Catalog: catalog, Logger: slog.New(slog.DiscardHandler)})
	// Mounted as cmd/enlace mounts it, behind the middleware that gives a
	// request its id and recovers panics.
	root := http.NewServeMux()
	root.Handle("/api/", f.api.Handler())
	f.srv = httptest.NewServer(ops.Chain(root, ops.RequestID(false), ops.Recover(slog.New(slog.DiscardHandler))))
	t.Cleanup(f.srv.Close)
	return f
}

// withRequests adds the service desk to the fixture: on the working
// calendar of a projects service and with the document repository for
// attachments.
func (f *fixture) withRequests() *servicedesk.Service {
	f.t.Helper()
	if f.api.Documents == nil {
		f.withDocuments()
	}
	renderer := f.renderer()
	svc := servicedesk.NewService(f.store, f.calendar(renderer), renderer, f.clock, servicedesk.Config{})
	svc.SetFiles(f.api.Documents)
	f.api.Requests = svc
	return svc
}

// renderer returns a renderer of messages on the fixture's catalogue.
func (f *fixture) renderer() *notify.Renderer {
	f.t.Helper()
	renderer, err := notify.NewRenderer(f.api.Catalog)
	must(f.t, err)
	return renderer
}

// calendar returns the projects service that keeps the working calendar:
// the one the program has, or a new one.
func (f *fixture) calendar(renderer *notify.Renderer) *activation.Service {
	if f.api.Projects != nil {
		return f.api.Projects
	}
	return activation.NewService(f.store, activation.NewCatalog(f.store), renderer, f.clock, activation.Config{})
}

// withNumbers adds the number inventory to the fixture.
func (f *fixture) withNumbers() *numbering.Service {
	svc := numbering.NewService(f.store, f.clock)
	f.api.Numbers = svc
	return svc
}

// providerZone is the provider's time zone in the fixture: port dates are
// days there, as the carrier's are.
var providerZone = mustLoadLocation("America/Mexico_City")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// withPorting adds port orders to the fixture, with the number inventory
// they bring numbers into: on the working calendar of a projects service,
// their LOAs written by the report package and kept in the document
// repository, submitted to carrier, and the carrier's webhook taking
// events signed with secret.
func (f *fixture) withPorting(c porting.Carrier, secret string) *porting.Service {
	f.t.Helper()
	if f.api.Documents == nil {
		f.withDocuments()
	}
	if f.api.Numbers == nil {
		f.withNumbers()
	}
	renderer := f.renderer()
	loa := report.LOAWriter{Catalog: f.api.Catalog, ProviderName: "Enlace Telecom", Location: providerZone}
	svc := porting.NewService(f.store, c, f.calendar(renderer), loa, renderer, f.clock,
		porting.Config{BaseURL: "https://portal.example", Location: providerZone})
	svc.SetFiles(f.api.Documents)
	f.api.Porting, f.api.CarrierSecret = svc, secret
	return svc
}

// openTestDatabase opens a migrated store on a fresh test database, and a
// plain *sql.DB on the same database.
func openTestDatabase(t testing.TB, clock enlace.Clock) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	url := sqlstore.TestURL(t)
	store, err := sqlstore.Open(context.Background(), url, clock)
	must(t, err)
	t.Cleanup(func() { store.Close() })
	must(t, store.Migrate(context.Background()))
	driver, dsn := "pgx", url
	if store.Dialect() == "sqlite" {
		driver, dsn = "sqlite", "file:"+url+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_time_format=sqlite"
	}
	db, err := sql.Open(driver, dsn)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return store, db
}

func (f *fixture) tenant(key, name string) tenant {
	t := f.t
	t.Helper()
	tn := tenant{customer: customer.Customer{ID: enlace.NewID(), Number: "C-" + key, Name: name}}
	must(t, f.store.CreateCustomer(f.ctx, &tn.customer))
	for i := 1; i <= 2; i++ {
		b := customer.BillingAccount{ID: enlace.NewID(), CustomerID: tn.customer.ID, Number: fmt.Sprintf("BA-%s-%d", key, i), Name: name}
		must(t, f.store.CreateBillingAccount(f.ctx, &b))
		tn.accounts = append(tn.accounts, b)
	}
	for i := 1; i <= 3; i++ {
		inv := customer.Invoice{ID: enlace.NewID(), CustomerID: tn.customer.ID, BillingAccountID: tn.accounts[0].ID,
			Number: fmt.Sprintf("F-%s-%d", key, i), IssuedOn: time.Date(2026, time.Month(7+i), 1, 0, 0, 0, 0, time.UTC)}
		must(t, f.store.CreateInvoice(f.ctx, &inv))
	}
	tn.adminID = f.member(tn.customer.ID, "admin@"+strings.ToLower(key)+".example", identity.RoleAdmin, identity.AccessFull)
	tn.userID = f.member(tn.customer.ID, "user@"+strings.ToLower(key)+".example", identity.RoleUser, identity.AccessReadOnly)
	tn.requestID = f.register(tn, "requester")
	ns, _, err := f.store.FindNotifications(f.ctx, tn.adminID, tn.customer.ID, notify.NotificationFilter{Limit: 10})
	must(t, err)
	if len(ns) == 0 {
		t.Fatalf("customer %s: the access request left its administrator no notification", key)
	}
	tn.notification = ns[0].ID
	return tn
}

// member adds a user to a customer as the staff administrator.
func (f *fixture) member(customerID, email, role, access string) string {
	f.t.Helper()
	m, err := f.svc.CreateMember(f.staffCtx, identity.NewMember{CustomerID: customerID, Email: email,
		FirstName: "Nombre", LastName: "Apellido", Role: role, AccessLevel: access})
	must(f.t, err)
	return m.ID
}

// memberOf reads a user of a customer as the staff administrator.
func (f *fixture) memberOf(customerID, userID string) *identity.Member {
	f.t.Helper()
	m, err := f.svc.Member(f.staffCtx, customerID, userID)
	must(f.t, err)
	return m
}

// register files a self-registration for the tenant, notifying its
// administrator, and returns its id.
func (f *fixture) register(tn tenant, who string) string {
	f.t.Helper()
	r, err := f.svc.Register(f.ctx, identity.Registration{CustomerNumber: tn.customer.Number,
		AccountNumber: tn.accounts[0].Number, InvoiceNumber: strings.Replace(tn.customer.Number, "C-", "F-", 1) + "-1",
		Email: who + "@" + strings.ToLower(tn.customer.Name) + ".example", FirstName: "Rita", LastName: "Solicitante"})
	must(f.t, err)
	return r.ID
}

// token makes an API token for a user in a customer ("" for staff). The
// service reads only the user and customer of the actor.
func (f *fixture) token(userID, customerID string) string {
	f.t.Helper()
	_, secret, err := f.svc.CreateAPIToken(enlace.WithActor(f.ctx, &enlace.Actor{UserID: userID, CustomerID: customerID}), "tests")
	must(f.t, err)
	return secret
}

// call is one request to the API.
type call struct {
	as          string // token holder; "" sends no token
	method      string
	path        string // below Prefix
	body        string
	contentType string // defaults to application/json when there is a body
	lang        string
	// chunked sends the body without a Content-Length.
	chunked bool
	// header holds further headers to send.
	header http.Header
}

// do sends c and returns the response with its body read.
func (f *fixture) do(c call) (*http.Response, []byte) {
	f.t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
		if c.chunked {
			body = io.MultiReader(body) // hides the length from http.NewRequest
		}
	}
	req, err := http.NewRequest(c.method, f.srv.URL+Prefix+c.path, body)
	must(f.t, err)
	if c.as != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[c.as])
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	} else if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	resp, err := f.srv.Client().Do(req)
	must(f.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(f.t, err)
	return resp, b
}

// doJSON sends c, checks the status and decodes the body into v.
func (f *fixture) doJSON(c call, want int, v any) *http.Response {
	f.t.Helper()
	resp, b := f.do(c)
	if resp.StatusCode != want {
		f.t.Fatalf("%s %s as %q = %d %s, want %d", c.method, c.path, c.as, resp.StatusCode, b, want)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			f.t.Fatalf("%s %s: decode %s: %v", c.method, c.path, b, err)
		}
	}
	return resp
}

// checkProblem fails unless resp is a problem document with status want,
// and returns it.
func checkProblem(t testing.TB, resp *http.Response, body []byte, want int) problem {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("status = %d %s, want %d", resp.StatusCode, body, want)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("decode problem %s: %v", body, err)
	}
	if p.Status != want || p.Detail == "" || p.Title == "" || p.Type == "" || !strings.HasPrefix(p.Instance, Prefix) {
		t.Fatalf("problem = %+v, want status %d with type, title, detail and instance", p, want)
	}
	return p
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// addViewer adds a read-only technical contact of A who sees A's first
// billing account, and a token for them.
func (f *fixture) addViewer() {
	f.t.Helper()
	viewer, err := f.svc.CreateMember(f.staffCtx, identity.NewMember{CustomerID: f.a.customer.ID, Email: "viewer@a.example",
		FirstName: "Vera", LastName: "Vista", Role: identity.RoleTechnical, AccessLevel: identity.AccessReadOnly,
		BillingAccountIDs: []string{f.a.accounts[0].ID}})
	must(f.t, err)
	f.tokens[aViewer] = f.token(viewer.ID, f.a.customer.ID)
}

// refusal is a request that must be refused: its call, the status and
// the field the problem names ("" for none).
type refusal struct {
	name   string
	c      call
	status int
	field  string
}

// refuseAll sends every refusal as the token holder as, each a subtest.
func (f *fixture) refuseAll(t *testing.T, as string, rs []refusal) {
	t.Helper()
	for _, r := range rs {
		t.Run(r.name, func(t *testing.T) {
			r.c.as = as
			f.refused(t, r.c, r.status, r.field)
		})
	}
}

// refused sends c and checks it gets a problem with status naming field
// (when not empty).
func (f *fixture) refused(t testing.TB, c call, status int, field string) {
	t.Helper()
	resp, body := f.do(c)
	p := checkProblem(t, resp, body, status)
	if field != "" && !hasField(p, field) {
		t.Errorf("%s %s as %q: problem %+v names no %s", c.method, c.path, c.as, p, field)
	}
}

// snapshot runs queries of one value each, for a test to compare what a
// refused request must leave as it was.
func (f *fixture) snapshot(queries ...string) map[string]string {
	f.t.Helper()
	out := make(map[string]string, len(queries))
	for _, q := range queries {
		var v any
		must(f.t, f.db.QueryRow(q).Scan(&v))
		out[q] = fmt.Sprint(v)
	}
	return out
}
