package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/licensing"
)

const (
	teamsUserColumns = `customer_id, upn, display_name, licences, kind, ready, missing, notes, imported_at`
	teamsUserWidth   = 9
	teamsSummaryCols = `customer_id, file_name, imported_at, imported_by, users, ready, kinds, missing, error_rows, problems`
)

// ReplaceTeamsUsers replaces a customer's tenant accounts and the summary
// of its last import, with the effects, in one transaction: a list is
// never half loaded, nor loaded without its audit entry.
func (s *Store) ReplaceTeamsUsers(ctx context.Context, sum *licensing.Summary, users []licensing.User, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		sum.ImportedAt = tx.now
		if _, err := tx.exec(ctx, `DELETE FROM teams_users WHERE customer_id = $1`, sum.CustomerID); err != nil {
			return fmt.Errorf("delete teams users: %w", err)
		}
		for i := range users {
			users[i].CustomerID, users[i].ImportedAt = sum.CustomerID, tx.now
		}
		if err := insertBatches(ctx, tx, "teams_users", teamsUserColumns, teamsUserWidth, tx.store.dialect.insertBatch(), len(users),
			func(i int, dst []any) []any {
				u := &users[i]
				return append(dst, u.CustomerID, u.UPN, u.DisplayName, u.Licences, u.Kind, u.Ready, u.Missing, u.Notes, u.ImportedAt)
			}); err != nil {
			return fmt.Errorf("insert teams users: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO teams_imports (`+teamsSummaryCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (customer_id) DO UPDATE SET file_name = excluded.file_name, imported_at = excluded.imported_at,
				imported_by = excluded.imported_by, users = excluded.users, ready = excluded.ready, kinds = excluded.kinds,
				missing = excluded.missing, error_rows = excluded.error_rows, problems = excluded.problems`,
			sum.CustomerID, sum.FileName, tx.now, sum.ImportedBy, sum.Users, sum.Ready, sum.Kinds, sum.Missing,
			sum.ErrorRows, sum.Problems); err != nil {
			return fmt.Errorf("save teams import: %w", err)
		}
		return tx.record(ctx, effects...)
	})
}

// TeamsSummary returns the summary of a customer's last import.
func (s *Store) TeamsSummary(ctx context.Context, customerID string) (*licensing.Summary, error) {
	var sum licensing.Summary
	if err := s.one(ctx, "error.not_found", &sum, `SELECT `+teamsSummaryCols+` FROM teams_imports
		WHERE customer_id = $1`, customerID); err != nil {
		return nil, err
	}
	return &sum, nil
}

// TeamsUser returns one account of a customer by its lower-cased sign-in
// name.
func (s *Store) TeamsUser(ctx context.Context, customerID, upn string) (*licensing.User, error) {
	var u licensing.User
	if err := s.one(ctx, "error.not_found", &u, `SELECT `+teamsUserColumns+` FROM teams_users
		WHERE customer_id = $1 AND upn = $2`, customerID, upn); err != nil {
		return nil, err
	}
	return &u, nil
}

// FindTeamsUsers returns a page of a customer's accounts in sign-in order
// and their total.
func (s *Store) FindTeamsUsers(ctx context.Context, f licensing.Filter) ([]licensing.User, int, error) {
	w := &where{}
	w.add("t.customer_id = ?", f.CustomerID)
	switch f.Missing {
	case "":
	case licensing.MissingAny:
		// Written out rather than bound, so that the (customer_id,
		// ready, upn) index serves the page.
		w.add("t.ready = FALSE")
	default:
		w.add("t.ready = FALSE")
		w.add(`t.missing LIKE ? ESCAPE '\'`, `%"`+likeEscape(f.Missing)+`"%`)
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		like := likeEscape(q) + "%"
		w.add(`(t.upn LIKE ? ESCAPE '\' OR lower(t.display_name) LIKE ? ESCAPE '\')`, like, like)
	}
	filter := w.String()
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM teams_users t WHERE `+filter, w.args...); err != nil {
		return nil, 0, fmt.Errorf("count teams users: %w", err)
	}
	out := []licensing.User{}
	if total == 0 {
		return out, 0, nil
	}
	query := `SELECT ` + qualify("t", teamsUserColumns) + ` FROM teams_users t WHERE ` + filter +
		` ORDER BY t.upn LIMIT ` + w.arg(f.Limit) + ` OFFSET ` + w.arg(f.Offset)
	if err := s.db.SelectContext(ctx, &out, query, w.args...); err != nil {
		return nil, 0, fmt.Errorf("find teams users: %w", err)
	}
	return out, total, nil
}
