package fakecarrier

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/carrier"
)

// Webhook retries: a failed delivery is tried again at later ticks, a
// minute after the first failure and twice as long after each next one,
// up to webhookAttempts in all; after that only polling finds the event.
const (
	webhookAttempts = 5
	webhookBackoff  = time.Minute
)

// Tick emits the events due at the clock's now and posts the webhooks due:
// new events and earlier failures whose retry time came. It returns the
// failed deliveries' errors.
func (g *Gateway) Tick(ctx context.Context) error {
	g.ticking.Lock()
	defer g.ticking.Unlock()
	now := g.clock.Now()
	g.mu.Lock()
	g.emitDue(now)
	var batch []delivery
	g.outbox = slices.DeleteFunc(g.outbox, func(d delivery) bool {
		if d.next.After(now) {
			return false
		}
		batch = append(batch, d)
		return true
	})
	g.mu.Unlock()
	if g.cfg.ReorderWebhooks {
		slices.Reverse(batch)
	}
	var errs []error
	var retry []delivery
	for _, d := range batch {
		err := g.deliver(ctx, d.body)
		if err == nil {
			continue
		}
		errs = append(errs, err)
		if d.attempts++; d.attempts < webhookAttempts {
			d.next = now.Add(webhookBackoff << (d.attempts - 1))
			retry = append(retry, d)
		}
	}
	if len(retry) > 0 {
		g.mu.Lock()
		g.outbox = append(retry, g.outbox...)
		g.mu.Unlock()
	}
	return errors.Join(errs...)
}

// deliver posts one event, twice with DuplicateWebhooks; one copy
// received is a delivery.
func (g *Gateway) deliver(ctx context.Context, body []byte) error {
	err := g.post(ctx, body)
	if g.cfg.DuplicateWebhooks {
		if again := g.post(ctx, body); err != nil {
			err = again
		}
	}
	return err
}

// post sends one webhook, signed at the clock's now.
func (g *Gateway) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.cfg.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("fake carrier webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "fakecarrier")
	req.Header.Set(carrier.SignatureHeader, carrier.Sign(g.cfg.WebhookSecret, body, g.clock.Now()))
	res, err := g.cfg.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("fake carrier webhook: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("fake carrier webhook: %s answered %s", g.cfg.WebhookURL, res.Status)
	}
	return nil
}

// Run ticks every period until ctx ends, logging failed deliveries; the
// demo runs it in a goroutine.
func (g *Gateway) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := g.Tick(ctx); err != nil {
				slog.Warn("fake carrier: webhook delivery failed", "err", err)
			}
		}
	}
}
