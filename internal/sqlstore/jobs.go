package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
)

const jobColumns = `id, kind, payload, due_at, attempts, max_attempts, locked_by,
	locked_until, last_error, created_at, finished_at, state`

// ClaimJob leases the due job of one of kinds that has waited longest. The
// inner SELECT picks a candidate (skipping rows other claimers hold on
// PostgreSQL); the outer WHERE checks it again, because under READ COMMITTED
// a row another transaction claimed meanwhile is re-read here, and must no
// longer match. SQLite takes the write lock at BEGIN, so claims queue there.
func (s *Store) ClaimJob(ctx context.Context, worker string, kinds []string, lease time.Duration) (*jobs.Job, error) {
	if len(kinds) == 0 {
		return nil, jobs.ErrNoJob
	}
	var j jobs.Job
	err := s.write(ctx, func(tx *Tx) error {
		var w where
		now := w.arg(tx.now)
		in := make([]string, len(kinds))
		for i, k := range kinds {
			in[i] = w.arg(k)
		}
		free := `state = 'pending' AND (locked_until IS NULL OR locked_until < ` + now + `)`
		q := `UPDATE jobs SET locked_by = ` + w.arg(worker) + `, locked_until = ` + w.arg(tx.now.Add(lease)) +
			`, attempts = attempts + 1
			WHERE id = (SELECT id FROM jobs WHERE ` + free + ` AND due_at <= ` + now +
			` AND kind IN (` + strings.Join(in, ", ") + `) ORDER BY due_at, id LIMIT 1` + s.dialect.skipLocked() + `)
			AND ` + free + ` RETURNING ` + jobColumns
		return sqlx.GetContext(ctx, tx, &j, q, w.args...)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, jobs.ErrNoJob
	} else if err != nil {
		return nil, fmt.Errorf("claim job: %w", err)
	}
	return &j, nil
}

// CompleteJob marks a claimed job done.
func (s *Store) CompleteJob(ctx context.Context, j *jobs.Job) error {
	return s.settleJob(ctx, j, func(tx *Tx) (string, []any) {
		return `state = 'done', finished_at = $4, locked_until = NULL`, []any{tx.now}
	})
}

// RetryJob releases a claimed job to run again at at.
func (s *Store) RetryJob(ctx context.Context, j *jobs.Job, at time.Time, errText string) error {
	return s.settleJob(ctx, j, func(tx *Tx) (string, []any) {
		return `due_at = $4, last_error = $5, locked_until = NULL`, []any{at.UTC(), errText}
	})
}

// FailJob marks a claimed job failed for good.
func (s *Store) FailJob(ctx context.Context, j *jobs.Job, errText string) error {
	return s.settleJob(ctx, j, func(tx *Tx) (string, []any) {
		return `state = 'failed', finished_at = $4, last_error = $5, locked_until = NULL`, []any{tx.now, errText}
	})
}

// settleJob applies the SET clause that set returns ($4 on) to a job, but
// only while the caller's lease is the current one: same worker and same
// attempt. The attempt count works as a fencing token, since every claim
// raises it.
func (s *Store) settleJob(ctx context.Context, j *jobs.Job, set func(tx *Tx) (string, []any)) error {
	err := s.write(ctx, func(tx *Tx) error {
		clause, args := set(tx)
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET `+clause+`
			WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND state = 'pending'`,
			append([]any{j.ID, j.LockedBy, j.Attempts}, args...)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return jobs.ErrLeaseLost
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("settle job %s: %w", j.ID, err)
	}
	return nil
}

// DeleteFinishedJobs deletes the done and failed jobs that finished before
// before, and returns how many.
func (s *Store) DeleteFinishedJobs(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM jobs
			WHERE state IN ('done', 'failed') AND finished_at < $1`, before.UTC())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete finished jobs: %w", err)
	}
	return int(n), nil
}

// JobDepth counts the pending jobs, due or not.
func (s *Store) JobDepth(ctx context.Context) (int, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT COUNT(*) FROM jobs WHERE state = 'pending'`); err != nil {
		return 0, fmt.Errorf("count pending jobs: %w", err)
	}
	return n, nil
}

// JobByID returns a job in whatever state it is, for tests and the staff
// pages that show why a job failed.
func (s *Store) JobByID(ctx context.Context, id string) (*jobs.Job, error) {
	var j jobs.Job
	if err := s.one(ctx, "error.not_found", &j, `SELECT `+jobColumns+` FROM jobs WHERE id = $1`, id); err != nil {
		return nil, fmt.Errorf("job %s: %w", id, err)
	}
	return &j, nil
}

// RecordEffects commits effects in one transaction of their own, for
// changes that consist of nothing but effects (a login code to send, a
// notification) and for tests.
func (s *Store) RecordEffects(ctx context.Context, effects ...enlace.Effect) error {
	if err := s.write(ctx, func(tx *Tx) error { return tx.record(ctx, effects...) }); err != nil {
		return fmt.Errorf("record effects: %w", err)
	}
	return nil
}
