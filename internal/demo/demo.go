// Package demo fills a fresh database with a provider, two customers and
// users of every role, so that `enlace demo` shows a living portal, and
// writes the logins to a file that people and browser tests read.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/reach"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// Password is the password of every demo user. It is not temporary, so a
// visitor can look around without changing it first.
const Password = "Enlace#2026"

// Store is what seeding needs of the database beyond the identity service.
type Store interface {
	CreateCustomer(ctx context.Context, c *customer.Customer, effects ...enlace.Effect) error
	CreateBillingAccount(ctx context.Context, b *customer.BillingAccount, effects ...enlace.Effect) error
	CreateInvoice(ctx context.Context, inv *customer.Invoice, effects ...enlace.Effect) error
	CreateUser(ctx context.Context, u *identity.User, passwordHash string, temporary bool, m *identity.Membership, effects ...enlace.Effect) error
	CreateMembership(ctx context.Context, m *identity.Membership, effects ...enlace.Effect) error
	UserByEmail(ctx context.Context, email string) (*identity.User, error)
}

// Logins is what demo-logins.json holds.
type Logins struct {
	URL       string     `json:"url"`
	Users     []Login    `json:"users"`
	APITokens []APIToken `json:"api_tokens"`
}

// Login is one demo user; Customer is empty for provider staff.
type Login struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Role     string `json:"role"`
	Customer string `json:"customer"`
}

// APIToken is a bearer token made for a demo user.
type APIToken struct {
	Email string `json:"email"`
	Token string `json:"token"`
}

// WriteFile writes the logins as indented JSON, readable only by the owner.
func (l *Logins) WriteFile(path string) error {
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}

type seeder struct {
	ctx      context.Context
	store    Store
	idents   *identity.Service
	hash     string
	clock    enlace.Clock
	logins   *Logins
	docs     *document.Service
	projects *activation.Service
	requests *servicedesk.Service
	numbers  *numbering.Service
	porting  *porting.Service
	reach    *reach.Service
	replay   *enlace.ReplayClock
	// moves are the history the modules replay together (replayHistory).
	moves []demoMove
}

// Seed creates the demo data and returns the logins. hash is the hash of
// Password at the production cost, computed once for every user.
func Seed(ctx context.Context, store Store, idents *identity.Service, clock enlace.Clock, url string, params identity.HashParams, opts ...Option) (*Logins, error) {
	s := &seeder{ctx: ctx, store: store, idents: idents, clock: clock,
		hash: identity.HashPassword(Password, params), logins: &Logins{URL: url}}
	for _, o := range opts {
		o(s)
	}
	for _, st := range staff {
		if err := s.user(st.email, st.first, st.last, st.role, nil); err != nil {
			return nil, err
		}
	}
	for _, c := range customers {
		if err := s.customer(c); err != nil {
			return nil, fmt.Errorf("seed %s: %w", c.name, err)
		}
	}
	if err := s.seedInventory(); err != nil {
		return nil, err
	}
	if err := s.seedContacts(); err != nil {
		return nil, err
	}
	if err := s.seedDocuments(); err != nil {
		return nil, err
	}
	// The service desk's and the porting's histories are replayed before
	// the projects start, so that nothing planned from today sees the
	// clock set in the past.
	if err := s.seedRequests(); err != nil {
		return nil, err
	}
	if err := s.seedNumbers(); err != nil {
		return nil, err
	}
	if err := s.replayHistory(); err != nil {
		return nil, err
	}
	if err := s.seedProjects(); err != nil {
		return nil, err
	}
	if err := s.seedProjectPortOrder(); err != nil {
		return nil, err
	}
	if err := s.pendingRequest(); err != nil {
		return nil, err
	}
	return s.logins, s.tokens()
}

func (s *seeder) customer(c demoCustomer) error {
	cust := customer.Customer{ID: enlace.NewID(), Number: c.number, Name: c.name}
	if err := s.store.CreateCustomer(s.ctx, &cust); err != nil {
		return err
	}
	var accountIDs []string
	for i, number := range c.accounts {
		b := customer.BillingAccount{ID: enlace.NewID(), CustomerID: cust.ID, Number: number, Name: c.accountNames[i]}
		if err := s.store.CreateBillingAccount(s.ctx, &b); err != nil {
			return err
		}
		accountIDs = append(accountIDs, b.ID)
		if err := s.invoices(cust.ID, b); err != nil {
			return err
		}
	}
	for _, p := range c.people {
		m := &identity.Membership{ID: enlace.NewID(), CustomerID: cust.ID, Role: p.role,
			AccessLevel: p.access, CorporateArea: p.area}
		if p.role != identity.RoleAdmin {
			m.BillingAccountIDs = accountIDs[:1]
		}
		if err := s.user(p.email, p.first, p.last, "", m); err != nil {
			return err
		}
		s.logins.Users[len(s.logins.Users)-1].Customer = c.name
	}
	return nil
}

// invoices issues the account's last four monthly invoices, so that
// self-registration can be tried with any of the newest three.
func (s *seeder) invoices(customerID string, b customer.BillingAccount) error {
	now := s.clock.Now()
	for i := 1; i <= 4; i++ {
		issued := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -i+1, 0)
		inv := customer.Invoice{ID: enlace.NewID(), CustomerID: customerID, BillingAccountID: b.ID,
			Number: invoiceNumber(issued, b.Number), IssuedOn: issued}
		if err := s.store.CreateInvoice(s.ctx, &inv); err != nil {
			return err
		}
	}
	return nil
}

// invoiceNumber is printed on a demo invoice: the month and the account.
func invoiceNumber(issued time.Time, account string) string {
	return "F" + issued.Format("0601") + "-" + strings.ReplaceAll(account, "-", "")
}

// user creates a demo user, or, when the person exists already, adds the
// membership: one demo person belongs to both customers.
func (s *seeder) user(email, first, last, staffRole string, m *identity.Membership) error {
	role := staffRole
	if m != nil {
		role = m.Role
	}
	s.logins.Users = append(s.logins.Users, Login{Email: email, Password: Password, Role: role})
	if existing, err := s.store.UserByEmail(s.ctx, email); err == nil {
		m.UserID = existing.ID
		return s.store.CreateMembership(s.ctx, m)
	}
	u := &identity.User{ID: enlace.NewID(), Email: email, FirstName: first, LastName: last, Locale: "es-MX", StaffRole: staffRole}
	if m != nil {
		m.UserID = u.ID
	}
	return s.store.CreateUser(s.ctx, u, s.hash, false, m)
}

// pendingRequest files a self-registration for the first customer, so that
// approving one can be tried at once.
func (s *seeder) pendingRequest() error {
	c := customers[0]
	_, err := s.idents.Register(s.ctx, identity.Registration{CustomerNumber: c.number, AccountNumber: c.accounts[0],
		InvoiceNumber: invoiceNumber(s.clock.Now(), c.accounts[0]),
		Email:         "roberto.silva@aurora.example", FirstName: "Roberto", LastName: "Silva", CorporateArea: "Compras", Locale: "es-MX"})
	return err
}

// tokens makes an API token for the staff administrator and for every
// customer administrator.
func (s *seeder) tokens() error {
	for _, l := range s.logins.Users {
		if l.Role != identity.StaffAdmin && l.Role != identity.RoleAdmin {
			continue
		}
		u, err := s.store.UserByEmail(s.ctx, l.Email)
		if err != nil {
			return err
		}
		a := &enlace.Actor{UserID: u.ID, Email: u.Email, StaffRole: u.StaffRole}
		if l.Customer != "" {
			a.CustomerID = s.customerID(l)
		}
		_, secret, err := s.idents.CreateAPIToken(enlace.WithActor(s.ctx, a), "demo")
		if err != nil {
			return err
		}
		s.logins.APITokens = append(s.logins.APITokens, APIToken{Email: l.Email, Token: secret})
	}
	return nil
}

func (s *seeder) customerID(l Login) string {
	ms, err := s.idents.Memberships(enlace.WithActor(s.ctx, &enlace.Actor{UserID: mustUser(s, l.Email)}))
	if err != nil {
		return ""
	}
	for _, m := range ms {
		if m.CustomerName == l.Customer {
			return m.CustomerID
		}
	}
	return ""
}

func mustUser(s *seeder, email string) string {
	u, err := s.store.UserByEmail(s.ctx, email)
	if err != nil {
		return ""
	}
	return u.ID
}

// TerminalSender prints demo messages, so that whoever runs the demo can
// read the first login code before any outbox page can be opened.
type TerminalSender struct {
	Print func(format string, args ...any)
}

// Send prints the message.
func (t TerminalSender) Send(_ context.Context, m notify.Message) error {
	t.Print("\n── %s to %s ── %s\n%s\n", m.Channel, m.Recipient, m.Subject, m.BodyText)
	return nil
}
