// Package numbering keeps a customer's phone numbers (D1): each number in
// E.164 with its state — available, test or temporary, reserved, assigned
// to a user, a resource account of an auto attendant or call queue, or a
// common-area device, porting in, ported, released — its caller name
// (CNAM) and its emergency location. Numbers move by a transition table;
// ranges and lists are loaded in bulk from CSV with a report per row.
// Port orders (package porting) bring numbers in and move them through
// porting in and ported.
package numbering

import (
	"context"
	"database/sql/driver"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// States of a number; catalogue keys numbering.state.<state>.
const (
	StateAvailable = "available"
	// StateTest is a test or temporary number: one a customer tries the
	// service with before its numbers are ported, or a provisional number
	// a person is reached on during a migration. The customer may release
	// it at any time.
	StateTest      = "test"
	StateReserved  = "reserved"
	StateAssigned  = "assigned"
	StatePortingIn = "porting_in"
	// StatePorted is a number whose port completed: in service at the
	// provider, on the assignment it was ported to.
	StatePorted   = "ported"
	StateReleased = "released"
)

// States lists the states in the order pages show them.
var States = []string{StateAvailable, StateTest, StateReserved, StateAssigned, StatePortingIn, StatePorted, StateReleased}

// Kinds of assignee; catalogue keys numbering.assignee.<kind>.
const (
	AssigneeUser          = "user"
	AssigneeAutoAttendant = "auto_attendant" // a resource account of an auto attendant
	AssigneeCallQueue     = "call_queue"     // a resource account of a call queue
	AssigneeCommonArea    = "common_area"    // a common-area (shared) device
)

// AssigneeKinds lists the kinds of assignee in the order forms offer them.
var AssigneeKinds = []string{AssigneeUser, AssigneeAutoAttendant, AssigneeCallQueue, AssigneeCommonArea}

// Number is one phone number of a customer.
type Number struct {
	ID         string `json:"id" db:"id"`
	CustomerID string `json:"customerId" db:"customer_id"`
	// SiteID is the site the number serves, if known.
	SiteID string `json:"siteId,omitempty" db:"site_id"`
	// E164 is the number in E.164 (+525512345678), unique among the
	// numbers not released.
	E164 string `json:"number" db:"e164"`
	// Country is the ISO 3166 region of the number (MX, DE, ES, US).
	Country string `json:"country" db:"country"`
	State   string `json:"state" db:"state"`
	// The assignment: who or what the number rings. Empty unless the
	// number is assigned, ported, or porting in and assigned ahead of
	// the port date.
	AssigneeKind string `json:"assigneeKind,omitempty" db:"assignee_kind"`
	AssigneeName string `json:"assigneeName,omitempty" db:"assignee_name"`
	// AssigneeRef identifies the assignee in the customer's directory:
	// the user's sign-in name (UPN) or the resource account's.
	AssigneeRef string `json:"assigneeRef,omitempty" db:"assignee_ref"`
	// CNAM is the caller name shown with the number (at most 15
	// characters, as carriers keep it).
	CNAM string `json:"cnam,omitempty" db:"cnam"`
	// Location is the emergency address calls from the number are
	// located at.
	Location string `json:"location,omitempty" db:"location"`
	// PortOrderID is the port order bringing the number in, or that
	// brought it; Carrier the carrier it was ported from.
	PortOrderID string `json:"portOrderId,omitempty" db:"port_order_id"`
	Carrier     string `json:"carrier,omitempty" db:"carrier"`
	// AssignableAt is when a number porting in appeared for assignment
	// (within 24 hours of the carrier's FOC); nil before.
	AssignableAt *time.Time `json:"assignableAt,omitempty" db:"assignable_at"`
	// Note is the staff's remark (a temporary number's purpose, say).
	Note string `json:"note,omitempty" db:"note"`
	// Version counts the changes: a save names the version it read, so
	// two people changing one number cannot overwrite each other.
	Version   int       `json:"version" db:"version"`
	CreatedAt time.Time `json:"createdAt" db:"created_at"`
	UpdatedAt time.Time `json:"updatedAt" db:"updated_at"`

	// Filled by the store on reads that join them.
	CustomerName string `json:"customerName,omitempty" db:"customer_name"`
	SiteName     string `json:"siteName,omitempty" db:"site_name"`
	// PortOrderFolio is the folio of the number's port order, empty for a
	// reader who may not see that order; PortOrderAccount is the order's
	// billing account, which decides it.
	PortOrderFolio   string `json:"portOrderFolio,omitempty" db:"port_order_folio"`
	PortOrderAccount string `json:"-" db:"port_order_account"`
}

// Assigned reports whether the number rings someone or something.
func (n *Number) Assigned() bool { return n.AssigneeKind != "" }

// Filter selects numbers. Empty fields do not filter.
type Filter struct {
	// CustomerID is the customer; empty lists every customer's (staff only).
	CustomerID  string
	State       string
	SiteID      string
	PortOrderID string
	// Query matches the start of the number (digits, with or without
	// the +) or of the assignee's name or reference.
	Query  string
	Offset int
	Limit  int
}

// StateCount is how many numbers are in a state.
type StateCount struct {
	State string `json:"state" db:"state"`
	Count int    `json:"count" db:"n"`
}

// Store is what the numbering needs of the database.
type Store interface {
	// CreateNumbers stores new numbers; a number already held (not
	// released) by any customer fails the whole call with ECONFLICT
	// naming it. Numbers are inserted in batches.
	CreateNumbers(ctx context.Context, ns []Number, effects ...enlace.Effect) error
	NumberByID(ctx context.Context, id string) (*Number, error)
	// NumberByE164 returns the number not released with that E.164.
	NumberByE164(ctx context.Context, e164 string) (*Number, error)
	// HeldNumbers returns which of the given E.164 numbers some customer
	// holds (not released), as a set.
	HeldNumbers(ctx context.Context, e164s []string) (map[string]bool, error)
	// FindNumbers returns a page of numbers in E.164 order and the total.
	FindNumbers(ctx context.Context, f Filter) ([]Number, int, error)
	// CountNumbers counts the numbers matching f (State ignored) by state.
	CountNumbers(ctx context.Context, f Filter) ([]StateCount, error)
	// SaveNumbers writes changed numbers, each only if its version is
	// still the one read (then incremented), with the effects, in one
	// transaction; a stale version fails with ECONFLICT and writes
	// nothing.
	SaveNumbers(ctx context.Context, ns []Number, effects ...enlace.Effect) error

	// CreateNumberImport stores a new import with its decoded file (source)
	// and the effects (the job that reads it).
	CreateNumberImport(ctx context.Context, imp *Import, source string, effects ...enlace.Effect) error
	// NumberImportSource returns an import's decoded file; "" once it was read
	// to the end.
	NumberImportSource(ctx context.Context, id string) (string, error)
	NumberImportByID(ctx context.Context, id string) (*Import, error)
	FindNumberImports(ctx context.Context, customerID string, limit int) ([]Import, error)
	// ImportBatch writes a batch of an import's numbers and the import's
	// progress (counts, problems, status) in one transaction, so that a
	// restarted job continues exactly after the last batch written; when
	// the import is no longer running, its source is cleared. A number
	// already held fails the batch with ECONFLICT, writing nothing.
	ImportBatch(ctx context.Context, imp *Import, ns []Number) error
	CustomerByID(ctx context.Context, id string) (*customer.Customer, error)
	SiteByID(ctx context.Context, id string) (*inventory.Site, error)
	// SaveImport writes an import's progress, problems and status.
	SaveImport(ctx context.Context, imp *Import) error
}

// Import statuses: running (the job reads, checks and writes the file in
// batches) → done, or failed when the file as a whole is unreadable.
const (
	ImportRunning = "running"
	ImportDone    = "done"
	ImportFailed  = "failed"
)

// Import is one bulk load of numbers for a customer: a CSV file of numbers
// and ranges, read by a background job that writes the good rows in
// batches and reports the others row by row.
type Import struct {
	ID         string `json:"id" db:"id"`
	CustomerID string `json:"customerId" db:"customer_id"`
	FileName   string `json:"fileName" db:"file_name"`
	Status     string `json:"status" db:"status"`
	// TotalRows counts the file's data rows, ProcessedRows those read so
	// far (a restarted job continues after them), Created the numbers
	// written (a range row writes many), ErrorRows the rows refused.
	TotalRows     int `json:"totalRows" db:"total_rows"`
	ProcessedRows int `json:"processedRows" db:"processed_rows"`
	Created       int `json:"created" db:"created"`
	ErrorRows     int `json:"errorRows" db:"error_rows"`
	// Problems are the first MaxProblems problems, in file order.
	Problems Problems `json:"problems" db:"problems"`
	// FileError is what made the whole file unreadable, as a catalogue key.
	FileError  string     `json:"fileError,omitempty" db:"file_error"`
	CreatedBy  string     `json:"createdBy" db:"created_by"`
	CreatedAt  time.Time  `json:"createdAt" db:"created_at"`
	UpdatedAt  time.Time  `json:"updatedAt" db:"updated_at"`
	FinishedAt *time.Time `json:"finishedAt,omitempty" db:"finished_at"`
}

// MaxProblems bounds the problems an import keeps; ErrorRows still counts
// every refused row.
const MaxProblems = 1000

// Problem is what is wrong with one row of an import file, as a catalogue
// key and its arguments; Column is the column as the file names it.
type Problem struct {
	Line   int               `json:"line"`
	Column string            `json:"column,omitempty"`
	Key    string            `json:"key"`
	Args   map[string]string `json:"args,omitempty"`
}

// Problems is a list of problems kept as one JSON column.
type Problems []Problem

// Value implements driver.Valuer.
func (p Problems) Value() (driver.Value, error) { return enlace.JSONValue(p, p == nil, "[]") }

// Scan implements sql.Scanner.
func (p *Problems) Scan(src any) error { return enlace.ScanJSON(src, p) }

// Percent is the import's progress, 0 to 100.
func (i *Import) Percent() int {
	if i.TotalRows == 0 {
		return 0
	}
	return min(100, i.ProcessedRows*100/i.TotalRows)
}
