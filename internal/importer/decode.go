package importer

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Encodings a file may arrive in, as the preview names them.
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF16   = "UTF-16"
	EncodingWindows = "Windows-1252"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Decode turns an uploaded file into UTF-8 text and names the encoding it
// was in: UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's
// "Unicode text"), or else Windows-1252 — what Excel writes "CSV" in on a
// Windows set up for Mexico, and a superset of Latin-1's letters. A file
// that is none of these, such as a binary or random bytes, is refused with
// the line of the first byte no text file has.
func Decode(b []byte) (string, string, error) {
	enc := EncodingUTF8
	switch {
	case bytes.HasPrefix(b, bomUTF8):
		b = b[len(bomUTF8):]
	case bytes.HasPrefix(b, bomUTF16LE), bytes.HasPrefix(b, bomUTF16BE):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
			return "", "", fileError("importer.error.encoding", "Line", 1)
		}
		b, enc = out, EncodingUTF16
	case !utf8.Valid(b):
		if line := binaryLine(b, true); line > 0 {
			return "", "", fileError("importer.error.binary", "Line", line)
		}
		out, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			return "", "", fileError("importer.error.encoding", "Line", 1)
		}
		b, enc = out, EncodingWindows
	}
	if line := binaryLine(b, false); line > 0 {
		return "", "", fileError("importer.error.binary", "Line", line)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return "", "", fileError("importer.error.empty")
	}
	return string(b), enc, nil
}

// binaryLine returns the line of the first control character a text file
// does not hold (anything below space but tab, line feed and carriage
// return, and DEL), or — when b is read as Windows-1252 — of a byte that
// encoding leaves undefined; 0 if none.
func binaryLine(b []byte, windows bool) int {
	line := 1
	for _, c := range b {
		switch {
		case c == '\n':
			line++
		case c == '\t' || c == '\r':
		case c < 0x20 || c == 0x7F:
			return line
		case windows && (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D):
			return line
		}
	}
	return 0
}

// fileError is a problem with the file as a whole, reported on the upload
// form's file field before any row is read.
func fileError(key string, args ...any) error {
	return enlace.Invalid([]enlace.FieldError{enlace.Field("file", key, args...)})
}
