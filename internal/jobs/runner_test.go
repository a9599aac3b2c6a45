package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// recorder is a handler that remembers the jobs it ran and fails while
// failures last.
type recorder struct {
	mu       sync.Mutex
	runs     map[string]int
	last     jobs.Job
	failures int
	err      error
}

func (r *recorder) handle(_ context.Context, j jobs.Job) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.runs == nil {
		r.runs = map[string]int{}
	}
	r.runs[j.ID]++
	r.last = j
	if r.failures > 0 {
		r.failures--
		return r.err
	}
	return nil
}

// setup returns a store on a fresh test database with a job of kind
// "test" due now, and a runner with rec as the handler of that kind.
func setup(t *testing.T, maxAttempts int, rec *recorder) (*sqlstore.Store, *enlace.FakeClock, *jobs.Runner) {
	t.Helper()
	clock := enlace.NewFakeClock(start)
	s := sqlstore.MustOpenTest(t, clock)
	j := jobs.New("test", map[string]string{"n": "1"}, time.Time{})
	j.MaxAttempts = maxAttempts
	if err := s.RecordEffects(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	r := jobs.NewRunner(s, clock, quiet)
	r.Handle("test", rec.handle)
	return s, clock, r
}

func mustRunDue(t *testing.T, r *jobs.Runner, want int) {
	t.Helper()
	n, err := r.RunDue(context.Background())
	if err != nil || n != want {
		t.Fatalf("RunDue() = %d, %v, want %d, nil", n, err, want)
	}
}

func mustJob(t *testing.T, s *sqlstore.Store, id string) *jobs.Job {
	t.Helper()
	j, err := s.JobByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestRetryWithBackoff(t *testing.T) {
	rec := &recorder{failures: 1, err: errors.New("smtp server down")}
	s, clock, r := setup(t, 10, rec)
	mustRunDue(t, r, 1)
	j := mustJob(t, s, rec.last.ID)
	if j.State != jobs.StatePending || j.Attempts != 1 || j.LastError != "smtp server down" {
		t.Errorf("after a failure job = %s, %d attempts, %q; want pending, 1, the error", j.State, j.Attempts, j.LastError)
	}
	if wait := j.DueAt.Sub(start); wait < jobs.BackoffBase/2 || wait > jobs.BackoffBase {
		t.Errorf("first retry after %v, want between %v and %v", wait, jobs.BackoffBase/2, jobs.BackoffBase)
	}
	mustRunDue(t, r, 0) // not due yet
	clock.Advance(jobs.BackoffBase)
	mustRunDue(t, r, 1)
	if j := mustJob(t, s, rec.last.ID); j.State != jobs.StateDone || j.FinishedAt == nil || j.Attempts != 2 {
		t.Errorf("after the retry job = %s, finished %v, %d attempts; want done, set, 2", j.State, j.FinishedAt, j.Attempts)
	}
}

func TestFailures(t *testing.T) {
	for _, tt := range []struct {
		name        string
		maxAttempts int
		err         error
		runs        int // how many times the job runs before failing
	}{
		{"permanent error fails at once", 10, jobs.Permanent(errors.New("no such mailbox")), 1},
		{"attempts exhausted", 3, errors.New("timeout"), 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{failures: 100, err: tt.err}
			s, clock, r := setup(t, tt.maxAttempts, rec)
			for range tt.runs {
				mustRunDue(t, r, 1)
				clock.Advance(jobs.BackoffMax)
			}
			mustRunDue(t, r, 0)
			j := mustJob(t, s, rec.last.ID)
			if j.State != jobs.StateFailed || j.LastError != tt.err.Error() || j.FinishedAt == nil {
				t.Errorf("job = %s, %q, finished %v; want failed, %q, set", j.State, j.LastError, j.FinishedAt, tt.err)
			}
		})
	}
}

func TestPanicIsRetried(t *testing.T) {
	clock := enlace.NewFakeClock(start)
	s := sqlstore.MustOpenTest(t, clock)
	if err := s.RecordEffects(context.Background(), jobs.New("boom", nil, time.Time{})); err != nil {
		t.Fatal(err)
	}
	r := jobs.NewRunner(s, clock, quiet)
	r.Handle("boom", func(context.Context, jobs.Job) error { panic("nil map") })
	mustRunDue(t, r, 1)
	if n, _ := s.JobDepth(context.Background()); n != 1 {
		t.Errorf("JobDepth() after a panic = %d, want 1 (retried)", n)
	}
}
