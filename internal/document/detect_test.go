package document

import (
	"bytes"
	"testing"

	"github.com/enlace-portal/enlace/internal/document/doctest"
)

func TestDetect(t *testing.T) {
	pdf := doctest.PDF("Contrato de servicios")
	png := doctest.PNG()
	tests := []struct {
		name    string
		content []byte
		want    string // type name; "" is refused
	}{
		{"pdf", pdf, "PDF"},
		{"docx", doctest.OOXML("docx"), "DOCX"},
		{"xlsx", doctest.OOXML("xlsx"), "XLSX"},
		{"pptx", doctest.OOXML("pptx"), "PPTX"},
		{"png", png, "PNG"},
		{"jpeg", doctest.JPEG(), "JPEG"},

		{"exe renamed .pdf", doctest.EXE(), ""},
		{"html renamed .pdf", doctest.HTML(), ""},
		{"plain zip renamed .docx", doctest.Zip(map[string]string{"leeme.txt": "hola"}), ""},
		{"macro-enabled docm renamed .docx", doctest.OOXML("docm"), ""},
		{"content types naming a missing part", doctest.Zip(map[string]string{"[Content_Types].xml": `<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`}), ""},
		{"content types not XML", doctest.Zip(map[string]string{"[Content_Types].xml": "no soy xml", "word/document.xml": "x"}), ""},
		{"zip header, no archive", []byte("PK\x03\x04 nada más"), ""},
		{"truncated pdf", pdf[:len(pdf)/2], ""},
		{"pdf header only", []byte("%PDF-1.7\n"), ""},
		{"png signature only", png[:8], ""},
		{"jpeg marker only", []byte{0xFF, 0xD8, 0xFF, 0xE0}, ""},
		{"text", []byte("Hola, esto es texto."), ""},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), ""},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, ok := Detect(bytes.NewReader(tt.content), int64(len(tt.content)))
			got := ""
			if ok {
				got = typ.Name
			}
			if got != tt.want {
				t.Errorf("Detect(%s) = %q, %v; want %q", tt.name, typ.Name, ok, tt.want)
			}
		})
	}
}

func TestDownloadName(t *testing.T) {
	tests := []struct {
		in   string
		typ  Type
		want string
	}{
		{"Contrato Año 2026.pdf", TypePDF, "Contrato Año 2026.pdf"},
		{"foto.JPG", TypeJPEG, "foto.JPG"},
		{"foto.jpeg", TypeJPEG, "foto.jpeg"},
		{"factura.exe", TypePDF, "factura.pdf"},
		{"informe", TypeXLSX, "informe.xlsx"},
		{"", TypePNG, "documento.png"},
	}
	for _, tt := range tests {
		if got := downloadName(cleanFileName(tt.in), tt.typ); got != tt.want {
			t.Errorf("downloadName(%q, %s) = %q, want %q", tt.in, tt.typ.Name, got, tt.want)
		}
	}
}

func TestCleanFileName(t *testing.T) {
	tests := map[string]string{
		`C:\Users\ana\Documentos\LOA firmada.pdf`: "LOA firmada.pdf",
		"../../etc/passwd":                        "passwd",
		"a\r\nb\x00\"c.pdf":                       "abc.pdf",
		"  espacios.pdf  ":                        "espacios.pdf",
		"/":                                       "",
	}
	for in, want := range tests {
		if got := cleanFileName(in); got != want {
			t.Errorf("cleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
	long := cleanFileName(string(bytes.Repeat([]byte("ñ"), 300)) + ".pdf")
	if r := []rune(long); len(r) != 120 || string(r[len(r)-4:]) != ".pdf" {
		t.Errorf("long name cut to %d runes ending %q", len(r), string(r[len(r)-4:]))
	}
}

func TestHumanSize(t *testing.T) {
	tests := map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1 KB", 1536: "1.5 KB", 20 << 20: "20 MB", 150 << 20: "150 MB", 3 << 30: "3 GB"}
	for n, want := range tests {
		if got := HumanSize(n); got != want {
			t.Errorf("HumanSize(%d) = %q, want %q", n, got, want)
		}
	}
}
