package licensing_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/licensing"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// The service is the numbering's licence check.
var _ numbering.Licences = (*licensing.Service)(nil)

// world is the licence check on a real store, with two customers.
type world struct {
	store *sqlstore.Store
	clock *enlace.FakeClock
	svc   *licensing.Service
	a, b  string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{clock: enlace.NewFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))}
	w.store = sqlstore.MustOpenTest(t, w.clock)
	w.svc = licensing.NewService(w.store, w.clock)
	for _, id := range []*string{&w.a, &w.b} {
		c := customer.Customer{ID: enlace.NewID(), Number: "C-" + enlace.NewSecret(4), Name: "Cliente"}
		must(t, w.store.CreateCustomer(context.Background(), &c))
		*id = c.ID
	}
	return w
}

// Actors of the tests.
func staff(role string) *enlace.Actor {
	return &enlace.Actor{UserID: "s-" + role, Email: role + "@proveedor.mx", StaffRole: role}
}

func member(customerID, role string, readOnly bool) *enlace.Actor {
	return &enlace.Actor{UserID: "u-" + role, Email: role + "@contoso.mx", CustomerID: customerID, CustomerRole: role, ReadOnly: readOnly}
}

func as(a *enlace.Actor) context.Context { return enlace.WithActor(context.Background(), a) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func sample(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/users.csv")
	must(t, err)
	return b
}

// TestImport loads the sample export: every account with its verdict,
// the figures, the row without a sign-in name reported by its line, and
// the audit entry; a second list replaces the first.
func TestImport(t *testing.T) {
	w := newWorld(t)
	ctx := as(member(w.a, identity.RoleAdmin, false))
	sum, err := w.svc.Import(ctx, "", `C:\Descargas\users.csv`, sample(t))
	must(t, err)
	want := &licensing.Summary{CustomerID: w.a, Imported: true, FileName: "users.csv", ImportedAt: w.clock.Now(),
		ImportedBy: "admin@contoso.mx", Users: 13, Ready: 7,
		Kinds: licensing.Counts{{Key: licensing.KindUser, Count: 10}, {Key: licensing.KindDevice, Count: 1}, {Key: licensing.KindResource, Count: 2}},
		Missing: licensing.Counts{{Key: licensing.MissingTeams, Count: 2}, {Key: licensing.MissingTeamsPhone, Count: 5},
			{Key: licensing.MissingRemoveCallingPlan, Count: 2}},
		ErrorRows: 1, Problems: numbering.Problems{{Line: 15, Column: "User principal name", Key: "licensing.error.no_upn"}}}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("Import() summary (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, mustSummary(t, w.svc, ctx, w.a)); diff != "" {
		t.Errorf("Summary() (-want +got):\n%s", diff)
	}

	users, total, err := w.svc.Users(ctx, "", licensing.Filter{}, 0, 50)
	must(t, err)
	if total != 13 || len(users) != 13 {
		t.Fatalf("Users() = %d of %d, want 13", len(users), total)
	}
	byUPN := map[string]licensing.User{}
	for _, u := range users {
		byUPN[u.UPN] = u
	}
	jose := byUPN["jose.martinez@contoso.mx"]
	wantJose := licensing.User{UPN: "jose.martinez@contoso.mx", DisplayName: "José Martínez",
		Licences: licensing.Names{"Microsoft 365 E5", "Microsoft Teams Domestic Calling Plan"},
		Verdict: licensing.Verdict{Kind: licensing.KindUser, Missing: licensing.Keys{licensing.MissingRemoveCallingPlan},
			Notes: licensing.Keys{licensing.NoteAudioConferencing}}, ImportedAt: w.clock.Now()}
	if diff := cmp.Diff(wantJose, jose, cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "CustomerID" }, cmp.Ignore())); diff != "" {
		t.Errorf("José (-want +got):\n%s", diff)
	}
	if f := byUPN["fernando.ruiz@contoso.mx"]; len(f.Licences) != 0 || f.Ready {
		t.Errorf("unlicensed Fernando = %+v, want no licences and not ready", f)
	}
	if r := byUPN["conmutador@contoso.mx"]; r.Kind != licensing.KindResource || !r.Ready {
		t.Errorf("auto attendant's account = %+v, want a ready resource account", r)
	}

	entries, _, err := w.store.FindAuditEntries(context.Background(), audit.Filter{CustomerID: &w.a, Limit: 10})
	must(t, err)
	if len(entries) != 1 || entries[0].Action != "licensing.import" || entries[0].ActorEmail != "admin@contoso.mx" ||
		!strings.Contains(entries[0].Detail, `"users":13`) {
		t.Errorf("audit = %+v, want one licensing.import entry by the administrator", entries)
	}

	// A new list replaces the old: accounts it lacks are gone.
	w.clock.Advance(time.Hour)
	second := "\ufeffDisplay name,User principal name,Licenses\r\nCarla Mendoza,carla.mendoza@contoso.mx,Office 365 E3+Microsoft Teams Phone Standard\r\n"
	sum, err = w.svc.Import(as(staff(identity.StaffPM)), w.a, "segunda.csv", []byte(second))
	must(t, err)
	if sum.Users != 1 || sum.Ready != 1 || sum.ErrorRows != 0 || !sum.ImportedAt.Equal(w.clock.Now()) || sum.ImportedBy != "pm@proveedor.mx" {
		t.Errorf("second Import() = %+v, want one ready account imported now by the PM", sum)
	}
	users, total, err = w.svc.Users(ctx, "", licensing.Filter{}, 0, 50)
	must(t, err)
	if total != 1 || users[0].UPN != "carla.mendoza@contoso.mx" || !users[0].Ready {
		t.Errorf("Users() after the second list = %+v (total %d), want Carla, ready", users, total)
	}
}

func mustSummary(t *testing.T, svc *licensing.Service, ctx context.Context, customerID string) *licensing.Summary {
	t.Helper()
	sum, err := svc.Summary(ctx, customerID)
	must(t, err)
	return sum
}

// TestImportRefusesFiles: a file wrong as a whole is refused on the file
// field and changes nothing; rows left out are reported by line.
func TestImportRefusesFiles(t *testing.T) {
	w := newWorld(t)
	ctx := as(member(w.a, identity.RoleTechnical, false))
	_, err := w.svc.Import(ctx, "", "users.csv", sample(t))
	must(t, err)
	for _, tt := range []struct {
		name, data, key string
	}{
		{"empty", "", "importer.error.empty"},
		{"binary", "\x00\x01PK\x03\x04", "importer.error.binary"},
		{"no licences column", "Display name,User principal name\nAna,ana@contoso.mx\n", "importer.error.columns_missing"},
		{"no sign-in column", "Display name,Licenses\nAna,Microsoft 365 E5\n", "importer.error.columns_missing"},
		{"header only", "User principal name,Licenses\n", "importer.error.no_rows"},
		{"no usable row", "User principal name,Licenses\n,Microsoft 365 E5\nnot an address,Office 365 E3\n", "licensing.error.no_users"},
		{"too large", strings.Repeat("x", licensing.MaxImportBytes+1), "importer.error.too_large"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.svc.Import(ctx, "", "x.csv", []byte(tt.data))
			e := enlace.AsError(err)
			if e.Code != enlace.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != "file" || e.Fields[0].Message != tt.key {
				t.Errorf("Import(%s) = %v, want %s on the file", tt.name, err, tt.key)
			}
		})
	}
	if sum := mustSummary(t, w.svc, ctx, ""); sum.Users != 13 || sum.FileName != "users.csv" {
		t.Errorf("after refused files, summary = %+v, want the first list's", sum)
	}

	rows := "Display name,User principal name,Licenses\n" +
		"Ana,ana@contoso.mx,SPE_E5\n" +
		"Ana otra vez,ANA@contoso.mx,SPE_E3\n" +
		"Sin arroba,ana.contoso.mx,SPE_E5\n" +
		`"roto,ana2@contoso.mx,SPE_E5` + "\n"
	sum, err := w.svc.Import(ctx, "", "filas.csv", []byte(rows))
	must(t, err)
	want := numbering.Problems{
		{Line: 3, Column: "User principal name", Key: "licensing.error.repeated", Args: map[string]string{"UPN": "ana@contoso.mx", "Line": "2"}},
		{Line: 4, Column: "User principal name", Key: "licensing.error.upn", Args: map[string]string{"UPN": "ana.contoso.mx"}},
		{Line: 5, Key: "importer.error.quotes", Args: map[string]string{"Line": "5"}},
	}
	if diff := cmp.Diff(want, sum.Problems); diff != "" || sum.Users != 1 || sum.ErrorRows != 3 {
		t.Errorf("Import(bad rows) = %d users, %d rows left out, problems (-want +got):\n%s", sum.Users, sum.ErrorRows, diff)
	}
}

// TestAccess runs every operation as every kind of actor: the staff who
// manage numbers reach every customer, a customer's administrators and
// technical contacts their own (read-only ones only to look), another
// customer is not found, and everyone else is refused.
func TestAccess(t *testing.T) {
	w := newWorld(t)
	data := sample(t)
	_, err := w.svc.Import(as(staff(identity.StaffAdmin)), w.b, "b.csv", data)
	must(t, err)
	type op struct {
		name string
		call func(ctx context.Context, customerID string) error
	}
	ops := []op{
		{"Summary", func(ctx context.Context, c string) error { _, err := w.svc.Summary(ctx, c); return err }},
		{"Users", func(ctx context.Context, c string) error {
			_, _, err := w.svc.Users(ctx, c, licensing.Filter{}, 0, 10)
			return err
		}},
		{"Missing", func(ctx context.Context, c string) error {
			_, _, err := w.svc.Missing(ctx, c, "ana.lopez@contoso.mx")
			return err
		}},
		{"Import", func(ctx context.Context, c string) error { _, err := w.svc.Import(ctx, c, "x.csv", data); return err }},
	}
	for _, tt := range []struct {
		name     string
		actor    *enlace.Actor
		customer string
		look     string // the error code of the reads
		change   string // the error code of Import
	}{
		{"staff admin, B", staff(identity.StaffAdmin), w.b, "", ""},
		{"project manager, B", staff(identity.StaffPM), w.b, "", ""},
		{"support agent, A", staff(identity.StaffSupport), w.a, "", ""},
		{"technician", staff(identity.StaffTechnician), w.b, enlace.EFORBIDDEN, enlace.EFORBIDDEN},
		{"account executive", staff(identity.StaffAccountExec), w.b, enlace.EFORBIDDEN, enlace.EFORBIDDEN},
		{"staff naming no customer", staff(identity.StaffAdmin), "", enlace.EINVALID, enlace.EINVALID},
		{"staff naming an unknown customer", staff(identity.StaffAdmin), enlace.NewID(), enlace.ENOTFOUND, enlace.ENOTFOUND},
		{"A admin, own", member(w.a, identity.RoleAdmin, false), w.a, "", ""},
		{"A admin, naming none", member(w.a, identity.RoleAdmin, false), "", "", ""},
		{"A admin, naming B", member(w.a, identity.RoleAdmin, false), w.b, enlace.ENOTFOUND, enlace.ENOTFOUND},
		{"A technical contact", member(w.a, identity.RoleTechnical, false), w.a, "", ""},
		{"A read-only administrator", member(w.a, identity.RoleAdmin, true), w.a, "", enlace.EFORBIDDEN},
		{"A read-only technical contact", member(w.a, identity.RoleTechnical, true), w.a, "", enlace.EFORBIDDEN},
		{"A read-only technical contact, naming B", member(w.a, identity.RoleTechnical, true), w.b, enlace.ENOTFOUND, enlace.ENOTFOUND},
		{"A end user", member(w.a, identity.RoleUser, false), w.a, enlace.EFORBIDDEN, enlace.EFORBIDDEN},
		{"A billing contact", member(w.a, identity.RoleBilling, false), w.a, enlace.EFORBIDDEN, enlace.EFORBIDDEN},
		{"A end user, naming B", member(w.a, identity.RoleUser, false), w.b, enlace.ENOTFOUND, enlace.ENOTFOUND},
		{"nobody", nil, w.a, enlace.EUNAUTHORIZED, enlace.EUNAUTHORIZED},
	} {
		for _, o := range ops {
			t.Run(tt.name+"/"+o.name, func(t *testing.T) {
				want := tt.look
				if o.name == "Import" {
					want = tt.change
				}
				ctx := context.Background()
				if tt.actor != nil {
					ctx = as(tt.actor)
				}
				if got := enlace.ErrorCode(o.call(ctx, tt.customer)); got != want {
					t.Errorf("%s = %q, want %q", o.name, got, want)
				}
			})
		}
	}
	// The project manager's was the last import allowed on B.
	sum := mustSummary(t, w.svc, as(staff(identity.StaffAdmin)), w.b)
	if sum.FileName != "x.csv" || sum.ImportedBy != "pm@proveedor.mx" {
		t.Errorf("B's last import = %q by %q, want the project manager's x.csv", sum.FileName, sum.ImportedBy)
	}
}

// TestMissing answers the numbering: nothing checked before a list is
// imported, then each account's missing items by its sign-in name in any
// case, and "not in tenant" for an account the list lacks.
func TestMissing(t *testing.T) {
	w := newWorld(t)
	ctx := as(member(w.a, identity.RoleTechnical, false))
	if missing, checked, err := w.svc.Missing(ctx, w.a, "ana.lopez@contoso.mx"); err != nil || checked || missing != nil {
		t.Errorf("Missing() before any list = %v, %v, %v; want not checked", missing, checked, err)
	}
	_, err := w.svc.Import(ctx, w.a, "users.csv", sample(t))
	must(t, err)
	for _, tt := range []struct {
		ref  string
		want []string
	}{
		{"ana.lopez@contoso.mx", []string{}},
		{" Carla.Mendoza@CONTOSO.mx ", []string{licensing.MissingTeamsPhone}},
		{"elena.castro@contoso.mx", []string{licensing.MissingTeamsPhone, licensing.MissingRemoveCallingPlan}},
		{"fernando.ruiz@contoso.mx", []string{licensing.MissingTeams, licensing.MissingTeamsPhone}},
		{"cola.ventas@contoso.mx", []string{}},
		{"nadie@contoso.mx", []string{licensing.MissingNotInTenant}},
	} {
		missing, checked, err := w.svc.Missing(ctx, w.a, tt.ref)
		if diff := cmp.Diff(tt.want, missing); err != nil || !checked || diff != "" {
			t.Errorf("Missing(%q) = %v, %v (-want +got):\n%s", tt.ref, checked, err, diff)
		}
	}
	// B imported nothing: its accounts are not checked.
	if _, checked, err := w.svc.Missing(as(staff(identity.StaffAdmin)), w.b, "ana.lopez@contoso.mx"); err != nil || checked {
		t.Errorf("Missing(B) = %v, %v; want not checked", checked, err)
	}
}

// TestUsers filters the accounts: those lacking anything, those lacking
// one item, by the start of the sign-in or the name, a page at a time.
func TestUsers(t *testing.T) {
	w := newWorld(t)
	ctx := as(member(w.a, identity.RoleAdmin, true))
	if sum := mustSummary(t, w.svc, ctx, ""); sum.Imported || sum.Users != 0 || len(sum.Missing) != len(licensing.Items) {
		t.Errorf("Summary() before any list = %+v, want not imported with zero counts", sum)
	}
	_, err := w.svc.Import(as(staff(identity.StaffSupport)), w.a, "users.csv", sample(t))
	must(t, err)
	upns := func(f licensing.Filter, offset, limit int) ([]string, int) {
		t.Helper()
		us, total, err := w.svc.Users(ctx, "", f, offset, limit)
		must(t, err)
		out := []string{}
		for _, u := range us {
			out = append(out, strings.TrimSuffix(u.UPN, "@contoso.mx"))
		}
		return out, total
	}
	for _, tt := range []struct {
		name          string
		f             licensing.Filter
		offset, limit int
		want          []string
		total         int
	}{
		{"lacking anything", licensing.Filter{Missing: licensing.MissingAny}, 0, 50,
			[]string{"carla.mendoza", "diego.ramirez", "elena.castro", "fernando.ruiz", "hector.nunez", "jose.martinez"}, 6},
		{"lacking Teams", licensing.Filter{Missing: licensing.MissingTeams}, 0, 50, []string{"fernando.ruiz", "hector.nunez"}, 2},
		{"lacking a calling plan's removal", licensing.Filter{Missing: licensing.MissingRemoveCallingPlan}, 0, 50,
			[]string{"elena.castro", "jose.martinez"}, 2},
		{"by sign-in", licensing.Filter{Query: "C"}, 0, 50, []string{"carla.mendoza", "cola.ventas", "conmutador"}, 3},
		{"by name", licensing.Filter{Query: "recep"}, 0, 50, []string{"recepcion"}, 1},
		{"by name with a wildcard", licensing.Filter{Query: "_"}, 0, 50, []string{}, 0},
		{"second page", licensing.Filter{}, 10, 5, []string{"irene.vargas", "jose.martinez", "recepcion"}, 13},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, total := upns(tt.f, tt.offset, tt.limit)
			if diff := cmp.Diff(tt.want, got); diff != "" || total != tt.total {
				t.Errorf("Users(%+v) total %d, want %d (-want +got):\n%s", tt.f, total, tt.total, diff)
			}
		})
	}
	if _, _, err := w.svc.Users(ctx, "", licensing.Filter{Missing: "licensing.missing.everything"}, 0, 10); enlace.ErrorCode(err) != enlace.EINVALID {
		t.Errorf("Users(unknown item) = %v, want invalid", err)
	}
}
