package activation

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/runbook"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// DueJob is the job kind that checks, at a task's due date, whether it is
// done; if not, the responsible party is told it is overdue.
const DueJob = "activation.due"

// ChangedJob is the job kind enqueued, in the same transaction, whenever a
// project that delivers a product order (TMF622) changes status, so that
// the order's state follows its projects and subscribers hear of it.
const ChangedJob = "activation.project_changed"

// ChangedPayload is the payload of ChangedJob.
type ChangedPayload struct {
	ProjectID      string `json:"project_id"`
	ProductOrderID string `json:"product_order_id"`
	Status         string `json:"status"`
}

// statusChanged returns the effect announcing a project's new status to
// whoever follows its product order; nil when no order started it.
func statusChanged(p *Project) []enlace.Effect {
	if p.ProductOrderID == "" {
		return nil
	}
	return []enlace.Effect{jobs.New(ChangedJob, ChangedPayload{ProjectID: p.ID, ProductOrderID: p.ProductOrderID, Status: p.Status}, time.Time{})}
}

// duePayload names the task and the due date the job was set for: a
// reschedule that moves the due date enqueues a new job, and the old one
// finds the date changed and does nothing.
type duePayload struct {
	TaskID    string    `json:"task_id"`
	ProjectID string    `json:"project_id"`
	DueAt     time.Time `json:"due_at"`
}

// settled is what bringing a project up to date caused.
type settled struct {
	effects []enlace.Effect
	ready   []int // indexes of the tasks that became ready
}

// settle brings a project to a consistent state after a change: pending
// tasks whose predecessors are closed become ready (and ready ones whose
// predecessor reopened go back to pending), the plan is recomputed on the
// working calendar, milestones complete the project and start billing,
// and the people concerned are told. It changes p and tasks in place.
func (s *Service) settle(ctx context.Context, p *Project, tasks []Task, tp *runbook.Template) (*settled, error) {
	st := &settled{}
	now := s.clock.Now()
	index := make(map[string]int, len(tasks))
	for i := range tasks {
		index[tasks[i].Key] = i
	}
	if p.Status == ProjectActive {
		for i := range tasks {
			t := &tasks[i]
			closed := true
			for _, a := range t.After {
				if j, ok := index[a]; ok && !tasks[j].Closed() {
					closed = false
				}
			}
			switch {
			case t.Status == TaskPending && closed:
				t.Status = TaskReady
				st.ready = append(st.ready, i)
			case t.Status == TaskReady && !closed:
				t.Status, t.DueAt = TaskPending, nil
			}
		}
	}
	if err := s.plan(p, tasks, index, now); err != nil {
		return nil, err
	}
	s.milestones(ctx, p, tasks, tp, now, st)
	if err := s.notices(ctx, p, tasks, tp, st); err != nil {
		return nil, err
	}
	return st, nil
}

// plan recomputes the planned dates and the critical path.
func (s *Service) plan(p *Project, tasks []Task, index map[string]int, now time.Time) error {
	cal, err := s.calendarCached()
	if err != nil {
		return err
	}
	buf := planBuffers.Get().(*planBuffer)
	defer planBuffers.Put(buf)
	in := append(buf.in[:0], s.skeleton(tasks, index, cal.WorkdayLength())...)
	for i := range tasks {
		t := &tasks[i]
		in[i].Skip = t.Status == TaskNotApplicable
		if t.NotBefore != nil {
			in[i].NotBefore = *t.NotBefore
		}
		if t.StartedAt != nil {
			in[i].Started = *t.StartedAt
		}
		if t.DoneAt != nil {
			in[i].Finished = *t.DoneAt
		}
	}
	out := slices.Grow(buf.out[:0], len(tasks))[:len(tasks)]
	buf.in, buf.out = in, out
	planNow := now
	if p.Status != ProjectActive {
		planNow = time.Time{} // a finished project's plan stays as it ended
	}
	end, err := schedule.Plan(cal, p.StartAt, planNow, in, out)
	if err != nil {
		return fmt.Errorf("plan project %s: %w", p.ID, err)
	}
	for i := range tasks {
		tasks[i].PlannedStart, tasks[i].PlannedEnd, tasks[i].Critical = out[i].Start.UTC(), out[i].End.UTC(), out[i].Critical
	}
	p.PlannedEnd = end.UTC()
	return nil
}

// planBuffer holds the planner's input and output between projects, so
// that replanning thousands of them does not allocate for each.
type planBuffer struct {
	in  []schedule.Task
	out []schedule.Slot
}

var planBuffers = sync.Pool{New: func() any { return new(planBuffer) }}

// skeleton returns what the planner needs of a project's tasks that
// depends on its runbook alone (durations, leads, predecessors), built
// once per runbook version and task order and then shared read-only.
func (s *Service) skeleton(tasks []Task, index map[string]int, workday time.Duration) []schedule.Task {
	key := skeletonKey{n: len(tasks), workday: workday}
	if len(tasks) > 0 {
		key.step = tasks[0].Step
	}
	if v, ok := s.skeletons.Load(key); ok {
		sk := v.(*skeleton)
		if sk.fits(tasks) {
			return sk.tasks
		}
	}
	sk := &skeleton{tasks: make([]schedule.Task, len(tasks)), keys: make([]string, len(tasks))}
	for i := range tasks {
		step := tasks[i].Step
		d := step.Planned()
		sk.keys[i] = tasks[i].Key
		sk.tasks[i].Duration = schedule.Duration{Length: d.Length(workday), Elapsed: step.Elapsed || d.OnClock()}
		if step.Lead != nil {
			sk.tasks[i].Lead = schedule.Duration{Length: step.Lead.Length(workday), Elapsed: step.Elapsed || step.Lead.OnClock()}
		}
		for _, a := range step.After {
			sk.tasks[i].After = append(sk.tasks[i].After, index[a])
		}
	}
	s.skeletons.Store(key, sk)
	return sk.tasks
}

// skeleton is the planner's input for one runbook version's tasks in one
// order, and that order.
type skeleton struct {
	tasks []schedule.Task
	keys  []string
}

// fits reports whether tasks are listed in the skeleton's order.
func (sk *skeleton) fits(tasks []Task) bool {
	for i := range tasks {
		if tasks[i].Key != sk.keys[i] {
			return false
		}
	}
	return true
}

// skeletonKey identifies a runbook version's task order: the first
// step's address is unique to a parsed version, and projects of one
// version list the same tasks in the same order.
type skeletonKey struct {
	step    *runbook.Task
	n       int
	workday time.Duration
}

// milestones completes the project when its activation-complete task is
// done and sets the day billing starts by the runbook's rule (C7).
func (s *Service) milestones(ctx context.Context, p *Project, tasks []Task, tp *runbook.Template, now time.Time, st *settled) {
	if p.Status != ProjectActive {
		return
	}
	var complete *Task
	allClosed := true
	for i := range tasks {
		t := &tasks[i]
		if t.Step.Milestone == runbook.MilestoneActivationComplete && t.Status == TaskDone {
			complete = t
		}
		if !t.Closed() {
			allClosed = false
		}
		if tp.Billing.Rule == runbook.BillAtTask && t.Key == tp.Billing.Task && t.Status == TaskDone && p.BillingStart == nil {
			day := s.day(*t.DoneAt)
			p.BillingStart = &day
		}
	}
	if complete == nil && !allClosed {
		return
	}
	done := now
	if complete != nil {
		done = *complete.DoneAt
	}
	p.Status, p.CompletedAt = ProjectCompleted, &done
	if p.BillingStart == nil {
		day := s.day(done)
		if tp.Billing.Rule == runbook.BillFirstOfNextMonth {
			local := done.In(s.cfg.Location)
			day = time.Date(local.Year(), local.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		}
		p.BillingStart = &day
	}
	st.effects = append(st.effects, audit.Record(ctx, "project.complete", "project", p.ID, p.CustomerID,
		map[string]string{"billing_start": p.BillingStart.Format(time.DateOnly)}))
}

// day returns the provider's calendar day of t, as midnight UTC: a date
// without a zone, the way billing dates are kept.
func (s *Service) day(t time.Time) time.Time {
	l := t.In(s.cfg.Location)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// notices gives the tasks that became ready their due date, tells their
// responsible parties and schedules the overdue check; when the project's
// end moved a day or more from what people were last told, it tells the
// PM and the customer.
func (s *Service) notices(ctx context.Context, p *Project, tasks []Task, tp *runbook.Template, st *settled) error {
	for _, i := range st.ready {
		t := &tasks[i]
		s.setDue(p, t, st)
		people, err := s.responsible(ctx, p, t.Party)
		if err != nil {
			return err
		}
		for _, u := range people {
			st.effects = append(st.effects, s.tell(p, t, tp, u, "task_ready")...)
		}
	}
	if p.AnnouncedEnd.IsZero() {
		p.AnnouncedEnd = p.PlannedEnd
	}
	if moved := p.PlannedEnd.Sub(p.AnnouncedEnd); p.Status == ProjectActive && (moved >= 24*time.Hour || moved <= -24*time.Hour) {
		p.AnnouncedEnd = p.PlannedEnd
		people, err := s.concerned(ctx, p)
		if err != nil {
			return err
		}
		for _, u := range people {
			st.effects = append(st.effects, s.tell(p, nil, tp, u, "plan_changed")...)
		}
	}
	return nil
}

// setDue commits the task to its planned end: the date the responsible
// party is held to, and when the overdue check runs. The plan may move on
// (it forecasts); the due date moves only when the PM reschedules.
func (s *Service) setDue(p *Project, t *Task, st *settled) {
	due := t.PlannedEnd
	t.DueAt, t.OverdueNoticeAt = &due, nil
	st.effects = append(st.effects, jobs.New(DueJob, duePayload{TaskID: t.ID, ProjectID: p.ID, DueAt: due}, due))
}

// responsible returns the people who act for a party: the customer's
// principal contact (else its administrators) for the customer, the PM
// for everything the provider or a partner does.
func (s *Service) responsible(ctx context.Context, p *Project, party string) ([]identity.User, error) {
	if party == runbook.PartyCustomer {
		if p.ContactUserID != "" {
			if u, err := s.store.UserByID(ctx, p.ContactUserID); err == nil && !u.Disabled {
				return []identity.User{*u}, nil
			}
		}
		return s.store.CustomerAdmins(ctx, p.CustomerID)
	}
	if p.PMUserID == "" {
		return nil, nil
	}
	u, err := s.store.UserByID(ctx, p.PMUserID)
	if err != nil || u.Disabled {
		return nil, nil
	}
	return []identity.User{*u}, nil
}

// concerned returns the PM and the customer's people for the project.
func (s *Service) concerned(ctx context.Context, p *Project) ([]identity.User, error) {
	customer, err := s.responsible(ctx, p, runbook.PartyCustomer)
	if err != nil {
		return nil, err
	}
	pm, err := s.responsible(ctx, p, runbook.PartyPM)
	return append(customer, pm...), err
}

// tell returns the in-app notification and the e-mail of purpose for one
// person about a project (and a task, when t is not nil).
func (s *Service) tell(p *Project, t *Task, tp *runbook.Template, u identity.User, purpose string) []enlace.Effect {
	lang := u.Locale
	link := "/projects/" + p.ID
	args := map[string]string{"Project": p.Title, "Folio": p.Folio}
	data := map[string]any{"Name": u.FirstName, "Project": p.Title, "Folio": p.Folio, "URL": s.cfg.BaseURL + link}
	if t != nil {
		name := t.Step.Name.In(lang)
		due := t.Due().In(s.cfg.Location).Format("2006-01-02 15:04")
		args["Task"], args["Due"] = name, due
		data["Task"], data["Due"], data["Note"] = name, due, t.Step.Note.In(lang)
		link += "#task-" + t.Key
	} else {
		due := p.PlannedEnd.In(s.cfg.Location).Format("2006-01-02 15:04")
		args["Due"], data["Due"] = due, due
	}
	// Staff read their notifications outside any customer.
	customerID := p.CustomerID
	if u.IsStaff() {
		customerID = ""
	}
	effects := []enlace.Effect{notify.Notification{UserID: u.ID, CustomerID: customerID, Kind: "project",
		TitleKey: "activation.notice." + purpose + ".title", BodyKey: "activation.notice." + purpose + ".body",
		Args: args, Link: link}}
	if s.renderer == nil {
		return effects
	}
	m, err := s.renderer.EmailMessage(lang, purpose, u.Email, data)
	if err != nil {
		slog.Error("render e-mail", "purpose", purpose, "err", err)
		return effects
	}
	m.UserID = u.ID
	return append(effects, m)
}
