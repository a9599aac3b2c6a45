package demo_test

import (
	"context"
	"testing"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/porting"
)

// TestDemoPorting checks what a visitor should find: a port order in
// every state, one with the carrier's exception, one with a rejected
// number, one tied to the Teams project, and number inventories with
// numbers in every state a customer keeps.
func TestDemoPorting(t *testing.T) {
	s := seedAll(t)
	staff := enlace.WithActor(context.Background(), &enlace.Actor{UserID: "x", StaffRole: "admin"})
	orders, _, err := s.porting.List(staff, porting.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	linked := 0
	for _, o := range orders {
		states[o.State]++
		if o.ProjectID != "" {
			linked++
		}
		if o.State == porting.StateException && o.Reason == "" {
			t.Errorf("the demo's exception %s has no reason", o.Folio)
		}
	}
	for _, st := range porting.States {
		if states[st] == 0 {
			t.Errorf("no demo port order is %s", st)
		}
	}
	if linked != 1 {
		t.Errorf("%d demo orders are tied to a project, want 1", linked)
	}
	partial := false
	for _, o := range orders {
		if o.State != porting.StateConfirmed {
			continue
		}
		v, err := s.porting.Get(staff, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range v.Lines {
			partial = partial || l.Status == porting.LineRejected
		}
	}
	if !partial {
		t.Error("no demo order has a number the carrier rejected")
	}
	counts, err := s.numbers.Counts(staff, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		if c.Count == 0 {
			t.Errorf("no demo number is %s", c.State)
		}
	}
}
