package ops

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// RequestIDHeader carries the request id in both directions.
const RequestIDHeader = "X-Request-ID"

// RequestID gives every request an id and a client address, stored with
// enlace.WithOrigin and echoed in the X-Request-ID response header. An
// incoming id is kept when it looks sane, so that a proxy's id follows the
// request through our logs; anything else is replaced. With trustProxy the
// client address is the one X-Forwarded-For names, otherwise the peer's.
func RequestID(trustProxy bool) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get(RequestIDHeader)
			if !saneRequestID(id) {
				id = enlace.NewSecret(12)
			}
			w.Header().Set(RequestIDHeader, id)
			origin := enlace.RequestOrigin{IP: ClientIP(r, trustProxy), RequestID: id}
			next.ServeHTTP(w, r.WithContext(enlace.WithOrigin(r.Context(), origin)))
		})
	}
}

// saneRequestID accepts 1 to 128 characters that cannot break a log line
// or a header.
func saneRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.ContainsRune("-_.:", c)
		if !ok {
			return false
		}
	}
	return true
}

// ClientIP returns the address of the client that sent r. Behind a trusted
// proxy it is the last valid address of X-Forwarded-For: the one our proxy
// appended. Earlier entries come from the client and can be forged.
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			if ip, err := netip.ParseAddr(strings.TrimSpace(hops[i])); err == nil {
				return ip.Unmap().String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
