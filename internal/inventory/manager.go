package inventory

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// Manager is the inventory service: it reads and changes sites and
// services within the actor's reach. Every staff role reads; staff
// administrators, project managers and account executives write. A
// customer user reads the services on the billing accounts they may see
// (all of the customer's when Actor.BillingAccountIDs is nil) and the
// sites of those accounts or with such a service; another tenant's object,
// or one on an account they may not see, is not found.
type Manager struct {
	store Store
	clock enlace.Clock
}

// NewManager returns an inventory Manager.
func NewManager(store Store, clock enlace.Clock) *Manager {
	if clock == nil {
		clock = enlace.SystemClock{}
	}
	return &Manager{store: store, clock: clock}
}

// staffWriters are the staff roles that create, edit and retire inventory.
var staffWriters = []string{"admin", "pm", "account_exec"}

// CanWrite reports whether the actor may create, edit and retire inventory.
func CanWrite(a *enlace.Actor) bool { return a != nil && slices.Contains(staffWriters, a.StaffRole) }

func actor(ctx context.Context) (*enlace.Actor, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	return a, nil
}

// scope returns the customer and accounts a read is limited to: the named
// customer for staff (who must name one), the actor's own customer and
// accounts for a customer user, who naming another is told not found.
func scope(ctx context.Context, customerID string) (string, []string, error) {
	a, err := actor(ctx)
	if err != nil {
		return "", nil, err
	}
	if a.IsStaff() {
		if customerID == "" {
			return "", nil, enlace.Invalid([]enlace.FieldError{enlace.Field("customer_id", "inventory.error.customer_required")})
		}
		return customerID, nil, nil
	}
	if customerID != "" && customerID != a.CustomerID {
		return "", nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return a.CustomerID, a.BillingAccountIDs, nil
}

// writer checks that the actor may change the inventory.
func writer(ctx context.Context) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if !CanWrite(a) {
		return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	return nil
}

func notFound() error { return enlace.Errorf(enlace.ENOTFOUND, "error.not_found") }

func limit(n int) int {
	if n <= 0 || n > 200 {
		return 50
	}
	return n
}

// Sites lists the sites of a customer the actor may see, by name.
func (m *Manager) Sites(ctx context.Context, f SiteFilter) ([]Site, int, error) {
	cid, accounts, err := scope(ctx, f.CustomerID)
	if err != nil {
		return nil, 0, err
	}
	f.CustomerID, f.Accounts, f.Limit = cid, accounts, limit(f.Limit)
	return m.store.FindSites(ctx, f)
}

// Site returns a site the actor may see.
func (m *Manager) Site(ctx context.Context, id string) (*Site, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	s, err := m.store.SiteByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.IsStaff() {
		return s, nil
	}
	if s.CustomerID != a.CustomerID {
		return nil, notFound()
	}
	if a.BillingAccountIDs == nil || slices.Contains(a.BillingAccountIDs, s.BillingAccountID) {
		return s, nil
	}
	ok, err := m.store.SiteServesAccounts(ctx, id, a.BillingAccountIDs)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound()
	}
	return s, nil
}

// CreateSite stores a new site of s.CustomerID.
func (m *Manager) CreateSite(ctx context.Context, s *Site) error {
	if err := writer(ctx); err != nil {
		return err
	}
	if s.CustomerID == "" {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("customer_id", "inventory.error.customer_required")})
	}
	s.ID, s.RetiredAt = enlace.NewID(), nil
	if err := m.checkSite(ctx, s); err != nil {
		return err
	}
	return m.store.CreateSite(ctx, s, audit.Record(ctx, "site.create", "site", s.ID, s.CustomerID,
		map[string]any{"name": s.Name, "state": s.State, "country": s.Country}))
}

// UpdateSite stores the edited fields of a site: everything but its
// customer, id and retirement.
func (m *Manager) UpdateSite(ctx context.Context, id string, in Site) (*Site, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	old, err := m.Site(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := writer(ctx); err != nil {
		return nil, err
	}
	in.ID, in.CustomerID, in.RetiredAt, in.CreatedAt = old.ID, old.CustomerID, old.RetiredAt, old.CreatedAt
	if err := m.checkSite(ctx, &in); err != nil {
		return nil, err
	}
	if err := m.store.UpdateSite(ctx, &in, audit.Record(ctx, "site.update", "site", in.ID, in.CustomerID,
		map[string]any{"name": in.Name, "state": in.State, "country": in.Country})); err != nil {
		return nil, err
	}
	return m.store.SiteByID(ctx, id)
}

// RetireSite retires a site that no longer has services in use.
func (m *Manager) RetireSite(ctx context.Context, id string) (*Site, error) {
	s, err := m.Site(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := writer(ctx); err != nil {
		return nil, err
	}
	if s.Retired() {
		return nil, enlace.Errorf(enlace.ECONFLICT, "inventory.error.site_retired")
	}
	n, err := m.store.ActiveServicesAt(ctx, id)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, enlace.Errorf(enlace.ECONFLICT, "inventory.error.site_has_services", "Count", n)
	}
	now := m.clock.Now()
	s.RetiredAt = &now
	if err := m.store.UpdateSite(ctx, s, audit.Record(ctx, "site.retire", "site", s.ID, s.CustomerID, nil)); err != nil {
		return nil, err
	}
	return m.store.SiteByID(ctx, id)
}

func (m *Manager) checkSite(ctx context.Context, s *Site) error {
	s.Normalize()
	err := s.Validate()
	var fields []enlace.FieldError
	if err != nil {
		fields = enlace.AsError(err).Fields
	}
	if s.BillingAccountID != "" {
		ok, err := m.ownsAccount(ctx, s.CustomerID, s.BillingAccountID)
		if err != nil {
			return err
		}
		if !ok {
			fields = append(fields, enlace.Field("billing_account_id", "inventory.error.account_unknown"))
		}
	}
	return enlace.Invalid(fields)
}

func (m *Manager) ownsAccount(ctx context.Context, customerID, accountID string) (bool, error) {
	bas, err := m.store.BillingAccounts(ctx, customerID)
	if err != nil {
		return false, err
	}
	for _, b := range bas {
		if b.ID == accountID {
			return true, nil
		}
	}
	return false, nil
}

// Services lists one page of services the actor may see, by service key,
// with the number of all that match.
func (m *Manager) Services(ctx context.Context, f ServiceFilter) ([]Service, int, error) {
	f, err := m.serviceScope(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if f.Accounts != nil && len(f.Accounts) == 0 {
		return []Service{}, 0, nil
	}
	total, err := m.store.CountServices(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	vs, err := m.store.FindServices(ctx, f)
	return vs, total, err
}

func (m *Manager) serviceScope(ctx context.Context, f ServiceFilter) (ServiceFilter, error) {
	cid, accounts, err := scope(ctx, f.CustomerID)
	if err != nil {
		return f, err
	}
	f.CustomerID, f.Accounts, f.Limit = cid, accounts, limit(f.Limit)
	if f.KeyPrefix != nil {
		p := strings.ToUpper(strings.TrimSpace(*f.KeyPrefix))
		f.KeyPrefix = &p
		if p == "" {
			f.KeyPrefix = nil
		}
	}
	return f, nil
}

// Export calls fn for every service the actor may see that matches f, by
// service key, streaming them from the database.
func (m *Manager) Export(ctx context.Context, f ServiceFilter, fn func(*Service) error) error {
	f, err := m.serviceScope(ctx, f)
	if err != nil {
		return err
	}
	if f.Accounts != nil && len(f.Accounts) == 0 {
		return nil
	}
	return m.store.EachService(ctx, f, fn)
}

// Service returns a service the actor may see.
func (m *Manager) Service(ctx context.Context, id string) (*Service, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	v, err := m.store.ServiceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.IsStaff() && (v.CustomerID != a.CustomerID ||
		a.BillingAccountIDs != nil && !slices.Contains(a.BillingAccountIDs, v.BillingAccountID)) {
		return nil, notFound()
	}
	return v, nil
}

// CreateService stores a new service of v.CustomerID, in status
// activating or active.
func (m *Manager) CreateService(ctx context.Context, v *Service) error {
	if err := writer(ctx); err != nil {
		return err
	}
	if v.CustomerID == "" {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("customer_id", "inventory.error.customer_required")})
	}
	v.ID = enlace.NewID()
	if v.Status == "" {
		v.Status = StatusActive
	}
	v.Normalize()
	var extra []enlace.FieldError
	if slices.Contains(Statuses, v.Status) && !slices.Contains(InitialStatuses, v.Status) {
		extra = append(extra, enlace.Field("status", "inventory.error.initial_status"))
	}
	if err := m.checkService(ctx, v, extra); err != nil {
		return err
	}
	err := m.store.CreateService(ctx, v, audit.Record(ctx, "service.create", "service", v.ID, v.CustomerID,
		map[string]any{"serviceKey": v.Key, "category": v.Category, "status": v.Status}))
	return keyTaken(err)
}

// ServiceUpdate is an edit of a service: its key, category, product, site,
// billing account and activation date. Status changes go through SetStatus.
type ServiceUpdate struct {
	Key              string
	Category         string
	Product          string
	SiteID           string
	BillingAccountID string
	ActivatedOn      *time.Time
}

// UpdateService edits a service.
func (m *Manager) UpdateService(ctx context.Context, id string, in ServiceUpdate) (*Service, error) {
	v, err := m.Service(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := writer(ctx); err != nil {
		return nil, err
	}
	v.Key, v.Category, v.Product, v.SiteID, v.BillingAccountID, v.ActivatedOn =
		in.Key, in.Category, in.Product, in.SiteID, in.BillingAccountID, in.ActivatedOn
	v.Normalize()
	if err := m.checkService(ctx, v, nil); err != nil {
		return nil, err
	}
	if err := keyTaken(m.store.UpdateService(ctx, v, audit.Record(ctx, "service.update", "service", v.ID, v.CustomerID,
		map[string]any{"serviceKey": v.Key, "category": v.Category}))); err != nil {
		return nil, err
	}
	return m.store.ServiceByID(ctx, id)
}

// SetStatus moves a service to another status along the transition table.
// Activating a service without an activation date dates it today.
func (m *Manager) SetStatus(ctx context.Context, id, status string) (*Service, error) {
	v, err := m.Service(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := writer(ctx); err != nil {
		return nil, err
	}
	if !slices.Contains(Statuses, status) {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("status", "inventory.error.status")})
	}
	if !CanTransition(v.Status, status) {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("status", "inventory.error.transition",
			"From", v.Status, "To", status)})
	}
	from := v.Status
	v.Status = status
	if status == StatusActive && v.ActivatedOn == nil {
		today := m.clock.Now().Truncate(24 * time.Hour)
		v.ActivatedOn = &today
	}
	if err := m.store.UpdateService(ctx, v, audit.Record(ctx, "service.status", "service", v.ID, v.CustomerID,
		map[string]any{"serviceKey": v.Key, "from": from, "to": status})); err != nil {
		return nil, err
	}
	return m.store.ServiceByID(ctx, id)
}

// checkService validates a normalized service and its references: the
// site and billing account must be the customer's, the site in use.
func (m *Manager) checkService(ctx context.Context, v *Service, extra []enlace.FieldError) error {
	fields := extra
	if err := v.Validate(); err != nil {
		fields = append(fields, enlace.AsError(err).Fields...)
	}
	if v.SiteID != "" {
		s, err := m.store.SiteByID(ctx, v.SiteID)
		switch {
		case enlace.ErrorCode(err) == enlace.ENOTFOUND || err == nil && s.CustomerID != v.CustomerID:
			fields = append(fields, enlace.Field("site_id", "inventory.error.site_unknown"))
		case err != nil:
			return err
		case s.Retired() && v.Status != StatusRetired:
			fields = append(fields, enlace.Field("site_id", "inventory.error.site_retired"))
		default:
			v.State = s.State
		}
	}
	if v.BillingAccountID != "" {
		ok, err := m.ownsAccount(ctx, v.CustomerID, v.BillingAccountID)
		if err != nil {
			return err
		}
		if !ok {
			fields = append(fields, enlace.Field("billing_account_id", "inventory.error.account_unknown"))
		}
	}
	return enlace.Invalid(fields)
}

// keyTaken turns the store's conflict on the unique service key into a
// field error.
func keyTaken(err error) error {
	if enlace.ErrorCode(err) == enlace.ECONFLICT {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("service_key", "inventory.error.key_taken")})
	}
	return err
}
