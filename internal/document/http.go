package document

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// Serve writes a document's content as an attachment: the type
// detected at upload, nosniff, a file name safe in every browser (RFC 6266
// with an RFC 5987 UTF-8 form), and Range support. The web UI and the API
// both serve files this way.
func Serve(w http.ResponseWriter, r *http.Request, d *Document, content io.ReadSeeker) {
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Disposition", ContentDisposition(d.FileName))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("ETag", `"`+d.SHA256+`"`)
	http.ServeContent(w, r, "", d.CreatedAt, content)
}

// ContentDisposition returns an attachment header for name: an ASCII
// fallback (non-ASCII letters and quotes replaced) and the exact name
// percent-encoded in UTF-8 as filename*.
func ContentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		switch {
		case r == '"' || r == '\\' || r == '%' || r < 0x20 || r == 0x7f:
			return '_'
		case r > 0x7e:
			return '_'
		}
		return r
	}, name)
	v := mime.FormatMediaType("attachment", map[string]string{"filename": ascii})
	if v == "" {
		v = `attachment; filename="documento"`
	}
	if ascii != name {
		v += "; filename*=UTF-8''" + rfc5987(name)
	}
	return v
}

// rfc5987 percent-encodes every byte of s that is not an attr-char.
func rfc5987(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
