package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
)

const documentColumns = `id, customer_id, COALESCE(billing_account_id, '') AS billing_account_id, kind, title,
	description, file_name, content_type, size_bytes, sha256, uploaded_by, uploader_email, downloads,
	last_downloaded_at, retired_at, retired_by, project_id, task_key, request_id, port_order_id, created_at`

// CreateDocument stores a document's metadata.
func (s *Store) CreateDocument(ctx context.Context, d *document.Document, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		d.CreatedAt = tx.now
		if err := tx.insertDocument(ctx, *d); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// insertDocument stores a document's metadata; a project's documents
// and a request's attachments come as effects of the change they belong
// to.
func (tx *Tx) insertDocument(ctx context.Context, d document.Document) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO documents (id, customer_id, billing_account_id, kind, title, description, file_name,
			content_type, size_bytes, sha256, uploaded_by, uploader_email, project_id, task_key, request_id, port_order_id,
			created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		d.ID, d.CustomerID, nullable(d.BillingAccountID), d.Kind, d.Title, d.Description, d.FileName,
		d.ContentType, d.Size, d.SHA256, d.UploadedBy, d.UploaderEmail, d.ProjectID, d.TaskKey, d.RequestID,
		d.PortOrderID, tx.now)
	return err
}

// DocumentByID returns a document, retired or not.
func (s *Store) DocumentByID(ctx context.Context, id string) (*document.Document, error) {
	var d document.Document
	if err := s.one(ctx, "error.not_found", &d, `SELECT `+documentColumns+` FROM documents WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return &d, nil
}

// FindDocuments returns a page of the documents that are not retired,
// newest first along documents(customer_id, id), and how many match.
func (s *Store) FindDocuments(ctx context.Context, f document.Filter) ([]document.Document, int, error) {
	var w where
	w.add("retired_at IS NULL")
	if f.ProjectID != nil {
		w.add("project_id = ?", *f.ProjectID)
	} else {
		w.add("project_id = ''")
	}
	// A request's attachments and a port order's papers, like a
	// project's documents, are listed with their request or order only,
	// never in the repository.
	if f.RequestID != nil {
		w.add("request_id = ?", *f.RequestID)
	} else {
		w.add("request_id = ''")
	}
	if f.PortOrderID != nil {
		w.add("port_order_id = ?", *f.PortOrderID)
	} else {
		w.add("port_order_id = ''")
	}
	if f.CustomerID != "" {
		w.add("customer_id = ?", f.CustomerID)
	}
	if f.BillingAccountID != nil {
		w.add("billing_account_id = ?", *f.BillingAccountID)
	}
	if f.Kind != nil {
		w.add("kind = ?", *f.Kind)
	}
	if f.Accounts != nil {
		cond := "billing_account_id IS NULL"
		if len(f.Accounts) > 0 {
			ph := make([]string, len(f.Accounts))
			for i, a := range f.Accounts {
				ph[i] = w.arg(a)
			}
			cond = "(" + cond + " OR billing_account_id IN (" + strings.Join(ph, ", ") + "))"
		}
		w.add(cond)
	}
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM documents WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, fmt.Errorf("count documents: %w", err)
	}
	ds := []document.Document{}
	if total == 0 {
		return ds, 0, nil
	}
	q := fmt.Sprintf(`SELECT %s FROM documents WHERE %s ORDER BY id DESC LIMIT %s OFFSET %s`,
		documentColumns, w.String(), w.arg(f.Limit), w.arg(f.Offset))
	if err := s.db.SelectContext(ctx, &ds, q, w.args...); err != nil {
		return nil, 0, fmt.Errorf("find documents: %w", err)
	}
	return ds, total, nil
}

// RecordDocumentDownload counts a download of a document and writes its
// effects (the audit entry) in the same transaction.
func (s *Store) RecordDocumentDownload(ctx context.Context, id string, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE documents SET downloads = downloads + 1, last_downloaded_at = $1
			WHERE id = $2 AND retired_at IS NULL`, tx.now, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		return tx.record(ctx, effects...)
	})
}

// RetireDocument marks a document retired by a user, with its effects.
func (s *Store) RetireDocument(ctx context.Context, id, by string, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE documents SET retired_at = $1, retired_by = $2 WHERE id = $3 AND retired_at IS NULL`, tx.now, by, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		return tx.record(ctx, effects...)
	})
}
