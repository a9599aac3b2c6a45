// Package ops is the HTTP plumbing the web pages and the JSON API share:
// request ids, access logs, panic recovery, security headers, body limits,
// cross-origin protection, Prometheus metrics and the health endpoints.
package ops

import (
	"log/slog"
	"net/http"
)

// DefaultMaxBodyBytes is the request body limit when none is configured.
const DefaultMaxBodyBytes = 1 << 20

// Middleware wraps a handler with behaviour of its own.
type Middleware func(http.Handler) http.Handler

// Chain wraps h in mw; the first middleware is the outermost, so it sees
// the request first and the response last.
func Chain(h http.Handler, mw ...Middleware) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// Options configures the middleware stack Wrap builds.
type Options struct {
	// Logger receives the access log and recovered panics.
	Logger *slog.Logger
	// Metrics counts and times requests; nil leaves them uncounted.
	Metrics *Metrics
	// TrustProxy takes the client address from X-Forwarded-For.
	TrustProxy bool
	// TLSTerminated says clients reach us over HTTPS even when the
	// connection from the proxy is plain HTTP.
	TLSTerminated bool
	// MaxBodyBytes limits request bodies; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// BodyLimits raises the limit of the routes that take files, by the
	// pattern Routes matches (see LimitBodyByRoute).
	BodyLimits map[string]int64
	Routes     *http.ServeMux
}

func limitBodies(o Options) Middleware {
	if o.Routes == nil || len(o.BodyLimits) == 0 {
		return LimitBody(o.MaxBodyBytes)
	}
	return LimitBodyByRoute(o.MaxBodyBytes, o.Routes, o.BodyLimits)
}

// Wrap returns h behind the standard middleware stack, outermost first:
// request id, metrics, access log, panic recovery, security headers and the
// body limit. Recovery sits inside the log and metrics so that a panic is
// counted and logged as the 500 the client receives.
func Wrap(h http.Handler, o Options) http.Handler {
	mw := []Middleware{RequestID(o.TrustProxy)}
	if o.Metrics != nil {
		mw = append(mw, o.Metrics.Instrument)
	}
	mw = append(mw,
		AccessLog(o.Logger),
		Recover(o.Logger),
		SecurityHeaders(o.TLSTerminated),
		limitBodies(o),
	)
	return Chain(h, mw...)
}
