package i18n

import "strings"

// Text is a text kept as data in several languages (a runbook's task, a
// request type's step), keyed by language tag: content that a catalogue
// of fixed keys cannot hold because administrators write it.
type Text map[string]string

// In returns the text in lang, falling back to the base language and then
// to Spanish.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	if i := strings.IndexByte(lang, '-'); i > 0 {
		if s := t[lang[:i]]; s != "" {
			return s
		}
	}
	return t["es-MX"]
}
