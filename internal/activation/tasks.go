package activation

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// Task actions; catalogue keys activation.action.<action>.
const (
	ActStart    = "start"    // ready → in progress
	ActComplete = "complete" // ready or in progress → done, the gate permitting
	ActBlock    = "block"    // → blocked, with a reason
	ActUnblock  = "unblock"  // blocked → back where it was
	ActSkip     = "skip"     // → not applicable (staff managing the project)
	ActInclude  = "include"  // not applicable → pending (staff managing the project)
)

// taskEntry returns the audit entry of a task action or a gate passed;
// each action is spelt out so that the audit log's list of actions can be
// checked against the code.
func taskEntry(ctx context.Context, kind string, p *Project, detail map[string]string) audit.Entry {
	switch kind {
	case ActStart:
		return audit.Record(ctx, "project.task.start", "project", p.ID, p.CustomerID, detail)
	case ActComplete:
		return audit.Record(ctx, "project.task.complete", "project", p.ID, p.CustomerID, detail)
	case ActBlock:
		return audit.Record(ctx, "project.task.block", "project", p.ID, p.CustomerID, detail)
	case ActUnblock:
		return audit.Record(ctx, "project.task.unblock", "project", p.ID, p.CustomerID, detail)
	case ActSkip:
		return audit.Record(ctx, "project.task.skip", "project", p.ID, p.CustomerID, detail)
	case ActInclude:
		return audit.Record(ctx, "project.task.include", "project", p.ID, p.CustomerID, detail)
	case runbook.GatePayment:
		return audit.Record(ctx, "project.gate.payment", "project", p.ID, p.CustomerID, detail)
	case runbook.GateSignature:
		return audit.Record(ctx, "project.gate.signature", "project", p.ID, p.CustomerID, detail)
	case runbook.GateDate:
		return audit.Record(ctx, "project.gate.date", "project", p.ID, p.CustomerID, detail)
	}
	return audit.Record(ctx, "project.gate.confirmation", "project", p.ID, p.CustomerID, detail)
}

// maxReason bounds the reasons given for blocking, skipping or cancelling.
const maxReason = 500

// Action is a change to one task asked for by a person.
type Action struct {
	Kind   string
	Reason string // why a task is blocked or skipped
}

// Act applies an action to a task of a project and settles the project:
// successors become ready, the plan moves, the people concerned are told,
// all in one transaction.
func (s *Service) Act(ctx context.Context, projectID, taskID string, act Action) (*View, error) {
	return s.change(ctx, projectID, taskID, func(a *enlace.Actor, p *Project, t *Task, now time.Time) (enlace.Effect, error) {
		if err := s.mayAct(a, p, t, act.Kind); err != nil {
			return nil, err
		}
		from := t.Status
		to, err := applyAction(t, act, now, a)
		if err != nil {
			return nil, err
		}
		detail := map[string]string{"task": t.Key, "from": from, "to": to}
		if act.Reason != "" {
			detail["reason"] = act.Reason
		}
		return taskEntry(ctx, act.Kind, p, detail), nil
	})
}

// mayAct checks the actor's right to an action on a task.
func (s *Service) mayAct(a *enlace.Actor, p *Project, t *Task, kind string) error {
	if p.Status != ProjectActive {
		return enlace.Errorf(enlace.ECONFLICT, "activation.error.project_closed")
	}
	if kind == ActSkip || kind == ActInclude {
		if !CanManage(a) {
			return forbidden(a)
		}
		return nil
	}
	if !CanActOn(a, t.Party) {
		return forbidden(a)
	}
	return nil
}

// forbidden is the refusal for an actor who sees the project but may not
// do what they asked.
func forbidden(a *enlace.Actor) error {
	return enlace.Errorf(enlace.EFORBIDDEN, "activation.error.not_your_task")
}

// applyAction moves the task by the transition table and returns the new
// status.
func applyAction(t *Task, act Action, now time.Time, a *enlace.Actor) (string, error) {
	reason := strings.TrimSpace(act.Reason)
	var to string
	switch act.Kind {
	case ActStart:
		to = TaskInProgress
	case ActComplete:
		to = TaskDone
	case ActBlock:
		to = TaskBlocked
		if reason == "" || len(reason) > maxReason {
			return "", enlace.Invalid([]enlace.FieldError{enlace.Field("reason", "activation.error.reason")})
		}
	case ActUnblock:
		if t.Status != TaskBlocked {
			return "", transitionError(t.Status, "unblock")
		}
		to = t.BlockedFrom
		if to == "" {
			to = TaskPending
		}
	case ActSkip:
		to = TaskNotApplicable
		if len(reason) > maxReason {
			return "", enlace.Invalid([]enlace.FieldError{enlace.Field("reason", "activation.error.reason")})
		}
	case ActInclude:
		to = TaskPending
	default:
		return "", enlace.Invalid([]enlace.FieldError{enlace.Field("action", "activation.error.action")})
	}
	if !CanTransition(t.Status, to) {
		return "", transitionError(t.Status, to)
	}
	if to == TaskDone && t.Step.Gate != nil && t.GateMetAt == nil {
		return "", enlace.Errorf(enlace.ECONFLICT, "activation.error.gate_closed", "gate", t.Step.Gate.Kind)
	}
	switch to {
	case TaskInProgress:
		if t.StartedAt == nil {
			t.StartedAt = &now
		}
	case TaskDone:
		if t.StartedAt == nil {
			t.StartedAt = &now
		}
		t.DoneAt, t.DoneBy = &now, a.UserID
	case TaskBlocked:
		t.BlockedFrom, t.BlockedReason = t.Status, reason
	case TaskNotApplicable:
		t.BlockedReason = reason
	}
	if t.Status == TaskBlocked && to != TaskBlocked {
		t.BlockedFrom, t.BlockedReason = "", ""
	}
	if to == TaskPending && t.Status == TaskNotApplicable {
		t.BlockedReason = ""
	}
	t.Status = to
	return to, nil
}

func transitionError(from, to string) error {
	return enlace.Errorf(enlace.ECONFLICT, "activation.error.transition", "from", from, "to", to)
}

// GateInput is what passing a gate takes: the name of the person who
// signs or confirms, a payment's reference, a confirmed date.
type GateInput struct {
	Name      string
	Reference string
	Date      time.Time
	// Confirm must be true for a confirmation gate: the person ticked that
	// they understand (the point of no return).
	Confirm bool
}

// MeetGate records that a task's gate condition holds. Payments are
// recorded by the staff who manage projects; signatures, dates and
// confirmations by whoever acts on the task, with a person's name; a
// document gate opens only with the document (AttachDocument).
func (s *Service) MeetGate(ctx context.Context, projectID, taskID string, in GateInput) (*View, error) {
	return s.change(ctx, projectID, taskID, func(a *enlace.Actor, p *Project, t *Task, now time.Time) (enlace.Effect, error) {
		if p.Status != ProjectActive {
			return nil, enlace.Errorf(enlace.ECONFLICT, "activation.error.project_closed")
		}
		g := t.Step.Gate
		if g == nil || g.Kind == runbook.GateDocument {
			return nil, enlace.Errorf(enlace.ECONFLICT, "activation.error.no_gate")
		}
		if t.GateMetAt != nil {
			return nil, enlace.Errorf(enlace.ECONFLICT, "activation.error.gate_met")
		}
		if t.Closed() {
			return nil, transitionError(t.Status, "gate")
		}
		allowed := CanActOn(a, t.Party)
		if g.Kind == runbook.GatePayment {
			allowed = CanManage(a) || a.StaffRole == "account_exec"
		}
		if !allowed {
			return nil, forbidden(a)
		}
		detail, err := gateDetail(g.Kind, in, s.cfg.Location)
		if err != nil {
			return nil, err
		}
		if g.Kind == runbook.GateDate {
			d := in.Date.UTC()
			t.NotBefore = &d
		}
		t.GateMetAt, t.GateBy, t.GateDetail = &now, a.UserID, detail
		return taskEntry(ctx, g.Kind, p, map[string]string{"task": t.Key, "detail": detail}), nil
	})
}

// gateDetail checks the input a gate kind needs and returns what is kept
// as its evidence.
func gateDetail(kind string, in GateInput, loc *time.Location) (string, error) {
	name, ref := strings.TrimSpace(in.Name), strings.TrimSpace(in.Reference)
	var fields []enlace.FieldError
	if len(name) > 200 || len(ref) > 200 {
		fields = append(fields, enlace.Field("name", "activation.error.too_long"))
	}
	switch kind {
	case runbook.GatePayment:
		if ref == "" {
			fields = append(fields, enlace.Field("reference", "activation.error.payment_reference"))
		}
		return ref, enlace.Invalid(fields)
	case runbook.GateSignature:
		if name == "" {
			fields = append(fields, enlace.Field("name", "activation.error.signer_name"))
		}
		return name, enlace.Invalid(fields)
	case runbook.GateDate:
		if in.Date.IsZero() {
			fields = append(fields, enlace.Field("date", "activation.error.date"))
		}
		return in.Date.In(loc).Format("2006-01-02 15:04"), enlace.Invalid(fields)
	case runbook.GateConfirmation:
		if name == "" {
			fields = append(fields, enlace.Field("name", "activation.error.confirmer_name"))
		}
		if !in.Confirm {
			fields = append(fields, enlace.Field("confirm", "activation.error.confirm"))
		}
		return name, enlace.Invalid(fields)
	}
	return "", enlace.Invalid(fields)
}

// Reschedule moves a project's start or pins a task to a date (a meeting
// set, a date the customer asked for) and replans everything after it.
func (s *Service) Reschedule(ctx context.Context, projectID, taskID string, at time.Time) (*View, error) {
	if at.IsZero() {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("date", "activation.error.date")})
	}
	if taskID == "" {
		return s.change(ctx, projectID, "", func(a *enlace.Actor, p *Project, _ *Task, now time.Time) (enlace.Effect, error) {
			if !CanManage(a) {
				return nil, forbidden(a)
			}
			if p.Status != ProjectActive {
				return nil, enlace.Errorf(enlace.ECONFLICT, "activation.error.project_closed")
			}
			p.StartAt = at.UTC()
			return audit.Record(ctx, "project.reschedule", "project", p.ID, p.CustomerID,
				map[string]string{"start": p.StartAt.Format(time.RFC3339)}), nil
		})
	}
	return s.change(ctx, projectID, taskID, func(a *enlace.Actor, p *Project, t *Task, now time.Time) (enlace.Effect, error) {
		if !CanManage(a) {
			return nil, forbidden(a)
		}
		if p.Status != ProjectActive {
			return nil, enlace.Errorf(enlace.ECONFLICT, "activation.error.project_closed")
		}
		if t.Closed() || t.StartedAt != nil {
			return nil, transitionError(t.Status, "reschedule")
		}
		d := at.UTC()
		t.NotBefore = &d
		return audit.Record(ctx, "project.reschedule", "project", p.ID, p.CustomerID,
			map[string]string{"task": t.Key, "not_before": d.Format(time.RFC3339)}), nil
	})
}

// Cancel stops a project; its tasks stay as they were, for the record.
func (s *Service) Cancel(ctx context.Context, projectID, reason string) (*View, error) {
	reason = strings.TrimSpace(reason)
	return s.change(ctx, projectID, "", func(a *enlace.Actor, p *Project, _ *Task, now time.Time) (enlace.Effect, error) {
		if !CanManage(a) {
			return nil, forbidden(a)
		}
		if p.Status != ProjectActive {
			return nil, enlace.Errorf(enlace.ECONFLICT, "activation.error.project_closed")
		}
		if len(reason) > maxReason {
			return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("reason", "activation.error.reason")})
		}
		p.Status, p.CancelledAt = ProjectCancelled, &now
		return audit.Record(ctx, "project.cancel", "project", p.ID, p.CustomerID, map[string]string{"reason": reason}), nil
	})
}

// change loads a project (and one of its tasks, when taskID is set) the
// actor may see, lets fn change them, settles the project and saves it
// with fn's effect and the settling's, if nobody changed it meanwhile.
//
// more, when given, returns further effects once fn has run (a document
// fn prepared).
func (s *Service) change(ctx context.Context, projectID, taskID string,
	fn func(a *enlace.Actor, p *Project, t *Task, now time.Time) (enlace.Effect, error), more ...func() []enlace.Effect) (*View, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, tasks, tp, err := s.load(ctx, a, projectID)
	if err != nil {
		return nil, err
	}
	read := p.UpdatedAt
	var t *Task
	if taskID != "" {
		for i := range tasks {
			if tasks[i].ID == taskID && (a.IsStaff() || !tasks[i].Internal) {
				t = &tasks[i]
			}
		}
		if t == nil {
			return nil, notFound()
		}
	}
	before, was := slices.Clone(tasks), p.Status
	effect, err := fn(a, p, t, s.clock.Now())
	if err != nil {
		return nil, err
	}
	effects := []enlace.Effect{effect}
	for _, m := range more {
		effects = append(effects, m()...)
	}
	if err := s.apply(ctx, p, was, read, before, tasks, tp, effects...); err != nil {
		return nil, err
	}
	return s.view(a, p, tasks, tp), nil
}

// apply settles a changed project and saves it, with the tasks that
// differ from before, the extra effects (nil ones skipped) and the
// effects of settling.
// was is the project's status before the change.
func (s *Service) apply(ctx context.Context, p *Project, was string, read time.Time, before, tasks []Task, tp *runbook.Template, extra ...enlace.Effect) error {
	st, err := s.settle(ctx, p, tasks, tp)
	if err != nil {
		return err
	}
	if p.Status != was {
		st.effects = append(st.effects, statusChanged(p)...)
	}
	var changed []Task
	for i := range tasks {
		if !sameTask(&before[i], &tasks[i]) {
			changed = append(changed, tasks[i])
		}
	}
	var effects []enlace.Effect
	for _, e := range extra {
		if e != nil {
			effects = append(effects, e)
		}
	}
	return s.store.SaveProject(ctx, p, read, changed, append(effects, st.effects...)...)
}

// sameTask reports whether nothing stored of a task differs.
func sameTask(x, y *Task) bool {
	return x.Status == y.Status && x.BlockedReason == y.BlockedReason && x.BlockedFrom == y.BlockedFrom &&
		x.PlannedStart.Equal(y.PlannedStart) && x.PlannedEnd.Equal(y.PlannedEnd) && x.Critical == y.Critical &&
		timeEq(x.NotBefore, y.NotBefore) && timeEq(x.StartedAt, y.StartedAt) && timeEq(x.DoneAt, y.DoneAt) &&
		timeEq(x.GateMetAt, y.GateMetAt) && timeEq(x.DueAt, y.DueAt) &&
		timeEq(x.OverdueNoticeAt, y.OverdueNoticeAt) && x.GateDetail == y.GateDetail
}

func timeEq(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
