package sqlstore

import (
	"context"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// CreateSession stores a new session and clears the failure counter of
// the login that opened it.
func (s *Store) CreateSession(ctx context.Context, sess *identity.Session, clearThrottle string) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO sessions (id, user_id, customer_id, stage, ip, user_agent, created_at, last_seen_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			sess.ID, sess.UserID, sess.CustomerID, sess.Stage, sess.IP, sess.UserAgent,
			sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM throttles WHERE key = $1`, clearThrottle)
		return err
	})
}

// SessionByID returns a session by the hash of its token.
func (s *Store) SessionByID(ctx context.Context, id string) (*identity.Session, error) {
	var sess identity.Session
	if err := s.one(ctx, "login.session_expired", &sess, `
		SELECT id, user_id, customer_id, stage, ip, user_agent, created_at, last_seen_at, expires_at, revoked_at
		FROM sessions WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return &sess, nil
}

// TouchSession records that the session was used.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, at, id)
	return err
}

// SwitchCustomer makes a session act for a customer and remembers it as
// the user's last one.
func (s *Store) SwitchCustomer(ctx context.Context, sessionID, userID, customerID string) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET customer_id = $1 WHERE id = $2`, customerID, sessionID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET last_customer_id = $1 WHERE id = $2`, customerID, userID)
		return err
	})
}

// RevokeSession ends a session.
func (s *Store) RevokeSession(ctx context.Context, id string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, at, id)
	return err
}

// DeleteExpired deletes identity rows past use: sessions and login codes
// that ended a day ago, reset links and challenges a day past expiry, and
// throttles whose window and pause are both over.
func (s *Store) DeleteExpired(ctx context.Context, now, dayAgo time.Time, failureWindow time.Duration) (int, error) {
	var total int64
	err := s.write(ctx, func(tx *Tx) error {
		for _, d := range []struct {
			query string
			args  []any
		}{
			{`DELETE FROM login_codes WHERE expires_at < $1`, []any{dayAgo}},
			{`DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1`, []any{dayAgo}},
			{`DELETE FROM recovery_tokens WHERE expires_at < $1`, []any{dayAgo}},
			{`DELETE FROM challenges WHERE expires_at < $1`, []any{dayAgo}},
			{`DELETE FROM throttles WHERE window_start < $1 AND (blocked_until IS NULL OR blocked_until < $2)`,
				[]any{now.Add(-failureWindow), now}},
		} {
			res, err := tx.ExecContext(ctx, d.query, d.args...)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			total += n
		}
		return nil
	})
	return int(total), err
}

// Throttled reports whether any of the keys is paused at now.
func (s *Store) Throttled(ctx context.Context, now time.Time, keys ...string) (bool, error) {
	var w where
	w.add("blocked_until > ?", now)
	in := ""
	for i, k := range keys {
		if i > 0 {
			in += ", "
		}
		in += w.arg(k)
	}
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT COUNT(*) FROM throttles WHERE `+w.String()+` AND key IN (`+in+`)`, w.args...)
	return n > 0, err
}

// RecordFailures counts one failure under each rule's key, starting a new
// window when the old one has passed, and pauses the key at its limit.
func (s *Store) RecordFailures(ctx context.Context, now time.Time, rules ...identity.ThrottleRule) error {
	return s.write(ctx, func(tx *Tx) error {
		for _, r := range rules {
			var t struct {
				WindowStart time.Time `db:"window_start"`
				Failures    int       `db:"failures"`
			}
			err := getOne(ctx, tx, "error.not_found", &t, `SELECT window_start, failures FROM throttles WHERE key = $1`, r.Key)
			if enlace.ErrorCode(err) == enlace.ENOTFOUND || err == nil && now.Sub(t.WindowStart) >= r.Window {
				t.WindowStart, t.Failures = now, 0
			} else if err != nil {
				return err
			}
			t.Failures++
			var blocked *time.Time
			if t.Failures >= r.Limit {
				until := now.Add(r.Pause)
				blocked = &until
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO throttles (key, window_start, failures, blocked_until) VALUES ($1, $2, $3, $4)
				ON CONFLICT (key) DO UPDATE SET window_start = $2, failures = $3, blocked_until = $4`,
				r.Key, t.WindowStart, t.Failures, blocked); err != nil {
				return err
			}
		}
		return nil
	})
}

// LoginCodeStats returns the session's latest login code and how many were sent.
func (s *Store) LoginCodeStats(ctx context.Context, sessionID string) (*identity.LoginCode, int, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT COUNT(*) FROM login_codes WHERE session_id = $1`, sessionID); err != nil {
		return nil, 0, err
	}
	if n == 0 {
		return nil, 0, nil
	}
	var c identity.LoginCode
	if err := s.one(ctx, "login.code_missing", &c, `
		SELECT id, session_id, user_id, channel, destination, code_hash, tries, created_at, expires_at, used_at
		FROM login_codes WHERE session_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, sessionID); err != nil {
		return nil, 0, err
	}
	return &c, n, nil
}

// CreateLoginCode stores a code together with the message that carries it.
func (s *Store) CreateLoginCode(ctx context.Context, c *identity.LoginCode, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO login_codes (id, session_id, user_id, channel, destination, code_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			c.ID, c.SessionID, c.UserID, c.Channel, c.Destination, c.CodeHash, c.CreatedAt, c.ExpiresAt); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// RecordCodeTry counts a wrong code.
func (s *Store) RecordCodeTry(ctx context.Context, id string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE login_codes SET tries = tries + 1 WHERE id = $1`, id)
	return err
}

// CompleteSecondFactor spends the code, moves the session on and
// remembers the user's channel and, for WhatsApp, their mobile.
func (s *Store) CompleteSecondFactor(ctx context.Context, f identity.SecondFactor, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if f.CodeID != "" {
			res, err := tx.ExecContext(ctx, `UPDATE login_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, tx.now, f.CodeID)
			if err != nil {
				return err
			}
			// Two requests racing with the same code: only one wins.
			if n, _ := res.RowsAffected(); n != 1 {
				return enlace.Errorf(enlace.EINVALID, "login.code_missing")
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET stage = $1, last_seen_at = $2 WHERE id = $3`,
			f.Stage, tx.now, f.SessionID); err != nil {
			return err
		}
		set, args := `last_login_at = $1, mfa_channel = $2`, []any{tx.now, f.Channel, f.UserID}
		if f.Mobile != "" {
			set, args = set+`, mobile = $4`, append(args, f.Mobile)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET `+set+` WHERE id = $3`, args...); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// CreateChallenge stores a challenge.
func (s *Store) CreateChallenge(ctx context.Context, c *identity.Challenge) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO challenges (id, answer_hash, expires_at) VALUES ($1, $2, $3)`,
		c.ID, c.AnswerHash, c.ExpiresAt)
	return err
}

// SolveChallenge checks an answer to an unsolved, live challenge and spends
// the challenge either way; a right answer binds it to subject.
func (s *Store) SolveChallenge(ctx context.Context, id, answerHash, subject string, now time.Time) (bool, error) {
	var ok bool
	err := s.write(ctx, func(tx *Tx) error {
		var c identity.Challenge
		err := getOne(ctx, tx, "error.not_found", &c, `SELECT id, answer_hash, expires_at, subject, solved_at, used_at FROM challenges WHERE id = $1`, id)
		if enlace.ErrorCode(err) == enlace.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		if c.SolvedAt != nil || c.UsedAt != nil || !now.Before(c.ExpiresAt) {
			return nil
		}
		ok = c.AnswerHash == answerHash
		if !ok {
			_, err = tx.ExecContext(ctx, `UPDATE challenges SET used_at = $1 WHERE id = $2`, now, id)
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE challenges SET solved_at = $1, subject = $2 WHERE id = $3`, now, subject, id)
		return err
	})
	return ok, err
}

// UseChallenge spends a challenge solved after solvedAfter and returns its
// subject.
func (s *Store) UseChallenge(ctx context.Context, id string, solvedAfter, now time.Time) (string, error) {
	var subject string
	err := s.write(ctx, func(tx *Tx) error {
		err := getOne(ctx, tx, "error.not_found", &subject, `
			UPDATE challenges SET used_at = $1
			WHERE id = $2 AND used_at IS NULL AND solved_at IS NOT NULL AND solved_at > $3
			RETURNING subject`, now, id, solvedAfter)
		return err
	})
	return subject, err
}

// CreateRecoveryToken stores a reset link with the e-mail that carries it.
func (s *Store) CreateRecoveryToken(ctx context.Context, t *identity.RecoveryToken, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO recovery_tokens (id, user_id, token_hash, sent_to, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, t.ID, t.UserID, t.TokenHash, t.SentTo, t.CreatedAt, t.ExpiresAt); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// RecoveryTokenByHash returns a reset link by its hash.
func (s *Store) RecoveryTokenByHash(ctx context.Context, hash string) (*identity.RecoveryToken, error) {
	var t identity.RecoveryToken
	if err := s.one(ctx, "recovery.link_invalid", &t, `
		SELECT id, user_id, token_hash, sent_to, created_at, expires_at, used_at
		FROM recovery_tokens WHERE token_hash = $1`, hash); err != nil {
		return nil, err
	}
	return &t, nil
}

// ResetPassword spends a reset link and sets the new password; every
// session of the user ends.
func (s *Store) ResetPassword(ctx context.Context, tokenID string, p identity.PasswordSet, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE recovery_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, tx.now, tokenID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return enlace.Errorf(enlace.EINVALID, "recovery.link_invalid")
		}
		if err := tx.setPassword(ctx, p); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}
