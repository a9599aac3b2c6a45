package carrier_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/carrier/fakecarrier"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/porting"
)

const acceptedBody = `{"id":"ev_1","reference":"ord-1","orderId":"po_1","kind":"accepted","occurredAt":"2026-06-01T18:00:00Z",` +
	`"focDate":"2026-06-15","numbers":[{"number":"+525512340001","status":"accepted"},` +
	`{"number":"+525512349999","status":"rejected","reason":"Número no encontrado en el CSR del operador actual"}]}`

func TestParseWebhook(t *testing.T) {
	ev, err := carrier.ParseWebhook(secret, []byte(acceptedBody), carrier.Sign(secret, []byte(acceptedBody), start), start)
	if err != nil {
		t.Fatalf("ParseWebhook() = %v", err)
	}
	want := porting.Event{ID: "ev_1", OrderID: "ord-1", CarrierRef: "po_1", Kind: porting.EventAccepted,
		OccurredAt: time.Date(2026, 6, 1, 18, 0, 0, 0, time.UTC), FOCDate: date("2026-06-15"), Payload: acceptedBody,
		Numbers: []porting.EventNumber{{E164: "+525512340001", Status: porting.LineAccepted},
			{E164: "+525512349999", Status: porting.LineRejected, Reason: "Número no encontrado en el CSR del operador actual"}}}
	if diff := cmp.Diff(want, ev); diff != "" {
		t.Errorf("ParseWebhook() (-want +got):\n%s", diff)
	}
	// The FOC date is 00:00 in Mexico City (UTC-6).
	if got := ev.FOCDate.Format(time.RFC3339); got != "2026-06-15T06:00:00Z" {
		t.Errorf("FOCDate = %s, want 2026-06-15T06:00:00Z", got)
	}
}

func TestParseWebhookRefused(t *testing.T) {
	body := []byte(acceptedBody)
	good := carrier.Sign(secret, body, start)
	_, v1, _ := strings.Cut(good, ",")
	for _, tt := range []struct {
		name   string
		secret string
		body   string
		header string
		now    time.Time
		code   string
	}{
		{"wrong secret", secret, acceptedBody, carrier.Sign("another", body, start), start, enlace.EUNAUTHORIZED},
		{"tampered body", secret, strings.Replace(acceptedBody, "2026-06-15", "2026-06-16", 1), good, start, enlace.EUNAUTHORIZED},
		{"tampered time", secret, acceptedBody, fmt.Sprintf("t=%d,%s", start.Unix()+1, v1), start, enlace.EUNAUTHORIZED},
		{"expired", secret, acceptedBody, good, start.Add(5*time.Minute + time.Second), enlace.EUNAUTHORIZED},
		{"from the future", secret, acceptedBody, good, start.Add(-5*time.Minute - time.Second), enlace.EUNAUTHORIZED},
		{"no header", secret, acceptedBody, "", start, enlace.EUNAUTHORIZED},
		{"no v1", secret, acceptedBody, fmt.Sprintf("t=%d", start.Unix()), start, enlace.EUNAUTHORIZED},
		{"empty secret", "", acceptedBody, carrier.Sign("", body, start), start, enlace.EUNAUTHORIZED},
		{"not JSON", secret, "{", carrier.Sign(secret, []byte("{"), start), start, enlace.EINVALID},
		{"unknown kind", secret, strings.Replace(acceptedBody, `"accepted"`, `"suspended"`, 1),
			carrier.Sign(secret, []byte(strings.Replace(acceptedBody, `"accepted"`, `"suspended"`, 1)), start), start, enlace.EINVALID},
		{"acceptance without FOC date", secret, strings.Replace(acceptedBody, `"focDate":"2026-06-15",`, "", 1),
			carrier.Sign(secret, []byte(strings.Replace(acceptedBody, `"focDate":"2026-06-15",`, "", 1)), start), start, enlace.EINVALID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := carrier.ParseWebhook(tt.secret, []byte(tt.body), tt.header, tt.now)
			if code := enlace.ErrorCode(err); code != tt.code {
				t.Errorf("ParseWebhook() = %v, want %s", err, tt.code)
			}
		})
	}
}

func TestParseWebhookAccepted(t *testing.T) {
	body := []byte(acceptedBody)
	good := carrier.Sign(secret, body, start)
	t0, v1, _ := strings.Cut(good, ",")
	_, old, _ := strings.Cut(carrier.Sign("old", body, start), ",")
	for _, tt := range []struct {
		name   string
		header string
		now    time.Time
	}{
		{"at the edge of the tolerance", good, start.Add(5 * time.Minute)},
		{"signed a little ahead", good, start.Add(-5 * time.Minute)},
		{"the old secret's value first", t0 + "," + old + "," + v1, start},
		{"spaces", t0 + ", " + v1, start},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := carrier.ParseWebhook(secret, body, tt.header, tt.now); err != nil {
				t.Errorf("ParseWebhook(%q) = %v", tt.header, err)
			}
		})
	}
}

func TestWebhookDeliveries(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  fakecarrier.Config
		want []string
	}{
		{"in order", fakecarrier.Config{}, []string{porting.EventReceived, porting.EventAccepted, porting.EventPorted}},
		{"duplicated", fakecarrier.Config{DuplicateWebhooks: true}, []string{porting.EventReceived, porting.EventReceived,
			porting.EventAccepted, porting.EventAccepted, porting.EventPorted, porting.EventPorted}},
		{"newest first", fakecarrier.Config{ReorderWebhooks: true}, []string{porting.EventPorted, porting.EventAccepted, porting.EventReceived}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, tt.cfg)
			ref := w.mustSubmit(t, submission("key-1", "ord-1", "Comercializadora del Norte", "2026-06-15", "+525512340001"))
			// One tick past the port date emits the three events in one batch.
			w.tick(t, 30*24*time.Hour)
			got := w.hooks.take()
			if diff := cmp.Diff(tt.want, kinds(got)); diff != "" {
				t.Fatalf("webhooks (-want +got):\n%s", diff)
			}
			// Whatever the order or the copies, they are the events polling sees.
			polled := map[string]porting.Event{}
			for _, e := range w.mustEvents(t, ref) {
				polled[e.ID] = e
			}
			for _, e := range got {
				if diff := cmp.Diff(polled[e.ID], e); diff != "" {
					t.Errorf("webhook %s differs from the polled event (-polled +webhook):\n%s", e.ID, diff)
				}
			}
		})
	}
}

func TestWebhookRetried(t *testing.T) {
	w := newWorld(t, fakecarrier.Config{})
	w.mustSubmit(t, submission("key-1", "ord-1", "Comercializadora del Norte", "2026-06-15", "+525512340001"))
	w.hooks.fail = 2
	for _, d := range []time.Duration{0, time.Minute} {
		w.clock.Advance(d)
		if err := w.gw.Tick(context.Background()); err == nil {
			t.Fatalf("Tick() with the receiver failing = nil error")
		}
	}
	w.tick(t, time.Minute)
	if got := w.hooks.take(); len(got) != 0 {
		t.Fatalf("webhooks before the second retry is due = %+v, want none", got)
	}
	w.tick(t, time.Minute)
	if got := kinds(w.hooks.take()); !cmp.Equal(got, []string{porting.EventReceived}) {
		t.Errorf("webhooks at the second retry = %v, want the receipt", got)
	}
}
