package web

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// numberImportPage is the upload form of a customer's file of numbers,
// the file's format, and the customer's recent imports.
type numberImportPage struct {
	*Page
	Customers []option
	Customer  *customer.Customer
	Columns   []importColumn
	Imports   []numbering.Import
	MaxMiB    int
	MaxRows   string
}

// StatusLabel names an import's status.
func (p numberImportPage) StatusLabel(status string) string {
	return p.T("numbers.import.status." + status)
}

func (s *Server) numberImportForm(w http.ResponseWriter, r *http.Request) {
	if !s.mayManageNumbers(w, r) {
		return
	}
	s.renderNumberImportForm(w, r, s.page(w, r, "numbers.import.title"), http.StatusOK, r.URL.Query().Get("customer"))
}

func (s *Server) renderNumberImportForm(w http.ResponseWriter, r *http.Request, p *Page, status int, customerID string) {
	ctx := r.Context()
	ip := numberImportPage{Page: p, MaxMiB: numbering.MaxImportBytes >> 20, MaxRows: p.Number(numbering.MaxImportRows)}
	for _, c := range numbering.Columns {
		ip.Columns = append(ip.Columns, importColumn{Name: c.Name, Aliases: strings.Join(c.Aliases, ", "),
			Help: p.T("numbers.import.col." + c.Name), Required: c.Required})
	}
	cs, err := s.deps.Customers.List(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ip.Customers = []option{{Value: "", Label: p.T("numbers.choose_customer")}}
	for _, c := range cs {
		ip.Customers = append(ip.Customers, option{Value: c.ID, Label: c.Name + " (" + c.Number + ")", Selected: c.ID == customerID})
	}
	if customerID != "" {
		if ip.Customer, err = s.deps.Customers.Get(ctx, customerID); err != nil {
			s.fail(w, r, err)
			return
		}
		if ip.Imports, err = s.deps.Numbers.Imports(ctx, customerID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "numbers_import", ip)
}

// numberUploadLimit is how large an import upload may be: the file limit
// plus the form around it.
func numberUploadLimit() int64 { return numbering.MaxImportBytes + 64<<10 }

// uploadNumberImport takes the file and starts its import; the import's
// page follows the job's progress. What is wrong with the file as a
// whole is said on the form.
func (s *Server) uploadNumberImport(w http.ResponseWriter, r *http.Request) {
	if !s.mayManageNumbers(w, r) {
		return
	}
	customerID := r.URL.Query().Get("customer")
	refuse := func(status int, err error) {
		p := s.page(w, r, "numbers.import.title")
		if !formError(p, err) {
			s.fail(w, r, err)
			return
		}
		s.renderNumberImportForm(w, r, p, status, customerID)
	}
	name, data, status, err := readFileForm(r, numbering.MaxImportBytes)
	if errors.Is(err, errBadForm) {
		s.badForm(w, r)
		return
	} else if err != nil {
		refuse(status, err)
		return
	}
	imp, err := s.deps.Numbers.StartImport(r.Context(), customerID, name, data)
	if err != nil {
		refuse(formStatus(err), err)
		return
	}
	s.flash(w, "numbers.flash.import_started")
	http.Redirect(w, r, "/numbers/imports/"+url.PathEscape(imp.ID), http.StatusSeeOther)
}

// errBadForm is a form that is no multipart form at all: no person's
// browser sends one.
var errBadForm = errors.New("web: not a multipart form")

// readFileForm reads the "file" of a multipart upload of a file of at most
// limit bytes. A form too large or without a file is the field error a page
// shows, with its status; a form that is not one is errBadForm.
func readFileForm(r *http.Request, limit int64) (name string, data []byte, status int, err error) {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if !errors.As(err, &tooBig) {
			return "", nil, http.StatusBadRequest, errBadForm
		}
		// The limit that tripped may be the server's own, below the file limit.
		return "", nil, http.StatusRequestEntityTooLarge, enlace.Invalid([]enlace.FieldError{
			enlace.Field("file", "importer.error.too_large", "MaxMiB", max(1, tooBig.Limit>>20))})
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, http.StatusUnprocessableEntity, enlace.Invalid([]enlace.FieldError{enlace.Field("file", "importer.error.no_file")})
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return "", nil, http.StatusInternalServerError, err
	}
	return hdr.Filename, data, http.StatusOK, nil
}

// numberImportTemplate serves a file to fill in: the columns and a
// number and a range as examples.
func (s *Server) numberImportTemplate(w http.ResponseWriter, r *http.Request) {
	if !s.mayManageNumbers(w, r) {
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="plantilla_numeros.csv"`)
	_, _ = w.Write([]byte("\uFEFF"))
	cw := csv.NewWriter(w)
	header := make([]string, len(numbering.Columns))
	for i, c := range numbering.Columns {
		header[i] = c.Name
	}
	_ = cw.Write(header)
	_ = cw.Write([]string{"+52 55 1234 5600", "", "disponible", "EMPRESA SA", "Av. Reforma 100, Cuauhtémoc, CDMX", "Conmutador"})
	_ = cw.Write([]string{"+52 55 1234 5610", "+52 55 1234 5619", "reservado", "", "Av. Reforma 100, Cuauhtémoc, CDMX", "Extensiones de ventas"})
	cw.Flush()
}

// importProblemsShown is how many problems an import's page lists; the
// CSV report has all of them.
const importProblemsShown = 100

// numberImportStatusPage is an import's progress, then its outcome.
type numberImportStatusPage struct {
	*Page
	Import       *numbering.Import
	CustomerName string
	Progress     string
	FileError    string
	Problems     []problemRow
	MoreProblems bool
	NumbersURL   string
}

func (s *Server) numberImport(w http.ResponseWriter, r *http.Request) {
	imp, err := s.deps.Numbers.GetImport(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "numbers.import.title")
	ip := numberImportStatusPage{Page: p, Import: imp, Progress: numberImportProgress(p, imp),
		NumbersURL: "/numbers" + customerQuery(imp.CustomerID, true)}
	if c, err := s.deps.Customers.Get(r.Context(), imp.CustomerID); err == nil {
		ip.CustomerName = c.Name
	}
	if imp.FileError != "" {
		ip.FileError = p.T(imp.FileError)
	}
	shown := imp.Problems[:min(len(imp.Problems), importProblemsShown)]
	ip.MoreProblems = len(shown) < len(imp.Problems)
	// A row's problems come one after another; the table shows them
	// under one line number.
	for _, pb := range shown {
		if n := len(ip.Problems); n == 0 || ip.Problems[n-1].Line != pb.Line {
			ip.Problems = append(ip.Problems, problemRow{Line: pb.Line})
		}
		last := &ip.Problems[len(ip.Problems)-1]
		last.Problems = append(last.Problems, problemCell{Column: pb.Column, Message: problemMessage(p, pb)})
	}
	s.render(w, r, http.StatusOK, "numbers_import_status", ip)
}

// problemMessage is an import problem in the reader's language.
func problemMessage(p *Page, pb numbering.Problem) string {
	args := make(map[string]any, len(pb.Args))
	for k, v := range pb.Args {
		args[k] = v
	}
	return p.loc.TMap(pb.Key, args)
}

func numberImportProgress(p *Page, imp *numbering.Import) string {
	return p.T("numbers.import.progress", "Status", p.T("numbers.import.status."+imp.Status), "Done", p.Number(imp.ProcessedRows),
		"Total", p.Number(imp.TotalRows), "Percent", imp.Percent())
}

// numberImportStatus is what the progress bar polls (import.js), in the
// inventory import's shape.
func (s *Server) numberImportStatus(w http.ResponseWriter, r *http.Request) {
	imp, err := s.deps.Numbers.GetImport(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "numbers.import.title")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(importStatusJSON{Status: imp.Status, Running: imp.Status == numbering.ImportRunning,
		Total: imp.TotalRows, Processed: imp.ProcessedRows, Percent: imp.Percent(), Label: numberImportProgress(p, imp)})
}

// numberImportProblems downloads an import's problems as CSV: line,
// column, problem, in the reader's language, with a byte-order mark for
// Excel; a file refused as a whole is one line without a row.
func (s *Server) numberImportProblems(w http.ResponseWriter, r *http.Request) {
	imp, err := s.deps.Numbers.GetImport(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "numbers.import.title")
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="problemas_`+imp.ID+`.csv"`)
	_, _ = w.Write([]byte("\uFEFF"))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{p.T("importer.errors.line"), p.T("importer.errors.column"), p.T("importer.errors.problem")})
	for _, pb := range imp.Problems {
		_ = cw.Write([]string{strconv.Itoa(pb.Line), pb.Column, problemMessage(p, pb)})
	}
	if imp.FileError != "" {
		_ = cw.Write([]string{"", "", p.T(imp.FileError)})
	}
	cw.Flush()
}
