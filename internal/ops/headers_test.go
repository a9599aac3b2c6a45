package ops_test

import (
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/ops"
)

func TestSecurityHeaders(t *testing.T) {
	for _, tt := range []struct {
		name          string
		tls           bool
		tlsTerminated bool
		wantHSTS      bool
	}{
		{name: "plain HTTP", wantHSTS: false},
		{name: "TLS connection", tls: true, wantHSTS: true},
		{name: "behind a TLS proxy", tlsTerminated: true, wantHSTS: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := ops.SecurityHeaders(tt.tlsTerminated)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
			r := httptest.NewRequest("GET", "/", nil)
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			for name, want := range map[string]string{
				"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "same-origin",
				"X-Frame-Options":         "DENY",
			} {
				if got := w.Header().Get(name); got != want {
					t.Errorf("header %s = %q, want %q", name, got, want)
				}
			}
			if got := w.Header().Get("Strict-Transport-Security") != ""; got != tt.wantHSTS {
				t.Errorf("Strict-Transport-Security present = %v, want %v", got, tt.wantHSTS)
			}
		})
	}
}

// readAll is a handler that reads the whole body and answers 413 when the
// body limit stops it, as the web and API error mapping will.
func readAll(w http.ResponseWriter, r *http.Request) {
	if _, err := io.ReadAll(r.Body); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, err.Error(), http.StatusBadRequest)
	}
}

func TestLimitBody(t *testing.T) {
	for _, tt := range []struct {
		name    string
		body    string
		chunked bool // hide the length, as a chunked upload does
		want    int
	}{
		{name: "within the limit", body: strings.Repeat("a", 10), want: http.StatusOK},
		{name: "declared length over the limit", body: strings.Repeat("a", 11), want: http.StatusRequestEntityTooLarge},
		{name: "chunked body over the limit", body: strings.Repeat("a", 11), chunked: true, want: http.StatusRequestEntityTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := ops.LimitBody(10)(http.HandlerFunc(readAll))
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			if tt.chunked {
				r.ContentLength = -1
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Errorf("POST %d bytes = %d, want %d", len(tt.body), w.Code, tt.want)
			}
		})
	}
}

func TestLimitBodyDefault(t *testing.T) {
	h := ops.LimitBody(0)(http.HandlerFunc(readAll))
	r := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("a", ops.DefaultMaxBodyBytes+1)))
	r.ContentLength = -1
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("POST 1 MiB + 1 byte = %d, want %d", w.Code, http.StatusRequestEntityTooLarge)
	}
}

func TestCrossOriginProtection(t *testing.T) {
	mux := http.NewServeMux()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	mux.Handle("POST /tickets", ok)
	mux.Handle("POST /api/v1/tickets", ok)
	mux.Handle("POST /tmf-api/troubleTicket/v5/troubleTicket", ok)
	srv := httptest.NewServer(ops.CrossOriginProtection().Handler(mux))
	defer srv.Close()

	for _, tt := range []struct {
		name      string
		path      string
		fetchSite string
		want      int
	}{
		{name: "same-origin form", path: "/tickets", fetchSite: "same-origin", want: http.StatusOK},
		{name: "cross-site form", path: "/tickets", fetchSite: "cross-site", want: http.StatusForbidden},
		{name: "non-browser client", path: "/tickets", want: http.StatusOK},
		{name: "cross-site API", path: "/api/v1/tickets", fetchSite: "cross-site", want: http.StatusOK},
		{name: "cross-site TM Forum API", path: "/tmf-api/troubleTicket/v5/troubleTicket", fetchSite: "cross-site", want: http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest("POST", srv.URL+tt.path, strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			if tt.fetchSite != "" {
				req.Header.Set("Sec-Fetch-Site", tt.fetchSite)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("POST %s with Sec-Fetch-Site %q = %d, want %d", tt.path, tt.fetchSite, resp.StatusCode, tt.want)
			}
		})
	}
}

func TestLimitBodyByRoute(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /upload", readAll)
	mux.HandleFunc("POST /form", readAll)
	h := ops.LimitBodyByRoute(10, mux, map[string]int64{"POST /upload": 100})(mux)
	for _, tt := range []struct {
		path string
		size int
		want int
	}{
		{"/form", 10, http.StatusOK},
		{"/form", 11, http.StatusRequestEntityTooLarge},
		{"/upload", 100, http.StatusOK},
		{"/upload", 101, http.StatusRequestEntityTooLarge},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("POST", tt.path, strings.NewReader(strings.Repeat("x", tt.size))))
		if w.Code != tt.want {
			t.Errorf("POST %s with %d bytes = %d, want %d", tt.path, tt.size, w.Code, tt.want)
		}
	}
}
