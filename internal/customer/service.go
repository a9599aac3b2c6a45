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
	BillingAccounts(ctx context.Context, customerID string) ([]BillingAccount, error)
}

// Service answers questions about customers within the actor's reach:
// staff see every customer, a customer user only the one they act for.
type Service struct {
	store Store
}

// NewService returns a customer Service.
func NewService(store Store) *Service { return &Service{store: store} }

// List returns the customers the actor may see.
func (s *Service) List(ctx context.Context) ([]Customer, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	if a.IsStaff() {
		return s.store.Customers(ctx)
	}
	c, err := s.store.CustomerByID(ctx, a.CustomerID)
	if err != nil {
		return nil, err
	}
	return []Customer{*c}, nil
}

// Get returns a customer; another tenant's is not found.
func (s *Service) Get(ctx context.Context, id string) (*Customer, error) {
	if err := visible(ctx, id); err != nil {
		return nil, err
	}
	return s.store.CustomerByID(ctx, id)
}

// BillingAccounts returns the customer's billing accounts the actor may
// see: all of them for staff and customer administrators, the assigned
// ones for everybody else.
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
