package porting

import (
	"context"
	"time"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// follow returns the job that moves the order's project's porting tasks,
// for a change of an order that has a project. The job reads the order as
// it is when it runs, so jobs for several changes settle the same way.
func (s *Service) follow(o *Order) []enlace.Effect {
	if o.ProjectID == "" || s.projects == nil {
		return nil
	}
	return []enlace.Effect{job(FollowJob, o.ID, time.Time{})}
}

// followProject tells the order's project which of the order's steps have
// happened, with the evidence its tasks keep.
func (s *Service) followProject(ctx context.Context, orderID string) error {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return jobs.Permanent(err)
	}
	if o.ProjectID == "" || s.projects == nil || o.State == StateCancelled {
		return nil
	}
	docs, err := s.documents(ctx, o)
	if err != nil {
		return err
	}
	return s.projects.Follow(ctx, o.ProjectID, Reached(o, docs, s.cfg.Location))
}

// Reached names the steps of an order that have happened, each with what
// a task following it keeps as evidence: a document's id, the signer's
// name, a date.
func Reached(o *Order, docs []document.Document, loc *time.Location) map[string]string {
	r := map[string]string{}
	for _, d := range docs {
		switch d.Kind {
		case DocCSR:
			r[runbook.FollowPortCSR] = d.ID
		case DocPhoneBill:
			r[runbook.FollowPortPhoneBill] = d.ID
		}
	}
	if o.LOADocumentID != "" || o.Signature != nil {
		r[runbook.FollowPortEntered] = o.Folio
	}
	if o.Signature != nil {
		r[runbook.FollowPortSigned] = o.Signature.Name
	}
	if o.Submissions > 0 {
		r[runbook.FollowPortSubmitted] = o.Folio
	}
	if o.FOCDate != nil {
		r[runbook.FollowPortFOC] = o.FOCDate.In(loc).Format(time.DateOnly)
	}
	if o.VisibleAt != nil {
		r[runbook.FollowPortVisible] = o.VisibleAt.In(loc).Format(time.DateTime)
	}
	if o.AssignedConfirmedAt != nil {
		r[runbook.FollowPortAssigned] = o.AssignedConfirmedAt.In(loc).Format(time.DateTime)
	}
	if o.PortedAt != nil && o.FOCDate != nil {
		r[runbook.FollowPortPorted] = o.FOCDate.In(loc).Format(time.DateOnly)
	}
	if o.State == StateCompleted {
		r[runbook.FollowPortCompleted] = o.Folio
	}
	return r
}
