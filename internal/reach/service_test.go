package reach_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/reach"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// world is customer A (an administrator, a read-only user, a technical
// contact limited to another billing account) and customer B (an
// administrator), a PM and a support agent, an IP-Centrex migration of
// A's, and the reach service over the real store.
type world struct {
	t        *testing.T
	store    *sqlstore.Store
	svc      *reach.Service
	projects *activation.Service
	runner   *jobs.Runner
	a, b     customer.Customer
	project  string // A's IP-Centrex migration

	pm, support, aAdmin, aReader, aOtherAccount, bAdmin context.Context
}

// monday10 is Monday 2 November 2026, 10:00 in Mexico City.
var monday10 = time.Date(2026, 11, 2, 16, 0, 0, 0, time.UTC)

func newWorld(t *testing.T) *world {
	t.Helper()
	clock := enlace.NewFakeClock(monday10)
	store := sqlstore.MustOpenTest(t, clock)
	renderer, err := notify.NewRenderer(i18n.MustLoad())
	must(t, err)
	ctx := context.Background()
	runbooks := activation.NewCatalog(store)
	must(t, runbooks.SyncShipped(ctx))
	w := &world{t: t, store: store}
	w.projects = activation.NewService(store, runbooks, renderer, clock, activation.Config{})
	w.svc = reach.NewService(store, w.projects, clock)
	w.runner = jobs.NewRunner(store, clock, slog.New(slog.DiscardHandler))
	w.svc.Register(w.runner)
	for i, c := range []*customer.Customer{&w.a, &w.b} {
		*c = customer.Customer{ID: enlace.NewID(), Number: fmt.Sprint("C", i), Name: fmt.Sprint("Cliente ", i)}
		must(t, store.CreateCustomer(ctx, c))
	}
	var accounts []string
	for i := range 2 {
		b := customer.BillingAccount{ID: enlace.NewID(), CustomerID: w.a.ID, Number: fmt.Sprint("A-", i), Name: "A"}
		must(t, store.CreateBillingAccount(ctx, &b))
		accounts = append(accounts, b.ID)
	}
	site := inventory.Site{ID: enlace.NewID(), CustomerID: w.a.ID, Name: "Matriz", AddressLine1: "Av. 1", City: "Monterrey", State: "NLE", Country: "MX"}
	must(t, store.CreateSite(ctx, &site))
	user := func(email, staffRole string, m *identity.Membership) string {
		u := identity.User{ID: enlace.NewID(), Email: email, FirstName: "N", LastName: email, Locale: "es-MX", StaffRole: staffRole}
		if m != nil {
			m.ID, m.UserID = enlace.NewID(), u.ID
		}
		must(t, store.CreateUser(ctx, &u, "x", false, m))
		return u.ID
	}
	as := func(a *enlace.Actor) context.Context { return enlace.WithActor(ctx, a) }
	w.pm = as(&enlace.Actor{UserID: user("pm@p.example", "pm", nil), Name: "Paula PM", StaffRole: "pm"})
	w.support = as(&enlace.Actor{UserID: user("soporte@p.example", "support", nil), Name: "Sergio Soporte", StaffRole: "support"})
	w.aAdmin = as(&enlace.Actor{UserID: user("admin@a.example", "", &identity.Membership{CustomerID: w.a.ID, Role: "admin", AccessLevel: "full"}),
		Name: "Ana Admin", CustomerID: w.a.ID, CustomerRole: "admin"})
	w.aReader = as(&enlace.Actor{UserID: user("lee@a.example", "", &identity.Membership{CustomerID: w.a.ID, Role: "admin", AccessLevel: "read"}),
		CustomerID: w.a.ID, CustomerRole: "admin", ReadOnly: true})
	w.aOtherAccount = as(&enlace.Actor{UserID: user("tec@a.example", "", &identity.Membership{CustomerID: w.a.ID, Role: "technical",
		AccessLevel: "full", BillingAccountIDs: []string{accounts[1]}}), CustomerID: w.a.ID, CustomerRole: "technical", BillingAccountIDs: []string{accounts[1]}})
	w.bAdmin = as(&enlace.Actor{UserID: user("admin@b.example", "", &identity.Membership{CustomerID: w.b.ID, Role: "admin", AccessLevel: "full"}),
		CustomerID: w.b.ID, CustomerRole: "admin"})
	v, err := w.projects.Start(w.pm, activation.StartInput{CustomerID: w.a.ID, BillingAccountID: accounts[0], SiteID: site.ID,
		Runbook: "ip-centrex", Title: "Migración Monterrey"})
	must(t, err)
	w.project = v.Project.ID
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err is an *enlace.Error with the code and, when
// given, the message key (of the error or of its first field).
func wantCode(t *testing.T, err error, code, key string) {
	t.Helper()
	e := enlace.AsError(err)
	if e == nil || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	if key != "" && e.Message != key && (len(e.Fields) == 0 || e.Fields[0].Message != key) {
		t.Fatalf("error = %v, want key %s", err, key)
	}
}

// numbers gives a customer numbers in a state.
func (w *world) numbers(customerID, state string, e164s ...string) []numbering.Number {
	w.t.Helper()
	var ns []numbering.Number
	for _, e := range e164s {
		ns = append(ns, numbering.Number{ID: enlace.NewID(), CustomerID: customerID, E164: e, Country: "MX", State: state, Version: 1})
	}
	must(w.t, w.store.CreateNumbers(context.Background(), ns))
	return ns
}

func (w *world) plan(ctx context.Context) *reach.Plan {
	w.t.Helper()
	p, err := w.svc.Plan(ctx, w.project)
	must(w.t, err)
	return p
}

func (w *world) run() {
	w.t.Helper()
	_, err := w.runner.RunDue(context.Background())
	must(w.t, err)
}

// task returns the project's task with a key, as staff see it.
func (w *world) task(key string) activation.Task {
	w.t.Helper()
	v, err := w.projects.Project(w.pm, w.project)
	must(w.t, err)
	for _, t := range v.Tasks {
		if t.Key == key {
			return t
		}
	}
	w.t.Fatalf("no task %s", key)
	return activation.Task{}
}

func ids(lines []reach.Line) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.ID)
	}
	return out
}

func check(p *reach.Plan, key string) reach.Check {
	for _, c := range p.Checks {
		if c.Key == key {
			return c
		}
	}
	return reach.Check{}
}

// TestMigrationKeepsEveryoneReachable walks the seed's steps 3 to 5 for
// three people: provisional numbers from the local area, CLIP-no-screening
// on the trunk, forwarding confirmed by the customer, each moving the
// runbook's task; the provisional numbers are released only once the old
// numbers are ported.
func TestMigrationKeepsEveryoneReachable(t *testing.T) {
	w := newWorld(t)
	free := w.numbers(w.a.ID, numbering.StateAvailable, "+528111110001", "+528111110002", "+528111110003")
	w.numbers(w.a.ID, numbering.StateAvailable, "+525511110001") // Mexico City: not Monterrey's local area

	added, err := w.svc.AddLines(w.aAdmin, w.project, reach.ParseRows(
		"Nombre\tNúmero\tCorreo\n"+
			"Luisa Garza\t81 8000 0001\tluisa@a.example\n"+
			"Raúl Treviño\t(81) 8000-0002\t\n\n"+
			"Marta Elizondo\t+52 81 8000 0003\tmarta@a.example\n"))
	must(t, err)
	if len(added) != 3 || added[0].OldE164 != "+528180000001" || added[1].Person != "Raúl Treviño" || added[2].Ref != "marta@a.example" {
		t.Fatalf("added = %+v", added)
	}
	w.run()
	if st := w.task("provisional-numbers").Status; st == activation.TaskDone {
		t.Fatal("provisional-numbers done before anyone has a provisional number")
	}

	n, short, err := w.svc.AssignTemporaries(w.pm, w.project)
	must(t, err)
	if n != 3 || len(short) != 0 {
		t.Fatalf("AssignTemporaries = %d, %v; want 3 and no shortfall", n, short)
	}
	p := w.plan(w.pm)
	for i, l := range p.Lines {
		if l.TemporaryE164 != free[i].E164 || l.TemporaryState != numbering.StateTest {
			t.Errorf("line %d provisional = %s (%s), want %s in test", i, l.TemporaryE164, l.TemporaryState, free[i].E164)
		}
		num, err := w.store.NumberByID(t.Context(), l.TemporaryNumberID)
		must(t, err)
		if num.AssigneeKind != numbering.AssigneeUser || num.AssigneeName != l.Person || num.AssigneeRef != l.Ref {
			t.Errorf("provisional %s assigned to %s %q %q, want the person", num.E164, num.AssigneeKind, num.AssigneeName, num.AssigneeRef)
		}
	}
	w.run()
	if tk := w.task("provisional-numbers"); tk.Status != activation.TaskDone {
		t.Fatalf("provisional-numbers = %s, want done once everyone has a provisional number", tk.Status)
	}

	// CLIP-no-screening: refused for someone without a trunk, then
	// recorded for everyone on the trunk.
	_, err = w.svc.Act(w.support, w.project, reach.ActConfirmClip, ids(p.Lines))
	wantCode(t, err, enlace.EINVALID, "reach.error.clip_not_ready")
	trunk, err := w.svc.AddTrunk(w.support, w.project, reach.TrunkInput{Name: "SIP Monterrey", Ref: "+528111119999"})
	must(t, err)
	if moved, err := w.svc.PutOnTrunk(w.support, w.project, trunk.ID, ids(p.Lines)); err != nil || moved != 3 {
		t.Fatalf("PutOnTrunk = %d, %v; want 3 moved", moved, err)
	}
	changed, err := w.svc.Act(w.support, w.project, reach.ActConfirmClip, ids(p.Lines))
	must(t, err)
	if changed != 3 {
		t.Fatalf("confirm_clip changed %d, want 3", changed)
	}
	if again, err := w.svc.Act(w.support, w.project, reach.ActConfirmClip, ids(p.Lines)); err != nil || again != 0 {
		t.Fatalf("confirming again = %d, %v; want 0 changed", again, err)
	}
	p = w.plan(w.aAdmin)
	if p.Lines[0].ClipBy != "Sergio Soporte" || p.Lines[0].ClipAt == nil || p.Lines[0].TrunkName != "SIP Monterrey" {
		t.Errorf("line after CLIP = %+v", p.Lines[0])
	}
	if p.Trunks[0].Lines != 3 || p.Trunks[0].Presented != 3 {
		t.Errorf("trunk counts = %d/%d, want 3/3", p.Trunks[0].Presented, p.Trunks[0].Lines)
	}

	// The customer confirms the forwarding it ordered from its old carrier.
	_, err = w.svc.Act(w.aAdmin, w.project, reach.ActConfirmForwarding, ids(p.Lines[:2]))
	must(t, err)
	w.run()
	if tk := w.task("clip-no-screening"); tk.Status != activation.TaskDone {
		t.Errorf("clip-no-screening = %s, want done", tk.Status)
	}
	if tk := w.task("call-forwarding"); tk.Status == activation.TaskDone {
		t.Error("call-forwarding done with one person not forwarded")
	}
	_, err = w.svc.Act(w.aAdmin, w.project, reach.ActConfirmForwarding, ids(p.Lines[2:]))
	must(t, err)
	w.run()
	if tk := w.task("call-forwarding"); tk.Status != activation.TaskDone {
		t.Errorf("call-forwarding = %s, want done", tk.Status)
	}

	p = w.plan(w.aAdmin)
	for _, c := range []struct {
		key         string
		done, total int
	}{{reach.CheckTemporary, 3, 3}, {reach.CheckClip, 3, 3}, {reach.CheckForwarding, 3, 3}, {reach.CheckPorted, 0, 3}} {
		if got := check(p, c.key); got.Done != c.done || got.Total != c.total {
			t.Errorf("check %s = %d/%d, want %d/%d", c.key, got.Done, got.Total, c.done, c.total)
		}
	}
	if c := check(p, reach.CheckParallel); c.Task == nil || c.Task.Key != "parallel-handover" {
		t.Errorf("parallel check task = %+v", c.Task)
	}
	if c := check(p, reach.CheckNoReturn); c.Task == nil || c.Task.Key != "shutdown-old-system" || c.Complete() {
		t.Errorf("point-of-no-return check = %+v", c)
	}

	// The provisional numbers stay until every old number is ported.
	if p.Releasable() {
		t.Error("releasable before the port")
	}
	_, err = w.svc.ReleaseTemporaries(w.pm, w.project)
	wantCode(t, err, enlace.EINVALID, "reach.error.not_ported")
	w.numbers(w.a.ID, numbering.StatePorted, "+528180000001", "+528180000002")
	_, err = w.svc.ReleaseTemporaries(w.pm, w.project)
	wantCode(t, err, enlace.EINVALID, "reach.error.not_ported")
	w.numbers(w.a.ID, numbering.StatePorted, "+528180000003")
	if p = w.plan(w.pm); !p.Releasable() || check(p, reach.CheckPorted).Done != 3 {
		t.Fatalf("after the port: releasable %v, ported %d", p.Releasable(), check(p, reach.CheckPorted).Done)
	}
	released, err := w.svc.ReleaseTemporaries(w.pm, w.project)
	must(t, err)
	if released != 3 {
		t.Fatalf("released %d, want 3", released)
	}
	for _, f := range free {
		num, err := w.store.NumberByID(t.Context(), f.ID)
		must(t, err)
		if num.State != numbering.StateReleased || num.Assigned() {
			t.Errorf("provisional %s = %s assigned %v, want released", num.E164, num.State, num.Assigned())
		}
	}
	// The tasks done by the list stay done: the migration went on.
	if tk := w.task("provisional-numbers"); tk.Status != activation.TaskDone {
		t.Errorf("provisional-numbers = %s after the release, want done", tk.Status)
	}
}

// TestProvisionalFromLocalArea checks the provisional number comes from
// the old number's local area, is one nobody uses, is the customer's own,
// and that a person given another number frees the first.
func TestProvisionalFromLocalArea(t *testing.T) {
	w := newWorld(t)
	mty := w.numbers(w.a.ID, numbering.StateAvailable, "+528111110001", "+528111110002")
	cdmx := w.numbers(w.a.ID, numbering.StateAvailable, "+525511110001")
	busy := w.numbers(w.a.ID, numbering.StateAssigned, "+528111110003")
	theirs := w.numbers(w.b.ID, numbering.StateAvailable, "+528111110004")
	lines, err := w.svc.AddLines(w.aAdmin, w.project, reach.ParseRows(
		"Luisa Garza, 81 8000 0001\nRaúl Treviño, 81 8000 0002\nMarta Elizondo, 81 8000 0003\nKlaus Berg, +49 30 1234567\nAna Ruiz, +34 912 345 678"))
	must(t, err)

	_, err = w.svc.AssignTemporary(w.pm, w.project, lines[0].ID, cdmx[0].ID)
	wantCode(t, err, enlace.EINVALID, "reach.error.temporary_area")
	_, err = w.svc.AssignTemporary(w.pm, w.project, lines[0].ID, busy[0].ID)
	wantCode(t, err, enlace.EINVALID, "reach.error.temporary_busy")
	_, err = w.svc.AssignTemporary(w.pm, w.project, lines[0].ID, theirs[0].ID)
	wantCode(t, err, enlace.EINVALID, "reach.error.temporary_unknown")

	cands, err := w.svc.Candidates(w.pm, w.project, lines[0].ID)
	must(t, err)
	if len(cands) != 2 || cands[0].ID != mty[0].ID || cands[1].ID != mty[1].ID {
		t.Fatalf("candidates = %v, want Monterrey's two free numbers", cands)
	}
	l, err := w.svc.AssignTemporary(w.pm, w.project, lines[0].ID, mty[0].ID)
	must(t, err)
	if l.TemporaryNumberID != mty[0].ID {
		t.Fatalf("provisional = %s", l.TemporaryNumberID)
	}
	// Another number frees the first: a test number again, ringing nobody.
	_, err = w.svc.AssignTemporary(w.pm, w.project, lines[0].ID, mty[1].ID)
	must(t, err)
	first, err := w.store.NumberByID(t.Context(), mty[0].ID)
	must(t, err)
	if first.State != numbering.StateTest || first.Assigned() {
		t.Errorf("first provisional = %s assigned %v, want a free test number", first.State, first.Assigned())
	}

	// Two Monterrey people left and one free number there: one gets it,
	// the other is reported short; Berlin has none; Spain has no local
	// areas, so a Spanish number would do — the customer has none, and
	// the free Mexico City number is not offered.
	n, short, err := w.svc.AssignTemporaries(w.pm, w.project)
	must(t, err)
	if n != 1 {
		t.Errorf("assigned %d, want 1", n)
	}
	want := map[string]int{"+5281": 1, "+4930": 1, "+34": 1}
	if len(short) != len(want) {
		t.Fatalf("shortfall = %v, want %v", short, want)
	}
	for _, s := range short {
		if want[s.Area] != s.Count {
			t.Errorf("shortfall %q = %d, want %d", s.Area, s.Count, want[s.Area])
		}
	}
}

// TestAddLinesAllOrNothing checks a paste with bad rows adds nobody and
// names each row's problem.
func TestAddLinesAllOrNothing(t *testing.T) {
	w := newWorld(t)
	_, err := w.svc.AddLines(w.aAdmin, w.project, reach.ParseRows("Luisa Garza;81 8000 0001"))
	must(t, err)
	_, err = w.svc.AddLines(w.aAdmin, w.project, reach.ParseRows(
		"Raúl Treviño;81 8000 0002\n"+ // good
			";81 8000 0003\n"+ // no name
			"Marta;81 80\n"+ // not a number
			"Luis;81 8000 0001\n"+ // already listed
			"Eva;81 8000 0002\n"+ // repeats row 1
			"Ana;81 8000 0004;ana at a.example\n")) // not an e-mail
	e := enlace.AsError(err)
	if e == nil || e.Code != enlace.EINVALID {
		t.Fatalf("error = %v, want EINVALID", err)
	}
	want := []struct {
		key string
		row int
	}{{"reach.error.row_person", 2}, {"reach.error.row_number", 3}, {"reach.error.row_listed", 4},
		{"reach.error.row_repeated", 5}, {"reach.error.row_ref", 6}}
	if len(e.Fields) != len(want) {
		t.Fatalf("fields = %+v, want %d", e.Fields, len(want))
	}
	for i, f := range e.Fields {
		if f.Message != want[i].key || f.Args["Row"] != want[i].row {
			t.Errorf("field %d = %s %v, want %s row %d", i, f.Message, f.Args, want[i].key, want[i].row)
		}
	}
	if p := w.plan(w.aAdmin); len(p.Lines) != 1 {
		t.Errorf("%d people after a refused paste, want 1", len(p.Lines))
	}
	_, err = w.svc.AddLines(w.aAdmin, w.project, reach.ParseRows("Nombre,Número\n\n"))
	wantCode(t, err, enlace.EINVALID, "reach.error.lines_required")
}

// TestChangesClearWhatNoLongerHolds checks a new old number clears what
// was confirmed about the old one, a new trunk clears the presentation,
// a rename follows to the provisional number, and a stale version is
// refused.
func TestChangesClearWhatNoLongerHolds(t *testing.T) {
	w := newWorld(t)
	w.numbers(w.a.ID, numbering.StateAvailable, "+528111110001")
	_, err := w.svc.AddLines(w.aAdmin, w.project, reach.ParseRows("Luisa Garza,81 8000 0001,luisa@a.example"))
	must(t, err)
	_, _, err = w.svc.AssignTemporaries(w.pm, w.project)
	must(t, err)
	t1, err := w.svc.AddTrunk(w.pm, w.project, reach.TrunkInput{Name: "SIP 1"})
	must(t, err)
	t2, err := w.svc.AddTrunk(w.pm, w.project, reach.TrunkInput{Name: "SIP 2"})
	must(t, err)
	_, err = w.svc.AddTrunk(w.pm, w.project, reach.TrunkInput{Name: "SIP 2"})
	wantCode(t, err, enlace.ECONFLICT, "reach.error.trunk_taken")
	l := w.plan(w.pm).Lines[0]
	_, err = w.svc.UpdateLine(w.pm, w.project, l.ID, reach.LineInput{Person: l.Person, Ref: l.Ref, OldNumber: l.OldE164, TrunkID: &t1.ID, Version: l.Version})
	must(t, err)
	_, err = w.svc.Act(w.pm, w.project, reach.ActConfirmClip, []string{l.ID})
	must(t, err)
	_, err = w.svc.Act(w.aAdmin, w.project, reach.ActConfirmForwarding, []string{l.ID})
	must(t, err)

	l = w.plan(w.pm).Lines[0]
	_, err = w.svc.UpdateLine(w.pm, w.project, l.ID, reach.LineInput{Person: l.Person, Ref: l.Ref, OldNumber: l.OldE164, TrunkID: &t2.ID, Version: l.Version})
	must(t, err)
	l = w.plan(w.pm).Lines[0]
	if l.ClipAt != nil || l.ForwardingAt == nil {
		t.Errorf("after a new trunk: clip %v forwarding %v, want clip cleared, forwarding kept", l.ClipAt, l.ForwardingAt)
	}
	err = w.svc.RemoveTrunk(w.pm, w.project, t2.ID, t2.Version)
	wantCode(t, err, enlace.EINVALID, "reach.error.trunk_in_use")

	_, err = w.svc.UpdateLine(w.aAdmin, w.project, l.ID, reach.LineInput{Person: "Luisa Garza Ríos", Ref: "lgarza@a.example",
		OldNumber: "81 8000 0009", Version: l.Version})
	must(t, err)
	l2 := w.plan(w.pm).Lines[0]
	if l2.OldE164 != "+528180000009" || l2.ForwardingAt != nil || l2.TrunkID != t2.ID {
		t.Errorf("after a new old number: %+v", l2)
	}
	num, err := w.store.NumberByID(t.Context(), l2.TemporaryNumberID)
	must(t, err)
	if num.AssigneeName != "Luisa Garza Ríos" || num.AssigneeRef != "lgarza@a.example" {
		t.Errorf("provisional number assigned to %q %q, want the new name", num.AssigneeName, num.AssigneeRef)
	}

	_, err = w.svc.UpdateLine(w.aAdmin, w.project, l.ID, reach.LineInput{Person: "Otra", OldNumber: l2.OldE164, Version: l.Version})
	wantCode(t, err, enlace.ECONFLICT, "reach.error.changed")

	// Taking the person off the list frees their provisional number.
	must(t, w.svc.RemoveLine(w.aAdmin, w.project, l2.ID, l2.Version))
	num, err = w.store.NumberByID(t.Context(), l2.TemporaryNumberID)
	must(t, err)
	if num.State != numbering.StateTest || num.Assigned() {
		t.Errorf("provisional after removal = %s assigned %v", num.State, num.Assigned())
	}
}

// TestRolesAndTenancy tries every way across: another customer, a user
// limited to another billing account, a read-only user, a customer doing
// the provider's part, a project whose runbook keeps no list.
func TestRolesAndTenancy(t *testing.T) {
	w := newWorld(t)
	w.numbers(w.a.ID, numbering.StateAvailable, "+528111110001")
	lines, err := w.svc.AddLines(w.aAdmin, w.project, reach.ParseRows("Luisa Garza,81 8000 0001"))
	must(t, err)
	l := lines[0]
	for _, tt := range []struct {
		name string
		ctx  context.Context
		do   func(ctx context.Context) error
		code string
	}{
		{"B reads A's list", w.bAdmin, func(ctx context.Context) error { _, err := w.svc.Plan(ctx, w.project); return err }, enlace.ENOTFOUND},
		{"B adds to A's list", w.bAdmin, func(ctx context.Context) error {
			_, err := w.svc.AddLines(ctx, w.project, reach.ParseRows("X,81 8000 0002"))
			return err
		}, enlace.ENOTFOUND},
		{"B confirms A's forwarding", w.bAdmin, func(ctx context.Context) error {
			_, err := w.svc.Act(ctx, w.project, reach.ActConfirmForwarding, []string{l.ID})
			return err
		}, enlace.ENOTFOUND},
		{"another account's user reads", w.aOtherAccount, func(ctx context.Context) error { _, err := w.svc.Plan(ctx, w.project); return err }, enlace.ENOTFOUND},
		{"read-only adds", w.aReader, func(ctx context.Context) error {
			_, err := w.svc.AddLines(ctx, w.project, reach.ParseRows("X,81 8000 0002"))
			return err
		}, enlace.EFORBIDDEN},
		{"customer adds a trunk", w.aAdmin, func(ctx context.Context) error {
			_, err := w.svc.AddTrunk(ctx, w.project, reach.TrunkInput{Name: "Mía"})
			return err
		}, enlace.EFORBIDDEN},
		{"customer gives provisional numbers", w.aAdmin, func(ctx context.Context) error {
			_, _, err := w.svc.AssignTemporaries(ctx, w.project)
			return err
		}, enlace.EFORBIDDEN},
		{"customer puts people on a trunk", w.aAdmin, func(ctx context.Context) error {
			_, err := w.svc.PutOnTrunk(ctx, w.project, "any", []string{l.ID})
			return err
		}, enlace.EFORBIDDEN},
		{"customer records CLIP", w.aAdmin, func(ctx context.Context) error {
			_, err := w.svc.Act(ctx, w.project, reach.ActConfirmClip, []string{l.ID})
			return err
		}, enlace.EFORBIDDEN},
		{"customer releases", w.aAdmin, func(ctx context.Context) error { _, err := w.svc.ReleaseTemporaries(ctx, w.project); return err }, enlace.EFORBIDDEN},
		{"unknown person", w.aAdmin, func(ctx context.Context) error {
			_, err := w.svc.Act(ctx, w.project, reach.ActConfirmForwarding, []string{"nope"})
			return err
		}, enlace.ENOTFOUND},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do(tt.ctx)
			wantCode(t, err, tt.code, "")
		})
	}
	trunk, err := w.svc.AddTrunk(w.pm, w.project, reach.TrunkInput{Name: "SIP"})
	must(t, err)
	l = w.plan(w.pm).Lines[0]
	_, err = w.svc.UpdateLine(w.aAdmin, w.project, l.ID, reach.LineInput{Person: l.Person, OldNumber: l.OldE164, TrunkID: &trunk.ID, Version: l.Version})
	wantCode(t, err, enlace.EFORBIDDEN, "")

	// A runbook without a list has no list to read.
	v, err := w.projects.Start(w.pm, activation.StartInput{CustomerID: w.a.ID, BillingAccountID: w.plan(w.pm).Project.Project.BillingAccountID,
		SiteID: w.plan(w.pm).Project.Project.SiteID, Runbook: "hosted-exchange"})
	must(t, err)
	_, err = w.svc.Plan(w.pm, v.Project.ID)
	wantCode(t, err, enlace.ENOTFOUND, "")
}

// TestProvisionalAmongManyInUse checks the free numbers are found behind
// more numbers in use than one read of the inventory holds: a large
// migration's provisional numbers are test numbers too.
func TestProvisionalAmongManyInUse(t *testing.T) {
	w := newWorld(t)
	var inUse []numbering.Number
	for i := range 501 {
		inUse = append(inUse, numbering.Number{ID: enlace.NewID(), CustomerID: w.a.ID, E164: fmt.Sprintf("+52812000%04d", i),
			Country: "MX", State: numbering.StateTest, AssigneeKind: numbering.AssigneeUser, AssigneeName: "Alguien", Version: 1})
	}
	must(t, w.store.CreateNumbers(t.Context(), inUse))
	free := w.numbers(w.a.ID, numbering.StateTest, "+528129999999")
	w.numbers(w.a.ID, numbering.StateAvailable, "+528110000000")
	lines, err := w.svc.AddLines(w.aAdmin, w.project, reach.ParseRows("Luisa Garza, 81 8000 0001\nRaúl Treviño, 81 8000 0002\nMarta Elizondo, 81 8000 0003"))
	must(t, err)
	cands, err := w.svc.Candidates(w.pm, w.project, lines[0].ID)
	must(t, err)
	if len(cands) != 2 || cands[0].ID != free[0].ID {
		t.Fatalf("candidates = %v, want the free test number, then the available one", cands)
	}
	n, short, err := w.svc.AssignTemporaries(w.pm, w.project)
	must(t, err)
	if n != 2 || len(short) != 1 || short[0] != (reach.Shortfall{Area: "+5281", Count: 1}) {
		t.Fatalf("AssignTemporaries = %d, %v; want 2 and one person short in +5281", n, short)
	}
	if l := w.plan(w.pm).Lines[0]; l.TemporaryNumberID != free[0].ID {
		t.Errorf("first person's provisional = %s, want the free test number", l.TemporaryE164)
	}
}
