package document

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image/jpeg"
	"image/png"
	"io"
	"path"
	"slices"
	"strings"
)

// Type is a kind of file the repository accepts, recognised by content.
type Type struct {
	// Name is what people call it: PDF, XLSX, …
	Name        string
	ContentType string
	// Exts are the file-name extensions that fit the type; the first is
	// the one a download gets when the uploaded name has none of them.
	Exts []string
}

// The accepted types. OOXML files are ZIP archives: the archive's
// [Content_Types].xml must declare the type's main part, and that part
// must be in the archive, so a ZIP renamed .docx, or a macro-enabled
// workbook (whose main part has another content type), is refused.
var (
	TypePDF  = Type{"PDF", "application/pdf", []string{".pdf"}}
	TypeDOCX = Type{"DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", []string{".docx"}}
	TypeXLSX = Type{"XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []string{".xlsx"}}
	TypePPTX = Type{"PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation", []string{".pptx"}}
	TypePNG  = Type{"PNG", "image/png", []string{".png"}}
	TypeJPEG = Type{"JPEG", "image/jpeg", []string{".jpg", ".jpeg"}}
)

// Types lists the accepted types, in the order messages name them.
var Types = []Type{TypePDF, TypeXLSX, TypeDOCX, TypePPTX, TypePNG, TypeJPEG}

// AllowedNames names the accepted types for messages: "PDF, XLSX, …".
func AllowedNames() string {
	names := make([]string, len(Types))
	for i, t := range Types {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

// ooxmlMain maps the content type of an OOXML package's main part to the
// file type it makes.
var ooxmlMain = map[string]Type{
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml":   TypeDOCX,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":         TypeXLSX,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": TypePPTX,
}

// maxContentTypesXML bounds how much of [Content_Types].xml is read: a
// real one is a few KiB, and a ZIP bomb must not inflate here.
const maxContentTypesXML = 1 << 20

// Detect returns the type of the size bytes of r, judged by their content
// alone, and false when they are none of the accepted types.
func Detect(r io.ReaderAt, size int64) (Type, bool) {
	head := make([]byte, 16)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return TypePDF, pdfEnds(r, size)
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		_, err := png.DecodeConfig(io.NewSectionReader(r, 0, size))
		return TypePNG, err == nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		_, err := jpeg.DecodeConfig(io.NewSectionReader(r, 0, size))
		return TypeJPEG, err == nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return ooxml(r, size)
	}
	return Type{}, false
}

// pdfEnds reports whether a PDF has its end-of-file marker in its last
// KiB, where readers look for it: a truncated upload has none.
func pdfEnds(r io.ReaderAt, size int64) bool {
	tail := int64(1024)
	if size < tail {
		tail = size
	}
	buf := make([]byte, tail)
	n, _ := r.ReadAt(buf, size-tail)
	return bytes.Contains(buf[:n], []byte("%%EOF"))
}

// contentTypes is the part of [Content_Types].xml that names each part's type.
type contentTypes struct {
	Overrides []struct {
		PartName    string `xml:"PartName,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Override"`
}

func ooxml(r io.ReaderAt, size int64) (Type, bool) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return Type{}, false
	}
	var names []string
	var ct *zip.File
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name == "[Content_Types].xml" {
			ct = f
		}
	}
	if ct == nil {
		return Type{}, false
	}
	rc, err := ct.Open()
	if err != nil {
		return Type{}, false
	}
	defer rc.Close()
	var types contentTypes
	if err := xml.NewDecoder(io.LimitReader(rc, maxContentTypesXML)).Decode(&types); err != nil {
		return Type{}, false
	}
	for _, o := range types.Overrides {
		t, ok := ooxmlMain[strings.TrimSpace(o.ContentType)]
		if !ok {
			continue
		}
		part := strings.TrimPrefix(path.Clean("/"+o.PartName), "/")
		if slices.Contains(names, part) {
			return t, true
		}
	}
	return Type{}, false
}

// downloadName is the name a download carries: the uploaded name with the
// extension of the detected type, so that what opens it matches what it is.
func downloadName(name string, t Type) string {
	ext := strings.ToLower(path.Ext(name))
	if slices.Contains(t.Exts, ext) {
		return name
	}
	base := strings.TrimSuffix(name, path.Ext(name))
	if base == "" {
		base = "documento"
	}
	return base + t.Exts[0]
}

// cleanFileName keeps the last element of an uploaded name (browsers on
// Windows once sent whole paths), drops control characters and bounds its
// length.
func cleanFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == "/" {
		name = ""
	}
	if r := []rune(name); len(r) > 120 {
		ext := path.Ext(name)
		if len([]rune(ext)) > 10 {
			ext = ""
		}
		name = string(r[:120-len([]rune(ext))]) + ext
	}
	return name
}
