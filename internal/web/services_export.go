package web

import (
	"bufio"
	"encoding/csv"
	"net/http"
	"time"

	"github.com/enlace-portal/enlace/internal/inventory"
)

// exportHeader is the CSV export's header row. It is the same in every
// language, as are the codes in the category, status and state columns,
// so that spreadsheets and scripts built on the file keep working
// whoever exports it; the state's name is in a column of its own.
var exportHeader = []string{"service_key", "category", "product", "status", "activated_on", "state", "state_name",
	"site", "city", "billing_account"}

// exportServices streams the services matching the page's filters as CSV:
// UTF-8 with a byte-order mark, so that Excel reads the accents right,
// written row by row as the database returns them, never held in memory.
func (s *Server) exportServices(w http.ResponseWriter, r *http.Request) {
	f, ok := parseServiceQuery(r.URL.Query())
	if !ok {
		s.badForm(w, r)
		return
	}
	cid := inventoryCustomer(r)
	var (
		bw      *bufio.Writer
		cw      *csv.Writer
		record  = make([]string, len(exportHeader))
		started bool
	)
	start := func() error {
		started = true
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="servicios-`+s.deps.Clock.Now().Format("20060102")+`.csv"`)
		h.Set("Cache-Control", "no-store")
		bw = bufio.NewWriterSize(w, 32<<10)
		cw = csv.NewWriter(bw)
		if _, err := bw.WriteString("\uFEFF"); err != nil {
			return err
		}
		return cw.Write(exportHeader)
	}
	err := s.deps.Inventory.Export(r.Context(), f.filter(cid), func(v *inventory.Service) error {
		if !started {
			if err := start(); err != nil {
				return err
			}
		}
		record = record[:0]
		activated := ""
		if v.ActivatedOn != nil {
			activated = v.ActivatedOn.Format(time.DateOnly)
		}
		record = append(record, v.Key, v.Category, v.Product, v.Status, activated, v.State, inventory.StateName(v.State),
			v.SiteName, v.SiteCity, v.AccountNumber)
		return cw.Write(record)
	})
	if err == nil && !started {
		err = start() // nothing matched: the header alone
	}
	if err != nil {
		if !started {
			s.fail(w, r, err)
			return
		}
		// The rows already sent cannot be taken back; log and cut the file short.
		s.log.ErrorContext(r.Context(), "export services", "err", err)
		return
	}
	cw.Flush()
	if err := cw.Error(); err == nil {
		err = bw.Flush()
	}
}
