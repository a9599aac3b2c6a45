package runbook

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Units of a duration.
const (
	UnitMinute      = "m"
	UnitHour        = "h"
	UnitDay         = "d"  // calendar days: always on the clock
	UnitBusinessDay = "bd" // working days of the provider's calendar
	UnitWeek        = "w"  // calendar weeks: always on the clock
)

// Duration is how long a task takes or waits: an amount of a unit, a
// range ("24-48h": Min 24, Amount 48; plans count the longer), or
// variable. It is written and read as text.
type Duration struct {
	Amount   int
	Min      int // the shorter end of a range; 0 when not a range
	Unit     string
	Variable bool
}

// ParseDuration reads "30m", "2h", "3d", "5bd", "1w", "24-48h" or
// "variable".
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "variable" {
		return Duration{Variable: true}, nil
	}
	i := strings.IndexFunc(s, func(r rune) bool { return r != '-' && (r < '0' || r > '9') })
	if i <= 0 {
		return Duration{}, fmt.Errorf("duration %q: want a number and a unit (m, h, d, bd, w) or \"variable\"", s)
	}
	num, unit := s[:i], s[i:]
	switch unit {
	case UnitMinute, UnitHour, UnitDay, UnitBusinessDay, UnitWeek:
	default:
		return Duration{}, fmt.Errorf("duration %q: unknown unit %q (m, h, d, bd, w)", s, unit)
	}
	d := Duration{Unit: unit}
	lo, hi, isRange := strings.Cut(num, "-")
	var err error
	if d.Amount, err = strconv.Atoi(lo); err != nil || d.Amount < 0 {
		return Duration{}, fmt.Errorf("duration %q: bad amount", s)
	}
	if isRange {
		d.Min = d.Amount
		if d.Amount, err = strconv.Atoi(hi); err != nil || d.Amount <= d.Min {
			return Duration{}, fmt.Errorf("duration %q: a range goes from the shorter to the longer", s)
		}
	}
	return d, nil
}

// MustDuration is ParseDuration for literals known to be right.
func MustDuration(s string) Duration {
	d, err := ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String writes the duration the way ParseDuration reads it.
func (d Duration) String() string {
	switch {
	case d.Variable:
		return "variable"
	case d.Min > 0:
		return fmt.Sprintf("%d-%d%s", d.Min, d.Amount, d.Unit)
	}
	return strconv.Itoa(d.Amount) + d.Unit
}

// IsZero reports whether the duration is unset.
func (d Duration) IsZero() bool { return !d.Variable && d.Unit == "" }

// OnClock reports whether the duration always counts calendar time (days
// and weeks), whatever the task.
func (d Duration) OnClock() bool { return d.Unit == UnitDay || d.Unit == UnitWeek }

// Length is the longer end of the duration; a business day counts as
// workday. A variable duration has no length.
func (d Duration) Length(workday time.Duration) time.Duration {
	n := time.Duration(d.Amount)
	switch d.Unit {
	case UnitMinute:
		return n * time.Minute
	case UnitHour:
		return n * time.Hour
	case UnitDay:
		return n * 24 * time.Hour
	case UnitWeek:
		return n * 7 * 24 * time.Hour
	case UnitBusinessDay:
		return n * workday
	}
	return 0
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
