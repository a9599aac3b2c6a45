package notify_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// countingSender counts what it sends and fails with errs, one per send,
// while there are any.
type countingSender struct {
	mu   sync.Mutex
	sent []notify.Message
	errs []error
}

func (s *countingSender) Send(_ context.Context, m notify.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errs) > 0 {
		err := s.errs[0]
		s.errs = s.errs[1:]
		return err
	}
	s.sent = append(s.sent, m)
	return nil
}

func (s *countingSender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

func mustOpen(t *testing.T, url string, clock enlace.Clock) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), url, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func deliveryRunner(s *sqlstore.Store, clock enlace.Clock, sender notify.Sender) *jobs.Runner {
	r := jobs.NewRunner(s, clock, quiet)
	notify.NewDeliverer(s, map[string]notify.Sender{notify.ChannelEmail: sender}, quiet).Register(r)
	return r
}

func runDue(t *testing.T, r *jobs.Runner) {
	t.Helper()
	if _, err := r.RunDue(context.Background()); err != nil {
		t.Fatalf("RunDue() = %v", err)
	}
}

// onlyMessage returns the one message in the outbox.
func onlyMessage(t *testing.T, s *sqlstore.Store) notify.Message {
	t.Helper()
	ms, total, err := s.FindMessages(context.Background(), notify.MessageFilter{Limit: 10})
	if err != nil || total != 1 {
		t.Fatalf("FindMessages() = %d messages, %v, want 1", total, err)
	}
	return ms[0]
}

var email = notify.Message{Channel: notify.ChannelEmail, Recipient: "ana@example.mx",
	Purpose: notify.PurposeLoginCode, Subject: "Código", BodyText: "482913"}

// TestOutboxDeliversOnceAcrossRestart commits a message, "crashes" before
// anything sends it, and lets a new process deliver it: exactly once, and
// still once when the runner looks again.
func TestOutboxDeliversOnceAcrossRestart(t *testing.T) {
	ctx := context.Background()
	clock := enlace.NewFakeClock(start)
	url := sqlstore.TestURL(t)
	before := mustOpen(t, url, clock)
	if err := before.RecordEffects(ctx, email); err != nil {
		t.Fatal(err)
	}
	before.Close()

	after := mustOpen(t, url, clock)
	sender := &countingSender{}
	r := deliveryRunner(after, clock, sender)
	for range 2 {
		runDue(t, r)
		if n := sender.count(); n != 1 {
			t.Fatalf("sent %d times, want 1", n)
		}
	}
	m := onlyMessage(t, after)
	if m.Status != notify.StatusSent || m.SentAt == nil || m.Attempts != 1 {
		t.Errorf("message = %s, sent at %v, %d attempts; want sent, set, 1", m.Status, m.SentAt, m.Attempts)
	}
	if n, err := after.OutboxDepth(ctx); n != 0 || err != nil {
		t.Errorf("OutboxDepth() = %d, %v, want 0", n, err)
	}
}

// TestDeliverJobRunTwiceSendsOnce plays a second delivery job for a message
// already sent (its first job's lease expired after the send was recorded).
func TestDeliverJobRunTwiceSendsOnce(t *testing.T) {
	ctx := context.Background()
	clock := enlace.NewFakeClock(start)
	s := sqlstore.MustOpenTest(t, clock)
	if err := s.RecordEffects(ctx, email); err != nil {
		t.Fatal(err)
	}
	sender := &countingSender{}
	r := deliveryRunner(s, clock, sender)
	runDue(t, r)
	again := jobs.New(notify.DeliverJob, notify.DeliverPayload{MessageID: onlyMessage(t, s).ID}, time.Time{})
	if err := s.RecordEffects(ctx, again); err != nil {
		t.Fatal(err)
	}
	runDue(t, r)
	if n := sender.count(); n != 1 {
		t.Errorf("sent %d times, want 1", n)
	}
}

func TestDeliverFailures(t *testing.T) {
	for _, tt := range []struct {
		name       string
		errs       []error
		advance    time.Duration
		wantStatus string
		wantSent   int
		wantError  string
	}{
		{"retried after backoff", []error{errors.New("connection refused")}, jobs.BackoffBase, notify.StatusSent, 1, ""},
		{"not before backoff", []error{errors.New("connection refused")}, jobs.BackoffBase / 4, notify.StatusPending, 0, "connection refused"},
		{"permanent", []error{jobs.Permanent(errors.New("550 no such user"))}, jobs.BackoffMax, notify.StatusFailed, 0, "550 no such user"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clock := enlace.NewFakeClock(start)
			s := sqlstore.MustOpenTest(t, clock)
			if err := s.RecordEffects(ctx, email); err != nil {
				t.Fatal(err)
			}
			sender := &countingSender{errs: tt.errs}
			r := deliveryRunner(s, clock, sender)
			runDue(t, r)
			clock.Advance(tt.advance)
			runDue(t, r)
			m := onlyMessage(t, s)
			if m.Status != tt.wantStatus || sender.count() != tt.wantSent || m.LastError != tt.wantError {
				t.Errorf("message = %s, %q after %d sends; want %s, %q after %d",
					m.Status, m.LastError, sender.count(), tt.wantStatus, tt.wantError, tt.wantSent)
			}
		})
	}
}
