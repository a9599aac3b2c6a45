package jobs_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// TestExpiredLeaseIsReclaimed plays a worker that claims a job and dies:
// nobody may take the job while its lease lasts, another runner takes it
// when the lease has expired, and the dead worker's late report is refused.
func TestExpiredLeaseIsReclaimed(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	s, clock, r := setup(t, 10, rec)
	crashed, err := s.ClaimJob(ctx, "crashed-worker", []string{"test"}, time.Minute)
	if err != nil {
		t.Fatalf("ClaimJob() = %v", err)
	}
	mustRunDue(t, r, 0) // leased
	clock.Advance(time.Minute + time.Second)
	mustRunDue(t, r, 1)
	if j := mustJob(t, s, crashed.ID); j.State != jobs.StateDone || j.Attempts != 2 {
		t.Errorf("reclaimed job = %s with %d attempts, want done with 2", j.State, j.Attempts)
	}
	if err := s.RetryJob(ctx, crashed, clock.Now(), "late"); !errors.Is(err, jobs.ErrLeaseLost) {
		t.Errorf("RetryJob() by the crashed worker = %v, want ErrLeaseLost", err)
	}
}

// TestTwoRunnersNeverRunAJobTwice runs two runners, each with its own
// connection pool as if in two processes, on one database at once.
func TestTwoRunnersNeverRunAJobTwice(t *testing.T) {
	ctx := context.Background()
	clock := enlace.NewFakeClock(start)
	url := sqlstore.TestURL(t)
	stores := make([]*sqlstore.Store, 2)
	for i := range stores {
		s, err := sqlstore.Open(ctx, url, clock)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		stores[i] = s
	}
	const n = 60
	effects := make([]enlace.Effect, n)
	for i := range effects {
		effects[i] = jobs.New("test", map[string]int{"i": i}, time.Time{})
	}
	if err := stores[0].RecordEffects(ctx, effects...); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	var wg sync.WaitGroup
	ran := make([]int, 4)
	for i := range ran {
		r := jobs.NewRunner(stores[i%2], clock, quiet)
		r.Handle("test", rec.handle)
		wg.Go(func() {
			var err error
			if ran[i], err = r.RunDue(ctx); err != nil {
				t.Errorf("RunDue() = %v", err)
			}
		})
	}
	wg.Wait()
	if total := ran[0] + ran[1] + ran[2] + ran[3]; total != n || len(rec.runs) != n {
		t.Errorf("runners ran %v = %d jobs, %d distinct; want %d", ran, total, len(rec.runs), n)
	}
	for id, runs := range rec.runs {
		if runs != 1 {
			t.Errorf("job %s ran %d times, want 1", id, runs)
		}
	}
}

func TestRunWakesOnDemand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	clock := enlace.NewFakeClock(start)
	s := sqlstore.MustOpenTest(t, clock)
	r := jobs.NewRunner(s, clock, quiet)
	r.Interval = time.Hour // only Wake can start the job within the test
	done := make(chan string, 1)
	r.Handle("test", func(_ context.Context, j jobs.Job) error { done <- j.Payload; return nil })
	stopped := make(chan struct{})
	go func() { r.Run(ctx); close(stopped) }()
	if err := s.RecordEffects(ctx, jobs.New("test", "woken", time.Time{})); err != nil {
		t.Fatal(err)
	}
	r.Wake()
	select {
	case got := <-done:
		if got != `"woken"` {
			t.Errorf("job payload = %s, want \"woken\"", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not run the job after Wake")
	}
	cancel()
	<-stopped
}

func TestCleanupDeletesOldFinishedJobs(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	s, clock, r := setup(t, 10, rec)
	if err := s.RecordEffects(ctx, jobs.New("later", nil, start.Add(30*24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	mustRunDue(t, r, 1)
	for _, tt := range []struct {
		advance time.Duration
		want    int
	}{{6 * 24 * time.Hour, 0}, {2 * 24 * time.Hour, 1}} {
		clock.Advance(tt.advance)
		if n, err := r.Cleanup(ctx); err != nil || n != tt.want {
			t.Errorf("Cleanup() at %v = %d, %v, want %d", clock.Now().Sub(start), n, err, tt.want)
		}
	}
	if n, err := s.JobDepth(ctx); n != 1 || err != nil {
		t.Errorf("JobDepth() = %d, %v, want the pending job only: 1", n, err)
	}
}

func TestBackoffBounds(t *testing.T) {
	for attempt, want := range map[int]time.Duration{1: 10 * time.Second, 2: 20 * time.Second, 4: 80 * time.Second, 9: 2560 * time.Second, 10: time.Hour, 50: time.Hour} {
		for range 20 {
			if got := jobs.Backoff(attempt); got < want/2 || got > want {
				t.Errorf("Backoff(%d) = %v, want between %v and %v", attempt, got, want/2, want)
			}
		}
	}
}

func TestRunSweepsAtStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	clock := enlace.NewFakeClock(start)
	r := jobs.NewRunner(sqlstore.MustOpenTest(t, clock), clock, quiet)
	swept := make(chan struct{}, 1)
	r.Sweep("test", func(context.Context) (int, error) { swept <- struct{}{}; return 1, nil })
	stopped := make(chan struct{})
	go func() { r.Run(ctx); close(stopped) }()
	select {
	case <-swept:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not run the registered sweep")
	}
	cancel()
	<-stopped
}
