// Package i18n translates Enlace into Spanish (Mexico), English and German.
// Each module keeps its messages in locales/<module>.<language>.json; every
// key exists in all three languages (a test keeps it so).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/enlace-portal/enlace/internal/enlace"
)

//go:embed locales/*.json
var locales embed.FS

// Languages Enlace speaks, the default first.
var Languages = []language.Tag{language.MustParse("es-MX"), language.English, language.German}

// Default is the language of a reader who states no preference.
const Default = "es-MX"

// Catalog holds every message in every language.
type Catalog struct {
	bundle  *goi18n.Bundle
	matcher language.Matcher
}

// Load reads the embedded message files.
func Load() (*Catalog, error) {
	b := goi18n.NewBundle(Languages[0])
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(locales, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := locales.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(data, f); err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
	}
	return &Catalog{bundle: b, matcher: language.NewMatcher(Languages)}, nil
}

// MustLoad is Load for start-up and tests, where a broken catalogue is a bug.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Match returns the supported language that best fits the preferences given,
// each a language tag or an Accept-Language header value.
func (c *Catalog) Match(prefs ...string) string {
	for _, p := range prefs {
		if p == "" {
			continue
		}
		tags, _, err := language.ParseAcceptLanguage(p)
		if err != nil || len(tags) == 0 {
			continue
		}
		_, i, conf := c.matcher.Match(tags...)
		if conf != language.No {
			return Languages[i].String()
		}
	}
	return Default
}

// Localizer returns the translator for one language.
func (c *Catalog) Localizer(lang string) *Localizer {
	tag, err := language.Parse(lang)
	if err != nil {
		tag = Languages[0]
	}
	return &Localizer{
		Lang:    tag.String(),
		loc:     goi18n.NewLocalizer(c.bundle, tag.String()),
		printer: message.NewPrinter(tag),
	}
}

// Localizer translates messages into one language.
type Localizer struct {
	Lang    string
	loc     *goi18n.Localizer
	printer *message.Printer
}

// T returns the message for key with its placeholders filled from args
// (key, value pairs). A missing key comes back as itself, so it shows up.
func (l *Localizer) T(key string, args ...any) string {
	data := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		data[fmt.Sprint(args[i])] = args[i+1]
	}
	return l.TMap(key, data)
}

// TMap is T with the arguments in a map.
func (l *Localizer) TMap(key string, data map[string]any) string {
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: data})
	if err != nil || s == "" {
		return key
	}
	return s
}

// Error returns the message of an error in this language.
func (l *Localizer) Error(err error) string {
	e := enlace.AsError(err)
	return l.TMap(e.Message, e.Args)
}

// FieldErrors returns the field messages of an error by field name.
func (l *Localizer) FieldErrors(err error) map[string]string {
	e := enlace.AsError(err)
	if len(e.Fields) == 0 {
		return nil
	}
	m := make(map[string]string, len(e.Fields))
	for _, f := range e.Fields {
		if _, ok := m[f.Field]; ok {
			m[f.Field] += " " + l.TMap(f.Message, f.Args)
			continue
		}
		m[f.Field] = l.TMap(f.Message, f.Args)
	}
	return m
}

// Number formats n with the language's digit grouping: 1,234 or 1.234.
func (l *Localizer) Number(n int) string { return l.printer.Sprintf("%d", n) }

// DateTime formats t in the language's customary order, in the given zone.
func (l *Localizer) DateTime(t time.Time, loc *time.Location) string {
	if loc != nil {
		t = t.In(loc)
	}
	switch l.Lang {
	case "en":
		return t.Format("Jan 2, 2006 15:04")
	case "de":
		return t.Format("02.01.2006 15:04")
	default:
		return t.Format("02/01/2006 15:04")
	}
}

// Date formats a calendar date in the language's customary order.
func (l *Localizer) Date(t time.Time) string {
	switch l.Lang {
	case "en":
		return t.Format("Jan 2, 2006")
	case "de":
		return t.Format("02.01.2006")
	default:
		return t.Format("02/01/2006")
	}
}

// KeyPrefixes returns the first segment of every message key ("web",
// "login", …), for tests that look for keys left untranslated on a page.
func KeyPrefixes() ([]string, error) {
	files, err := fs.Glob(locales, "locales/*.json")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var prefixes []string
	for _, f := range files {
		data, err := locales.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		for k := range m {
			p, _, _ := strings.Cut(k, ".")
			if !seen[p] {
				seen[p] = true
				prefixes = append(prefixes, p)
			}
		}
	}
	sort.Strings(prefixes)
	return prefixes, nil
}
