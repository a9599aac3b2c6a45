package ops

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// readyTimeout bounds a readiness check; a probe that hangs is worse than
// one that fails.
const readyTimeout = 3 * time.Second

// Mount registers GET /healthz, GET /readyz and GET /metrics on mux.
func Mount(mux *http.ServeMux, ready func(context.Context) error, m *Metrics, logger *slog.Logger) {
	mux.Handle("GET /healthz", Healthz())
	mux.Handle("GET /readyz", Readyz(ready, logger))
	mux.Handle("GET /metrics", m.Handler())
}

// Healthz answers 200 "ok" while the process serves HTTP at all; it
// checks nothing else, so that a database outage does not get every
// replica restarted.
func Healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte("ok\n"))
	})
}

// Readyz answers 200 when ready returns nil, and 503 with the reason as
// JSON otherwise, so that a load balancer sends no traffic to a replica
// whose database is unreachable or not yet migrated.
func Readyz(ready func(context.Context) error, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		body := map[string]string{"status": "ok"}
		status := http.StatusOK
		if err := ready(ctx); err != nil {
			logger.WarnContext(r.Context(), "not ready", "err", err)
			body = map[string]string{"status": "unavailable", "reason": err.Error()}
			status = http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	})
}
