package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// MustRunMain starts the real program on 127.0.0.1:0 with a fresh test
// database (PostgreSQL when ENLACE_TEST_DATABASE_URL is set).
func MustRunMain(t *testing.T) *Main {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = sqlstore.TestURL(t)
	m := NewMain(cfg, slog.New(slog.NewTextHandler(t.Output(), nil)))
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatalf("Run() = %v", err)
	}
	return m
}

// mustGet fetches path from m and returns the response and its body.
func mustGet(t *testing.T, m *Main, path string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(m.BaseURL() + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", path, err)
	}
	return resp, string(body)
}

func TestMainServesOperations(t *testing.T) {
	m := MustRunMain(t)

	for _, tt := range []struct {
		path     string
		wantBody string
	}{
		{path: "/healthz", wantBody: "ok"},
		{path: "/readyz", wantBody: `"status":"ok"`},
		{path: "/metrics", wantBody: `http_requests_total{method="GET",route="GET /healthz",status="200"} 1`},
		{path: "/metrics", wantBody: "job_queue_depth 0"},
		{path: "/metrics", wantBody: "outbox_depth 0"},
	} {
		resp, body := mustGet(t, m, tt.path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200; body %q", tt.path, resp.StatusCode, body)
		}
		if !strings.Contains(body, tt.wantBody) {
			t.Errorf("GET %s body lacks %q:\n%s", tt.path, tt.wantBody, body)
		}
		if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Request-ID") == "" {
			t.Errorf("GET %s lacks the security headers or the request id: %v", tt.path, resp.Header)
		}
	}

	url := m.BaseURL()
	if err := m.Close(); err != nil {
		t.Fatalf("Close() = %v, want nil", err)
	}
	if resp, err := http.Get(url + "/healthz"); err == nil {
		resp.Body.Close()
		t.Errorf("GET /healthz after Close() succeeded, want a connection error")
	}
}

func TestCloseAfterFailedRun(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"
	m := NewMain(cfg, slog.New(slog.DiscardHandler))
	if err := m.Run(context.Background()); err == nil {
		t.Errorf("Run() with an unreachable database = nil, want an error")
	}
	if err := m.Close(); err != nil {
		t.Errorf("Close() after a failed Run() = %v, want nil", err)
	}
}

func TestCreateAdmin(t *testing.T) {
	dbURL := sqlstore.TestURL(t)
	args := []string{"user", "create-admin", "--database-url", dbURL,
		"--email", "Root@Example.com", "--first-name", "Rita", "--last-name", "Root"}
	var out, errOut bytes.Buffer
	if err := run(args, noEnv, &out, &errOut); err != nil {
		t.Fatalf("run(%q) = %v; stderr:\n%s", args, err, errOut.String())
	}
	if !strings.Contains(out.String(), "Administrator root@example.com created.") ||
		!strings.Contains(out.String(), "Temporary password: ") {
		t.Errorf("run(%q) printed %q, want the address and a temporary password", args, out.String())
	}
	if err := run(args, noEnv, io.Discard, io.Discard); err == nil {
		t.Errorf("run(%q) a second time = nil, want an error for the taken address", args)
	}
}

func TestRunUsage(t *testing.T) {
	for _, tt := range []struct {
		name      string
		args      []string
		wantUsage bool   // a usageError, exit status 2
		wantOut   string // on stdout
	}{
		{name: "no command", args: nil, wantUsage: true},
		{name: "unknown command", args: []string{"frobnicate"}, wantUsage: true},
		{name: "user without subcommand", args: []string{"user"}, wantUsage: true},
		{name: "create-admin without e-mail", args: []string{"user", "create-admin", "--first-name", "A", "--last-name", "B"}, wantUsage: true},
		{name: "bad flag", args: []string{"serve", "--no-such-flag"}, wantUsage: true},
		{name: "invalid configuration", args: []string{"migrate", "--smtp-tls", "maybe"}, wantUsage: true},
		{name: "version", args: []string{"version"}, wantOut: "enlace dev"},
		{name: "help", args: []string{"help"}, wantOut: "Usage: enlace"},
		{name: "flag help", args: []string{"serve", "-h"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(tt.args, noEnv, &out, io.Discard)
			var u usageError
			if got := errors.As(err, &u); got != tt.wantUsage {
				t.Errorf("run(%q) = %v, want a usage error: %v", tt.args, err, tt.wantUsage)
			}
			if !tt.wantUsage && err != nil {
				t.Errorf("run(%q) = %v, want nil", tt.args, err)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("run(%q) printed %q, want %q", tt.args, out.String(), tt.wantOut)
			}
		})
	}
}

func noEnv(string) string { return "" }
