package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/enlace-portal/enlace/internal/jobs"
)

// Sender delivers a message on one channel. An error wrapped with
// jobs.Permanent means retrying cannot help (the recipient does not exist);
// any other error is retried with backoff.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Deliverer runs the DeliverJob of every message: it sends the message on
// its channel and records the outcome in the outbox.
type Deliverer struct {
	store   Store
	senders map[string]Sender
	log     *slog.Logger
}

// NewDeliverer returns a Deliverer sending with senders by channel
// (ChannelEmail, ChannelWhatsApp).
func NewDeliverer(store Store, senders map[string]Sender, logger *slog.Logger) *Deliverer {
	return &Deliverer{store: store, senders: senders, log: logger}
}

// Register makes r run the deliveries.
func (d *Deliverer) Register(r *jobs.Runner) { r.Handle(DeliverJob, d.Deliver) }

// Deliver sends the message of a DeliverJob. A message already sent is not
// sent again, so a job that runs twice (its lease expired) sends once as
// long as the first run recorded the delivery; if it crashed between send
// and record, the second send carries the same message id for the receiver
// to recognize.
func (d *Deliverer) Deliver(ctx context.Context, j jobs.Job) error {
	var p DeliverPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return jobs.Permanent(fmt.Errorf("decode deliver payload: %w", err))
	}
	m, err := d.store.MessageByID(ctx, p.MessageID)
	if err != nil {
		return fmt.Errorf("deliver: %w", err)
	}
	if m.Status != StatusPending {
		return nil
	}
	sender, ok := d.senders[m.Channel]
	if !ok {
		err = jobs.Permanent(fmt.Errorf("deliver message %s: no sender for channel %q", m.ID, m.Channel))
	} else {
		err = sender.Send(ctx, *m)
	}
	if err != nil {
		last := jobs.IsPermanent(err) || j.LastAttempt()
		if markErr := d.store.MarkMessageAttempt(ctx, m.ID, err.Error(), last); markErr != nil {
			d.log.Error("record delivery attempt", "message_id", m.ID, "err", markErr)
		}
		return err
	}
	if err := d.store.MarkMessageSent(ctx, m.ID); err != nil {
		return fmt.Errorf("deliver message %s: sent, but not recorded: %w", m.ID, err)
	}
	return nil
}

// OutboxOnly is the Sender of demo mode: it sends nothing, so a message is
// "delivered" to the outbox, where staff read it (a login code, say).
type OutboxOnly struct{}

// Send accepts the message without sending it anywhere.
func (OutboxOnly) Send(context.Context, Message) error { return nil }
