package report

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/porting"
)

var langs = []string{"es-MX", "en", "de"}

var _ porting.LOAWriter = LOAWriter{}

func loaData(t *testing.T) LOAData {
	t.Helper()
	zone, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		t.Fatal(err)
	}
	return LOAData{
		Order: &porting.Order{Folio: "PORT-2026-000042", AccountName: "Grupo Aurora SA de CV",
			ServiceAddress: "Av. Constitución 400, Monterrey, N.L.",
			RequestedDate:  time.Date(2026, 4, 20, 0, 0, 0, 0, zone),
			CreatedAt:      time.Date(2026, 3, 2, 16, 15, 0, 0, time.UTC)},
		Lines: []porting.Line{
			{E164: "+528181234567", Carrier: "Telmex", AccountNumber: "TX-88120"},
			{E164: "+525512345678", Carrier: "AT&T México", AccountNumber: "ATT-5501"},
			{E164: "+528181234568", Carrier: "Telmex", AccountNumber: "TX-88120"},
		},
		CustomerName: "Grupo Aurora Núñez",
		SignerName:   "Mónica Ibáñez",
		SignerEmail:  "monica@aurora.example",
		ProviderName: "Enlace Telecom",
		Location:     zone,
	}
}

func signature(kind, image string) *porting.Signature {
	return &porting.Signature{UserID: "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", Name: "Mónica Ibáñez Ruiz", Kind: kind, Image: image,
		At: time.Date(2026, 3, 3, 17, 4, 5, 0, time.UTC), IP: "203.0.113.7", UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
		DocumentSHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
}

// drawn returns a signature stroke as a base64 PNG of the image's kind.
func drawn(t *testing.T, img interface {
	image.Image
	Set(x, y int, c color.Color)
}) string {
	t.Helper()
	for x := 10; x < 290; x++ {
		img.Set(x, 20+x/5, color.NRGBA{R: 20, G: 30, B: 120, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

func mustLOA(t *testing.T, d LOAData, sig *porting.Signature, lang string) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := LOA(&out, d, sig, i18n.MustLoad().Localizer(lang)); err != nil {
		t.Fatalf("LOA(%s): %v", lang, err)
	}
	return out.Bytes()
}

// contains reports whether the PDF has the text as its fonts set it, in
// cp1252.
func contains(t *testing.T, pdf []byte, text string) bool {
	t.Helper()
	enc, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatalf("encode %q: %v", text, err)
	}
	return bytes.Contains(pdf, []byte(enc))
}

func TestLOAUnsigned(t *testing.T) {
	d := loaData(t)
	titles := map[string]string{
		"es-MX": "Carta de autorización para portabilidad de números (LOA)",
		"en":    "Letter of authorization for number porting (LOA)",
		"de":    "Portierungsauftrag / Vollmacht (LOA)",
	}
	for _, lang := range langs {
		b := mustLOA(t, d, nil, lang)
		if !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Fatalf("LOA(%s) is not a PDF", lang)
		}
		// fpdf escapes parentheses in strings; the title is looked for
		// without its "(LOA)".
		for _, want := range []string{strings.TrimSuffix(titles[lang], " (LOA)"),
			"PORT-2026-000042", "Grupo Aurora Núñez", "Grupo Aurora SA de CV", "Av. Constitución 400",
			"+52 81 8123 4567", "+52 55 1234 5678", "+52 81 8123 4568", "TX-88120", "ATT-5501",
			"Telmex", "AT&T México", "Enlace Telecom", "Mónica Ibáñez", "monica@aurora.example"} {
			if !contains(t, b, want) {
				t.Errorf("LOA(%s) lacks %q", lang, want)
			}
		}
		for _, absent := range []string{"report.loa.", "203.0.113.7", "/Subtype /Image"} {
			if bytes.Contains(b, []byte(absent)) {
				t.Errorf("unsigned LOA(%s) has %q", lang, absent)
			}
		}
	}
}

func TestLOASigned(t *testing.T) {
	d := loaData(t)
	for _, tt := range []struct {
		name  string
		sig   *porting.Signature
		image bool
	}{
		{"typed", signature(porting.SignatureTyped, ""), false},
		{"drawn", signature(porting.SignatureDrawn, drawn(t, image.NewNRGBA(image.Rect(0, 0, 300, 100)))), true},
		// fpdf alone misreads 16-bit PNGs with alpha; the signature is
		// written again as 8-bit first.
		{"drawn 16-bit", signature(porting.SignatureDrawn, drawn(t, image.NewRGBA64(image.Rect(0, 0, 300, 100)))), true},
		{"drawn grey", signature(porting.SignatureDrawn, drawn(t, image.NewGray(image.Rect(0, 0, 300, 100)))), true},
	} {
		for _, lang := range langs {
			b := mustLOA(t, d, tt.sig, lang)
			if !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Fatalf("LOA(%s, %s) is not a PDF", tt.name, lang)
			}
			for _, want := range []string{"PORT-2026-000042", "Grupo Aurora Núñez", "+52 55 1234 5678", "Mónica Ibáñez Ruiz",
				"203.0.113.7", "Firefox/140.0", tt.sig.DocumentSHA256, tt.sig.UserID, "2026-03-03 11:04:05 CST", "2026-03-03 17:04:05 UTC"} {
				if !contains(t, b, want) {
					t.Errorf("LOA(%s, %s) lacks %q", tt.name, lang, want)
				}
			}
			if bytes.Contains(b, []byte("report.loa.")) {
				t.Errorf("LOA(%s, %s) has an untranslated key", tt.name, lang)
			}
			if got := bytes.Contains(b, []byte("/Subtype /Image")); got != tt.image {
				t.Errorf("LOA(%s, %s) has an image = %v, want %v", tt.name, lang, got, tt.image)
			}
			if bytes.Contains(b, []byte("/BitsPerComponent 16")) {
				t.Errorf("LOA(%s, %s) has a 16-bit image, which fpdf lays out as 8-bit", tt.name, lang)
			}
		}
	}
}

func TestLOASignedInTheReadersLanguage(t *testing.T) {
	d := loaData(t)
	sig := signature(porting.SignatureTyped, "")
	for lang, want := range map[string]string{
		"es-MX": "Firmado electrónicamente por Mónica Ibáñez Ruiz el 03/03/2026 11:04 CST",
		"en":    "Signed electronically by Mónica Ibáñez Ruiz on Mar 3, 2026 11:04 CST",
		"de":    "Elektronisch unterschrieben von Mónica Ibáñez Ruiz am 03.03.2026 11:04 CST",
	} {
		if b := mustLOA(t, d, sig, lang); !contains(t, b, want) {
			t.Errorf("LOA(%s) lacks %q", lang, want)
		}
	}
}

// TestLOASameInputSameBytes keeps the unsigned letter's SHA-256 stable:
// the signature's evidence names it, and writing the letter again must
// give it back.
func TestLOASameInputSameBytes(t *testing.T) {
	d := loaData(t)
	for _, tt := range []struct {
		name string
		sig  *porting.Signature
	}{
		{"unsigned", nil},
		{"typed", signature(porting.SignatureTyped, "")},
		{"drawn", signature(porting.SignatureDrawn, drawn(t, image.NewNRGBA(image.Rect(0, 0, 300, 100))))},
	} {
		for _, lang := range langs {
			first := mustLOA(t, d, tt.sig, lang)
			for range 3 {
				if again := mustLOA(t, d, tt.sig, lang); !bytes.Equal(first, again) {
					t.Fatalf("LOA(%s, %s) gave different bytes for the same input", tt.name, lang)
				}
			}
		}
	}
}

func TestLOABadSignatureImage(t *testing.T) {
	d := loaData(t)
	valid, _ := base64.StdEncoding.DecodeString(drawn(t, image.NewNRGBA(image.Rect(0, 0, 300, 100))))
	for _, tt := range []struct{ name, image string }{
		{"empty", ""},
		{"not base64", "%%%not-base64%%%"},
		{"not a PNG", base64.StdEncoding.EncodeToString([]byte("GIF89a this is not a signature"))},
		{"truncated", base64.StdEncoding.EncodeToString(valid[:len(valid)/2])},
		{"wider than a signature pad", drawn(t, image.NewNRGBA(image.Rect(0, 0, maxSignatureSide+1, 10)))},
	} {
		var out bytes.Buffer
		err := LOA(&out, d, signature(porting.SignatureDrawn, tt.image), i18n.MustLoad().Localizer("es-MX"))
		if enlace.ErrorCode(err) != enlace.EINVALID {
			t.Errorf("LOA(%s) = %v, want an invalid-input error", tt.name, err)
		}
	}
}

func TestLOAWriterWritesTheOrdersSigner(t *testing.T) {
	d := loaData(t)
	o := *d.Order
	o.SignerName, o.SignerEmail = d.SignerName, d.SignerEmail
	lw := LOAWriter{Catalog: i18n.MustLoad(), ProviderName: d.ProviderName, Location: d.Location}
	for _, lang := range langs {
		var got bytes.Buffer
		if err := lw.WriteLOA(&got, &o, d.Lines, d.CustomerName, nil, lang); err != nil {
			t.Fatalf("WriteLOA(%s): %v", lang, err)
		}
		if want := mustLOA(t, d, nil, lang); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("WriteLOA(%s) differs from LOA with the order's signer", lang)
		}
	}
}
