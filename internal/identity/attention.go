package identity

import (
	"context"
	"slices"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Attention is a customer the provider's staff should look at: people
// waiting for access, or nobody left who can administer its users.
type Attention struct {
	CustomerID      string `db:"customer_id"`
	CustomerName    string `db:"customer_name"`
	PendingRequests int    `db:"pending"`
	NoAdmin         bool   `db:"-"`
}

// CustomersNeedingAttention lists, for staff who serve customers, the
// active customers with pending access requests (most waiting first) and
// those without an active administrator — nobody there can approve a
// request or manage users.
func (s *Service) CustomersNeedingAttention(ctx context.Context) ([]Attention, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsStaff() || !canViewUsers(a, "") {
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	pending, err := s.store.PendingRequestsByCustomer(ctx)
	if err != nil {
		return nil, err
	}
	orphans, err := s.store.CustomersWithoutAdmin(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orphans {
		i := slices.IndexFunc(pending, func(p Attention) bool { return p.CustomerID == o.CustomerID })
		if i < 0 {
			pending = append(pending, Attention{CustomerID: o.CustomerID, CustomerName: o.CustomerName})
			i = len(pending) - 1
		}
		pending[i].NoAdmin = true
	}
	slices.SortStableFunc(pending, func(x, y Attention) int {
		if x.PendingRequests != y.PendingRequests {
			return y.PendingRequests - x.PendingRequests
		}
		return strings.Compare(x.CustomerName, y.CustomerName)
	})
	return pending, nil
}
