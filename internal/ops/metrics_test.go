package ops_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/ops"
)

type fakeBacklog struct {
	jobs, outbox int
	err          error
}

func (b fakeBacklog) JobDepth(context.Context) (int, error)    { return b.jobs, b.err }
func (b fakeBacklog) OutboxDepth(context.Context) (int, error) { return b.outbox, nil }

// get serves one request through h and returns the status and body.
func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	body, _ := io.ReadAll(w.Body)
	return w.Code, string(body)
}

func TestMetrics(t *testing.T) {
	m := ops.NewMetrics(fakeBacklog{jobs: 3, outbox: 7}, slog.New(slog.DiscardHandler))
	app := testApp().(*http.ServeMux)
	app.Handle("GET /metrics", m.Handler())
	h := ops.Wrap(app, ops.Options{Logger: slog.New(slog.DiscardHandler), Metrics: m})

	get(t, h, "/customers/1")
	get(t, h, "/customers/2")
	get(t, h, "/nowhere")
	code, body := get(t, h, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics = %d, want 200", code)
	}
	for _, want := range []string{
		`http_requests_total{method="GET",route="GET /customers/{id}",status="200"} 2`,
		`http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`http_request_duration_seconds_count{method="GET",route="GET /customers/{id}"} 2`,
		"job_queue_depth 3",
		"outbox_depth 7",
		"go_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /metrics lacks %q", want)
		}
	}
}

func TestMetricsBacklogError(t *testing.T) {
	m := ops.NewMetrics(fakeBacklog{err: errors.New("database gone"), outbox: 7}, slog.New(slog.DiscardHandler))
	code, body := get(t, m.Handler(), "/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics with a failing gauge = %d, want 200", code)
	}
	if strings.Contains(body, "job_queue_depth ") || !strings.Contains(body, "outbox_depth 7") {
		t.Errorf("GET /metrics = %q, want outbox_depth and no job_queue_depth", body)
	}
}

func TestHealth(t *testing.T) {
	for _, tt := range []struct {
		name     string
		path     string
		ready    error
		want     int
		wantBody map[string]string // nil: plain "ok"
	}{
		{name: "alive", path: "/healthz", want: http.StatusOK},
		{name: "alive while the database is down", path: "/healthz", ready: errors.New("down"), want: http.StatusOK},
		{name: "ready", path: "/readyz", want: http.StatusOK, wantBody: map[string]string{"status": "ok"}},
		{name: "not ready", path: "/readyz", ready: errors.New("migrations pending"), want: http.StatusServiceUnavailable,
			wantBody: map[string]string{"status": "unavailable", "reason": "migrations pending"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			logger := slog.New(slog.DiscardHandler)
			ops.Mount(mux, func(context.Context) error { return tt.ready }, ops.NewMetrics(nil, logger), logger)
			code, body := get(t, mux, tt.path)
			if code != tt.want {
				t.Errorf("GET %s = %d, want %d", tt.path, code, tt.want)
			}
			if tt.wantBody == nil {
				if body != "ok\n" {
					t.Errorf("GET %s body = %q, want %q", tt.path, body, "ok\n")
				}
				return
			}
			var got map[string]string
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("GET %s body %q: %v", tt.path, body, err)
			}
			if got["status"] != tt.wantBody["status"] || got["reason"] != tt.wantBody["reason"] {
				t.Errorf("GET %s body = %v, want %v", tt.path, got, tt.wantBody)
			}
		})
	}
}
