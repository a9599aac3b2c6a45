package inventory

import (
	"context"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// Store is what the inventory needs of the database. Writes commit their
// effects (the audit entry) in the same transaction.
type Store interface {
	CreateSite(ctx context.Context, s *Site, effects ...enlace.Effect) error
	// UpdateSite stores a site and copies its state onto its services.
	UpdateSite(ctx context.Context, s *Site, effects ...enlace.Effect) error
	SiteByID(ctx context.Context, id string) (*Site, error)
	FindSites(ctx context.Context, f SiteFilter) ([]Site, int, error)
	// CustomerSites returns every site of a customer, retired ones too.
	CustomerSites(ctx context.Context, customerID string) ([]Site, error)
	// SiteServesAccounts reports whether a site has a service on one of the accounts.
	SiteServesAccounts(ctx context.Context, siteID string, accounts []string) (bool, error)
	// ActiveServicesAt counts the services of a site that are not retired.
	ActiveServicesAt(ctx context.Context, siteID string) (int, error)

	CreateService(ctx context.Context, v *Service, effects ...enlace.Effect) error
	UpdateService(ctx context.Context, v *Service, effects ...enlace.Effect) error
	ServiceByID(ctx context.Context, id string) (*Service, error)
	// FindServices returns one page of services by service key.
	FindServices(ctx context.Context, f ServiceFilter) ([]Service, error)
	CountServices(ctx context.Context, f ServiceFilter) (int, error)
	// ServiceFacets counts the customer's visible services matching the
	// key prefix by state, billing account, category and status; the
	// filters on those four are left to the caller.
	ServiceFacets(ctx context.Context, f ServiceFilter) ([]Facet, error)
	// EachService calls fn for every service matching f, by service key,
	// reading them as a stream.
	EachService(ctx context.Context, f ServiceFilter, fn func(*Service) error) error
	// ExistingServiceKeys returns those of keys already in use.
	ExistingServiceKeys(ctx context.Context, keys []string) ([]string, error)
	// ImportInventory writes new sites and services of one customer in one
	// transaction; see sqlstore.Store.ImportInventory.
	ImportInventory(ctx context.Context, customerID string, sites []Site, services []Service, effects ...enlace.Effect) error

	BillingAccounts(ctx context.Context, customerID string) ([]customer.BillingAccount, error)
}

// SiteFilter selects sites of one customer.
type SiteFilter struct {
	CustomerID string
	// Accounts, when not nil, limits the sites to those billed to one of
	// these accounts or with a service on one of them.
	Accounts []string
	// State is a state code, or "" (with the pointer set) for sites abroad.
	State          *string
	Query          *string // name, city or address contains, case-insensitive
	IncludeRetired bool
	Offset         int
	Limit          int
}

// ServiceFilter selects services of one customer. Nil fields do not filter.
type ServiceFilter struct {
	CustomerID string
	// Accounts, when not nil, limits the services to these billing
	// accounts; the Manager sets it from the actor.
	Accounts         []string
	BillingAccountID *string
	SiteID           *string
	// State is a state code, or "" (with the pointer set) for services
	// at sites outside Mexico.
	State     *string
	Category  *string
	Status    *string
	KeyPrefix *string // upper-cased by the Manager
	Offset    int
	Limit     int
}

// Facet is the number of services with one combination of state, billing
// account, category and status.
type Facet struct {
	State            string `db:"state"`
	BillingAccountID string `db:"billing_account_id"`
	Category         string `db:"category"`
	Status           string `db:"status"`
	Count            int    `db:"n"`
}
