package schedule

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"2026-11-16", Date{2026, time.November, 16}, false},
		{"2024-02-29", Date{2024, time.February, 29}, false},
		{"2026-02-29", Date{}, true},
		{"2026-1-5", Date{}, true},
		{"16/11/2026", Date{}, true},
		{"", Date{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("ParseDate(%q) = %v, %v; want %v, error %t", tt.in, got, err, tt.want, tt.wantErr)
			}
			if err == nil && got.String() != tt.in {
				t.Errorf("ParseDate(%q).String() = %q, want %q", tt.in, got.String(), tt.in)
			}
		})
	}
}

func TestDateHelpers(t *testing.T) {
	d := Date{2026, time.December, 30}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"AddDays across a year", d.AddDays(3), Date{2027, time.January, 2}},
		{"AddDays back over a leap day", Date{2024, time.March, 1}.AddDays(-1), Date{2024, time.February, 29}},
		{"Weekday", d.Weekday(), time.Wednesday},
		{"Weekday before 1970", Date{1969, time.December, 31}.Weekday(), time.Wednesday},
		{"Before", d.Before(d.AddDays(1)), true},
		{"After", d.After(d.AddDays(1)), false},
		{"Compare equal", d.Compare(Date{2026, time.December, 30}), 0},
		{"IsZero", Date{}.IsZero(), true},
		{"DateOf", DateOf(time.Date(2026, 11, 16, 23, 59, 0, 0, time.UTC)), Date{2026, time.November, 16}},
		{"String pads", Date{987, time.March, 4}.String(), "0987-03-04"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestDayNumbers checks the day arithmetic against package time for every
// day from 1600 to 2400.
func TestDayNumbers(t *testing.T) {
	start := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
	n := start.Unix() / 86400
	for tm := start; tm.Year() < 2400; tm = tm.AddDate(0, 0, 1) {
		want := DateOf(tm)
		if got := dateOfDay(n); got != want {
			t.Fatalf("dateOfDay(%d) = %v, want %v", n, got, want)
		}
		if got := want.day(); got != n {
			t.Fatalf("%v.day() = %d, want %d", want, got, n)
		}
		if got := want.Weekday(); got != tm.Weekday() {
			t.Fatalf("%v.Weekday() = %v, want %v", want, got, tm.Weekday())
		}
		n++
	}
}
