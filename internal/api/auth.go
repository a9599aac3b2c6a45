package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/ops"
)

type principalKey struct{}

// authenticate resolves the bearer token of r and returns r carrying the
// actor, for the services, and the principal, for /me. The API never looks
// at the session cookie: a browser adds that on its own to cross-site
// requests, which is why the API can skip cross-origin protection.
func (a *API) authenticate(w http.ResponseWriter, r *http.Request) (*http.Request, error) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return r, enlace.Errorf(enlace.EUNAUTHORIZED, "api.token_invalid")
	}
	p, err := a.Identity.AuthenticateToken(r.Context(), token)
	if err != nil {
		if enlace.ErrorCode(err) == enlace.EUNAUTHORIZED {
			// RFC 6750: tell the client its token, not its request, is at fault.
			w.Header().Set("WWW-Authenticate", `Bearer realm="enlace", error="invalid_token"`)
		}
		return r, err
	}
	r = ops.WithActor(r, p.Actor)
	return r.WithContext(context.WithValue(r.Context(), principalKey{}, p)), nil
}

// principalFrom returns the principal authenticate stored.
func principalFrom(ctx context.Context) *identity.Principal {
	p, _ := ctx.Value(principalKey{}).(*identity.Principal)
	return p
}

// localizer returns the translator for the language the client asks for,
// falling back to the signed-in user's own.
func (a *API) localizer(r *http.Request) *i18n.Localizer {
	var locale string
	if act := enlace.ActorFrom(r.Context()); act != nil {
		locale = act.Locale
	}
	return a.Catalog.Localizer(a.Catalog.Match(r.Header.Get("Accept-Language"), locale))
}
