package activation

import (
	"context"

	"github.com/enlace-portal/enlace/internal/runbook"
)

// NextAction is an open task of an active project with what a list needs
// to show it: the project, its customer and site, and the runbook step.
type NextAction struct {
	ProjectTask
	Step *runbook.Task
}

// NextActions returns the open tasks (ready, in progress, blocked) of the
// active projects the actor may see, by due date (C4): for staff every
// party's, for a customer user only what the customer must do. f narrows
// them (a PM's own projects: PMUserID).
func (s *Service) NextActions(ctx context.Context, f ProjectFilter) ([]NextAction, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsStaff() {
		f.CustomerID, f.Accounts = a.CustomerID, a.BillingAccountIDs
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	f.Limit = min(f.Limit, 500)
	open, err := s.store.OpenTasks(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]NextAction, 0, len(open))
	for _, t := range open {
		if !a.IsStaff() && (t.Party != runbook.PartyCustomer || t.Internal) {
			continue
		}
		tp, err := s.catalog.Template(ctx, t.TemplateKey, t.TemplateVer)
		if err != nil {
			return nil, err
		}
		out = append(out, NextAction{ProjectTask: t, Step: tp.Task(t.Key)})
	}
	return out, nil
}

// PhaseCount is how many active projects of a runbook are at one phase:
// the phase of their first open task.
type PhaseCount struct {
	TemplateKey string `db:"template_key"`
	Phase       string `db:"phase"`
	ProjectID   string `db:"project_id"`
}

// Board returns, for every active project the actor may see, the phase it
// is at: the phase of its first task not closed, in plan order.
func (s *Service) Board(ctx context.Context, f ProjectFilter) ([]PhaseCount, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsStaff() {
		f.CustomerID, f.Accounts = a.CustomerID, a.BillingAccountIDs
	}
	return s.store.ProjectPhases(ctx, f)
}
