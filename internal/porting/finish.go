package porting

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// makeVisible is the job due VisibleWithin after the carrier's FOC: the
// numbers of a confirmed order appear for assignment, if the PM did not
// publish them sooner, and the customer is told.
func (s *Service) makeVisible(ctx context.Context, orderID string) error {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return jobs.Permanent(err)
	}
	if o.VisibleAt != nil || (o.State != StateConfirmed && o.State != StatePorted) {
		return nil
	}
	return s.publish(ctx, o)
}

// Publish makes the numbers of a confirmed order appear for assignment
// now, before the 24 hours after the FOC are up: the PM saw them
// provisioned.
func (s *Service) Publish(ctx context.Context, id string) (*View, error) {
	a, o, err := s.managed(ctx, id)
	if err != nil {
		return nil, err
	}
	if o.State != StateConfirmed || o.VisibleAt != nil {
		return nil, stateError(o)
	}
	if err := s.publish(ctx, o); err != nil {
		return nil, err
	}
	return s.view(ctx, a, o)
}

// publish makes the accepted numbers assignable and tells the customer.
func (s *Service) publish(ctx context.Context, o *Order) error {
	now := s.clock.Now()
	numbers, err := s.showNumbers(ctx, o, now)
	if err != nil {
		return err
	}
	o.UpdatedAt = now
	effects := append(s.tellCustomer(ctx, o, NoticeVisible, "Count", strconv.Itoa(len(numbers))),
		audit.Record(ctx, "port_order.visible", "port_order", o.ID, o.CustomerID, map[string]string{"numbers": strconv.Itoa(len(numbers))}))
	effects = append(effects, s.follow(o)...)
	return s.store.SaveOrder(ctx, Change{Order: o, Numbers: numbers}, effects...)
}

// showNumbers sets the order's visibility and returns its accepted
// numbers made assignable (those not already).
func (s *Service) showNumbers(ctx context.Context, o *Order, now time.Time) ([]numbering.Number, error) {
	if o.VisibleAt == nil {
		o.VisibleAt = &now
	}
	lines, err := s.store.OrderLines(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	var numbers []numbering.Number
	for _, l := range lines {
		if l.Status != LineAccepted {
			continue
		}
		n, err := s.store.NumberByID(ctx, l.NumberID)
		if err != nil {
			return nil, err
		}
		if n.State == numbering.StatePortingIn && n.AssignableAt == nil {
			n.AssignableAt, n.UpdatedAt = &now, now
			numbers = append(numbers, *n)
		}
	}
	return numbers, nil
}

// unassigned returns the accepted numbers of an order not assigned yet.
func (s *Service) unassigned(ctx context.Context, o *Order) ([]string, error) {
	lines, err := s.store.OrderLines(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range lines {
		if l.Status == LineAccepted && l.AssigneeName == "" {
			out = append(out, l.E164)
		}
	}
	return out, nil
}

// remind is the job due the day before the port date: when numbers are
// still unassigned, the PM is told.
func (s *Service) remind(ctx context.Context, orderID string) error {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return jobs.Permanent(err)
	}
	if o.State != StateConfirmed || o.AssignedConfirmedAt != nil {
		return nil
	}
	missing, err := s.unassigned(ctx, o)
	if err != nil || len(missing) == 0 {
		return err
	}
	return s.store.RecordEffects(ctx, s.tellManagers(ctx, o, NoticeUnassigned, "Count", strconv.Itoa(len(missing)))...)
}

// unassignedError refuses a step that needs every accepted number
// assigned, naming the first ones that are not.
func unassignedError(missing []string) error {
	shown := missing[:min(5, len(missing))]
	return enlace.Errorf(enlace.ECONFLICT, "porting.error.unassigned", "Count", len(missing), "Numbers", strings.Join(shown, ", "))
}

// ConfirmAssigned records the PM's confirmation, before the port date,
// that every accepted number of the order is assigned; it is refused
// while one is not.
func (s *Service) ConfirmAssigned(ctx context.Context, id string) (*View, error) {
	a, o, err := s.managed(ctx, id)
	if err != nil {
		return nil, err
	}
	if (o.State != StateConfirmed && o.State != StatePorted) || o.AssignedConfirmedAt != nil {
		return nil, stateError(o)
	}
	if o.VisibleAt == nil {
		return nil, enlace.Errorf(enlace.ECONFLICT, "porting.error.not_visible")
	}
	missing, err := s.unassigned(ctx, o)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, unassignedError(missing)
	}
	now := s.clock.Now()
	o.AssignedConfirmedAt, o.AssignedConfirmedBy, o.UpdatedAt = &now, a.UserID, now
	effects := append([]enlace.Effect{audit.Record(ctx, "port_order.confirm_assigned", "port_order", o.ID, o.CustomerID, nil)}, s.follow(o)...)
	if err := s.store.SaveOrder(ctx, Change{Order: o}, effects...); err != nil {
		return nil, err
	}
	return s.view(ctx, a, o)
}

// Complete confirms a port done: the carrier reported the numbers ported,
// or the FOC date has come. Every accepted number must be assigned (an
// order never completes with an unassigned number); the numbers become
// ported, and the customer is told to cancel the old service.
func (s *Service) Complete(ctx context.Context, id string) (*View, error) {
	a, o, err := s.managed(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if o.State != StatePorted && !(o.State == StateConfirmed && o.FOCDate != nil && !now.Before(*o.FOCDate)) {
		return nil, stateError(o)
	}
	lines, err := s.store.OrderLines(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	var missing []string
	var numbers []numbering.Number
	carriers := map[string]bool{}
	var names []string
	for _, l := range lines {
		if l.Status != LineAccepted {
			continue
		}
		n, err := s.store.NumberByID(ctx, l.NumberID)
		if err != nil {
			return nil, err
		}
		if !n.Assigned() {
			missing = append(missing, l.E164)
			continue
		}
		to, ok := numbering.Next(n.State, numbering.EventPortDone)
		if !ok {
			return nil, enlace.Errorf(enlace.ECONFLICT, "numbering.error.transition", "from", n.State, "event", numbering.EventPortDone)
		}
		n.State, n.UpdatedAt = to, now
		if n.AssignableAt == nil {
			n.AssignableAt = &now
		}
		numbers = append(numbers, *n)
		if !carriers[l.Carrier] {
			carriers[l.Carrier] = true
			names = append(names, l.Carrier)
		}
	}
	if len(missing) > 0 {
		return nil, unassignedError(missing)
	}
	if o.AssignedConfirmedAt == nil {
		o.AssignedConfirmedAt, o.AssignedConfirmedBy = &now, a.UserID
	}
	if o.PortedAt == nil {
		o.PortedAt = &now
	}
	if o.VisibleAt == nil {
		o.VisibleAt = &now
	}
	o.State, o.CompletedAt, o.CompletedBy, o.UpdatedAt = StateCompleted, &now, a.UserID, now
	effects := append(s.tellCustomer(ctx, o, NoticeCompleted, "Carriers", strings.Join(names, ", ")),
		audit.Record(ctx, "port_order.complete", "port_order", o.ID, o.CustomerID, map[string]string{"numbers": strconv.Itoa(len(numbers))}))
	effects = append(effects, s.follow(o)...)
	if err := s.store.SaveOrder(ctx, Change{Order: o, Numbers: numbers}, effects...); err != nil {
		return nil, err
	}
	return s.view(ctx, a, o)
}

// Cancel stops an open order that has not ported: its numbers are given
// up, and a submitted order is withdrawn from the carrier by a job.
func (s *Service) Cancel(ctx context.Context, id, reason string) (*View, error) {
	a, o, err := s.managed(ctx, id)
	if err != nil {
		return nil, err
	}
	if !o.Open() || o.State == StatePorted {
		return nil, stateError(o)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > maxLong {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("reason", "porting.error.reason")})
	}
	lines, err := s.store.OrderLines(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var numbers []numbering.Number
	for _, l := range lines {
		n, err := s.store.NumberByID(ctx, l.NumberID)
		if err != nil {
			return nil, err
		}
		if n.State == numbering.StatePortingIn {
			if err := release(n, now); err != nil {
				return nil, err
			}
			numbers = append(numbers, *n)
		}
	}
	submitted := o.State == StateSubmitted || o.State == StateConfirmed || o.State == StateException
	o.State, o.CancelledAt, o.Reason, o.UpdatedAt = StateCancelled, &now, reason, now
	effects := append(s.tellCustomer(ctx, o, NoticeCancelled),
		audit.Record(ctx, "port_order.cancel", "port_order", o.ID, o.CustomerID, map[string]string{"reason": reason}))
	if submitted {
		effects = append(effects, job(CancelJob, o.ID, time.Time{}))
	}
	if err := s.store.SaveOrder(ctx, Change{Order: o, Numbers: numbers}, effects...); err != nil {
		return nil, err
	}
	s.kick()
	return s.view(ctx, a, o)
}

// withdraw tells the carrier an order was cancelled, retried until it
// has heard.
func (s *Service) withdraw(ctx context.Context, orderID string) error {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return jobs.Permanent(err)
	}
	if o.State != StateCancelled || o.CarrierRef == "" || s.carrier == nil {
		return nil
	}
	return s.carrier.Cancel(ctx, o.CarrierRef, o.ID+"-cancel")
}
