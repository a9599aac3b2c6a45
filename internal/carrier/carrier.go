// Package carrier connects Enlace to a carrier's number portability
// gateway over HTTP and JSON: Client implements porting.Carrier (submit a
// signed port order, poll its events, cancel it) and ParseWebhook reads
// the events the gateway posts. docs/carrier.md is the contract a gateway
// follows; package fakecarrier is a gateway for tests and the demo.
package carrier

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/porting"
)

// Config says how to reach a carrier gateway.
type Config struct {
	// BaseURL is the gateway's root, e.g. https://portabilidad.example.mx.
	BaseURL string
	// Token is the bearer token the carrier issued to the provider.
	Token string
	// Timeout bounds one attempt of a request; default 10 seconds.
	Timeout time.Duration
	// HTTPClient sends the requests; default http.DefaultClient. Timeout
	// applies to each attempt whatever the client's own timeout.
	HTTPClient *http.Client
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("carrier config: base url %q is not an absolute http(s) URL", c.BaseURL)
	}
	if c.Token == "" {
		return errors.New("carrier config: token is empty")
	}
	return nil
}

// Client speaks to a carrier gateway. It implements porting.Carrier and is
// safe for concurrent use.
type Client struct {
	cfg  Config
	base string
}

var _ porting.Carrier = (*Client)(nil)

// New returns a Client for cfg, filling the defaults; check cfg with
// Validate first.
func New(cfg Config) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	return &Client{cfg: cfg, base: strings.TrimRight(cfg.BaseURL, "/")}
}

// Polling retries: a GET is idempotent, so a failed one is tried again
// within the call, up to getRetries times, waiting getBackoff before the
// first retry and twice as long before each next one.
const (
	getRetries = 3
	getBackoff = 200 * time.Millisecond
)

// maxAnswer bounds what is read of a gateway's answer.
const maxAnswer = 8 << 20

// Submit sends a signed port order, keyed by s.Key. The carrier's 409 for
// a key it already has is the same receipt; its refusal of the request
// (400, 422) is EINVALID and any other 409 ECONFLICT, both with the
// carrier's words as "reason"; a timeout, a network failure or any other
// answer is a plain error to retry with the same key.
func (c *Client) Submit(ctx context.Context, s porting.Submission) (porting.Receipt, error) {
	body, err := json.Marshal(orderRequest(s))
	if err != nil {
		return porting.Receipt{}, fmt.Errorf("carrier: encode order %s: %w", s.OrderID, err)
	}
	status, answer, err := c.do(ctx, http.MethodPost, "/v1/port-orders", s.Key, body)
	if err != nil {
		return porting.Receipt{}, fmt.Errorf("carrier: submit order %s: %w", s.OrderID, err)
	}
	if status == http.StatusOK || status == http.StatusCreated || status == http.StatusConflict {
		var r OrderResponse
		if json.Unmarshal(answer, &r) == nil && r.ID != "" {
			return porting.Receipt{CarrierRef: r.ID}, nil
		}
		if status != http.StatusConflict {
			return porting.Receipt{}, fmt.Errorf("carrier: submit order %s: answer %d without an order id", s.OrderID, status)
		}
	}
	return porting.Receipt{}, answerError("submit order "+s.OrderID, status, answer)
}

// orderRequest writes a submission in the gateway's shape.
func orderRequest(s porting.Submission) OrderRequest {
	r := OrderRequest{Reference: s.OrderID, RequestedDate: day(s.RequestedDate), AccountName: s.AccountName,
		ServiceAddress: s.Address, Numbers: make([]OrderNumber, len(s.Numbers)), LOA: LOA{SHA256: s.LOASHA256, PDF: s.LOA}}
	for i, l := range s.Numbers {
		r.Numbers[i] = OrderNumber{Number: l.E164, Carrier: l.Carrier, AccountNumber: l.AccountNumber}
	}
	return r
}

// Events returns the order's events after the one with id after (all when
// empty), oldest first, each with its JSON as Payload. A network failure,
// a timeout, a 5xx or a 429 is retried within the call; every error is a
// plain one, for the polling job to retry later.
func (c *Client) Events(ctx context.Context, carrierRef, after string) ([]porting.Event, error) {
	path := "/v1/port-orders/" + url.PathEscape(carrierRef) + "/events"
	if after != "" {
		path += "?after=" + url.QueryEscape(after)
	}
	op := "events of " + carrierRef
	for attempt := 1; ; attempt++ {
		status, answer, err := c.do(ctx, http.MethodGet, path, "", nil)
		switch {
		case err == nil && status == http.StatusOK:
			return decodeEvents(carrierRef, answer)
		case err == nil && !retryable(status):
			return nil, failed(op, status, answer)
		case err == nil:
			err = failed(op, status, answer)
		default:
			err = fmt.Errorf("carrier: %s: %w", op, err)
		}
		if attempt > getRetries || ctx.Err() != nil {
			return nil, err
		}
		t := time.NewTimer(getBackoff << (attempt - 1))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("carrier: %s: %w", op, errors.Join(err, ctx.Err()))
		case <-t.C:
		}
	}
}

// retryable reports whether an answer may change on a second try.
func retryable(status int) bool {
	return status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout
}

func decodeEvents(carrierRef string, answer []byte) ([]porting.Event, error) {
	var list EventList
	if err := json.Unmarshal(answer, &list); err != nil {
		return nil, fmt.Errorf("carrier: events of %s: %w", carrierRef, err)
	}
	events := make([]porting.Event, 0, len(list.Events))
	for _, raw := range list.Events {
		ev, err := decodeEvent(raw)
		if err != nil {
			return nil, fmt.Errorf("carrier: events of %s: %w", carrierRef, err)
		}
		events = append(events, ev)
	}
	return events, nil
}

// Cancel withdraws a submitted order, keyed by key. The carrier's refusal
// (an order already ported) is ECONFLICT with its words as "reason".
func (c *Client) Cancel(ctx context.Context, carrierRef, key string) error {
	status, answer, err := c.do(ctx, http.MethodPost, "/v1/port-orders/"+url.PathEscape(carrierRef)+"/cancel", key, nil)
	if err != nil {
		return fmt.Errorf("carrier: cancel %s: %w", carrierRef, err)
	}
	if status/100 == 2 {
		return nil
	}
	return answerError("cancel "+carrierRef, status, answer)
}

// do makes one attempt of a request within the per-attempt timeout and
// returns the answer's status and body.
func (c *Client) do(ctx context.Context, method, path, key string, body []byte) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Enlace")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(res.Body, maxAnswer))
	if err != nil {
		return 0, nil, fmt.Errorf("read %s answer: %w", res.Status, err)
	}
	return res.StatusCode, answer, nil
}

// answerError turns a gateway's error answer to a submission or a
// cancellation into the error its caller acts on: the carrier refusing the
// request is the user's to correct (EINVALID, ECONFLICT), anything else is
// the job's to retry.
func answerError(op string, status int, answer []byte) error {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return enlace.Errorf(enlace.EINVALID, "porting.error.carrier_refused", "reason", reason(answer))
	case http.StatusConflict:
		return enlace.Errorf(enlace.ECONFLICT, "porting.error.carrier_refused", "reason", reason(answer))
	}
	return failed(op, status, answer)
}

// failed is the plain error of an answer that is not the carrier refusing
// what the user asked: polling errors are never the user's to correct.
func failed(op string, status int, answer []byte) error {
	return fmt.Errorf("carrier: %s: gateway answered %d: %s", op, status, reason(answer))
}

// reason returns the carrier's message of an error answer: the problem's
// message, or the start of whatever text it sent.
func reason(answer []byte) string {
	var p Problem
	if json.Unmarshal(answer, &p) == nil && p.Message != "" {
		return p.Message
	}
	s := strings.TrimSpace(string(answer))
	if len(s) > 300 {
		s = s[:300]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}
