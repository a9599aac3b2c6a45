package document

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
)

// DefaultMaxBytes is the largest file accepted when none is configured.
const DefaultMaxBytes = 20 << 20

// DeleteBlobJob is the job that deletes a retired document's file once the
// retirement has committed.
const DeleteBlobJob = "document.delete_blob"

// Config bounds the uploads.
type Config struct {
	// MaxBytes is the largest file accepted; zero means DefaultMaxBytes.
	MaxBytes int64
	// TempDir holds an upload while its type is checked; empty means the
	// system's temporary directory.
	TempDir string
}

// Service shares documents within the actor's reach: staff administrators
// and account executives upload and retire them; every staff user and the
// customer's users read and download them, a customer user who is not the
// administrator only those of the whole customer and of their billing
// accounts. Another tenant's document is not found.
type Service struct {
	store  Store
	blobs  BlobStore
	cfg    Config
	logger *slog.Logger
}

// NewService returns a document Service.
func NewService(store Store, blobs BlobStore, cfg Config) *Service {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	return &Service{store: store, blobs: blobs, cfg: cfg, logger: slog.Default()}
}

// MaxBytes is the largest file an upload may carry.
func (s *Service) MaxBytes() int64 { return s.cfg.MaxBytes }

// CanManage reports whether the actor may upload and retire documents:
// staff administrators and account executives.
func CanManage(a *enlace.Actor) bool {
	return a != nil && (a.StaffRole == "admin" || a.StaffRole == "account_exec")
}

// visible reports whether the actor may see the document.
func visible(a *enlace.Actor, d *Document) bool {
	switch {
	case d.RetiredAt != nil:
		return false
	case a.IsStaff():
		return true
	case a.CustomerID != d.CustomerID:
		return false
	}
	return a.BillingAccountIDs == nil || d.BillingAccountID == "" || slices.Contains(a.BillingAccountIDs, d.BillingAccountID)
}

func actor(ctx context.Context) (*enlace.Actor, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	return a, nil
}

func notFound() error { return enlace.Errorf(enlace.ENOTFOUND, "error.not_found") }

// List returns a page of the documents the actor may see, newest first.
// A customer user always lists their own customer's; naming another
// customer, or a billing account they are not assigned, is not found.
func (s *Service) List(ctx context.Context, f Filter) ([]Document, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	f.Accounts = nil
	if !a.IsStaff() {
		if f.CustomerID != "" && f.CustomerID != a.CustomerID {
			return nil, 0, notFound()
		}
		f.CustomerID = a.CustomerID
		if a.BillingAccountIDs != nil {
			if f.BillingAccountID != nil && !slices.Contains(a.BillingAccountIDs, *f.BillingAccountID) {
				return nil, 0, notFound()
			}
			f.Accounts = slices.Clone(a.BillingAccountIDs)
			if f.Accounts == nil {
				f.Accounts = []string{}
			}
		}
	}
	if f.Kind != nil && !slices.Contains(Kinds, *f.Kind) {
		return nil, 0, enlace.Invalid([]enlace.FieldError{enlace.Field("kind", "documents.error.kind")})
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return s.store.FindDocuments(ctx, f)
}

// Get returns a document the actor may see.
func (s *Service) Get(ctx context.Context, id string) (*Document, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.store.DocumentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !visible(a, d) {
		return nil, notFound()
	}
	return d, nil
}

// Open returns a document the actor may see with its content, after
// writing the download to the audit log: a download that is not audited
// is not served. The caller closes the content.
func (s *Service) Open(ctx context.Context, id string) (*Document, io.ReadSeekCloser, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	content, _, err := s.blobs.Get(ctx, d.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("open document %s: %w", d.ID, internal(err))
	}
	entry := audit.Record(ctx, "document.download", "document", d.ID, d.CustomerID,
		map[string]any{"fileName": d.FileName, "size": d.Size, "sha256": d.SHA256})
	if err := s.store.RecordDocumentDownload(ctx, d.ID, entry); err != nil {
		content.Close()
		return nil, nil, err
	}
	return d, content, nil
}

// internal keeps a missing blob from reading as "document not found": the
// row says it exists, so its absence is the provider's fault.
func internal(err error) error {
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return errors.New("blob missing")
	}
	return err
}

// Input is what an upload says about its file.
type Input struct {
	CustomerID       string
	BillingAccountID string
	Kind             string
	Title            string
	Description      string
	// FileName is the name the file had on the uploader's computer; it is
	// only shown, never used as a key or a path.
	FileName string
}

// Upload stores a document whose file is read from content (nil when the
// form carried none): Receive, then Create.
func (s *Service) Upload(ctx context.Context, in Input, content io.Reader) (*Document, error) {
	if content == nil {
		return s.Create(ctx, in, nil)
	}
	if err := mayUpload(ctx, in.CustomerID); err != nil {
		return nil, err
	}
	file, err := s.Receive(content)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return s.Create(ctx, in, file)
}

// File is an uploaded file held in a temporary file while its document is
// created: its size, SHA-256 and type, or what is wrong with it.
type File struct {
	f       *os.File
	size    int64
	sum     string
	typ     Type
	problem *enlace.FieldError
}

// Close removes the temporary file.
func (f *File) Close() error {
	if f == nil || f.f == nil {
		return nil
	}
	f.f.Close()
	return os.Remove(f.f.Name())
}

// Receive spools at most MaxBytes+1 of content to a temporary file,
// hashing it on the way, and checks its size and type, so that a form or
// a multipart body can hand the file over in whatever order its fields
// come. A problem with the file is kept for Create to report with the
// other fields; the error is for failures of our own. The caller closes
// the File.
func (s *Service) Receive(content io.Reader) (*File, error) {
	f, err := os.CreateTemp(s.cfg.TempDir, "enlace-upload-*")
	if err != nil {
		return nil, fmt.Errorf("spool upload: %w", err)
	}
	file := &File{f: f}
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(content, s.cfg.MaxBytes+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || size > s.cfg.MaxBytes:
		e := s.tooLarge()
		file.problem = &e
	case err != nil:
		file.Close()
		return nil, fmt.Errorf("spool upload: %w", err)
	case size == 0:
		e := enlace.Field("file", "documents.error.file_empty")
		file.problem = &e
	default:
		t, ok := Detect(f, size)
		if !ok {
			e := enlace.Field("file", "documents.error.type_not_allowed", "Allowed", AllowedNames())
			file.problem = &e
		}
		file.size, file.sum, file.typ = size, hex.EncodeToString(h.Sum(nil)), t
	}
	return file, nil
}

// Oversized is the File of an upload whose request went over the limit
// before its file could be read whole.
func (s *Service) Oversized() *File {
	e := s.tooLarge()
	return &File{problem: &e}
}

// mayUpload checks the actor may share documents with the customer.
func mayUpload(ctx context.Context, customerID string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if !CanManage(a) {
		if !a.IsStaff() && customerID != "" && customerID != a.CustomerID {
			return notFound()
		}
		return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	return nil
}

// Create stores a document with a received file (nil when none came).
// Every problem with the fields and the file is reported at once. The
// file is stored before its row, so a row never names a missing file; if
// the row fails, the file goes.
func (s *Service) Create(ctx context.Context, in Input, file *File) (*Document, error) {
	if err := mayUpload(ctx, in.CustomerID); err != nil {
		return nil, err
	}
	a := enlace.ActorFrom(ctx)
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	in.FileName = cleanFileName(in.FileName)
	errs := s.validate(ctx, in)
	switch {
	case file == nil:
		errs = append(errs, enlace.Field("file", "documents.error.file_required"))
	case file.problem != nil:
		errs = append(errs, *file.problem)
	}
	if err := enlace.Invalid(errs); err != nil {
		return nil, err
	}

	d := &Document{ID: enlace.NewID(), CustomerID: in.CustomerID, BillingAccountID: in.BillingAccountID, Kind: in.Kind,
		Title: in.Title, Description: in.Description, FileName: downloadName(in.FileName, file.typ),
		ContentType: file.typ.ContentType, Size: file.size, SHA256: file.sum, UploadedBy: a.UserID, UploaderEmail: a.Email}
	if _, err := file.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	n, stored, err := s.blobs.Put(ctx, d.ID, file.f, file.size)
	if err != nil {
		return nil, fmt.Errorf("store document %s: %w", d.ID, err)
	}
	if n != file.size || stored != file.sum {
		s.deleteBlob(ctx, d.ID)
		return nil, fmt.Errorf("store document %s: stored %d bytes %s, read %d bytes %s", d.ID, n, stored, file.size, file.sum)
	}
	entry := audit.Record(ctx, "document.upload", "document", d.ID, d.CustomerID, map[string]any{
		"title": d.Title, "kind": d.Kind, "fileName": d.FileName, "contentType": d.ContentType,
		"size": d.Size, "sha256": d.SHA256, "billingAccountId": d.BillingAccountID})
	if err := s.store.CreateDocument(ctx, d, entry); err != nil {
		s.deleteBlob(ctx, d.ID)
		return nil, err
	}
	return d, nil
}

// Prepare checks a received file given for a project task and stores its
// content, returning its document for the caller to store as an effect of
// the project change the file causes (a gate opening), so that both commit
// together. It checks no permission: the activation service decides who
// may attach what. d carries the customer, account, project, task, kind
// and title; if the change then fails, the caller calls Discard.
func (s *Service) Prepare(ctx context.Context, d Document, file *File) (*Document, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case file == nil:
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("file", "documents.error.file_required")})
	case file.problem != nil:
		return nil, enlace.Invalid([]enlace.FieldError{*file.problem})
	}
	d.ID, d.UploadedBy, d.UploaderEmail = enlace.NewID(), a.UserID, a.Email
	d.FileName = downloadName(cleanFileName(d.FileName), file.typ)
	d.ContentType, d.Size, d.SHA256 = file.typ.ContentType, file.size, file.sum
	if _, err := file.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	n, stored, err := s.blobs.Put(ctx, d.ID, file.f, file.size)
	if err != nil {
		return nil, fmt.Errorf("store document %s: %w", d.ID, err)
	}
	if n != file.size || stored != file.sum {
		s.deleteBlob(ctx, d.ID)
		return nil, fmt.Errorf("store document %s: stored %d bytes %s, read %d bytes %s", d.ID, n, stored, file.size, file.sum)
	}
	return &d, nil
}

// Discard deletes the content of a prepared document whose change failed.
func (s *Service) Discard(ctx context.Context, d *Document) { s.deleteBlob(ctx, d.ID) }

func (s *Service) validate(ctx context.Context, in Input) []enlace.FieldError {
	var errs []enlace.FieldError
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		errs = append(errs, enlace.Field("title", "documents.error.title_required"))
	case n > 200:
		errs = append(errs, enlace.Field("title", "documents.error.too_long", "Max", 200))
	}
	if utf8.RuneCountInString(in.Description) > 2000 {
		errs = append(errs, enlace.Field("description", "documents.error.too_long", "Max", 2000))
	}
	if !slices.Contains(Kinds, in.Kind) {
		errs = append(errs, enlace.Field("kind", "documents.error.kind"))
	}
	if in.CustomerID == "" {
		return append(errs, enlace.Field("customer", "documents.error.customer_required"))
	}
	c, err := s.store.CustomerByID(ctx, in.CustomerID)
	if err != nil || c.Retired {
		return append(errs, enlace.Field("customer", "documents.error.customer_unknown"))
	}
	if in.BillingAccountID != "" {
		b, err := s.store.BillingAccountByID(ctx, in.BillingAccountID)
		if err != nil || b.CustomerID != in.CustomerID || b.Retired {
			errs = append(errs, enlace.Field("billing_account", "documents.error.billing_account"))
		}
	}
	return errs
}

// tooLarge is the field error of a file over the limit.
func (s *Service) tooLarge() enlace.FieldError {
	return enlace.Field("file", "documents.error.too_large", "Limit", HumanSize(s.cfg.MaxBytes))
}

// HumanSize writes a byte count the way people read it: 20 MiB as "20 MB".
// Binary multiples with the familiar symbols, as file managers show them.
func HumanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n), -1
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	sym := []string{"KB", "MB", "GB", "TB"}[i]
	if v == float64(int64(v)) || v >= 100 {
		return fmt.Sprintf("%.0f %s", v, sym)
	}
	return fmt.Sprintf("%.1f %s", v, sym)
}

// Retire hides a document and has its file deleted once the retirement
// commits. The row stays, so that the audit log's lines about the document
// still name its file and checksum.
func (s *Service) Retire(ctx context.Context, id string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	d, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if !CanManage(a) {
		return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	entry := audit.Record(ctx, "document.retire", "document", d.ID, d.CustomerID,
		map[string]any{"title": d.Title, "fileName": d.FileName, "sha256": d.SHA256})
	return s.store.RetireDocument(ctx, d.ID, a.UserID, entry, DeleteBlob(d.ID))
}

// DeleteBlob returns the job that deletes a retired document's file, to
// commit with the retirement: due at the zero time, it runs as soon as the
// retirement commits.
func DeleteBlob(id string) jobs.Job {
	return jobs.New(DeleteBlobJob, deleteBlobPayload{Key: id}, time.Time{})
}

type deleteBlobPayload struct {
	Key string `json:"key"`
}

// Register makes r run the deletion of retired documents' files.
func (s *Service) Register(r *jobs.Runner) { r.Handle(DeleteBlobJob, s.DeleteBlob) }

// DeleteBlob is the handler of DeleteBlobJob; deleting twice is harmless.
func (s *Service) DeleteBlob(ctx context.Context, j jobs.Job) error {
	var p deleteBlobPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil || p.Key == "" {
		return jobs.Permanent(fmt.Errorf("decode %s payload: %v", DeleteBlobJob, err))
	}
	return s.blobs.Delete(ctx, p.Key)
}

func (s *Service) deleteBlob(ctx context.Context, key string) {
	if err := s.blobs.Delete(context.WithoutCancel(ctx), key); err != nil {
		s.logger.ErrorContext(ctx, "delete orphan document file", "key", key, "err", err)
	}
}
