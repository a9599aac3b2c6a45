package licensing

import (
	"context"
	"database/sql/driver"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// User is one account of a customer's Microsoft 365 tenant, as the last
// imported list has it, with the verdict on its licences.
type User struct {
	CustomerID string `json:"-" db:"customer_id"`
	// UPN is the sign-in name, lower-cased: what a number's assignment
	// names the account by.
	UPN         string `json:"upn" db:"upn"`
	DisplayName string `json:"displayName" db:"display_name"`
	Licences    Names  `json:"licences" db:"licences"`
	Verdict
	ImportedAt time.Time `json:"importedAt" db:"imported_at"`
}

// Filter selects a customer's accounts. Empty fields do not filter.
type Filter struct {
	CustomerID string
	// Missing is MissingAny for the accounts lacking something, or one
	// of Items for those lacking that.
	Missing string
	// Query matches the start of the sign-in or the display name.
	Query  string
	Offset int
	Limit  int
}

// MissingAny filters the accounts that are not ready.
const MissingAny = "any"

// Count is how many accounts are of a kind or lack an item.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Counts are counts kept as one JSON column.
type Counts []Count

// Value implements driver.Valuer.
func (c Counts) Value() (driver.Value, error) { return enlace.JSONValue(c, c == nil, "[]") }

// Scan implements sql.Scanner.
func (c *Counts) Scan(src any) error { return enlace.ScanJSON(src, c) }

// Summary is a customer's last imported list in figures: who imported
// which file when, the accounts by kind, how many are ready and how many
// lack each item, and the rows of the file that were left out.
type Summary struct {
	CustomerID string `json:"customerId" db:"customer_id"`
	// Imported is false until the customer's first list; the rest is
	// then empty.
	Imported   bool      `json:"imported" db:"-"`
	FileName   string    `json:"fileName,omitempty" db:"file_name"`
	ImportedAt time.Time `json:"importedAt" db:"imported_at"`
	ImportedBy string    `json:"importedBy,omitempty" db:"imported_by"`
	Users      int       `json:"users" db:"users"`
	Ready      int       `json:"ready" db:"ready"`
	// Kinds counts the accounts by kind, Missing those lacking each
	// item, both in their lists' order and zeros included.
	Kinds   Counts `json:"kinds" db:"kinds"`
	Missing Counts `json:"missing" db:"missing"`
	// ErrorRows counts the rows left out; Problems are the first
	// numbering.MaxProblems of them.
	ErrorRows int                `json:"errorRows" db:"error_rows"`
	Problems  numbering.Problems `json:"problems" db:"problems"`
}

// Store is what the licence check needs of the database.
type Store interface {
	CustomerByID(ctx context.Context, id string) (*customer.Customer, error)
	// ReplaceTeamsUsers replaces a customer's accounts and the summary of
	// its last import with the effects, in one transaction; the summary
	// and every account take the transaction's time.
	ReplaceTeamsUsers(ctx context.Context, sum *Summary, users []User, effects ...enlace.Effect) error
	// TeamsSummary returns the summary of a customer's last import,
	// ENOTFOUND when it never imported one.
	TeamsSummary(ctx context.Context, customerID string) (*Summary, error)
	// FindTeamsUsers returns a page of a customer's accounts by sign-in
	// name and their total.
	FindTeamsUsers(ctx context.Context, f Filter) ([]User, int, error)
	// TeamsUser returns one account by its lower-cased sign-in name.
	TeamsUser(ctx context.Context, customerID, upn string) (*User, error)
}

// Service keeps the customers' Teams accounts and their verdicts.
type Service struct {
	store Store
	clock enlace.Clock
}

// NewService returns a licensing Service.
func NewService(store Store, clock enlace.Clock) *Service {
	if clock == nil {
		clock = enlace.SystemClock{}
	}
	return &Service{store: store, clock: clock}
}

// CanView reports whether an actor may look at the accounts of the
// customers it sees: the staff who manage numbers, and a customer's
// administrators and technical contacts, read-only ones too.
func CanView(a *enlace.Actor) bool {
	if a.IsStaff() {
		return numbering.CanManage(a)
	}
	return a != nil && (a.CustomerRole == identity.RoleAdmin || a.CustomerRole == identity.RoleTechnical)
}

// CanImport reports whether an actor may load a customer's user list:
// those who may give its accounts numbers (numbering.CanAssign).
func CanImport(a *enlace.Actor) bool { return numbering.CanAssign(a) }

// access checks that the actor may look at a customer's accounts and
// returns the customer they are: a customer user's own, whatever they
// name (another answers not found); for staff the one named, which must
// exist.
func (s *Service) access(ctx context.Context, customerID string) (*enlace.Actor, string, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, "", enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	if !a.IsStaff() {
		if customerID != "" && customerID != a.CustomerID {
			return nil, "", enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		customerID = a.CustomerID
	}
	if !CanView(a) {
		return nil, "", enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	if customerID == "" {
		return nil, "", enlace.Invalid([]enlace.FieldError{enlace.Field("customerId", "licensing.error.customer")})
	}
	if a.IsStaff() {
		if _, err := s.store.CustomerByID(ctx, customerID); err != nil {
			return nil, "", err
		}
	}
	return a, customerID, nil
}

// Summary returns the figures of a customer's last imported list; a
// customer that never imported one has a summary with Imported false.
func (s *Service) Summary(ctx context.Context, customerID string) (*Summary, error) {
	_, customerID, err := s.access(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return s.summary(ctx, customerID)
}

func (s *Service) summary(ctx context.Context, customerID string) (*Summary, error) {
	sum, err := s.store.TeamsSummary(ctx, customerID)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return &Summary{CustomerID: customerID, Kinds: counted(Kinds, nil), Missing: counted(Items, nil), Problems: numbering.Problems{}}, nil
	} else if err != nil {
		return nil, err
	}
	sum.Imported = true
	return sum, nil
}

// Users returns a page of a customer's accounts by sign-in name and the
// total.
func (s *Service) Users(ctx context.Context, customerID string, f Filter, offset, limit int) ([]User, int, error) {
	_, customerID, err := s.access(ctx, customerID)
	if err != nil {
		return nil, 0, err
	}
	if f.Missing != "" && f.Missing != MissingAny && !slices.Contains(Items, f.Missing) {
		return nil, 0, enlace.Invalid([]enlace.FieldError{enlace.Field("missing", "licensing.error.missing")})
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	f.CustomerID, f.Offset, f.Limit = customerID, max(0, offset), limit
	f.Query = strings.ToLower(strings.TrimSpace(f.Query))
	return s.store.FindTeamsUsers(ctx, f)
}

// Missing says what an account of a customer's tenant lacks before it can
// have a number, by its sign-in name (numbering.Licences). checked is
// false while the customer has imported no list; an account the list
// lacks is missing MissingNotInTenant.
func (s *Service) Missing(ctx context.Context, customerID, ref string) (missing []string, checked bool, err error) {
	if _, customerID, err = s.access(ctx, customerID); err != nil {
		return nil, false, err
	}
	if _, err := s.store.TeamsSummary(ctx, customerID); enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	u, err := s.store.TeamsUser(ctx, customerID, strings.ToLower(strings.TrimSpace(ref)))
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return []string{MissingNotInTenant}, true, nil
	} else if err != nil {
		return nil, false, err
	}
	return slices.Clone(u.Missing), true, nil
}

// counted lists a count per key of keys, in their order.
func counted(keys []string, n map[string]int) Counts {
	out := make(Counts, len(keys))
	for i, k := range keys {
		out[i] = Count{Key: k, Count: n[k]}
	}
	return out
}
