package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/licensing"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// teamsUser returns an account with the verdict on its licences.
func teamsUser(upn, name string, licences ...string) licensing.User {
	return licensing.User{UPN: upn, DisplayName: name, Licences: licences, Verdict: licensing.Check(licences)}
}

// TestTeamsUsers: a customer's accounts and summary read back as stored,
// page and filter within the customer, and a new list replaces the old
// in one transaction with its audit entry.
func TestTeamsUsers(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	if _, err := d.s.TeamsSummary(ctx, d.a); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("TeamsSummary(before any import) = %v, want not found", err)
	}
	users := []licensing.User{
		teamsUser("ana@a.example", "Ana López", "Microsoft 365 E5"),
		teamsUser("bruno@a.example", "Bruno_Díaz", "Office 365 E3"),
		teamsUser("carla@a.example", "Carla", "Microsoft 365 E5", "Microsoft Teams Domestic Calling Plan"),
		teamsUser("dora@a.example", "Dora"),
	}
	sum := &licensing.Summary{CustomerID: d.a, FileName: "users.csv", ImportedBy: "ana@a.example", Users: 4, Ready: 1,
		Kinds:     licensing.Counts{{Key: licensing.KindUser, Count: 4}},
		Missing:   licensing.Counts{{Key: licensing.MissingTeams, Count: 1}, {Key: licensing.MissingTeamsPhone, Count: 2}},
		ErrorRows: 1, Problems: numbering.Problems{{Line: 7, Column: "User principal name", Key: "licensing.error.no_upn"}}}
	entry := audit.Entry{Action: "licensing.import", ObjectType: "customer", ObjectID: d.a, CustomerID: d.a}
	mustDo(t, d.s.ReplaceTeamsUsers(ctx, sum, users, entry))
	mustDo(t, d.s.ReplaceTeamsUsers(ctx, &licensing.Summary{CustomerID: d.b, FileName: "b.csv", Users: 1},
		[]licensing.User{teamsUser("ana@b.example", "Ana de B")}))
	if !sum.ImportedAt.Equal(d.clock.Now()) || users[0].CustomerID != d.a || !users[0].ImportedAt.Equal(d.clock.Now()) {
		t.Errorf("ReplaceTeamsUsers left summary at %v and account %+v, want the customer and the time", sum.ImportedAt, users[0])
	}

	got, err := d.s.TeamsSummary(ctx, d.a)
	if diff := cmp.Diff(sum, got); err != nil || diff != "" {
		t.Errorf("TeamsSummary() = %v (-stored +read):\n%s", err, diff)
	}
	u, err := d.s.TeamsUser(ctx, d.a, "carla@a.example")
	if diff := cmp.Diff(&users[2], u); err != nil || diff != "" {
		t.Errorf("TeamsUser() = %v (-stored +read):\n%s", err, diff)
	}
	if u, err := d.s.TeamsUser(ctx, d.a, "dora@a.example"); err != nil || len(u.Licences) != 0 || u.Licences == nil {
		t.Errorf("TeamsUser(unlicensed) = %+v, %v; want an empty list of licences", u, err)
	}
	if _, err := d.s.TeamsUser(ctx, d.b, "carla@a.example"); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("TeamsUser(another customer's) = %v, want not found", err)
	}

	for _, tt := range []struct {
		name  string
		f     licensing.Filter
		want  []string
		total int
	}{
		{"all", licensing.Filter{Limit: 10}, []string{"ana@a.example", "bruno@a.example", "carla@a.example", "dora@a.example"}, 4},
		{"page", licensing.Filter{Offset: 1, Limit: 2}, []string{"bruno@a.example", "carla@a.example"}, 4},
		{"not ready", licensing.Filter{Missing: licensing.MissingAny, Limit: 10}, []string{"bruno@a.example", "carla@a.example", "dora@a.example"}, 3},
		// The key of Teams is a prefix of Teams Phone's: only whole keys match.
		{"lacking Teams", licensing.Filter{Missing: licensing.MissingTeams, Limit: 10}, []string{"dora@a.example"}, 1},
		{"lacking Teams Phone", licensing.Filter{Missing: licensing.MissingTeamsPhone, Limit: 10}, []string{"bruno@a.example", "dora@a.example"}, 2},
		{"by sign-in", licensing.Filter{Query: "CAR", Limit: 10}, []string{"carla@a.example"}, 1},
		{"by name", licensing.Filter{Query: "ana ló", Limit: 10}, []string{"ana@a.example"}, 1},
		{"an underscore is a letter", licensing.Filter{Query: "bruno_", Limit: 10}, []string{"bruno@a.example"}, 1},
		{"not a wildcard", licensing.Filter{Query: "b_uno", Limit: 10}, []string{}, 0},
		{"none", licensing.Filter{Query: "zz", Limit: 10}, []string{}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			f.CustomerID = d.a
			us, total, err := d.s.FindTeamsUsers(ctx, f)
			mustDo(t, err)
			upns := []string{}
			for _, u := range us {
				upns = append(upns, u.UPN)
			}
			if diff := cmp.Diff(tt.want, upns); diff != "" || total != tt.total {
				t.Errorf("FindTeamsUsers(%+v) total %d, want %d (-want +got):\n%s", f, total, tt.total, diff)
			}
		})
	}

	// A new list replaces the accounts and the summary.
	d.clock.Advance(time.Hour)
	next := &licensing.Summary{CustomerID: d.a, FileName: "nuevo.csv", ImportedBy: "pm@p.example", Users: 1, Ready: 1}
	mustDo(t, d.s.ReplaceTeamsUsers(ctx, next, []licensing.User{teamsUser("eva@a.example", "Eva", "SPE_E5")}))
	us, total, err := d.s.FindTeamsUsers(ctx, licensing.Filter{CustomerID: d.a, Limit: 10})
	if err != nil || total != 1 || us[0].UPN != "eva@a.example" {
		t.Errorf("FindTeamsUsers(after a new list) = %+v, %d, %v; want only Eva", us, total, err)
	}
	if got, err := d.s.TeamsSummary(ctx, d.a); err != nil || got.FileName != "nuevo.csv" || !got.ImportedAt.Equal(d.clock.Now()) || got.ErrorRows != 0 {
		t.Errorf("TeamsSummary(after a new list) = %+v, %v; want nuevo.csv, now", got, err)
	}
	if _, total, err := d.s.FindTeamsUsers(ctx, licensing.Filter{CustomerID: d.b, Limit: 10}); err != nil || total != 1 {
		t.Errorf("B's accounts after A's new list = %d, %v; want B's one", total, err)
	}
	entries, _, err := d.s.FindAuditEntries(ctx, audit.Filter{CustomerID: &d.a, Limit: 10})
	if err != nil || len(entries) != 1 || entries[0].Action != "licensing.import" {
		t.Errorf("audit of A = %+v, %v; want the first list's entry", entries, err)
	}

	// A list with an account twice fails whole: the old one stays.
	twice := []licensing.User{teamsUser("fer@a.example", "Fer"), teamsUser("fer@a.example", "Fer")}
	if err := d.s.ReplaceTeamsUsers(ctx, &licensing.Summary{CustomerID: d.a, FileName: "doble.csv"}, twice); enlace.ErrorCode(err) != enlace.ECONFLICT {
		t.Errorf("ReplaceTeamsUsers(an account twice) = %v, want conflict", err)
	}
	if got, err := d.s.TeamsSummary(ctx, d.a); err != nil || got.FileName != "nuevo.csv" {
		t.Errorf("TeamsSummary(after a failed list) = %+v, %v; want nuevo.csv still", got, err)
	}
}
