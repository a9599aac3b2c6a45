package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/porting"
)

const (
	orderInsertColumns = `id, folio, customer_id, billing_account_id, site_id, project_id, state, requested_date,
		foc_date, foc_received_at, visible_at, signer_user_id, account_name, service_address, reason, carrier_ref,
		submission_key, submissions, submitted_at, last_event_at, loa_document_id, loa_sha256, signed_document_id,
		assigned_confirmed_at, assigned_confirmed_by, ported_at, completed_at, completed_by, cancelled_at, version,
		created_by, created_at, updated_at`
	orderInsertWidth = 33
)

// orderValues appends a port order's columns in orderInsertColumns order.
func orderValues(o *porting.Order, dst []any) []any {
	return append(dst, o.ID, o.Folio, o.CustomerID, o.BillingAccountID, o.SiteID, o.ProjectID, o.State,
		o.RequestedDate.UTC(), utcPtr(o.FOCDate), utcPtr(o.FOCReceivedAt), utcPtr(o.VisibleAt), o.SignerUserID,
		o.AccountName, o.ServiceAddress, o.Reason, o.CarrierRef, o.SubmissionKey, o.Submissions, utcPtr(o.SubmittedAt),
		utcPtr(o.LastEventAt), o.LOADocumentID, o.LOASHA256, o.SignedDocumentID, utcPtr(o.AssignedConfirmedAt),
		o.AssignedConfirmedBy, utcPtr(o.PortedAt), utcPtr(o.CompletedAt), o.CompletedBy, utcPtr(o.CancelledAt),
		o.Version, o.CreatedBy, o.CreatedAt.UTC(), o.UpdatedAt.UTC())
}

// orderColumns reads a port order through the alias o with its
// customer's name, its signer's name and address and how many numbers it
// has; the signature's columns are read by OrderByID alone.
var orderColumns = qualify("o", orderInsertColumns) + `, c.name AS customer_name,
	COALESCE(u.first_name || ' ' || u.last_name, '') AS signer_name, COALESCE(u.email, '') AS signer_email,
	(SELECT COUNT(*) FROM port_order_lines l WHERE l.order_id = o.id) AS number_count`

const orderJoins = ` JOIN customers c ON c.id = o.customer_id LEFT JOIN users u ON u.id = o.signer_user_id`

const lineColumns = `order_id, e164, seq, carrier, account_number, status, reason, number_id`

// lineValues appends a line's columns in lineColumns order.
func lineValues(l *porting.Line, dst []any) []any {
	return append(dst, l.OrderID, l.E164, l.Seq, l.Carrier, l.AccountNumber, l.Status, l.Reason, l.NumberID)
}

// openOrderStates are the states of the orders with work ahead.
var openOrderStates = func() []string {
	var open []string
	for _, st := range porting.States {
		if (&porting.Order{State: st}).Open() {
			open = append(open, st)
		}
	}
	return open
}()

// CreateOrder stores a new port order, its lines and the numbers it
// brings in under the next folio of the year, with the effects, in one
// transaction; a number already held fails it with ECONFLICT naming it.
func (s *Store) CreateOrder(ctx context.Context, c porting.Change, effects ...enlace.Effect) error {
	o := c.Order
	err := s.write(ctx, func(tx *Tx) error {
		year := tx.now.UTC().Year()
		n, err := tx.nextNumber(ctx, fmt.Sprintf("port-orders-%d", year))
		if err != nil {
			return err
		}
		if o.ID == "" {
			o.ID = enlace.NewID()
		}
		o.Folio = fmt.Sprintf("PORT-%d-%06d", year, n)
		o.Version, o.CreatedAt, o.UpdatedAt = 1, tx.now, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO port_orders (`+orderInsertColumns+`) VALUES `+
			placeholders(1, 1, orderInsertWidth), orderValues(o, nil)...); err != nil {
			return err
		}
		if err := tx.writeSignature(ctx, o); err != nil {
			return err
		}
		if err := tx.insertLines(ctx, o.ID, c.Lines); err != nil {
			return err
		}
		if err := tx.insertNumbers(ctx, c.NewNumbers); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
	return s.heldConflict(ctx, err, c.NewNumbers)
}

// insertLines stores an order's lines numbered in the order given.
func (tx *Tx) insertLines(ctx context.Context, orderID string, lines []porting.Line) error {
	for i := range lines {
		lines[i].OrderID, lines[i].Seq = orderID, i+1
	}
	return insertBatches(ctx, tx, "port_order_lines", lineColumns, 8, tx.store.dialect.insertBatch(), len(lines),
		func(i int, dst []any) []any { return lineValues(&lines[i], dst) })
}

// writeSignature writes the signature's evidence of an order, or clears
// it when the order has none (a changed order must be signed again).
func (tx *Tx) writeSignature(ctx context.Context, o *porting.Order) error {
	sg := o.Signature
	if sg == nil {
		_, err := tx.exec(ctx, `UPDATE port_orders SET signed_by = '', signed_name = '', signature_kind = '',
			signature_image = '', signed_at = NULL, signed_ip = '', signed_user_agent = '', signed_sha256 = '' WHERE id = $1 AND signed_at IS NOT NULL`, o.ID)
		return err
	}
	_, err := tx.exec(ctx, `UPDATE port_orders SET signed_by = $1, signed_name = $2, signature_kind = $3,
		signature_image = $4, signed_at = $5, signed_ip = $6, signed_user_agent = $7, signed_sha256 = $8 WHERE id = $9`,
		sg.UserID, sg.Name, sg.Kind, sg.Image, sg.At.UTC(), sg.IP, sg.UserAgent, sg.DocumentSHA256, o.ID)
	return err
}

// orderRow is a port order as OrderByID reads it, with the signature's
// columns, NULL or empty until the signer signs.
type orderRow struct {
	porting.Order
	SignedBy        string     `db:"signed_by"`
	SignedName      string     `db:"signed_name"`
	SignatureKind   string     `db:"signature_kind"`
	SignatureImage  string     `db:"signature_image"`
	SignedAt        *time.Time `db:"signed_at"`
	SignedIP        string     `db:"signed_ip"`
	SignedUserAgent string     `db:"signed_user_agent"`
	SignedSHA256    string     `db:"signed_sha256"`
}

// OrderByID returns a port order with its names, number count and, once
// signed, its signature.
func (s *Store) OrderByID(ctx context.Context, id string) (*porting.Order, error) {
	var r orderRow
	if err := s.one(ctx, "error.not_found", &r, `SELECT `+orderColumns+`, o.signed_by, o.signed_name,
		o.signature_kind, o.signature_image, o.signed_at, o.signed_ip, o.signed_user_agent, o.signed_sha256
		FROM port_orders o`+orderJoins+` WHERE o.id = $1`, id); err != nil {
		return nil, err
	}
	o := r.Order
	if r.SignedAt != nil {
		o.Signature = &porting.Signature{UserID: r.SignedBy, Name: r.SignedName, Kind: r.SignatureKind,
			Image: r.SignatureImage, At: *r.SignedAt, IP: r.SignedIP, UserAgent: r.SignedUserAgent,
			DocumentSHA256: r.SignedSHA256}
	}
	return &o, nil
}

// OrderLines returns an order's numbers in the order entered, with their
// inventory numbers' state and assignee.
func (s *Store) OrderLines(ctx context.Context, orderID string) ([]porting.Line, error) {
	out := []porting.Line{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+qualify("l", lineColumns)+`,
		COALESCE(n.state, '') AS number_state, COALESCE(n.assignee_name, '') AS assignee_name
		FROM port_order_lines l LEFT JOIN numbers n ON n.id = l.number_id
		WHERE l.order_id = $1 ORDER BY l.seq`, orderID)
	return out, err
}

// FindOrders returns a page of the port orders matching f, newest first,
// and their total.
func (s *Store) FindOrders(ctx context.Context, f porting.Filter) ([]porting.Order, int, error) {
	w := &where{}
	if f.CustomerID != "" {
		w.add("o.customer_id = ?", f.CustomerID)
	}
	if f.ProjectID != "" {
		w.add("o.project_id = ?", f.ProjectID)
	}
	if f.State != "" {
		w.add("o.state = ?", f.State)
	}
	if f.Open {
		w.add("o.state IN (" + w.in(openOrderStates) + ")")
	}
	filter := w.String()
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM port_orders o WHERE `+filter, w.args...); err != nil {
		return nil, 0, fmt.Errorf("count port orders: %w", err)
	}
	out := []porting.Order{}
	if total == 0 {
		return out, 0, nil
	}
	if err := s.db.SelectContext(ctx, &out, `SELECT `+orderColumns+` FROM port_orders o`+orderJoins+` WHERE `+filter+
		` ORDER BY o.created_at DESC, o.id DESC LIMIT `+w.arg(f.Limit)+` OFFSET `+w.arg(f.Offset), w.args...); err != nil {
		return nil, 0, fmt.Errorf("find port orders: %w", err)
	}
	return out, total, nil
}

// SaveOrder writes a change of a port order in one transaction with its
// effects: the event, as applied (an event applied already fails it with
// ECONFLICT), the order if its version is still the one read, its
// signature, its lines and its numbers. The versions move on once all of
// it is committed.
func (s *Store) SaveOrder(ctx context.Context, c porting.Change, effects ...enlace.Effect) error {
	var now time.Time
	err := s.write(ctx, func(tx *Tx) error {
		now = tx.now
		// The event first: a second delivery of it, made at the same
		// time, waits here for the first and is then told it was seen,
		// rather than that the order changed.
		if c.Event != nil {
			if applied, err := tx.keepCarrierEvent(ctx, c.Event, true); err != nil {
				return err
			} else if !applied {
				return enlace.Errorf(enlace.ECONFLICT, "porting.error.event_seen")
			}
		}
		if err := tx.updateOrder(ctx, c.Order); err != nil {
			return err
		}
		if err := tx.writeSignature(ctx, c.Order); err != nil {
			return err
		}
		if err := tx.saveLines(ctx, c.Order.ID, c.Lines, c.ReplaceLines); err != nil {
			return err
		}
		// Saved numbers before new ones: a number released by the change
		// may come back in it.
		if err := tx.saveNumbers(ctx, c.Numbers); err != nil {
			return err
		}
		if err := tx.insertNumbers(ctx, c.NewNumbers); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
	if err != nil {
		return s.heldConflict(ctx, err, c.NewNumbers)
	}
	c.Order.Version++
	c.Order.UpdatedAt = now
	savedNumbers(c.Numbers, now)
	return nil
}

// updateOrder writes an order whose version is still the one read: of two
// changes made at once from one read, the second is told to reload.
func (tx *Tx) updateOrder(ctx context.Context, o *porting.Order) error {
	res, err := tx.exec(ctx, `UPDATE port_orders SET billing_account_id = $1, site_id = $2, project_id = $3, state = $4,
		requested_date = $5, foc_date = $6, foc_received_at = $7, visible_at = $8, signer_user_id = $9, account_name = $10,
		service_address = $11, reason = $12, carrier_ref = $13, submission_key = $14, submissions = $15, submitted_at = $16,
		last_event_at = $17, loa_document_id = $18, loa_sha256 = $19, signed_document_id = $20, assigned_confirmed_at = $21,
		assigned_confirmed_by = $22, ported_at = $23, completed_at = $24, completed_by = $25, cancelled_at = $26,
		version = version + 1, updated_at = $27 WHERE id = $28 AND version = $29`,
		o.BillingAccountID, o.SiteID, o.ProjectID, o.State, o.RequestedDate.UTC(), utcPtr(o.FOCDate),
		utcPtr(o.FOCReceivedAt), utcPtr(o.VisibleAt), o.SignerUserID, o.AccountName, o.ServiceAddress, o.Reason,
		o.CarrierRef, o.SubmissionKey, o.Submissions, utcPtr(o.SubmittedAt), utcPtr(o.LastEventAt), o.LOADocumentID,
		o.LOASHA256, o.SignedDocumentID, utcPtr(o.AssignedConfirmedAt), o.AssignedConfirmedBy, utcPtr(o.PortedAt),
		utcPtr(o.CompletedAt), o.CompletedBy, utcPtr(o.CancelledAt), tx.now, o.ID, o.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return enlace.Errorf(enlace.ECONFLICT, "porting.error.changed")
	}
	return nil
}

// saveLines writes lines of an order by number: with replace, the lines
// given become the order's, in their order; otherwise each is updated, or
// added after the last.
func (tx *Tx) saveLines(ctx context.Context, orderID string, lines []porting.Line, replace bool) error {
	if replace {
		if _, err := tx.exec(ctx, `DELETE FROM port_order_lines WHERE order_id = $1`, orderID); err != nil {
			return err
		}
		return tx.insertLines(ctx, orderID, lines)
	}
	for i := range lines {
		l := &lines[i]
		l.OrderID = orderID
		if err := tx.get(ctx, &l.Seq, `INSERT INTO port_order_lines (`+lineColumns+`)
			VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM port_order_lines WHERE order_id = $1), $3, $4, $5, $6, $7)
			ON CONFLICT (order_id, e164) DO UPDATE SET carrier = excluded.carrier, account_number = excluded.account_number,
				status = excluded.status, reason = excluded.reason, number_id = excluded.number_id
			RETURNING seq`,
			l.OrderID, l.E164, l.Carrier, l.AccountNumber, l.Status, l.Reason, l.NumberID); err != nil {
			return err
		}
	}
	return nil
}

// keepCarrierEvent keeps a carrier event received now, and reports
// whether it wrote it. An event not applied is kept once; an applied one
// is inserted, or marks applied the one kept unapplied before, but is
// not written again once applied.
func (tx *Tx) keepCarrierEvent(ctx context.Context, ev *porting.Event, applied bool) (bool, error) {
	onConflict := `DO NOTHING`
	if applied {
		onConflict = `DO UPDATE SET applied = TRUE WHERE carrier_events.applied = FALSE`
	}
	var received time.Time
	err := tx.get(ctx, &received, `INSERT INTO carrier_events (event_id, order_id, carrier_ref, kind, occurred_at,
		received_at, applied, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (event_id) `+onConflict+` RETURNING received_at`,
		ev.ID, ev.OrderID, ev.CarrierRef, ev.Kind, ev.OccurredAt.UTC(), tx.now, applied, ev.Payload)
	if err == sql.ErrNoRows {
		return false, nil
	} else if err != nil {
		return false, err
	}
	ev.ReceivedAt, ev.Applied = received, applied
	return true, nil
}

// RecordEvent keeps a carrier event that is not applied, ignoring one
// kept already.
func (s *Store) RecordEvent(ctx context.Context, ev *porting.Event) error {
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.keepCarrierEvent(ctx, ev, false)
		return err
	})
}

// EventSeen reports whether a carrier event with that id was kept.
func (s *Store) EventSeen(ctx context.Context, eventID string) (bool, error) {
	var n int
	err := s.one(ctx, "error.not_found", &n, `SELECT COUNT(*) FROM carrier_events WHERE event_id = $1`, eventID)
	return n > 0, err
}

// OrderEvents returns the carrier events kept for an order in the
// carrier's order.
func (s *Store) OrderEvents(ctx context.Context, orderID string) ([]porting.Event, error) {
	out := []porting.Event{}
	err := s.db.SelectContext(ctx, &out, `SELECT event_id, order_id, carrier_ref, kind, occurred_at, received_at,
		applied, payload FROM carrier_events WHERE order_id = $1 ORDER BY occurred_at, event_id`, orderID)
	return out, err
}
