package ops_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/ops"
)

// logLines decodes the JSON lines a test logger wrote.
func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", l, err)
		}
		lines = append(lines, m)
	}
	return lines
}

// testApp is a root mux with a web part whose authentication middleware
// wraps its own mux and copies the request, as the web package will.
func testApp() http.Handler {
	web := http.NewServeMux()
	web.HandleFunc("GET /customers/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("hello"))
	})
	web.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	web.HandleFunc("GET /api/v1/boom", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	auth := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			r = ops.WithActor(r, &enlace.Actor{UserID: "u1", CustomerID: "c1"})
		}
		web.ServeHTTP(w, r)
	})
	root := http.NewServeMux()
	root.Handle("/", auth)
	root.Handle("GET /healthz", ops.Healthz())
	return root
}

func TestAccessLog(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := ops.Wrap(testApp(), ops.Options{Logger: logger})

	r := httptest.NewRequest("GET", "/customers/42", nil)
	r.Header.Set("X-Request-ID", "req-1")
	r.Header.Set("Authorization", "Bearer x")
	h.ServeHTTP(httptest.NewRecorder(), r)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/nowhere/at/all", nil))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))

	got := logLines(t, &buf)
	want := []map[string]any{
		{"level": "INFO", "msg": "request", "request_id": "req-1", "method": "GET",
			"route": "GET /customers/{id}", "status": 200.0, "bytes": 5.0, "user_id": "u1", "tenant_id": "c1"},
		{"level": "INFO", "msg": "request", "method": "GET", "route": "unmatched", "status": 404.0, "bytes": 19.0},
		{"level": "DEBUG", "msg": "request", "method": "GET", "route": "GET /healthz", "status": 200.0, "bytes": 3.0},
	}
	ignore := cmpopts.IgnoreMapEntries(func(k string, v any) bool {
		return k == "time" || k == "duration_ms" || k == "request_id" && v != "req-1"
	})
	if diff := cmp.Diff(want, got, ignore); diff != "" {
		t.Errorf("access log mismatch (-want +got):\n%s", diff)
	}
	for _, l := range got {
		if _, ok := l["duration_ms"].(float64); !ok {
			t.Errorf("log line %v has no numeric duration_ms", l)
		}
		if id, _ := l["request_id"].(string); id == "" {
			t.Errorf("log line %v has no request_id", l)
		}
	}
}

func TestRecover(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	h := ops.Wrap(testApp(), ops.Options{Logger: logger})

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/boom", nil))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("GET /boom = %d, want 500", w.Code)
	}

	panics, requests := 0, 0
	for _, l := range logLines(t, &buf) {
		switch l["msg"] {
		case "handler panicked":
			panics++
			if l["panic"] != "boom" || l["stack"] == "" {
				t.Errorf("panic log line = %v, want panic and stack", l)
			}
		case "request":
			requests++
			if l["status"] != 500.0 {
				t.Errorf("access log status = %v, want 500", l["status"])
			}
		}
	}
	if panics != 1 || requests != 1 {
		t.Errorf("logged %d panics and %d requests, want 1 and 1", panics, requests)
	}

	// API clients get the API's error format, with the id to quote.
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/boom", nil))
	var problem map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &problem); err != nil || w.Code != 500 ||
		w.Header().Get("Content-Type") != "application/problem+json" || problem["status"] != 500.0 || problem["requestId"] == "" {
		t.Errorf("GET /api/v1/boom = %d %s %s, want a 500 problem document", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
}
