package activation

import (
	"context"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
)

// Managers returns the staff who may manage projects (PMs and staff
// administrators, not disabled), for the people who assign them.
func (s *Service) Managers(ctx context.Context) ([]identity.User, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !CanManage(a) {
		return nil, forbidden(a)
	}
	return s.store.ProjectManagers(ctx)
}

// Assign names a project's PM and the customer's principal contact; an
// empty id leaves that one unassigned. Some runbooks assign the PM only
// after a gate (OfficeConnect: the signed agreement and the NRC payment),
// so a project may start without one. The new PM is told.
func (s *Service) Assign(ctx context.Context, projectID, pmUserID, contactUserID string) (*View, error) {
	var pm *identity.User
	v, err := s.change(ctx, projectID, "", func(a *enlace.Actor, p *Project, _ *Task, now time.Time) (enlace.Effect, error) {
		if !CanManage(a) {
			return nil, forbidden(a)
		}
		if p.Status != ProjectActive {
			return nil, enlace.Errorf(enlace.ECONFLICT, "activation.error.project_closed")
		}
		var fields []enlace.FieldError
		pm, fields = s.checkPeople(ctx, p.CustomerID, pmUserID, contactUserID)
		if pm != nil && pm.ID == p.PMUserID {
			pm = nil // the same PM is not told again
		}
		if err := enlace.Invalid(fields); err != nil {
			return nil, err
		}
		p.PMUserID, p.ContactUserID = pmUserID, contactUserID
		return audit.Record(ctx, "project.assign", "project", p.ID, p.CustomerID,
			map[string]string{"pm": pmUserID, "contact": contactUserID}), nil
	}, func() []enlace.Effect {
		if pm == nil {
			return nil
		}
		return []enlace.Effect{notify.Notification{UserID: pm.ID, Kind: "project", TitleKey: "activation.notice.assigned.title",
			BodyKey: "activation.notice.assigned.body", Args: map[string]string{}, Link: "/projects/" + projectID}}
	})
	if err != nil {
		return nil, err
	}
	if u, err := s.store.UserByID(ctx, v.Project.PMUserID); err == nil {
		v.Project.PMName = u.Name()
	} else {
		v.Project.PMName = ""
	}
	return v, nil
}
