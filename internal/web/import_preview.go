package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/importer"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// previewProblems is how many rows with problems the preview shows.
const previewProblems = 100

// importStatusPage is an import's progress, preview or outcome.
type importStatusPage struct {
	*Page
	Import        *importer.Import
	CustomerName  string
	StatusLabel   string
	Progress      string
	Converted     bool
	Unknown       string
	FileError     string
	ImportError   string
	Categories    []group
	Problems      []problemRow
	MoreProblems  bool
	CustomerQuery string
}

// problemRow is one row of the preview's problem table: a line, and its
// problems by column.
type problemRow struct {
	Line     int
	Problems []problemCell
}

type problemCell struct{ Column, Message string }

func (s *Server) importPreview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	imp, err := s.deps.Importer.Get(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "importer.title")
	ip := importStatusPage{Page: p, Import: imp, StatusLabel: p.T("importer.status." + imp.Status),
		Progress: progressLabel(p, imp), Converted: imp.Summary.Encoding != "" && imp.Summary.Encoding != importer.EncodingUTF8,
		CustomerQuery: customerQuery(imp.CustomerID, true)}
	if c, err := s.deps.Importer.Customer(ctx, imp.CustomerID); err == nil {
		ip.CustomerName = c.Name
	}
	for i, u := range imp.Summary.Unknown {
		if i > 0 {
			ip.Unknown += ", "
		}
		ip.Unknown += u
	}
	if e := imp.Summary.FileError; e != nil {
		ip.FileError = p.loc.TMap(e.Key, e.Args)
	}
	if e := imp.Summary.ImportError; e != nil {
		ip.ImportError = p.loc.TMap(e.Key, e.Args)
	}
	for _, c := range inventory.Categories {
		if n := imp.Summary.ByCategory[c]; n > 0 {
			ip.Categories = append(ip.Categories, group{Label: p.T("inventory.category." + c), Count: p.Number(n)})
		}
	}
	if imp.ErrorRows > 0 {
		rows, err := s.deps.Importer.Problems(ctx, imp.ID, 0, previewProblems+1)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(rows) > previewProblems {
			rows, ip.MoreProblems = rows[:previewProblems], true
		}
		for _, row := range rows {
			pr := problemRow{Line: row.Line}
			for _, pb := range row.Problems {
				pr.Problems = append(pr.Problems, problemCell{Column: pb.Column, Message: p.loc.TMap(pb.Key, pb.Args)})
			}
			ip.Problems = append(ip.Problems, pr)
		}
	}
	s.render(w, r, http.StatusOK, "import_status", ip)
}

// importErrors downloads every problem of an import as CSV: line, column,
// problem, in the reader's language, with a byte-order mark for Excel.
func (s *Server) importErrors(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	imp, err := s.deps.Importer.Get(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "importer.title")
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="errores_`+imp.ID+`.csv"`)
	_, _ = w.Write([]byte("\uFEFF"))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{p.T("importer.errors.line"), p.T("importer.errors.column"), p.T("importer.errors.problem")})
	after := 0
	for {
		rows, err := s.deps.Importer.Problems(ctx, imp.ID, after, 1000)
		if err != nil {
			s.log.ErrorContext(ctx, "import error report", "err", err, "request_id", enlace.OriginFrom(ctx).RequestID)
			break
		}
		for _, row := range rows {
			for _, pb := range row.Problems {
				_ = cw.Write([]string{strconv.Itoa(row.Line), pb.Column, p.loc.TMap(pb.Key, pb.Args)})
			}
			after = row.Line
		}
		if len(rows) < 1000 {
			break
		}
	}
	if imp.Summary.FileError != nil {
		_ = cw.Write([]string{"", "", p.loc.TMap(imp.Summary.FileError.Key, imp.Summary.FileError.Args)})
	}
	cw.Flush()
}

func (s *Server) applyImport(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	imp, err := s.deps.Importer.Apply(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, "importer.flash.applying")
	http.Redirect(w, r, "/imports/"+url.PathEscape(imp.ID), http.StatusSeeOther)
}
