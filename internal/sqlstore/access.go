package sqlstore

import (
	"context"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

const accessRequestColumns = `r.id, r.customer_id, r.billing_account_id, b.number AS account_number, r.invoice_number,
	r.email, r.first_name, r.last_name, r.corporate_area, r.locale, r.status, r.decided_by, r.decided_at,
	r.reason, r.user_id, r.created_at`

// CreateAccessRequest stores a self-registration.
func (s *Store) CreateAccessRequest(ctx context.Context, r *identity.AccessRequest, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		r.CreatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO access_requests (id, customer_id, billing_account_id, invoice_number, email, first_name,
				last_name, corporate_area, locale, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			r.ID, r.CustomerID, r.BillingAccountID, r.InvoiceNumber, r.Email, r.FirstName, r.LastName,
			r.CorporateArea, r.Locale, r.Status, tx.now); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// AccessRequestByID returns an access request.
func (s *Store) AccessRequestByID(ctx context.Context, id string) (*identity.AccessRequest, error) {
	var r identity.AccessRequest
	if err := s.one(ctx, "error.not_found", &r, `SELECT `+accessRequestColumns+`
		FROM access_requests r JOIN billing_accounts b ON b.id = r.billing_account_id WHERE r.id = $1`, id); err != nil {
		return nil, err
	}
	return &r, nil
}

// FindAccessRequests pages through a customer's access requests, newest first.
func (s *Store) FindAccessRequests(ctx context.Context, f identity.AccessRequestFilter) ([]identity.AccessRequest, int, error) {
	var w where
	if f.CustomerID != "" {
		w.add("r.customer_id = ?", f.CustomerID)
	}
	if f.Status != nil {
		w.add("r.status = ?", *f.Status)
	}
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM access_requests r WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, err
	}
	rs := []identity.AccessRequest{}
	err := s.db.SelectContext(ctx, &rs, `SELECT `+accessRequestColumns+`
		FROM access_requests r JOIN billing_accounts b ON b.id = r.billing_account_id
		WHERE `+w.String()+` ORDER BY r.created_at DESC, r.id DESC LIMIT `+w.arg(f.Limit)+` OFFSET `+w.arg(f.Offset), w.args...)
	return rs, total, err
}

// DecideAccessRequest records the decision; an approval also creates the
// new user (when newUser is set) and the membership, all in one transaction.
func (s *Store) DecideAccessRequest(ctx context.Context, r *identity.AccessRequest, newUser *identity.User, hash string, m *identity.Membership, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE access_requests SET status = $1, decided_by = $2, decided_at = $3, reason = $4, user_id = $5
			WHERE id = $6 AND status = $7`,
			r.Status, r.DecidedBy, tx.now, r.Reason, r.UserID, r.ID, identity.RequestPending)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return enlace.Errorf(enlace.ECONFLICT, "access_request.already_decided")
		}
		if newUser != nil {
			if err := tx.createUser(ctx, newUser, hash, true); err != nil {
				return err
			}
		}
		if m != nil {
			if err := tx.createMembership(ctx, m); err != nil {
				return err
			}
		}
		return tx.record(ctx, effects...)
	})
}

// PendingRequestsByCustomer counts the pending access requests of each
// active customer that has any.
func (s *Store) PendingRequestsByCustomer(ctx context.Context) ([]identity.Attention, error) {
	as := []identity.Attention{}
	err := s.db.SelectContext(ctx, &as, `
		SELECT c.id AS customer_id, c.name AS customer_name, COUNT(*) AS pending
		FROM access_requests r JOIN customers c ON c.id = r.customer_id
		WHERE r.status = $1 AND c.retired = $2
		GROUP BY c.id, c.name`, identity.RequestPending, false)
	return as, err
}

// CustomersWithoutAdmin returns the active customers with no active
// administrator.
func (s *Store) CustomersWithoutAdmin(ctx context.Context) ([]identity.Attention, error) {
	as := []identity.Attention{}
	err := s.db.SelectContext(ctx, &as, `
		SELECT c.id AS customer_id, c.name AS customer_name, 0 AS pending
		FROM customers c
		WHERE c.retired = $1 AND NOT EXISTS (
			SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.customer_id = c.id AND m.role = $2 AND m.disabled = $1 AND u.disabled = $1)
		ORDER BY c.name`, false, identity.RoleAdmin)
	return as, err
}

const apiTokenColumns = `id, user_id, customer_id, name, token_hash, created_at, last_used_at, revoked_at`

// CreateAPIToken stores a token's hash.
func (s *Store) CreateAPIToken(ctx context.Context, t *identity.APIToken, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO api_tokens (id, user_id, customer_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			t.ID, t.UserID, t.CustomerID, t.Name, t.TokenHash, t.CreatedAt); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// APITokens returns a user's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, userID string) ([]identity.APIToken, error) {
	ts := []identity.APIToken{}
	err := s.db.SelectContext(ctx, &ts, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC`, userID)
	return ts, err
}

// APITokenByHash returns a token by the hash of its secret.
func (s *Store) APITokenByHash(ctx context.Context, hash string) (*identity.APIToken, error) {
	var t identity.APIToken
	if err := s.one(ctx, "api.token_invalid", &t, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE token_hash = $1`, hash); err != nil {
		return nil, err
	}
	return &t, nil
}

// TouchAPIToken records a token's use.
func (s *Store) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, at, id)
	return err
}

// RevokeAPIToken revokes one of a user's tokens; another user's token is
// not found.
func (s *Store) RevokeAPIToken(ctx context.Context, userID, id string, at time.Time, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL`,
			at, id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		return tx.record(ctx, effects...)
	})
}
