package carrier

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	_ "time/tzdata" // the carrier's dates are Mexico City dates even where the host has no zone database

	"github.com/enlace-portal/enlace/internal/porting"
)

// The gateway's JSON, shared with the fake gateway (fakecarrier) so that
// both sides read and write one shape; docs/carrier.md describes it.

// OrderRequest is the body of POST /v1/port-orders.
type OrderRequest struct {
	// Reference is Enlace's order id; every event names it.
	Reference string `json:"reference"`
	// RequestedDate is the port date asked for, YYYY-MM-DD.
	RequestedDate  string        `json:"requestedDate"`
	AccountName    string        `json:"accountName"`
	ServiceAddress string        `json:"serviceAddress"`
	Numbers        []OrderNumber `json:"numbers"`
	LOA            LOA           `json:"loa"`
}

// OrderNumber is one number to port and where it is now.
type OrderNumber struct {
	Number        string `json:"number"`
	Carrier       string `json:"carrier"`
	AccountNumber string `json:"accountNumber,omitempty"`
}

// LOA is the signed letter of authorization: the PDF (base64 in JSON) and
// its hex SHA-256, which the gateway checks.
type LOA struct {
	SHA256 string `json:"sha256"`
	PDF    []byte `json:"pdf"`
}

// OrderResponse is the gateway's answer to a submission: its id of the
// order and the order's status there.
type OrderResponse struct {
	ID        string `json:"id"`
	Reference string `json:"reference"`
	Status    string `json:"status"`
}

// Problem is the body of a gateway's error answer; Message is the
// carrier's own words, shown to the project manager as the reason.
type Problem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Event is an event as the gateway writes it, in the events list and in a
// webhook's body.
type Event struct {
	ID string `json:"id"`
	// Reference is Enlace's order id, OrderID the carrier's.
	Reference  string    `json:"reference"`
	OrderID    string    `json:"orderId"`
	Kind       string    `json:"kind"`
	OccurredAt time.Time `json:"occurredAt"`
	// FOCDate is the firm order commitment, YYYY-MM-DD; on accepted and
	// ported events.
	FOCDate string `json:"focDate,omitempty"`
	Reason  string `json:"reason,omitempty"`
	// Numbers are the per-number answers, in porting's shape
	// ({"number","status","reason"}).
	Numbers []porting.EventNumber `json:"numbers,omitempty"`
}

// EventList is the body of GET /v1/port-orders/{id}/events.
type EventList struct {
	Events []json.RawMessage `json:"events"`
}

// zone is where the carrier's dates are civil dates: Mexico City, the
// zone of Mexican number portability. A FOC date is read as 00:00 there.
var zone = mustLoadLocation("America/Mexico_City")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is embedded, so the zone is always there
	}
	return loc
}

// day writes the day a porting date names as YYYY-MM-DD. Such a date is
// 00:00 of the day in the provider's time zone (porting.Config.Location);
// whatever that zone, from UTC−11 to UTC+12, the instant is less than 12
// hours from 00:00 UTC of the same day, so the nearest UTC midnight names
// the day without knowing the zone.
func day(t time.Time) string { return t.UTC().Round(24 * time.Hour).Format(time.DateOnly) }

// ParseDate reads a YYYY-MM-DD date as 00:00 of that day in Mexico City.
func ParseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, zone)
	return t.UTC(), err
}

var eventKinds = []string{porting.EventReceived, porting.EventAccepted, porting.EventException,
	porting.EventRejected, porting.EventPorted}

// decodeEvent reads one event's JSON into a porting.Event whose Payload is
// that JSON. The receiver sets ReceivedAt and Applied.
func decodeEvent(raw []byte) (porting.Event, error) {
	var e Event
	if err := json.Unmarshal(raw, &e); err != nil {
		return porting.Event{}, fmt.Errorf("decode carrier event: %w", err)
	}
	switch {
	case e.ID == "" || e.OrderID == "" || e.Reference == "":
		return porting.Event{}, fmt.Errorf("carrier event %q: id, reference and orderId are required", e.ID)
	case !slices.Contains(eventKinds, e.Kind):
		return porting.Event{}, fmt.Errorf("carrier event %s: unknown kind %q", e.ID, e.Kind)
	case e.OccurredAt.IsZero():
		return porting.Event{}, fmt.Errorf("carrier event %s: occurredAt is required", e.ID)
	case e.Kind == porting.EventAccepted && e.FOCDate == "":
		return porting.Event{}, fmt.Errorf("carrier event %s: an acceptance without focDate", e.ID)
	}
	ev := porting.Event{ID: e.ID, OrderID: e.Reference, CarrierRef: e.OrderID, Kind: e.Kind,
		OccurredAt: e.OccurredAt.UTC(), Reason: e.Reason, Numbers: e.Numbers, Payload: string(raw)}
	if e.FOCDate != "" {
		foc, err := ParseDate(e.FOCDate)
		if err != nil {
			return porting.Event{}, fmt.Errorf("carrier event %s: focDate: %w", e.ID, err)
		}
		ev.FOCDate = &foc
	}
	for _, n := range e.Numbers {
		if n.E164 == "" || (n.Status != porting.LineAccepted && n.Status != porting.LineRejected) {
			return porting.Event{}, fmt.Errorf("carrier event %s: number %q with status %q", e.ID, n.E164, n.Status)
		}
	}
	return ev, nil
}
