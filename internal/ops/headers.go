package ops

import (
	"net/http"
)

// ContentSecurityPolicy allows only our own scripts, styles, images (and
// data: images) and forms, and forbids framing: no inline script or style.
const ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; " +
	"script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// SecurityHeaders sets the headers every response carries. HSTS is sent
// only over TLS, or when tlsTerminated says a proxy terminates it, because
// browsers ignore it on plain HTTP and a developer on http://127.0.0.1
// must not be pinned to HTTPS.
func SecurityHeaders(tlsTerminated bool) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", ContentSecurityPolicy)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("X-Frame-Options", "DENY")
			if r.TLS != nil || tlsTerminated {
				// One year; no includeSubDomains, since other hosts of the
				// provider's domain are not ours to pin.
				h.Set("Strict-Transport-Security", "max-age=31536000")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// LimitBody caps request bodies at n bytes (DefaultMaxBodyBytes when n is
// zero or less). A longer body fails the handler's read with an
// *http.MaxBytesError, which the handler answers with 413 in its own
// format — a localized page, or a problem document — and the connection
// closes.
func LimitBody(n int64) Middleware {
	return limitBody(func(*http.Request) int64 { return n })
}

// LimitBodyByRoute is LimitBody with larger limits for the routes that take
// files, by ServeMux pattern ("POST /imports"). It asks mux which pattern a
// request will match before any handler runs, so an upload route gets its
// own ceiling while every other route keeps the small default.
func LimitBodyByRoute(n int64, mux *http.ServeMux, limits map[string]int64) Middleware {
	return limitBody(func(r *http.Request) int64 {
		if _, pattern := mux.Handler(r); limits[pattern] > 0 {
			return limits[pattern]
		}
		return n
	})
}

func limitBody(limitFor func(*http.Request) int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil && r.Body != http.NoBody {
				n := limitFor(r)
				if n <= 0 {
					n = DefaultMaxBodyBytes
				}
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// CrossOriginProtection returns the protection the web package wraps its
// mux with: unsafe requests (POST, PUT, DELETE, …) that a browser marks as
// cross-site get 403. The JSON APIs under /api/ and /tmf-api/ are exempt:
// they authenticate with bearer tokens, which a browser never adds on its
// own, and their clients send no Origin.
func CrossOriginProtection() *http.CrossOriginProtection {
	p := http.NewCrossOriginProtection()
	p.AddInsecureBypassPattern("/api/")
	p.AddInsecureBypassPattern("/tmf-api/")
	return p
}
