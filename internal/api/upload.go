package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// upload is a multipart/form-data body read: its text fields and its one
// file, spooled by the document service (nil when none came). The caller
// closes the file.
type upload struct {
	fields   map[string]string
	fileName string
	file     *document.File
}

// maxUploadField bounds a text field of an upload.
const maxUploadField = 16 << 10

// readUpload reads a multipart/form-data body of the text fields named
// (each at most once, in any order) and a file named "file". The file
// streams to a spool file, never whole in memory; the whole body is held
// to the document limit. A problem with the body is the error; on an
// error nothing needs closing.
func (a *API) readUpload(w http.ResponseWriter, r *http.Request, docs *document.Service, fields ...string) (*upload, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return nil, plain(http.StatusUnsupportedMediaType, "documents.error.multipart_media_type")
	}
	tooLarge := plain(http.StatusRequestEntityTooLarge, "documents.error.too_large", "Limit", document.HumanSize(docs.MaxBytes()))
	if r.ContentLength > a.documentUploadLimit() {
		return nil, tooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, a.documentUploadLimit())
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, badInput(enlace.Errorf(enlace.EINVALID, "documents.error.multipart_malformed"))
	}
	u := &upload{fields: map[string]string{}}
	fail := func(err error) (*upload, error) {
		u.file.Close()
		return nil, err
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return u, nil
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fail(tooLarge)
		} else if err != nil {
			return fail(badInput(enlace.Errorf(enlace.EINVALID, "documents.error.multipart_malformed")))
		}
		name := part.FormName()
		_, seen := u.fields[name]
		switch {
		case name != "file" && !slices.Contains(fields, name):
			return fail(badInput(fieldError("documents.error.multipart_fields", enlace.Field(name, "documents.error.field_unknown"))))
		case seen || (name == "file" && u.file != nil):
			return fail(badInput(fieldError("documents.error.multipart_fields", enlace.Field(name, "documents.error.field_repeated"))))
		case name == "file":
			u.fileName = part.FileName()
			if u.file, err = docs.Receive(part); err != nil {
				return fail(err)
			}
		default:
			b, err := io.ReadAll(io.LimitReader(part, maxUploadField+1))
			if err != nil || len(b) > maxUploadField {
				return fail(badInput(enlace.Errorf(enlace.EINVALID, "documents.error.multipart_malformed")))
			}
			u.fields[name] = string(b)
		}
	}
}
