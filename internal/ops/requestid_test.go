package ops_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/ops"
)

func TestRequestID(t *testing.T) {
	for _, tt := range []struct {
		name       string
		incoming   string
		trustProxy bool
		xff        []string
		wantID     string // empty: a generated one
		wantIP     string
	}{
		{name: "generated", wantIP: "192.0.2.1"},
		{name: "sane incoming id kept", incoming: "lb-7f3a.42:x_1", wantID: "lb-7f3a.42:x_1", wantIP: "192.0.2.1"},
		{name: "id with spaces replaced", incoming: "a b", wantIP: "192.0.2.1"},
		{name: "overlong id replaced", incoming: strings.Repeat("a", 129), wantIP: "192.0.2.1"},
		{name: "forwarded-for ignored without trust", xff: []string{"203.0.113.9"}, wantIP: "192.0.2.1"},
		{name: "trusted proxy's last hop", trustProxy: true, xff: []string{"10.9.9.9, 203.0.113.9"}, wantIP: "203.0.113.9"},
		{name: "several headers joined", trustProxy: true, xff: []string{"10.9.9.9", "2001:db8::1"}, wantIP: "2001:db8::1"},
		{name: "garbage after the address skipped", trustProxy: true, xff: []string{"203.0.113.9, unknown"}, wantIP: "203.0.113.9"},
		{name: "no forwarded-for behind proxy", trustProxy: true, wantIP: "192.0.2.1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got enlace.RequestOrigin
			h := ops.RequestID(tt.trustProxy)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = enlace.OriginFrom(r.Context())
			}))
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = "192.0.2.1:53211"
			if tt.incoming != "" {
				r.Header.Set("X-Request-ID", tt.incoming)
			}
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)

			if tt.wantID != "" && got.RequestID != tt.wantID {
				t.Errorf("request id = %q, want %q", got.RequestID, tt.wantID)
			}
			if got.RequestID == "" || got.RequestID == tt.incoming && tt.wantID == "" {
				t.Errorf("request id = %q, want a generated one", got.RequestID)
			}
			if h := w.Header().Get("X-Request-ID"); h != got.RequestID {
				t.Errorf("X-Request-ID response header = %q, want %q", h, got.RequestID)
			}
			if got.IP != tt.wantIP {
				t.Errorf("client IP = %q, want %q", got.IP, tt.wantIP)
			}
		})
	}
}
