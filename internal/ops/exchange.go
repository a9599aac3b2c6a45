package ops

import (
	"context"
	"net/http"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// exchange is what the outer middleware learns only after the handler ran:
// who the request turned out to be from, and which request value finally
// reached a ServeMux. It travels in the context as a pointer so that the
// inner handlers can fill it in.
type exchange struct {
	actor *enlace.Actor
	// req is the last request derived by WithActor. A mux sets Pattern on
	// the request it is given, which is a copy once middleware has called
	// WithContext, so the outer middleware reads the pattern from here.
	req *http.Request
}

type exchangeKey struct{}

// track returns r carrying an exchange, reusing the one an outer
// middleware already put there.
func track(r *http.Request) (*http.Request, *exchange) {
	if x, ok := r.Context().Value(exchangeKey{}).(*exchange); ok {
		return r, x
	}
	x := &exchange{}
	return r.WithContext(context.WithValue(r.Context(), exchangeKey{}, x)), x
}

// route returns the pattern that matched r, "unmatched" when none did.
func (x *exchange) route(r *http.Request) string {
	if x.req != nil && x.req.Pattern != "" {
		return x.req.Pattern
	}
	if r.Pattern != "" {
		return r.Pattern
	}
	return "unmatched"
}

// WithActor returns r with a in its context, as enlace.WithActor does, and
// tells the access log who the request is from. Authentication middleware
// calls it once it knows the user; handlers further in should pass the
// returned request on.
func WithActor(r *http.Request, a *enlace.Actor) *http.Request {
	r = r.WithContext(enlace.WithActor(r.Context(), a))
	if x, ok := r.Context().Value(exchangeKey{}).(*exchange); ok {
		x.actor = a
		x.req = r
	}
	return r
}
