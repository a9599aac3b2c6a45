package sqlstore

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// CreateCustomer stores a customer.
func (s *Store) CreateCustomer(ctx context.Context, c *customer.Customer, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		c.CreatedAt, c.UpdatedAt = tx.now, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO customers (id, number, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
			c.ID, c.Number, c.Name, tx.now); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// CreateBillingAccount stores a billing account of a customer.
func (s *Store) CreateBillingAccount(ctx context.Context, b *customer.BillingAccount, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		b.CreatedAt, b.UpdatedAt = tx.now, tx.now
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO billing_accounts (id, customer_id, number, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
			b.ID, b.CustomerID, b.Number, b.Name, tx.now); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// CreateInvoice stores an invoice record.
func (s *Store) CreateInvoice(ctx context.Context, inv *customer.Invoice, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		inv.CreatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO invoices (id, customer_id, billing_account_id, number, issued_on, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			inv.ID, inv.CustomerID, inv.BillingAccountID, inv.Number, inv.IssuedOn, tx.now); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// Customers returns every customer by name.
func (s *Store) Customers(ctx context.Context) ([]customer.Customer, error) {
	cs := []customer.Customer{}
	err := s.db.SelectContext(ctx, &cs, `SELECT `+customerColumns+` FROM customers ORDER BY name, id`)
	return cs, err
}

// CustomerByID returns a customer.
func (s *Store) CustomerByID(ctx context.Context, id string) (*customer.Customer, error) {
	var c customer.Customer
	if err := s.one(ctx, "error.not_found", &c, `SELECT `+customerColumns+` FROM customers WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return &c, nil
}

// BillingAccounts returns a customer's billing accounts by number.
func (s *Store) BillingAccounts(ctx context.Context, customerID string) ([]customer.BillingAccount, error) {
	bs := []customer.BillingAccount{}
	err := s.db.SelectContext(ctx, &bs, `
		SELECT `+accountColumns+` FROM billing_accounts WHERE customer_id = $1 ORDER BY number`, customerID)
	return bs, err
}

// BillingAccountByNumbers returns the billing account with a number, if it
// belongs to the customer with the customer number.
func (s *Store) BillingAccountByNumbers(ctx context.Context, customerNumber, accountNumber string) (*customer.BillingAccount, error) {
	var b customer.BillingAccount
	if err := s.one(ctx, "error.not_found", &b, `
		SELECT `+accountColumnsB+`
		FROM billing_accounts b JOIN customers c ON c.id = b.customer_id
		WHERE c.number = $1 AND b.number = $2 AND c.retired = $3 AND b.retired = $3`, customerNumber, accountNumber, false); err != nil {
		return nil, err
	}
	return &b, nil
}

// LatestInvoiceNumbers returns the numbers of an account's newest n invoices.
func (s *Store) LatestInvoiceNumbers(ctx context.Context, billingAccountID string, n int) ([]string, error) {
	nums := []string{}
	err := s.db.SelectContext(ctx, &nums, `
		SELECT number FROM invoices WHERE billing_account_id = $1 ORDER BY issued_on DESC, number DESC LIMIT $2`,
		billingAccountID, n)
	return nums, err
}

const (
	customerColumns = `id, number, name, retired, retired_at, created_at, updated_at`
	accountColumns  = `id, customer_id, number, name, retired, retired_at, created_at, updated_at`
	accountColumnsB = `b.id, b.customer_id, b.number, b.name, b.retired, b.retired_at, b.created_at,
		b.updated_at`
)

// UpdateCustomer stores a customer's number, name and retirement; the
// retirement time is set when it is retired and cleared when reinstated.
func (s *Store) UpdateCustomer(ctx context.Context, c *customer.Customer, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE customers SET number = $1, name = $2, retired = $3, updated_at = $4,
				retired_at = CASE WHEN $3 THEN COALESCE(retired_at, $4) ELSE NULL END
			WHERE id = $5`, c.Number, c.Name, c.Retired, tx.now, c.ID)
		if err := mustAffect(res, err); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// UpdateBillingAccount stores a billing account's number, name and
// retirement.
func (s *Store) UpdateBillingAccount(ctx context.Context, b *customer.BillingAccount, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE billing_accounts SET number = $1, name = $2, retired = $3, updated_at = $4,
				retired_at = CASE WHEN $3 THEN COALESCE(retired_at, $4) ELSE NULL END
			WHERE id = $5`, b.Number, b.Name, b.Retired, tx.now, b.ID)
		if err := mustAffect(res, err); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// mustAffect turns an update that matched no row into not found.
func mustAffect(res interface{ RowsAffected() (int64, error) }, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return nil
}

// FindCustomers pages through customers by name along customers_name.
func (s *Store) FindCustomers(ctx context.Context, f customer.Filter) ([]customer.Customer, int, error) {
	var w where
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.Number != nil {
		w.add("number = ?", *f.Number)
	}
	if f.Name != nil {
		w.add("name = ?", *f.Name)
	}
	if f.Retired != nil {
		w.add("retired = ?", *f.Retired)
	}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		q := "%" + strings.ToLower(strings.TrimSpace(*f.Query)) + "%"
		w.add("(lower(number) LIKE ? OR lower(name) LIKE ?)", q, q)
	}
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM customers WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, err
	}
	cs := []customer.Customer{}
	filter := w.String()
	err := s.db.SelectContext(ctx, &cs, `SELECT `+customerColumns+` FROM customers WHERE `+filter+
		` ORDER BY name, id LIMIT `+w.arg(f.Limit)+` OFFSET `+w.arg(f.Offset), w.args...)
	return cs, total, err
}

// BillingAccountByID returns a billing account.
func (s *Store) BillingAccountByID(ctx context.Context, id string) (*customer.BillingAccount, error) {
	var b customer.BillingAccount
	if err := s.one(ctx, "error.not_found", &b, `SELECT `+accountColumns+` FROM billing_accounts WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return &b, nil
}

// FindBillingAccounts pages through billing accounts by number.
func (s *Store) FindBillingAccounts(ctx context.Context, f customer.AccountFilter) ([]customer.BillingAccount, int, error) {
	var w where
	if f.CustomerID != nil {
		w.add("customer_id = ?", *f.CustomerID)
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return []customer.BillingAccount{}, 0, nil
		}
		in, args, err := sqlx.In("id IN (?)", f.IDs)
		if err != nil {
			return nil, 0, err
		}
		w.add(in, args...)
	}
	if f.Retired != nil {
		w.add("retired = ?", *f.Retired)
	}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		q := "%" + strings.ToLower(strings.TrimSpace(*f.Query)) + "%"
		w.add("(lower(number) LIKE ? OR lower(name) LIKE ?)", q, q)
	}
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM billing_accounts WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, err
	}
	bs := []customer.BillingAccount{}
	filter := w.String()
	err := s.db.SelectContext(ctx, &bs, `SELECT `+accountColumns+` FROM billing_accounts WHERE `+filter+
		` ORDER BY number, id LIMIT `+w.arg(f.Limit)+` OFFSET `+w.arg(f.Offset), w.args...)
	return bs, total, err
}
