package porting

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// Renderer renders the e-mails a change causes.
type Renderer interface {
	EmailMessage(lang, purpose, to string, data map[string]any) (notify.Message, error)
}

// Calendar gives the provider's working calendar: port dates fall on
// working days (activation.Service keeps it).
type Calendar interface {
	Calendar(ctx context.Context) (*schedule.Calendar, error)
}

// LOAWriter writes the LOA of an order as a PDF in a language: unsigned
// with sig nil, signed otherwise (report.LOAWriter). The same input gives
// the same bytes, so the signed LOA sent to the carrier is the one kept.
type LOAWriter interface {
	WriteLOA(w io.Writer, o *Order, lines []Line, customerName string, sig *Signature, lang string) error
}

// Files keeps the content of an order's documents: Receive reads content
// into a checked temporary file (the LOAs Enlace writes), Prepare stores
// a received file and returns its document for the caller to store with
// the order's change; Discard deletes the content of a change that
// failed (document.Service).
type Files interface {
	Receive(content io.Reader) (*document.File, error)
	Prepare(ctx context.Context, d document.Document, file *document.File) (*document.Document, error)
	Discard(ctx context.Context, d *document.Document)
}

// Projects moves the tasks of an activation project that follow a port
// order (activation.Service): reached names the order's steps that have
// happened, each with what the task keeps as evidence.
type Projects interface {
	Follow(ctx context.Context, projectID string, reached map[string]string) error
}

// Config is what the Service runs with.
type Config struct {
	// BaseURL is the portal's address, for links in e-mails.
	BaseURL string
	// Location is the provider's time zone: dates are days there.
	Location *time.Location
	// PollEvery is how often open submitted orders ask the carrier for
	// events a webhook may have lost; 0 is 30 minutes.
	PollEvery time.Duration
}

// Service runs port orders.
type Service struct {
	store    Store
	carrier  Carrier
	calendar Calendar
	loa      LOAWriter
	files    Files
	projects Projects
	renderer Renderer
	clock    enlace.Clock
	cfg      Config
	log      *slog.Logger
	wake     func()
}

// NewService returns a porting Service. carrier may be nil: orders can
// then be prepared and signed but not submitted.
func NewService(store Store, carrier Carrier, calendar Calendar, loa LOAWriter, renderer Renderer, clock enlace.Clock, cfg Config) *Service {
	if clock == nil {
		clock = enlace.SystemClock{}
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.PollEvery == 0 {
		cfg.PollEvery = 30 * time.Minute
	}
	return &Service{store: store, carrier: carrier, calendar: calendar, loa: loa, renderer: renderer, clock: clock, cfg: cfg,
		log: slog.Default()}
}

// SetFiles gives the service where documents are kept.
func (s *Service) SetFiles(f Files) { s.files = f }

// SetProjects lets port orders move the porting tasks of their projects.
func (s *Service) SetProjects(p Projects) { s.projects = p }

// Now returns the service's time.
func (s *Service) Now() time.Time { return s.clock.Now() }

// Location returns the provider's time zone.
func (s *Service) Location() *time.Location { return s.cfg.Location }

// HasCarrier reports whether orders can be submitted.
func (s *Service) HasCarrier() bool { return s.carrier != nil }

// CanManage reports whether an actor runs port orders: enters them,
// submits them, confirms and completes them. The provider's
// administrators and project managers.
func CanManage(a *enlace.Actor) bool {
	return a != nil && (a.StaffRole == identity.StaffAdmin || a.StaffRole == identity.StaffPM)
}

// CanProvide reports whether an actor may give an order's documents (the
// CSR and the phone bill): staff who manage orders, and the customer's
// administrators, technical contacts and signers with full access.
func CanProvide(a *enlace.Actor) bool {
	if a == nil || a.ReadOnly {
		return false
	}
	if a.IsStaff() {
		return CanManage(a)
	}
	return slices.Contains([]string{identity.RoleAdmin, identity.RoleTechnical, identity.RoleSigner}, a.CustomerRole)
}

func actor(ctx context.Context) (*enlace.Actor, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	return a, nil
}

func notFound() error { return enlace.Errorf(enlace.ENOTFOUND, "error.not_found") }

func forbidden() error { return enlace.Errorf(enlace.EFORBIDDEN, "porting.error.forbidden") }

// visible reports whether a sees an order: staff see all; customer users
// their customer's, and of those tied to a billing account only the
// accounts they may see.
func visible(a *enlace.Actor, o *Order) bool {
	if a.IsStaff() {
		return true
	}
	if a.CustomerID == "" || a.CustomerID != o.CustomerID {
		return false
	}
	return o.BillingAccountID == "" || a.CustomerRole == identity.RoleAdmin || slices.Contains(a.BillingAccountIDs, o.BillingAccountID)
}

// View is an order with what its page shows.
type View struct {
	Order *Order
	Lines []Line
	// Documents are the order's documents: the CSR and phone bill
	// (given on the order or on its project's porting tasks) and the LOAs.
	Documents []document.Document
	// Earliest is the earliest port date the documents allow, and Why
	// the catalogue key (with args) explaining it.
	Earliest Earliest
	// Events are the carrier's events, staff only.
	Events []Event
}

// Carriers returns the order's lines grouped by current carrier, in the
// order the carriers first appear.
func (v *View) Carriers() []CarrierGroup { return groupByCarrier(v.Lines) }

// CarrierGroup is the numbers of an order at one current carrier.
type CarrierGroup struct {
	Carrier string
	Lines   []Line
}

func groupByCarrier(lines []Line) []CarrierGroup {
	var groups []CarrierGroup
	at := map[string]int{}
	for _, l := range lines {
		i, ok := at[l.Carrier]
		if !ok {
			i = len(groups)
			at[l.Carrier] = i
			groups = append(groups, CarrierGroup{Carrier: l.Carrier})
		}
		groups[i].Lines = append(groups[i].Lines, l)
	}
	return groups
}

// List returns a page of the orders the actor sees, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]Order, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if !a.IsStaff() {
		f.CustomerID = a.CustomerID
	}
	if f.State != "" && !slices.Contains(States, f.State) {
		return nil, 0, enlace.Invalid([]enlace.FieldError{enlace.Field("state", "porting.error.state")})
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	orders, total, err := s.store.FindOrders(ctx, f)
	if err != nil || a.IsStaff() || a.CustomerRole == identity.RoleAdmin {
		return orders, total, err
	}
	// A customer user limited to some billing accounts: drop the orders
	// of the others (rare: most orders name no account).
	kept := orders[:0]
	for i := range orders {
		if visible(a, &orders[i]) {
			kept = append(kept, orders[i])
		}
	}
	return kept, total - (len(orders) - len(kept)), nil
}

// Get returns an order the actor sees with its lines, documents and
// earliest date; staff also get the carrier's events.
func (s *Service) Get(ctx context.Context, id string) (*View, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	o, err := s.load(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, a, o)
}

func (s *Service) view(ctx context.Context, a *enlace.Actor, o *Order) (*View, error) {
	lines, err := s.store.OrderLines(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	docs, err := s.documents(ctx, o)
	if err != nil {
		return nil, err
	}
	v := &View{Order: o, Lines: lines, Documents: docs}
	if v.Earliest, err = s.earliest(ctx, o, docs); err != nil {
		return nil, err
	}
	if a.IsStaff() {
		if v.Events, err = s.store.OrderEvents(ctx, o.ID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// load returns an order the actor sees.
func (s *Service) load(ctx context.Context, a *enlace.Actor, id string) (*Order, error) {
	o, err := s.store.OrderByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !visible(a, o) {
		return nil, notFound()
	}
	return o, nil
}

// managed loads an order for a change only those who run orders make:
// another customer's order is not found, and then the role is checked.
func (s *Service) managed(ctx context.Context, id string) (*enlace.Actor, *Order, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.load(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	if !CanManage(a) {
		return nil, nil, forbidden()
	}
	return a, o, nil
}

// Signers returns the people of a customer who may sign its LOAs: its
// authorized signers and administrators with full access.
func (s *Service) Signers(ctx context.Context, customerID string) ([]identity.Member, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !CanManage(a) {
		return nil, forbidden()
	}
	members, _, err := s.store.FindMembers(ctx, identity.MemberFilter{CustomerID: customerID, Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []identity.Member
	for _, m := range members {
		if mayBeSigner(&m.Membership) {
			out = append(out, m)
		}
	}
	return out, nil
}

func mayBeSigner(m *identity.Membership) bool {
	return !m.Disabled && m.AccessLevel != identity.AccessReadOnly &&
		(m.Role == identity.RoleSigner || m.Role == identity.RoleAdmin)
}
