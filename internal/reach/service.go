package reach

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// FollowJob moves the tasks of a project that follow its list.
const FollowJob = "reach.follow"

// Service keeps the lists of people of migrations.
type Service struct {
	store    Store
	projects Projects
	clock    enlace.Clock
	wake     func()
}

// NewService returns a reach Service.
func NewService(store Store, projects Projects, clock enlace.Clock) *Service {
	if clock == nil {
		clock = enlace.SystemClock{}
	}
	return &Service{store: store, projects: projects, clock: clock}
}

// Register gives the job runner the job that moves a project's tasks.
func (s *Service) Register(r *jobs.Runner) {
	r.Handle(FollowJob, func(ctx context.Context, j jobs.Job) error {
		var p followPayload
		if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
			return jobs.Permanent(fmt.Errorf("reach job payload: %w", err))
		}
		return s.Follow(ctx, p.ProjectID)
	})
	s.wake = r.Wake
}

type followPayload struct {
	ProjectID string `json:"projectId"`
}

// Follow tells a project which of its list's steps everyone has reached;
// the job every change of the list leaves calls it. It reads the list as
// it is when it runs, so jobs for several changes settle the same way.
func (s *Service) Follow(ctx context.Context, projectID string) error {
	lines, err := s.store.ReachLines(ctx, projectID)
	if err != nil {
		return err
	}
	return s.projects.Follow(ctx, projectID, Reached(lines))
}

// Check is one checkpoint of the migration, in the order they come: the
// list's steps (how many people have them), the parallel operation, the
// port of the old numbers and the point of no return. Task is the
// runbook task tied to it, if the project has one.
type Check struct {
	// Key names it; catalogue keys reach.check.<key>.
	Key   string           `json:"key"`
	Done  int              `json:"done"`
	Total int              `json:"total"`
	Task  *activation.Task `json:"-"`
}

// Checkpoints, in order.
const (
	CheckTemporary  = "temporary"
	CheckClip       = "clip"
	CheckForwarding = "forwarding"
	CheckParallel   = "parallel"
	CheckPorted     = "ported"
	CheckNoReturn   = "no_return"
)

// Complete reports whether the checkpoint is reached: everyone has it, or
// its task is done.
func (c *Check) Complete() bool {
	if c.Task != nil && c.Total == 0 {
		return c.Task.Closed()
	}
	return c.Total > 0 && c.Done == c.Total
}

// Plan is a project's list as one reader sees it.
type Plan struct {
	Project *activation.View
	Lines   []Line
	Trunks  []Trunk
	Checks  []Check
}

// Line returns the plan's line with id, or nil.
func (p *Plan) Line(id string) *Line {
	for i := range p.Lines {
		if p.Lines[i].ID == id {
			return &p.Lines[i]
		}
	}
	return nil
}

// Trunk returns the plan's trunk with id, or nil.
func (p *Plan) Trunk(id string) *Trunk {
	for i := range p.Trunks {
		if p.Trunks[i].ID == id {
			return &p.Trunks[i]
		}
	}
	return nil
}

// Open reports whether the list may still change: not once the project
// is cancelled.
func (p *Plan) Open() bool { return p.Project.Project.Status != activation.ProjectCancelled }

// Releasable reports whether the provisional numbers may be released:
// every old number is ported and some provisional number is still held.
func (p *Plan) Releasable() bool {
	held := false
	for i := range p.Lines {
		if !p.Lines[i].Ported() {
			return false
		}
		held = held || p.Lines[i].HasTemporary()
	}
	return held
}

// Plan returns a project's list with its trunks and checkpoints. The
// project must be one the reader sees and its runbook one that keeps a
// list.
func (s *Service) Plan(ctx context.Context, projectID string) (*Plan, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	v, err := s.projects.Project(ctx, projectID)
	if err != nil {
		return nil, err
	}
	if !Supports(v.Template) {
		return nil, notFound()
	}
	p := &Plan{Project: v}
	if p.Lines, err = s.store.ReachLines(ctx, projectID); err != nil {
		return nil, err
	}
	if p.Trunks, err = s.store.ReachTrunks(ctx, projectID); err != nil {
		return nil, err
	}
	p.Checks = checks(v, p.Lines)
	return p, nil
}

// checks lists the migration's checkpoints the project's runbook has.
func checks(v *activation.View, lines []Line) []Check {
	following := func(step string) *activation.Task {
		for i := range v.Tasks {
			if v.Tasks[i].Step != nil && v.Tasks[i].Step.Follows == step {
				return &v.Tasks[i]
			}
		}
		return nil
	}
	marking := func(milestone string) *activation.Task {
		for i := range v.Tasks {
			if v.Tasks[i].Step != nil && v.Tasks[i].Step.Milestone == milestone {
				return &v.Tasks[i]
			}
		}
		return nil
	}
	var out []Check
	count := func(key string, t *activation.Task, has func(*Line) bool) {
		c := Check{Key: key, Total: len(lines), Task: t}
		for i := range lines {
			if has(&lines[i]) {
				c.Done++
			}
		}
		out = append(out, c)
	}
	for _, st := range []struct {
		key, step string
		has       func(*Line) bool
	}{
		{CheckTemporary, runbook.FollowReachTemporary, (*Line).HasTemporary},
		{CheckClip, runbook.FollowReachClip, func(l *Line) bool { return l.ClipAt != nil }},
		{CheckForwarding, runbook.FollowReachForwarding, func(l *Line) bool { return l.ForwardingAt != nil }},
	} {
		if t := following(st.step); t != nil {
			count(st.key, t, st.has)
		}
	}
	if t := marking(runbook.MilestoneParallelOperation); t != nil {
		out = append(out, Check{Key: CheckParallel, Task: t})
	}
	count(CheckPorted, nil, (*Line).Ported)
	if t := marking(runbook.MilestonePointOfNoReturn); t != nil {
		out = append(out, Check{Key: CheckNoReturn, Task: t})
	}
	return out
}

// editable returns the plan of a project the actor may change as allowed
// says.
func (s *Service) editable(ctx context.Context, projectID string, allowed func(*enlace.Actor) bool) (*enlace.Actor, *Plan, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.Plan(ctx, projectID)
	if err != nil {
		return nil, nil, err
	}
	if !allowed(a) {
		return nil, nil, forbidden()
	}
	if !p.Open() {
		return nil, nil, enlace.Errorf(enlace.EINVALID, "reach.error.project_closed")
	}
	return a, p, nil
}

// editableLine returns, with the plan, a copy of one person of a list the
// actor may change as allowed says.
func (s *Service) editableLine(ctx context.Context, projectID, lineID string, allowed func(*enlace.Actor) bool) (*enlace.Actor, *Plan, Line, error) {
	a, p, err := s.editable(ctx, projectID, allowed)
	if err != nil {
		return nil, nil, Line{}, err
	}
	l := p.Line(lineID)
	if l == nil {
		return nil, nil, Line{}, notFound()
	}
	return a, p, *l, nil
}

// save writes a change of a project's list with its audit entry and the
// job that moves the project's tasks.
func (s *Service) save(ctx context.Context, p *Plan, c Change, entry audit.Entry) error {
	proj := p.Project.Project
	effects := []enlace.Effect{entry}
	if proj.Status == activation.ProjectActive {
		effects = append(effects, jobs.New(FollowJob, followPayload{ProjectID: proj.ID}, time.Time{}))
	}
	if err := s.store.SaveReach(ctx, c, effects...); err != nil {
		return err
	}
	if s.wake != nil && proj.Status == activation.ProjectActive {
		s.wake()
	}
	return nil
}

// by is how a confirmation names the person who gave it.
func by(a *enlace.Actor) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Email
}

func actor(ctx context.Context) (*enlace.Actor, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	return a, nil
}

func notFound() error { return enlace.Errorf(enlace.ENOTFOUND, "error.not_found") }

func forbidden() error { return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden") }

// lineIndex returns the indexes of the plan's lines with the ids given,
// or ENOTFOUND for an id not on the list.
func lineIndex(p *Plan, ids []string) ([]int, error) {
	var out []int
	for _, id := range ids {
		i := slices.IndexFunc(p.Lines, func(l Line) bool { return l.ID == id })
		if i < 0 {
			return nil, notFound()
		}
		if !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	return out, nil
}
