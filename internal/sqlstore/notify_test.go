package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/notify"
)

// mustUsers inserts bare users, which notifications refer to.
func mustUsers(t *testing.T, s *Store, ids ...string) {
	t.Helper()
	for _, id := range ids {
		now := s.clock.Now()
		if _, err := s.db.Exec(`INSERT INTO users (id, email, first_name, last_name, password_hash,
			password_changed_at, created_at, updated_at) VALUES ($1, $2, 'N', 'N', 'x', $3, $3, $3)`,
			id, id+"@example.mx", now); err != nil {
			t.Fatal(err)
		}
	}
}

// notifyFixture gives user "ana" a notification for customers c1 and c2
// and a personal one, and user "bob" one for c1, one second apart; it
// returns their ids by "user/customer".
func notifyFixture(t *testing.T) (*Store, map[string]string) {
	t.Helper()
	clock := enlace.NewFakeClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s := MustOpenTest(t, clock)
	mustUsers(t, s, "ana", "bob")
	ids := map[string]string{}
	for _, n := range []notify.Notification{
		{UserID: "ana", CustomerID: "c1"}, {UserID: "ana", CustomerID: "c2"},
		{UserID: "ana"}, {UserID: "bob", CustomerID: "c1"},
	} {
		n.Kind, n.TitleKey, n.BodyKey = "ticket", "t", "b"
		n.Args = map[string]string{"ticket": n.UserID + "/" + n.CustomerID}
		if err := s.RecordEffects(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		var id string
		if err := s.db.Get(&id, `SELECT id FROM notifications ORDER BY id DESC LIMIT 1`); err != nil {
			t.Fatal(err)
		}
		ids[n.UserID+"/"+n.CustomerID] = id
		clock.Advance(time.Second)
	}
	return s, ids
}

// argsOf lists the notifications by their "ticket" argument.
func argsOf(ns []notify.Notification) []string {
	out := []string{}
	for _, n := range ns {
		out = append(out, n.Args["ticket"])
	}
	return out
}

func TestNotificationScope(t *testing.T) {
	s, _ := notifyFixture(t)
	for _, tt := range []struct {
		user, customer string
		want           []string
	}{
		{"ana", "c1", []string{"ana/", "ana/c1"}},
		{"ana", "c2", []string{"ana/", "ana/c2"}},
		{"ana", "", []string{"ana/"}}, // as staff
		{"bob", "c1", []string{"bob/c1"}},
		{"bob", "c2", []string{}},
	} {
		ns, unread, err := s.RecentNotifications(context.Background(), tt.user, tt.customer, 10)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, argsOf(ns)); diff != "" || unread != len(tt.want) {
			t.Errorf("RecentNotifications(%s, %s): unread %d, (-want +got):\n%s", tt.user, tt.customer, unread, diff)
		}
	}
}

// TestNotificationServiceHidesOthers makes sure a user can neither open
// nor mark another user's notification, nor one of a customer they are not
// acting for: all of them are not found.
func TestNotificationServiceHidesOthers(t *testing.T) {
	s, ids := notifyFixture(t)
	svc := notify.NewService(s)
	ana := enlace.WithActor(context.Background(), &enlace.Actor{UserID: "ana", CustomerID: "c1"})
	for _, id := range []string{ids["bob/c1"], ids["ana/c2"], "no-such-id"} {
		if _, err := svc.Get(ana, id); enlace.ErrorCode(err) != enlace.ENOTFOUND {
			t.Errorf("Get(%s) = %v, want not found", id, err)
		}
		if err := svc.MarkRead(ana, id); enlace.ErrorCode(err) != enlace.ENOTFOUND {
			t.Errorf("MarkRead(%s) = %v, want not found", id, err)
		}
	}
	n, err := svc.Get(ana, ids["ana/c1"])
	if err != nil || n.ReadAt == nil || n.Args["ticket"] != "ana/c1" {
		t.Fatalf("Get(own) = %+v, %v, want it, read", n, err)
	}
	if err := svc.MarkAllRead(ana); err != nil {
		t.Fatal(err)
	}
	bob := enlace.WithActor(context.Background(), &enlace.Actor{UserID: "bob", CustomerID: "c1"})
	if _, unread, _ := svc.Recent(bob); unread != 1 {
		t.Errorf("bob's unread after ana read all = %d, want 1", unread)
	}
	if _, unread, _ := svc.Recent(ana); unread != 0 {
		t.Errorf("ana's unread after reading all = %d, want 0", unread)
	}
}

func TestFindNotificationsPages(t *testing.T) {
	s, ids := notifyFixture(t)
	ctx := context.Background()
	if err := s.MarkNotificationRead(ctx, "ana", "c1", ids["ana/"]); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name      string
		f         notify.NotificationFilter
		want      []string
		wantTotal int
	}{
		{"first page", notify.NotificationFilter{Limit: 1}, []string{"ana/"}, 2},
		{"second page", notify.NotificationFilter{Offset: 1, Limit: 1}, []string{"ana/c1"}, 2},
		{"unread only", notify.NotificationFilter{UnreadOnly: true, Limit: 10}, []string{"ana/c1"}, 1},
	} {
		ns, total, err := s.FindNotifications(ctx, "ana", "c1", tt.f)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, argsOf(ns)); diff != "" || total != tt.wantTotal {
			t.Errorf("%s: total %d, want %d; (-want +got):\n%s", tt.name, total, tt.wantTotal, diff)
		}
	}
}

func TestOutboxOnlyForStaffAdmins(t *testing.T) {
	s := MustOpenTest(t, enlace.SystemClock{})
	svc := notify.NewService(s)
	for _, tt := range []struct {
		name  string
		actor *enlace.Actor
		want  string
	}{
		{"anonymous", nil, enlace.EUNAUTHORIZED},
		{"customer admin", &enlace.Actor{UserID: "u", CustomerID: "c1", CustomerRole: "admin"}, enlace.EFORBIDDEN},
		{"support agent", &enlace.Actor{UserID: "u", StaffRole: "support"}, enlace.EFORBIDDEN},
		{"staff admin", &enlace.Actor{UserID: "u", StaffRole: "admin"}, ""},
	} {
		ctx := enlace.WithActor(context.Background(), tt.actor)
		if _, _, err := svc.Outbox(ctx, notify.MessageFilter{}); enlace.ErrorCode(err) != tt.want {
			t.Errorf("%s: Outbox() = %v, want code %q", tt.name, err, tt.want)
		}
	}
}

func TestFindMessagesNewestFirst(t *testing.T) {
	ctx := context.Background()
	clock := enlace.NewFakeClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s := MustOpenTest(t, clock)
	for _, to := range []string{"a@x.mx", "b@x.mx", "+5215512345678"} {
		ch := notify.ChannelEmail
		if to[0] == '+' {
			ch = notify.ChannelWhatsApp
		}
		m := notify.Message{Channel: ch, Recipient: to, Purpose: "login_code", BodyText: "x"}
		if err := s.RecordEffects(ctx, m); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Second)
	}
	email := notify.ChannelEmail
	for _, tt := range []struct {
		name      string
		f         notify.MessageFilter
		want      []string
		wantTotal int
	}{
		{"all", notify.MessageFilter{Limit: 10}, []string{"+5215512345678", "b@x.mx", "a@x.mx"}, 3},
		{"page", notify.MessageFilter{Offset: 1, Limit: 1}, []string{"b@x.mx"}, 3},
		{"e-mail", notify.MessageFilter{Channel: &email, Limit: 10}, []string{"b@x.mx", "a@x.mx"}, 2},
	} {
		ms, total, err := s.FindMessages(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, m := range ms {
			got = append(got, m.Recipient)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" || total != tt.wantTotal {
			t.Errorf("%s: total %d, want %d; (-want +got):\n%s", tt.name, total, tt.wantTotal, diff)
		}
	}
}
