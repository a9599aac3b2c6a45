package porting

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// Job kinds.
const (
	SubmitJob  = "porting.submit"  // send a signed order to the carrier
	PollJob    = "porting.poll"    // ask the carrier for events a webhook may have lost
	VisibleJob = "porting.visible" // make the numbers appear, FOC + 24 h at the latest
	RemindJob  = "porting.remind"  // the day before the port date: numbers still unassigned?
	CancelJob  = "porting.cancel"  // withdraw a cancelled order from the carrier
	FollowJob  = "porting.follow"  // move the project's porting tasks
)

// Register makes runner do the porting's jobs.
func (s *Service) Register(r *jobs.Runner) {
	r.Handle(SubmitJob, s.handle(s.submit))
	r.Handle(PollJob, s.handle(s.poll))
	r.Handle(VisibleJob, s.handle(s.makeVisible))
	r.Handle(RemindJob, s.handle(s.remind))
	r.Handle(CancelJob, s.handle(s.withdraw))
	r.Handle(FollowJob, s.handle(s.followProject))
	s.wake = r.Wake
}

func (s *Service) handle(fn func(ctx context.Context, orderID string) error) jobs.Handler {
	return func(ctx context.Context, j jobs.Job) error {
		var p jobPayload
		if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
			return jobs.Permanent(fmt.Errorf("porting job payload: %w", err))
		}
		return fn(ctx, p.OrderID)
	}
}

// Submit sends a signed order to the carrier — or, after an exception,
// sends it again — if the documents keep the lead time: the CSR and the
// current phone bill must have been in three weeks before the requested
// date. The sending is a job, retried with the same idempotency key until
// the carrier has the order, so a timeout never sends it twice.
func (s *Service) Submit(ctx context.Context, id string) (*View, error) {
	a, o, err := s.managed(ctx, id)
	if err != nil {
		return nil, err
	}
	if o.State != StateSigned && o.State != StateException {
		return nil, stateError(o)
	}
	if o.Signature == nil {
		return nil, enlace.Errorf(enlace.ECONFLICT, "porting.error.unsigned")
	}
	if s.carrier == nil {
		return nil, enlace.Errorf(enlace.ECONFLICT, "porting.error.no_carrier")
	}
	docs, err := s.documents(ctx, o)
	if err != nil {
		return nil, err
	}
	e, err := s.earliest(ctx, o, docs)
	if err != nil {
		return nil, err
	}
	if len(e.Missing) > 0 {
		return nil, enlace.Errorf(enlace.ECONFLICT, "porting.error.documents_missing", "Missing", e.Missing[0])
	}
	if !e.Allows(o.RequestedDate, s.cfg.Location) {
		return nil, enlace.Errorf(enlace.ECONFLICT, "porting.error.too_soon", "Date", e.Date.String(),
			"Received", e.Args["Received"])
	}
	now := s.clock.Now()
	o.Submissions++
	o.SubmissionKey = o.ID + "-" + strconv.Itoa(o.Submissions)
	// A new submission gets the carrier's reference anew from its
	// receipt; events naming an earlier one are not applied.
	o.State, o.SubmittedAt, o.Reason, o.CarrierRef, o.UpdatedAt = StateSubmitted, &now, "", "", now
	effects := []enlace.Effect{
		audit.Record(ctx, "port_order.submit", "port_order", o.ID, o.CustomerID,
			map[string]string{"key": o.SubmissionKey, "requested": o.RequestedDate.Format(time.DateOnly)}),
		job(SubmitJob, o.ID, time.Time{}),
	}
	effects = append(effects, s.follow(o)...)
	if err := s.store.SaveOrder(ctx, Change{Order: o}, effects...); err != nil {
		return nil, err
	}
	s.kick()
	return s.view(ctx, a, o)
}

func (s *Service) kick() {
	if s.wake != nil {
		s.wake()
	}
}

// submit sends the order's current submission to the carrier. A timeout
// or a carrier error returns the error and the job retries with the same
// key; a refusal of the order itself moves it to exception with the
// carrier's reason.
func (s *Service) submit(ctx context.Context, orderID string) error {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return jobs.Permanent(err)
	}
	if o.State != StateSubmitted || o.CarrierRef != "" {
		return nil // the carrier has it already, or it was withdrawn
	}
	if s.carrier == nil {
		return fmt.Errorf("porting: no carrier gateway configured")
	}
	lines, err := s.store.OrderLines(ctx, o.ID)
	if err != nil {
		return err
	}
	c, err := s.store.CustomerByID(ctx, o.CustomerID)
	if err != nil {
		return err
	}
	pdf, err := s.writeLOA(o, lines, c.Name, o.Signature)
	if err != nil {
		return err
	}
	receipt, err := s.carrier.Submit(ctx, Submission{Key: o.SubmissionKey, OrderID: o.ID, RequestedDate: o.RequestedDate,
		AccountName: o.AccountName, Address: o.ServiceAddress, Numbers: lines, LOA: pdf, LOASHA256: sum(pdf)})
	if code := enlace.ErrorCode(err); code == enlace.EINVALID || code == enlace.ECONFLICT {
		return s.retrying(ctx, o.ID, func(o *Order) ([]enlace.Effect, error) {
			if o.State != StateSubmitted {
				return nil, nil
			}
			o.State, o.Reason = StateException, carrierReason(err)
			return append(s.tellManagers(ctx, o, NoticeRefused),
				audit.Record(ctx, "port_order.refused", "port_order", o.ID, o.CustomerID, map[string]string{"reason": o.Reason})), nil
		})
	} else if err != nil {
		return err
	}
	return s.retrying(ctx, o.ID, func(o *Order) ([]enlace.Effect, error) {
		if o.CarrierRef == receipt.CarrierRef {
			return nil, nil
		}
		o.CarrierRef = receipt.CarrierRef
		return []enlace.Effect{job(PollJob, o.ID, s.clock.Now().Add(s.cfg.PollEvery))}, nil
	})
}

// carrierReason is the carrier's reason for refusing a submission.
func carrierReason(err error) string {
	if e := enlace.AsError(err); e != nil {
		if r, ok := e.Args["reason"]; ok {
			return fmt.Sprint(r)
		}
	}
	return err.Error()
}

// retrying loads an order, lets fn change it and saves it with fn's
// effects; when someone else saved the order meanwhile (a webhook and a
// poll at once), it reads it again and retries. fn returning no effects
// and no error means there is nothing to do.
func (s *Service) retrying(ctx context.Context, id string, fn func(o *Order) ([]enlace.Effect, error)) error {
	for attempt := 0; ; attempt++ {
		o, err := s.store.OrderByID(ctx, id)
		if err != nil {
			return err
		}
		before := *o
		effects, err := fn(o)
		if err != nil || effects == nil && *o == before {
			return err
		}
		o.UpdatedAt = s.clock.Now()
		effects = append(effects, s.follow(o)...)
		err = s.store.SaveOrder(ctx, Change{Order: o}, effects...)
		if enlace.ErrorCode(err) != enlace.ECONFLICT || attempt == 3 {
			return err
		}
	}
}

// poll asks the carrier for the events of an order a webhook may have
// lost, applies them and asks again later while the order is open.
func (s *Service) poll(ctx context.Context, orderID string) error {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return jobs.Permanent(err)
	}
	if !o.Open() || o.CarrierRef == "" || s.carrier == nil {
		return nil
	}
	seen, err := s.store.OrderEvents(ctx, o.ID)
	if err != nil {
		return err
	}
	after := ""
	for _, ev := range seen {
		if ev.CarrierRef == o.CarrierRef {
			after = ev.ID
		}
	}
	evs, err := s.carrier.Events(ctx, o.CarrierRef, after)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		if err := s.CarrierEvent(ctx, ev); err != nil && enlace.ErrorCode(err) != enlace.ENOTFOUND {
			return err
		}
	}
	o, err = s.store.OrderByID(ctx, orderID)
	if err != nil || !o.Open() {
		return err
	}
	// The next poll changes nothing of the order: saving the order for it
	// would bump its version under a person editing it.
	return s.store.RecordEffects(ctx, job(PollJob, o.ID, s.clock.Now().Add(s.cfg.PollEvery)))
}

// CarrierEvent applies an event from the carrier (its webhook or a poll).
// The same event twice is applied once; an event older than the last one
// applied is kept for the record but not applied (the carrier's later
// word stands); an event the order is not ready for yet (ported before
// accepted) is kept and applied once the events before it arrive.
func (s *Service) CarrierEvent(ctx context.Context, ev Event) error {
	if ev.ID == "" || ev.OrderID == "" {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("id", "porting.error.event")})
	}
	seen, err := s.store.EventSeen(ctx, ev.ID)
	if err != nil || seen {
		return err
	}
	if _, err := s.store.OrderByID(ctx, ev.OrderID); err != nil {
		return err
	}
	ev.ReceivedAt = s.clock.Now()
	applied, err := s.applyEvent(ctx, ev)
	if err != nil {
		return err
	}
	if !applied {
		ev.Applied = false
		return s.store.RecordEvent(ctx, &ev)
	}
	return s.replayPending(ctx, ev.OrderID)
}

// replayPending applies, in the carrier's order, the events kept for an
// order because they came before the order could take them.
func (s *Service) replayPending(ctx context.Context, orderID string) error {
	for {
		evs, err := s.store.OrderEvents(ctx, orderID)
		if err != nil {
			return err
		}
		o, err := s.store.OrderByID(ctx, orderID)
		if err != nil {
			return err
		}
		progressed := false
		for _, ev := range evs {
			if ev.Applied || o.LastEventAt != nil && !ev.OccurredAt.After(*o.LastEventAt) {
				continue
			}
			if err := s.decodeEvent(&ev); err != nil {
				continue
			}
			applied, err := s.applyEvent(ctx, ev)
			if err != nil {
				return err
			}
			if applied {
				progressed = true
				break
			}
		}
		if !progressed {
			return nil
		}
	}
}

// eventPayload is what a kept event's payload gives back: the carrier's
// event as received (docs/carrier.md) has these fields, and events that
// came without a payload are kept in the same shape.
type eventPayload struct {
	FOCDate string        `json:"focDate,omitempty"` // YYYY-MM-DD
	Reason  string        `json:"reason,omitempty"`
	Numbers []EventNumber `json:"numbers,omitempty"`
}

// decodeEvent fills the fields of a kept event from its payload.
func (s *Service) decodeEvent(ev *Event) error {
	if ev.Payload == "" {
		return nil
	}
	var p eventPayload
	if err := json.Unmarshal([]byte(ev.Payload), &p); err != nil {
		return err
	}
	ev.Reason, ev.Numbers = p.Reason, p.Numbers
	if p.FOCDate != "" {
		foc, err := time.ParseInLocation(time.DateOnly, p.FOCDate, s.cfg.Location)
		if err != nil {
			return err
		}
		foc = foc.UTC()
		ev.FOCDate = &foc
	}
	return nil
}

// applyEvent applies one event if the order can take it; applied false
// means it was stale or came too early.
func (s *Service) applyEvent(ctx context.Context, ev Event) (bool, error) {
	if ev.Payload == "" {
		p := eventPayload{Reason: ev.Reason, Numbers: ev.Numbers}
		if ev.FOCDate != nil {
			p.FOCDate = ev.FOCDate.In(s.cfg.Location).Format(time.DateOnly)
		}
		b, err := json.Marshal(p)
		if err != nil {
			return false, err
		}
		ev.Payload = string(b)
	}
	for attempt := 0; ; attempt++ {
		o, err := s.store.OrderByID(ctx, ev.OrderID)
		if err != nil {
			return false, err
		}
		if o.LastEventAt != nil && ev.OccurredAt.Before(*o.LastEventAt) {
			return false, nil
		}
		if ev.CarrierRef != "" && o.CarrierRef != "" && ev.CarrierRef != o.CarrierRef {
			return false, nil // an earlier submission's event
		}
		c, effects, ok, err := s.eventChange(ctx, o, ev)
		if err != nil || !ok {
			return false, err
		}
		ev.Applied = true
		c.Event = &ev
		o.LastEventAt = &ev.OccurredAt
		o.UpdatedAt = s.clock.Now()
		effects = append(effects, eventEntry(ctx, o, ev))
		effects = append(effects, s.follow(o)...)
		err = s.store.SaveOrder(ctx, c, effects...)
		if err == nil {
			return true, nil
		}
		if enlace.AsError(err) != nil && enlace.AsError(err).Message == "porting.error.event_seen" {
			return true, nil // the same event, applied by a concurrent delivery
		}
		if enlace.ErrorCode(err) != enlace.ECONFLICT || attempt == 3 {
			return false, err
		}
	}
}

// eventEntry returns the audit entry of a carrier event applied to an
// order, spelt out per kind so that the audit log's list of actions can
// be checked against the code.
func eventEntry(ctx context.Context, o *Order, ev Event) audit.Entry {
	detail := map[string]string{"event": ev.ID, "reason": ev.Reason}
	switch ev.Kind {
	case EventReceived:
		return audit.Record(ctx, "port_order.carrier_received", "port_order", o.ID, o.CustomerID, detail)
	case EventAccepted:
		return audit.Record(ctx, "port_order.carrier_accepted", "port_order", o.ID, o.CustomerID, detail)
	case EventException:
		return audit.Record(ctx, "port_order.carrier_exception", "port_order", o.ID, o.CustomerID, detail)
	case EventRejected:
		return audit.Record(ctx, "port_order.carrier_rejected", "port_order", o.ID, o.CustomerID, detail)
	}
	return audit.Record(ctx, "port_order.carrier_ported", "port_order", o.ID, o.CustomerID, detail)
}

// eventChange works out what an event does to an order; ok false when
// the order is in no state to take it.
func (s *Service) eventChange(ctx context.Context, o *Order, ev Event) (Change, []enlace.Effect, bool, error) {
	c := Change{Order: o}
	now := s.clock.Now()
	switch ev.Kind {
	case EventReceived:
		if o.State != StateSubmitted {
			return c, nil, false, nil
		}
		if o.CarrierRef == "" {
			o.CarrierRef = ev.CarrierRef
		}
		return c, nil, true, nil
	case EventAccepted:
		if (o.State != StateSubmitted && o.State != StateException) || ev.FOCDate == nil {
			return c, nil, false, nil
		}
		lines, numbers, rejected, err := s.answerLines(ctx, o, ev.Numbers, now)
		if err != nil {
			return c, nil, false, err
		}
		c.Lines, c.Numbers = lines, numbers
		foc := ev.FOCDate.UTC()
		o.FOCDate, o.FOCReceivedAt, o.Reason = &foc, &now, ""
		if rejected == len(lines) {
			o.State = StateRejected
			return c, s.tellBoth(ctx, o, NoticeRejected), true, nil
		}
		o.State = StateConfirmed
		effects := []enlace.Effect{job(VisibleJob, o.ID, now.Add(VisibleWithin)),
			job(RemindJob, o.ID, foc.Add(-24*time.Hour))}
		notice := NoticeAccepted
		if rejected > 0 {
			notice = NoticePartial
		}
		return c, append(effects, s.tellBoth(ctx, o, notice, "Rejected", strconv.Itoa(rejected))...), true, nil
	case EventException:
		if o.State != StateSubmitted && o.State != StateConfirmed {
			return c, nil, false, nil
		}
		o.State, o.Reason = StateException, ev.Reason
		return c, s.tellBoth(ctx, o, NoticeException), true, nil
	case EventRejected:
		if o.State != StateSubmitted && o.State != StateException && o.State != StateConfirmed {
			return c, nil, false, nil
		}
		all := make([]EventNumber, 0)
		lines, err := s.store.OrderLines(ctx, o.ID)
		if err != nil {
			return c, nil, false, err
		}
		for _, l := range lines {
			if l.Status != LineRejected {
				all = append(all, EventNumber{E164: l.E164, Status: LineRejected, Reason: ev.Reason})
			}
		}
		c.Lines, c.Numbers, _, err = s.answerLines(ctx, o, all, now)
		if err != nil {
			return c, nil, false, err
		}
		o.State, o.Reason = StateRejected, ev.Reason
		return c, s.tellBoth(ctx, o, NoticeRejected), true, nil
	case EventPorted:
		if o.State != StateConfirmed {
			return c, nil, false, nil
		}
		o.State, o.PortedAt = StatePorted, &now
		numbers, err := s.showNumbers(ctx, o, now)
		if err != nil {
			return c, nil, false, err
		}
		c.Numbers = numbers
		return c, s.tellManagers(ctx, o, NoticePorted), true, nil
	}
	return c, nil, false, nil
}

// answerLines applies the carrier's per-number answers: numbers it names
// as rejected are rejected and given up; every other pending number is
// accepted. It returns the changed lines and numbers and how many lines
// are rejected in all.
func (s *Service) answerLines(ctx context.Context, o *Order, answers []EventNumber, now time.Time) ([]Line, []numbering.Number, int, error) {
	lines, err := s.store.OrderLines(ctx, o.ID)
	if err != nil {
		return nil, nil, 0, err
	}
	var changed []Line
	var numbers []numbering.Number
	rejected := 0
	for _, l := range lines {
		i := slices.IndexFunc(answers, func(a EventNumber) bool { return a.E164 == l.E164 })
		switch {
		case l.Status == LineRejected:
			rejected++
			continue
		case i >= 0 && answers[i].Status == LineRejected:
			l.Status, l.Reason = LineRejected, answers[i].Reason
			rejected++
			n, err := s.store.NumberByID(ctx, l.NumberID)
			if err != nil {
				return nil, nil, 0, err
			}
			if n.State == numbering.StatePortingIn {
				if err := release(n, now); err != nil {
					return nil, nil, 0, err
				}
				numbers = append(numbers, *n)
			}
		case l.Status == LinePending:
			l.Status = LineAccepted
		default:
			continue
		}
		changed = append(changed, l)
	}
	return changed, numbers, rejected, nil
}
