package importer

import (
	"context"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
)

// Job kinds.
const (
	CheckJob = "importer.check"
	ApplyJob = "importer.apply"
)

// jobPayload names the import and who asked for the step: the job acts as
// that person, so the inventory's rules and the audit log see them.
type jobPayload struct {
	ImportID string `json:"importId"`
	UserID   string `json:"userId"`
	Email    string `json:"email"`
	Role     string `json:"role"`
}

func payloadFor(id string, a *enlace.Actor) jobPayload {
	return jobPayload{ImportID: id, UserID: a.UserID, Email: a.Email, Role: a.StaffRole}
}

// Upload takes a file for a customer. What is wrong with the file as a
// whole — too large, not text, empty, required columns missing, too many
// rows — is refused at once as an error on the field "file", and nothing
// is stored; otherwise the import is stored with its decoded text and a
// job to check it, and its rows are read in the background.
func (s *Service) Upload(ctx context.Context, customerID, fileName string, data []byte) (*Import, error) {
	a, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.CustomerByID(ctx, customerID); err != nil {
		return nil, err
	}
	if int64(len(data)) > s.Limits.MaxFileBytes {
		return nil, fileError("importer.error.too_large", "MaxMiB", s.Limits.MaxFileBytes>>20)
	}
	text, enc, err := Decode(data)
	if err != nil {
		return nil, err
	}
	f, err := Parse(text, s.Limits.MaxRows)
	if err != nil {
		return nil, err
	}
	imp := &Import{ID: enlace.NewID(), CustomerID: customerID, UploadedBy: a.UserID, UploaderEmail: a.Email,
		FileName: CleanName(fileName), Status: StatusUploaded, TotalRows: len(f.Rows),
		Summary: Summary{Encoding: enc, Delimiter: string(f.Delimiter), Unknown: f.Unknown}}
	entry := audit.Record(ctx, "import.upload", "import", imp.ID, customerID,
		map[string]any{"file": imp.FileName, "rows": imp.TotalRows, "encoding": enc})
	job := jobs.New(CheckJob, payloadFor(imp.ID, a), time.Time{})
	if err := s.store.CreateImport(ctx, imp, text, entry, job); err != nil {
		return nil, err
	}
	s.kick()
	return imp, nil
}

// Apply starts importing a checked file that had no problems. It answers
// ECONFLICT when the import is not ready (already started, done, or with
// problems).
func (s *Service) Apply(ctx context.Context, id string) (*Import, error) {
	a, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	imp, err := s.store.ImportByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if imp.Status != StatusReady {
		return nil, enlace.Errorf(enlace.ECONFLICT, "importer.error.not_ready")
	}
	entry := audit.Record(ctx, "import.apply", "import", imp.ID, imp.CustomerID,
		map[string]any{"file": imp.FileName, "rows": imp.TotalRows})
	job := jobs.New(ApplyJob, payloadFor(imp.ID, a), time.Time{})
	if err := s.store.MoveImport(ctx, id, []string{StatusReady}, StatusImporting, entry, job); err != nil {
		return nil, err
	}
	s.kick()
	imp.Status, imp.ProcessedRows = StatusImporting, 0
	return imp, nil
}

func (s *Service) kick() {
	if s.wake != nil {
		s.wake()
	}
}

// CleanName keeps the base name of an uploaded file, at most 200 characters.
func CleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F {
			return -1
		}
		return r
	}, name)
	for utf8.RuneCountInString(name) > 200 {
		_, n := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-n]
	}
	if name == "" || name == "." || name == "/" {
		return "import.csv"
	}
	return name
}
