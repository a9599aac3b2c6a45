// Package api serves the JSON API under /api/v1: bearer-token
// authentication, strict JSON input, RFC 9457 problem documents and the
// list envelope every collection shares. Handlers only translate between
// HTTP and the domain services, which enforce roles and tenancy.
package api

import (
	"log/slog"
	"net/http"

	"github.com/enlace-portal/enlace/internal/activation"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/licensing"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/reach"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// Prefix is the path every route of this version of the API lives under.
const Prefix = "/api/v1"

// Deps are the services and settings the API needs.
type Deps struct {
	Identity  *identity.Service
	Notify    *notify.Service
	Audit     *audit.Service
	Customers *customer.Service
	Inventory *inventory.Manager
	Contacts  *contact.Service
	Documents *document.Service
	Projects  *activation.Service
	Requests  *servicedesk.Service
	Licences  *licensing.Service
	Numbers   *numbering.Service
	Porting   *porting.Service
	Reach     *reach.Service
	Catalog   *i18n.Catalog
	Logger    *slog.Logger
	// MaxBodyBytes limits request bodies; zero means ops.DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// CarrierSecret is the secret the carrier gateway signs its webhooks
	// with; empty leaves the carrier's callback unserved.
	CarrierSecret string
}

// API is the /api/v1 HTTP handler.
type API struct {
	Deps
	mux *http.ServeMux
}

// New returns the API with every route of the route table registered.
func New(d Deps) *API {
	if d.MaxBodyBytes <= 0 {
		d.MaxBodyBytes = ops.DefaultMaxBodyBytes
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	a := &API{Deps: d, mux: http.NewServeMux()}
	a.Register(a.mux)
	return a
}

// Register adds every route of the route table to the program's mux.
// Registering on the one mux, rather than mounting a mux of our own, keeps
// each request's route pattern visible to the access log and the metrics.
func (a *API) Register(mux *http.ServeMux) {
	for _, rt := range routes {
		mux.Handle(rt.pattern(), a.serve(rt))
	}
	// Anything else under /api/ gets a problem document too, so that
	// clients parse one error format.
	mux.HandleFunc(fallbackPattern, a.unmatched)
}

// Handler returns the API on a mux of its own, for tests and tools.
func (a *API) Handler() http.Handler { return a.mux }

// handlerFunc is a handler that leaves its failure to the caller, which
// renders it as one problem document.
type handlerFunc func(*API, http.ResponseWriter, *http.Request) error

// serve wraps a route's handler: authenticate, refuse unknown query
// parameters, run, and render any error.
func (a *API) serve(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var err error
		if !rt.public {
			r, err = a.authenticate(w, r)
		}
		if err == nil {
			err = checkQuery(r, rt.query)
		}
		if err == nil {
			err = rt.handle(a, w, r)
		}
		if err != nil {
			a.fail(w, r, err)
		}
	})
}

const fallbackPattern = "/api/"

// unmatched answers requests no route matched: 405 with Allow when the
// path exists for other methods, 404 otherwise.
func (a *API) unmatched(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range methods() {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := a.mux.Handler(probe); pattern != fallbackPattern {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		a.fail(w, r, plain(http.StatusNotFound, "api.route_not_found"))
		return
	}
	w.Header()["Allow"] = allow
	a.fail(w, r, plain(http.StatusMethodNotAllowed, "api.method_not_allowed", "Method", r.Method))
}
