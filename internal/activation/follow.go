package activation

import (
	"context"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// Follow moves the tasks of a project that follow a port order's steps
// (runbook.Task.Follows): each task whose step was reached is done, its
// gate met with what the order keeps (the signer's name, the FOC date, a
// document's id) — whatever state it was in, since the order's progress
// is a fact the plan must catch up with. Tasks already closed stay as
// they are, so following again changes nothing. A project changed
// meanwhile is read again.
func (s *Service) Follow(ctx context.Context, projectID string, reached map[string]string) error {
	for attempt := 0; ; attempt++ {
		p, tasks, tp, err := s.loadForSystem(ctx, projectID)
		if err != nil {
			return err
		}
		if p.Status != ProjectActive {
			return nil
		}
		before := slices.Clone(tasks)
		now := s.clock.Now()
		var moved []string
		for i := range tasks {
			t := &tasks[i]
			detail, ok := reached[t.Step.Follows]
			if t.Step.Follows == "" || !ok || t.Closed() {
				continue
			}
			followed(t, detail, now, s.cfg.Location)
			moved = append(moved, t.Key)
		}
		if len(moved) == 0 {
			return nil
		}
		entry := audit.Record(ctx, "project.task.follow", "project", p.ID, p.CustomerID, map[string]any{"tasks": moved})
		err = s.apply(ctx, p, p.Status, p.UpdatedAt, before, tasks, tp, entry)
		if enlace.ErrorCode(err) != enlace.ECONFLICT || attempt == 3 {
			return err
		}
	}
}

// followed marks a task done by the port order, its gate met.
func followed(t *Task, detail string, now time.Time, loc *time.Location) {
	if g := t.Step.Gate; g != nil && t.GateMetAt == nil {
		t.GateMetAt, t.GateDetail = &now, detail
		if g.Kind == runbook.GateDate {
			if d, err := time.ParseInLocation(time.DateOnly, detail, loc); err == nil {
				d = d.UTC()
				t.NotBefore = &d
			}
		}
	}
	if t.StartedAt == nil {
		t.StartedAt = &now
	}
	t.Status, t.DoneAt, t.BlockedFrom, t.BlockedReason = TaskDone, &now, "", ""
}
