package activation

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/runbook"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// Renderer renders the e-mails a change causes.
type Renderer interface {
	EmailMessage(lang, purpose, to string, data map[string]any) (notify.Message, error)
}

// Config is what the Service runs with.
type Config struct {
	// BaseURL is the portal's address, for links in e-mails.
	BaseURL string
	// Location is the provider's time zone; nil is America/Mexico_City.
	Location *time.Location
}

// Service runs activation projects. Staff see every project; a customer
// user sees their customer's projects on the billing accounts they may
// see, never the provider's internal tasks; anything else is not found.
// Staff administrators and project managers start projects and act on the
// provider's tasks (support agents and technicians on their own party's);
// customer users who may change things act on the customer's tasks. A
// customer cannot complete a provider task, nor staff a customer's.
type Service struct {
	store    Store
	catalog  *Catalog
	renderer Renderer
	clock    enlace.Clock
	cfg      Config
	files    Files

	// skeletons caches the planner's view of each runbook version.
	skeletons sync.Map

	calMu    sync.Mutex
	cal      *schedule.Calendar
	calBuilt time.Time
}

// NewService returns an activation Service.
func NewService(store Store, catalog *Catalog, renderer Renderer, clock enlace.Clock, cfg Config) *Service {
	if clock == nil {
		clock = enlace.SystemClock{}
	}
	if cfg.Location == nil {
		cfg.Location = mexicoCity()
	}
	return &Service{store: store, catalog: catalog, renderer: renderer, clock: clock, cfg: cfg}
}

func mexicoCity() *time.Location {
	loc, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		slog.Warn("time zone America/Mexico_City not available; planning in UTC", "err", err)
		return time.UTC
	}
	return loc
}

// Catalog returns the runbooks the service starts projects from.
func (s *Service) Catalog() *Catalog { return s.catalog }

// Now returns the time the service plans and judges due dates by, so that
// an adapter listing tasks outside a View (next actions) tells overdue
// ones by the same clock.
func (s *Service) Now() time.Time { return s.clock.Now() }

// Location returns the provider's time zone, in which dates are shown.
func (s *Service) Location() *time.Location { return s.cfg.Location }

func actor(ctx context.Context) (*enlace.Actor, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	return a, nil
}

func notFound() error { return enlace.Errorf(enlace.ENOTFOUND, "error.not_found") }

// CanManage reports whether the actor may start, replan and cancel
// projects: staff administrators and project managers.
func CanManage(a *enlace.Actor) bool {
	return a != nil && (a.StaffRole == "admin" || a.StaffRole == "pm")
}

// CanActOn reports whether the actor may move a task of party along. The
// customer's tasks belong to the customer's people who may change things
// (administrators and technical contacts, the signer for signatures);
// the provider's to its staff by role; a partner's are recorded by the PM.
func CanActOn(a *enlace.Actor, party string) bool {
	if a == nil {
		return false
	}
	if !a.IsStaff() {
		return party == runbook.PartyCustomer && !a.ReadOnly &&
			slices.Contains([]string{"admin", "technical", "signer"}, a.CustomerRole)
	}
	switch party {
	case runbook.PartyCustomer:
		return false
	case runbook.PartySupport:
		return CanManage(a) || a.StaffRole == "support"
	case runbook.PartyTechnician:
		return CanManage(a) || a.StaffRole == "technician"
	}
	return CanManage(a) // the PM's and a partner's
}

// visible reports whether the actor may see the project.
func visible(a *enlace.Actor, p *Project) bool {
	if a.IsStaff() {
		return true
	}
	if p.CustomerID != a.CustomerID {
		return false
	}
	return a.BillingAccountIDs == nil || slices.Contains(a.BillingAccountIDs, p.BillingAccountID)
}

// View is a project as one reader sees it: its tasks (without the
// internal ones for customers), its runbook, and what comes next.
type View struct {
	Project  *Project
	Tasks    []Task
	Template *runbook.Template
	// Window is the runbook's work window under the project's options.
	Window time.Duration
	// Next are the reader's side's open tasks, most urgent first: for a
	// customer what is expected of them, for staff the provider's.
	Next []Task
	Now  time.Time
}

// Task returns the view's task with id, or nil.
func (v *View) Task(id string) *Task {
	for i := range v.Tasks {
		if v.Tasks[i].ID == id {
			return &v.Tasks[i]
		}
	}
	return nil
}

// Project returns a project the actor may see.
func (s *Service) Project(ctx context.Context, id string) (*View, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, tasks, tp, err := s.load(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return s.view(a, p, tasks, tp), nil
}

// load reads a project the actor may see, with its tasks and runbook.
func (s *Service) load(ctx context.Context, a *enlace.Actor, id string) (*Project, []Task, *runbook.Template, error) {
	p, tasks, tp, err := s.loadForSystem(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if !visible(a, p) {
		return nil, nil, nil, notFound()
	}
	return p, tasks, tp, nil
}

func attachSteps(tasks []Task, tp *runbook.Template) {
	for i := range tasks {
		tasks[i].Step = tp.Task(tasks[i].Key)
		if tasks[i].Step != nil {
			tasks[i].After = tasks[i].Step.After
		}
	}
}

func (s *Service) view(a *enlace.Actor, p *Project, tasks []Task, tp *runbook.Template) *View {
	now := s.clock.Now()
	v := &View{Project: p, Template: tp, Now: now}
	if cal, err := s.calendarCached(); err == nil {
		v.Window = tp.Window(p.Options, cal.WorkdayLength())
	}
	hidden := map[string]bool{}
	for _, t := range tasks {
		if t.Internal && !a.IsStaff() {
			hidden[t.Key] = true
			continue
		}
		v.Tasks = append(v.Tasks, t)
	}
	if len(hidden) > 0 { // a customer does not learn the provider's internal steps through "after"
		for i := range v.Tasks {
			v.Tasks[i].After = slices.DeleteFunc(slices.Clone(v.Tasks[i].After), func(k string) bool { return hidden[k] })
		}
	}
	v.Next = nextFor(a, v.Tasks)
	return v
}

// nextFor returns the open tasks of the reader's side that can be worked
// on now (ready, in progress or blocked), by due date; when none can, the
// side's next pending task, so a customer always sees what comes next.
func nextFor(a *enlace.Actor, tasks []Task) []Task {
	mine := func(t *Task) bool {
		if a.IsStaff() {
			return t.Party != runbook.PartyCustomer
		}
		return t.Party == runbook.PartyCustomer
	}
	var out []Task
	var pending *Task
	for i := range tasks {
		t := &tasks[i]
		if !mine(t) || t.Closed() {
			continue
		}
		if t.Status == TaskPending {
			if pending == nil || t.PlannedStart.Before(pending.PlannedStart) {
				pending = t
			}
			continue
		}
		out = append(out, *t)
	}
	if len(out) == 0 && pending != nil {
		out = append(out, *pending)
	}
	slices.SortStableFunc(out, func(x, y Task) int { return x.PlannedEnd.Compare(y.PlannedEnd) })
	return out
}

// Projects lists the projects the actor may see.
func (s *Service) Projects(ctx context.Context, f ProjectFilter) ([]Project, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if !a.IsStaff() {
		f.CustomerID, f.Accounts = a.CustomerID, a.BillingAccountIDs
	}
	f.Internal = a.IsStaff()
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Offset, f.Limit = max(f.Offset, 0), min(f.Limit, 200)
	return s.store.FindProjects(ctx, f)
}

// StartInput is what starting a project takes.
type StartInput struct {
	CustomerID       string
	BillingAccountID string
	SiteID           string
	OrderRef         string
	Title            string
	Runbook          string
	// Version is the runbook version; 0 is the newest.
	Version int
	// Options chosen; missing ones take the runbook's default.
	Options map[string]bool
	// StartAt is when work may start; zero is now.
	StartAt        time.Time
	PMUserID       string
	ContactUserID  string
	ProductOrderID string
}

// Start instantiates a runbook for a customer: tasks that do not apply
// under the options are kept as not applicable, the first tasks become
// ready, the plan is computed and the people responsible are told.
func (s *Service) Start(ctx context.Context, in StartInput) (*View, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !CanManage(a) {
		if !a.IsStaff() {
			return nil, notFound()
		}
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	tp, fields := s.startTemplate(ctx, in)
	if len(fields) == 0 {
		fields = s.checkStart(ctx, in)
	}
	if err := enlace.Invalid(fields); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	year := now.In(s.cfg.Location).Year()
	n, err := s.store.NextNumber(ctx, fmt.Sprintf("project-%d", year))
	if err != nil {
		return nil, err
	}
	p := &Project{Folio: fmt.Sprintf("PRJ-%d-%05d", year, n),
		ID: enlace.NewID(), CustomerID: in.CustomerID, BillingAccountID: in.BillingAccountID, SiteID: in.SiteID,
		OrderRef: strings.TrimSpace(in.OrderRef), ProductOrderID: in.ProductOrderID, TemplateKey: tp.Key,
		TemplateVersion: tp.Version, Title: strings.TrimSpace(in.Title), Options: Options{}, Status: ProjectActive,
		PMUserID: in.PMUserID, ContactUserID: in.ContactUserID, StartAt: in.StartAt, CreatedBy: a.UserID,
	}
	if p.StartAt.IsZero() || p.StartAt.Before(now) {
		p.StartAt = now
	}
	p.StartAt = p.StartAt.UTC() // the databases keep the clock reading, not the zone
	if p.Title == "" {
		p.Title = tp.Name.In(a.Locale)
	}
	for k, v := range tp.DefaultOptions() {
		p.Options[k] = v
	}
	for k, v := range in.Options {
		p.Options[k] = v
	}
	var tasks []Task
	for i, pt := range tp.Order() {
		t := Task{ID: enlace.NewID(), ProjectID: p.ID, Key: pt.Task.Key, Seq: i, Phase: pt.Phase.Key,
			Party: pt.Task.Party, Internal: pt.Task.Internal, Status: TaskPending, Step: pt.Task, After: pt.Task.After}
		if !pt.Task.Applies(p.Options) {
			t.Status = TaskNotApplicable
		}
		tasks = append(tasks, t)
	}
	ch, err := s.settle(ctx, p, tasks, tp)
	if err != nil {
		return nil, err
	}
	ch.effects = append(ch.effects, audit.Record(ctx, "project.create", "project", p.ID, p.CustomerID,
		map[string]string{"runbook": tp.Key, "order": p.OrderRef}))
	if err := s.store.CreateProject(ctx, p, tasks, ch.effects...); err != nil {
		return nil, err
	}
	return s.view(a, p, tasks, tp), nil
}

func (s *Service) startTemplate(ctx context.Context, in StartInput) (*runbook.Template, []enlace.FieldError) {
	var tp *runbook.Template
	var err error
	if in.Version > 0 {
		tp, err = s.catalog.Template(ctx, in.Runbook, in.Version)
	} else {
		tp, err = s.catalog.Latest(ctx, in.Runbook)
	}
	if err != nil {
		return nil, []enlace.FieldError{enlace.Field("runbook", "activation.error.runbook")}
	}
	var fields []enlace.FieldError
	for k := range in.Options {
		if !tp.HasOption(k) {
			fields = append(fields, enlace.Field("options", "activation.error.option", "option", k))
		}
	}
	return tp, fields
}

// checkStart checks that the account, site and people belong together.
func (s *Service) checkStart(ctx context.Context, in StartInput) []enlace.FieldError {
	var fields []enlace.FieldError
	if in.CustomerID == "" {
		return []enlace.FieldError{enlace.Field("customer_id", "activation.error.customer")}
	}
	site, err := s.store.SiteByID(ctx, in.SiteID)
	if err != nil || site.CustomerID != in.CustomerID || site.RetiredAt != nil {
		fields = append(fields, enlace.Field("site_id", "activation.error.site"))
	}
	accounts, err := s.accounts(ctx, in.CustomerID)
	if err != nil || !slices.Contains(accounts, in.BillingAccountID) {
		fields = append(fields, enlace.Field("billing_account_id", "activation.error.account"))
	}
	if len(in.OrderRef) > 100 || len(in.Title) > 200 {
		fields = append(fields, enlace.Field("title", "activation.error.too_long"))
	}
	_, people := s.checkPeople(ctx, in.CustomerID, in.PMUserID, in.ContactUserID)
	return append(fields, people...)
}

// checkPeople checks a project's PM (active staff who may manage
// projects) and principal contact (a user of the customer); empty ids
// are not checked. It returns the PM's user.
func (s *Service) checkPeople(ctx context.Context, customerID, pmUserID, contactUserID string) (*identity.User, []enlace.FieldError) {
	var pm *identity.User
	var fields []enlace.FieldError
	if pmUserID != "" {
		u, err := s.store.UserByID(ctx, pmUserID)
		if err != nil || u.Disabled || (u.StaffRole != "pm" && u.StaffRole != "admin") {
			fields = append(fields, enlace.Field("pm_user_id", "activation.error.pm"))
		} else {
			pm = u
		}
	}
	if contactUserID != "" {
		if m, err := s.store.MembershipOf(ctx, contactUserID, customerID); err != nil || m == nil {
			fields = append(fields, enlace.Field("contact_user_id", "activation.error.contact"))
		}
	}
	return pm, fields
}

func (s *Service) accounts(ctx context.Context, customerID string) ([]string, error) {
	list, err := s.store.BillingAccounts(ctx, customerID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	for i, b := range list {
		ids[i] = b.ID
	}
	return ids, nil
}
