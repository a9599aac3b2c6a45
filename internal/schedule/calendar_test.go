package schedule

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const minute = "2006-01-02 15:04"

// mustNew returns the calendar of cfg or fails the test.
func mustNew(t testing.TB, cfg Config) *Calendar {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v) = %v", cfg, err)
	}
	return c
}

// mustLoad returns the named location or fails the test.
func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q) = %v", name, err)
	}
	return loc
}

// mustTime parses "2026-11-09 09:00" in loc or fails the test.
func mustTime(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation(minute, s, loc)
	if err != nil {
		t.Fatalf("ParseInLocation(%q) = %v", s, err)
	}
	return tm
}

// mexico is the default calendar: Mexico City, 9–18, Monday to Friday,
// Mexican federal holidays.
func mexico(t testing.TB) *Calendar {
	t.Helper()
	return mustNew(t, Config{})
}

func TestMexicanFederalHolidays(t *testing.T) {
	tests := []struct {
		year int
		want []string
	}{
		{2024, []string{"2024-01-01 new_year", "2024-02-05 constitution", "2024-03-18 juarez", "2024-05-01 labour", "2024-09-16 independence", "2024-10-01 inauguration", "2024-11-18 revolution", "2024-12-25 christmas"}},
		{2025, []string{"2025-01-01 new_year", "2025-02-03 constitution", "2025-03-17 juarez", "2025-05-01 labour", "2025-09-16 independence", "2025-11-17 revolution", "2025-12-25 christmas"}},
		{2026, []string{"2026-01-01 new_year", "2026-02-02 constitution", "2026-03-16 juarez", "2026-05-01 labour", "2026-09-16 independence", "2026-11-16 revolution", "2026-12-25 christmas"}},
		{2027, []string{"2027-01-01 new_year", "2027-02-01 constitution", "2027-03-15 juarez", "2027-05-01 labour", "2027-09-16 independence", "2027-11-15 revolution", "2027-12-25 christmas"}},
		{2028, []string{"2028-01-01 new_year", "2028-02-07 constitution", "2028-03-20 juarez", "2028-05-01 labour", "2028-09-16 independence", "2028-11-20 revolution", "2028-12-25 christmas"}},
		{2029, []string{"2029-01-01 new_year", "2029-02-05 constitution", "2029-03-19 juarez", "2029-05-01 labour", "2029-09-16 independence", "2029-11-19 revolution", "2029-12-25 christmas"}},
		{2030, []string{"2030-01-01 new_year", "2030-02-04 constitution", "2030-03-18 juarez", "2030-05-01 labour", "2030-09-16 independence", "2030-10-01 inauguration", "2030-11-18 revolution", "2030-12-25 christmas"}},
		{2018, []string{"2018-01-01 new_year", "2018-02-05 constitution", "2018-03-19 juarez", "2018-05-01 labour", "2018-09-16 independence", "2018-11-19 revolution", "2018-12-01 inauguration", "2018-12-25 christmas"}},
		// Before the 2006 reform the three Monday holidays had fixed dates.
		{2000, []string{"2000-01-01 new_year", "2000-02-05 constitution", "2000-03-21 juarez", "2000-05-01 labour", "2000-09-16 independence", "2000-11-20 revolution", "2000-12-01 inauguration", "2000-12-25 christmas"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.year), func(t *testing.T) {
			var got []string
			for _, h := range MexicanFederalHolidays(tt.year, tt.year) {
				got = append(got, h.Date.String()+" "+h.Key)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("MexicanFederalHolidays(%d) mismatch (-want +got):\n%s", tt.year, diff)
			}
		})
	}
}

func TestMexicanFederalHolidaysRange(t *testing.T) {
	hs := MexicanFederalHolidays(2024, 2030)
	if got, want := len(hs), 7*7+2; got != want {
		t.Errorf("len(MexicanFederalHolidays(2024, 2030)) = %d, want %d", got, want)
	}
	for i := 1; i < len(hs); i++ {
		if !hs[i-1].Date.Before(hs[i].Date) {
			t.Errorf("MexicanFederalHolidays(2024, 2030)[%d] = %v, not after %v", i, hs[i].Date, hs[i-1].Date)
		}
	}
	if got := MexicanFederalHolidays(2030, 2024); got != nil {
		t.Errorf("MexicanFederalHolidays(2030, 2024) = %v, want nil", got)
	}
}

func TestAddWork(t *testing.T) {
	c := mexico(t)
	day := c.WorkdayLength()
	// November 2026: Monday 16 is a holiday (revolution).
	tests := []struct {
		name string
		from string
		d    time.Duration
		want string
	}{
		{"within a day", "2026-11-09 09:00", 3 * time.Hour, "2026-11-09 12:00"},
		{"one business day from the morning", "2026-11-09 09:00", day, "2026-11-09 18:00"},
		{"one business day from the afternoon", "2026-11-09 14:00", day, "2026-11-10 14:00"},
		{"exact end of day stays", "2026-11-09 10:00", 8 * time.Hour, "2026-11-09 18:00"},
		{"one minute past the end of day", "2026-11-09 10:00", 8*time.Hour + time.Minute, "2026-11-10 09:01"},
		{"across a weekend", "2026-11-06 16:00", 4 * time.Hour, "2026-11-09 11:00"},
		{"two business days from Friday before a Monday holiday", "2026-11-13 09:00", 2 * day, "2026-11-17 18:00"},
		{"before the start of the day", "2026-11-09 07:30", time.Hour, "2026-11-09 10:00"},
		{"after the end of the day", "2026-11-09 19:00", time.Hour, "2026-11-10 10:00"},
		{"exactly at the end of the day", "2026-11-09 18:00", time.Hour, "2026-11-10 10:00"},
		{"on a holiday", "2026-11-16 10:00", time.Hour, "2026-11-17 10:00"},
		{"on Saturday before a Monday holiday", "2026-11-14 10:00", 2 * time.Hour, "2026-11-17 11:00"},
		{"zero on a weekend", "2026-11-14 10:00", 0, "2026-11-17 09:00"},
		{"zero inside working hours", "2026-11-09 10:30", 0, "2026-11-09 10:30"},
		{"negative counts as zero", "2026-11-09 10:30", -time.Hour, "2026-11-09 10:30"},
		{"two weeks", "2026-11-02 09:00", 10 * day, "2026-11-13 18:00"},
		{"three weeks across a holiday", "2026-11-09 09:00", 15 * day, "2026-11-30 18:00"},
		{"Christmas and a weekend", "2026-12-24 17:00", 2 * time.Hour, "2026-12-28 10:00"},
		{"year end to after New Year", "2026-12-31 17:00", 2 * time.Hour, "2027-01-04 10:00"},
		{"before the table (1969)", "1969-12-31 17:00", 2 * time.Hour, "1970-01-02 10:00"},
		{"across the end of the table", "2100-12-31 17:00", 2 * time.Hour, "2101-01-03 10:00"},
		{"after the table (2101)", "2101-01-03 17:00", 2 * time.Hour, "2101-01-04 10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := mustTime(t, c.Location(), tt.from)
			want := mustTime(t, c.Location(), tt.want)
			got := c.AddWork(from, tt.d)
			if !got.Equal(want) || got.Location() != c.Location() {
				t.Errorf("AddWork(%v, %v) = %v, want %v", from, tt.d, got, want)
			}
			if got := c.WorkBetween(from, got); got != max(tt.d, 0) {
				t.Errorf("WorkBetween(%v, AddWork(%v, %v)) = %v, want %v", from, from, tt.d, got, max(tt.d, 0))
			}
		})
	}
}

func TestAddWorkOtherZoneAndNanoseconds(t *testing.T) {
	c := mexico(t)
	from := time.Date(2026, 11, 9, 15, 0, 0, 500, time.UTC) // 09:00 and 500 ns in Mexico City
	got := c.AddWork(from, 90*time.Second)
	want := time.Date(2026, 11, 9, 9, 1, 30, 500, c.Location())
	if !got.Equal(want) || got.Location() != c.Location() {
		t.Errorf("AddWork(%v, 90s) = %v, want %v", from, got, want)
	}
}

func TestNextWorkStart(t *testing.T) {
	c := mexico(t)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"inside working hours", "2026-11-09 12:34", "2026-11-09 12:34"},
		{"at the start", "2026-11-09 09:00", "2026-11-09 09:00"},
		{"before the start", "2026-11-09 00:00", "2026-11-09 09:00"},
		{"exactly at the end", "2026-11-09 18:00", "2026-11-10 09:00"},
		{"one minute before the end", "2026-11-09 17:59", "2026-11-09 17:59"},
		{"Friday evening", "2026-11-06 20:00", "2026-11-09 09:00"},
		{"Friday evening before a Monday holiday", "2026-11-13 20:00", "2026-11-17 09:00"},
		{"on a holiday", "2026-09-16 11:00", "2026-09-17 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := mustTime(t, c.Location(), tt.in)
			want := mustTime(t, c.Location(), tt.want)
			if got := c.NextWorkStart(in); !got.Equal(want) || got.Location() != c.Location() {
				t.Errorf("NextWorkStart(%v) = %v, want %v", in, got, want)
			}
		})
	}
}

func TestWorkBetween(t *testing.T) {
	c := mexico(t)
	tests := []struct {
		name string
		a, b string
		want time.Duration
	}{
		{"same day", "2026-11-09 10:00", "2026-11-09 12:30", 150 * time.Minute},
		{"b before a", "2026-11-09 12:00", "2026-11-09 10:00", 0},
		{"equal", "2026-11-09 12:00", "2026-11-09 12:00", 0},
		{"both in the night", "2026-11-09 19:00", "2026-11-10 08:00", 0},
		{"night to next morning", "2026-11-09 19:00", "2026-11-10 10:00", time.Hour},
		{"whole weekend", "2026-11-06 18:00", "2026-11-09 09:00", 0},
		{"over a weekend", "2026-11-06 17:00", "2026-11-09 10:00", 2 * time.Hour},
		{"holiday only", "2026-11-16 00:00", "2026-11-17 00:00", 0},
		{"a week with a holiday", "2026-11-16 00:00", "2026-11-23 00:00", 4 * 9 * time.Hour},
		{"a year", "2026-01-01 00:00", "2027-01-01 00:00", (261 - 7) * 9 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := mustTime(t, c.Location(), tt.a), mustTime(t, c.Location(), tt.b)
			if got := c.WorkBetween(a, b); got != tt.want {
				t.Errorf("WorkBetween(%v, %v) = %v, want %v", a, b, got, tt.want)
			}
		})
	}
}

// TestAddWorkWorkBetweenInverse checks WorkBetween(t, AddWork(t, d)) == d
// and AddWork(a, WorkBetween(a, b)) == NextWorkStart(b) for b in working
// hours, over starts every 97 minutes of a month and varied durations.
func TestAddWorkWorkBetweenInverse(t *testing.T) {
	c := mexico(t)
	from := mustTime(t, c.Location(), "2026-11-01 00:00")
	durations := []time.Duration{0, time.Minute, time.Hour, 9 * time.Hour, 9*time.Hour + time.Second, 50 * time.Hour, 200 * time.Hour}
	for tm := from; tm.Before(from.AddDate(0, 1, 0)); tm = tm.Add(97 * time.Minute) {
		for _, d := range durations {
			end := c.AddWork(tm, d)
			if got := c.WorkBetween(tm, end); got != d {
				t.Fatalf("WorkBetween(%v, AddWork(%v, %v) = %v) = %v, want %v", tm, tm, d, end, got, d)
			}
			if d > 0 {
				if got, want := c.AddWork(tm, c.WorkBetween(tm, end)), end; !got.Equal(want) {
					t.Fatalf("AddWork(%v, WorkBetween(%v, %v)) = %v, want %v", tm, tm, end, got, want)
				}
			}
		}
	}
}

func TestDaylightSaving(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	weekdays := mustNew(t, Config{Location: berlin, Holidays: []Holiday{}})
	everyDay := mustNew(t, Config{Location: berlin, Holidays: []Holiday{}, WorkStart: 8 * 60, WorkEnd: 20 * 60,
		Weekdays: []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}})
	tests := []struct {
		name    string
		cal     *Calendar
		from    string
		d       time.Duration
		want    string // local time in Berlin
		wantUTC string
	}{
		// 2026-03-29 02:00 CET becomes 03:00 CEST.
		{"spring, over the changing weekend", weekdays, "2026-03-27 14:00", 9 * time.Hour, "2026-03-30 14:00", "2026-03-30 12:00"},
		{"spring, onto the changing day", everyDay, "2026-03-28 19:00", 2 * time.Hour, "2026-03-29 09:00", "2026-03-29 07:00"},
		{"spring, through the changing day", everyDay, "2026-03-28 19:00", 14 * time.Hour, "2026-03-30 09:00", "2026-03-30 07:00"},
		// 2026-10-25 03:00 CEST becomes 02:00 CET.
		{"autumn, through the changing day", everyDay, "2026-10-24 19:00", 14 * time.Hour, "2026-10-26 09:00", "2026-10-26 08:00"},
		{"autumn, after the table (2150)", everyDay, "2150-10-24 19:00", 14 * time.Hour, "2150-10-26 09:00", "2150-10-26 08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := mustTime(t, berlin, tt.from)
			got := tt.cal.AddWork(from, tt.d)
			if s := got.Format(minute); s != tt.want {
				t.Errorf("AddWork(%v, %v) = %v, want %v local", from, tt.d, s, tt.want)
			}
			if s := got.UTC().Format(minute); s != tt.wantUTC {
				t.Errorf("AddWork(%v, %v) = %v UTC, want %v UTC", from, tt.d, s, tt.wantUTC)
			}
			if got := tt.cal.WorkBetween(from, got); got != tt.d {
				t.Errorf("WorkBetween(%v, AddWork(%v, %v)) = %v, want %v", from, from, tt.d, got, tt.d)
			}
		})
	}
}

// TestTableMatchesRules checks the cached days against the rules and the
// zone itself, around the DST changes of several zones.
func TestTableMatchesRules(t *testing.T) {
	for _, name := range []string{"America/Mexico_City", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Kiritimati", "Pacific/Apia"} {
		t.Run(name, func(t *testing.T) {
			loc := mustLoad(t, name)
			c := mustNew(t, Config{Location: loc})
			if len(c.days) == 0 {
				t.Fatalf("New(%s): no day table", name)
			}
			for d := int64(0); d < int64(len(c.days)); d++ {
				date := dateOfDay(d)
				_, off := time.Date(date.Year, date.Month, date.Day, 12, 0, 0, 0, loc).Zone()
				if got := c.offset(d); got != int64(off) {
					t.Fatalf("offset(%v) = %d, want %d", date, got, off)
				}
				if got, want := c.workday(d), c.rule(d); got != want {
					t.Fatalf("workday(%v) = %t, want %t", date, got, want)
				}
			}
		})
	}
}

func TestIsWorkday(t *testing.T) {
	saturday := Date{2026, time.November, 14}
	holiday := Date{2026, time.November, 16}
	c := mustNew(t, Config{Workdays: []Date{saturday, holiday}})
	tests := []struct {
		name string
		d    Date
		want bool
	}{
		{"Friday", Date{2026, time.November, 13}, true},
		{"Saturday made a working day", saturday, true},
		{"Sunday", Date{2026, time.November, 15}, false},
		{"holiday made a working day", holiday, true},
		{"other holiday", Date{2026, time.December, 25}, false},
		{"holiday on a Wednesday", Date{2026, time.September, 16}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkday(tt.d); got != tt.want {
				t.Errorf("IsWorkday(%v) = %t, want %t", tt.d, got, tt.want)
			}
		})
	}

	from := mustTime(t, c.Location(), "2026-11-13 17:00")
	want := mustTime(t, c.Location(), "2026-11-16 10:00")
	if got := c.AddWork(from, 11*time.Hour); !got.Equal(want) {
		t.Errorf("AddWork(%v, 11h) = %v, want %v", from, got, want)
	}
	var got []string
	for _, h := range c.Holidays(2026) {
		got = append(got, h.Date.String())
	}
	wantDates := []string{"2026-01-01", "2026-02-02", "2026-03-16", "2026-05-01", "2026-09-16", "2026-12-25"}
	if diff := cmp.Diff(wantDates, got); diff != "" {
		t.Errorf("Holidays(2026) mismatch (-want +got):\n%s", diff)
	}
}

func TestHolidaysCustom(t *testing.T) {
	custom := []Holiday{
		{Date: Date{2026, time.December, 24}, Name: "Nochebuena"},
		{Date: Date{2027, time.January, 1}, Key: "new_year"},
		{Date: Date{2026, time.December, 12}, Name: "Guadalupe"},
	}
	c := mustNew(t, Config{Holidays: custom})
	want := []Holiday{custom[2], custom[0]}
	if diff := cmp.Diff(want, c.Holidays(2026)); diff != "" {
		t.Errorf("Holidays(2026) mismatch (-want +got):\n%s", diff)
	}
	if got := c.Holidays(2025); len(got) != 0 {
		t.Errorf("Holidays(2025) = %v, want none", got)
	}
	if got := c.IsWorkday(Date{2026, time.November, 16}); !got {
		t.Errorf("IsWorkday(2026-11-16) = false with custom holidays only, want true")
	}
	none := mustNew(t, Config{Holidays: []Holiday{}})
	if got := none.Holidays(2026); len(got) != 0 {
		t.Errorf("Holidays(2026) with an empty list = %v, want none", got)
	}
}

func TestNewDefaults(t *testing.T) {
	c := mexico(t)
	if got, want := c.Location().String(), "America/Mexico_City"; got != want {
		t.Errorf("New(Config{}).Location() = %s, want %s", got, want)
	}
	if got, want := c.WorkdayLength(), 9*time.Hour; got != want {
		t.Errorf("New(Config{}).WorkdayLength() = %v, want %v", got, want)
	}
	if got, want := len(c.Holidays(2026)), 7; got != want {
		t.Errorf("len(New(Config{}).Holidays(2026)) = %d, want %d", got, want)
	}
}

func TestNewInvalid(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"start after end", Config{WorkStart: 18 * 60, WorkEnd: 9 * 60}},
		{"start equals end", Config{WorkStart: 9 * 60, WorkEnd: 9 * 60}},
		{"end only zero", Config{WorkStart: 9 * 60}},
		{"negative start", Config{WorkStart: -60, WorkEnd: 9 * 60}},
		{"end after midnight", Config{WorkStart: 9 * 60, WorkEnd: 25 * 60}},
		{"no weekday", Config{Weekdays: []time.Weekday{}}},
		{"weekday out of range", Config{Weekdays: []time.Weekday{7}}},
		{"holiday not a date", Config{Holidays: []Holiday{{Date: Date{2026, time.February, 30}, Key: "x"}}}},
		{"holiday without key or name", Config{Holidays: []Holiday{{Date: Date{2026, time.February, 3}}}}},
		{"working day not a date", Config{Workdays: []Date{{2026, 13, 1}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, err := New(tt.cfg); err == nil {
				t.Errorf("New(%+v) = %v, nil; want an error", tt.cfg, c)
			}
		})
	}
}

func TestNewAllDay(t *testing.T) {
	c := mustNew(t, Config{WorkStart: 0, WorkEnd: 24 * 60, Holidays: []Holiday{}})
	from := mustTime(t, c.Location(), "2026-11-06 23:00")
	want := mustTime(t, c.Location(), "2026-11-09 01:00")
	if got := c.AddWork(from, 2*time.Hour); !got.Equal(want) {
		t.Errorf("AddWork(%v, 2h) = %v, want %v", from, got, want)
	}
}
