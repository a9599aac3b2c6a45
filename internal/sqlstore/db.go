// Package sqlstore implements the stores of every Enlace module on SQLite
// and PostgreSQL with one SQL code path. It is the only package that knows
// which database it talks to; the differences sit in dialect.go.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/crc64"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/enlace-portal/enlace/internal/enlace"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the database of Enlace. Every exported method that changes data
// runs in one transaction; reads run outside of one unless they must agree.
type Store struct {
	db      *sqlx.DB
	dialect dialect
	clock   enlace.Clock
	logger  *slog.Logger

	// writeMu lets one write transaction at a time into SQLite, which
	// takes one writer anyway: writers queue here, woken at once, instead
	// of polling in SQLite's busy handler while the cores sit idle.
	writeMu sync.Mutex
	// stmts are the prepared statements of Tx.exec and Tx.get, by query.
	stmts sync.Map
}

// Open connects to the database named by url: a postgres:// or
// postgresql:// URL selects PostgreSQL, anything else is a SQLite file path.
func Open(ctx context.Context, url string, clock enlace.Clock) (*Store, error) {
	d := dialectFor(url)
	db, err := sqlx.Open(d.driver, d.dsn(url))
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.name, err)
	}
	d.configure(db)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("reach %s database: %w", d.name, err)
	}
	if err := d.prepare(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare %s database: %w", d.name, err)
	}
	return &Store{db: db, dialect: d, clock: clock, logger: slog.Default()}, nil
}

// Close closes the prepared statements and the connection pool.
func (s *Store) Close() error {
	s.stmts.Range(func(_, st any) bool {
		st.(*sqlx.Stmt).Close()
		return true
	})
	return s.db.Close()
}

// Dialect names the database in use: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect.name }

// Migrate applies the pending migrations. On PostgreSQL a session lock
// keeps replicas that start together from applying them twice.
func (s *Store) Migrate(ctx context.Context) error {
	p, err := s.migrator()
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		s.logger.Info("migration applied", "version", r.Source.Version, "duration", r.Duration)
	}
	return nil
}

// Ready reports whether the database answers and every migration is applied.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	p, err := s.migrator()
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("read migration state: %w", err)
	}
	if pending {
		return fmt.Errorf("migrations pending")
	}
	return nil
}

func (s *Store) migrator() (*goose.Provider, error) {
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if s.dialect.name == "postgres" {
		// Replicas migrating one schema take turns; different schemas (as
		// the tests use) need not wait for each other.
		var schema string
		if err := s.db.Get(&schema, `SELECT current_schema()`); err != nil {
			return nil, fmt.Errorf("read schema: %w", err)
		}
		lockID := int64(crc64.Checksum([]byte("enlace-migrations:"+schema), crc64.MakeTable(crc64.ECMA)) >> 1)
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(lockID), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(s.dialect.goose, s.db.DB, mustSub(migrations, "migrations"), opts...)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}

// Tx is a write transaction with the one time every row it writes carries.
type Tx struct {
	*sqlx.Tx
	now   time.Time
	store *Store
}

// write runs fn in a transaction and commits it when fn returns nil.
func (s *Store) write(ctx context.Context, fn func(tx *Tx) error) error {
	if s.dialect.name == "sqlite" {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	sqlTx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx, now: s.clock.Now(), store: s}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return s.dialect.mapError(err)
	}
	if err := sqlTx.Commit(); err != nil {
		return s.dialect.mapError(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// getOne scans one row into dest, turning "no rows" into a not-found
// error with the given message key.
func getOne(ctx context.Context, q sqlx.QueryerContext, notFound string, dest any, query string, args ...any) error {
	err := sqlx.GetContext(ctx, q, dest, query, args...)
	if err == sql.ErrNoRows {
		return enlace.Errorf(enlace.ENOTFOUND, notFound)
	}
	return err
}

// where accumulates the conditions and arguments of a filtered query, so
// that filters add "AND col = $n" with their value bound, never spliced in.
type where struct {
	conds []string
	args  []any
}

// add appends a condition; each "?" in cond becomes the next $n.
func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

// arg binds one more argument and returns its placeholder.
func (w *where) arg(a any) string {
	w.args = append(w.args, a)
	return fmt.Sprintf("$%d", len(w.args))
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return "TRUE"
	}
	return strings.Join(w.conds, " AND ")
}

// exec runs a statement in the transaction. On SQLite the statement is
// prepared once per connection and kept by the store: parsing it again on
// every call costs about as much as running it. PostgreSQL's driver keeps
// prepared statements of its own.
func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	} else if st == nil {
		return tx.ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

// get is exec for a statement that returns one row into dest.
func (tx *Tx) get(ctx context.Context, dest any, query string, args ...any) error {
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return err
	} else if st == nil {
		return tx.GetContext(ctx, dest, query, args...)
	}
	return st.GetContext(ctx, dest, args...)
}

// stmt returns the store's prepared statement of query bound to the
// transaction, or nil on PostgreSQL.
func (tx *Tx) stmt(ctx context.Context, query string) (*sqlx.Stmt, error) {
	st, err := tx.store.prepared(ctx, query)
	if st == nil || err != nil {
		return nil, err
	}
	return tx.StmtxContext(ctx, st), nil
}

// prepared returns the store's prepared statement of query, preparing it
// the first time, or nil on PostgreSQL. Only fixed query texts go
// through here, so the statements kept are as many as the queries written.
func (s *Store) prepared(ctx context.Context, query string) (*sqlx.Stmt, error) {
	if s.dialect.name != "sqlite" {
		return nil, nil
	}
	if v, ok := s.stmts.Load(query); ok {
		return v.(*sqlx.Stmt), nil
	}
	st, err := s.db.PreparexContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if v, loaded := s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return v.(*sqlx.Stmt), nil
	}
	return st, nil
}

// one scans the one row of a fixed query outside any transaction into
// dest (through a prepared statement on SQLite), turning "no rows" into a
// not-found error with the given message key.
func (s *Store) one(ctx context.Context, notFound string, dest any, query string, args ...any) error {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return err
	}
	if st == nil {
		return getOne(ctx, s.db, notFound, dest, query, args...)
	}
	err = st.GetContext(ctx, dest, args...)
	if err == sql.ErrNoRows {
		return enlace.Errorf(enlace.ENOTFOUND, notFound)
	}
	return err
}
