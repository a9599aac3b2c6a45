package sqlstore

import (
	"context"
	"strings"

	"github.com/enlace-portal/enlace/internal/audit"
)

// FindAuditEntries pages through the audit log, newest first.
func (s *Store) FindAuditEntries(ctx context.Context, f audit.Filter) ([]audit.Entry, int, error) {
	var w where
	if f.CustomerID != nil {
		w.add("customer_id = ?", *f.CustomerID)
	}
	if f.ActorEmail != nil && *f.ActorEmail != "" {
		w.add("actor_email LIKE ?", "%"+strings.ToLower(*f.ActorEmail)+"%")
	}
	if f.Action != nil && *f.Action != "" {
		w.add("action LIKE ?", *f.Action+"%")
	}
	if f.ObjectType != nil && *f.ObjectType != "" {
		w.add("object_type = ?", *f.ObjectType)
	}
	if f.ObjectID != nil && *f.ObjectID != "" {
		w.add("object_id = ?", *f.ObjectID)
	}
	if f.Since != nil {
		w.add("created_at >= ?", f.Since.UTC())
	}
	if f.Until != nil {
		w.add("created_at < ?", f.Until.UTC())
	}
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM audit_log WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, err
	}
	es := []audit.Entry{}
	err := s.db.SelectContext(ctx, &es, `
		SELECT id, customer_id, actor_id, actor_email, action, object_type, object_id, detail, ip, request_id, created_at
		FROM audit_log WHERE `+w.String()+` ORDER BY created_at DESC, id DESC
		LIMIT `+w.arg(f.Limit)+` OFFSET `+w.arg(f.Offset), w.args...)
	return es, total, err
}
