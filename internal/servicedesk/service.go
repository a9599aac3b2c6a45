package servicedesk

import (
	"context"
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

// Calendar gives the provider's working calendar, which SLA targets run
// on (activation.Service keeps it).
type Calendar interface {
	Calendar(ctx context.Context) (*schedule.Calendar, error)
}

// Files keeps the content of attachments: Prepare checks and stores a
// received file and returns its document for the caller to store with the
// request change; Discard deletes the content of a change that failed.
type Files interface {
	Prepare(ctx context.Context, d document.Document, file *document.File) (*document.Document, error)
	Discard(ctx context.Context, d *document.Document)
}

// Config is what the Service runs with.
type Config struct {
	// BaseURL is the portal's address, for links in e-mails.
	BaseURL string
	// Location is the provider's time zone, in which e-mails show times;
	// nil is UTC.
	Location *time.Location
}

// Service runs the service desk. Staff see every request; a customer user
// sees their customer's requests on the billing accounts they may see,
// and never the internal notes; anything else is not found. Customer
// users who may change things raise, comment, close, reopen and cancel
// requests; the provider's agents (administrators, support, technicians)
// work them.
type Service struct {
	store    Store
	catalog  *Catalog
	calendar Calendar
	renderer Renderer
	files    Files
	watcher  Watcher
	clock    enlace.Clock
	cfg      Config
	log      *slog.Logger
}

// NewService returns a service desk Service over the shipped catalogue.
func NewService(store Store, calendar Calendar, renderer Renderer, clock enlace.Clock, cfg Config) *Service {
	if clock == nil {
		clock = enlace.SystemClock{}
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	return &Service{store: store, catalog: Shipped(), calendar: calendar, renderer: renderer, clock: clock, cfg: cfg,
		log: slog.Default()}
}

// SetFiles gives the service where attachments are kept; without it,
// attaching a file is an internal error.
func (s *Service) SetFiles(f Files) { s.files = f }

// Catalog returns the request types, queues and SLA targets.
func (s *Service) Catalog() *Catalog { return s.catalog }

// Now returns the time SLA states are judged by.
func (s *Service) Now() time.Time { return s.clock.Now() }

// Location returns the provider's time zone.
func (s *Service) Location() *time.Location { return s.cfg.Location }

func actor(ctx context.Context) (*enlace.Actor, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	return a, nil
}

func notFound() error { return enlace.Errorf(enlace.ENOTFOUND, "error.not_found") }

func forbidden() error { return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden") }

// IsAgent reports whether the actor works requests: staff administrators,
// support agents and technicians.
func IsAgent(a *enlace.Actor) bool {
	return a != nil && slices.Contains([]string{identity.StaffAdmin, identity.StaffSupport, identity.StaffTechnician}, a.StaffRole)
}

// MayRaise reports whether the actor may raise requests: staff (for a
// customer, by phone or e-mail), and customer users who may change things.
func MayRaise(a *enlace.Actor) bool {
	return a != nil && (a.IsStaff() || (a.CustomerID != "" && !a.ReadOnly))
}

// visible reports whether the actor may see the request.
func visible(a *enlace.Actor, r *Request) bool {
	if a.IsStaff() {
		return true
	}
	if r.CustomerID == "" || r.CustomerID != a.CustomerID {
		return false
	}
	return a.BillingAccountIDs == nil || slices.Contains(a.BillingAccountIDs, r.BillingAccountID)
}

// scope limits a filter to what the actor may see.
func scope(a *enlace.Actor, f *Filter) {
	if a.IsStaff() {
		return
	}
	f.CustomerID, f.StaffOnly = a.CustomerID, false
	f.Accounts = a.BillingAccountIDs
}

// View is a request as one reader sees it.
type View struct {
	Request *Request
	// Type is the request's type; nil for a type no longer in the
	// catalogue.
	Type      *Type
	Steps     []Step
	Comments  []Comment
	Events    []Event
	Documents []document.Document
	Survey    *Survey
	// Actions are the actions the reader may take now.
	Actions []string
	// MayComment tells whether the reader may add to the thread, MayTick
	// whether they may tick the checklist, MayAnswer whether the survey
	// is open to them.
	MayComment bool
	MayTick    bool
	MayAnswer  bool
	Now        time.Time
}

// Request returns a request the actor may see, with its checklist, thread
// (internal notes for staff only), events, attachments and survey.
func (s *Service) Request(ctx context.Context, id string) (*View, error) {
	a, r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, a, r)
}

// RequestByFolio returns a request the actor may see by its folio.
func (s *Service) RequestByFolio(ctx context.Context, folio string) (*View, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.store.RequestByFolio(ctx, folio)
	if err != nil {
		return nil, err
	}
	if !visible(a, r) {
		return nil, notFound()
	}
	return s.view(ctx, a, r)
}

// load returns the actor and a request they may see.
func (s *Service) load(ctx context.Context, id string) (*enlace.Actor, *Request, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.store.RequestByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !visible(a, r) {
		return nil, nil, notFound()
	}
	return a, r, nil
}

func (s *Service) view(ctx context.Context, a *enlace.Actor, r *Request) (*View, error) {
	v := &View{Request: r, Type: s.catalog.Type(r.TypeKey), Now: s.clock.Now()}
	var err error
	if v.Steps, err = s.store.RequestSteps(ctx, r.ID); err != nil {
		return nil, err
	}
	if v.Comments, err = s.store.RequestComments(ctx, r.ID, a.IsStaff()); err != nil {
		return nil, err
	}
	if v.Events, err = s.store.RequestEvents(ctx, r.ID); err != nil {
		return nil, err
	}
	if v.Documents, err = s.documentsOf(ctx, r); err != nil {
		return nil, err
	}
	if sv, err := s.store.RequestSurvey(ctx, r.ID); err == nil {
		v.Survey = sv
	} else if enlace.ErrorCode(err) != enlace.ENOTFOUND {
		return nil, err
	}
	s.allow(a, v)
	return v, nil
}

// allow sets what the reader of a view may do with its request.
func (s *Service) allow(a *enlace.Actor, v *View) {
	r := v.Request
	for _, act := range Actions {
		if s.may(a, r, act) == nil {
			v.Actions = append(v.Actions, act)
		}
	}
	v.MayComment = mayComment(a, r)
	v.MayTick = IsAgent(a) && r.Open()
	v.MayAnswer = v.Survey == nil && mayAnswer(a, r)
}

// List returns a page of the requests the actor may see and their total.
func (s *Service) List(ctx context.Context, f Filter) ([]Request, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	scope(a, &f)
	f.Now = s.clock.Now()
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.FindRequests(ctx, f)
}

// Chart counts the requests the actor may see by phase, every phase
// present (with zero counts) in the order of Phases: the chart of
// requests by phase (E3). A Phase in f is ignored: the chart shows them
// all and a click picks one.
func (s *Service) Chart(ctx context.Context, f Filter) ([]PhaseCount, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	scope(a, &f)
	f.Phase, f.Open, f.Now = "", false, s.clock.Now()
	counts, err := s.store.CountByPhase(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]PhaseCount, len(Phases))
	for i, p := range Phases {
		out[i].Phase = p
		for _, c := range counts {
			if c.Phase == p {
				out[i].Count = c.Count
			}
		}
	}
	return out, nil
}

// BySite counts the requests the actor may see by site (E4).
func (s *Service) BySite(ctx context.Context, f Filter) ([]SiteCount, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	scope(a, &f)
	f.Now = s.clock.Now()
	return s.store.CountBySite(ctx, f)
}

// Agents returns the staff requests can be assigned to; staff only.
func (s *Service) Agents(ctx context.Context) ([]identity.User, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsStaff() {
		return nil, forbidden()
	}
	return s.store.Agents(ctx)
}
