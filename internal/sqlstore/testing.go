package sqlstore

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// TestDatabaseURLVar names the variable that points the tests at PostgreSQL.
const TestDatabaseURLVar = "ENLACE_TEST_DATABASE_URL"

// TestURL returns a database URL for one test: a fresh SQLite file, or, when
// ENLACE_TEST_DATABASE_URL is set, a fresh schema of that PostgreSQL database,
// dropped when the test ends. Every store test runs on both this way.
func TestURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(TestDatabaseURLVar)
	if base == "" {
		return filepath.Join(tb.TempDir(), "enlace.db")
	}
	schema := "t_" + strings.ToLower(strings.ReplaceAll(enlace.NewSecret(9), "-", "_"))
	admin, err := Open(context.Background(), base, enlace.SystemClock{})
	if err != nil {
		tb.Fatalf("open test PostgreSQL: %v", err)
	}
	defer admin.Close()
	if _, err := admin.db.Exec(`CREATE SCHEMA "` + schema + `"`); err != nil {
		tb.Fatalf("create test schema: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := Open(context.Background(), base, enlace.SystemClock{})
		if err != nil {
			tb.Errorf("open test PostgreSQL: %v", err)
			return
		}
		defer admin.Close()
		if _, err := admin.db.Exec(`DROP SCHEMA "` + schema + `" CASCADE`); err != nil {
			tb.Errorf("drop test schema: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", TestDatabaseURLVar, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// MustOpenTest opens a migrated store on a fresh test database.
func MustOpenTest(tb testing.TB, clock enlace.Clock) *Store {
	tb.Helper()
	ctx := context.Background()
	s, err := Open(ctx, TestURL(tb), clock)
	if err != nil {
		tb.Fatalf("open test store: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	s.logger = slog.New(slog.DiscardHandler)
	if err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate test store: %v", err)
	}
	return s
}

// String describes the store for test logs.
func (s *Store) String() string { return fmt.Sprintf("sqlstore(%s)", s.dialect.name) }
