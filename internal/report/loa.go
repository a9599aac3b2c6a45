package report

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/draw"
	"image/png"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/nyaruka/phonenumbers"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/porting"
)

// LOAData is what the letter of authorization states besides the order
// and its numbers: names the order only refers to by id, and the provider
// the customer authorizes.
type LOAData struct {
	Order *porting.Order
	Lines []porting.Line
	// CustomerName is the customer the numbers are ported for.
	CustomerName string
	// SignerName and SignerEmail are the authorized signer the order names.
	SignerName  string
	SignerEmail string
	// ProviderName is the provider the customer authorizes ("Enlace
	// Telecom"), as configured.
	ProviderName string
	// Location is the time zone the dates are shown in.
	Location *time.Location
}

// maxSignatureSide bounds each side of a drawn signature, in pixels: a
// signature pad's canvas is far smaller, and the bound keeps a crafted
// image from taking the server's memory.
const maxSignatureSide = 2000

// The box a drawn signature is fitted into, above the signature line, mm.
const (
	signatureWidth  = 70
	signatureHeight = 22
)

// LOA writes the letter of authorization of a port order as a PDF in the
// localizer's language. With sig nil it is the document the signer reviews;
// with sig it is the signed document: the same letter with the signature
// (the drawn image, or the typed name) and a page of evidence.
//
// The same data gives the same bytes: the document's dates are the
// order's creation (and the signature's time), never the clock, so the
// SHA-256 of the unsigned letter can be checked by writing it again.
func LOA(w io.Writer, d LOAData, sig *porting.Signature, loc *i18n.Localizer) error {
	o := d.Order
	zone := d.Location
	if zone == nil {
		zone = time.UTC
	}
	// The letter is dated by the order's creation: a date taken when it
	// is written would change its bytes each time it is written again.
	issued := loc.Date(o.CreatedAt.In(zone))
	pdf := newDocument(loc.T("report.loa.title"), o.Folio, loc.T("report.loa.issued", "Date", issued))
	pdf.labelWidth = 70
	modified := o.CreatedAt
	if sig != nil {
		modified = sig.At
	}
	pdf.SetCreationDate(o.CreatedAt)
	pdf.SetModificationDate(modified)
	pdf.AddPage()

	pdf.title(loc.T("report.loa.title"))
	pdf.Ln(3)
	pdf.field(loc.T("report.loa.folio"), o.Folio)
	pdf.field(loc.T("report.loa.issue_date"), issued)
	pdf.field(loc.T("report.loa.customer"), d.CustomerName)
	pdf.field(loc.T("report.loa.account_name"), o.AccountName)
	pdf.field(loc.T("report.loa.service_address"), o.ServiceAddress)
	pdf.field(loc.T("report.loa.port_date"), loc.Date(o.RequestedDate.In(zone)))
	pdf.Ln(4)

	pdf.heading(loc.T("report.loa.numbers"))
	for _, g := range byCarrier(d.Lines) {
		loaCarrier(pdf, g, loc)
	}
	pdf.Ln(2)

	pdf.heading(loc.T("report.loa.authorization"))
	pdf.SetFont("Helvetica", "", 10)
	parties := map[string]any{"Customer": d.CustomerName, "Provider": d.ProviderName}
	for _, k := range []string{"report.loa.agent", "report.loa.holder", "report.loa.service_ends"} {
		pdf.MultiCell(0, 5.5, pdf.tr(loc.TMap(k, parties)), "", "J", false)
		pdf.Ln(2)
	}

	if err := loaSignature(pdf, d, sig, loc, zone); err != nil {
		return err
	}
	if sig != nil {
		loaEvidence(pdf, d, sig, loc, zone)
	}
	return pdf.output(w)
}

// LOAWriter writes port orders' letters of authorization for the
// porting service (porting.LOAWriter), with the provider's name and time
// zone from the configuration.
type LOAWriter struct {
	Catalog      *i18n.Catalog
	ProviderName string
	Location     *time.Location
}

// WriteLOA writes the LOA of an order in a language, unsigned with sig
// nil; see LOA. The signer is the one the order names, whose name and
// e-mail the store fills in on reads.
func (lw LOAWriter) WriteLOA(w io.Writer, o *porting.Order, lines []porting.Line, customerName string, sig *porting.Signature, lang string) error {
	d := LOAData{Order: o, Lines: lines, CustomerName: customerName, SignerName: o.SignerName, SignerEmail: o.SignerEmail,
		ProviderName: lw.ProviderName, Location: lw.Location}
	return LOA(w, d, sig, lw.Catalog.Localizer(lang))
}

// carrierLines are the numbers a port order takes from one carrier.
type carrierLines struct {
	Carrier string
	Lines   []porting.Line
}

// byCarrier groups lines by their current carrier, the carriers in the
// order their first number was entered and the numbers as entered.
func byCarrier(lines []porting.Line) []carrierLines {
	var groups []carrierLines
	at := map[string]int{}
	for _, l := range lines {
		i, ok := at[l.Carrier]
		if !ok {
			i = len(groups)
			at[l.Carrier] = i
			groups = append(groups, carrierLines{Carrier: l.Carrier})
		}
		groups[i].Lines = append(groups[i].Lines, l)
	}
	return groups
}

// loaCarrier writes one carrier's heading and the table of its numbers.
func loaCarrier(pdf *document, g carrierLines, loc *i18n.Localizer) {
	pdf.SetFont("Helvetica", "B", 11)
	pdf.MultiCell(0, 7, pdf.tr(loc.T("report.loa.carrier", "Carrier", g.Carrier)), "", "L", false)
	pdf.SetFont("Helvetica", "B", 9)
	pdf.SetFillColor(230, 236, 245)
	pdf.CellFormat(60, 7, pdf.tr(loc.T("report.loa.number")), "B", 0, "L", true, 0, "")
	pdf.CellFormat(0, 7, pdf.tr(loc.T("report.loa.account_number")), "B", 1, "L", true, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	for _, l := range g.Lines {
		pdf.CellFormat(60, 6, international(l.E164), "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 6, pdf.tr(l.AccountNumber), "", 1, "L", false, 0, "")
	}
	pdf.Ln(3)
}

// international shows an E.164 number the way it is written across
// borders (+52 55 1234 5678): the carriers a letter goes to may be in
// other countries. Anything unreadable is shown as stored.
func international(e164 string) string {
	n, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// loaSignature writes the signer's block: the signature over a line (the
// drawn image or the typed name, or nothing yet), what the line means,
// and the signer's name and e-mail.
func loaSignature(pdf *document, d LOAData, sig *porting.Signature, loc *i18n.Localizer, zone *time.Location) error {
	// The block stays on one page: a signature on one page and the
	// signer's name on the next would not read as one signature.
	_, pageHeight := pdf.GetPageSize()
	_, _, _, bottom := pdf.GetMargins()
	if pdf.GetY()+70 > pageHeight-bottom {
		pdf.AddPage()
	}
	pdf.Ln(2)
	pdf.heading(loc.T("report.loa.signer"))
	left, _, _, _ := pdf.GetMargins()
	line := pdf.GetY() + signatureHeight + 4

	caption := loc.T("report.loa.signature")
	if sig != nil {
		switch sig.Kind {
		case porting.SignatureDrawn:
			img, err := signatureImage(sig.Image)
			if err != nil {
				return err
			}
			pdf.RegisterImageOptionsReader("signature", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img.png))
			w, h := img.fit(signatureWidth, signatureHeight)
			pdf.ImageOptions("signature", left, line-1-h, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		default:
			pdf.SetFont("Helvetica", "I", 22)
			pdf.SetXY(left, line-12)
			pdf.CellFormat(0, 10, pdf.tr(sig.Name), "", 0, "L", false, 0, "")
		}
		caption = loc.T("report.loa.signed_by", "Name", sig.Name, "Date", zoned(loc, sig.At, zone))
	}
	pdf.Line(left, line, left+100, line)
	pdf.SetXY(left, line+1)
	pdf.SetFont("Helvetica", "I", 9)
	pdf.MultiCell(0, 5, pdf.tr(caption), "", "L", false)
	pdf.Ln(3)
	pdf.field(loc.T("report.loa.signer_name"), d.SignerName)
	pdf.field(loc.T("report.loa.signer_email"), d.SignerEmail)
	return nil
}

// loaEvidence writes the page of evidence of the signature: who, from
// where, when, and which document they were shown.
func loaEvidence(pdf *document, d LOAData, sig *porting.Signature, loc *i18n.Localizer, zone *time.Location) {
	pdf.AddPage()
	pdf.title(loc.T("report.loa.evidence"))
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(0, 5.5, pdf.tr(loc.T("report.loa.evidence_intro", "Provider", d.ProviderName, "Folio", d.Order.Folio)), "", "L", false)
	pdf.Ln(3)
	user := sig.UserID
	if d.SignerEmail != "" {
		user += " (" + d.SignerEmail + ")"
	}
	pdf.field(loc.T("report.loa.typed_name"), sig.Name)
	pdf.field(loc.T("report.loa.user"), user)
	pdf.field(loc.T("report.loa.signed_at"), sig.At.In(zone).Format("2006-01-02 15:04:05 MST (UTC-07:00)"))
	pdf.field(loc.T("report.loa.signed_at_utc"), sig.At.UTC().Format("2006-01-02 15:04:05 MST"))
	pdf.field(loc.T("report.loa.ip"), sig.IP)
	pdf.field(loc.T("report.loa.user_agent"), sig.UserAgent)
	pdf.field(loc.T("report.loa.kind"), loc.T("report.loa.kind."+sig.Kind))
	// The SHA-256 gets a line of its own in a fixed-width font: 64 hex
	// digits would wrap beside a label, and a reader compares it digit
	// by digit.
	pdf.SetFont("Helvetica", "B", 10)
	pdf.MultiCell(0, 6, pdf.tr(loc.T("report.loa.sha256")), "", "L", false)
	pdf.SetFont("Courier", "", 10)
	pdf.MultiCell(0, 6, sig.DocumentSHA256, "", "L", false)
	pdf.Ln(3)
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(0, 5.5, pdf.tr(loc.T("report.loa.sha256_note")), "", "L", false)
}

// zoned shows a moment in the reader's format, in the zone, naming it.
func zoned(loc *i18n.Localizer, t time.Time, zone *time.Location) string {
	t = t.In(zone)
	return loc.DateTime(t, nil) + " " + t.Format("MST")
}

// drawnSignature is a drawn signature ready for the PDF.
type drawnSignature struct {
	png           []byte
	width, height int
}

// signatureImage reads a drawn signature (a PNG in base64) and writes it
// again as a plain 8-bit PNG. fpdf reads PNG by hand, trusts the chunks it
// is given and reads only some PNGs (not interlaced, not 16-bit with
// alpha); the standard library's decoder checks the file, and its
// encoder's output is one fpdf reads — the same each time, so a signed
// document written again has the same bytes.
func signatureImage(b64 string) (drawnSignature, error) {
	bad := enlace.Errorf(enlace.EINVALID, "report.loa.bad_signature")
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return drawnSignature{}, bad
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(raw))
	if err != nil || cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxSignatureSide || cfg.Height > maxSignatureSide {
		return drawnSignature{}, bad
	}
	src, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		return drawnSignature{}, bad
	}
	img := image.NewNRGBA(src.Bounds())
	draw.Draw(img, img.Bounds(), src, src.Bounds().Min, draw.Src)
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		return drawnSignature{}, err
	}
	return drawnSignature{png: out.Bytes(), width: cfg.Width, height: cfg.Height}, nil
}

// fit returns the size, in mm, of the signature scaled to fit a box of
// w by h keeping its proportions.
func (s drawnSignature) fit(w, h float64) (float64, float64) {
	ratio := float64(s.height) / float64(s.width)
	if w*ratio <= h {
		return w, w * ratio
	}
	return h / ratio, h
}
