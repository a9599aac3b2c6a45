package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/notify"
)

const notificationColumns = `id, user_id, customer_id, kind, title_key, body_key, args, link, created_at, read_at`

// notificationRow is a notification as stored, its Args as JSON text.
type notificationRow struct {
	notify.Notification
	ArgsJSON string `db:"args"`
}

func (r notificationRow) decode() (notify.Notification, error) {
	n := r.Notification
	if err := json.Unmarshal([]byte(r.ArgsJSON), &n.Args); err != nil {
		return n, fmt.Errorf("decode args of notification %s: %w", n.ID, err)
	}
	return n, nil
}

// notificationScope is the condition that limits notifications to one user
// acting for one customer: that customer's plus the user's personal ones.
func notificationScope(w *where, userID, customerID string) {
	w.add("user_id = ?", userID)
	w.add("customer_id IN (?, '')", customerID)
}

// selectNotifications runs a notification query and decodes its rows.
func (s *Store) selectNotifications(ctx context.Context, q sqlx.QueryerContext, query string, args ...any) ([]notify.Notification, error) {
	var rows []notificationRow
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return nil, err
	}
	ns := make([]notify.Notification, len(rows))
	for i, r := range rows {
		n, err := r.decode()
		if err != nil {
			return nil, err
		}
		ns[i] = n
	}
	return ns, nil
}

// RecentNotifications returns the newest notifications in scope and the
// number of unread ones.
func (s *Store) RecentNotifications(ctx context.Context, userID, customerID string, limit int) ([]notify.Notification, int, error) {
	var w where
	notificationScope(&w, userID, customerID)
	var unread int
	if err := s.db.GetContext(ctx, &unread, `SELECT COUNT(*) FROM notifications
		WHERE `+w.String()+` AND read_at IS NULL`, w.args...); err != nil {
		return nil, 0, fmt.Errorf("count unread notifications: %w", err)
	}
	ns, err := s.selectNotifications(ctx, s.db, `SELECT `+notificationColumns+` FROM notifications
		WHERE `+w.String()+` ORDER BY created_at DESC, id DESC LIMIT `+w.arg(limit), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("recent notifications: %w", err)
	}
	return ns, unread, nil
}

// FindNotifications returns a page of the notifications in scope, newest
// first, and how many match in all.
func (s *Store) FindNotifications(ctx context.Context, userID, customerID string, f notify.NotificationFilter) ([]notify.Notification, int, error) {
	var w where
	notificationScope(&w, userID, customerID)
	if f.UnreadOnly {
		w.add("read_at IS NULL")
	}
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM notifications WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, fmt.Errorf("count notifications: %w", err)
	}
	ns, err := s.selectNotifications(ctx, s.db, `SELECT `+notificationColumns+` FROM notifications
		WHERE `+w.String()+` ORDER BY created_at DESC, id DESC
		LIMIT `+w.arg(f.Limit)+` OFFSET `+w.arg(f.Offset), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find notifications: %w", err)
	}
	return ns, total, nil
}

// NotificationByID returns one notification in scope; any other is not
// found, whoever it belongs to.
func (s *Store) NotificationByID(ctx context.Context, userID, customerID, id string) (*notify.Notification, error) {
	var w where
	w.add("id = ?", id)
	notificationScope(&w, userID, customerID)
	ns, err := s.selectNotifications(ctx, s.db, `SELECT `+notificationColumns+` FROM notifications WHERE `+w.String(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("notification %s: %w", id, err)
	} else if len(ns) == 0 {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return &ns[0], nil
}

// MarkNotificationRead marks one notification in scope read; marking it
// again keeps the first reading time.
func (s *Store) MarkNotificationRead(ctx context.Context, userID, customerID, id string) error {
	return s.write(ctx, func(tx *Tx) error {
		var w where
		now := w.arg(tx.now)
		w.add("id = ?", id)
		notificationScope(&w, userID, customerID)
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, `+now+`)
			WHERE `+w.String(), w.args...)
		if err != nil {
			return fmt.Errorf("mark notification %s read: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("mark notification %s read: %w", id, err)
		} else if n == 0 {
			return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		return nil
	})
}

// MarkAllNotificationsRead marks every unread notification in scope read.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, userID, customerID string) error {
	return s.write(ctx, func(tx *Tx) error {
		var w where
		now := w.arg(tx.now)
		notificationScope(&w, userID, customerID)
		if _, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = `+now+`
			WHERE `+w.String()+` AND read_at IS NULL`, w.args...); err != nil {
			return fmt.Errorf("mark all notifications read: %w", err)
		}
		return nil
	})
}

const messageColumns = `id, channel, recipient, user_id, customer_id, purpose, subject, body_text,
	body_html, status, attempts, last_error, created_at, sent_at, code`

// MessageByID returns one outbox message.
func (s *Store) MessageByID(ctx context.Context, id string) (*notify.Message, error) {
	var m notify.Message
	if err := s.one(ctx, "error.not_found", &m, `SELECT `+messageColumns+` FROM messages WHERE id = $1`, id); err != nil {
		return nil, fmt.Errorf("message %s: %w", id, err)
	}
	return &m, nil
}

// FindMessages returns a page of outbox messages, newest first, and how
// many match in all.
func (s *Store) FindMessages(ctx context.Context, f notify.MessageFilter) ([]notify.Message, int, error) {
	var w where
	for _, c := range []struct {
		col string
		v   *string
	}{{"channel", f.Channel}, {"status", f.Status}, {"purpose", f.Purpose}, {"recipient", f.Recipient}} {
		if c.v != nil {
			w.add(c.col+" = ?", *c.v)
		}
	}
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM messages WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, fmt.Errorf("count messages: %w", err)
	}
	var ms []notify.Message
	if err := s.db.SelectContext(ctx, &ms, `SELECT `+messageColumns+` FROM messages
		WHERE `+w.String()+` ORDER BY created_at DESC, id DESC
		LIMIT `+w.arg(f.Limit)+` OFFSET `+w.arg(f.Offset), w.args...); err != nil {
		return nil, 0, fmt.Errorf("find messages: %w", err)
	}
	return ms, total, nil
}

// MarkMessageSent records that a message went out.
func (s *Store) MarkMessageSent(ctx context.Context, id string) error {
	return s.updateMessage(ctx, id, func(tx *Tx) (string, []any) {
		return `status = $2, sent_at = $3, last_error = ''`, []any{notify.StatusSent, tx.now}
	})
}

// MarkMessageAttempt records a failed delivery attempt and its error;
// failed marks the message failed for good, otherwise it stays pending.
func (s *Store) MarkMessageAttempt(ctx context.Context, id, errText string, failed bool) error {
	status := notify.StatusPending
	if failed {
		status = notify.StatusFailed
	}
	return s.updateMessage(ctx, id, func(tx *Tx) (string, []any) {
		return `status = $2, last_error = $3`, []any{status, errText}
	})
}

// updateMessage counts a delivery attempt of a message and applies the SET
// clause that set returns ($2 on).
func (s *Store) updateMessage(ctx context.Context, id string, set func(tx *Tx) (string, []any)) error {
	return s.write(ctx, func(tx *Tx) error {
		clause, args := set(tx)
		res, err := tx.ExecContext(ctx, `UPDATE messages SET attempts = attempts + 1, `+clause+`
			WHERE id = $1`, append([]any{id}, args...)...)
		if err != nil {
			return fmt.Errorf("update message %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("update message %s: %w", id, err)
		} else if n == 0 {
			return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		return nil
	})
}

// OutboxDepth counts the messages waiting to be sent.
func (s *Store) OutboxDepth(ctx context.Context) (int, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT COUNT(*) FROM messages WHERE status = $1`, notify.StatusPending); err != nil {
		return 0, fmt.Errorf("count pending messages: %w", err)
	}
	return n, nil
}
