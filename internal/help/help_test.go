package help_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/help"
	"github.com/enlace-portal/enlace/internal/i18n"
)

func slugs(as []help.Article) []string {
	var s []string
	for _, a := range as {
		s = append(s, a.Slug)
	}
	return s
}

func TestSearch(t *testing.T) {
	c := i18n.MustLoad()
	for _, tt := range []struct {
		name, lang, query string
		first             string // the best answer
		none              bool
	}{
		{"without accents finds accented words", "es-MX", "contrasena temporal", "temporary-password", false},
		{"case does not matter", "es-MX", "WHATSAPP", "whatsapp", false},
		{"every word must match", "es-MX", "whatsapp factura", "", true},
		{"English", "en", "bookmark", "bookmark", false},
		{"German with umlauts folded", "de", "konto leer", "empty-account", false},
		{"title matches rank first", "es-MX", "orden", "order-not-shown", false},
		{"empty query", "es-MX", "  ", "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := help.Search(c.Localizer(tt.lang), tt.query)
			if tt.none {
				if len(got) != 0 {
					t.Errorf("Search(%q) = %v, want none", tt.query, slugs(got))
				}
				return
			}
			if len(got) == 0 || got[0].Slug != tt.first {
				t.Errorf("Search(%q) = %v, want %s first", tt.query, slugs(got), tt.first)
			}
		})
	}
}

func TestEveryArticleIsWrittenAndFiled(t *testing.T) {
	c := i18n.MustLoad()
	seen := map[string]bool{}
	for _, a := range help.Articles {
		if seen[a.Slug] {
			t.Errorf("article %s listed twice", a.Slug)
		}
		seen[a.Slug] = true
		for _, lang := range []string{"es-MX", "en", "de"} {
			loc := c.Localizer(lang)
			for _, key := range []string{"help." + a.Slug + ".title", "help." + a.Slug + ".body"} {
				if loc.T(key) == key {
					t.Errorf("%s lacks %s", lang, key)
				}
			}
		}
		if len(help.InTopic(a.Topic)) == 0 {
			t.Errorf("article %s is in unknown topic %s", a.Slug, a.Topic)
		}
	}
	var all []string
	for _, topic := range help.Topics {
		all = append(all, slugs(help.InTopic(topic))...)
	}
	if diff := cmp.Diff(slugs(help.Articles), all); diff != "" {
		t.Errorf("articles not in a listed topic (-all +by topic):\n%s", diff)
	}
}
