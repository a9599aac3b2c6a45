package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/demo"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

func TestSeedMakesEveryRoleAndWorkingLogins(t *testing.T) {
	ctx := context.Background()
	clock := enlace.NewFakeClock(time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC))
	store := sqlstore.MustOpenTest(t, clock)
	r, err := notify.NewRenderer(i18n.MustLoad())
	if err != nil {
		t.Fatal(err)
	}
	cheap := identity.HashParams{Time: 1, Memory: 1024, Threads: 1}
	svc := identity.NewService(store, clock, r, identity.Config{Hash: cheap})
	logins, err := demo.Seed(ctx, store, svc, clock, "http://127.0.0.1:8080", cheap)
	if err != nil {
		t.Fatalf("Seed() = %v", err)
	}
	roles := map[string]bool{}
	customers := map[string]bool{}
	for _, l := range logins.Users {
		roles[l.Role] = true
		if l.Customer != "" {
			customers[l.Customer] = true
		}
		if _, _, err := svc.Login(ctx, l.Email, l.Password, "test"); err != nil {
			t.Errorf("Login(%s) = %v, want nil", l.Email, err)
		}
	}
	for _, role := range append(identity.StaffRoles, identity.CustomerRoles...) {
		if !roles[role] {
			t.Errorf("no demo user with role %s", role)
		}
	}
	if len(customers) != 2 {
		t.Errorf("demo customers = %v, want 2", customers)
	}
	// A staff token, and one for each customer, each acting as its user.
	var staffToken int
	tokenCustomers := map[string]bool{}
	for _, tok := range logins.APITokens {
		p, err := svc.AuthenticateToken(ctx, tok.Token)
		if err != nil || p.User.Email != tok.Email {
			t.Errorf("AuthenticateToken(token of %s) = %v, %v", tok.Email, p, err)
			continue
		}
		if p.User.IsStaff() {
			staffToken++
		} else {
			tokenCustomers[p.Actor.CustomerID] = true
		}
	}
	if staffToken == 0 || len(tokenCustomers) != 2 {
		t.Errorf("tokens: %d staff, %d customers; want at least 1 and 2", staffToken, len(tokenCustomers))
	}
	// The person in both customers has two memberships.
	u, err := store.UserByEmail(ctx, "laura.vega@aurora.example")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := store.Memberships(ctx, u.ID)
	if err != nil || len(ms) != 2 {
		t.Errorf("Memberships(laura) = %d, %v; want 2", len(ms), err)
	}
	reqs, _, err := store.FindAccessRequests(ctx, identity.AccessRequestFilter{Limit: 10})
	if err != nil || len(reqs) != 1 || reqs[0].Status != identity.RequestPending {
		t.Errorf("access requests = %+v, %v; want one pending", reqs, err)
	}
	if !slices.ContainsFunc(logins.Users, func(l demo.Login) bool { return l.Customer == "" }) {
		t.Errorf("no staff login has an empty customer")
	}
}
