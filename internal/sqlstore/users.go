package sqlstore

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

const userColumns = `u.id, u.email, u.recovery_email, u.first_name, u.last_name, u.locale, u.staff_role,
	u.password_hash, u.password_changed_at, u.password_temporary, u.mfa_channel, u.mobile,
	u.totp_secret, u.totp_enabled, u.disabled, u.last_login_at, u.last_customer_id, u.created_at, u.updated_at`

// UserByID returns a user.
func (s *Store) UserByID(ctx context.Context, id string) (*identity.User, error) {
	var u identity.User
	err := s.one(ctx, "users.not_found", &u, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id)
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// UserByEmail returns the user with a (normalized) login e-mail.
func (s *Store) UserByEmail(ctx context.Context, email string) (*identity.User, error) {
	var u identity.User
	err := s.one(ctx, "users.not_found", &u, `SELECT `+userColumns+` FROM users u WHERE u.email = $1`, email)
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// CreateUser stores a new user with a password and, for a customer user,
// their first membership.
func (s *Store) CreateUser(ctx context.Context, u *identity.User, hash string, temporary bool, m *identity.Membership, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.createUser(ctx, u, hash, temporary); err != nil {
			return err
		}
		if m != nil {
			if err := tx.createMembership(ctx, m); err != nil {
				return err
			}
		}
		return tx.record(ctx, effects...)
	})
}

func (tx *Tx) createUser(ctx context.Context, u *identity.User, hash string, temporary bool) error {
	u.CreatedAt, u.UpdatedAt, u.PasswordChangedAt, u.PasswordHash, u.PasswordTemporary = tx.now, tx.now, tx.now, hash, temporary
	_, err := tx.ExecContext(ctx, `
		INSERT INTO users (id, email, recovery_email, first_name, last_name, locale, staff_role, password_hash,
			password_changed_at, password_temporary, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		u.ID, u.Email, u.RecoveryEmail, u.FirstName, u.LastName, u.Locale, u.StaffRole, hash,
		tx.now, temporary, tx.now, tx.now)
	if err != nil {
		return err
	}
	return tx.addPasswordHistory(ctx, u.ID, hash)
}

// addPasswordHistory remembers a password hash and forgets all but the
// newest identity.PasswordHistory of them.
func (tx *Tx) addPasswordHistory(ctx context.Context, userID, hash string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)`,
		userID, hash, tx.now)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `
		DELETE FROM password_history WHERE user_id = $1 AND password_hash NOT IN (
			SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2)`,
		userID, identity.PasswordHistory)
	return err
}

// PasswordHistory returns the user's newest n password hashes.
func (s *Store) PasswordHistory(ctx context.Context, userID string, n int) ([]string, error) {
	var hashes []string
	err := s.db.SelectContext(ctx, &hashes, `
		SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2`, userID, n)
	return hashes, s.dialect.mapError(err)
}

// SetPassword stores a new password, revokes the user's other sessions and
// moves the kept one to its next stage.
func (s *Store) SetPassword(ctx context.Context, p identity.PasswordSet, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.setPassword(ctx, p); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

func (tx *Tx) setPassword(ctx context.Context, p identity.PasswordSet) error {
	if _, err := tx.ExecContext(ctx, `
		UPDATE users SET password_hash = $1, password_changed_at = $2, password_temporary = $3, updated_at = $2
		WHERE id = $4`, p.Hash, tx.now, p.Temporary, p.UserID); err != nil {
		return err
	}
	if err := tx.addPasswordHistory(ctx, p.UserID, p.Hash); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND id <> $3 AND revoked_at IS NULL`,
		tx.now, p.UserID, p.KeepSession); err != nil {
		return err
	}
	if p.KeepSession == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE sessions SET stage = $1 WHERE id = $2`, p.Stage, p.KeepSession)
	return err
}

// SetTOTP stores (or, with an empty secret, removes) the user's
// authenticator-app secret.
func (s *Store) SetTOTP(ctx context.Context, userID, secret string, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_enabled = $2, updated_at = $3 WHERE id = $4`,
			secret, secret != "", tx.now, userID); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// UpdateProfile stores a user's language and recovery address.
func (s *Store) UpdateProfile(ctx context.Context, userID string, p identity.ProfileUpdate, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET locale = $1, recovery_email = $2, updated_at = $3 WHERE id = $4`,
			p.Locale, p.RecoveryEmail, tx.now, userID); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

const membershipColumns = `m.id, m.user_id, m.customer_id, c.name AS customer_name, m.role, m.access_level,
	m.corporate_area, m.disabled, m.created_at, m.updated_at`

// Memberships returns every membership of a user, by customer name.
func (s *Store) Memberships(ctx context.Context, userID string) ([]identity.Membership, error) {
	var ms []identity.Membership
	if err := s.db.SelectContext(ctx, &ms, `SELECT `+membershipColumns+`
		FROM memberships m JOIN customers c ON c.id = m.customer_id
		WHERE m.user_id = $1 ORDER BY c.name`, userID); err != nil {
		return nil, err
	}
	for i := range ms {
		if err := s.loadAccounts(ctx, &ms[i]); err != nil {
			return nil, err
		}
	}
	return ms, nil
}

// MembershipOf returns the user's membership in a customer.
func (s *Store) MembershipOf(ctx context.Context, userID, customerID string) (*identity.Membership, error) {
	var m identity.Membership
	if err := s.one(ctx, "error.not_found", &m, `SELECT `+membershipColumns+`
		FROM memberships m JOIN customers c ON c.id = m.customer_id
		WHERE m.user_id = $1 AND m.customer_id = $2`, userID, customerID); err != nil {
		return nil, err
	}
	return &m, s.loadAccounts(ctx, &m)
}

func (s *Store) loadAccounts(ctx context.Context, m *identity.Membership) error {
	m.BillingAccountIDs = []string{}
	return s.db.SelectContext(ctx, &m.BillingAccountIDs, `
		SELECT billing_account_id FROM membership_accounts WHERE membership_id = $1 ORDER BY billing_account_id`, m.ID)
}

// CreateMembership adds a membership to an existing user.
func (s *Store) CreateMembership(ctx context.Context, m *identity.Membership, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.createMembership(ctx, m); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

func (tx *Tx) createMembership(ctx context.Context, m *identity.Membership) error {
	m.CreatedAt, m.UpdatedAt = tx.now, tx.now
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO memberships (id, user_id, customer_id, role, access_level, corporate_area, disabled, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		m.ID, m.UserID, m.CustomerID, m.Role, m.AccessLevel, m.CorporateArea, m.Disabled, tx.now, tx.now); err != nil {
		return err
	}
	return tx.setAccounts(ctx, m)
}

func (tx *Tx) setAccounts(ctx context.Context, m *identity.Membership) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM membership_accounts WHERE membership_id = $1`, m.ID); err != nil {
		return err
	}
	for _, id := range m.BillingAccountIDs {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO membership_accounts (membership_id, billing_account_id) VALUES ($1, $2)`, m.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// UpdateMember stores a user's profile fields and one membership.
func (s *Store) UpdateMember(ctx context.Context, u *identity.User, m *identity.Membership, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `
			UPDATE users SET email = $1, first_name = $2, last_name = $3, updated_at = $4 WHERE id = $5`,
			u.Email, u.FirstName, u.LastName, tx.now, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE memberships SET role = $1, access_level = $2, corporate_area = $3, disabled = $4, updated_at = $5
			WHERE id = $6`, m.Role, m.AccessLevel, m.CorporateArea, m.Disabled, tx.now, m.ID); err != nil {
			return err
		}
		if m.Disabled {
			// A disabled member's sessions in that customer end now.
			if _, err := tx.ExecContext(ctx, `
				UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND customer_id = $3 AND revoked_at IS NULL`,
				tx.now, m.UserID, m.CustomerID); err != nil {
				return err
			}
		}
		if err := tx.setAccounts(ctx, m); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// Member returns a user with their membership in customerID; with an
// empty customerID, a staff user.
func (s *Store) Member(ctx context.Context, customerID, userID string) (*identity.Member, error) {
	u, err := s.UserByID(ctx, userID)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, err
	}
	mem := &identity.Member{User: *u}
	if customerID == "" {
		if !u.IsStaff() {
			return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		return mem, nil
	}
	m, err := s.MembershipOf(ctx, userID, customerID)
	if err != nil {
		return nil, err
	}
	mem.Membership = *m
	return mem, nil
}

// FindMembers pages through a customer's users (or the staff), newest
// first. Pages walk the memberships_customer index instead of sorting the
// customer's users, and the count reads memberships alone unless a search
// needs the users' names: with 100,000 users both stay index scans.
func (s *Store) FindMembers(ctx context.Context, f identity.MemberFilter) ([]identity.Member, int, error) {
	var w where
	countFrom, from, order := `users u`, `users u`, `u.id DESC`
	if f.Staff {
		w.add("u.staff_role <> ''")
	} else {
		countFrom, order = `memberships m`, `m.id DESC`
		from = `memberships m JOIN users u ON u.id = m.user_id JOIN customers c ON c.id = m.customer_id`
		w.add("m.customer_id = ?", f.CustomerID)
		if f.Role != nil {
			w.add("m.role = ?", *f.Role)
		}
		if f.Disabled != nil {
			w.add("m.disabled = ?", *f.Disabled)
		}
	}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		q := "%" + strings.ToLower(strings.TrimSpace(*f.Query)) + "%"
		w.add("(u.email LIKE ? OR lower(u.first_name) LIKE ? OR lower(u.last_name) LIKE ?)", q, q, q)
		countFrom = from
	}
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM `+countFrom+` WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, err
	}
	filter := w.String()
	limit, offset := w.arg(f.Limit), w.arg(f.Offset)
	query := `SELECT ` + memberSelect(f.Staff) + ` FROM ` + from + ` WHERE ` + filter +
		` ORDER BY ` + order + ` LIMIT ` + limit + ` OFFSET ` + offset
	if countFrom == `memberships m` {
		// Deferred join: the page's ids come from the index alone, and only
		// those rows are joined, however deep the offset.
		query = `SELECT ` + memberSelect(false) + ` FROM (SELECT m.id FROM memberships m WHERE ` + filter +
			` ORDER BY m.id DESC LIMIT ` + limit + ` OFFSET ` + offset + `) page
			JOIN memberships m ON m.id = page.id JOIN users u ON u.id = m.user_id
			JOIN customers c ON c.id = m.customer_id ORDER BY m.id DESC`
	}
	rows, err := s.db.QueryxContext(ctx, query, w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	members := []identity.Member{}
	for rows.Next() {
		var m identity.Member
		if err := rows.StructScan(&m); err != nil {
			return nil, 0, err
		}
		members = append(members, m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return members, total, s.loadMemberAccounts(ctx, members)
}

// memberSelect names the membership columns with the prefix sqlx maps into
// the embedded Membership struct.
func memberSelect(staff bool) string {
	if staff {
		return userColumns
	}
	return userColumns + `, m.id AS "membership.id", m.user_id AS "membership.user_id",
		m.customer_id AS "membership.customer_id", c.name AS "membership.customer_name",
		m.role AS "membership.role", m.access_level AS "membership.access_level",
		m.corporate_area AS "membership.corporate_area", m.disabled AS "membership.disabled",
		m.created_at AS "membership.created_at", m.updated_at AS "membership.updated_at"`
}

// loadMemberAccounts fills the billing accounts of a page of members with
// one query.
func (s *Store) loadMemberAccounts(ctx context.Context, members []identity.Member) error {
	byMembership := make(map[string]*identity.Membership, len(members))
	ids := make([]string, 0, len(members))
	for i := range members {
		if m := &members[i].Membership; m.ID != "" {
			m.BillingAccountIDs = []string{}
			byMembership[m.ID] = m
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	query, args, err := sqlx.In(`SELECT membership_id, billing_account_id FROM membership_accounts
		WHERE membership_id IN (?) ORDER BY billing_account_id`, ids)
	if err != nil {
		return err
	}
	var rows []struct {
		MembershipID     string `db:"membership_id"`
		BillingAccountID string `db:"billing_account_id"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(query), args...); err != nil {
		return err
	}
	for _, r := range rows {
		m := byMembership[r.MembershipID]
		m.BillingAccountIDs = append(m.BillingAccountIDs, r.BillingAccountID)
	}
	return nil
}

// CustomerAdmins returns the active administrators of a customer.
func (s *Store) CustomerAdmins(ctx context.Context, customerID string) ([]identity.User, error) {
	var us []identity.User
	err := s.db.SelectContext(ctx, &us, `SELECT `+userColumns+`
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.customer_id = $1 AND m.role = $2 AND m.disabled = $3 AND u.disabled = $3
		ORDER BY u.email`, customerID, identity.RoleAdmin, false)
	return us, err
}
