package demo_test

import (
	"context"
	"testing"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// TestDemoRequests checks that the replayed service desk has what a
// visitor should find: a few hundred requests of every kind in every
// phase, some past their targets, answered surveys and folios in order.
func TestDemoRequests(t *testing.T) {
	s := seedAll(t)
	staff := enlace.WithActor(context.Background(), &enlace.Actor{UserID: "x", StaffRole: "admin"})
	chart, err := s.requests.Chart(staff, servicedesk.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range chart {
		total += c.Count
		if c.Count == 0 && c.Phase != servicedesk.PhaseNew {
			t.Errorf("no demo request is %s", c.Phase)
		}
	}
	if total < 200 {
		t.Errorf("%d demo requests, want a few hundred", total)
	}
	kinds := map[string]bool{}
	list, _, err := s.requests.List(staff, servicedesk.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		kinds[r.Kind] = true
	}
	for _, k := range servicedesk.Kinds {
		if !kinds[k] {
			t.Errorf("no demo request of kind %s", k)
		}
	}
	_, breached, err := s.requests.List(staff, servicedesk.Filter{Breached: true})
	if err != nil {
		t.Fatal(err)
	}
	if breached == 0 {
		t.Errorf("no demo request past its targets")
	}
	results, err := s.requests.SurveyResults(staff, servicedesk.ByCategory, list[len(list)-1].CreatedAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 {
		t.Errorf("no survey answered in the demo")
	}
}
