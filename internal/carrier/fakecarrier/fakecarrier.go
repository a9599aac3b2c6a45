// Package fakecarrier is a carrier's number portability gateway that lives
// in memory, for tests and the demo. It speaks the contract of
// docs/carrier.md like a real gateway, answers on a clock (a FakeClock in
// tests), posts its events by signed webhook and serves them for polling,
// and fails on demand: refused, slow and repeated answers, duplicated and
// reordered webhooks.
//
// Its carrier answers by the order's content: a number ending in 9999 is
// not on the current carrier's CSR and is rejected (all of them: the
// order is rejected); an account name containing EXCEPCION gets an
// exception on its first submission; everything else is accepted for the
// requested date or the fifth working day after receipt, whichever is
// later, and ports at 10:00 Mexico City time that day.
package fakecarrier

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// Config sets up a Gateway.
type Config struct {
	// Token is the bearer token every request must carry; empty accepts
	// any request.
	Token string
	// WebhookURL receives the events, signed with WebhookSecret; empty
	// means polling only.
	WebhookURL    string
	WebhookSecret string
	// AnswerAfter is how long after receipt the carrier answers; default
	// 2 hours.
	AnswerAfter time.Duration
	// Calendar counts the carrier's working days; default Mexico City
	// with the Mexican federal holidays.
	Calendar *schedule.Calendar
	// HTTPClient posts the webhooks; default one with a 10-second timeout.
	HTTPClient *http.Client
	// DuplicateWebhooks delivers every event twice; ReorderWebhooks
	// delivers each batch of due events newest first.
	DuplicateWebhooks bool
	ReorderWebhooks   bool
}

// Gateway is the fake gateway, an http.Handler. Tick moves it: it emits
// the events due on its clock and delivers them.
type Gateway struct {
	cfg   Config
	clock enlace.Clock
	mux   *http.ServeMux

	ticking sync.Mutex // one Tick at a time, so a delivery is not made twice

	mu     sync.Mutex
	orders []*order
	byID   map[string]*order
	keys   map[string]submitted // by idempotency key
	due    []scheduled          // by time
	outbox []delivery           // in the order emitted
	// Failure knobs: how many of the next requests fail or hang.
	failSubmits, hangSubmits, failEvents int
}

// Statuses of an order at the carrier: the kind of its latest event, or
// cancelled.
const statusCancelled = "cancelled"

// order is a port order as the carrier keeps it.
type order struct {
	id          string
	req         carrier.OrderRequest
	status      string
	submissions int
	receivedAt  time.Time
	focDate     schedule.Date
	answers     []porting.EventNumber
	events      []emitted
}

// emitted is an event as it was written, for polling.
type emitted struct {
	id   string
	body []byte
}

// submitted is what an idempotency key was used for.
type submitted struct {
	orderID     string
	fingerprint [sha256.Size]byte
}

// scheduled is an answer or a port due at a time.
type scheduled struct {
	at      time.Time
	orderID string
	what    string // dueAnswer or duePort
}

// What a scheduled item does.
const (
	dueAnswer = "answer"
	duePort   = "port"
)

// delivery is an event waiting for its webhook.
type delivery struct {
	body     []byte
	attempts int
	next     time.Time
}

// New returns a gateway on clock.
func New(clock enlace.Clock, cfg Config) *Gateway {
	if cfg.AnswerAfter <= 0 {
		cfg.AnswerAfter = 2 * time.Hour
	}
	if cfg.Calendar == nil {
		cal, err := schedule.New(schedule.Config{})
		if err != nil {
			panic(err) // the default calendar is valid, and carrier embeds its zone
		}
		cfg.Calendar = cal
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	g := &Gateway{cfg: cfg, clock: clock, mux: http.NewServeMux(), byID: map[string]*order{}, keys: map[string]submitted{}}
	g.mux.HandleFunc("POST /v1/port-orders", g.submit)
	g.mux.HandleFunc("GET /v1/port-orders/{id}/events", g.events)
	g.mux.HandleFunc("POST /v1/port-orders/{id}/cancel", g.cancel)
	return g
}

// ServeHTTP serves the gateway's API to holders of the token.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.cfg.Token != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+g.cfg.Token)) != 1 {
		problem(w, http.StatusUnauthorized, "unauthorized", "Token de acceso inválido")
		return
	}
	g.mux.ServeHTTP(w, r)
}

// FailSubmits makes the next n submissions fail with 503 before the
// carrier sees them.
func (g *Gateway) FailSubmits(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failSubmits = n
}

// HangSubmits makes the next n submissions take the order and then hold
// the answer until the client hangs up (or a minute passes): the carrier
// has the order though the client saw a timeout.
func (g *Gateway) HangSubmits(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.hangSubmits = n
}

// FailEvents makes the next n event requests fail with 503.
func (g *Gateway) FailEvents(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failEvents = n
}

// Order is an order as the carrier sees it, for tests to inspect.
type Order struct {
	ID        string
	Reference string
	// Status is received, accepted, exception, rejected, ported or
	// cancelled.
	Status      string
	Submissions int
	// FOCDate is the committed date once accepted (YYYY-MM-DD).
	FOCDate string
}

// Orders returns the carrier's orders in the order received.
func (g *Gateway) Orders() []Order {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]Order, len(g.orders))
	for i, o := range g.orders {
		out[i] = Order{ID: o.id, Reference: o.req.Reference, Status: o.status, Submissions: o.submissions}
		if !o.focDate.IsZero() {
			out[i].FOCDate = o.focDate.String()
		}
	}
	return out
}

// openOrder returns the order of a reference that a new submission
// amends: one not yet ported, rejected or cancelled; nil when there is
// none and the submission starts a new order.
func (g *Gateway) openOrder(reference string) *order {
	for _, o := range g.orders {
		if o.req.Reference == reference && o.status != porting.EventPorted && o.status != porting.EventRejected &&
			o.status != statusCancelled {
			return o
		}
	}
	return nil
}

// emit records an event of o at the carrier's time at: for polling, and
// for the webhook when there is one.
func (g *Gateway) emit(o *order, at time.Time, e carrier.Event) {
	e.ID, e.Reference, e.OrderID, e.OccurredAt = "ev_"+enlace.NewID(), o.req.Reference, o.id, at
	body, err := json.Marshal(e)
	if err != nil {
		panic(err) // an Event always encodes
	}
	o.status = e.Kind
	o.events = append(o.events, emitted{id: e.ID, body: body})
	if g.cfg.WebhookURL != "" {
		g.outbox = append(g.outbox, delivery{body: body})
	}
}

// schedule plans an answer or a port of an order.
func (g *Gateway) schedule(at time.Time, orderID, what string) {
	g.due = append(g.due, scheduled{at: at, orderID: orderID, what: what})
	slices.SortStableFunc(g.due, func(a, b scheduled) int { return a.at.Compare(b.at) })
}

// unschedule drops what was planned for an order that was amended or
// cancelled.
func (g *Gateway) unschedule(orderID string) {
	g.due = slices.DeleteFunc(g.due, func(s scheduled) bool { return s.orderID == orderID })
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func problem(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, carrier.Problem{Code: code, Message: message})
}
