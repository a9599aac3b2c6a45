package schedule

import (
	"fmt"
	"time"
)

// Date is a civil date (no time, no zone): year, month, day. The zero Date is
// not a valid day; IsZero reports it.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses a date written as "2026-11-16".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("schedule: parse date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// DateOf returns the date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String returns the date as "2026-11-16".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date { return dateOfDay(d.day() + int64(n)) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return weekdayOfDay(d.day()) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	a, b := d.day(), e.day()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// valid reports whether d names a day that exists in the calendar.
func (d Date) valid() bool {
	return d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && dateOfDay(d.day()) == d
}

// day returns d as a day number: days since 1970-01-01 in civil terms.
// The arithmetic (H. Hinnant, "chrono-compatible low-level date algorithms")
// needs no time.Location, which keeps calendar walks free of zone look-ups.
func (d Date) day() int64 {
	y, m := int64(d.Year), int64(d.Month)
	if m <= 2 {
		y--
		m += 9
	} else {
		m -= 3
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	doy := (153*m+2)/5 + int64(d.Day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateOfDay is the inverse of Date.day.
func dateOfDay(n int64) Date {
	n += 719468
	era := floorDiv(n, 146097)
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	y := yoe + era*400
	if m > 12 {
		m -= 12
		y++
	}
	return Date{int(y), time.Month(m), int(d)}
}

// weekdayOfDay returns the weekday of day number n; 1970-01-01 was a Thursday.
func weekdayOfDay(n int64) time.Weekday {
	return time.Weekday(floorMod(n+int64(time.Thursday), 7))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}
