package demo

import (
	"context"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/reach"
)

// WithReach makes Seed keep the list of people of the IP-Centrex
// migration: the customer's administrator pastes the people, support
// gives them provisional numbers and records CLIP-no-screening on the
// trunk, the customer confirms the forwarding — so the runbook's
// reachability tasks are done by the list, as in a real migration.
func WithReach(svc *reach.Service) Option {
	return func(s *seeder) { s.reach = svc }
}

// hospitalPeople are the people of Clínica Santa Fe's hospital whose
// numbers move, as pasted from the customer's spreadsheet: their old
// direct numbers at the old carrier are in Guadalajara (33), like the
// free numbers of the customer's range at the provider that become their
// provisional numbers.
const hospitalPeople = `Nombre	Número actual	Correo
Carlos Ibarra	33 3826 4400	carlos.ibarra@santafe.example
Rosa Núñez	33 3826 4401	rosa.nunez@santafe.example
Dra. Elena Márquez	33 3826 4402	elena.marquez@santafe.example
Dr. Tomás Arriaga	33 3826 4403	tomas.arriaga@santafe.example
Admisión urgencias	33 3826 4404
Farmacia	33 3826 4405
Laboratorio	33 3826 4406	laboratorio@santafe.example
Caja	33 3826 4407
`

// seedReach keeps the list of a migration project up to everyone
// forwarded, then moves the tasks that follow it.
func (s *seeder) seedReach(ctx context.Context, v *activation.View, people map[string]*enlace.Actor) (*activation.View, error) {
	if s.reach == nil {
		return v, nil
	}
	customerCtx := enlace.WithActor(s.ctx, people["customer"])
	supportCtx := enlace.WithActor(s.ctx, people["support"])
	id := v.Project.ID
	if _, err := s.reach.AddLines(customerCtx, id, reach.ParseRows(hospitalPeople)); err != nil {
		return nil, err
	}
	if _, _, err := s.reach.AssignTemporaries(supportCtx, id); err != nil {
		return nil, err
	}
	trunk, err := s.reach.AddTrunk(supportCtx, id, reach.TrunkInput{Name: "SIP Guadalajara", Ref: "sip:santafe-gdl@enlace.example"})
	if err != nil {
		return nil, err
	}
	plan, err := s.reach.Plan(supportCtx, id)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, l := range plan.Lines {
		ids = append(ids, l.ID)
	}
	if _, err := s.reach.PutOnTrunk(supportCtx, id, trunk.ID, ids); err != nil {
		return nil, err
	}
	if _, err := s.reach.Act(supportCtx, id, reach.ActConfirmClip, ids); err != nil {
		return nil, err
	}
	if _, err := s.reach.Act(customerCtx, id, reach.ActConfirmForwarding, ids); err != nil {
		return nil, err
	}
	if err := s.reach.Follow(s.ctx, id); err != nil {
		return nil, err
	}
	return s.projects.Project(supportCtx, id)
}
