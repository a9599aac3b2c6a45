package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/importer"
)

// importPage is the upload form of a customer's CSV import, the file
// format, and the customer's recent imports.
type importPage struct {
	*Page
	Customers  []customer.Customer
	CustomerID string
	Customer   *customer.Customer
	Columns    []importColumn
	Imports    []importer.Import
	MaxMiB     int64
	MaxRows    string
}

// importColumn is one line of the format table.
type importColumn struct {
	Name, Aliases, Help string
	Required            bool
}

// StatusLabel names an import's status.
func (p importPage) StatusLabel(status string) string { return p.T("importer.status." + status) }

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	s.renderImportForm(w, r, http.StatusOK, r.URL.Query().Get("customer"), nil)
}

func (s *Server) renderImportForm(w http.ResponseWriter, r *http.Request, status int, customerID string, formErr error) {
	ctx := r.Context()
	a := visitOf(r).principal.Actor
	if !a.IsStaff() {
		s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
		return
	}
	if !importer.CanImport(a) {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
		return
	}
	p := s.page(w, r, "importer.title")
	ip := importPage{Page: p, CustomerID: customerID, MaxMiB: s.deps.Importer.Limits.MaxFileBytes >> 20,
		MaxRows: p.Number(s.deps.Importer.Limits.MaxRows)}
	for _, c := range importer.Columns {
		ip.Columns = append(ip.Columns, importColumn{Name: c.Name, Aliases: strings.Join(c.Aliases, ", "),
			Help: p.T("importer.col." + c.Name), Required: c.Required})
	}
	cs, err := s.deps.Customers.List(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ip.Customers = cs
	if customerID != "" {
		if ip.Customer, err = s.deps.Importer.Customer(ctx, customerID); err != nil {
			s.fail(w, r, err)
			return
		}
		if ip.Imports, _, err = s.deps.Importer.List(ctx, customerID, 0, 10); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if formErr != nil && !formError(p, formErr) {
		s.fail(w, r, formErr)
		return
	}
	s.render(w, r, status, "import", ip)
}

// uploadLimit is how large an import upload may be: the importer's file
// limit plus the form around it.
func (s *Server) uploadLimit() int64 { return s.deps.Importer.Limits.MaxFileBytes + 64<<10 }

// uploadImport takes the file.
func (s *Server) uploadImport(w http.ResponseWriter, r *http.Request) {
	limit := s.deps.Importer.Limits.MaxFileBytes
	r.Body = http.MaxBytesReader(w, r.Body, s.uploadLimit())
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			customerID := r.URL.Query().Get("customer")
			// The limit that tripped may be the server's own, below the importer's.
			s.renderImportForm(w, r, http.StatusRequestEntityTooLarge, customerID,
				enlace.Invalid([]enlace.FieldError{enlace.Field("file", "importer.error.too_large", "MaxMiB", max(1, tooBig.Limit>>20))}))
			return
		}
		s.badForm(w, r)
		return
	}
	defer r.MultipartForm.RemoveAll()
	customerID := r.FormValue("customer")
	f, hdr, err := r.FormFile("file")
	if err != nil {
		s.renderImportForm(w, r, http.StatusUnprocessableEntity, customerID,
			enlace.Invalid([]enlace.FieldError{enlace.Field("file", "importer.error.no_file")}))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	imp, err := s.deps.Importer.Upload(r.Context(), customerID, hdr.Filename, data)
	if err != nil {
		s.renderImportForm(w, r, formStatus(err), customerID, err)
		return
	}
	s.flash(w, "importer.flash.uploaded")
	http.Redirect(w, r, "/imports/"+url.PathEscape(imp.ID), http.StatusSeeOther)
}

// importTemplate serves the template file: the header and two sample rows.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) {
	if a := visitOf(r).principal.Actor; !a.IsStaff() {
		s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="plantilla_importacion.csv"`)
	_, _ = io.WriteString(w, importer.Template)
}

// importStatusJSON is what the progress bar polls.
type importStatusJSON struct {
	Status    string `json:"status"`
	Running   bool   `json:"running"`
	Total     int    `json:"total"`
	Processed int    `json:"processed"`
	Percent   int    `json:"percent"`
	Label     string `json:"label"`
}

func (s *Server) importStatus(w http.ResponseWriter, r *http.Request) {
	imp, err := s.deps.Importer.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "importer.title")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(importStatusJSON{Status: imp.Status, Running: imp.Running(), Total: imp.TotalRows,
		Processed: imp.ProcessedRows, Percent: imp.Percent(), Label: progressLabel(p, imp)})
}

func progressLabel(p *Page, imp *importer.Import) string {
	return p.T("importer.progress", "Status", p.T("importer.status."+imp.Status), "Done", p.Number(imp.ProcessedRows),
		"Total", p.Number(imp.TotalRows), "Percent", imp.Percent())
}
