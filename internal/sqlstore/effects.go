package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/enlace-portal/enlace/internal/document"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/notify"
)

// record writes the effects of a change in the change's transaction.
func (tx *Tx) record(ctx context.Context, effects ...enlace.Effect) error {
	for _, e := range effects {
		var err error
		switch e := e.(type) {
		case audit.Entry:
			err = tx.insertAudit(ctx, e)
		case notify.Notification:
			err = tx.insertNotification(ctx, e)
		case notify.Message:
			err = tx.insertMessage(ctx, e)
		case jobs.Job:
			err = tx.insertJob(ctx, e)
		case document.Document:
			err = tx.insertDocument(ctx, e)
		default:
			err = fmt.Errorf("unknown effect %T", e)
		}
		if err != nil {
			return fmt.Errorf("record %s: %w", e.EffectKind(), err)
		}
	}
	return nil
}

func (tx *Tx) insertAudit(ctx context.Context, e audit.Entry) error {
	_, err := tx.exec(ctx, `
		INSERT INTO audit_log (id, customer_id, actor_id, actor_email, action, object_type,
			object_id, detail, ip, request_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		enlace.NewID(), e.CustomerID, e.ActorID, e.ActorEmail, e.Action, e.ObjectType,
		e.ObjectID, e.Detail, e.IP, e.RequestID, tx.now)
	return err
}

func (tx *Tx) insertNotification(ctx context.Context, n notify.Notification) error {
	args, err := json.Marshal(n.Args)
	if err != nil {
		return err
	}
	if n.Args == nil {
		args = []byte("{}")
	}
	_, err = tx.exec(ctx, `
		INSERT INTO notifications (id, user_id, customer_id, kind, title_key, body_key, args, link, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		enlace.NewID(), n.UserID, n.CustomerID, n.Kind, n.TitleKey, n.BodyKey, string(args), n.Link, tx.now)
	return err
}

func (tx *Tx) insertMessage(ctx context.Context, m notify.Message) error {
	id := enlace.NewID()
	_, err := tx.exec(ctx, `
		INSERT INTO messages (id, channel, recipient, user_id, customer_id, purpose, subject,
			body_text, body_html, code, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		id, m.Channel, m.Recipient, m.UserID, m.CustomerID, m.Purpose, m.Subject,
		m.BodyText, m.BodyHTML, m.Code, notify.StatusPending, tx.now)
	if err != nil {
		return err
	}
	return tx.insertJob(ctx, jobs.New(notify.DeliverJob, notify.DeliverPayload{MessageID: id}, tx.now))
}

func (tx *Tx) insertJob(ctx context.Context, j jobs.Job) error {
	due := j.DueAt
	if due.IsZero() || due.Before(tx.now) {
		due = tx.now
	}
	if j.MaxAttempts == 0 {
		j.MaxAttempts = 10
	}
	_, err := tx.exec(ctx, `
		INSERT INTO jobs (id, kind, payload, due_at, max_attempts, created_at, state)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		enlace.NewID(), j.Kind, j.Payload, due.UTC(), j.MaxAttempts, tx.now, jobs.StatePending)
	return err
}
