package fakecarrier

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// maxOrder bounds a submission's body: a signed LOA is a few hundred KiB.
const maxOrder = 20 << 20

// unavailable is the answer of a gateway failing on demand.
var unavailable = carrier.Problem{Code: "unavailable", Message: "Servicio no disponible; intente más tarde"}

// hangCap bounds how long a hung submission holds a client that does not
// hang up.
const hangCap = time.Minute

// submit takes a port order: a key seen before answers what it answered
// then (or 422 for another body under it); a new key for a reference
// whose order is still open amends that order, otherwise a new order
// starts.
func (g *Gateway) submit(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		problem(w, http.StatusBadRequest, "missing_idempotency_key", "Falta el encabezado Idempotency-Key")
		return
	}
	var req carrier.OrderRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxOrder)).Decode(&req); err != nil {
		problem(w, http.StatusBadRequest, "malformed", "El cuerpo no es una orden en JSON válido")
		return
	}
	g.mu.Lock()
	if g.failSubmits > 0 {
		g.failSubmits--
		g.mu.Unlock()
		writeJSON(w, http.StatusServiceUnavailable, unavailable)
		return
	}
	hang := g.hangSubmits > 0
	if hang {
		g.hangSubmits--
	}
	status, answer := g.take(key, req)
	g.mu.Unlock()
	if hang {
		// Reading the body to its end lets the server notice the client
		// hanging up, which ends the request's context.
		_, _ = io.Copy(io.Discard, r.Body)
		t := time.NewTimer(hangCap)
		select {
		case <-r.Context().Done():
		case <-t.C:
		}
		t.Stop()
	}
	writeJSON(w, status, answer)
}

// take records a submission; the caller holds g.mu.
func (g *Gateway) take(key string, req carrier.OrderRequest) (int, any) {
	fp := fingerprint(req)
	if k, ok := g.keys[key]; ok {
		if k.fingerprint != fp {
			return http.StatusUnprocessableEntity, carrier.Problem{Code: "idempotency_key_reused",
				Message: "La clave de idempotencia ya se usó con otra solicitud"}
		}
		return http.StatusOK, response(g.byID[k.orderID])
	}
	if msg := check(req); msg != "" {
		return http.StatusUnprocessableEntity, carrier.Problem{Code: "invalid_order", Message: msg}
	}
	now := g.clock.Now()
	status, o := http.StatusOK, g.openOrder(req.Reference)
	if o == nil {
		status, o = http.StatusCreated, &order{id: "po_" + enlace.NewID()}
		g.orders = append(g.orders, o)
		g.byID[o.id] = o
	}
	o.req, o.receivedAt, o.answers, o.focDate = req, now, nil, schedule.Date{}
	o.submissions++
	g.keys[key] = submitted{orderID: o.id, fingerprint: fp}
	g.unschedule(o.id)
	g.emit(o, now, carrier.Event{Kind: porting.EventReceived})
	g.schedule(now.Add(g.cfg.AnswerAfter), o.id, dueAnswer)
	return status, response(o)
}

func response(o *order) carrier.OrderResponse {
	return carrier.OrderResponse{ID: o.id, Reference: o.req.Reference, Status: o.status}
}

// fingerprint identifies a submission's content whatever its JSON's
// spacing, so that a retry of the same request matches.
func fingerprint(req carrier.OrderRequest) [sha256.Size]byte {
	b, _ := json.Marshal(req)
	return sha256.Sum256(b)
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// check returns what the carrier refuses in a submission, in its words,
// or "".
func check(req carrier.OrderRequest) string {
	switch {
	case strings.TrimSpace(req.Reference) == "":
		return "Falta la referencia de la orden"
	case strings.TrimSpace(req.AccountName) == "":
		return "Falta el nombre del titular de la cuenta"
	case strings.TrimSpace(req.ServiceAddress) == "":
		return "Falta el domicilio del servicio"
	case len(req.Numbers) == 0:
		return "La orden no incluye números"
	case !bytes.HasPrefix(req.LOA.PDF, []byte("%PDF-")):
		return "La carta de autorización no es un PDF"
	}
	if _, err := carrier.ParseDate(req.RequestedDate); err != nil {
		return "La fecha solicitada no es una fecha AAAA-MM-DD"
	}
	if sum := sha256.Sum256(req.LOA.PDF); !strings.EqualFold(hex.EncodeToString(sum[:]), req.LOA.SHA256) {
		return "La huella SHA-256 no corresponde a la carta de autorización"
	}
	seen := map[string]bool{}
	for _, n := range req.Numbers {
		switch {
		case !e164.MatchString(n.Number):
			return "El número " + n.Number + " no está en formato E.164"
		case seen[n.Number]:
			return "El número " + n.Number + " aparece dos veces"
		case strings.TrimSpace(n.Carrier) == "":
			return "Falta el operador actual del número " + n.Number
		}
		seen[n.Number] = true
	}
	return ""
}

// events serves an order's events after the one named by "after".
func (g *Gateway) events(w http.ResponseWriter, r *http.Request) {
	status, answer := g.eventsAfter(r.PathValue("id"), r.URL.Query().Get("after"))
	writeJSON(w, status, answer)
}

func (g *Gateway) eventsAfter(id, after string) (int, any) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.failEvents > 0 {
		g.failEvents--
		return http.StatusServiceUnavailable, unavailable
	}
	o := g.byID[id]
	if o == nil {
		return http.StatusNotFound, carrier.Problem{Code: "not_found", Message: "No existe la orden " + id}
	}
	from := 0
	if after != "" {
		i := slices.IndexFunc(o.events, func(e emitted) bool { return e.id == after })
		if i < 0 {
			return http.StatusBadRequest, carrier.Problem{Code: "unknown_event", Message: "La orden no tiene el evento " + after}
		}
		from = i + 1
	}
	list := carrier.EventList{Events: []json.RawMessage{}}
	for _, e := range o.events[from:] {
		list.Events = append(list.Events, e.body)
	}
	return http.StatusOK, list
}

// cancel withdraws an order: again is no error, after the port it is too
// late.
func (g *Gateway) cancel(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Idempotency-Key") == "" {
		problem(w, http.StatusBadRequest, "missing_idempotency_key", "Falta el encabezado Idempotency-Key")
		return
	}
	status, answer := g.withdraw(r.PathValue("id"))
	writeJSON(w, status, answer)
}

func (g *Gateway) withdraw(id string) (int, any) {
	g.mu.Lock()
	defer g.mu.Unlock()
	o := g.byID[id]
	switch {
	case o == nil:
		return http.StatusNotFound, carrier.Problem{Code: "not_found", Message: "No existe la orden " + id}
	case o.status == porting.EventPorted:
		return http.StatusConflict, carrier.Problem{Code: "already_ported", Message: "Los números ya se portaron; la orden no puede cancelarse"}
	case o.status != porting.EventRejected:
		o.status = statusCancelled
		g.unschedule(o.id)
	}
	return http.StatusOK, response(o)
}
