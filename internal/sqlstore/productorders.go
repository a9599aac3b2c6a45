package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/ordering"
)

const productOrderColumns = `id, customer_id, billing_account_id, state, external_id, category, priority, order_date,
	completion_date, cancellation_date, cancellation_reason, document, items, created_by, created_role, updated_at`

// storedTime is a time as both databases keep it: PostgreSQL holds
// microseconds, so a time written with more would not compare equal to
// itself read back. Order dates keep milliseconds, as TMF clients filter
// on the string they were given.
func storedTime(t time.Time, precision time.Duration) time.Time { return t.UTC().Truncate(precision) }

// CreateProductOrder stores a new product order; an order date not set
// is the transaction's time.
func (s *Store) CreateProductOrder(ctx context.Context, o *ordering.ProductOrder, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if o.OrderDate.IsZero() {
			o.OrderDate = tx.now
		}
		o.OrderDate, o.UpdatedAt = storedTime(o.OrderDate, time.Millisecond), storedTime(tx.now, time.Microsecond)
		if _, err := tx.ExecContext(ctx, `INSERT INTO product_orders (`+productOrderColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			o.ID, o.CustomerID, o.BillingAccountID, o.State, o.ExternalID, o.Category, o.Priority, o.OrderDate,
			o.CompletionDate, o.CancellationDate, o.CancellationReason, o.Document, o.Items, o.CreatedBy,
			o.CreatedRole, o.UpdatedAt); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// ProductOrderByID returns a product order.
func (s *Store) ProductOrderByID(ctx context.Context, id string) (*ordering.ProductOrder, error) {
	var o ordering.ProductOrder
	if err := s.one(ctx, "error.not_found", &o, `SELECT `+productOrderColumns+` FROM product_orders WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return &o, nil
}

// dateOps are the comparisons a date filter may make.
var dateOps = map[string]string{"eq": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}

// FindProductOrders returns a page of product orders, newest first, and
// their total.
func (s *Store) FindProductOrders(ctx context.Context, f ordering.OrderFilter) ([]ordering.ProductOrder, int, error) {
	w := &where{}
	tenancy(w, f.CustomerID, f.Accounts)
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.States != nil {
		w.add("state IN (" + w.in(f.States) + ")")
	}
	for col, v := range map[string]*string{"external_id": f.ExternalID, "category": f.Category, "priority": f.Priority} {
		if v != nil {
			w.add(col+" = ?", *v)
		}
	}
	for _, c := range f.OrderDate {
		op, ok := dateOps[c.Op]
		if !ok {
			return nil, 0, fmt.Errorf("find product orders: unknown date comparison %q", c.Op)
		}
		w.add("order_date "+op+" ?", c.At.UTC())
	}
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM product_orders WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, err
	}
	out := []ordering.ProductOrder{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+productOrderColumns+` FROM product_orders WHERE `+w.String()+
		` ORDER BY order_date DESC, id DESC LIMIT `+w.arg(f.Limit)+` OFFSET `+w.arg(f.Offset), w.args...)
	return out, total, err
}

// tenancy limits a query to one customer's rows and, when accounts is not
// nil, to those billing accounts.
func tenancy(w *where, customerID *string, accounts []string) {
	if customerID != nil {
		w.add("customer_id = ?", *customerID)
	}
	if accounts != nil {
		if len(accounts) == 0 {
			w.add("FALSE")
		} else {
			w.add("billing_account_id IN (" + w.in(accounts) + ")")
		}
	}
}

// SaveProductOrder writes a product order, and a cancellation request
// when cancel is not nil, if the order is still as it was read.
func (s *Store) SaveProductOrder(ctx context.Context, o *ordering.ProductOrder, read time.Time, cancel *ordering.CancelRequest, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		now := storedTime(tx.now, time.Microsecond)
		if !now.After(read) {
			now = read.Add(time.Microsecond)
		}
		res, err := tx.ExecContext(ctx, `UPDATE product_orders SET customer_id = $1, billing_account_id = $2, state = $3,
			external_id = $4, category = $5, priority = $6, completion_date = $7, cancellation_date = $8,
			cancellation_reason = $9, document = $10, items = $11, updated_at = $12 WHERE id = $13 AND updated_at = $14`,
			o.CustomerID, o.BillingAccountID, o.State, o.ExternalID, o.Category, o.Priority, o.CompletionDate,
			o.CancellationDate, o.CancellationReason, o.Document, o.Items, now, o.ID, read)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return enlace.Errorf(enlace.ECONFLICT, "tmf622.changed_meanwhile")
		}
		o.UpdatedAt = now
		if cancel != nil {
			if err := tx.insertCancelRequest(ctx, cancel); err != nil {
				return err
			}
		}
		return tx.record(ctx, effects...)
	})
}

const cancelColumns = `id, product_order_id, customer_id, billing_account_id, state, cancellation_reason,
	requested_cancellation_date, effective_cancellation_date, creation_date, created_by, problem`

func (tx *Tx) insertCancelRequest(ctx context.Context, c *ordering.CancelRequest) error {
	if c.CreationDate.IsZero() {
		c.CreationDate = tx.now
	}
	c.CreationDate = storedTime(c.CreationDate, time.Millisecond)
	_, err := tx.ExecContext(ctx, `INSERT INTO cancel_product_orders (`+cancelColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		c.ID, c.ProductOrderID, c.CustomerID, c.BillingAccountID, c.State, c.Reason, c.RequestedDate,
		c.EffectiveDate, c.CreationDate, c.CreatedBy, c.ProblemKey)
	return err
}

// DeleteProductOrder deletes a product order and its cancellation
// requests, if the order is still as it was read.
func (s *Store) DeleteProductOrder(ctx context.Context, id string, read time.Time, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM cancel_product_orders WHERE product_order_id = $1`, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM product_orders WHERE id = $1 AND updated_at = $2`, id, read)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return enlace.Errorf(enlace.ECONFLICT, "tmf622.changed_meanwhile")
		}
		return tx.record(ctx, effects...)
	})
}

// ProductOrderProjects returns the projects a product order started.
func (s *Store) ProductOrderProjects(ctx context.Context, orderID string) ([]ordering.OrderProject, error) {
	out := []ordering.OrderProject{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, status, order_ref FROM projects WHERE product_order_id = $1 ORDER BY id`, orderID)
	return out, err
}

// CancelRequestByID returns a cancelProductOrder request.
func (s *Store) CancelRequestByID(ctx context.Context, id string) (*ordering.CancelRequest, error) {
	var c ordering.CancelRequest
	if err := s.one(ctx, "error.not_found", &c, `SELECT `+cancelColumns+` FROM cancel_product_orders WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return &c, nil
}

// FindCancelRequests returns a page of cancelProductOrder requests, newest
// first, and their total.
func (s *Store) FindCancelRequests(ctx context.Context, f ordering.CancelFilter) ([]ordering.CancelRequest, int, error) {
	w := &where{}
	tenancy(w, f.CustomerID, f.Accounts)
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.ProductOrderID != nil {
		w.add("product_order_id = ?", *f.ProductOrderID)
	}
	if f.States != nil {
		w.add("state IN (" + w.in(f.States) + ")")
	}
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM cancel_product_orders WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, err
	}
	out := []ordering.CancelRequest{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+cancelColumns+` FROM cancel_product_orders WHERE `+w.String()+
		` ORDER BY creation_date DESC, id DESC LIMIT `+w.arg(f.Limit)+` OFFSET `+w.arg(f.Offset), w.args...)
	return out, total, err
}

const hubColumns = `id, api, version, callback, query, created_by, created_at`

// CreateHub stores an event subscription.
func (s *Store) CreateHub(ctx context.Context, h *ordering.Hub, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		h.CreatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO tmf_hubs (`+hubColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			h.ID, h.API, h.Version, h.Callback, h.Query, h.CreatedBy, h.CreatedAt); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// HubByID returns an event subscription.
func (s *Store) HubByID(ctx context.Context, id string) (*ordering.Hub, error) {
	var h ordering.Hub
	if err := s.one(ctx, "error.not_found", &h, `SELECT `+hubColumns+` FROM tmf_hubs WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return &h, nil
}

// Hubs returns the subscriptions to one API's events, oldest first.
func (s *Store) Hubs(ctx context.Context, api string) ([]ordering.Hub, error) {
	out := []ordering.Hub{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+hubColumns+` FROM tmf_hubs WHERE api = $1 ORDER BY created_at, id`, api)
	return out, err
}

// DeleteHub deletes an event subscription.
func (s *Store) DeleteHub(ctx context.Context, id string, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM tmf_hubs WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		return tx.record(ctx, effects...)
	})
}
