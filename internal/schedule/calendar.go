// Package schedule plans projects on a provider's working calendar: working
// hours, working weekdays and holidays in the provider's time zone. The
// planner (Plan) places runbook tasks; the same Calendar gives service desk
// SLA clocks (AddWork, WorkBetween).
package schedule

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Config describes a working calendar for New.
type Config struct {
	// Location is the provider's time zone; nil means America/Mexico_City.
	Location *time.Location
	// WorkStart and WorkEnd are the working hours in minutes after local
	// midnight; both zero means 9*60 and 18*60.
	WorkStart, WorkEnd int
	// Weekdays are the working days of the week; nil means Monday to Friday.
	// An empty non-nil slice is an error (a calendar with no working day).
	Weekdays []time.Weekday
	// Holidays are the days off, already resolved to dates. nil means the
	// Mexican federal holidays (MexicanFederalHolidays) of the years 1970–2100;
	// an empty non-nil slice means none. Holidays of years not given are
	// working days, so give every year you plan in.
	Holidays []Holiday
	// Workdays are working days that override a holiday or a weekend.
	Workdays []Date
}

// Calendar is a provider's working calendar. It is immutable and safe for
// concurrent use. It reads each day in the UTC offset the zone has at local
// noon: zones change offset at night, so working hours that do not span a
// change are exact.
type Calendar struct {
	loc                *time.Location
	workStart, workEnd int64 // nanoseconds after local midnight
	weekdays           [7]bool
	off, on            map[int64]bool // holidays and Workdays, by day number
	holidays           []Holiday      // sorted by date, without those overridden

	// days caches, for every day number in [0, len(days)) (1970–2100), whether
	// it is a working day (workBit) and the index into offsets of the zone's
	// UTC offset at local noon. Days outside use the same rules uncached.
	days    []uint8
	offsets []int64 // seconds east of UTC
}

const (
	workBit    = 0x80
	offsetMask = 0x7f

	firstYear = 1970 // day number 0, the first day of the table
	lastYear  = 2100 // the last year of the table and of the default holidays

	nsPerDay = int64(24 * time.Hour)
)

// New returns the calendar described by cfg, or an error when cfg is invalid.
func New(cfg Config) (*Calendar, error) {
	c := &Calendar{loc: cfg.Location, off: map[int64]bool{}, on: map[int64]bool{}}
	if c.loc == nil {
		loc, err := time.LoadLocation("America/Mexico_City")
		if err != nil {
			return nil, fmt.Errorf("schedule: default location: %w", err)
		}
		c.loc = loc
	}
	start, end := cfg.WorkStart, cfg.WorkEnd
	if start == 0 && end == 0 {
		start, end = 9*60, 18*60
	}
	if start < 0 || end > 24*60 || start >= end {
		return nil, fmt.Errorf("schedule: working hours %d–%d minutes: want 0 <= start < end <= 1440", start, end)
	}
	c.workStart, c.workEnd = int64(start)*int64(time.Minute), int64(end)*int64(time.Minute)

	weekdays := cfg.Weekdays
	if weekdays == nil {
		weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	if len(weekdays) == 0 {
		return nil, errors.New("schedule: no working weekday")
	}
	for _, w := range weekdays {
		if w < time.Sunday || w > time.Saturday {
			return nil, fmt.Errorf("schedule: weekday %d out of range", int(w))
		}
		c.weekdays[w] = true
	}

	if err := c.setDays(cfg.Holidays, cfg.Workdays); err != nil {
		return nil, err
	}
	c.buildTable()
	return c, nil
}

// setDays records the holidays and the overriding working days.
func (c *Calendar) setDays(holidays []Holiday, workdays []Date) error {
	if holidays == nil {
		holidays = MexicanFederalHolidays(firstYear, lastYear)
	}
	for _, d := range workdays {
		if !d.valid() {
			return fmt.Errorf("schedule: working day %v is not a date", d)
		}
		c.on[d.day()] = true
	}
	for _, h := range holidays {
		if !h.Date.valid() {
			return fmt.Errorf("schedule: holiday %q: %v is not a date", h.Key+h.Name, h.Date)
		}
		if h.Key == "" && h.Name == "" {
			return fmt.Errorf("schedule: holiday %v has neither key nor name", h.Date)
		}
		c.off[h.Date.day()] = true
		if !c.on[h.Date.day()] {
			c.holidays = append(c.holidays, h)
		}
	}
	slices.SortStableFunc(c.holidays, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return nil
}

// buildTable fills days and offsets. The zone's offset changes a few times a
// year at most, so it asks the location only when noon leaves the bounds of
// the zone period found last (time.Time.ZoneBounds), not once per day.
func (c *Calendar) buildTable() {
	n := Date{lastYear + 1, time.January, 1}.day()
	days := make([]uint8, n)
	var off, from, until int64
	idx := -1
	for d := int64(0); d < n; d++ {
		noon := d*86400 + 43200 - off
		if idx < 0 || noon < from || noon >= until {
			off, from, until = c.zoneAtNoon(d)
			idx = slices.Index(c.offsets, off)
			if idx < 0 {
				if len(c.offsets) > offsetMask {
					// No real zone has this many offsets; stay correct, uncached.
					c.days, c.offsets = nil, nil
					return
				}
				idx = len(c.offsets)
				c.offsets = append(c.offsets, off)
			}
		}
		days[d] = uint8(idx)
		if c.rule(d) {
			days[d] |= workBit
		}
	}
	c.days = days
}

// zoneAtNoon returns the UTC offset at local noon of day d and the bounds,
// in Unix seconds, of the zone period that noon falls in.
func (c *Calendar) zoneAtNoon(d int64) (off, from, until int64) {
	date := dateOfDay(d)
	t := time.Date(date.Year, date.Month, date.Day, 12, 0, 0, 0, c.loc)
	_, o := t.Zone()
	from, until = math.MinInt64, math.MaxInt64
	s, e := t.ZoneBounds()
	if !s.IsZero() {
		from = s.Unix()
	}
	if !e.IsZero() {
		until = e.Unix()
	}
	return int64(o), from, until
}

// rule reports whether day d is a working day, without the table.
func (c *Calendar) rule(d int64) bool {
	if c.on[d] {
		return true
	}
	return !c.off[d] && c.weekdays[weekdayOfDay(d)]
}

// workday reports whether day number d is a working day.
func (c *Calendar) workday(d int64) bool {
	if uint64(d) < uint64(len(c.days)) {
		return c.days[d]&workBit != 0
	}
	return c.rule(d)
}

// offset returns the zone's UTC offset in seconds at local noon of day d.
// Zones change offset at night, outside working hours, so one offset per day
// places every working instant exactly; an instant in the night of a change
// may be read an hour off, which only matters to calendars working through
// the night of a change.
func (c *Calendar) offset(d int64) int64 {
	if uint64(d) < uint64(len(c.days)) {
		return c.offsets[c.days[d]&offsetMask]
	}
	off, _, _ := c.zoneAtNoon(d)
	return off
}

// Location returns the calendar's time zone; every time it returns is in it.
func (c *Calendar) Location() *time.Location { return c.loc }

// WorkdayLength returns the length of the working hours of one day: the
// duration of one business day of work.
func (c *Calendar) WorkdayLength() time.Duration { return time.Duration(c.workEnd - c.workStart) }

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d Date) bool { return c.workday(d.day()) }

// Holidays returns the holidays of year in this calendar in date order,
// leaving out those overridden by Config.Workdays.
func (c *Calendar) Holidays(year int) []Holiday {
	lo, _ := slices.BinarySearchFunc(c.holidays, year, func(h Holiday, y int) int { return h.Date.Year - y })
	hi, _ := slices.BinarySearchFunc(c.holidays, year+1, func(h Holiday, y int) int { return h.Date.Year - y })
	return slices.Clone(c.holidays[lo:hi])
}
