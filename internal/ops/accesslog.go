package ops

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// quietRoutes are polled by load balancers and Prometheus every few
// seconds; logging them at info would drown the requests people make.
var quietRoutes = map[string]bool{
	"GET /healthz": true,
	"GET /readyz":  true,
	"GET /metrics": true,
}

// AccessLog writes one JSON line per request when the response is done,
// with the request id, method, route pattern, status, duration_ms, bytes
// and, when authentication found one, the user and tenant.
func AccessLog(logger *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			r, x := track(r)
			rec := &recorder{ResponseWriter: w}
			next.ServeHTTP(rec, r)

			route := x.route(r)
			level := slog.LevelInfo
			if quietRoutes[route] {
				level = slog.LevelDebug
			}
			attrs := []slog.Attr{
				slog.String("request_id", enlace.OriginFrom(r.Context()).RequestID),
				slog.String("method", r.Method),
				slog.String("route", route),
				slog.Int("status", rec.code()),
				slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
				slog.Int64("bytes", rec.bytes),
			}
			if a := x.actor; a != nil {
				attrs = append(attrs, slog.String("user_id", a.UserID))
				if a.CustomerID != "" {
					attrs = append(attrs, slog.String("tenant_id", a.CustomerID))
				}
			}
			logger.LogAttrs(context.WithoutCancel(r.Context()), level, "request", attrs...)
		})
	}
}

// writePanicResponse answers a request whose handler panicked: API
// clients get a problem document (RFC 9457) like every other API error,
// with the request id to quote; browsers get plain text.
func writePanicResponse(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/api/") && !strings.HasPrefix(r.URL.Path, "/tmf-api/") {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(http.StatusInternalServerError)
	json.NewEncoder(w).Encode(map[string]any{
		"type": "about:blank", "title": http.StatusText(http.StatusInternalServerError),
		"status": http.StatusInternalServerError, "code": enlace.EINTERNAL, "instance": r.URL.Path,
		"requestId": enlace.OriginFrom(r.Context()).RequestID,
	})
}

// Recover turns a panicking handler into a 500 and logs the panic with its
// stack, once. http.ErrAbortHandler is passed on: it is how a handler asks
// the server to drop the connection silently.
func Recover(logger *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				p := recover()
				if p == nil {
					return
				} else if p == http.ErrAbortHandler {
					panic(p)
				}
				logger.ErrorContext(r.Context(), "handler panicked",
					"request_id", enlace.OriginFrom(r.Context()).RequestID,
					"panic", p, "stack", string(debug.Stack()))
				// If the handler already sent its header this changes
				// nothing on the wire, but the log above still tells.
				writePanicResponse(w, r)
			}()
			next.ServeHTTP(w, r)
		})
	}
}
