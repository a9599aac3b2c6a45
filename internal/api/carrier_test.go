package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/porting"
)

// TestCarrierWebhook delivers events to the carrier's webhook: a signed
// event applies, the same event again answers 200 and applies nothing, a
// body changed after signing, a signature too old or missing are 401, a
// body that is no event 400, an unknown order 404, a body over 1 MiB 413.
// Refused deliveries change nothing.
func TestCarrierWebhook(t *testing.T) {
	f := newNumberFixture(t)
	o := f.submitted(f.aOrder, f.a)
	received := f.event("ev-received", o.ID, porting.EventReceived)
	body, err := json.Marshal(received)
	must(t, err)
	f.deliverOK(received)
	v := f.portOrder(staffPM, o.ID)
	if v.CarrierRef != received.OrderID || len(v.Events) != 1 || !v.Events[0].Applied {
		t.Fatalf("after the event: carrier ref %q, events %+v", v.CarrierRef, v.Events)
	}
	var actor string
	must(t, f.db.QueryRow(`SELECT actor_email FROM audit_log WHERE action = 'port_order.carrier_received'`).Scan(&actor))
	if actor != carrierActor.Email {
		t.Errorf("audited as %q, want %q", actor, carrierActor.Email)
	}

	before := f.portState()
	f.deliverOK(received)
	if diff := cmp.Diff(before, f.portState()); diff != "" {
		t.Errorf("the same event twice changed the data (-before +after):\n%s", diff)
	}

	post := func(b string, h http.Header) call {
		return call{method: "POST", path: "/carrier/events", body: b, header: h}
	}
	now := f.clock.Now()
	tampered := strings.Replace(string(body), porting.EventReceived, porting.EventRejected, 1)
	unknown := f.event("ev-unknown", "nope", porting.EventReceived)
	unknownBody, err := json.Marshal(unknown)
	must(t, err)
	badKind := strings.Replace(string(body), `"received"`, `"teleported"`, 1)
	huge := `{"id":"x","reason":"` + strings.Repeat("x", maxCarrierBody) + `"}`
	tests := []struct {
		name   string
		c      call
		status int
	}{
		{"body changed after signing", post(tampered, signed(body, now)), 401},
		{"signature too old", post(string(body), signed(body, now.Add(-carrier.SignatureTolerance-time.Second))), 401},
		{"signature from the future", post(string(body), signed(body, now.Add(carrier.SignatureTolerance+time.Second))), 401},
		{"another secret", post(string(body), http.Header{carrier.SignatureHeader: {carrier.Sign("otro", body, now)}}), 401},
		{"no signature", post(string(body), nil), 401},
		{"a token instead of a signature", call{as: staffAdmin, method: "POST", path: "/carrier/events", body: string(body)}, 401},
		{"not JSON", post("{", signed([]byte("{"), now)), 400},
		{"unknown kind", post(badKind, signed([]byte(badKind), now)), 400},
		{"unknown order", post(string(unknownBody), signed(unknownBody, now)), 404},
		{"too large", post(huge, signed([]byte(huge), now)), 413},
		{"query parameters", call{method: "POST", path: "/carrier/events?debug=1", body: string(body), header: signed(body, now)}, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := f.do(tt.c)
			checkProblem(t, resp, b, tt.status)
			if got := resp.Header.Get("WWW-Authenticate"); tt.status == 401 && !strings.HasPrefix(got, "Signature ") {
				t.Errorf("WWW-Authenticate = %q, want the signature scheme", got)
			}
		})
	}
	if diff := cmp.Diff(before, f.portState()); diff != "" {
		t.Errorf("refused deliveries changed the data (-before +after):\n%s", diff)
	}

	// Without a secret the endpoint does not exist, whatever is sent.
	f.api.CarrierSecret = ""
	resp, b := f.do(post(string(body), signed(body, now)))
	checkProblem(t, resp, b, 404)
}

// TestCarrierGatewayWebhooks runs a submitted order against the fake
// carrier gateway: the submission job sends it, and the gateway's own
// signed webhooks — its receipt, then its acceptance two hours later —
// confirm the order for the requested date.
func TestCarrierGatewayWebhooks(t *testing.T) {
	f := newNumberFixture(t)
	runner := jobs.NewRunner(f.store, f.clock, slog.New(slog.DiscardHandler))
	f.porting.Register(runner)
	ctx := context.Background()
	o := f.submitted(f.aOrder, f.a)
	if _, err := runner.RunDue(ctx); err != nil {
		t.Fatalf("RunDue() = %v", err)
	}
	must(t, f.gateway.Tick(ctx))
	f.clock.Advance(2 * time.Hour)
	must(t, f.gateway.Tick(ctx))

	v := f.portOrder(staffPM, o.ID)
	if v.State != porting.StateConfirmed || v.FOCDate != "2026-12-15" || v.CarrierRef == "" {
		t.Fatalf("after the gateway's webhooks: %s, FOC %q, ref %q, events %+v", v.State, v.FOCDate, v.CarrierRef, v.Events)
	}
	var kinds []string
	for _, ev := range v.Events {
		if !ev.Applied || ev.CarrierRef != v.CarrierRef {
			t.Errorf("event %+v not applied to the order's submission", ev)
		}
		kinds = append(kinds, ev.Kind)
	}
	if want := []string{porting.EventReceived, porting.EventAccepted}; !cmp.Equal(kinds, want) {
		t.Errorf("events = %v, want %v", kinds, want)
	}
}
