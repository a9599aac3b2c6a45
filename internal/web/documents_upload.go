package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// documentFormPage is the form staff share a document with: customer (or
// one of its billing accounts), kind, title, description and the file.
type documentFormPage struct {
	*Page
	Customer           *customer.Customer
	Query              string
	Title, Description string
	Kinds, Accounts    []option
	// MaxBytes, Limit and Allowed say what the file may be; the script
	// checks the size before sending, the service again after.
	MaxBytes       int64
	Limit, Allowed string
	Accept         string
}

func (s *Server) documentForm(r *http.Request, p *Page, in document.Input) (documentFormPage, error) {
	c, err := s.deps.Customers.Get(r.Context(), in.CustomerID)
	if err != nil {
		return documentFormPage{}, err
	}
	accounts, err := s.deps.Customers.BillingAccounts(r.Context(), c.ID)
	if err != nil {
		return documentFormPage{}, err
	}
	max := s.deps.Documents.MaxBytes()
	fp := documentFormPage{Page: p, Customer: c, Query: customerQuery(c.ID, true), Title: in.Title, Description: in.Description,
		Kinds:    translatedOptions(p, "documents.kind.", document.Kinds, in.Kind),
		Accounts: []option{{Value: "", Label: p.T("documents.whole_customer"), Selected: in.BillingAccountID == ""}},
		MaxBytes: max, Limit: p.Bytes(max), Allowed: document.AllowedNames()}
	for _, b := range accounts {
		if b.Retired {
			continue
		}
		fp.Accounts = append(fp.Accounts, option{Value: b.ID, Label: b.Number + " · " + b.Name, Selected: b.ID == in.BillingAccountID})
	}
	var exts []string
	for _, t := range document.Types {
		exts = append(exts, t.Exts...)
	}
	fp.Accept = strings.Join(exts, ",")
	return fp, nil
}

func (s *Server) newDocumentForm(w http.ResponseWriter, r *http.Request) {
	if !document.CanManage(visitOf(r).principal.Actor) {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
		return
	}
	in := document.Input{CustomerID: r.URL.Query().Get("customer"), Kind: document.KindContract}
	if in.CustomerID == "" {
		http.Redirect(w, r, "/documents", http.StatusSeeOther) // staff pick the customer there first
		return
	}
	fp, err := s.documentForm(r, s.page(w, r, "documents.new"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "document_form", fp)
}

// maxFieldBytes bounds each text field of the upload form.
const maxFieldBytes = 16 << 10

// upload is a multipart form read by readUpload: its file (a problem with
// it kept for the service to report), the file's name, and the status a
// refused form answers with.
type upload struct {
	file     *document.File
	fileName string
	status   int
}

// readUpload reads a multipart form part by part, so that the file
// streams to a temporary file (never whole in memory), whatever the order
// of the fields; text fields named in fields are stored through their
// pointers, others ignored. The route's body limit is the file limit plus
// the form (BodyLimits); a body over it is answered as a file too large.
// When it returns false it has answered the request. The caller closes
// the file.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request, fields map[string]*string) (upload, bool) {
	up := upload{status: http.StatusUnprocessableEntity}
	mr, err := r.MultipartReader()
	if err != nil {
		s.badForm(w, r)
		return up, false
	}
	if r.ContentLength > s.documentUploadLimit() {
		up.file, up.status = s.deps.Documents.Oversized(), http.StatusRequestEntityTooLarge
	}
	for up.status != http.StatusRequestEntityTooLarge {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			up.file.Close()
			up.file, up.status = s.deps.Documents.Oversized(), http.StatusRequestEntityTooLarge
			break
		} else if err != nil {
			up.file.Close()
			s.badForm(w, r)
			return up, false
		}
		name := part.FormName()
		if name == "file" {
			if up.file != nil {
				up.file.Close()
				s.badForm(w, r)
				return up, false
			}
			if part.FileName() == "" { // the browser sends an empty part when no file was chosen
				continue
			}
			up.fileName = part.FileName()
			if up.file, err = s.deps.Documents.Receive(part); err != nil {
				s.fail(w, r, err)
				return up, false
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil || len(b) > maxFieldBytes {
			up.file.Close()
			s.badForm(w, r)
			return up, false
		}
		if dst, ok := fields[name]; ok {
			*dst = string(b)
		}
	}
	return up, true
}

// uploadDocument shares a document: the multipart form is read by
// readUpload, then the document service checks and stores it.
func (s *Server) uploadDocument(w http.ResponseWriter, r *http.Request) {
	if !document.CanManage(visitOf(r).principal.Actor) {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
		return
	}
	in := document.Input{CustomerID: r.URL.Query().Get("customer")}
	up, ok := s.readUpload(w, r, map[string]*string{"title": &in.Title, "description": &in.Description,
		"kind": &in.Kind, "billing_account": &in.BillingAccountID})
	if !ok {
		return
	}
	defer up.file.Close()
	file, status := up.file, up.status
	in.FileName = up.fileName
	d, err := s.deps.Documents.Create(r.Context(), in, file)
	if err == nil {
		s.flash(w, "documents.flash.uploaded")
		http.Redirect(w, r, "/documents"+customerQuery(d.CustomerID, true), http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "documents.new")
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	fp, ferr := s.documentForm(r, p, in)
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	s.render(w, r, status, "document_form", fp)
}
