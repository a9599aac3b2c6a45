package api

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// BulkInsertMembers writes n users, each a read-only end user of
// customerID, straight into the database in multi-row batches, and refreshes
// the planner's statistics. It is for benchmarks only: the service would
// hash a password, write an audit entry and queue an e-mail per user,
// which takes minutes for 100,000 of them and is not what is measured.
// dialect is the store's Dialect().
func BulkInsertMembers(tb testing.TB, db *sql.DB, dialect, customerID string, n int, now time.Time) {
	tb.Helper()
	// PostgreSQL is fastest with large statements (500 rows × 8 values is
	// well under its 65,535 parameters); modernc SQLite binds parameters in
	// time that grows faster than their number, and is fastest near 20 rows
	// (measured here: 100,000 users in 3 s and 4.5 s).
	batch := 500
	if dialect == "sqlite" {
		batch = 20
	}
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	must(tb, err)
	defer tx.Rollback()
	for start := 0; start < n; start += batch {
		size := min(batch, n-start)
		var users, members []string
		var userArgs, memberArgs []any
		for i := range size {
			uid := enlace.NewID()
			users = append(users, placeholders(len(userArgs), 8))
			userArgs = append(userArgs, uid, fmt.Sprintf("bulk%06d@bulk.example", start+i), "Bulk", fmt.Sprintf("User %d", start+i),
				"not-a-hash", now, now, now)
			members = append(members, placeholders(len(memberArgs), 7))
			memberArgs = append(memberArgs, enlace.NewID(), uid, customerID, identity.RoleUser, identity.AccessReadOnly, now, now)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, first_name, last_name, password_hash,
			password_changed_at, created_at, updated_at) VALUES `+strings.Join(users, ", "), userArgs...)
		must(tb, err)
		_, err = tx.ExecContext(ctx, `INSERT INTO memberships (id, user_id, customer_id, role, access_level,
			created_at, updated_at) VALUES `+strings.Join(members, ", "), memberArgs...)
		must(tb, err)
	}
	must(tb, tx.Commit())
	_, err = db.ExecContext(ctx, `ANALYZE`)
	must(tb, err)
}

// placeholders returns "($from+1, …, $from+n)".
func placeholders(from, n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = fmt.Sprintf("$%d", from+i+1)
	}
	return "(" + strings.Join(ps, ", ") + ")"
}

// BenchmarkUsersList lists the users of a customer with 100,000 of them
// through the whole handler: token check, query, JSON.
func BenchmarkUsersList(b *testing.B) {
	f := newFixture(b)
	const n = 100_000
	start := time.Now()
	BulkInsertMembers(b, f.db, f.store.Dialect(), f.a.customer.ID, n, f.clock.Now())
	b.Logf("inserted %d users in %v", n, time.Since(start).Round(time.Millisecond))
	h := f.api.Handler()
	for _, bc := range []struct {
		name   string
		offset int
	}{{"first page", 0}, {"deep page", n - 50}} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", fmt.Sprintf("%s/users?limit=50&offset=%d", Prefix, bc.offset), nil)
			req.Header.Set("Authorization", "Bearer "+f.tokens[aAdmin])
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GET /users = %d %s", w.Code, w.Body)
				}
			}
		})
	}
}
