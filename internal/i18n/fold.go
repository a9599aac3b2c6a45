package i18n

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold makes text comparable the way people expect when they search or
// type a name: lower-cased, accents removed ("Nuevo León" = "nuevo leon"),
// spaces trimmed and collapsed.
func Fold(s string) string {
	if isASCII(s) {
		// Most codes, keys and headers: no accents to remove.
		return strings.Join(strings.Fields(strings.ToLower(s)), " ")
	}
	// A chain keeps state while it works, so each call makes its own.
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.Join(strings.Fields(strings.ToLower(out)), " ")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
