package identity_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// fixture is a real store on a fake clock with two customers, A and B,
// each with an administrator, and a staff administrator.
type fixture struct {
	t       testing.TB
	ctx     context.Context
	clock   *enlace.FakeClock
	store   *sqlstore.Store
	svc     *identity.Service
	sent    *capture
	a, b    tenant
	staffID string
}

type tenant struct {
	customer customer.Customer
	accounts []customer.BillingAccount
	adminID  string
	admin    string // e-mail
}

// capture wraps the real renderer and keeps the data of every message, so
// tests can read the codes and passwords a person would receive.
type capture struct {
	*notify.Renderer
	mu   sync.Mutex
	data []map[string]any
}

func (c *capture) EmailMessage(lang, purpose, to string, data map[string]any) (notify.Message, error) {
	c.keep(purpose, to, data)
	return c.Renderer.EmailMessage(lang, purpose, to, data)
}

func (c *capture) WhatsAppMessage(lang, purpose, to string, data map[string]any) (notify.Message, error) {
	c.keep(purpose, to, data)
	return c.Renderer.WhatsAppMessage(lang, purpose, to, data)
}

func (c *capture) keep(purpose, to string, data map[string]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := map[string]any{"purpose": purpose, "to": to}
	for k, v := range data {
		d[k] = v
	}
	c.data = append(c.data, d)
}

// last returns the newest message of a purpose.
func (c *capture) last(t testing.TB, purpose string) map[string]any {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.data) - 1; i >= 0; i-- {
		if c.data[i]["purpose"] == purpose {
			return c.data[i]
		}
	}
	t.Fatalf("no %s message was sent", purpose)
	return nil
}

var testHash = identity.HashParams{Time: 1, Memory: 1024, Threads: 1}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	clock := enlace.NewFakeClock(time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC))
	store := sqlstore.MustOpenTest(t, clock)
	r, err := notify.NewRenderer(i18n.MustLoad())
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: enlace.WithOrigin(context.Background(), enlace.RequestOrigin{IP: "192.0.2.10"}),
		clock: clock, store: store, sent: &capture{Renderer: r}}
	f.svc = identity.NewService(store, clock, f.sent, identity.Config{Hash: testHash, BaseURL: "https://portal.example"})
	staff, _, err := f.svc.CreateStaffUser(f.ctx, identity.NewStaffUser{Email: "admin@provider.example",
		FirstName: "Ana", LastName: "Staff", Role: identity.StaffAdmin})
	if err != nil {
		t.Fatal(err)
	}
	f.staffID = staff.ID
	f.a = f.tenant("A", "Acme")
	f.b = f.tenant("B", "Bolsa")
	return f
}

// tenant creates a customer with two billing accounts, four invoices on the
// first, and an administrator.
func (f *fixture) tenant(key, name string) tenant {
	f.t.Helper()
	c := customer.Customer{ID: enlace.NewID(), Number: "C-" + key, Name: name}
	must(f.t, f.store.CreateCustomer(f.ctx, &c))
	tn := tenant{customer: c}
	for i := 1; i <= 2; i++ {
		b := customer.BillingAccount{ID: enlace.NewID(), CustomerID: c.ID, Number: fmt.Sprintf("BA-%s-%d", key, i), Name: name}
		must(f.t, f.store.CreateBillingAccount(f.ctx, &b))
		tn.accounts = append(tn.accounts, b)
	}
	for i := 1; i <= 4; i++ {
		inv := customer.Invoice{ID: enlace.NewID(), CustomerID: c.ID, BillingAccountID: tn.accounts[0].ID,
			Number: fmt.Sprintf("F-%s-%d", key, i), IssuedOn: time.Date(2026, time.Month(6+i), 1, 0, 0, 0, 0, time.UTC)}
		must(f.t, f.store.CreateInvoice(f.ctx, &inv))
	}
	tn.admin = "admin@" + strings.ToLower(name) + ".example"
	m, err := f.svc.CreateMember(f.asStaff(), identity.NewMember{CustomerID: c.ID, Email: tn.admin,
		FirstName: "Admin", LastName: name, Role: identity.RoleAdmin, AccessLevel: identity.AccessFull})
	must(f.t, err)
	tn.adminID = m.ID
	return tn
}

func (f *fixture) asStaff() context.Context {
	return enlace.WithActor(f.ctx, &enlace.Actor{UserID: f.staffID, Email: "admin@provider.example", StaffRole: identity.StaffAdmin})
}

func (f *fixture) asAdmin(tn tenant) context.Context {
	return enlace.WithActor(f.ctx, &enlace.Actor{UserID: tn.adminID, Email: tn.admin, CustomerID: tn.customer.ID, CustomerRole: identity.RoleAdmin})
}

// password returns the temporary password last mailed to an address.
func (f *fixture) password(email string) string {
	f.t.Helper()
	for i := len(f.sent.data) - 1; i >= 0; i-- {
		if d := f.sent.data[i]; d["to"] == email && d["Password"] != nil {
			return d["Password"].(string)
		}
	}
	f.t.Fatalf("no password was mailed to %s", email)
	return ""
}

// signIn logs in and passes the e-mailed code; it returns the token and
// the session at its next stage.
func (f *fixture) signIn(email, password string) (string, *identity.Session) {
	f.t.Helper()
	token, sess, err := f.svc.Login(f.ctx, email, password, "test")
	must(f.t, err)
	if _, err := f.svc.SendCode(f.ctx, sess, identity.ChannelEmail, "", ""); err != nil {
		f.t.Fatalf("SendCode: %v", err)
	}
	next, err := f.svc.VerifyCode(f.ctx, sess, f.sent.last(f.t, "login_code")["Code"].(string))
	must(f.t, err)
	return token, next
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err is an enlace error with code and, if given,
// a field message key among its fields or its message.
func wantCode(t *testing.T, err error, code, key string) {
	t.Helper()
	if got := enlace.ErrorCode(err); got != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	if key == "" {
		return
	}
	e := enlace.AsError(err)
	if e.Message == key {
		return
	}
	for _, fe := range e.Fields {
		if fe.Message == key {
			return
		}
	}
	t.Fatalf("error = %v, want message %s", err, key)
}
