package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/demo"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// TestSeedContacts: both demo customers have a principal contact of each
// kind and a few more, phones in E.164.
func TestSeedContacts(t *testing.T) {
	ctx := context.Background()
	clock := enlace.NewFakeClock(time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC))
	store := sqlstore.MustOpenTest(t, clock)
	r, err := notify.NewRenderer(i18n.MustLoad())
	if err != nil {
		t.Fatal(err)
	}
	cheap := identity.HashParams{Time: 1, Memory: 1024, Threads: 1}
	if _, err := demo.Seed(ctx, store, identity.NewService(store, clock, r, identity.Config{Hash: cheap}), clock, "http://x", cheap); err != nil {
		t.Fatal(err)
	}
	cs, err := store.Customers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		ks, total, err := store.FindContacts(ctx, contact.Filter{CustomerID: &c.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		principals := map[string]int{}
		for _, k := range ks {
			if k.Principal {
				principals[k.Kind]++
			}
			if k.Phone == "" || k.Phone[0] != '+' {
				t.Errorf("%s: phone %q is not E.164", k.Name(), k.Phone)
			}
		}
		if total < 4 || principals[contact.KindAdministrative] != 1 || principals[contact.KindTechnical] != 1 {
			t.Errorf("%s: %d contacts, principals %v", c.Name, total, principals)
		}
	}
}
