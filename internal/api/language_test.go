package api

import (
	"testing"
)

// TestProblemLanguage renders problem details in the language of
// Accept-Language, falling back to the token user's own language and then
// to Spanish (Mexico).
func TestProblemLanguage(t *testing.T) {
	f := newFixture(t)
	cat := f.api.Catalog
	tests := []struct {
		name, as, lang, want string
		c                    call
	}{
		{"German", "", "de-DE,de;q=0.9", "de", call{method: "GET", path: "/me"}},
		{"English", "", "en-US", "en", call{method: "GET", path: "/me"}},
		{"Spanish", "", "es", "es-MX", call{method: "GET", path: "/me"}},
		{"unsupported falls back to Spanish", "", "fr-FR", "es-MX", call{method: "GET", path: "/me"}},
		{"service error in German", aUser, "de", "de", call{method: "GET", path: "/users"}},
		{"service error in English", aUser, "en", "en", call{method: "GET", path: "/users"}},
		{"field errors in German", aAdmin, "de", "de", call{method: "POST", path: "/users", body: `{"nope":1}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.c.as, tt.c.lang = tt.as, tt.lang
			resp, body := f.do(tt.c)
			p := checkProblem(t, resp, body, resp.StatusCode)
			if got := resp.Header.Get("Content-Language"); got != tt.want {
				t.Errorf("Content-Language = %q, want %q", got, tt.want)
			}
			key := map[int]string{401: "api.token_invalid", 403: "error.forbidden", 400: "api.json_unknown_field"}[p.Status]
			if want := cat.Localizer(tt.want).T(key, "Field", "/nope"); p.Detail != want {
				t.Errorf("detail = %q, want %q", p.Detail, want)
			}
			for _, e := range p.Errors {
				if want := cat.Localizer(tt.want).T("api.field_unknown"); e.Detail != want {
					t.Errorf("field detail = %q, want %q", e.Detail, want)
				}
			}
		})
	}
}
