package sqlstore

import (
	"context"
	"testing"

	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// TestOnePrincipalIndex: the partial unique index refuses a second
// principal contact of one kind in one customer, however it is written,
// and allows one per kind, one per customer, and any number of others.
func TestOnePrincipalIndex(t *testing.T) {
	ctx := context.Background()
	s := MustOpenTest(t, enlace.SystemClock{})
	var ids []string
	for _, n := range []string{"A", "B"} {
		c := customer.Customer{ID: enlace.NewID(), Number: n, Name: n}
		if err := s.CreateCustomer(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	insert := func(customerID, kind string, principal bool) error {
		_, err := s.db.ExecContext(ctx, `INSERT INTO contacts (id, customer_id, kind, principal, first_name, last_name, created_at, updated_at)
			VALUES ($1, $2, $3, $4, 'N', 'C', $5, $5)`, enlace.NewID(), nullable(customerID), kind, principal, s.clock.Now())
		return s.dialect.mapError(err)
	}
	for _, tt := range []struct {
		name      string
		customer  string
		kind      string
		principal bool
		want      string
	}{
		{"first administrative principal", ids[0], contact.KindAdministrative, true, ""},
		{"technical principal", ids[0], contact.KindTechnical, true, ""},
		{"other customer's principal", ids[1], contact.KindAdministrative, true, ""},
		{"not principal", ids[0], contact.KindAdministrative, false, ""},
		{"second not principal", ids[0], contact.KindAdministrative, false, ""},
		{"unassigned parties", "", contact.KindAdministrative, false, ""},
		{"second administrative principal", ids[0], contact.KindAdministrative, true, enlace.ECONFLICT},
	} {
		if got := enlace.ErrorCode(insert(tt.customer, tt.kind, tt.principal)); got != tt.want {
			t.Errorf("%s: error code %q, want %q", tt.name, got, tt.want)
		}
	}
}
