// Package document is the repository where the provider's account
// executives share files with a customer (I1): contracts, invoice copies,
// configuration manuals, letters of authorization. A document belongs to a
// customer and, optionally, to one of its billing accounts; its file lives
// in a BlobStore under the document's id, and its type is decided by the
// file's content, never by its name. Every download is audited.
package document

import (
	"context"
	"io"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// Kinds of document, in the order forms offer them (catalogue keys
// documents.kind.<kind>).
const (
	KindContract = "contract"
	KindProposal = "proposal"
	KindInvoice  = "invoice"
	KindManual   = "manual"
	KindLOA      = "loa"
	KindCOI      = "coi"
	KindReport   = "report"
	KindOther    = "other"
)

// Kinds lists every kind of document.
var Kinds = []string{KindContract, KindProposal, KindInvoice, KindManual, KindLOA, KindCOI, KindReport, KindOther}

// Document is a file shared with a customer, or with one billing account
// of it. BillingAccountID is empty for the whole customer.
type Document struct {
	ID               string     `json:"id" db:"id"`
	CustomerID       string     `json:"customerId" db:"customer_id"`
	BillingAccountID string     `json:"billingAccountId,omitempty" db:"billing_account_id"`
	Kind             string     `json:"kind" db:"kind"`
	Title            string     `json:"title" db:"title"`
	Description      string     `json:"description" db:"description"`
	FileName         string     `json:"fileName" db:"file_name"`
	ContentType      string     `json:"contentType" db:"content_type"`
	Size             int64      `json:"size" db:"size_bytes"`
	SHA256           string     `json:"sha256" db:"sha256"`
	UploadedBy       string     `json:"uploadedBy" db:"uploaded_by"`
	UploaderEmail    string     `json:"uploaderEmail" db:"uploader_email"`
	Downloads        int        `json:"downloads" db:"downloads"`
	LastDownloadedAt *time.Time `json:"lastDownloadedAt,omitempty" db:"last_downloaded_at"`
	RetiredAt        *time.Time `json:"-" db:"retired_at"`
	RetiredBy        string     `json:"-" db:"retired_by"`
	// ProjectID and TaskKey name the project task a project document was
	// given for; both are empty for the repository's documents.
	ProjectID string `json:"projectId,omitempty" db:"project_id"`
	TaskKey   string `json:"taskKey,omitempty" db:"task_key"`
	// RequestID names the service request a request's attachment belongs
	// to; empty for every other document.
	RequestID string `json:"requestId,omitempty" db:"request_id"`
	// PortOrderID names the port order a CSR, phone bill or LOA belongs
	// to; empty for every other document.
	PortOrderID string    `json:"portOrderId,omitempty" db:"port_order_id"`
	CreatedAt   time.Time `json:"createdAt" db:"created_at"`
}

// EffectKind implements enlace.Effect: a project's document is stored in
// the transaction of the project change it causes (a gate opening), a
// request's attachment in that of its request's change.
func (Document) EffectKind() string { return "document" }

// Filter selects a customer's documents. Nil fields do not filter.
type Filter struct {
	// CustomerID is the customer; empty lists every customer's (staff only).
	CustomerID       string
	BillingAccountID *string
	Kind             *string
	// ProjectID, when set, lists one project's documents; otherwise only
	// the repository's (documents given for no project) are listed.
	ProjectID *string
	// RequestID, when set, lists one service request's attachments;
	// otherwise none are listed.
	RequestID *string
	// PortOrderID, when set, lists one port order's documents; otherwise
	// none are listed.
	PortOrderID *string
	// Accounts, when not nil, limits the list to the documents of the
	// whole customer and of these billing accounts: what a customer user
	// who is not an administrator may see.
	Accounts []string
	Offset   int
	Limit    int
}

// Store is what the document module needs of the database.
type Store interface {
	CreateDocument(ctx context.Context, d *Document, effects ...enlace.Effect) error
	// DocumentByID returns a document, retired ones included.
	DocumentByID(ctx context.Context, id string) (*Document, error)
	// FindDocuments returns the documents that are not retired, newest first.
	FindDocuments(ctx context.Context, f Filter) ([]Document, int, error)
	// RecordDocumentDownload counts a download and writes its effects.
	RecordDocumentDownload(ctx context.Context, id string, effects ...enlace.Effect) error
	// RetireDocument marks a document retired by a user.
	RetireDocument(ctx context.Context, id, by string, effects ...enlace.Effect) error
	CustomerByID(ctx context.Context, id string) (*customer.Customer, error)
	BillingAccountByID(ctx context.Context, id string) (*customer.BillingAccount, error)
}

// BlobStore keeps the files, each under a key (the document's id). A
// folder in the data directory and S3-compatible object storage implement
// it (package blob).
type BlobStore interface {
	// Put stores the size bytes read from r under key and returns how many
	// it stored and their hex SHA-256. A reader that ends early or runs
	// long is an error and leaves nothing stored.
	Put(ctx context.Context, key string, r io.Reader, size int64) (n int64, sha256 string, err error)
	// Get opens the content stored under key and returns its size; a
	// missing key is an ENOTFOUND error.
	Get(ctx context.Context, key string) (io.ReadSeekCloser, int64, error)
	// Delete removes the content under key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
}
