package sqlstore

import (
	"context"
	"errors"
	"io/fs"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// dialect holds everything that differs between SQLite and PostgreSQL. The
// SQL itself is shared: both drivers bind $1..$N by position.
type dialect struct {
	name   string
	driver string
	goose  goose.Dialect
}

var (
	sqliteDialect   = dialect{name: "sqlite", driver: "sqlite", goose: goose.DialectSQLite3}
	postgresDialect = dialect{name: "postgres", driver: "pgx", goose: goose.DialectPostgres}
)

func init() {
	// Queries built by sqlx.In are rebound to $N for SQLite too, so that
	// every query the store sends numbers its parameters the same way.
	sqlx.BindDriver("sqlite", sqlx.DOLLAR)
}

func dialectFor(url string) dialect {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return postgresDialect
	}
	return sqliteDialect
}

// dsn turns the configured URL into the driver's data source name. SQLite
// runs in WAL mode with a busy timeout, foreign keys on, and write
// transactions that take the write lock at BEGIN, so that two writers queue
// instead of failing halfway with SQLITE_BUSY.
func (d dialect) dsn(url string) string {
	if d.name == "postgres" {
		return url
	}
	path := strings.TrimPrefix(url, "sqlite://")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return "file:" + path + sep +
		"_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_pragma=wal_autocheckpoint(10000)&_txlock=immediate&_time_format=sqlite"
}

func (d dialect) configure(db *sqlx.DB) {
	if d.name == "sqlite" {
		// One file, one writer: a few connections let reads run beside it.
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
		return
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
}

func (d dialect) prepare(ctx context.Context, db *sqlx.DB) error { return nil }

// skipLocked is appended to the SELECT that picks a job to claim: on
// PostgreSQL concurrent workers skip rows another one is claiming; SQLite
// has one writer at a time and no such clause.
func (d dialect) skipLocked() string {
	if d.name == "postgres" {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// insertBatch is how many rows one INSERT of a bulk write carries. SQLite
// runs in the process, so there are no round trips to save, and its driver
// finds each $N by a linear search of the statement's parameter names:
// single-row statements, prepared once, are fastest (20,000 services:
// 0.7–1.2 s against 1.8 s in 100-row statements). PostgreSQL pays a round
// trip per statement: 100 rows each saves most of them.
func (d dialect) insertBatch() int {
	if d.name == "postgres" {
		return 100
	}
	return 1
}

// mapError turns the drivers' constraint violations into conflict errors.
func (d dialect) mapError(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return enlace.Errorf(enlace.ECONFLICT, "error.conflict")
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return enlace.Errorf(enlace.ECONFLICT, "error.conflict")
		}
	}
	return err
}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
