package i18n

import (
	"encoding/json"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing"
)

// TestEveryKeyInEveryLanguage keeps the three catalogues complete: a key
// added in one language must be added in the others.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	files, _ := fs.Glob(locales, "locales/*.json")
	keys := map[string]map[string]bool{} // module -> key -> seen in es
	byLang := map[string]map[string]bool{}
	for _, f := range files {
		parts := strings.SplitN(strings.TrimSuffix(path.Base(f), ".json"), ".", 2)
		module, lang := parts[0], parts[1]
		data, _ := locales.ReadFile(f)
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if keys[module] == nil {
			keys[module] = map[string]bool{}
		}
		id := module + "." + lang
		byLang[id] = map[string]bool{}
		for k := range m {
			keys[module][k] = true
			byLang[id][k] = true
		}
	}
	for module, all := range keys {
		for _, lang := range []string{"es-MX", "en", "de"} {
			var missing []string
			for k := range all {
				if !byLang[module+"."+lang][k] {
					missing = append(missing, k)
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 {
				t.Errorf("locales/%s.%s.json lacks %v", module, lang, missing)
			}
		}
	}
}

func TestMatch(t *testing.T) {
	c := MustLoad()
	for _, tt := range []struct{ in, want string }{
		{"", "es-MX"},
		{"de-DE,de;q=0.9", "de"},
		{"en-US,en;q=0.8", "en"},
		{"es", "es-MX"},
		{"fr-FR", "es-MX"},
	} {
		if got := c.Match(tt.in); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNumberGrouping(t *testing.T) {
	c := MustLoad()
	for lang, want := range map[string]string{"es-MX": "1,234,567", "en": "1,234,567", "de": "1.234.567"} {
		if got := c.Localizer(lang).Number(1234567); got != want {
			t.Errorf("Localizer(%s).Number(1234567) = %q, want %q", lang, got, want)
		}
	}
}
