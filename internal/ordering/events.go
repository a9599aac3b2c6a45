package ordering

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
)

// productOrderingAPI names TMF622 among the hubs' APIs.
const productOrderingAPI = "productOrderingManagement"

// Event types of TMF622 that Enlace sends.
const (
	EventOrderCreate          = "ProductOrderCreateEvent"
	EventOrderStateChange     = "ProductOrderStateChangeEvent"
	EventOrderAttributeChange = "ProductOrderAttributeValueChangeEvent"
	EventOrderDelete          = "ProductOrderDeleteEvent"
	EventCancelCreate         = "CancelProductOrderCreateEvent"
	EventCancelStateChange    = "CancelProductOrderStateChangeEvent"
)

// Event is the envelope posted to a hub's callback; Event holds the
// resource, keyed by its name (productOrder, cancelProductOrder).
type Event struct {
	EventID      string         `json:"eventId"`
	EventTime    string         `json:"eventTime"`
	EventType    string         `json:"eventType"`
	TimeOccurred string         `json:"timeOccurred"`
	Domain       string         `json:"domain"`
	Type         string         `json:"@type"`
	Event        map[string]any `json:"event"`
}

type deliverPayload struct {
	HubID     string          `json:"hub_id"`
	EventID   string          `json:"event_id"`
	EventType string          `json:"event_type"`
	Body      json.RawMessage `json:"body"`
}

func (o *Service) orderEvents(ctx context.Context, eventType string, po *ProductOrder) ([]enlace.Effect, error) {
	return o.events(ctx, eventType, "productOrder", func(version string) (map[string]any, error) {
		return o.Renderer.Order(po, version)
	})
}

func (o *Service) cancelEvents(ctx context.Context, eventType string, c CancelRequest) ([]enlace.Effect, error) {
	return o.events(ctx, eventType, "cancelProductOrder", func(version string) (map[string]any, error) {
		return o.Renderer.Cancel(&c, version), nil
	})
}

// eventTime writes a time as TMF clients read it, as the API does: UTC
// with milliseconds.
func eventTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// events returns a delivery job for every hub that wants the event, with
// the resource in the hub's version. They commit with the change.
func (o *Service) events(ctx context.Context, eventType, resource string, render func(version string) (map[string]any, error)) ([]enlace.Effect, error) {
	hubs, err := o.Store.Hubs(ctx, productOrderingAPI)
	if err != nil {
		return nil, err
	}
	now := eventTime(o.Clock.Now())
	var out []enlace.Effect
	for _, h := range hubs {
		if !Wants(h.Query, eventType) {
			continue
		}
		body, err := render(h.Version)
		if err != nil {
			return nil, err
		}
		ev := Event{EventID: enlace.NewID(), EventTime: now, EventType: eventType, TimeOccurred: now,
			Domain: productOrderingAPI, Type: eventType, Event: map[string]any{resource: body}}
		job, err := Delivery(h.ID, ev)
		if err != nil {
			return nil, err
		}
		out = append(out, job)
	}
	return out, nil
}

// Delivery returns the DeliverJob that posts an event to a hub: TMF622's
// and every other TM Forum API's whose hubs share tmf_hubs.
func Delivery(hubID string, ev Event) (jobs.Job, error) {
	b, err := json.Marshal(ev)
	if err != nil {
		return jobs.Job{}, fmt.Errorf("encode %s: %w", ev.EventType, err)
	}
	return jobs.New(DeliverJob, deliverPayload{HubID: hubID, EventID: ev.EventID, EventType: ev.EventType, Body: b}, time.Time{}), nil
}

// Wants reports whether a hub's query selects an event type. Enlace reads
// the eventType condition (eventType=A,B); a query without one selects
// every event, and other conditions are not applied.
func Wants(query, eventType string) bool {
	for term := range strings.SplitSeq(strings.TrimPrefix(strings.TrimSpace(query), "?"), "&") {
		k, v, ok := strings.Cut(term, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "eventType") {
			continue
		}
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), eventType) {
				return true
			}
		}
		return false
	}
	return true
}

// deliver is the handler of DeliverJob: it posts the event to the hub's
// callback. A hub deleted meanwhile gets nothing; an answer that retrying
// cannot change (a client error other than a timeout or throttling, a
// redirect) fails the delivery at once; anything else is retried with
// backoff.
func (o *Service) deliver(ctx context.Context, j jobs.Job) error {
	var pl deliverPayload
	if err := json.Unmarshal([]byte(j.Payload), &pl); err != nil || pl.HubID == "" {
		return jobs.Permanent(fmt.Errorf("decode %s payload: %v", DeliverJob, err))
	}
	h, err := o.Store.HubByID(ctx, pl.HubID)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.Callback, bytes.NewReader(pl.Body))
	if err != nil {
		return jobs.Permanent(fmt.Errorf("event to hub %s: %w", h.ID, err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Enlace")
	res, err := o.Client.Do(req)
	if err != nil {
		return fmt.Errorf("post %s to hub %s: %w", pl.EventType, h.ID, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	switch s := res.StatusCode; {
	case s >= 200 && s < 300:
		return nil
	case s >= 500, s == http.StatusRequestTimeout, s == http.StatusTooEarly, s == http.StatusTooManyRequests:
		return fmt.Errorf("hub %s answered %s to %s", h.ID, res.Status, pl.EventType)
	default:
		return jobs.Permanent(fmt.Errorf("hub %s answered %s to %s", h.ID, res.Status, pl.EventType))
	}
}

// CreateHub subscribes a callback to the events of product ordering, in
// the representation of in.Version.
func (o *Service) CreateHub(ctx context.Context, in HubInput) (*Hub, error) {
	a, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Check(); err != nil {
		return nil, err
	}
	h := &Hub{ID: enlace.NewID(), API: productOrderingAPI, Version: in.Version, Callback: in.Callback, Query: in.Query, CreatedBy: a.UserID}
	if err := o.Store.CreateHub(ctx, h, audit.Record(ctx, "hub.create", "hub", h.ID, "",
		map[string]string{"api": h.API, "callback": h.Callback})); err != nil {
		return nil, err
	}
	return h, nil
}

// Check checks a subscription: its callback must be an absolute http or
// https URL, its query short.
func (in HubInput) Check() error {
	var errs []enlace.FieldError
	if u, err := url.Parse(in.Callback); err != nil || len(in.Callback) > 2000 || (u.Scheme != "http" && u.Scheme != "https") ||
		u.Host == "" || u.User != nil {
		errs = append(errs, enlace.Field("callback", "tmf622.callback_invalid"))
	}
	if len(in.Query) > 1000 {
		errs = append(errs, enlace.Field("query", "tmf622.too_long", "Max", 1000))
	}
	return enlace.Invalid(errs)
}

// Hub returns a subscription to product ordering's events.
func (o *Service) Hub(ctx context.Context, id string) (*Hub, error) {
	if _, err := writer(ctx); err != nil {
		return nil, err
	}
	h, err := o.Store.HubByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if h.API != productOrderingAPI {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return h, nil
}

// DeleteHub ends a subscription; events not yet delivered to it are
// dropped.
func (o *Service) DeleteHub(ctx context.Context, id string) error {
	h, err := o.Hub(ctx, id)
	if err != nil {
		return err
	}
	return o.Store.DeleteHub(ctx, h.ID, audit.Record(ctx, "hub.delete", "hub", h.ID, "",
		map[string]string{"api": h.API, "callback": h.Callback}))
}
