package jobs

import (
	"context"
	"errors"
	"time"
)

// ErrNoJob is what Store.ClaimJob returns when no job is due.
var ErrNoJob = errors.New("jobs: no job due")

// ErrLeaseLost is what the store returns when a worker reports on a job
// whose lease expired and was taken over by another worker (or claimed again).
var ErrLeaseLost = errors.New("jobs: lease lost")

// Store keeps the jobs. The claimed *Job a runner holds is its lease:
// CompleteJob, RetryJob and FailJob change the job only while that lease is
// still the current one (same worker, same attempt), so a worker whose lease
// expired and was reclaimed by another cannot undo the other's work.
type Store interface {
	// ClaimJob leases the job of one of kinds that has been due longest to
	// worker for lease, counting an attempt; ErrNoJob when none is due.
	ClaimJob(ctx context.Context, worker string, kinds []string, lease time.Duration) (*Job, error)
	// CompleteJob marks a claimed job done.
	CompleteJob(ctx context.Context, j *Job) error
	// RetryJob releases a claimed job to run again at at, keeping errText.
	RetryJob(ctx context.Context, j *Job, at time.Time, errText string) error
	// FailJob marks a claimed job failed for good, keeping errText.
	FailJob(ctx context.Context, j *Job, errText string) error
	// DeleteFinishedJobs deletes done and failed jobs finished before before.
	DeleteFinishedJobs(ctx context.Context, before time.Time) (int, error)
	// JobDepth counts the pending jobs, for metrics.
	JobDepth(ctx context.Context) (int, error)
}
