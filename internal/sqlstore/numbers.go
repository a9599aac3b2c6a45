package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
)

const (
	numberInsertColumns = `id, customer_id, site_id, e164, country, state, assignee_kind, assignee_name, assignee_ref,
		cnam, location, port_order_id, carrier, assignable_at, note, version, created_at, updated_at`
	numberInsertWidth = 18
)

// numberValues appends a number's columns in numberInsertColumns order.
func numberValues(n *numbering.Number, dst []any) []any {
	return append(dst, n.ID, n.CustomerID, n.SiteID, n.E164, n.Country, n.State, n.AssigneeKind, n.AssigneeName,
		n.AssigneeRef, n.CNAM, n.Location, n.PortOrderID, n.Carrier, utcPtr(n.AssignableAt), n.Note, n.Version,
		n.CreatedAt.UTC(), n.UpdatedAt.UTC())
}

// numberColumns reads a number through the alias n with its customer's
// and site's names and its port order's folio and billing account.
var numberColumns = qualify("n", numberInsertColumns) + `, c.name AS customer_name, COALESCE(st.name, '') AS site_name,
	COALESCE(po.folio, '') AS port_order_folio, COALESCE(po.billing_account_id, '') AS port_order_account`

const numberJoins = ` JOIN customers c ON c.id = n.customer_id LEFT JOIN sites st ON st.id = n.site_id
	LEFT JOIN port_orders po ON po.id = n.port_order_id`

// heldNumber is the condition of the numbers_held index, written out
// rather than bound: only then may PostgreSQL use the partial index in
// the plan of a prepared statement.
const heldNumber = `n.state <> '` + numbering.StateReleased + `'`

// CreateNumbers stores new numbers in batches with the effects; a number
// already held fails the whole call with ECONFLICT naming it.
func (s *Store) CreateNumbers(ctx context.Context, ns []numbering.Number, effects ...enlace.Effect) error {
	err := s.write(ctx, func(tx *Tx) error {
		if err := tx.insertNumbers(ctx, ns); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
	return s.heldConflict(ctx, err, ns)
}

// insertNumbers stores new numbers in INSERTs of as many rows as the
// dialect does best with.
func (tx *Tx) insertNumbers(ctx context.Context, ns []numbering.Number) error {
	for i := range ns {
		if ns[i].ID == "" {
			ns[i].ID = enlace.NewID()
		}
		ns[i].Version, ns[i].CreatedAt, ns[i].UpdatedAt = 1, tx.now, tx.now
	}
	return insertBatches(ctx, tx, "numbers", numberInsertColumns, numberInsertWidth, tx.store.dialect.insertBatch(), len(ns),
		func(i int, dst []any) []any { return numberValues(&ns[i], dst) })
}

// heldConflict names the number that made a write of new numbers fail.
// The numbers_held index, not a read before the insert, is what refuses
// a number held already: it holds against a concurrent writer too and
// costs nothing when no number is held. The drivers' errors do not name
// the row, so once the transaction is over the numbers are looked up;
// one repeated within ns is held by the write itself.
func (s *Store) heldConflict(ctx context.Context, err error, ns []numbering.Number) error {
	if e := enlace.AsError(err); err == nil || e.Code != enlace.ECONFLICT || e.Message != "error.conflict" {
		return err
	}
	e164s := make([]string, len(ns))
	for i := range ns {
		e164s[i] = ns[i].E164
	}
	held, lookErr := s.HeldNumbers(ctx, e164s)
	if lookErr != nil {
		return err
	}
	seen := make(map[string]bool, len(ns))
	for _, e164 := range e164s {
		if held[e164] || seen[e164] {
			return enlace.Errorf(enlace.ECONFLICT, "numbering.error.held", "Number", e164)
		}
		seen[e164] = true
	}
	return err
}

// HeldNumbers returns which of e164s some customer holds, as a set.
func (s *Store) HeldNumbers(ctx context.Context, e164s []string) (map[string]bool, error) {
	held := make(map[string]bool)
	for lo := 0; lo < len(e164s); lo += 500 {
		var w where
		w.add(heldNumber)
		w.add("n.e164 IN (" + w.in(e164s[lo:min(lo+500, len(e164s))]) + ")")
		var found []string
		if err := s.db.SelectContext(ctx, &found, `SELECT n.e164 FROM numbers n WHERE `+w.String(), w.args...); err != nil {
			return nil, fmt.Errorf("held numbers: %w", err)
		}
		for _, e164 := range found {
			held[e164] = true
		}
	}
	return held, nil
}

// NumberByID returns a number with its customer's and site's names.
func (s *Store) NumberByID(ctx context.Context, id string) (*numbering.Number, error) {
	var n numbering.Number
	if err := s.one(ctx, "error.not_found", &n, `SELECT `+numberColumns+` FROM numbers n`+numberJoins+
		` WHERE n.id = $1`, id); err != nil {
		return nil, err
	}
	return &n, nil
}

// NumberByE164 returns the number not released with that E.164.
func (s *Store) NumberByE164(ctx context.Context, e164 string) (*numbering.Number, error) {
	var n numbering.Number
	if err := s.one(ctx, "error.not_found", &n, `SELECT `+numberColumns+` FROM numbers n`+numberJoins+
		` WHERE n.e164 = $1 AND `+heldNumber, e164); err != nil {
		return nil, err
	}
	return &n, nil
}

// numberWhere builds the conditions of f on numbers through the alias n;
// the counts by state leave out the state.
func numberWhere(f numbering.Filter, byState bool) *where {
	w := &where{}
	if f.CustomerID != "" {
		w.add("n.customer_id = ?", f.CustomerID)
	}
	if byState && f.State != "" {
		w.add("n.state = ?", f.State)
	}
	if f.SiteID != "" {
		w.add("n.site_id = ?", f.SiteID)
	}
	if f.PortOrderID != "" {
		w.add("n.port_order_id = ?", f.PortOrderID)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// A number typed in part, as people write it (+52 55-1234), is a
		// range on the E.164 index; anything else is the start of the
		// assignee's name or sign-in name.
		digits := strings.TrimPrefix(strings.NewReplacer(" ", "", "-", "").Replace(q), "+")
		if digits != "" && strings.Trim(digits, "0123456789") == "" {
			w.add("n.e164 >= ? AND n.e164 < ?", "+"+digits, "+"+digits+"~")
		} else {
			like := likeEscape(strings.ToLower(q)) + "%"
			w.add(`(lower(n.assignee_name) LIKE ? ESCAPE '\' OR lower(n.assignee_ref) LIKE ? ESCAPE '\')`, like, like)
		}
	}
	return w
}

// FindNumbers returns a page of the numbers matching f in E.164 order and
// their total. The page's ids come from an index in E.164 order (a
// deferred join); only those rows are joined with their names.
func (s *Store) FindNumbers(ctx context.Context, f numbering.Filter) ([]numbering.Number, int, error) {
	w := numberWhere(f, true)
	filter := w.String()
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM numbers n WHERE `+filter, w.args...); err != nil {
		return nil, 0, fmt.Errorf("count numbers: %w", err)
	}
	out := []numbering.Number{}
	if total == 0 {
		return out, 0, nil
	}
	query := `SELECT ` + numberColumns + ` FROM (SELECT n.id FROM numbers n WHERE ` + filter +
		` ORDER BY n.e164, n.id LIMIT ` + w.arg(f.Limit) + ` OFFSET ` + w.arg(f.Offset) + `) page
		JOIN numbers n ON n.id = page.id` + numberJoins + ` ORDER BY n.e164, n.id`
	if err := s.db.SelectContext(ctx, &out, query, w.args...); err != nil {
		return nil, 0, fmt.Errorf("find numbers: %w", err)
	}
	return out, total, nil
}

// CountNumbers counts the numbers matching f, whatever their state, by
// state in the order of numbering.States, leaving out states without any.
func (s *Store) CountNumbers(ctx context.Context, f numbering.Filter) ([]numbering.StateCount, error) {
	w := numberWhere(f, false)
	out := []numbering.StateCount{}
	if err := s.db.SelectContext(ctx, &out, `SELECT n.state, COUNT(*) AS n FROM numbers n WHERE `+w.String()+
		` GROUP BY n.state`, w.args...); err != nil {
		return nil, fmt.Errorf("count numbers by state: %w", err)
	}
	slices.SortFunc(out, func(a, b numbering.StateCount) int {
		return slices.Index(numbering.States, a.State) - slices.Index(numbering.States, b.State)
	})
	return out, nil
}

// SaveNumbers writes changed numbers, each only if its version is still
// the one read, with the effects; the numbers' versions move on once all
// of it is committed.
func (s *Store) SaveNumbers(ctx context.Context, ns []numbering.Number, effects ...enlace.Effect) error {
	var now time.Time
	err := s.write(ctx, func(tx *Tx) error {
		now = tx.now
		if err := tx.saveNumbers(ctx, ns); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
	if err != nil {
		return err
	}
	savedNumbers(ns, now)
	return nil
}

// saveNumbers updates numbers whose version is still the one read: of two
// people changing one number at once, the second is told to reload.
func (tx *Tx) saveNumbers(ctx context.Context, ns []numbering.Number) error {
	for i := range ns {
		n := &ns[i]
		res, err := tx.exec(ctx, `UPDATE numbers SET site_id = $1, state = $2, assignee_kind = $3, assignee_name = $4,
			assignee_ref = $5, cnam = $6, location = $7, port_order_id = $8, carrier = $9, assignable_at = $10, note = $11,
			version = version + 1, updated_at = $12 WHERE id = $13 AND version = $14`,
			n.SiteID, n.State, n.AssigneeKind, n.AssigneeName, n.AssigneeRef, n.CNAM, n.Location, n.PortOrderID,
			n.Carrier, utcPtr(n.AssignableAt), n.Note, tx.now, n.ID, n.Version)
		if err != nil {
			return err
		}
		if changed, err := res.RowsAffected(); err != nil {
			return err
		} else if changed == 0 {
			return enlace.Errorf(enlace.ECONFLICT, "numbering.error.changed", "Number", n.E164)
		}
	}
	return nil
}

// savedNumbers gives numbers the version and time their committed save
// wrote.
func savedNumbers(ns []numbering.Number, now time.Time) {
	for i := range ns {
		ns[i].Version++
		ns[i].UpdatedAt = now
	}
}

const numberImportColumns = `id, customer_id, file_name, status, total_rows, processed_rows, created, error_rows,
	problems, file_error, created_by, created_at, updated_at, finished_at`

// CreateNumberImport stores a new import of numbers with its decoded file
// and the effects (the job that reads it).
func (s *Store) CreateNumberImport(ctx context.Context, imp *numbering.Import, source string, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		imp.CreatedAt, imp.UpdatedAt = tx.now, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO number_imports (`+numberImportColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			imp.ID, imp.CustomerID, imp.FileName, imp.Status, imp.TotalRows, imp.ProcessedRows, imp.Created,
			imp.ErrorRows, imp.Problems, imp.FileError, imp.CreatedBy, tx.now, tx.now, utcPtr(imp.FinishedAt)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO number_import_sources (import_id, source) VALUES ($1, $2)`, imp.ID, source); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// NumberImportByID returns an import of numbers.
func (s *Store) NumberImportByID(ctx context.Context, id string) (*numbering.Import, error) {
	var imp numbering.Import
	if err := s.one(ctx, "error.not_found", &imp, `SELECT `+numberImportColumns+` FROM number_imports
		WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return &imp, nil
}

// NumberImportSource returns an import's decoded file; "" once the import
// is no longer running.
func (s *Store) NumberImportSource(ctx context.Context, id string) (string, error) {
	if _, err := s.NumberImportByID(ctx, id); err != nil {
		return "", err
	}
	var src string
	err := s.one(ctx, "error.not_found", &src, `SELECT source FROM number_import_sources WHERE import_id = $1`, id)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return "", nil
	}
	return src, err
}

// FindNumberImports returns a customer's latest imports of numbers,
// newest first.
func (s *Store) FindNumberImports(ctx context.Context, customerID string, limit int) ([]numbering.Import, error) {
	out := []numbering.Import{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+numberImportColumns+` FROM number_imports WHERE customer_id = $1
		ORDER BY created_at DESC, id DESC LIMIT $2`, customerID, limit)
	return out, err
}

// ImportBatch writes a batch of an import's numbers and the import's
// progress in one transaction: a restarted job continues exactly after
// the last batch written. A number already held fails the batch with
// ECONFLICT naming it, writing nothing.
func (s *Store) ImportBatch(ctx context.Context, imp *numbering.Import, ns []numbering.Number) error {
	var now time.Time
	err := s.write(ctx, func(tx *Tx) error {
		now = tx.now
		if err := tx.insertNumbers(ctx, ns); err != nil {
			return err
		}
		return tx.updateNumberImport(ctx, imp)
	})
	if err != nil {
		return s.heldConflict(ctx, err, ns)
	}
	importSaved(imp, now)
	return nil
}

// SaveImport writes an import's progress, problems and status, like
// ImportBatch without numbers.
func (s *Store) SaveImport(ctx context.Context, imp *numbering.Import) error {
	var now time.Time
	err := s.write(ctx, func(tx *Tx) error {
		now = tx.now
		return tx.updateNumberImport(ctx, imp)
	})
	if err != nil {
		return err
	}
	importSaved(imp, now)
	return nil
}

// updateNumberImport writes an import's progress and status; the decoded
// file is dropped once the import is no longer running, as nothing reads
// it again.
func (tx *Tx) updateNumberImport(ctx context.Context, imp *numbering.Import) error {
	if imp.Status != numbering.ImportRunning {
		if _, err := tx.exec(ctx, `DELETE FROM number_import_sources WHERE import_id = $1`, imp.ID); err != nil {
			return err
		}
	}
	res, err := tx.exec(ctx, `UPDATE number_imports SET status = $1, total_rows = $2, processed_rows = $3, created = $4,
		error_rows = $5, problems = $6, file_error = $7, updated_at = $8, finished_at = $9 WHERE id = $10`,
		imp.Status, imp.TotalRows, imp.ProcessedRows, imp.Created, imp.ErrorRows, imp.Problems, imp.FileError, tx.now,
		utcPtr(importFinished(imp, tx.now)), imp.ID)
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

// importFinished is when an import saved at now finished: when it first
// left running.
func importFinished(imp *numbering.Import, now time.Time) *time.Time {
	switch {
	case imp.Status == numbering.ImportRunning:
		return nil
	case imp.FinishedAt != nil:
		return imp.FinishedAt
	}
	return &now
}

// importSaved gives an import the times its committed save wrote.
func importSaved(imp *numbering.Import, now time.Time) {
	imp.UpdatedAt, imp.FinishedAt = now, importFinished(imp, now)
}
