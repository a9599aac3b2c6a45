package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/ops"
)

// carrierRoutes serve the carrier gateway's webhook. It takes no bearer
// token: each delivery is signed with the secret the provider shares with
// the carrier (docs/carrier.md), and the signature is what authenticates
// it.
var carrierRoutes = []route{
	{method: "POST", path: "/carrier/events", public: true, handle: (*API).carrierEvent},
}

// Body limit of a carrier event, and its route, for BodyLimits: an event
// is small, whatever the limit of the rest of the API.
const (
	maxCarrierBody       = 1 << 20
	carrierEventsPattern = "POST " + Prefix + "/carrier/events"
)

// carrierBodyLimits are the body limits of the carrier's routes, for
// BodyLimits.
func (a *API) carrierBodyLimits() map[string]int64 {
	if a.Porting == nil || a.CarrierSecret == "" {
		return nil
	}
	return map[string]int64{carrierEventsPattern: maxCarrierBody}
}

// carrierActor is who the carrier's events act as: no user and no role,
// named in the audit log as the carrier.
var carrierActor = &enlace.Actor{Email: "carrier", Name: "carrier gateway"}

// carrierSignatureChallenge is the WWW-Authenticate of a refused
// delivery: the signature header, not a bearer token, authenticates it.
const carrierSignatureChallenge = `Signature realm="enlace", header="` + carrier.SignatureHeader + `"`

// carrierAckJSON acknowledges a delivery: the event is applied, was
// applied before, or is kept until the order can take it.
type carrierAckJSON struct {
	EventID string `json:"eventId"`
	OrderID string `json:"orderId"`
}

// carrierEvent takes an event the carrier gateway posts: a bad or stale
// signature is 401, a body that is not an event 400, an event of an
// unknown order 404. The same event delivered twice answers 200 both
// times and is applied once. Without a secret configured the endpoint
// does not exist.
func (a *API) carrierEvent(w http.ResponseWriter, r *http.Request) error {
	if a.Porting == nil || a.CarrierSecret == "" {
		return plain(http.StatusNotFound, "api.route_not_found")
	}
	tooLarge := plain(http.StatusRequestEntityTooLarge, "api.body_too_large", "Limit", maxCarrierBody)
	if r.ContentLength > maxCarrierBody {
		return tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCarrierBody))
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		return tooLarge
	} else if err != nil {
		return err
	}
	ev, err := carrier.ParseWebhook(a.CarrierSecret, body, r.Header.Get(carrier.SignatureHeader), a.Porting.Now())
	if err != nil {
		switch e := enlace.AsError(err); e.Code {
		case enlace.EUNAUTHORIZED:
			w.Header().Set("WWW-Authenticate", carrierSignatureChallenge)
		case enlace.EINVALID:
			return badInput(e)
		}
		return err
	}
	r = ops.WithActor(r, carrierActor)
	if err := a.Porting.CarrierEvent(r.Context(), ev); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, carrierAckJSON{EventID: ev.ID, OrderID: ev.OrderID})
}
