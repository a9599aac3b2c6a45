package web

import (
	"encoding/csv"
	"net/http"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/numbering"
)

// reachCSVHeader are the catalogue keys of the forwarding list's columns.
var reachCSVHeader = []string{"reach.page.person", "reach.page.ref", "reach.page.old_number", "reach.page.temporary",
	"reach.page.trunk", "reach.page.clip_since", "reach.page.forwarding_since"}

// reachCSV downloads a project's list of people as CSV, for the customer
// to order the forwarding of each old number to the provisional one from
// its old carrier: the columns in the reader's language, the numbers
// written as people write them, UTF-8 with a byte-order mark so that
// Excel reads the accents right, like the other exports.
func (s *Server) reachCSV(w http.ResponseWriter, r *http.Request) {
	pl, err := s.deps.Reach.Plan(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "reach.page.title")
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+reachFileName(pl.Project.Project.Folio)+`"`)
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("\uFEFF"))
	cw := csv.NewWriter(w)
	record := make([]string, len(reachCSVHeader))
	for i, k := range reachCSVHeader {
		record[i] = p.T(k)
	}
	_ = cw.Write(record)
	when := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(s.deps.Location).Format("2006-01-02 15:04")
	}
	for i := range pl.Lines {
		l := &pl.Lines[i]
		temporary := ""
		if l.HasTemporary() {
			temporary = numbering.Format(l.TemporaryE164)
		}
		record = append(record[:0], cell(l.Person), cell(l.Ref), numbering.Format(l.OldE164), temporary, cell(l.TrunkName),
			when(l.ClipAt), when(l.ForwardingAt))
		_ = cw.Write(record)
	}
	cw.Flush()
}

// reachFileName names the download after the project's folio, keeping
// only the characters a file name takes everywhere.
func reachFileName(folio string) string {
	clean := strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			return c
		}
		return -1
	}, folio)
	return "desvios-" + clean + ".csv"
}

// cell keeps a typed text from being taken for a formula by a
// spreadsheet (a name starting with "=", say): such a text gets a
// leading apostrophe. The numbers are written by the program and start
// with "+" as numbers do.
func cell(text string) string {
	if text != "" && strings.ContainsRune("=+-@\t\r", rune(text[0])) {
		return "'" + text
	}
	return text
}
