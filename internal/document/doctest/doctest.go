// Package doctest makes small real files of every type the document
// repository accepts, and a few it must refuse, for tests.
package doctest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"codeberg.org/go-pdf/fpdf"
)

// PDF returns a one-page PDF that shows text.
func PDF(text string) []byte {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(false)
	p.AddPage()
	p.SetFont("Helvetica", "", 14)
	p.Cell(40, 10, text)
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// OOXML main parts by type name: where the part lives and its content type.
var ooxmlParts = map[string][2]string{
	"docx": {"word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"},
	"xlsx": {"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"},
	"pptx": {"ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"},
	"docm": {"word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"},
}

// OOXML returns a minimal Office Open XML package of kind docx, xlsx,
// pptx or docm (macro-enabled, which the repository refuses): the
// [Content_Types].xml, the package relationships and the main part.
func OOXML(kind string) []byte {
	part, ok := ooxmlParts[kind]
	if !ok {
		panic("doctest: no OOXML kind " + kind)
	}
	return Zip(map[string]string{
		"[Content_Types].xml": fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/%s" ContentType="%s"/>
</Types>`, part[0], part[1]),
		"_rels/.rels": fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="%s"/>
</Relationships>`, part[0]),
		part[0]: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><root/>`,
	})
}

// Zip returns a ZIP archive of the named files; [Content_Types].xml, when
// given, comes first as Office writes it.
func Zip(files map[string]string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	names := []string{}
	if _, ok := files["[Content_Types].xml"]; ok {
		names = append(names, "[Content_Types].xml")
	}
	for n := range files {
		if n != "[Content_Types].xml" {
			names = append(names, n)
		}
	}
	for _, n := range names {
		w, err := z.Create(n)
		if err != nil {
			panic(err)
		}
		w.Write([]byte(files[n]))
	}
	if err := z.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func picture() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		img.Set(x, x, color.RGBA{200, 30, 30, 255})
	}
	return img
}

// PNG returns an 8×8 PNG image.
func PNG() []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, picture()); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// JPEG returns an 8×8 JPEG image.
func JPEG() []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, picture(), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// EXE returns the start of a Windows executable.
func EXE() []byte {
	b := make([]byte, 512)
	copy(b, "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")
	copy(b[0x40:], "This program cannot be run in DOS mode.")
	return b
}

// HTML returns a web page with a script: what a stored-XSS attempt uploads.
func HTML() []byte {
	return []byte("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>")
}
