package schedule

import "time"

// clock is an instant in calendar terms: a local day number and the
// nanoseconds since that day's local midnight (reckoned with the day's noon
// offset). The working-time arithmetic runs on clocks so that it never asks
// the time.Location anything.
type clock struct {
	day, ns int64
}

// clockOf returns t as a clock.
func (c *Calendar) clockOf(t time.Time) clock {
	u := t.Unix()
	d0 := floorDiv(u, 86400)
	off := c.offset(d0)
	local := u + off
	d := floorDiv(local, 86400)
	// The UTC date and the local date differ for part of every day; the
	// local day's own offset is the one that places its working hours.
	if d != d0 {
		if o := c.offset(d); o != off {
			local = u + o
			d = floorDiv(local, 86400)
		}
	}
	return clock{d, (local-d*86400)*int64(time.Second) + int64(t.Nanosecond())}
}

// time returns k as a time in the calendar's location.
func (c *Calendar) time(k clock) time.Time {
	sec := k.day*86400 + k.ns/int64(time.Second) - c.offset(k.day)
	return time.Unix(sec, k.ns%int64(time.Second)).In(c.loc)
}

// nextStart returns k when it is inside working hours of a working day, else
// the start of the next working period.
func (c *Calendar) nextStart(k clock) clock {
	if c.workday(k.day) {
		if k.ns < c.workStart {
			return clock{k.day, c.workStart}
		}
		if k.ns < c.workEnd {
			return k
		}
	}
	// Terminates: New demands a working weekday and holidays are finite.
	d := k.day + 1
	for !c.workday(d) {
		d++
	}
	return clock{d, c.workStart}
}

// addWork returns the clock after d nanoseconds of working time from k.
func (c *Calendar) addWork(k clock, d int64) clock {
	k = c.nextStart(k)
	left := c.workEnd - k.ns
	if d <= left {
		return clock{k.day, k.ns + d}
	}
	d -= left
	// d > 0 is left: full whole working days pass, and the day after them
	// takes the rest, which is in (0, one day].
	length := c.workEnd - c.workStart
	full := (d - 1) / length
	rest := d - full*length
	day := k.day
	for n := full + 1; n > 0; {
		day++
		if c.workday(day) {
			n--
		}
	}
	return clock{day, c.workStart + rest}
}

// workBetween returns the working time from a to b; zero unless a is before b.
func (c *Calendar) workBetween(a, b clock) int64 {
	if a.day > b.day || (a.day == b.day && a.ns >= b.ns) {
		return 0
	}
	clip := func(ns int64) int64 { return min(max(ns, c.workStart), c.workEnd) }
	if a.day == b.day {
		if !c.workday(a.day) {
			return 0
		}
		return clip(b.ns) - clip(a.ns)
	}
	var total int64
	if c.workday(a.day) {
		total += c.workEnd - clip(a.ns)
	}
	for d := a.day + 1; d < b.day; d++ {
		if c.workday(d) {
			total += c.workEnd - c.workStart
		}
	}
	if c.workday(b.day) {
		total += clip(b.ns) - c.workStart
	}
	return total
}

// NextWorkStart returns t (in the calendar's location) when t is inside the
// working hours of a working day, else the start of the next working period.
// A t exactly at the end of the working hours moves to the next working day.
func (c *Calendar) NextWorkStart(t time.Time) time.Time {
	k := c.clockOf(t)
	if n := c.nextStart(k); n != k {
		return c.time(n)
	}
	return t.In(c.loc)
}

// AddWork returns the instant when d of working time has passed after t,
// counting only the working hours of working days; from a t outside working
// hours the count starts at the next working start, so AddWork(t, 0) is
// NextWorkStart(t). A result landing exactly at the end of a day's working
// hours stays there rather than moving to the next morning. A negative d
// counts as zero.
//
// A business day of work is WorkdayLength: with hours 9–18, one business day
// from Monday 09:00 ends Monday 18:00, and from Monday 14:00 ends Tuesday 14:00.
func (c *Calendar) AddWork(t time.Time, d time.Duration) time.Time {
	return c.time(c.addWork(c.clockOf(t), max(int64(d), 0)))
}

// WorkBetween returns the working time between a and b, zero when b is not
// after a. It is the inverse of AddWork: WorkBetween(t, AddWork(t, d)) == d.
func (c *Calendar) WorkBetween(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	return time.Duration(c.workBetween(c.clockOf(a), c.clockOf(b)))
}
