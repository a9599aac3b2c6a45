package activation

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// benchTemplate is a 40-task runbook in 8 phases: chains with forks and
// joins, work and elapsed durations from minutes to weeks, a lead time.
func benchTemplate() *runbook.Template {
	r := rand.New(rand.NewPCG(1, 2))
	units := []string{"30m", "2h", "1bd", "3bd", "24-48h", "1w", "variable"}
	tp := &runbook.Template{Key: "bench", Version: 1, Name: i18n.Text{"es-MX": "Bench"}, Billing: runbook.Billing{Rule: runbook.BillOnCompletion}}
	n := 0
	for ph := range 8 {
		phase := runbook.Phase{Key: fmt.Sprint("p", ph), Name: i18n.Text{"es-MX": "Fase"}}
		for range 5 {
			t := runbook.Task{Key: fmt.Sprint("t", n), Name: i18n.Text{"es-MX": "Tarea"}, Party: runbook.Parties[n%len(runbook.Parties)],
				Duration: runbook.MustDuration(units[r.IntN(len(units))]), Elapsed: r.IntN(4) == 0}
			if n > 0 {
				t.After = append(t.After, fmt.Sprint("t", r.IntN(n)))
				if n > 2 && r.IntN(2) == 0 {
					t.After = append(t.After, fmt.Sprint("t", n-1))
				}
			}
			if n%13 == 7 {
				lead := runbook.MustDuration("3w")
				t.Lead = &lead
			}
			phase.Tasks = append(phase.Tasks, t)
			n++
		}
		tp.Phases = append(tp.Phases, phase)
	}
	return tp
}

// BenchmarkReplan replans 10,000 projects of 40 tasks each, as the
// hourly sweep does after loading them: readiness, the plan on the
// working calendar, the critical path. One op is the whole 10,000.
func BenchmarkReplan(b *testing.B) {
	tp := benchTemplate()
	if err := tp.Validate(); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	s := NewService(nil, nil, nil, enlace.NewFakeClock(now), Config{})
	cal, err := buildCalendar(s.cfg.Location, nil)
	if err != nil {
		b.Fatal(err)
	}
	s.cal, s.calBuilt = cal, now
	const projects = 10000
	type project struct {
		p     Project
		tasks []Task
		index map[string]int
	}
	all := make([]project, projects)
	order := tp.Order()
	for i := range all {
		pr := &all[i]
		pr.p = Project{ID: fmt.Sprint(i), Status: ProjectActive, StartAt: now.AddDate(0, 0, -i%60)}
		pr.index = map[string]int{}
		for j, pt := range order {
			t := Task{Key: pt.Task.Key, Seq: j, Status: TaskPending, Step: pt.Task, After: pt.Task.After}
			if j < i%40 { // projects at every stage: the first tasks done
				done := pr.p.StartAt.Add(time.Duration(j) * 6 * time.Hour)
				t.Status, t.StartedAt, t.DoneAt = TaskDone, &done, &done
			}
			pr.tasks = append(pr.tasks, t)
			pr.index[t.Key] = j
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for i := range all {
			if err := s.plan(&all[i].p, all[i].tasks, all[i].index, now); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*projects), "ns/project")
}
