package api

import (
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// Bounds of an import's body: room for the multipart framing around the
// largest file the service takes, and how much of a multipart body is
// held in memory before the rest is spooled to disk.
const (
	importFraming = 64 << 10
	importMemory  = 1 << 20
)

// maxNumberImportBody bounds the body of a numbers import.
const maxNumberImportBody = numbering.MaxImportBytes + importFraming

// numberImportPattern is the number route whose body is a file.
const numberImportPattern = "POST " + Prefix + "/numbers/imports"

// csvBodyName is the file name of a numbers import sent as a bare
// text/csv body.
const csvBodyName = "numbers.csv"

// numberBodyLimits are the body limits of the number routes that carry
// files, for BodyLimits.
func (a *API) numberBodyLimits() map[string]int64 {
	if a.Numbers == nil {
		return nil
	}
	return map[string]int64{numberImportPattern: maxNumberImportBody}
}

// numberImportJSON is an import with its progress, and its problems and
// what made the file unreadable in the reader's language.
type numberImportJSON struct {
	numbering.Import
	Percent   int                 `json:"percent"`
	Problems  []importProblemJSON `json:"problems"`
	FileError string              `json:"fileError,omitempty"`
}

// importProblemJSON is what is wrong with one row of an import file;
// column is the column as the file names it.
type importProblemJSON struct {
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Detail string `json:"detail"`
}

func numberImportOut(imp *numbering.Import, loc *i18n.Localizer) numberImportJSON {
	out := numberImportJSON{Import: *imp, Percent: imp.Percent(), Problems: make([]importProblemJSON, len(imp.Problems))}
	for i, p := range imp.Problems {
		out.Problems[i] = importProblemJSON{Line: p.Line, Column: p.Column, Detail: loc.TMap(p.Key, anyMap(p.Args))}
	}
	if imp.FileError != "" {
		out.FileError = loc.T(imp.FileError)
	}
	return out
}

// importNumbers starts a bulk load of numbers for a customer from a CSV
// file: a multipart/form-data body with the fields file and customerId,
// or the file itself as a text/csv body with ?customerId=. What is wrong
// with the file as a whole is refused at once; its rows are read in the
// background, and the answer is the import (202), whose progress
// GET /numbers/imports/{id} follows.
func (a *API) importNumbers(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.numbers()
	if err != nil {
		return err
	}
	// Refused before a file of many megabytes is read.
	if !numbering.CanManage(enlace.ActorFrom(r.Context())) {
		return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	in, err := readImport(w, r, numbering.MaxImportBytes, csvBodyName)
	if err != nil {
		return err
	}
	imp, err := svc.StartImport(r.Context(), in.customerID, in.fileName, in.data)
	if err != nil {
		return pointFields(err, in.pointer)
	}
	w.Header().Set("Location", Prefix+"/numbers/imports/"+url.PathEscape(imp.ID))
	return writeJSON(w, http.StatusAccepted, numberImportOut(imp, a.localizer(r)))
}

// readImport reads the CSV file of an import route: a multipart/form-data
// body with the fields file and customerId, or the file itself as a
// text/csv body, named csvName, with ?customerId=. maxFile is the largest
// file the service takes; a body larger than that and its framing is
// refused as too large.
func readImport(w http.ResponseWriter, r *http.Request, maxFile int64, csvName string) (importUpload, error) {
	tooLarge := plain(http.StatusRequestEntityTooLarge, "importer.error.too_large", "MaxMiB", maxFile>>20)
	if r.ContentLength > maxFile+importFraming {
		return importUpload{}, tooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFile+importFraming)
	var in importUpload
	var err error
	switch mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt {
	case "text/csv":
		in, err = readCSVBody(r)
		in.fileName = csvName
	case "multipart/form-data":
		in, err = readImportForm(r)
	default:
		return in, plain(http.StatusUnsupportedMediaType, "api.import_media_type")
	}
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		return in, tooLarge
	}
	return in, err
}

// importUpload is an import's file as a request brought it, and how the
// service's field errors name the request's parts.
type importUpload struct {
	customerID string
	fileName   string
	data       []byte
	pointer    func(field string) string
}

// readCSVBody reads an import whose body is the file; the customer is
// the query parameter.
func readCSVBody(r *http.Request) (importUpload, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return importUpload{}, err
	}
	return importUpload{customerID: r.URL.Query().Get("customerId"), data: data, pointer: queryCustomer}, nil
}

// queryCustomer names the service's field errors of an import whose
// customer came as the query parameter.
func queryCustomer(field string) string {
	if field == "customerId" {
		return field
	}
	return jsonPointer(field)
}

// readImportForm reads a multipart/form-data import: the file in the
// field file and the customer in customerId (or the query parameter),
// each at most once and nothing else.
func readImportForm(r *http.Request) (importUpload, error) {
	if err := r.ParseMultipartForm(importMemory); err != nil {
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			return importUpload{}, err
		}
		return importUpload{}, badInput(enlace.Errorf(enlace.EINVALID, "documents.error.multipart_malformed"))
	}
	form := r.MultipartForm
	defer form.RemoveAll()
	var fields []enlace.FieldError
	for _, name := range slices.Sorted(maps.Keys(form.Value)) {
		switch {
		case name != "customerId":
			fields = append(fields, enlace.Field(name, "documents.error.field_unknown"))
		case len(form.Value[name]) > 1 || form.File[name] != nil:
			fields = append(fields, enlace.Field(name, "documents.error.field_repeated"))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(form.File)) {
		switch {
		case name != "file":
			fields = append(fields, enlace.Field(name, "documents.error.field_unknown"))
		case len(form.File[name]) > 1 || form.Value[name] != nil:
			fields = append(fields, enlace.Field(name, "documents.error.field_repeated"))
		}
	}
	if len(fields) > 0 {
		return importUpload{}, badInput(fieldError("documents.error.multipart_fields", fields...))
	}
	in := importUpload{customerID: r.URL.Query().Get("customerId"), pointer: queryCustomer}
	if c := form.Value["customerId"]; len(c) == 1 {
		in.customerID, in.pointer = c[0], jsonPointer
	}
	files := form.File["file"]
	if len(files) == 0 {
		return in, enlace.Invalid([]enlace.FieldError{enlace.Field("file", "importer.error.no_file")})
	}
	f, err := files[0].Open()
	if err != nil {
		return in, err
	}
	defer f.Close()
	in.fileName = files[0].Filename
	in.data, err = io.ReadAll(f)
	return in, err
}

// getNumberImport reads an import's progress and problems (staff who
// manage numbers; to others it does not exist).
func (a *API) getNumberImport(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.numbers()
	if err != nil {
		return err
	}
	imp, err := svc.GetImport(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, numberImportOut(imp, a.localizer(r)))
}
