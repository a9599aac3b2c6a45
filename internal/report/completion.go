// Package report writes the documents Enlace hands people as PDF files:
// the completion report of an activation project (C5) and the letter of
// authorization of a port order (D2). It knows fpdf and the layout; the
// data and its wording come from the domain and the message catalogue.
package report

import (
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// document is a PDF in the house style: Letter, Helvetica, text set in
// cp1252 (which covers Spanish and German), and a footer naming the
// document and the page.
type document struct {
	*fpdf.Fpdf
	// tr turns UTF-8 into the cp1252 the core fonts are set in.
	tr func(string) string
	// labelWidth is the width of a field's label, mm.
	labelWidth float64
}

// newDocument starts a document titled title for the object ref (a
// folio); every page's footer reads "ref · note · page".
func newDocument(title, ref, note string) *document {
	pdf := fpdf.New("P", "mm", "Letter", "")
	pdf.SetTitle(title+" "+ref, true)
	pdf.SetCreator("Enlace", true)
	pdf.SetAutoPageBreak(true, 15)
	// Uncompressed: a few pages of text, and its words stay findable by
	// tools (and tests) that read the file as it is.
	pdf.SetCompression(false)
	// Fonts and images are written in a fixed order rather than a map's,
	// so that the same content gives the same bytes.
	pdf.SetCatalogSort(true)
	d := &document{Fpdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor(""), labelWidth: 55}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "I", 8)
		pdf.CellFormat(0, 5, d.tr(fmt.Sprintf("%s · %s · %d", ref, note, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	return d
}

// title writes the document's title at the top of the first page.
func (d *document) title(s string) {
	d.SetFont("Helvetica", "B", 18)
	d.MultiCell(0, 9, d.tr(s), "", "L", false)
}

// field writes a label and its value on one line, the value wrapping.
func (d *document) field(label, value string) {
	d.SetFont("Helvetica", "B", 10)
	d.CellFormat(d.labelWidth, 6, d.tr(label), "", 0, "L", false, 0, "")
	d.SetFont("Helvetica", "", 10)
	d.MultiCell(0, 6, d.tr(value), "", "L", false)
}

// heading writes a section heading.
func (d *document) heading(s string) {
	d.SetFont("Helvetica", "B", 13)
	d.MultiCell(0, 8, d.tr(s), "", "L", false)
}

// output writes the document, or the first error met while laying it out.
func (d *document) output(w io.Writer) error {
	if err := d.Error(); err != nil {
		return err
	}
	return d.Output(w)
}

// Completion writes the completion report of a project as a PDF in the
// localizer's language: who, what and where; the services implemented;
// the first-invoice date; the tasks with who did them when.
func Completion(w io.Writer, r *activation.Report, loc *i18n.Localizer) error {
	lang := loc.Lang
	p := r.Project
	date := func(t time.Time) string { return t.In(r.Location).Format("2006-01-02") }
	pdf := newDocument(loc.T("report.completion.title"), p.Folio,
		loc.TMap("report.completion.generated", map[string]any{"Date": date(r.Generated)}))
	tr := pdf.tr
	pdf.AddPage()

	pdf.title(loc.T("report.completion.title"))
	pdf.SetFont("Helvetica", "", 12)
	pdf.MultiCell(0, 7, tr(p.Title), "", "L", false)
	if p.Status != activation.ProjectCompleted {
		pdf.SetTextColor(180, 83, 9)
		pdf.MultiCell(0, 7, tr(loc.T("report.completion.draft")), "", "L", false)
		pdf.SetTextColor(0, 0, 0)
	}
	pdf.Ln(3)

	pdf.field(loc.T("report.completion.folio"), p.Folio)
	pdf.field(loc.T("report.completion.customer"), p.CustomerName)
	pdf.field(loc.T("report.completion.site"), p.SiteName)
	pdf.field(loc.T("report.completion.order"), p.OrderRef)
	pdf.field(loc.T("report.completion.runbook"), fmt.Sprintf("%s (v%d)", r.Template.Name.In(lang), r.Template.Version))
	pdf.field(loc.T("report.completion.started"), date(p.StartAt))
	if p.CompletedAt != nil {
		pdf.field(loc.T("report.completion.completed"), date(*p.CompletedAt))
	}
	invoice := loc.T("report.completion.invoice_pending")
	if r.FirstInvoice != nil {
		invoice = r.FirstInvoice.Format("2006-01-02")
	}
	pdf.field(loc.T("report.completion.first_invoice"), invoice)
	billing := loc.TMap("runbook.billing."+r.Template.Billing.Rule, map[string]any{"task": taskName(r.Template, r.Template.Billing.Task, lang)})
	pdf.field(loc.T("report.completion.billing_rule"), billing)
	if p.PMName != "" {
		pdf.field(loc.T("report.completion.pm"), p.PMName)
	}
	pdf.Ln(4)

	pdf.heading(loc.T("report.completion.services"))
	pdf.SetFont("Helvetica", "B", 9)
	pdf.SetFillColor(230, 236, 245)
	for _, c := range []struct {
		w float64
		k string
	}{{45, "report.completion.service_key"}, {35, "report.completion.category"}, {60, "report.completion.product"}, {25, "report.completion.status"}, {0, "report.completion.activated"}} {
		pdf.CellFormat(c.w, 7, tr(loc.T(c.k)), "B", 0, "L", true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 9)
	if len(r.Services) == 0 {
		pdf.MultiCell(0, 6, tr(loc.T("report.completion.no_services")), "", "L", false)
	}
	for _, v := range r.Services {
		activated := ""
		if v.ActivatedOn != nil {
			activated = v.ActivatedOn.Format("2006-01-02")
		}
		pdf.CellFormat(45, 6, tr(v.Key), "", 0, "L", false, 0, "")
		pdf.CellFormat(35, 6, tr(loc.T("inventory.category."+v.Category)), "", 0, "L", false, 0, "")
		pdf.CellFormat(60, 6, tr(v.Product), "", 0, "L", false, 0, "")
		pdf.CellFormat(25, 6, tr(loc.T("inventory.status."+v.Status)), "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 6, activated, "", 1, "L", false, 0, "")
	}
	pdf.Ln(4)

	pdf.heading(loc.T("report.completion.tasks"))
	phase := ""
	for _, t := range r.Tasks {
		if t.Step == nil {
			continue
		}
		if t.Phase != phase {
			phase = t.Phase
			pdf.SetFont("Helvetica", "B", 10)
			pdf.MultiCell(0, 6, tr(phaseName(r.Template, phase, lang)), "", "L", false)
		}
		when := loc.T("activation.task_status." + t.Status)
		if t.DoneAt != nil {
			when += " " + date(*t.DoneAt)
		}
		pdf.SetFont("Helvetica", "", 9)
		pdf.CellFormat(110, 5, tr(t.Step.Name.In(lang)), "", 0, "L", false, 0, "")
		pdf.CellFormat(40, 5, tr(loc.T("runbook.party."+t.Party)), "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5, tr(when), "", 1, "L", false, 0, "")
	}
	return pdf.output(w)
}

func phaseName(tp *runbook.Template, key, lang string) string {
	for _, ph := range tp.Phases {
		if ph.Key == key {
			return ph.Name.In(lang)
		}
	}
	return key
}

func taskName(tp *runbook.Template, key, lang string) string {
	if t := tp.Task(key); t != nil {
		return t.Name.In(lang)
	}
	return key
}
