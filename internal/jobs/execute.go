package jobs

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
)

// execute runs one claimed job and records the outcome: done, retry later,
// or failed. A job that keeps crashing its workers (its lease expired more
// often than it may be attempted) fails without running again.
func (r *Runner) execute(ctx context.Context, j *Job) {
	log := r.log.With("job_id", j.ID, "kind", j.Kind, "attempt", j.Attempts)
	var err error
	if j.Attempts > j.MaxAttempts {
		err = Permanent(fmt.Errorf("job %s: attempts exhausted by expired leases", j.Kind))
	} else {
		err = r.call(ctx, j)
	}
	if settleErr := r.settle(ctx, j, err); errors.Is(settleErr, ErrLeaseLost) {
		log.Warn("job outlived its lease; another worker took it over", "job_err", err)
		return
	} else if settleErr != nil {
		log.Error("record job outcome", "err", settleErr, "job_err", err)
		return
	}
	if err != nil {
		log.Warn("job failed", "err", err, "permanent", IsPermanent(err))
	}
}

// call runs the job's handler within the lease, turning a panic into an
// error so that one bad job cannot take the runner down.
func (r *Runner) call(ctx context.Context, j *Job) (err error) {
	fn, ok := r.handlers[j.Kind]
	if !ok {
		return Permanent(fmt.Errorf("no handler for job kind %q", j.Kind))
	}
	ctx, cancel := context.WithTimeout(ctx, r.Lease)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v\n%s", j.Kind, p, debug.Stack())
		}
	}()
	return fn(ctx, *j)
}

// settle tells the store what became of the job.
func (r *Runner) settle(ctx context.Context, j *Job, err error) error {
	// The outcome must be recorded even when Run is being stopped, or a
	// finished job would run again after its lease expires.
	ctx = context.WithoutCancel(ctx)
	switch {
	case err == nil:
		return r.store.CompleteJob(ctx, j)
	case IsPermanent(err) || j.LastAttempt():
		return r.store.FailJob(ctx, j, err.Error())
	default:
		return r.store.RetryJob(ctx, j, r.clock.Now().Add(Backoff(j.Attempts)), err.Error())
	}
}
