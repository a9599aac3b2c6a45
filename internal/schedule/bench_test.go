package schedule

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// project is one project of the benchmark: a runbook template's tasks with
// the project's own start, dates and progress.
type project struct {
	start time.Time
	tasks []Task
}

// benchTemplates returns n runbook templates of size tasks: chains and forks
// with two predecessors on average among the few tasks before, work and
// elapsed durations from minutes to weeks, some leads and skipped tasks.
func benchTemplates(rng *rand.Rand, n, size int) [][]Task {
	works := []time.Duration{30 * time.Minute, 2 * time.Hour, 4 * time.Hour, 9 * time.Hour, 18 * time.Hour, 45 * time.Hour, 90 * time.Hour}
	elapsed := []time.Duration{time.Hour, 24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour, 21 * 24 * time.Hour}
	templates := make([][]Task, n)
	for t := range templates {
		tasks := make([]Task, size)
		for i := range tasks {
			task := &tasks[i]
			if rng.IntN(10) < 7 {
				task.Duration = Duration{Length: works[rng.IntN(len(works))]}
			} else {
				task.Duration = Duration{Length: elapsed[rng.IntN(len(elapsed))], Elapsed: true}
			}
			switch rng.IntN(20) {
			case 0:
				task.Lead = Duration{Length: 21 * 24 * time.Hour, Elapsed: true}
			case 1:
				task.Lead = Duration{Length: 18 * time.Hour}
			case 2:
				task.Skip = true
			}
			// 1, 2 or 3 distinct predecessors among the six tasks before.
			for k := min(i, 1+rng.IntN(3)); len(task.After) < k; {
				j := i - 1 - rng.IntN(min(i, 6))
				if !slices.Contains(task.After, j) {
					task.After = append(task.After, j)
				}
			}
		}
		templates[t] = tasks
	}
	return templates
}

// benchProjects returns n projects started over 2025–2027 from the
// templates; those started before now carry actuals: tasks planned to end
// before now finished (some late), those running at now started.
func benchProjects(b *testing.B, c *Calendar, now time.Time, n int) []project {
	rng := rand.New(rand.NewPCG(1, 2))
	templates := benchTemplates(rng, 30, 40)
	first := time.Date(2025, 1, 1, 9, 0, 0, 0, c.Location())
	out := make([]Slot, 40)
	projects := make([]project, n)
	for i := range projects {
		start := first.AddDate(0, 0, rng.IntN(3*365)).Add(time.Duration(rng.IntN(9*60)) * time.Minute)
		tasks := append([]Task(nil), templates[rng.IntN(len(templates))]...)
		for j := range tasks {
			if rng.IntN(20) == 0 {
				tasks[j].NotBefore = start.AddDate(0, 0, rng.IntN(30))
			}
		}
		if _, err := Plan(c, start, time.Time{}, tasks, out); err != nil {
			b.Fatalf("Plan = %v", err)
		}
		for j, s := range out {
			switch {
			case tasks[j].Skip || !s.Start.Before(now):
			case s.End.Before(now):
				tasks[j].Started = s.Start
				tasks[j].Finished = s.End.Add(time.Duration(rng.IntN(48)) * time.Hour)
			default:
				tasks[j].Started = s.Start
			}
		}
		projects[i] = project{start: start, tasks: tasks}
	}
	return projects
}

// BenchmarkPlan replans 10,000 projects of 40 tasks per op; the target is
// well under 200 ms per op on one core.
func BenchmarkPlan(b *testing.B) {
	c := mexico(b)
	now := time.Date(2026, 11, 10, 12, 0, 0, 0, c.Location())
	projects := benchProjects(b, c, now, 10_000)
	out := make([]Slot, 40)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range projects {
			if _, err := Plan(c, p.start, now, p.tasks, out); err != nil {
				b.Fatalf("Plan = %v", err)
			}
		}
	}
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp/float64(len(projects)), "ns/project")
	b.ReportMetric(perOp/float64(len(projects)*40), "ns/task")
	b.ReportMetric(perOp/1e6, "ms/10k-projects")
}

func BenchmarkAddWork(b *testing.B) {
	c := mexico(b)
	tests := []struct {
		name string
		from time.Time
		d    time.Duration
	}{
		{"2h within a day", time.Date(2026, 11, 9, 10, 0, 0, 0, c.Location()), 2 * time.Hour},
		{"1 day from a Saturday", time.Date(2026, 11, 14, 10, 0, 0, 0, c.Location()), 9 * time.Hour},
		{"3 weeks over a holiday", time.Date(2026, 11, 9, 14, 0, 0, 0, c.Location()), 15 * 9 * time.Hour},
		{"1 year", time.Date(2026, 1, 5, 14, 0, 0, 0, c.Location()), 250 * 9 * time.Hour},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			var end time.Time
			for b.Loop() {
				end = c.AddWork(tt.from, tt.d)
			}
			_ = end
		})
	}
}

func BenchmarkWorkBetween(b *testing.B) {
	c := mexico(b)
	from := time.Date(2026, 11, 9, 14, 0, 0, 0, c.Location())
	to := from.AddDate(0, 0, 21)
	b.ReportAllocs()
	for b.Loop() {
		c.WorkBetween(from, to)
	}
}

// BenchmarkNew measures building a calendar and its 1970–2100 day table.
func BenchmarkNew(b *testing.B) {
	loc := mustLoad(b, "America/Mexico_City")
	hs := MexicanFederalHolidays(1970, 2100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(Config{Location: loc, Holidays: hs}); err != nil {
			b.Fatal(err)
		}
	}
}
