package activation

import (
	"context"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// Report is what the completion report of a project says (C5, C7): the
// project, the services it implemented under the contract, the tasks as
// they were done, and the first-invoice date.
type Report struct {
	Project  *Project
	Template *runbook.Template
	Tasks    []Task
	// Services are the services of the project's site on its billing
	// account: what the order delivered.
	Services []inventory.Service
	// FirstInvoice is the day billing starts (nil while not complete).
	FirstInvoice *time.Time
	Generated    time.Time
	Location     *time.Location
}

// CompletionReport gathers the completion report of a project the actor
// may see. Customers get it once the project is complete; staff at any
// time, as a draft.
func (s *Service) CompletionReport(ctx context.Context, projectID string) (*Report, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, tasks, tp, err := s.load(ctx, a, projectID)
	if err != nil {
		return nil, err
	}
	if !a.IsStaff() && p.Status != ProjectCompleted {
		return nil, enlace.Errorf(enlace.ECONFLICT, "activation.error.report_not_ready")
	}
	site, account := p.SiteID, p.BillingAccountID
	services, err := s.store.FindServices(ctx, inventory.ServiceFilter{CustomerID: p.CustomerID, SiteID: &site,
		BillingAccountID: &account, Limit: 1000})
	if err != nil {
		return nil, err
	}
	v := s.view(a, p, tasks, tp)
	return &Report{Project: p, Template: tp, Tasks: v.Tasks, Services: services, FirstInvoice: p.BillingStart,
		Generated: s.clock.Now(), Location: s.cfg.Location}, nil
}
