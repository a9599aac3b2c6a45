package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/enlace"
)

const contactColumns = `id, COALESCE(customer_id, '') AS customer_id, kind, principal, first_name, last_name,
	phone, extension, mobile, contact_role, email, job_title, created_at, updated_at`

// nullable stores an empty id as NULL: a party with no customer.
func nullable(id string) sql.NullString { return sql.NullString{String: id, Valid: id != ""} }

// CreateContact stores a contact; a principal one takes the flag from the
// customer's previous principal of the same kind.
func (s *Store) CreateContact(ctx context.Context, c *contact.Contact, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		c.CreatedAt, c.UpdatedAt = tx.now, tx.now
		if err := tx.takePrincipal(ctx, c); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO contacts (id, customer_id, kind, principal, first_name, last_name, phone, extension, mobile,
				contact_role, email, job_title, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
			c.ID, nullable(c.CustomerID), c.Kind, c.Principal, c.FirstName, c.LastName, c.Phone, c.Extension, c.Mobile,
			c.Role, c.Email, c.JobTitle, tx.now); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// UpdateContact stores every field of a contact, moving the principal flag
// as CreateContact does.
func (s *Store) UpdateContact(ctx context.Context, c *contact.Contact, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		c.UpdatedAt = tx.now
		if err := tx.takePrincipal(ctx, c); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE contacts SET customer_id = $1, kind = $2, principal = $3, first_name = $4, last_name = $5, phone = $6,
				extension = $7, mobile = $8, contact_role = $9, email = $10, job_title = $11, updated_at = $12
			WHERE id = $13`,
			nullable(c.CustomerID), c.Kind, c.Principal, c.FirstName, c.LastName, c.Phone, c.Extension, c.Mobile,
			c.Role, c.Email, c.JobTitle, tx.now, c.ID)
		if err := mustAffect(res, err); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// takePrincipal clears the principal flag of the customer's other contact
// of the same kind when c is to be the principal one.
func (tx *Tx) takePrincipal(ctx context.Context, c *contact.Contact) error {
	if !c.Principal || c.CustomerID == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, `
		UPDATE contacts SET principal = $1, updated_at = $2
		WHERE customer_id = $3 AND kind = $4 AND principal = $5 AND id <> $6`,
		false, tx.now, c.CustomerID, c.Kind, true, c.ID)
	return err
}

// DeleteContact removes a contact.
func (s *Store) DeleteContact(ctx context.Context, id string, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = $1`, id)
		if err := mustAffect(res, err); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// ContactByID returns a contact.
func (s *Store) ContactByID(ctx context.Context, id string) (*contact.Contact, error) {
	var c contact.Contact
	if err := s.one(ctx, "error.not_found", &c, `SELECT `+contactColumns+` FROM contacts WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return &c, nil
}

// FindContacts pages through contacts: principal ones first, then by
// name. A customer's contacts are read along contacts_customer.
func (s *Store) FindContacts(ctx context.Context, f contact.Filter) ([]contact.Contact, int, error) {
	var w where
	switch {
	case f.Unassigned:
		w.add("customer_id IS NULL")
	case f.CustomerID != nil:
		w.add("customer_id = ?", *f.CustomerID)
	}
	if f.Kind != nil {
		w.add("kind = ?", *f.Kind)
	}
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.FirstName != nil {
		w.add("first_name = ?", *f.FirstName)
	}
	if f.LastName != nil {
		w.add("last_name = ?", *f.LastName)
	}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		q := "%" + strings.ToLower(strings.TrimSpace(*f.Query)) + "%"
		w.add("(lower(first_name) LIKE ? OR lower(last_name) LIKE ? OR email LIKE ?)", q, q, q)
	}
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM contacts WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, err
	}
	cs := []contact.Contact{}
	filter := w.String()
	err := s.db.SelectContext(ctx, &cs, `SELECT `+contactColumns+` FROM contacts WHERE `+filter+
		` ORDER BY principal DESC, last_name, first_name, id LIMIT `+w.arg(f.Limit)+` OFFSET `+w.arg(f.Offset), w.args...)
	return cs, total, err
}
