package servicedesk

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/jobs"
)

const maxReason = 2000

// ActInput is an action on a request and what it needs: a reason to wait,
// reopen or cancel; the solution to resolve; the queue and agent (and
// optionally a new priority) to assign.
type ActInput struct {
	Action     string
	Reason     string
	Resolution string
	Queue      string
	AssigneeID string
	Priority   string
}

// Act takes an action on a request the actor may see (E3, E4): the
// request moves to the action's phase if the actor may take it there, and
// the requester is told.
func (s *Service) Act(ctx context.Context, id string, in ActInput) (*View, error) {
	a, r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.may(a, r, in.Action); err != nil {
		return nil, err
	}
	r, err = s.move(ctx, a, r, in)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, a, r)
}

// may tells whether the actor may take an action on a request now: nil,
// a conflict when the phase does not allow it, or forbidden.
func (s *Service) may(a *enlace.Actor, r *Request, action string) error {
	target, ok := actionTargets[action]
	if !ok {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("action", "servicedesk.error.action")})
	}
	switch action {
	case ActionAssign:
		if !r.Open() {
			return phaseError()
		}
	case ActionResume:
		if r.Phase != PhaseWaitingCustomer {
			return phaseError()
		}
	case ActionReopen:
		if r.Phase != PhaseResolved {
			return phaseError()
		}
	case ActionStart:
		if r.Phase != PhaseNew && r.Phase != PhaseAssigned {
			return phaseError()
		}
	default:
		if !CanTransition(r.Phase, target) {
			return phaseError()
		}
	}
	customer := !a.IsStaff() && !a.ReadOnly
	switch action {
	case ActionClose, ActionReopen, ActionCancel:
		if customer || IsAgent(a) {
			return nil
		}
	default:
		if IsAgent(a) {
			return nil
		}
	}
	return forbidden()
}

func phaseError() error { return enlace.Errorf(enlace.ECONFLICT, "servicedesk.error.phase") }

// mayComment tells whether the actor may add to a request's thread: staff
// until it is closed or cancelled, the customer's people who may change
// things likewise.
func mayComment(a *enlace.Actor, r *Request) bool {
	if r.Phase == PhaseClosed || r.Phase == PhaseCancelled {
		return false
	}
	return a.IsStaff() || !a.ReadOnly
}

// mayAnswer tells whether the actor may answer a request's survey: its
// requester, once the incident is closed.
func mayAnswer(a *enlace.Actor, r *Request) bool {
	return r.Incident && r.Phase == PhaseClosed && r.RequesterID != "" && a.UserID == r.RequesterID
}

// move carries out an action the caller checked; a is nil for the system
// (the job that closes a resolved request).
func (s *Service) move(ctx context.Context, a *enlace.Actor, r *Request, in ActInput) (*Request, error) {
	read, from := r.UpdatedAt, r.Phase
	now := s.clock.Now()
	cal, err := s.calendar.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(in.Reason)
	var errs []enlace.FieldError
	if utf8.RuneCountInString(reason) > maxReason {
		errs = append(errs, enlace.Field("reason", "servicedesk.error.too_long", "Max", maxReason))
	}
	needsReason := in.Action == ActionWait || in.Action == ActionReopen || (in.Action == ActionCancel && a != nil && a.IsStaff())
	if needsReason && reason == "" {
		errs = append(errs, enlace.Field("reason", "servicedesk.error.reason_required"))
	}
	var effects []enlace.Effect
	target := actionTargets[in.Action]
	switch in.Action {
	case ActionAssign:
		prev := r.AssigneeID
		var assignErrs []enlace.FieldError
		target, assignErrs = s.assign(ctx, r, in)
		errs = append(errs, assignErrs...)
		if len(errs) == 0 && r.AssigneeID != "" && r.AssigneeID != prev && (a == nil || r.AssigneeID != a.UserID) {
			effects = append(effects, s.assignedNotices(ctx, r)...)
		}
		if len(errs) == 0 && in.Priority != "" && in.Priority != r.Priority {
			s.reprioritize(r, cal, in.Priority, now)
		}
	case ActionStart:
		if r.AssigneeID == "" && a != nil {
			r.AssigneeID = a.UserID
		}
	case ActionResolve:
		resolution := strings.TrimSpace(in.Resolution)
		switch n := utf8.RuneCountInString(resolution); {
		case n == 0:
			errs = append(errs, enlace.Field("resolution", "servicedesk.error.resolution_required"))
		case n > maxDescription:
			errs = append(errs, enlace.Field("resolution", "servicedesk.error.too_long", "Max", maxDescription))
		}
		steps, err := s.store.RequestSteps(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(steps, func(st Step) bool { return st.Mandatory && st.DoneAt == nil }) {
			errs = append(errs, enlace.Field("checklist", "servicedesk.error.checklist_open"))
		}
		r.Resolution, r.ResolvedAt = resolution, &now
		if r.AssigneeID == "" && a != nil {
			r.AssigneeID = a.UserID
		}
		after := cal.AddWork(now, s.catalog.SLA.CloseAfter.Work(cal.WorkdayLength()))
		effects = append(effects, jobs.New(CloseJob, closePayload{RequestID: r.ID, ResolvedAt: now}, after))
	case ActionClose:
		r.ClosedAt = &now
	case ActionReopen:
		r.ResolvedAt, r.Resolution = nil, ""
	case ActionCancel:
		r.CancelledAt = &now
	}
	if err := enlace.Invalid(errs); err != nil {
		return nil, err
	}
	if target == PhaseWaitingCustomer {
		pause(r, now)
	} else if from == PhaseWaitingCustomer {
		resume(r, cal, now)
	}
	// The agent's first move on the request is its first response.
	if a != nil && a.IsStaff() && r.FirstResponseAt == nil && in.Action != ActionAssign {
		r.FirstResponseAt = &now
	}
	change := Change{Request: r, Read: read, FromPhase: from}
	if target != from {
		r.Phase, r.PhaseChangedAt, r.PhaseReason = target, now, reason
		ev := &Event{Phase: target, Reason: reason}
		if in.Action == ActionResolve {
			ev.Reason = r.Resolution
		}
		if a != nil {
			ev.ActorID, ev.ActorName = a.UserID, a.Name
		}
		change.Event = ev
		effects = append(effects, s.phaseNotices(ctx, a, r)...)
		effects = append(effects, s.changed(ctx, r, EventStatus)...)
	} else {
		effects = append(effects, s.changed(ctx, r, EventAttribute)...)
	}
	effects = append(effects, slaJob(r)...)
	effects = append(effects, audit.Record(ctx, "request.act", "request", r.ID, r.CustomerID,
		map[string]string{"action": in.Action, "from": from, "to": r.Phase, "reason": reason}))
	if err := s.store.SaveRequest(ctx, change, effects...); err != nil {
		return nil, err
	}
	return r, nil
}

// assign sets a request's queue and agent and returns the phase it moves
// to: assigned when it has an agent, new when it has none and was
// assigned, as it was otherwise.
func (s *Service) assign(ctx context.Context, r *Request, in ActInput) (string, []enlace.FieldError) {
	var errs []enlace.FieldError
	if in.Queue != "" {
		if s.catalog.Queue(in.Queue) == nil {
			errs = append(errs, enlace.Field("queue", "servicedesk.error.queue"))
		}
		r.Queue = in.Queue
	}
	if in.Priority != "" && !slices.Contains(Priorities, in.Priority) {
		errs = append(errs, enlace.Field("priority", "servicedesk.error.priority"))
	}
	if in.AssigneeID != "" {
		agents, err := s.store.Agents(ctx)
		if err != nil || !slices.ContainsFunc(agents, func(u identity.User) bool { return u.ID == in.AssigneeID }) {
			errs = append(errs, enlace.Field("assignee", "servicedesk.error.assignee"))
		}
	}
	r.AssigneeID = in.AssigneeID
	switch {
	case r.AssigneeID != "" && r.Phase == PhaseNew:
		return PhaseAssigned, errs
	case r.AssigneeID == "" && r.Phase == PhaseAssigned:
		return PhaseNew, errs
	}
	return r.Phase, errs
}

// Tick records a checklist step done (or undone) by the agent, with who
// and when (E2).
func (s *Service) Tick(ctx context.Context, id, step string, done bool) (*View, error) {
	a, r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !IsAgent(a) {
		return nil, forbidden()
	}
	if !r.Open() {
		return nil, phaseError()
	}
	steps, err := s.store.RequestSteps(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(steps, func(st Step) bool { return st.Key == step })
	if i < 0 {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("step", "servicedesk.error.step")})
	}
	st := &steps[i]
	if (st.DoneAt != nil) == done {
		return s.view(ctx, a, r)
	}
	now := s.clock.Now()
	if done {
		st.DoneAt, st.DoneBy, st.DoneByName = &now, a.UserID, a.Name
	} else {
		st.DoneAt, st.DoneBy, st.DoneByName = nil, "", ""
	}
	read := r.UpdatedAt
	err = s.store.SaveRequest(ctx, Change{Request: r, Read: read, FromPhase: r.Phase, Steps: []Step{*st}},
		audit.Record(ctx, "request.checklist", "request", r.ID, r.CustomerID, map[string]any{"step": step, "done": done}))
	if err != nil {
		return nil, err
	}
	return s.view(ctx, a, r)
}

// CommentInput is a new entry of a request's thread.
type CommentInput struct {
	Body string
	// Internal makes it a note for the provider's staff only.
	Internal bool
}

// Comment adds to a request's thread (E4). A staff reply the customer
// sees is the first response if none came before, and tells the
// requester; a customer's reply to a request waiting on them puts it back
// in progress and tells the agent.
func (s *Service) Comment(ctx context.Context, id string, in CommentInput) (*View, error) {
	a, r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayComment(a, r) {
		if r.Phase == PhaseClosed || r.Phase == PhaseCancelled {
			return nil, phaseError()
		}
		return nil, forbidden()
	}
	if in.Internal && !a.IsStaff() {
		return nil, forbidden()
	}
	body := strings.TrimSpace(in.Body)
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("body", "servicedesk.error.comment_required")})
	case n > maxDescription:
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("body", "servicedesk.error.too_long", "Max", maxDescription)})
	}
	now := s.clock.Now()
	read, from := r.UpdatedAt, r.Phase
	c := &Comment{ID: enlace.NewID(), RequestID: r.ID, AuthorID: a.UserID, AuthorName: a.Name, Staff: a.IsStaff(),
		Internal: in.Internal, Body: body}
	change := Change{Request: r, Read: read, FromPhase: from, Comment: c}
	var effects []enlace.Effect
	switch {
	case a.IsStaff() && !in.Internal:
		if r.FirstResponseAt == nil {
			r.FirstResponseAt = &now
		}
		effects = append(effects, s.commentNotices(ctx, r, c, false)...)
	case !a.IsStaff():
		if r.Phase == PhaseWaitingCustomer {
			cal, err := s.calendar.Calendar(ctx)
			if err != nil {
				return nil, err
			}
			resume(r, cal, now)
			r.Phase, r.PhaseChangedAt, r.PhaseReason = PhaseInProgress, now, ""
			change.Event = &Event{Phase: PhaseInProgress, Reason: "customer_reply", ActorID: a.UserID, ActorName: a.Name}
			effects = append(effects, slaJob(r)...)
		}
		effects = append(effects, s.commentNotices(ctx, r, c, true)...)
	}
	event := EventAttribute
	if change.Event != nil {
		event = EventStatus
	}
	if !in.Internal {
		effects = append(effects, s.changed(ctx, r, event)...)
	}
	effects = append(effects, audit.Record(ctx, "request.comment", "request", r.ID, r.CustomerID,
		map[string]any{"internal": in.Internal}))
	if err := s.store.SaveRequest(ctx, change, effects...); err != nil {
		return nil, err
	}
	return s.view(ctx, a, r)
}

// Attach adds a file to a request (E4), for one of the attachments its
// type needs (key) or as a plain attachment (key empty).
func (s *Service) Attach(ctx context.Context, id string, u Upload) (*View, error) {
	a, r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayComment(a, r) {
		if r.Phase == PhaseClosed || r.Phase == PhaseCancelled {
			return nil, phaseError()
		}
		return nil, forbidden()
	}
	tp := s.catalog.Type(r.TypeKey)
	if u.Key != "" && (tp == nil || !slices.ContainsFunc(tp.Attachments, func(at Attachment) bool { return at.Key == u.Key })) {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("attachment", "servicedesk.error.attachment_unknown")})
	}
	if r.CustomerID == "" {
		return nil, errNoCustomerFiles
	}
	if s.files == nil {
		return nil, errNoFiles
	}
	d, err := s.prepare(ctx, r, tp, u)
	if err != nil {
		return nil, err
	}
	effects := append(s.changed(ctx, r, EventAttribute), *d,
		audit.Record(ctx, "request.attach", "request", r.ID, r.CustomerID, map[string]string{"document": d.ID, "file": d.FileName}))
	err = s.store.SaveRequest(ctx, Change{Request: r, Read: r.UpdatedAt, FromPhase: r.Phase}, effects...)
	if err != nil {
		s.files.Discard(ctx, d)
		return nil, err
	}
	return s.view(ctx, a, r)
}

// UpdateInput changes what a request says; nil fields stay as they are.
type UpdateInput struct {
	Subject     *string
	Description *string
	Priority    *string
	Severity    *string
	TicketType  *string
	External    *string
}

// Update changes an open request's subject, description, priority or the
// TMF621 client's attributes: its agents, or its requester while no agent
// has it. A new priority sets the SLA targets anew from the request's
// creation.
func (s *Service) Update(ctx context.Context, id string, in UpdateInput) (*View, error) {
	a, r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !IsAgent(a) && !(a.UserID == r.RequesterID && !a.ReadOnly && r.Phase == PhaseNew) {
		return nil, forbidden()
	}
	if !r.Open() {
		return nil, phaseError()
	}
	read := r.UpdatedAt
	var errs []enlace.FieldError
	if in.Subject != nil {
		r.Subject = strings.TrimSpace(*in.Subject)
		if n := utf8.RuneCountInString(r.Subject); n == 0 || n > maxSubject {
			errs = append(errs, enlace.Field("subject", "servicedesk.error.too_long", "Max", maxSubject))
		}
	}
	if in.Description != nil {
		r.Description = strings.TrimSpace(*in.Description)
		if n := utf8.RuneCountInString(r.Description); n == 0 || n > maxDescription {
			errs = append(errs, enlace.Field("description", "servicedesk.error.description_required"))
		}
	}
	for _, f := range []struct {
		v    *string
		dst  *string
		name string
		max  int
	}{{in.Severity, &r.Severity, "severity", 100}, {in.TicketType, &r.TicketType, "ticketType", 100}, {in.External, &r.External, "external", 100000}} {
		if f.v == nil {
			continue
		}
		if utf8.RuneCountInString(*f.v) > f.max {
			errs = append(errs, enlace.Field(f.name, "servicedesk.error.too_long", "Max", f.max))
		}
		*f.dst = *f.v
	}
	effects := []enlace.Effect{}
	if in.Priority != nil && *in.Priority != r.Priority {
		if !slices.Contains(Priorities, *in.Priority) {
			errs = append(errs, enlace.Field("priority", "servicedesk.error.priority"))
		} else {
			cal, err := s.calendar.Calendar(ctx)
			if err != nil {
				return nil, err
			}
			s.reprioritize(r, cal, *in.Priority, s.clock.Now())
			effects = append(effects, slaJob(r)...)
		}
	}
	if err := enlace.Invalid(errs); err != nil {
		return nil, err
	}
	effects = append(effects, s.changed(ctx, r, EventAttribute)...)
	effects = append(effects, audit.Record(ctx, "request.update", "request", r.ID, r.CustomerID, map[string]string{"priority": r.Priority}))
	if err := s.store.SaveRequest(ctx, Change{Request: r, Read: read, FromPhase: r.Phase}, effects...); err != nil {
		return nil, err
	}
	return s.view(ctx, a, r)
}

// Delete deletes a request raised by mistake: staff administrators only,
// and only while it is new or once cancelled; a request anyone worked is
// kept for the record.
func (s *Service) Delete(ctx context.Context, id string) error {
	a, r, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	if a.StaffRole != "admin" {
		return forbidden()
	}
	if r.Phase != PhaseNew && r.Phase != PhaseCancelled {
		return enlace.Errorf(enlace.ECONFLICT, "servicedesk.error.delete_phase")
	}
	docs, err := s.documentsOf(ctx, r)
	if err != nil {
		return err
	}
	effects := append(s.changed(ctx, r, EventDelete), audit.Record(ctx, "request.delete", "request", r.ID, r.CustomerID,
		map[string]string{"folio": r.Folio, "phase": r.Phase}))
	for _, d := range docs {
		effects = append(effects, document.DeleteBlob(d.ID))
	}
	return s.store.DeleteRequest(ctx, r.ID, effects...)
}

// documentsOf lists a request's attachments.
func (s *Service) documentsOf(ctx context.Context, r *Request) ([]document.Document, error) {
	docs, _, err := s.store.FindDocuments(ctx, document.Filter{CustomerID: r.CustomerID, RequestID: &r.ID, Limit: 200})
	return docs, err
}
