package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/importer"
)

// importRow is an imports row as read.
type importRow struct {
	ID            string     `db:"id"`
	CustomerID    string     `db:"customer_id"`
	UploadedBy    string     `db:"uploaded_by"`
	UploaderEmail string     `db:"uploader_email"`
	FileName      string     `db:"file_name"`
	Status        string     `db:"status"`
	TotalRows     int        `db:"total_rows"`
	ProcessedRows int        `db:"processed_rows"`
	ErrorRows     int        `db:"error_rows"`
	ErrorCount    int        `db:"error_count"`
	Summary       string     `db:"summary"`
	CreatedAt     time.Time  `db:"created_at"`
	UpdatedAt     time.Time  `db:"updated_at"`
	FinishedAt    *time.Time `db:"finished_at"`
}

const importColumns = `id, customer_id, uploaded_by, uploader_email, file_name, status, total_rows,
	processed_rows, error_rows, error_count, summary, created_at, updated_at, finished_at`

func (r *importRow) import_() (importer.Import, error) {
	imp := importer.Import{ID: r.ID, CustomerID: r.CustomerID, UploadedBy: r.UploadedBy, UploaderEmail: r.UploaderEmail,
		FileName: r.FileName, Status: r.Status, TotalRows: r.TotalRows, ProcessedRows: r.ProcessedRows,
		ErrorRows: r.ErrorRows, ErrorCount: r.ErrorCount, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, FinishedAt: r.FinishedAt}
	if err := json.Unmarshal([]byte(r.Summary), &imp.Summary); err != nil {
		return imp, fmt.Errorf("import %s summary: %w", r.ID, err)
	}
	return imp, nil
}

// CreateImport stores a new import with its decoded file and effects.
func (s *Store) CreateImport(ctx context.Context, imp *importer.Import, source string, effects ...enlace.Effect) error {
	summary, err := json.Marshal(imp.Summary)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		imp.CreatedAt, imp.UpdatedAt = tx.now, tx.now
		_, err := tx.ExecContext(ctx, `
			INSERT INTO imports (id, customer_id, uploaded_by, uploader_email, file_name, status, total_rows,
				summary, source, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
			imp.ID, imp.CustomerID, imp.UploadedBy, imp.UploaderEmail, imp.FileName, imp.Status, imp.TotalRows,
			string(summary), source, tx.now)
		if err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// ImportByID returns an import.
func (s *Store) ImportByID(ctx context.Context, id string) (*importer.Import, error) {
	var r importRow
	if err := s.one(ctx, "error.not_found", &r, `SELECT `+importColumns+` FROM imports WHERE id = $1`, id); err != nil {
		return nil, err
	}
	imp, err := r.import_()
	return &imp, err
}

// FindImports returns a customer's imports, newest first.
func (s *Store) FindImports(ctx context.Context, customerID string, offset, limit int) ([]importer.Import, int, error) {
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT count(*) FROM imports WHERE customer_id = $1`, customerID); err != nil {
		return nil, 0, err
	}
	var rows []importRow
	err := s.db.SelectContext(ctx, &rows, `SELECT `+importColumns+` FROM imports WHERE customer_id = $1
		ORDER BY id DESC LIMIT $2 OFFSET $3`, customerID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	out := make([]importer.Import, len(rows))
	for i := range rows {
		if out[i], err = rows[i].import_(); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// ImportSource returns the decoded file of an import not yet checked.
func (s *Store) ImportSource(ctx context.Context, id string) (string, error) {
	var src *string
	if err := s.one(ctx, "error.not_found", &src, `SELECT source FROM imports WHERE id = $1`, id); err != nil {
		return "", err
	}
	if src == nil {
		return "", enlace.Errorf(enlace.ECONFLICT, "importer.error.not_ready")
	}
	return *src, nil
}

// MoveImport changes an import's status from one of from to to; moving
// to validating drops the rows an interrupted check staged.
func (s *Store) MoveImport(ctx context.Context, id string, from []string, to string, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		var w where
		w.add("id = ?", id)
		in := w.in(from)
		res, err := tx.ExecContext(ctx, `UPDATE imports SET status = `+w.arg(to)+`, processed_rows = 0, updated_at = `+
			w.arg(tx.now)+` WHERE `+w.String()+` AND status IN (`+in+`)`, w.args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return enlace.Errorf(enlace.ECONFLICT, "importer.error.not_ready")
		}
		if to == importer.StatusValidating {
			if _, err := tx.ExecContext(ctx, `DELETE FROM import_rows WHERE import_id = $1`, id); err != nil {
				return err
			}
		}
		return tx.record(ctx, effects...)
	})
}

// importRowBatch is how many staged rows one INSERT carries (4 values each).
const importRowBatch = 100

// StageImportRows adds a batch of staged rows and sets the progress in
// one transaction.
func (s *Store) StageImportRows(ctx context.Context, id string, rows []importer.StagedRow, processed int) error {
	return s.write(ctx, func(tx *Tx) error {
		problems := make([]string, len(rows))
		for i, r := range rows {
			p, err := problemsJSON(r.Problems)
			if err != nil {
				return err
			}
			problems[i] = p
		}
		err := insertBatches(ctx, tx, "import_rows", "import_id, line, data, problems", 4, importRowBatch, len(rows),
			func(i int, dst []any) []any { return append(dst, id, rows[i].Line, rows[i].Data, problems[i]) })
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE imports SET processed_rows = $1, updated_at = $2 WHERE id = $3`, processed, tx.now, id)
		return err
	})
}

func problemsJSON(ps []importer.Problem) (string, error) {
	if len(ps) == 0 {
		return "", nil
	}
	b, err := json.Marshal(ps)
	return string(b), err
}

// SetImportProgress sets how many rows the current step has gone through.
func (s *Store) SetImportProgress(ctx context.Context, id string, processed int) error {
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE imports SET processed_rows = $1, updated_at = $2 WHERE id = $3`, processed, tx.now, id)
		return err
	})
}

// SetImportProblems replaces the problems of the rows given.
func (s *Store) SetImportProblems(ctx context.Context, id string, rows []importer.StagedRow) error {
	return s.write(ctx, func(tx *Tx) error {
		for _, r := range rows {
			p, err := problemsJSON(r.Problems)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE import_rows SET problems = $1 WHERE import_id = $2 AND line = $3`,
				p, id, r.Line); err != nil {
				return err
			}
		}
		return nil
	})
}

// FinishImport records the outcome of a step. The decoded file is dropped
// once the file has been checked, the staged rows once they are imported;
// the rows of a failed import stay for its error report.
func (s *Store) FinishImport(ctx context.Context, imp *importer.Import) error {
	summary, err := json.Marshal(imp.Summary)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		var finished *time.Time
		if imp.Status == importer.StatusDone || imp.Status == importer.StatusFailed {
			finished = &tx.now
		}
		_, err := tx.ExecContext(ctx, `
			UPDATE imports SET status = $1, processed_rows = $2, error_rows = $3, error_count = $4, summary = $5,
				source = NULL, updated_at = $6, finished_at = $7
			WHERE id = $8`,
			imp.Status, imp.ProcessedRows, imp.ErrorRows, imp.ErrorCount, string(summary), tx.now, finished, imp.ID)
		if err != nil {
			return err
		}
		if imp.Status == importer.StatusDone {
			_, err = tx.ExecContext(ctx, `DELETE FROM import_rows WHERE import_id = $1`, imp.ID)
		}
		imp.UpdatedAt, imp.FinishedAt = tx.now, finished
		return err
	})
}

// ImportRows returns staged rows after line, by line; with problems only
// those that have some.
func (s *Store) ImportRows(ctx context.Context, id string, problems bool, afterLine, limit int) ([]importer.StagedRow, error) {
	q := `SELECT line, data, problems FROM import_rows WHERE import_id = $1 AND line > $2`
	if problems {
		q += ` AND problems <> ''`
	}
	q += ` ORDER BY line LIMIT $3`
	rows, err := s.db.QueryContext(ctx, q, id, afterLine, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []importer.StagedRow
	for rows.Next() {
		var r importer.StagedRow
		var p string
		if err := rows.Scan(&r.Line, &r.Data, &p); err != nil {
			return nil, err
		}
		if p != "" {
			if err := json.Unmarshal([]byte(p), &r.Problems); err != nil {
				return nil, fmt.Errorf("import %s line %d problems: %w", id, r.Line, err)
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
