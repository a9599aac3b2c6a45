package audit_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

func TestFindEnforcesWhoReadsWhat(t *testing.T) {
	ctx := enlace.WithOrigin(context.Background(), enlace.RequestOrigin{IP: "192.0.2.1", RequestID: "r1"})
	store := sqlstore.MustOpenTest(t, enlace.SystemClock{})
	actor := &enlace.Actor{UserID: "u1", Email: "ana@acme.example", CustomerID: "A", CustomerRole: "admin"}
	entryA := audit.Record(enlace.WithActor(ctx, actor), "user.create", "user", "x", "A", map[string]string{"k": "v"})
	entryB := audit.Record(ctx, "user.create", "user", "y", "B", nil)
	if err := store.RecordEffects(ctx, entryA, entryB); err != nil {
		t.Fatal(err)
	}
	svc := audit.NewService(store)
	for _, tt := range []struct {
		name  string
		actor *enlace.Actor
		want  int
		code  string
	}{
		{"staff administrator reads all", &enlace.Actor{UserID: "s", StaffRole: "admin"}, 2, ""},
		{"support reads all", &enlace.Actor{UserID: "s", StaffRole: "support"}, 2, ""},
		{"technician may not", &enlace.Actor{UserID: "s", StaffRole: "technician"}, 0, enlace.EFORBIDDEN},
		{"A's administrator reads A's only", actor, 1, ""},
		{"A's end user may not", &enlace.Actor{UserID: "u", CustomerID: "A", CustomerRole: "user"}, 0, enlace.EFORBIDDEN},
		{"nobody", nil, 0, enlace.EUNAUTHORIZED},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := ctx
			if tt.actor != nil {
				c = enlace.WithActor(ctx, tt.actor)
			}
			// A customer administrator naming another customer still gets their own.
			other := "B"
			es, total, err := svc.Find(c, audit.Filter{CustomerID: &other})
			if got := enlace.ErrorCode(err); got != tt.code {
				t.Fatalf("Find() error code = %q, want %q", got, tt.code)
			}
			if tt.code == "" && tt.actor.IsStaff() {
				es, total, err = svc.Find(c, audit.Filter{})
			}
			if tt.code == "" && (err != nil || total != tt.want || len(es) != tt.want) {
				t.Errorf("Find() = %d entries (total %d), %v; want %d", len(es), total, err, tt.want)
			}
		})
	}
	// Who, what, when, from where.
	es, _, _ := svc.Find(enlace.WithActor(ctx, actor), audit.Filter{})
	if e := es[0]; e.ActorEmail != "ana@acme.example" || e.IP != "192.0.2.1" || e.RequestID != "r1" || e.Detail != `{"k":"v"}` || e.CreatedAt.IsZero() {
		t.Errorf("entry = %+v, want actor, address, request id, detail and time", e)
	}
}

// TestActionsListsEveryRecordedAction reads the source for audit.Record
// calls, so that a new action cannot miss its filter entry and its label.
func TestActionsListsEveryRecordedAction(t *testing.T) {
	re := regexp.MustCompile(`(?s)audit\.Record\([^"]*?"([a-z_.]+)"`)
	catalog := i18n.MustLoad().Localizer("en")
	found := map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			found[m[1]] = true
			if !slices.Contains(audit.Actions, m[1]) {
				t.Errorf("%s records %q, which audit.Actions lacks", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range audit.Actions {
		if !found[a] {
			t.Errorf("audit.Actions lists %q, which nothing records", a)
		}
		if key := "audit.action." + a; catalog.T(key) == key {
			t.Errorf("no label %s", key)
		}
	}
}
