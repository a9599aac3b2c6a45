package customer_test

import (
	"context"
	"testing"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

func TestServiceScopesCustomersAndAccounts(t *testing.T) {
	ctx := context.Background()
	store := sqlstore.MustOpenTest(t, enlace.SystemClock{})
	var ids [2]string
	var accounts [2][]string
	for i, name := range []string{"Acme", "Bolsa"} {
		c := customer.Customer{ID: enlace.NewID(), Number: name, Name: name}
		if err := store.CreateCustomer(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
		for _, n := range []string{"1", "2"} {
			b := customer.BillingAccount{ID: enlace.NewID(), CustomerID: c.ID, Number: name + "-" + n, Name: name}
			if err := store.CreateBillingAccount(ctx, &b); err != nil {
				t.Fatal(err)
			}
			accounts[i] = append(accounts[i], b.ID)
		}
	}
	svc := customer.NewService(store)
	for _, tt := range []struct {
		name      string
		actor     *enlace.Actor
		customers int
		accounts  int    // of customer A
		wantA     string // error code reading customer A, "" for none
	}{
		{"staff", &enlace.Actor{UserID: "s", StaffRole: "support"}, 2, 2, ""},
		{"A's administrator", &enlace.Actor{UserID: "a", CustomerID: ids[0], CustomerRole: "admin"}, 1, 2, ""},
		{"A's user with one account", &enlace.Actor{UserID: "u", CustomerID: ids[0], CustomerRole: "user",
			BillingAccountIDs: accounts[0][:1]}, 1, 1, ""},
		{"A's user with no account", &enlace.Actor{UserID: "u", CustomerID: ids[0], CustomerRole: "user",
			BillingAccountIDs: []string{}}, 1, 0, ""},
		{"B's administrator", &enlace.Actor{UserID: "b", CustomerID: ids[1], CustomerRole: "admin"}, 1, 0, enlace.ENOTFOUND},
		{"nobody", nil, 0, 0, enlace.EUNAUTHORIZED},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := ctx
			if tt.actor != nil {
				ctx = enlace.WithActor(ctx, tt.actor)
			}
			cs, err := svc.List(ctx)
			if tt.actor != nil && (err != nil || len(cs) != tt.customers) {
				t.Errorf("List() = %d customers, %v; want %d", len(cs), err, tt.customers)
			}
			_, err = svc.Get(ctx, ids[0])
			if got := enlace.ErrorCode(err); got != tt.wantA {
				t.Fatalf("Get(A) error code = %q, want %q", got, tt.wantA)
			}
			if tt.wantA != "" {
				return
			}
			bs, err := svc.BillingAccounts(ctx, ids[0])
			if err != nil || len(bs) != tt.accounts {
				t.Errorf("BillingAccounts(A) = %d, %v; want %d", len(bs), err, tt.accounts)
			}
		})
	}
}
