package sqlstore

import (
	"context"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// CreateCustomer stores a customer.
func (s *Store) CreateCustomer(ctx context.Context, c *customer.Customer, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		c.CreatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO customers (id, number, name, created_at) VALUES ($1, $2, $3, $4)`,
			c.ID, c.Number, c.Name, tx.now); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// CreateBillingAccount stores a billing account of a customer.
func (s *Store) CreateBillingAccount(ctx context.Context, b *customer.BillingAccount, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		b.CreatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO billing_accounts (id, customer_id, number, name, created_at) VALUES ($1, $2, $3, $4, $5)`,
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
	err := s.db.SelectContext(ctx, &cs, `SELECT id, number, name, created_at FROM customers ORDER BY name`)
	return cs, err
}

// CustomerByID returns a customer.
func (s *Store) CustomerByID(ctx context.Context, id string) (*customer.Customer, error) {
	var c customer.Customer
	if err := getOne(ctx, s.db, "error.not_found", &c, `SELECT id, number, name, created_at FROM customers WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return &c, nil
}

// BillingAccounts returns a customer's billing accounts by number.
func (s *Store) BillingAccounts(ctx context.Context, customerID string) ([]customer.BillingAccount, error) {
	bs := []customer.BillingAccount{}
	err := s.db.SelectContext(ctx, &bs, `
		SELECT id, customer_id, number, name, created_at FROM billing_accounts WHERE customer_id = $1 ORDER BY number`, customerID)
	return bs, err
}

// BillingAccountByNumbers returns the billing account with a number, if it
// belongs to the customer with the customer number.
func (s *Store) BillingAccountByNumbers(ctx context.Context, customerNumber, accountNumber string) (*customer.BillingAccount, error) {
	var b customer.BillingAccount
	if err := getOne(ctx, s.db, "error.not_found", &b, `
		SELECT b.id, b.customer_id, b.number, b.name, b.created_at
		FROM billing_accounts b JOIN customers c ON c.id = b.customer_id
		WHERE c.number = $1 AND b.number = $2`, customerNumber, accountNumber); err != nil {
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
