package carrier_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/carrier/fakecarrier"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/porting"
)

func TestSubmitRequest(t *testing.T) {
	type request struct {
		Method, Path, Auth, Key, ContentType string
		Body                                 string
	}
	var got request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = request{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Idempotency-Key"),
			r.Header.Get("Content-Type"), string(b)}
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"id":"po_1","reference":"ord-1","status":"received"}`)
	}))
	t.Cleanup(srv.Close)
	c := carrier.New(carrier.Config{BaseURL: srv.URL + "/", Token: token})
	s := submission("key-1", "ord-1", "Comercializadora del Norte SA de CV", "2026-06-15", "+525512340001")
	s.LOA, s.LOASHA256 = []byte("%PDF"), "abc"
	r, err := c.Submit(context.Background(), s)
	if err != nil || r.CarrierRef != "po_1" {
		t.Fatalf("Submit() = %+v, %v, want po_1", r, err)
	}
	want := request{"POST", "/v1/port-orders", "Bearer " + token, "key-1", "application/json",
		`{"reference":"ord-1","requestedDate":"2026-06-15","accountName":"Comercializadora del Norte SA de CV",` +
			`"serviceAddress":"Av. Paseo de la Reforma 222, Juárez, Cuauhtémoc, 06600 Ciudad de México",` +
			`"numbers":[{"number":"+525512340001","carrier":"Telmex","accountNumber":"5550001111"}],` +
			`"loa":{"sha256":"abc","pdf":"JVBERg=="}}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
}

func TestSubmitAnswers(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		body   string
		ref    string
		code   string // "" for a plain error
		reason string
	}{
		{"created", http.StatusCreated, `{"id":"po_1","status":"received"}`, "po_1", "", ""},
		{"replayed", http.StatusOK, `{"id":"po_1","status":"accepted"}`, "po_1", "", ""},
		{"conflict naming the order", http.StatusConflict, `{"id":"po_1","status":"received"}`, "po_1", "", ""},
		{"conflict", http.StatusConflict, `{"code":"duplicate","message":"Orden duplicada"}`, "", enlace.ECONFLICT, "Orden duplicada"},
		{"bad request", http.StatusBadRequest, `{"code":"malformed","message":"JSON inválido"}`, "", enlace.EINVALID, "JSON inválido"},
		{"unprocessable as text", http.StatusUnprocessableEntity, "Fecha inválida\n", "", enlace.EINVALID, "Fecha inválida"},
		{"ok without id", http.StatusOK, `{}`, "", enlace.EINTERNAL, ""},
		{"unauthorized", http.StatusUnauthorized, `{"code":"unauthorized"}`, "", enlace.EINTERNAL, ""},
		{"throttled", http.StatusTooManyRequests, ``, "", enlace.EINTERNAL, ""},
		{"server error", http.StatusBadGateway, `<html>`, "", enlace.EINTERNAL, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			t.Cleanup(srv.Close)
			c := carrier.New(carrier.Config{BaseURL: srv.URL, Token: token})
			r, err := c.Submit(context.Background(), submission("k", "ord-1", "Cuenta", "2026-06-15", "+525512340001"))
			if tt.ref != "" {
				if err != nil || r.CarrierRef != tt.ref {
					t.Fatalf("Submit() = %+v, %v, want %s", r, err, tt.ref)
				}
				return
			}
			if err == nil {
				t.Fatalf("Submit() = %+v, want an error", r)
			}
			if code := enlace.ErrorCode(err); code != tt.code {
				t.Fatalf("ErrorCode(Submit() = %v) = %s, want %s", err, code, tt.code)
			}
			if tt.code != enlace.EINTERNAL {
				e := enlace.AsError(err)
				if e.Message != "porting.error.carrier_refused" || e.Args["reason"] != tt.reason {
					t.Errorf("Submit() = %s %v, want porting.error.carrier_refused with reason %q", e.Message, e.Args, tt.reason)
				}
			}
		})
	}
}

func TestSubmit(t *testing.T) {
	w := newWorld(t, fakecarrier.Config{})
	ref := w.mustSubmit(t, submission("key-1", "ord-1", "Comercializadora del Norte", "2026-06-15", "+525512340001"))
	if again := w.mustSubmit(t, submission("key-1", "ord-1", "Comercializadora del Norte", "2026-06-15", "+525512340001")); again != ref {
		t.Errorf("Submit() again with the same key = %s, want %s", again, ref)
	}
	want := []fakecarrier.Order{{ID: ref, Reference: "ord-1", Status: porting.EventReceived, Submissions: 1}}
	if diff := cmp.Diff(want, w.gw.Orders()); diff != "" {
		t.Errorf("Orders() (-want +got):\n%s", diff)
	}
	evs := w.mustEvents(t, ref)
	if len(evs) != 1 {
		t.Fatalf("Events() = %+v, want the receipt", evs)
	}
	ev := evs[0]
	if ev.Kind != porting.EventReceived || ev.OrderID != "ord-1" || ev.CarrierRef != ref || !ev.OccurredAt.Equal(start) || ev.Payload == "" {
		t.Errorf("Events()[0] = %+v, want received of ord-1 at %s with its payload", ev, start)
	}
}

func TestSubmitAfterTimeout(t *testing.T) {
	w := newWorld(t, fakecarrier.Config{})
	w.gw.HangSubmits(1)
	s := submission("key-1", "ord-1", "Comercializadora del Norte", "2026-06-15", "+525512340001")
	impatient := carrier.New(carrier.Config{BaseURL: w.url, Token: token, Timeout: 200 * time.Millisecond})
	if r, err := impatient.Submit(context.Background(), s); err == nil || enlace.ErrorCode(err) != enlace.EINTERNAL {
		t.Fatalf("Submit() to a hung gateway = %+v, %v, want a plain error to retry", r, err)
	}
	ref := w.mustSubmit(t, s)
	orders := w.gw.Orders()
	if len(orders) != 1 || orders[0].ID != ref || orders[0].Submissions != 1 {
		t.Errorf("Orders() after a timeout and a retry = %+v, want the one order %s", orders, ref)
	}
}

func TestSubmitUnavailable(t *testing.T) {
	w := newWorld(t, fakecarrier.Config{})
	w.gw.FailSubmits(1)
	s := submission("key-1", "ord-1", "Comercializadora del Norte", "2026-06-15", "+525512340001")
	if _, err := w.client.Submit(context.Background(), s); err == nil || enlace.ErrorCode(err) != enlace.EINTERNAL {
		t.Fatalf("Submit() on 503 = %v, want a plain error to retry", err)
	}
	if got := w.gw.Orders(); len(got) != 0 {
		t.Fatalf("Orders() after a 503 = %+v, want none", got)
	}
	w.mustSubmit(t, s)
	if got := w.gw.Orders(); len(got) != 1 {
		t.Errorf("Orders() after the retry = %+v, want one", got)
	}
}

func TestSubmitRefused(t *testing.T) {
	good := submission("key-1", "ord-1", "Comercializadora del Norte", "2026-06-15", "+525512340001")
	noNumbers := submission("key-2", "ord-2", "Comercializadora del Norte", "2026-06-15")
	badSum := submission("key-3", "ord-3", "Comercializadora del Norte", "2026-06-15", "+525512340001")
	badSum.LOASHA256 = "00"
	badNumber := submission("key-4", "ord-4", "Comercializadora del Norte", "2026-06-15", "5512340001")
	reused := submission("key-1", "ord-1", "Comercializadora del Sur", "2026-06-15", "+525512340001")
	for _, tt := range []struct {
		name   string
		s      porting.Submission
		reason string
	}{
		{"no numbers", noNumbers, "La orden no incluye números"},
		{"LOA checksum", badSum, "La huella SHA-256 no corresponde a la carta de autorización"},
		{"number not E.164", badNumber, "El número 5512340001 no está en formato E.164"},
		{"key reused for another order", reused, "La clave de idempotencia ya se usó con otra solicitud"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, fakecarrier.Config{})
			w.mustSubmit(t, good)
			_, err := w.client.Submit(context.Background(), tt.s)
			e := enlace.AsError(err)
			if e.Code != enlace.EINVALID || e.Message != "porting.error.carrier_refused" || e.Args["reason"] != tt.reason {
				t.Errorf("Submit() = %v, want EINVALID porting.error.carrier_refused with reason %q", err, tt.reason)
			}
			if got := w.gw.Orders(); len(got) != 1 {
				t.Errorf("Orders() = %+v, want only the good one", got)
			}
		})
	}
}

func TestEventsAfter(t *testing.T) {
	w := newWorld(t, fakecarrier.Config{})
	ref := w.mustSubmit(t, submission("key-1", "ord-1", "Comercializadora del Norte", "2026-06-15", "+525512340001"))
	w.tick(t, 2*time.Hour)
	all := w.mustEvents(t, ref)
	if diff := cmp.Diff([]string{porting.EventReceived, porting.EventAccepted}, kinds(all)); diff != "" {
		t.Fatalf("Events() kinds (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		after string
		want  []porting.Event
	}{
		{"", all},
		{all[0].ID, all[1:]},
		{all[1].ID, []porting.Event{}},
	} {
		got, err := w.client.Events(context.Background(), ref, tt.after)
		if err != nil {
			t.Fatalf("Events(after %q) = %v", tt.after, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Events(after %q) (-want +got):\n%s", tt.after, diff)
		}
	}
	if _, err := w.client.Events(context.Background(), "po_unknown", ""); err == nil {
		t.Errorf("Events() of an unknown order = nil error")
	}
}

func TestEventsRetry(t *testing.T) {
	w := newWorld(t, fakecarrier.Config{})
	ref := w.mustSubmit(t, submission("key-1", "ord-1", "Comercializadora del Norte", "2026-06-15", "+525512340001"))
	w.gw.FailEvents(3)
	if evs, err := w.client.Events(context.Background(), ref, ""); err != nil || len(evs) != 1 {
		t.Errorf("Events() after three 503 = %+v, %v, want the receipt", evs, err)
	}
	w.gw.FailEvents(4)
	if evs, err := w.client.Events(context.Background(), ref, ""); err == nil || enlace.ErrorCode(err) != enlace.EINTERNAL {
		t.Errorf("Events() after four 503 = %+v, %v, want a plain error", evs, err)
	}
	w.gw.FailEvents(1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.client.Events(ctx, ref, ""); err == nil {
		t.Errorf("Events() with a cancelled context = nil error")
	}
}

func TestAnswers(t *testing.T) {
	accepted := func(n string) porting.EventNumber {
		return porting.EventNumber{E164: n, Status: porting.LineAccepted}
	}
	notInCSR := func(n string) porting.EventNumber {
		return porting.EventNumber{E164: n, Status: porting.LineRejected, Reason: fakecarrier.ReasonNotInCSR}
	}
	for _, tt := range []struct {
		name    string
		account string
		numbers []string
		want    porting.Event
	}{
		{"all accepted", "Comercializadora del Norte", []string{"+525512340001", "+525512340002"}, porting.Event{
			Kind: porting.EventAccepted, FOCDate: date("2026-06-15"),
			Numbers: []porting.EventNumber{accepted("+525512340001"), accepted("+525512340002")}}},
		{"one not on the CSR", "Comercializadora del Norte", []string{"+525512340001", "+525512349999"}, porting.Event{
			Kind: porting.EventAccepted, FOCDate: date("2026-06-15"),
			Numbers: []porting.EventNumber{accepted("+525512340001"), notInCSR("+525512349999")}}},
		{"none on the CSR", "Comercializadora del Norte", []string{"+525512349999", "+525587659999"}, porting.Event{
			Kind: porting.EventRejected, Reason: fakecarrier.ReasonNotInCSR,
			Numbers: []porting.EventNumber{notInCSR("+525512349999"), notInCSR("+525587659999")}}},
		{"account name", "EXCEPCION Comercializadora", []string{"+525512340001"}, porting.Event{
			Kind: porting.EventException, Reason: fakecarrier.ReasonNameMismatch}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, fakecarrier.Config{})
			ref := w.mustSubmit(t, submission("key-1", "ord-1", tt.account, "2026-06-15", tt.numbers...))
			w.tick(t, time.Hour)
			if got := kinds(w.hooks.take()); !cmp.Equal(got, []string{porting.EventReceived}) {
				t.Fatalf("webhooks before the answer = %v, want the receipt", got)
			}
			w.tick(t, time.Hour)
			got := w.hooks.take()
			if len(got) != 1 {
				t.Fatalf("webhooks at the answer = %+v, want one", got)
			}
			want := tt.want
			want.ID, want.OrderID, want.CarrierRef, want.OccurredAt, want.Payload = got[0].ID, "ord-1", ref, start.Add(2*time.Hour), got[0].Payload
			if diff := cmp.Diff(want, got[0]); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExceptionResubmitted(t *testing.T) {
	w := newWorld(t, fakecarrier.Config{})
	ref := w.mustSubmit(t, submission("key-1", "ord-1", "EXCEPCION Comercializadora", "2026-06-15", "+525512340001"))
	w.tick(t, 2*time.Hour)
	if again := w.mustSubmit(t, submission("key-2", "ord-1", "EXCEPCION Comercializadora", "2026-06-15", "+525512340001")); again != ref {
		t.Errorf("Submit() after the exception = %s, want the same order %s", again, ref)
	}
	w.tick(t, 2*time.Hour)
	want := []string{porting.EventReceived, porting.EventException, porting.EventReceived, porting.EventAccepted}
	if diff := cmp.Diff(want, kinds(w.mustEvents(t, ref))); diff != "" {
		t.Errorf("Events() kinds (-want +got):\n%s", diff)
	}
	if got := w.gw.Orders(); len(got) != 1 || got[0].Submissions != 2 || got[0].Status != porting.EventAccepted {
		t.Errorf("Orders() = %+v, want one order accepted on its second submission", got)
	}
}

func TestPortedOnFOCDate(t *testing.T) {
	w := newWorld(t, fakecarrier.Config{})
	ref := w.mustSubmit(t, submission("key-1", "ord-1", "Comercializadora del Norte", "2026-06-15", "+525512340001", "+525512349999"))
	w.tick(t, 2*time.Hour)
	w.hooks.take()
	// 15 June 2026, 10:00 in Mexico City (UTC-6) is 16:00 UTC.
	portAt := time.Date(2026, 6, 15, 16, 0, 0, 0, time.UTC)
	w.tick(t, portAt.Add(-time.Minute).Sub(w.clock.Now()))
	if got := w.hooks.take(); len(got) != 0 {
		t.Fatalf("webhooks a minute before the port = %+v, want none", got)
	}
	w.tick(t, time.Minute)
	got := w.hooks.take()
	want := []porting.Event{{Kind: porting.EventPorted, OrderID: "ord-1", CarrierRef: ref, OccurredAt: portAt, FOCDate: date("2026-06-15"),
		Numbers: []porting.EventNumber{{E164: "+525512340001", Status: porting.LineAccepted}}}}
	if diff := cmp.Diff(want, got, cmpIgnoreIDs); diff != "" {
		t.Errorf("webhooks at the port (-want +got):\n%s", diff)
	}
	if err := w.client.Cancel(context.Background(), ref, "cancel-1"); enlace.ErrorCode(err) != enlace.ECONFLICT {
		t.Errorf("Cancel() after the port = %v, want ECONFLICT", err)
	}
}

func TestCancel(t *testing.T) {
	w := newWorld(t, fakecarrier.Config{})
	ref := w.mustSubmit(t, submission("key-1", "ord-1", "Comercializadora del Norte", "2026-06-15", "+525512340001"))
	for range 2 {
		if err := w.client.Cancel(context.Background(), ref, "cancel-1"); err != nil {
			t.Fatalf("Cancel() = %v", err)
		}
	}
	w.tick(t, 30*24*time.Hour)
	if diff := cmp.Diff([]string{porting.EventReceived}, kinds(w.mustEvents(t, ref))); diff != "" {
		t.Errorf("Events() after the cancel (-want +got):\n%s", diff)
	}
	if got := w.gw.Orders(); got[0].Status != "cancelled" {
		t.Errorf("Orders() = %+v, want it cancelled", got)
	}
	if err := w.client.Cancel(context.Background(), "po_unknown", "cancel-2"); err == nil {
		t.Errorf("Cancel() of an unknown order = nil error")
	}
}

func TestUnauthorized(t *testing.T) {
	w := newWorld(t, fakecarrier.Config{})
	c := carrier.New(carrier.Config{BaseURL: w.url, Token: "wrong"})
	_, err := c.Submit(context.Background(), submission("key-1", "ord-1", "Comercializadora del Norte", "2026-06-15", "+525512340001"))
	if err == nil || enlace.ErrorCode(err) != enlace.EINTERNAL {
		t.Errorf("Submit() with a wrong token = %v, want a plain error", err)
	}
	if got := w.gw.Orders(); len(got) != 0 {
		t.Errorf("Orders() = %+v, want none", got)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tt := range []struct {
		cfg carrier.Config
		ok  bool
	}{
		{carrier.Config{BaseURL: "https://portabilidad.example.mx", Token: "t"}, true},
		{carrier.Config{BaseURL: "https://portabilidad.example.mx"}, false},
		{carrier.Config{BaseURL: "portabilidad.example.mx", Token: "t"}, false},
		{carrier.Config{Token: "t"}, false},
	} {
		if err := tt.cfg.Validate(); (err == nil) != tt.ok {
			t.Errorf("%+v.Validate() = %v, want ok %v", tt.cfg, err, tt.ok)
		}
	}
}
