package customer

import (
	"context"
	"slices"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Store is what the customer module needs of the database.
type Store interface {
	Customers(ctx context.Context) ([]Customer, error)
	CustomerByID(ctx context.Context, id string) (*Customer, error)
	FindCustomers(ctx context.Context, f Filter) ([]Customer, int, error)
	CreateCustomer(ctx context.Context, c *Customer, effects ...enlace.Effect) error
	UpdateCustomer(ctx context.Context, c *Customer, effects ...enlace.Effect) error
	BillingAccounts(ctx context.Context, customerID string) ([]BillingAccount, error)
	BillingAccountByID(ctx context.Context, id string) (*BillingAccount, error)
	FindBillingAccounts(ctx context.Context, f AccountFilter) ([]BillingAccount, int, error)
	CreateBillingAccount(ctx context.Context, b *BillingAccount, effects ...enlace.Effect) error
	UpdateBillingAccount(ctx context.Context, b *BillingAccount, effects ...enlace.Effect) error
}

// Service answers questions about customers within the actor's reach:
// staff see every customer, a customer user only the one they act for.
// Staff administrators and account executives create, edit and retire
// customers and billing accounts.
type Service struct {
	store Store
}

// NewService returns a customer Service.
func NewService(store Store) *Service { return &Service{store: store} }

// Staff roles, as identity names them (identity imports this package, so
// the names are repeated here rather than imported).
const (
	staffAdmin       = "admin"
	staffAccountExec = "account_exec"
	customerAdmin    = "admin"
)

// CanManage reports whether the actor may create, edit and retire
// customers and billing accounts: staff administrators and account
// executives.
func CanManage(a *enlace.Actor) bool {
	return a != nil && (a.StaffRole == staffAdmin || a.StaffRole == staffAccountExec)
}

// List returns the customers the actor may pick: staff get every customer
// that is not retired, a customer user the one they act for.
func (s *Service) List(ctx context.Context) ([]Customer, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	if a.IsStaff() {
		cs, err := s.store.Customers(ctx)
		if err != nil {
			return nil, err
		}
		return slices.DeleteFunc(cs, func(c Customer) bool { return c.Retired }), nil
	}
	c, err := s.store.CustomerByID(ctx, a.CustomerID)
	if err != nil {
		return nil, err
	}
	return []Customer{*c}, nil
}

// Find pages through the customers the actor may see, retired ones
// included unless the filter says otherwise. A customer user's search is
// pinned to their own customer.
func (s *Service) Find(ctx context.Context, f Filter) ([]Customer, int, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, 0, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	if !a.IsStaff() {
		if f.ID != nil && *f.ID != a.CustomerID {
			return []Customer{}, 0, nil
		}
		f.ID = &a.CustomerID
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	return s.store.FindCustomers(ctx, f)
}

// Get returns a customer; another tenant's is not found.
func (s *Service) Get(ctx context.Context, id string) (*Customer, error) {
	if err := visible(ctx, id); err != nil {
		return nil, err
	}
	return s.store.CustomerByID(ctx, id)
}

// BillingAccounts returns the customer's billing accounts the actor may
// see, retired ones included and marked: all of them for staff and
// customer administrators, the assigned ones for everybody else.
func (s *Service) BillingAccounts(ctx context.Context, customerID string) ([]BillingAccount, error) {
	if err := visible(ctx, customerID); err != nil {
		return nil, err
	}
	all, err := s.store.BillingAccounts(ctx, customerID)
	if err != nil {
		return nil, err
	}
	a := enlace.ActorFrom(ctx)
	if a.IsStaff() || a.BillingAccountIDs == nil {
		return all, nil
	}
	return slices.DeleteFunc(all, func(b BillingAccount) bool { return !slices.Contains(a.BillingAccountIDs, b.ID) }), nil
}

// FindBillingAccounts pages through the billing accounts the actor may
// see: any for staff, their customer's (or their assigned ones) for a
// customer user.
func (s *Service) FindBillingAccounts(ctx context.Context, f AccountFilter) ([]BillingAccount, int, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, 0, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	if !a.IsStaff() {
		if f.CustomerID != nil && *f.CustomerID != a.CustomerID {
			return nil, 0, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		f.CustomerID, f.IDs = &a.CustomerID, a.BillingAccountIDs
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	return s.store.FindBillingAccounts(ctx, f)
}

// BillingAccount returns one billing account the actor may see; another
// tenant's, or an unassigned one of their own customer, is not found.
func (s *Service) BillingAccount(ctx context.Context, id string) (*BillingAccount, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	b, err := s.store.BillingAccountByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.IsStaff() && (b.CustomerID != a.CustomerID || a.BillingAccountIDs != nil && !slices.Contains(a.BillingAccountIDs, b.ID)) {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return b, nil
}

func visible(ctx context.Context, customerID string) error {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	if !a.IsStaff() && a.CustomerID != customerID {
		return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return nil
}

// manager returns the actor when they may change customers: anonymous is
// unauthorized, a customer user is told the customer does not exist
// (other tenants are never confirmed), other staff are forbidden.
func manager(ctx context.Context, customerID string) error {
	a := enlace.ActorFrom(ctx)
	switch {
	case a == nil:
		return enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	case CanManage(a):
		return nil
	case !a.IsStaff() && customerID != "" && customerID != a.CustomerID:
		return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
}
