package servicedesk

import (
	"context"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
)

// ChangedJob is the job kind queued, in the same transaction, with every
// change to a request while someone outside follows them (TMF621 hub
// subscribers), so that they hear of it from the durable queue.
const ChangedJob = "servicedesk.changed"

// Change events, as ChangedPayload.Event.
const (
	EventCreate    = "create"
	EventStatus    = "status"
	EventAttribute = "attribute"
	EventDelete    = "delete"
)

// ChangedPayload is the payload of ChangedJob. A deleted request can no
// longer be read, so the payload carries what its event needs.
type ChangedPayload struct {
	RequestID  string `json:"request_id"`
	Event      string `json:"event"`
	Phase      string `json:"phase"`
	Folio      string `json:"folio"`
	CustomerID string `json:"customer_id"`
}

// Watcher tells whether anyone outside follows request changes; without
// one, or when it says no, no ChangedJob is queued.
type Watcher interface {
	Watching(ctx context.Context) bool
}

// SetWatcher gives the service who follows request changes.
func (s *Service) SetWatcher(w Watcher) { s.watcher = w }

// changed returns the job announcing a change to a request, if anyone
// follows them.
func (s *Service) changed(ctx context.Context, r *Request, event string) []enlace.Effect {
	if s.watcher == nil || !s.watcher.Watching(ctx) {
		return nil
	}
	return []enlace.Effect{jobs.New(ChangedJob, ChangedPayload{RequestID: r.ID, Event: event, Phase: r.Phase,
		Folio: r.Folio, CustomerID: r.CustomerID}, s.clock.Now())}
}
