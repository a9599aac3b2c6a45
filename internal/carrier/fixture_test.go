package carrier_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/carrier/fakecarrier"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/porting"
)

const (
	token  = "tok-gateway"
	secret = "whsec-test"
)

// start is Monday 1 June 2026, 10:00 in Mexico City.
var start = time.Date(2026, 6, 1, 16, 0, 0, 0, time.UTC)

// world is a fake gateway on a fake clock, a client of it over real HTTP,
// and a webhook receiver that checks every signature.
type world struct {
	clock  *enlace.FakeClock
	gw     *fakecarrier.Gateway
	url    string
	client *carrier.Client
	hooks  *receiver
}

func newWorld(t *testing.T, cfg fakecarrier.Config) *world {
	t.Helper()
	w := &world{clock: enlace.NewFakeClock(start)}
	w.hooks = newReceiver(t, w.clock)
	cfg.Token, cfg.WebhookURL, cfg.WebhookSecret, cfg.AnswerAfter = token, w.hooks.url, secret, 2*time.Hour
	w.gw = fakecarrier.New(w.clock, cfg)
	srv := httptest.NewServer(w.gw)
	t.Cleanup(srv.Close)
	w.url = srv.URL
	w.client = carrier.New(carrier.Config{BaseURL: srv.URL, Token: token})
	return w
}

// tick moves the clock by d and lets the gateway emit and deliver.
func (w *world) tick(t *testing.T, d time.Duration) {
	t.Helper()
	w.clock.Advance(d)
	if err := w.gw.Tick(context.Background()); err != nil {
		t.Fatalf("Tick() = %v", err)
	}
}

// mustSubmit submits s and returns the carrier's reference.
func (w *world) mustSubmit(t *testing.T, s porting.Submission) string {
	t.Helper()
	r, err := w.client.Submit(context.Background(), s)
	if err != nil {
		t.Fatalf("Submit(%s) = %v", s.Key, err)
	}
	return r.CarrierRef
}

// mustEvents polls every event of an order.
func (w *world) mustEvents(t *testing.T, ref string) []porting.Event {
	t.Helper()
	evs, err := w.client.Events(context.Background(), ref, "")
	if err != nil {
		t.Fatalf("Events(%s) = %v", ref, err)
	}
	return evs
}

// receiver is a webhook endpoint that keeps what it received.
type receiver struct {
	url string

	mu     sync.Mutex
	events []porting.Event
	fail   int // answer 500 to that many next deliveries
}

func newReceiver(t *testing.T, clock enlace.Clock) *receiver {
	t.Helper()
	h := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ev, err := carrier.ParseWebhook(secret, body, r.Header.Get(carrier.SignatureHeader), clock.Now())
		if err != nil {
			t.Errorf("ParseWebhook(%s) = %v", body, err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.fail > 0 {
			h.fail--
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		h.events = append(h.events, ev)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	h.url = srv.URL
	return h
}

// take returns what was received since the last take.
func (h *receiver) take() []porting.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	evs := h.events
	h.events = nil
	return evs
}

// submission is a signed order of numbers at one current carrier.
func submission(key, orderID, accountName, requested string, numbers ...string) porting.Submission {
	pdf := []byte("%PDF-1.7\nsigned LOA of " + orderID)
	sum := sha256.Sum256(pdf)
	date, err := carrier.ParseDate(requested)
	if err != nil {
		panic(err)
	}
	s := porting.Submission{Key: key, OrderID: orderID, RequestedDate: date.UTC(), AccountName: accountName,
		Address: "Av. Paseo de la Reforma 222, Juárez, Cuauhtémoc, 06600 Ciudad de México", LOA: pdf, LOASHA256: hex.EncodeToString(sum[:])}
	for _, n := range numbers {
		s.Numbers = append(s.Numbers, porting.Line{E164: n, Carrier: "Telmex", AccountNumber: "5550001111"})
	}
	return s
}

// kinds returns the events' kinds in order.
func kinds(evs []porting.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Kind
	}
	return out
}

func date(s string) *time.Time {
	t, err := carrier.ParseDate(s)
	if err != nil {
		panic(err)
	}
	t = t.UTC()
	return &t
}

// cmpIgnoreIDs compares events without the carrier's event ids and payloads.
var cmpIgnoreIDs = cmp.Transformer("noIDs", func(e porting.Event) porting.Event {
	e.ID, e.Payload = "", ""
	return e
})
