package api

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestInternalError answers a failure of the database with a generic
// problem and logs the cause once, under the request's id.
func TestInternalError(t *testing.T) {
	f := newFixture(t)
	var logs bytes.Buffer
	f.api.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	must(t, f.store.Close())

	resp, body := f.do(call{as: aAdmin, method: "GET", path: "/me", lang: "en"})
	p := checkProblem(t, resp, body, http.StatusInternalServerError)
	if want := f.api.Catalog.Localizer("en").T("error.internal"); p.Code != "internal" || p.Detail != want {
		t.Errorf("problem = %+v, want code internal and detail %q", p, want)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("logged %d lines, want 1:\n%s", len(lines), logs.String())
	}
	var entry struct {
		RequestID string `json:"request_id"`
		Err       string `json:"err"`
	}
	must(t, json.Unmarshal([]byte(lines[0]), &entry))
	if entry.RequestID == "" || entry.RequestID != resp.Header.Get("X-Request-ID") || entry.Err == "" {
		t.Errorf("log entry = %+v, want the cause under request id %q", entry, resp.Header.Get("X-Request-ID"))
	}
	if strings.Contains(string(body), entry.Err) {
		t.Errorf("the cause %q leaked into the response", entry.Err)
	}
}
