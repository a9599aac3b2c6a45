package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// inbox is a sender shared by replicas that keeps what they deliver.
type inbox struct {
	mu   sync.Mutex
	sent []notify.Message
}

func (b *inbox) Send(_ context.Context, m notify.Message) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sent = append(b.sent, m)
	return nil
}

// wait returns the messages of a purpose once there is one.
func (b *inbox) wait(t *testing.T, purpose string) []notify.Message {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		b.mu.Lock()
		var found []notify.Message
		for _, m := range b.sent {
			if m.Purpose == purpose {
				found = append(found, m)
			}
		}
		b.mu.Unlock()
		if len(found) > 0 {
			return found
		}
	}
	t.Fatalf("no %s message was delivered", purpose)
	return nil
}

// TestReplicasShareOneDatabase runs two replicas on one database and
// signs in alternating between them at every step: sessions, codes and
// jobs live in the database, so either replica serves any request, and a
// message is delivered once whichever runner picks it up.
func TestReplicasShareOneDatabase(t *testing.T) {
	dbURL := sqlstore.TestURL(t)
	box := &inbox{}
	var replicas [2]*Main
	for i := range replicas {
		cfg := DefaultConfig()
		cfg.Addr, cfg.DataDir, cfg.DatabaseURL = "127.0.0.1:0", t.TempDir(), dbURL
		m := NewMain(cfg, slog.New(slog.DiscardHandler))
		m.Senders = map[string]notify.Sender{notify.ChannelEmail: box, notify.ChannelWhatsApp: box}
		if err := m.Run(context.Background()); err != nil {
			t.Fatalf("replica %d: Run() = %v", i, err)
		}
		t.Cleanup(func() { m.Close() })
		replicas[i] = m
	}
	a, b := replicas[0].BaseURL(), replicas[1].BaseURL()
	_, temp, err := replicas[0].Identity.CreateStaffUser(context.Background(), identity.NewStaffUser{
		Email: "ops@proveedor.example", FirstName: "Olga", LastName: "Ops", Role: identity.StaffAdmin})
	if err != nil {
		t.Fatal(err)
	}

	// One browser: the cookie jar ignores ports, as browsers do for one host.
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(base, path string, form url.Values, want int, wantLocation string) {
		t.Helper()
		resp, err := client.PostForm(base+path, form)
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		resp.Body.Close()
		if resp.StatusCode != want || resp.Header.Get("Location") != wantLocation {
			t.Fatalf("POST %s%s = %d %q, want %d %q", base, path, resp.StatusCode, resp.Header.Get("Location"), want, wantLocation)
		}
	}
	post(a, "/login", url.Values{"email": {"ops@proveedor.example"}, "password": {temp}}, 303, "/login/code")
	post(b, "/login/code/send", url.Values{"channel": {"email"}}, 200, "")
	codes := box.wait(t, "login_code")
	post(a, "/login/code", url.Values{"code": {codes[0].Code}}, 303, "/password/change")
	post(b, "/password/change", url.Values{"current": {temp}, "password": {"Replica#2026x"}, "confirm": {"Replica#2026x"}}, 303, "/")

	resp, err := client.Get(a + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET / on the other replica = %d, want 200", resp.StatusCode)
	}
	box.wait(t, "password_changed")
	if got := len(box.wait(t, "login_code")); got != 1 {
		t.Errorf("login code delivered %d times, want once", got)
	}
}
