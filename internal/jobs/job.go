// Package jobs runs work that must happen later or be retried: a job is a
// row with a due time, written in the same transaction as the change that
// causes it, claimed by one worker at a time through a lease, retried with
// backoff, and never lost to a restart.
package jobs

import (
	"encoding/json"
	"time"
)

// Job states.
const (
	StatePending = "pending"
	StateDone    = "done"
	StateFailed  = "failed"
)

// Job is one unit of work of a kind, with a JSON payload its handler reads.
type Job struct {
	ID          string     `db:"id"`
	Kind        string     `db:"kind"`
	Payload     string     `db:"payload"`
	DueAt       time.Time  `db:"due_at"`
	Attempts    int        `db:"attempts"`
	MaxAttempts int        `db:"max_attempts"`
	LockedBy    string     `db:"locked_by"`
	LockedUntil *time.Time `db:"locked_until"`
	LastError   string     `db:"last_error"`
	CreatedAt   time.Time  `db:"created_at"`
	FinishedAt  *time.Time `db:"finished_at"`
	State       string     `db:"state"`
}

// EffectKind implements enlace.Effect.
func (Job) EffectKind() string { return "job" }

// New returns a job of kind due at due (zero: as soon as the change commits)
// with payload marshalled to JSON.
func New(kind string, payload any, due time.Time) Job {
	b, err := json.Marshal(payload)
	if err != nil {
		panic("jobs: payload of " + kind + " does not marshal: " + err.Error())
	}
	return Job{Kind: kind, Payload: string(b), DueAt: due, MaxAttempts: 10}
}

// LastAttempt reports whether the job's current attempt is its last one, so
// that a failure now fails the job instead of retrying it.
func (j Job) LastAttempt() bool { return j.Attempts >= j.MaxAttempts }
