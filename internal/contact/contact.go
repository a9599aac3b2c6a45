// Package contact holds the administrative and technical contacts of each
// customer (B3): who the provider calls about bills and contracts, and
// who about the services themselves. One contact of each kind is the
// customer's principal one. Phone numbers are kept in E.164.
package contact

import (
	"context"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Kinds of contact.
const (
	KindAdministrative = "administrative"
	KindTechnical      = "technical"
)

// Kinds lists the kinds of contact, in the order screens show them.
var Kinds = []string{KindAdministrative, KindTechnical}

// Roles are the contact roles a contact may play; the field is optional.
var Roles = []string{"billing", "purchasing", "legal", "operations", "support", "escalation", "management", "other"}

// Contact is a person the provider talks to on behalf of a customer.
// CustomerID is empty only for a party a CRM created through TMF632
// without naming its organization: staff see it, no customer does.
type Contact struct {
	ID         string    `json:"id" db:"id"`
	CustomerID string    `json:"customerId" db:"customer_id"`
	Kind       string    `json:"kind" db:"kind"`
	Principal  bool      `json:"principal" db:"principal"`
	FirstName  string    `json:"firstName" db:"first_name"`
	LastName   string    `json:"lastName" db:"last_name"`
	Phone      string    `json:"phone" db:"phone"` // E.164
	Extension  string    `json:"extension" db:"extension"`
	Mobile     string    `json:"mobile" db:"mobile"` // E.164
	Role       string    `json:"contactRole" db:"contact_role"`
	Email      string    `json:"email" db:"email"`
	JobTitle   string    `json:"jobTitle" db:"job_title"`
	CreatedAt  time.Time `json:"createdAt" db:"created_at"`
	UpdatedAt  time.Time `json:"updatedAt" db:"updated_at"`
}

// Name is the contact's full name.
func (c *Contact) Name() string { return c.FirstName + " " + c.LastName }

// Filter selects contacts. Nil fields do not filter.
type Filter struct {
	CustomerID *string
	// Unassigned selects the parties that belong to no customer yet.
	Unassigned bool
	Kind       *string
	ID         *string
	FirstName  *string // exact
	LastName   *string // exact
	Query      *string // matches names and e-mail
	Offset     int
	Limit      int
}

// Store is what the contact module needs of the database.
type Store interface {
	FindContacts(ctx context.Context, f Filter) ([]Contact, int, error)
	ContactByID(ctx context.Context, id string) (*Contact, error)
	// CreateContact and UpdateContact take the principal flag from the
	// customer's previous principal contact of the same kind, in the same
	// transaction.
	CreateContact(ctx context.Context, c *Contact, effects ...enlace.Effect) error
	UpdateContact(ctx context.Context, c *Contact, effects ...enlace.Effect) error
	DeleteContact(ctx context.Context, id string, effects ...enlace.Effect) error
}
