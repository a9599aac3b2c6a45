package tmf

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/ordering"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// troubleTicketAPI names TMF621 among the hubs' APIs (tmf_hubs.api).
const troubleTicketAPI = "troubleTicket"

// Event types of TMF621 that Enlace sends.
const (
	EventTicketCreate              = "TroubleTicketCreateEvent"
	EventTicketStatusChange        = "TroubleTicketStatusChangeEvent"
	EventTicketResolved            = "TroubleTicketResolvedEvent"
	EventTicketInformationRequired = "TroubleTicketInformationRequiredEvent"
	EventTicketAttributeChange     = "TroubleTicketAttributeValueChangeEvent"
	EventTicketDelete              = "TroubleTicketDeleteEvent"
)

// watchFor is how long the answer to "does anyone follow trouble
// tickets?" is trusted: a hub created on another replica is heard of at
// most this late; one created or deleted here at once.
const watchFor = 5 * time.Second

// HubStore keeps the subscriptions to the TM Forum APIs' events (the
// tmf_hubs table, which TMF622 shares through package ordering) and
// queues event deliveries; sqlstore.Store implements it.
type HubStore interface {
	CreateHub(ctx context.Context, h *ordering.Hub, effects ...enlace.Effect) error
	HubByID(ctx context.Context, id string) (*ordering.Hub, error)
	Hubs(ctx context.Context, api string) ([]ordering.Hub, error)
	DeleteHub(ctx context.Context, id string, effects ...enlace.Effect) error
	RecordEffects(ctx context.Context, effects ...enlace.Effect) error
}

// TroubleTicketHubs are the subscribers to TMF621's events. It keeps
// them; tells the service desk whether anyone follows (it is the
// service's servicedesk.Watcher, so that no change queues a job nobody
// reads); and, as the handler of the servicedesk.ChangedJob each change
// then queues, turns the change into events for every hub whose query
// wants them. Each event to each hub is an ordering.DeliverJob, which
// ordering's Register handles: delivered with retries, like TMF622's.
//
// Staff agents (administrators, support, technicians) manage the hubs:
// a hub hears of every customer's tickets, and Enlace calls its callback.
type TroubleTicketHubs struct {
	store    HubStore
	requests *servicedesk.Service
	baseURL  string
	clock    enlace.Clock

	mu       sync.Mutex
	until    time.Time // when watching must be read again
	watching bool
}

// NewTroubleTicketHubs returns TMF621's subscribers, kept in store, the
// events rendering the tickets of requests with hrefs under baseURL.
func NewTroubleTicketHubs(store HubStore, requests *servicedesk.Service, baseURL string, clock enlace.Clock) *TroubleTicketHubs {
	if clock == nil {
		clock = enlace.SystemClock{}
	}
	return &TroubleTicketHubs{store: store, requests: requests, baseURL: strings.TrimSuffix(baseURL, "/"), clock: clock}
}

// Register adds the handler of servicedesk.ChangedJob to the runner.
func (t *TroubleTicketHubs) Register(r *jobs.Runner) { r.Handle(servicedesk.ChangedJob, t.changed) }

// Watching reports whether any hub follows trouble tickets. It asks the
// store at most every few seconds; when the store cannot answer, it says
// yes, so that no change goes unannounced (the job finds out).
func (t *TroubleTicketHubs) Watching(ctx context.Context) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	if now.Before(t.until) {
		return t.watching
	}
	hubs, err := t.store.Hubs(ctx, troubleTicketAPI)
	if err != nil {
		return true
	}
	t.watching, t.until = len(hubs) > 0, now.Add(watchFor)
	return t.watching
}

// forget makes the next Watching ask the store.
func (t *TroubleTicketHubs) forget() {
	t.mu.Lock()
	t.until = time.Time{}
	t.mu.Unlock()
}

func mayManageHubs(ctx context.Context) (*enlace.Actor, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	if !servicedesk.IsAgent(a) {
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	return a, nil
}

// CreateHub subscribes a callback to TMF621's events.
func (t *TroubleTicketHubs) CreateHub(ctx context.Context, in ordering.HubInput) (*ordering.Hub, error) {
	a, err := mayManageHubs(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Check(); err != nil {
		return nil, err
	}
	h := &ordering.Hub{ID: enlace.NewID(), API: troubleTicketAPI, Version: in.Version, Callback: in.Callback, Query: in.Query,
		CreatedBy: a.UserID}
	if err := t.store.CreateHub(ctx, h, audit.Record(ctx, "hub.create", "hub", h.ID, "",
		map[string]string{"api": h.API, "callback": h.Callback})); err != nil {
		return nil, err
	}
	t.forget()
	return h, nil
}

// Hub returns a subscription to TMF621's events.
func (t *TroubleTicketHubs) Hub(ctx context.Context, id string) (*ordering.Hub, error) {
	if _, err := mayManageHubs(ctx); err != nil {
		return nil, err
	}
	h, err := t.store.HubByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if h.API != troubleTicketAPI {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return h, nil
}

// DeleteHub ends a subscription; events not yet delivered to it are
// dropped.
func (t *TroubleTicketHubs) DeleteHub(ctx context.Context, id string) error {
	h, err := t.Hub(ctx, id)
	if err != nil {
		return err
	}
	err = t.store.DeleteHub(ctx, h.ID, audit.Record(ctx, "hub.delete", "hub", h.ID, "",
		map[string]string{"api": h.API, "callback": h.Callback}))
	t.forget()
	return err
}

// ticketEvents are the events a change to a request makes: a status
// change is also a resolution, or a request for information, when it
// reached those.
func ticketEvents(pl servicedesk.ChangedPayload) []string {
	switch pl.Event {
	case servicedesk.EventCreate:
		return []string{EventTicketCreate}
	case servicedesk.EventStatus:
		switch pl.Phase {
		case servicedesk.PhaseResolved:
			return []string{EventTicketStatusChange, EventTicketResolved}
		case servicedesk.PhaseWaitingCustomer:
			return []string{EventTicketStatusChange, EventTicketInformationRequired}
		}
		return []string{EventTicketStatusChange}
	case servicedesk.EventAttribute:
		return []string{EventTicketAttributeChange}
	case servicedesk.EventDelete:
		return []string{EventTicketDelete}
	}
	return nil
}

// hubReader is who the events read requests as: staff, who see every
// customer's, as the hubs' staff owners do.
var hubReader = &enlace.Actor{Name: "TMF621 hubs", StaffRole: identity.StaffSupport}

// changed is the handler of servicedesk.ChangedJob: it queues the
// change's events for every hub that wants them, with the ticket as it
// is now (a deleted one as the job says it was). An event's id is the
// job's and its type, so that a job run twice sends events a listener
// knows for the same.
func (t *TroubleTicketHubs) changed(ctx context.Context, j jobs.Job) error {
	var pl servicedesk.ChangedPayload
	if err := json.Unmarshal([]byte(j.Payload), &pl); err != nil || pl.RequestID == "" {
		return jobs.Permanent(fmt.Errorf("decode %s payload: %v", servicedesk.ChangedJob, err))
	}
	hubs, err := t.store.Hubs(ctx, troubleTicketAPI)
	if err != nil || len(hubs) == 0 {
		return err
	}
	ticket := deletedTicket(pl.RequestID, pl.Phase, t.baseURL)
	if pl.Event != servicedesk.EventDelete {
		v, err := t.requests.Request(enlace.WithActor(ctx, hubReader), pl.RequestID)
		if enlace.ErrorCode(err) == enlace.ENOTFOUND {
			return nil // deleted since; its delete event follows
		} else if err != nil {
			return err
		}
		if ticket, err = renderTicket(v.Request, v, t.baseURL); err != nil {
			return err
		}
	}
	now := tmfTime(t.clock.Now())
	var deliveries []enlace.Effect
	for _, eventType := range ticketEvents(pl) {
		ev := ordering.Event{EventID: j.ID + "." + eventType, EventTime: now, EventType: eventType,
			TimeOccurred: tmfTime(j.CreatedAt), Domain: troubleTicketAPI, Type: eventType,
			Event: map[string]any{"troubleTicket": ticket}}
		for _, h := range hubs {
			if ordering.Wants(h.Query, eventType) {
				job, err := ordering.Delivery(h.ID, ev)
				if err != nil {
					return err
				}
				deliveries = append(deliveries, job)
			}
		}
	}
	if len(deliveries) == 0 {
		return nil
	}
	return t.store.RecordEffects(ctx, deliveries...)
}
