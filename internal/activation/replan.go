package activation

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// Register adds the activation jobs and sweeps to the runner.
func (s *Service) Register(r *jobs.Runner) {
	r.Handle(DueJob, s.Due)
	r.Sweep("activation replan", s.ReplanAll)
}

// Due is the handler of DueJob: it tells the people responsible for a
// task that it is overdue, once per due date, and the PM too when the
// customer is late.
func (s *Service) Due(ctx context.Context, j jobs.Job) error {
	var pl duePayload
	if err := json.Unmarshal([]byte(j.Payload), &pl); err != nil || pl.ProjectID == "" {
		return jobs.Permanent(fmt.Errorf("decode %s payload: %v", DueJob, err))
	}
	p, tasks, tp, err := s.loadForSystem(ctx, pl.ProjectID)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	i := slices.IndexFunc(tasks, func(t Task) bool { return t.ID == pl.TaskID })
	now := s.clock.Now()
	if p.Status != ProjectActive || i < 0 {
		return nil
	}
	t := &tasks[i]
	if t.Closed() || t.DueAt == nil || !t.DueAt.Equal(pl.DueAt) || t.OverdueNoticeAt != nil || now.Before(*t.DueAt) {
		return nil
	}
	t.OverdueNoticeAt = &now
	people, err := s.responsible(ctx, p, t.Party)
	if err != nil {
		return err
	}
	if t.Party == runbook.PartyCustomer {
		pm, err := s.responsible(ctx, p, runbook.PartyPM)
		if err != nil {
			return err
		}
		people = append(people, pm...)
	}
	var effects []enlace.Effect
	for _, u := range people {
		effects = append(effects, s.tell(p, t, tp, u, "task_overdue")...)
	}
	return s.store.SaveProject(ctx, p, p.UpdatedAt, []Task{*t}, effects...)
}

// ReplanAll replans every active project, so that tasks nobody started
// move forward with time and the people concerned hear of a slipped end.
// The job runner's sweep calls it every hour; every replica may, and a
// project changed meanwhile is left for the next sweep.
func (s *Service) ReplanAll(ctx context.Context) (int, error) {
	if _, err := s.Calendar(ctx); err != nil {
		return 0, err
	}
	ids, err := s.store.ActiveProjectIDs(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		p, tasks, tp, err := s.loadForSystem(ctx, id)
		if err != nil {
			return n, err
		}
		err = s.apply(ctx, p, p.Status, p.UpdatedAt, slices.Clone(tasks), tasks, tp)
		if err != nil && enlace.ErrorCode(err) != enlace.ECONFLICT {
			return n, err
		}
		n++
	}
	return n, nil
}

func (s *Service) loadForSystem(ctx context.Context, id string) (*Project, []Task, *runbook.Template, error) {
	p, err := s.store.ProjectByID(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	tasks, err := s.store.ProjectTasks(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	tp, err := s.catalog.Template(ctx, p.TemplateKey, p.TemplateVersion)
	if err != nil {
		return nil, nil, nil, err
	}
	attachSteps(tasks, tp)
	return p, tasks, tp, nil
}
