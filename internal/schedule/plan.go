package schedule

import (
	"errors"
	"fmt"
	"time"
)

// Duration is how long a task takes. Work durations count working time in
// the calendar (people's work, business days as multiples of
// Calendar.WorkdayLength); Elapsed durations count wall-clock time (DNS
// propagation, shipping, carrier lead times) and do not wait for working hours.
type Duration struct {
	Length  time.Duration
	Elapsed bool
}

// Task is one task to plan. Tasks are given in topological order: every index
// in After is smaller than the task's own index (Plan returns an error if not).
type Task struct {
	Duration Duration
	// Lead is a minimum wait between the end of the latest predecessor (the
	// project start when there is none) and this task's start: documents due
	// 3 weeks before the port date are a port task with a 3-week Lead after
	// the documents task.
	Lead Duration
	// After are the indexes of the predecessors (finish-to-start).
	After []int
	// NotBefore is the earliest start (a confirmed or requested date); zero
	// means none.
	NotBefore time.Time
	// Skip marks a task that does not apply: it takes no time and passes the
	// end of its predecessors through (no Lead, NotBefore or now).
	Skip bool
	// Started and Finished are the actual dates, zero when not yet. A finished
	// task ends at Finished (and starts at Started, or Finished when unknown);
	// a started one ends at max(Started+Duration, now): an overdue running
	// task ends now at the earliest.
	Started, Finished time.Time
}

// Slot is a task's planned interval and its place on the critical path.
type Slot struct {
	Start, End time.Time
	// Driver is the index of the predecessor whose end (plus Lead) set Start,
	// or -1 when the project start, NotBefore, now or an actual date did.
	Driver int
	// Critical marks the tasks on the critical path: the chain of Drivers back
	// from the task that ends last. Skipped tasks are never marked, though the
	// chain passes through them to their own driver.
	Critical bool
}

// Plan computes the slots of tasks starting no earlier than start. Tasks not
// started yet are never planned before now; the zero now ignores it (a
// template preview). Work tasks start at the calendar's NextWorkStart,
// elapsed ones as soon as they are ready.
//
// Plan fills out, whose length must equal len(tasks) (reuse it: Plan does not
// allocate), and returns the end of the task that ends last, or start when
// there are none. It returns an error for a predecessor that is not an
// earlier task, a negative length, a zero start or a short out; out is then
// partly filled.
func Plan(cal *Calendar, start, now time.Time, tasks []Task, out []Slot) (time.Time, error) {
	switch {
	case cal == nil:
		return time.Time{}, errors.New("schedule: plan: nil calendar")
	case start.IsZero():
		return time.Time{}, errors.New("schedule: plan: zero start")
	case len(out) != len(tasks):
		return time.Time{}, fmt.Errorf("schedule: plan: %d slots for %d tasks", len(out), len(tasks))
	}
	p := planner{cal: cal, start: start.In(cal.loc), now: now}
	last := -1
	for i := range tasks {
		s, err := p.slot(tasks, out, i)
		if err != nil {
			return time.Time{}, err
		}
		out[i] = s
		if last < 0 || !s.End.Before(out[last].End) {
			last = i
		}
	}
	if last < 0 {
		return p.start, nil
	}
	for j := last; j >= 0; j = out[j].Driver {
		out[j].Critical = !tasks[j].Skip
	}
	return out[last].End, nil
}

// planner holds what every task of one Plan call shares.
type planner struct {
	cal        *Calendar
	start, now time.Time
}

// slot plans task i, whose predecessors are already in out.
func (p *planner) slot(tasks []Task, out []Slot, i int) (Slot, error) {
	t := &tasks[i]
	if t.Duration.Length < 0 || t.Lead.Length < 0 {
		return Slot{}, fmt.Errorf("schedule: plan: task %d: negative duration", i)
	}
	latest, driver := p.start, -1
	for n, j := range t.After {
		if j < 0 || j >= i {
			return Slot{}, fmt.Errorf("schedule: plan: task %d: predecessor %d is not an earlier task", i, j)
		}
		if e := out[j].End; n == 0 || e.After(latest) {
			latest, driver = e, j
		}
	}
	switch {
	case t.Skip:
		if latest.Before(p.start) {
			latest, driver = p.start, -1
		}
		return Slot{Start: latest, End: latest, Driver: driver}, nil
	case !t.Finished.IsZero():
		s := t.Started
		if s.IsZero() {
			s = t.Finished
		}
		return Slot{Start: s.In(p.cal.loc), End: t.Finished.In(p.cal.loc), Driver: -1}, nil
	case !t.Started.IsZero():
		end := p.after(t.Started, t.Duration)
		if end.Before(p.now) {
			end = p.now.In(p.cal.loc)
		}
		return Slot{Start: t.Started.In(p.cal.loc), End: end, Driver: -1}, nil
	}

	ready := latest
	if t.Lead.Length > 0 {
		ready = p.after(latest, t.Lead)
	}
	// Each later bound moves the start and takes over as its cause.
	for _, b := range [...]time.Time{p.start, t.NotBefore, p.now} {
		if b.After(ready) {
			ready, driver = b, -1
		}
	}
	if t.Duration.Elapsed {
		return Slot{Start: ready.In(p.cal.loc), End: ready.Add(t.Duration.Length).In(p.cal.loc), Driver: driver}, nil
	}
	c := p.cal
	k := c.nextStart(c.clockOf(ready))
	return Slot{Start: c.time(k), End: c.time(c.addWork(k, int64(t.Duration.Length))), Driver: driver}, nil
}

// after returns t plus d in the calendar: wall-clock or working time.
func (p *planner) after(t time.Time, d Duration) time.Time {
	if d.Elapsed {
		return t.Add(d.Length).In(p.cal.loc)
	}
	return p.cal.AddWork(t, d.Length)
}
