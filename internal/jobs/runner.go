package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Handler does the work of one job. An error makes the runner retry the job
// later, unless it is Permanent or the job has used its attempts.
type Handler func(ctx context.Context, j Job) error

// Runner defaults.
const (
	DefaultInterval  = time.Second
	DefaultWorkers   = 4
	DefaultLease     = 5 * time.Minute
	DefaultRetention = 7 * 24 * time.Hour
	cleanupEvery     = time.Hour
)

// Runner hands due jobs to their handlers: it polls the store, runs up to
// Workers jobs at once, and retries failed ones with backoff. Several
// runners, in one process or many, may share one database: a job is leased
// to one worker at a time, and a lease that expires (the worker crashed) lets
// another runner take the job again. Set the exported fields before Run.
type Runner struct {
	// Interval is how often Run looks for due jobs when nothing wakes it.
	Interval time.Duration
	// Workers bounds how many jobs run at once.
	Workers int
	// Lease is how long a claimed job stays its worker's; the handler's
	// context ends with it, so that no two workers run one job at a time.
	Lease time.Duration
	// Retention is how long finished jobs are kept before cleanup deletes them.
	Retention time.Duration

	store    Store
	clock    enlace.Clock
	log      *slog.Logger
	worker   string
	handlers map[string]Handler
	sweeps   []sweep
	wake     chan struct{}
}

// sweep is a named deletion of rows that have served their time.
type sweep struct {
	name string
	fn   func(ctx context.Context) (int, error)
}

// NewRunner returns a Runner with the default settings and no handlers.
func NewRunner(store Store, clock enlace.Clock, logger *slog.Logger) *Runner {
	host, _ := os.Hostname()
	return &Runner{
		Interval:  DefaultInterval,
		Workers:   DefaultWorkers,
		Lease:     DefaultLease,
		Retention: DefaultRetention,
		store:     store,
		clock:     clock,
		log:       logger,
		worker:    fmt.Sprintf("%s/%d/%s", host, os.Getpid(), enlace.NewSecret(6)),
		handlers:  map[string]Handler{},
		wake:      make(chan struct{}, 1),
	}
}

// Handle registers fn for jobs of kind; register every handler before Run.
func (r *Runner) Handle(kind string, fn Handler) { r.handlers[kind] = fn }

// Wake makes Run look for due jobs now instead of at the next tick: call it
// after committing a change that added a job, so the job runs at once.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default: // a wake-up is already pending; one is enough
	}
}

// kinds lists the registered kinds in a stable order.
func (r *Runner) kinds() []string {
	ks := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// RunDue runs every job that is due now, one after the other, and returns
// how many it ran. Tests and the demo use it instead of Run.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	kinds := r.kinds()
	n := 0
	for {
		j, err := r.store.ClaimJob(ctx, r.worker, kinds, r.Lease)
		if errors.Is(err, ErrNoJob) {
			return n, nil
		} else if err != nil {
			return n, fmt.Errorf("run due jobs: %w", err)
		}
		r.execute(ctx, j)
		n++
	}
}

// Run polls for due jobs and runs them until ctx ends, then waits for the
// jobs in progress and returns.
func (r *Runner) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	slots := make(chan struct{}, max(r.Workers, 1))
	ticker := time.NewTicker(r.Interval)
	defer ticker.Stop()
	var lastCleanup time.Time
	for {
		if now := r.clock.Now(); now.Sub(lastCleanup) >= cleanupEvery {
			lastCleanup = now
			r.cleanup(ctx)
		}
		r.dispatch(ctx, slots, &wg)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-r.wake:
		}
	}
}

// dispatch claims jobs while a worker slot is free and a job is due. A
// worker that finishes wakes the loop, so a backlog drains without waiting
// for the next tick.
func (r *Runner) dispatch(ctx context.Context, slots chan struct{}, wg *sync.WaitGroup) {
	kinds := r.kinds()
	for ctx.Err() == nil {
		select {
		case slots <- struct{}{}:
		default:
			return // every worker is busy
		}
		j, err := r.store.ClaimJob(ctx, r.worker, kinds, r.Lease)
		if err != nil {
			<-slots
			if !errors.Is(err, ErrNoJob) && ctx.Err() == nil {
				r.log.Error("claim job", "err", err)
			}
			return
		}
		wg.Go(func() {
			defer func() { <-slots; r.Wake() }()
			r.execute(ctx, j)
		})
	}
}

// Sweep registers fn to run with every cleanup: modules delete there what
// has expired (sessions, one-time codes, links), so tables do not grow
// without end. Every replica sweeps; deleting the same rows twice is harmless.
func (r *Runner) Sweep(name string, fn func(ctx context.Context) (int, error)) {
	r.sweeps = append(r.sweeps, sweep{name: name, fn: fn})
}

// cleanup deletes the jobs that finished more than Retention ago, then
// runs the sweeps.
func (r *Runner) cleanup(ctx context.Context) {
	all := append([]sweep{{name: "finished jobs", fn: r.Cleanup}}, r.sweeps...)
	for _, s := range all {
		n, err := s.fn(ctx)
		if err != nil {
			r.log.Error("sweep", "sweep", s.name, "err", err)
		} else if n > 0 {
			r.log.Info("swept", "sweep", s.name, "count", n)
		}
	}
}

// Cleanup deletes the jobs that finished more than Retention ago and
// returns how many. Run calls it every hour.
func (r *Runner) Cleanup(ctx context.Context) (int, error) {
	return r.store.DeleteFinishedJobs(ctx, r.clock.Now().Add(-r.Retention))
}
