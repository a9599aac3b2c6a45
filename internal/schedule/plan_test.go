package schedule

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPlan(t *testing.T) {
	c := mexico(t)
	day := c.WorkdayLength()
	at := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		return mustTime(t, c.Location(), s)
	}
	work := func(d time.Duration) Duration { return Duration{Length: d} }
	elapsed := func(d time.Duration) Duration { return Duration{Length: d, Elapsed: true} }
	slot := func(start, end string, driver int, critical bool) Slot {
		return Slot{Start: at(start), End: at(end), Driver: driver, Critical: critical}
	}
	// November 2026: Monday 2 to Friday 6, Monday 9 to Friday 13 are working
	// weeks; Monday 16 is a holiday.
	tests := []struct {
		name       string
		start, now string
		tasks      []Task
		want       []Slot
		wantEnd    string
	}{{
		name:  "chain",
		start: "2026-11-02 09:00",
		tasks: []Task{
			{Duration: work(day)},
			{Duration: work(2 * time.Hour), After: []int{0}},
			{Duration: elapsed(48 * time.Hour), After: []int{1}},
			{Duration: work(3 * time.Hour), After: []int{2}},
		},
		want: []Slot{
			slot("2026-11-02 09:00", "2026-11-02 18:00", -1, true),
			slot("2026-11-03 09:00", "2026-11-03 11:00", 0, true),
			slot("2026-11-03 11:00", "2026-11-05 11:00", 1, true),
			slot("2026-11-05 11:00", "2026-11-05 14:00", 2, true),
		},
		wantEnd: "2026-11-05 14:00",
	}, {
		name:  "fork and join, critical through the longer branch",
		start: "2026-11-02 09:00",
		tasks: []Task{
			{Duration: work(day)},
			{Duration: work(3 * day), After: []int{0}},
			{Duration: work(day), After: []int{0}},
			{Duration: work(time.Hour), After: []int{2, 1}},
		},
		want: []Slot{
			slot("2026-11-02 09:00", "2026-11-02 18:00", -1, true),
			slot("2026-11-03 09:00", "2026-11-05 18:00", 0, true),
			slot("2026-11-03 09:00", "2026-11-03 18:00", 0, false),
			slot("2026-11-06 09:00", "2026-11-06 10:00", 1, true),
		},
		wantEnd: "2026-11-06 10:00",
	}, {
		name:  "the task that ends last need not be the last task",
		start: "2026-11-02 09:00",
		tasks: []Task{
			{Duration: work(time.Hour)},
			{Duration: elapsed(7 * 24 * time.Hour)},
			{Duration: work(time.Hour), After: []int{0}},
		},
		want: []Slot{
			slot("2026-11-02 09:00", "2026-11-02 10:00", -1, false),
			slot("2026-11-02 09:00", "2026-11-09 09:00", -1, true),
			slot("2026-11-02 10:00", "2026-11-02 11:00", 0, false),
		},
		wantEnd: "2026-11-09 09:00",
	}, {
		name:  "lead times",
		start: "2026-11-02 09:00",
		tasks: []Task{
			{Duration: work(day)},
			// Port three weeks after the documents: Monday 23 18:00, so Tuesday.
			{Duration: work(time.Hour), Lead: elapsed(21 * 24 * time.Hour), After: []int{0}},
			// Two business days after the documents.
			{Duration: work(time.Hour), Lead: work(2 * day), After: []int{0}},
			// Without predecessors the lead counts from the project start.
			{Duration: work(time.Hour), Lead: work(day)},
		},
		want: []Slot{
			slot("2026-11-02 09:00", "2026-11-02 18:00", -1, true),
			slot("2026-11-24 09:00", "2026-11-24 10:00", 0, true),
			slot("2026-11-05 09:00", "2026-11-05 10:00", 0, false),
			slot("2026-11-03 09:00", "2026-11-03 10:00", -1, false),
		},
		wantEnd: "2026-11-24 10:00",
	}, {
		name:  "not before",
		start: "2026-11-02 09:00",
		tasks: []Task{
			{Duration: work(2 * time.Hour)},
			{Duration: work(time.Hour), After: []int{0}, NotBefore: at("2026-11-07 10:00")},
			{Duration: work(time.Hour), After: []int{1}},
			{Duration: work(time.Hour), After: []int{0}, NotBefore: at("2026-11-02 10:00")},
		},
		want: []Slot{
			slot("2026-11-02 09:00", "2026-11-02 11:00", -1, false),
			slot("2026-11-09 09:00", "2026-11-09 10:00", -1, true),
			slot("2026-11-09 10:00", "2026-11-09 11:00", 1, true),
			slot("2026-11-02 11:00", "2026-11-02 12:00", 0, false),
		},
		wantEnd: "2026-11-09 11:00",
	}, {
		name:  "skipped task passes its predecessor's end through",
		start: "2026-11-02 09:00",
		tasks: []Task{
			{Duration: work(day)},
			{Duration: work(5 * day), Lead: elapsed(time.Hour), NotBefore: at("2026-11-20 09:00"), After: []int{0}, Skip: true},
			{Duration: work(time.Hour), After: []int{1}},
			{Skip: true},
		},
		want: []Slot{
			slot("2026-11-02 09:00", "2026-11-02 18:00", -1, true),
			slot("2026-11-02 18:00", "2026-11-02 18:00", 0, false),
			slot("2026-11-03 09:00", "2026-11-03 10:00", 1, true),
			slot("2026-11-02 09:00", "2026-11-02 09:00", -1, false),
		},
		wantEnd: "2026-11-03 10:00",
	}, {
		name:  "finished late pushes its successors",
		start: "2026-11-02 09:00",
		tasks: []Task{
			{Duration: work(day), Started: at("2026-11-02 09:00"), Finished: at("2026-11-06 16:00")},
			{Duration: work(2 * time.Hour), After: []int{0}},
			{Duration: work(time.Hour), Finished: at("2026-11-03 12:00")},
		},
		want: []Slot{
			slot("2026-11-02 09:00", "2026-11-06 16:00", -1, true),
			slot("2026-11-06 16:00", "2026-11-06 18:00", 0, true),
			slot("2026-11-03 12:00", "2026-11-03 12:00", -1, false),
		},
		wantEnd: "2026-11-06 18:00",
	}, {
		name:  "started tasks and now",
		start: "2026-11-02 09:00",
		now:   "2026-11-10 12:00",
		tasks: []Task{
			{Duration: work(day), Started: at("2026-11-02 09:00"), Finished: at("2026-11-06 16:00")},
			// Overdue: two hours from Monday 09:00, still running on Tuesday.
			{Duration: work(2 * time.Hour), After: []int{0}, Started: at("2026-11-09 09:00")},
			{Duration: work(time.Hour), After: []int{1}},
			{Duration: work(30 * time.Minute), After: []int{0}},
			// On time: four hours from 10:00.
			{Duration: work(4 * time.Hour), Started: at("2026-11-10 10:00")},
		},
		want: []Slot{
			slot("2026-11-02 09:00", "2026-11-06 16:00", -1, false),
			slot("2026-11-09 09:00", "2026-11-10 12:00", -1, false),
			slot("2026-11-10 12:00", "2026-11-10 13:00", 1, false),
			slot("2026-11-10 12:00", "2026-11-10 12:30", -1, false),
			slot("2026-11-10 10:00", "2026-11-10 14:00", -1, true),
		},
		wantEnd: "2026-11-10 14:00",
	}, {
		name:  "now pushes unstarted tasks",
		start: "2026-11-02 09:00",
		now:   "2026-11-04 15:30",
		tasks: []Task{
			{Duration: work(time.Hour)},
			{Duration: elapsed(time.Hour), After: []int{0}},
			{Duration: work(4 * time.Hour), After: []int{1}},
		},
		want: []Slot{
			slot("2026-11-04 15:30", "2026-11-04 16:30", -1, true),
			slot("2026-11-04 16:30", "2026-11-04 17:30", 0, true),
			slot("2026-11-04 17:30", "2026-11-05 12:30", 1, true),
		},
		wantEnd: "2026-11-05 12:30",
	}, {
		name:  "elapsed 48 hours over a weekend",
		start: "2026-11-06 17:00",
		tasks: []Task{
			{Duration: elapsed(48 * time.Hour)},
			{Duration: work(time.Hour), After: []int{0}},
		},
		want: []Slot{
			slot("2026-11-06 17:00", "2026-11-08 17:00", -1, true),
			slot("2026-11-09 09:00", "2026-11-09 10:00", 0, true),
		},
		wantEnd: "2026-11-09 10:00",
	}, {
		name:  "work starts at the next working start, over a holiday",
		start: "2026-11-13 18:00",
		tasks: []Task{
			{Duration: work(0)},
			{Duration: work(day), After: []int{0}},
		},
		want: []Slot{
			slot("2026-11-17 09:00", "2026-11-17 09:00", -1, true),
			slot("2026-11-17 09:00", "2026-11-17 18:00", 0, true),
		},
		wantEnd: "2026-11-17 18:00",
	}, {
		name:    "no tasks",
		start:   "2026-11-02 09:00",
		want:    []Slot{},
		wantEnd: "2026-11-02 09:00",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := make([]Slot, len(tt.tasks))
			end, err := Plan(c, at(tt.start), at(tt.now), tt.tasks, out)
			if err != nil {
				t.Fatalf("Plan(%s) = %v", tt.name, err)
			}
			if diff := cmp.Diff(tt.want, out); diff != "" {
				t.Errorf("Plan(%s) slots mismatch (-want +got):\n%s", tt.name, diff)
			}
			if want := at(tt.wantEnd); !end.Equal(want) || end.Location() != c.Location() {
				t.Errorf("Plan(%s) = %v, want %v", tt.name, end, want)
			}
		})
	}
}

func TestPlanReusesOut(t *testing.T) {
	c := mexico(t)
	start := mustTime(t, c.Location(), "2026-11-02 09:00")
	tasks := []Task{{Duration: Duration{Length: time.Hour}}, {Duration: Duration{Length: 2 * time.Hour}}}
	out := []Slot{{Driver: 7, Critical: true}, {Driver: 7, Critical: true}}
	if _, err := Plan(c, start, time.Time{}, tasks, out); err != nil {
		t.Fatalf("Plan = %v", err)
	}
	if got, want := out[0], (Slot{Start: start, End: start.Add(time.Hour), Driver: -1}); !cmp.Equal(got, want) {
		t.Errorf("Plan(reused out)[0] = %+v, want %+v", got, want)
	}
}

func TestPlanErrors(t *testing.T) {
	c := mexico(t)
	start := mustTime(t, c.Location(), "2026-11-02 09:00")
	one := Duration{Length: time.Hour}
	tests := []struct {
		name  string
		cal   *Calendar
		start time.Time
		tasks []Task
		out   int
	}{
		{"predecessor after the task", c, start, []Task{{After: []int{1}}, {}}, 2},
		{"task after itself", c, start, []Task{{}, {After: []int{1}}}, 2},
		{"negative predecessor", c, start, []Task{{After: []int{-1}}}, 1},
		{"negative duration", c, start, []Task{{Duration: Duration{Length: -time.Hour}}}, 1},
		{"negative lead", c, start, []Task{{Duration: one, Lead: Duration{Length: -time.Hour, Elapsed: true}}}, 1},
		{"out too short", c, start, []Task{{Duration: one}, {Duration: one}}, 1},
		{"nil calendar", nil, start, []Task{{Duration: one}}, 1},
		{"zero start", c, time.Time{}, []Task{{Duration: one}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			end, err := Plan(tt.cal, tt.start, time.Time{}, tt.tasks, make([]Slot, tt.out))
			if err == nil {
				t.Errorf("Plan(%s) = %v, nil; want an error", tt.name, end)
			}
		})
	}
}

func TestPlanDoesNotAllocate(t *testing.T) {
	c := mexico(t)
	start := mustTime(t, c.Location(), "2026-11-02 09:00")
	now := mustTime(t, c.Location(), "2026-11-04 11:00")
	tasks := []Task{
		{Duration: Duration{Length: 9 * time.Hour}, Started: start, Finished: start.Add(50 * time.Hour)},
		{Duration: Duration{Length: 27 * time.Hour}, After: []int{0}, Started: now.Add(-time.Hour)},
		{Duration: Duration{Length: 48 * time.Hour, Elapsed: true}, After: []int{0}},
		{Duration: Duration{Length: time.Hour}, After: []int{1, 2}, Lead: Duration{Length: 9 * time.Hour}},
		{Skip: true, After: []int{3}},
		{Duration: Duration{Length: 90 * time.Hour}, After: []int{4}, NotBefore: now.AddDate(0, 1, 0)},
	}
	out := make([]Slot, len(tasks))
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := Plan(c, start, now, tasks, out); err != nil {
			t.Fatalf("Plan = %v", err)
		}
	})
	if allocs != 0 {
		t.Errorf("Plan allocations = %v, want 0", allocs)
	}
}
