package fakecarrier

import (
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// The carrier's words for its refusals, as a Mexican carrier writes them.
const (
	ReasonNotInCSR     = "Número no encontrado en el CSR del operador actual"
	ReasonNameMismatch = "El nombre de la cuenta no coincide con el del operador actual"
)

// MinWorkdays is how many working days after receipt the earliest FOC
// date is.
const MinWorkdays = 5

// PortHour is the hour of the FOC date, in Mexico City, when the numbers
// move.
const PortHour = 10

// emitDue emits every event due at now, oldest first; an answer may plan a
// port that is due already, which is emitted too. The caller holds g.mu.
func (g *Gateway) emitDue(now time.Time) {
	for len(g.due) > 0 && !g.due[0].at.After(now) {
		s := g.due[0]
		g.due = g.due[1:]
		o := g.byID[s.orderID]
		if s.what == duePort {
			g.port(o, s.at)
		} else {
			g.answer(o, s.at)
		}
	}
}

// answer gives the carrier's answer to an order's latest submission.
func (g *Gateway) answer(o *order, at time.Time) {
	if o.submissions == 1 && strings.Contains(strings.ToUpper(o.req.AccountName), "EXCEPCION") {
		g.emit(o, at, carrier.Event{Kind: porting.EventException, Reason: ReasonNameMismatch})
		return
	}
	answers := make([]porting.EventNumber, len(o.req.Numbers))
	accepted := 0
	for i, n := range o.req.Numbers {
		answers[i] = porting.EventNumber{E164: n.Number, Status: porting.LineAccepted}
		if strings.HasSuffix(n.Number, "9999") {
			answers[i].Status, answers[i].Reason = porting.LineRejected, ReasonNotInCSR
		} else {
			accepted++
		}
	}
	if accepted == 0 {
		g.emit(o, at, carrier.Event{Kind: porting.EventRejected, Reason: ReasonNotInCSR, Numbers: answers})
		return
	}
	o.answers, o.focDate = answers, g.foc(o)
	g.emit(o, at, carrier.Event{Kind: porting.EventAccepted, FOCDate: o.focDate.String(), Numbers: answers})
	loc := g.cfg.Calendar.Location()
	portAt := time.Date(o.focDate.Year, o.focDate.Month, o.focDate.Day, PortHour, 0, 0, 0, loc).UTC()
	// An answer that came after the port's hour (AnswerAfter longer than
	// the lead time) ports at once, never before it was given.
	if portAt.Before(at) {
		portAt = at
	}
	g.schedule(portAt, o.id, duePort)
}

// foc returns the committed date of an order: the requested date, or the
// MinWorkdays-th working day after receipt when that is later, moved to a
// working day.
func (g *Gateway) foc(o *order) schedule.Date {
	cal := g.cfg.Calendar
	d := schedule.DateOf(o.receivedAt.In(cal.Location()))
	for n := 0; n < MinWorkdays; {
		d = d.AddDays(1)
		if cal.IsWorkday(d) {
			n++
		}
	}
	if requested, err := schedule.ParseDate(o.req.RequestedDate); err == nil && requested.After(d) {
		d = requested
	}
	for !cal.IsWorkday(d) {
		d = d.AddDays(1)
	}
	return d
}

// port reports the accepted numbers moved.
func (g *Gateway) port(o *order, at time.Time) {
	var moved []porting.EventNumber
	for _, n := range o.answers {
		if n.Status == porting.LineAccepted {
			moved = append(moved, n)
		}
	}
	g.emit(o, at, carrier.Event{Kind: porting.EventPorted, FOCDate: o.focDate.String(), Numbers: moved})
}
