// Package importer loads an existing customer's sites and services from a
// CSV file, the way a provider moves a customer over from its old systems:
// the file is uploaded, read and checked row by row in a background job
// that stages every row in the database (so any replica can show the
// progress and the preview), and, once staff have read the preview, its
// rows are written in one transaction through inventory.Manager.Import —
// all of them or none.
package importer

import (
	"context"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// Import statuses: uploaded → validating → ready (no errors) or failed;
// ready → importing → done or failed.
const (
	StatusUploaded   = "uploaded"
	StatusValidating = "validating"
	StatusReady      = "ready"
	StatusFailed     = "failed"
	StatusImporting  = "importing"
	StatusDone       = "done"
)

// Import is one uploaded file for one customer and what became of it.
type Import struct {
	ID            string
	CustomerID    string
	UploadedBy    string
	UploaderEmail string
	FileName      string
	Status        string
	// TotalRows counts the file's data rows; ProcessedRows how many the
	// current step (checking or importing) has gone through.
	TotalRows     int
	ProcessedRows int
	// ErrorRows counts the rows with at least one problem, ErrorCount
	// the problems.
	ErrorRows  int
	ErrorCount int
	Summary    Summary
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

// Running reports whether a job is still working on the import.
func (i *Import) Running() bool {
	return i.Status == StatusUploaded || i.Status == StatusValidating || i.Status == StatusImporting
}

// Percent is the progress of the current step, 0 to 100.
func (i *Import) Percent() int {
	if i.TotalRows == 0 {
		return 0
	}
	return min(100, i.ProcessedRows*100/i.TotalRows)
}

// Summary is what the preview counts.
type Summary struct {
	Encoding      string         `json:"encoding"`
	Delimiter     string         `json:"delimiter"`
	NewSites      int            `json:"newSites"`
	ExistingSites int            `json:"existingSites"`
	Services      int            `json:"services"`
	ByCategory    map[string]int `json:"byCategory,omitempty"`
	// Unknown lists the file's columns that were ignored.
	Unknown []string `json:"unknown,omitempty"`
	// FileError is what was wrong with the file as a whole, if anything.
	FileError *Problem `json:"fileError,omitempty"`
	// ImportError is what stopped an import that had passed the check.
	ImportError *Problem `json:"importError,omitempty"`
}

// StagedRow is one row of a file as the database holds it between the
// check and the import: the site it introduces and its service, as JSON,
// and its problems.
type StagedRow struct {
	Line     int
	Data     string
	Problems []Problem
}

// Store is what the importer needs of the database.
type Store interface {
	CustomerByID(ctx context.Context, id string) (*customer.Customer, error)
	BillingAccounts(ctx context.Context, customerID string) ([]customer.BillingAccount, error)
	CustomerSites(ctx context.Context, customerID string) ([]inventory.Site, error)
	SiteByID(ctx context.Context, id string) (*inventory.Site, error)
	ExistingServiceKeys(ctx context.Context, keys []string) ([]string, error)

	// CreateImport stores a new import with its decoded file.
	CreateImport(ctx context.Context, imp *Import, source string, effects ...enlace.Effect) error
	ImportByID(ctx context.Context, id string) (*Import, error)
	// FindImports returns a customer's imports, newest first.
	FindImports(ctx context.Context, customerID string, offset, limit int) ([]Import, int, error)
	// ImportSource returns the decoded file of an import not yet checked.
	ImportSource(ctx context.Context, id string) (string, error)
	// MoveImport changes an import's status from one of from to to,
	// ECONFLICT when it is in none of them. Moving to validating drops
	// what an interrupted check staged.
	MoveImport(ctx context.Context, id string, from []string, to string, effects ...enlace.Effect) error
	// StageImportRows adds a batch of rows and sets the progress, committed together.
	StageImportRows(ctx context.Context, id string, rows []StagedRow, processed int) error
	// SetImportProgress sets how many rows the current step has gone through.
	SetImportProgress(ctx context.Context, id string, processed int) error
	// SetImportProblems replaces the problems of the rows given.
	SetImportProblems(ctx context.Context, id string, rows []StagedRow) error
	// FinishImport records the outcome of a step: status, counts and
	// summary. The decoded file is dropped once checked; the staged rows
	// once imported.
	FinishImport(ctx context.Context, imp *Import) error
	// ImportRows returns staged rows after line, by line; with problems
	// only those that have some.
	ImportRows(ctx context.Context, id string, problems bool, afterLine, limit int) ([]StagedRow, error)
}

// Limits bound what one file may hold.
type Limits struct {
	MaxFileBytes int64
	MaxRows      int
}

// DefaultLimits are 20 MiB and 200,000 rows: four times the largest
// customer the provider expects to move.
var DefaultLimits = Limits{MaxFileBytes: 20 << 20, MaxRows: 200_000}

// Service uploads, checks and imports files. Staff who may change the
// inventory (admin, pm, account_exec) use it; other staff are refused and
// customer users are told there is nothing.
type Service struct {
	store  Store
	inv    *inventory.Manager
	clock  enlace.Clock
	Limits Limits
	// wake, when set by Register, starts the job runner at once.
	wake func()
}

// NewService returns an importer writing through inv.
func NewService(store Store, inv *inventory.Manager, clock enlace.Clock) *Service {
	return &Service{store: store, inv: inv, clock: clock, Limits: DefaultLimits}
}

// staff checks that the actor may import: customer users learn nothing
// exists, other staff that they may not.
func staff(ctx context.Context) (*enlace.Actor, error) {
	a := enlace.ActorFrom(ctx)
	switch {
	case a == nil:
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	case !a.IsStaff():
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	case !inventory.CanWrite(a):
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	return a, nil
}

// CanImport reports whether the actor may import files, for links.
func CanImport(a *enlace.Actor) bool { return inventory.CanWrite(a) }

// Get returns an import.
func (s *Service) Get(ctx context.Context, id string) (*Import, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return s.store.ImportByID(ctx, id)
}

// List returns a customer's imports, newest first.
func (s *Service) List(ctx context.Context, customerID string, offset, limit int) ([]Import, int, error) {
	if _, err := staff(ctx); err != nil {
		return nil, 0, err
	}
	return s.store.FindImports(ctx, customerID, offset, max(1, min(limit, 100)))
}

// Problems returns the rows with problems after line, by line.
func (s *Service) Problems(ctx context.Context, id string, afterLine, limit int) ([]StagedRow, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.store.ImportRows(ctx, id, true, afterLine, limit)
}

// Customer returns the customer an upload is for, checking the actor.
func (s *Service) Customer(ctx context.Context, id string) (*customer.Customer, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return s.store.CustomerByID(ctx, id)
}

// Running lists the statuses a job is working in.
var Running = []string{StatusUploaded, StatusValidating, StatusImporting}

// IsRunning reports whether status is one a job is working in.
func IsRunning(status string) bool { return slices.Contains(Running, status) }
