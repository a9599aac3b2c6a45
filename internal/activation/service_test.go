package activation_test

import (
	"context"
	"encoding/json"
	"fmt"
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
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// world is two customers, A with two billing accounts and B with one, a
// site each, a PM, a support agent, A's administrator, a technical user
// of A limited to A's second account, and B's administrator.
type world struct {
	store *sqlstore.Store
	clock *enlace.FakeClock
	svc   *activation.Service
	a, b  customer.Customer
	aAcc  []string
	bAcc  string
	aSite string
	bSite string
	// actors
	pm, support, aAdmin, aTech, bAdmin context.Context
	pmID, aAdminID                     string
}

// monday09 is Monday 2 March 2026, 09:00 in Mexico City.
var monday09 = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

func newWorld(t *testing.T) *world {
	t.Helper()
	clock := enlace.NewFakeClock(monday09)
	store := sqlstore.MustOpenTest(t, clock)
	renderer, err := notify.NewRenderer(i18n.MustLoad())
	must(t, err)
	catalog := activation.NewCatalog(store)
	ctx := context.Background()
	must(t, catalog.SyncShipped(ctx))
	w := &world{store: store, clock: clock,
		svc: activation.NewService(store, catalog, renderer, clock, activation.Config{BaseURL: "https://portal.example"})}
	for i, c := range []*customer.Customer{&w.a, &w.b} {
		*c = customer.Customer{ID: enlace.NewID(), Number: fmt.Sprint("C", i), Name: fmt.Sprint("Cliente ", i)}
		must(t, store.CreateCustomer(ctx, c))
	}
	for i := range 2 {
		b := customer.BillingAccount{ID: enlace.NewID(), CustomerID: w.a.ID, Number: fmt.Sprint("A-", i), Name: "A"}
		must(t, store.CreateBillingAccount(ctx, &b))
		w.aAcc = append(w.aAcc, b.ID)
	}
	bb := customer.BillingAccount{ID: enlace.NewID(), CustomerID: w.b.ID, Number: "B-0", Name: "B"}
	must(t, store.CreateBillingAccount(ctx, &bb))
	w.bAcc = bb.ID
	for _, s := range []struct {
		dst      *string
		customer string
	}{{&w.aSite, w.a.ID}, {&w.bSite, w.b.ID}} {
		site := inventory.Site{ID: enlace.NewID(), CustomerID: s.customer, Name: "Matriz", AddressLine1: "Av. 1", City: "Monterrey", State: "NLE", Country: "MX"}
		must(t, store.CreateSite(ctx, &site))
		*s.dst = site.ID
	}
	user := func(email, staffRole string, m *identity.Membership) string {
		u := identity.User{ID: enlace.NewID(), Email: email, FirstName: "N", LastName: "N", Locale: "es-MX", StaffRole: staffRole}
		if m != nil {
			m.ID, m.UserID = enlace.NewID(), u.ID
		}
		must(t, store.CreateUser(ctx, &u, "x", false, m))
		return u.ID
	}
	w.pmID = user("pm@p.example", "pm", nil)
	supportID := user("support@p.example", "support", nil)
	w.aAdminID = user("admin@a.example", "", &identity.Membership{CustomerID: w.a.ID, Role: "admin", AccessLevel: "full"})
	techID := user("tech@a.example", "", &identity.Membership{CustomerID: w.a.ID, Role: "technical", AccessLevel: "full", BillingAccountIDs: []string{w.aAcc[1]}})
	bAdminID := user("admin@b.example", "", &identity.Membership{CustomerID: w.b.ID, Role: "admin", AccessLevel: "full"})
	as := func(a *enlace.Actor) context.Context { return enlace.WithActor(ctx, a) }
	w.pm = as(&enlace.Actor{UserID: w.pmID, StaffRole: "pm", Locale: "es-MX"})
	w.support = as(&enlace.Actor{UserID: supportID, StaffRole: "support"})
	w.aAdmin = as(&enlace.Actor{UserID: w.aAdminID, CustomerID: w.a.ID, CustomerRole: "admin"})
	w.aTech = as(&enlace.Actor{UserID: techID, CustomerID: w.a.ID, CustomerRole: "technical", BillingAccountIDs: []string{w.aAcc[1]}})
	w.bAdmin = as(&enlace.Actor{UserID: bAdminID, CustomerID: w.b.ID, CustomerRole: "admin"})
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (w *world) startExchange(t *testing.T, options map[string]bool) *activation.View {
	t.Helper()
	v, err := w.svc.Start(w.pm, activation.StartInput{CustomerID: w.a.ID, BillingAccountID: w.aAcc[0], SiteID: w.aSite,
		OrderRef: "OC-1", Runbook: "hosted-exchange", Options: options, PMUserID: w.pmID})
	must(t, err)
	return v
}

func task(t *testing.T, v *activation.View, key string) *activation.Task {
	t.Helper()
	for i := range v.Tasks {
		if v.Tasks[i].Key == key {
			return &v.Tasks[i]
		}
	}
	t.Fatalf("task %s not in view", key)
	return nil
}

func TestStartPlansAndTellsTheCustomer(t *testing.T) {
	w := newWorld(t)
	v := w.startExchange(t, nil)
	if v.Project.Folio != "PRJ-2026-00001" || v.Project.Status != activation.ProjectActive {
		t.Errorf("project = %s %s, want PRJ-2026-00001 active", v.Project.Folio, v.Project.Status)
	}
	if got := task(t, v, "sharepoint-lync").Status; got != activation.TaskNotApplicable {
		t.Errorf("sharepoint-lync without the option = %s, want not applicable", got)
	}
	for _, k := range []string{"mail-backup", "account-list"} {
		if got := task(t, v, k).Status; got != activation.TaskReady {
			t.Errorf("%s = %s, want ready", k, got)
		}
	}
	if got := task(t, v, "dns-provisioning").Status; got != activation.TaskPending {
		t.Errorf("dns-provisioning = %s, want pending", got)
	}
	if v.Window != 240*time.Minute {
		t.Errorf("window = %v, want 240m", v.Window)
	}
	// Mail backup (1 business day) then the window: provisioning starts
	// Tuesday 09:00 local (15:00 UTC) and the 30-minute step ends 15:30.
	dns := task(t, v, "dns-provisioning")
	if want := monday09.Add(24 * time.Hour); !dns.PlannedStart.Equal(want) || !dns.PlannedEnd.Equal(want.Add(30*time.Minute)) {
		t.Errorf("dns-provisioning planned %v–%v, want %v + 30m", dns.PlannedStart, dns.PlannedEnd, want)
	}
	// The delegation's 48 hours on the clock outlast the window: the OWA
	// tests wait for it, and it is on the critical path.
	if d := task(t, v, "nic-delegation"); !d.Critical || task(t, v, "customer-panel").Critical {
		t.Errorf("critical: delegation %v, panel %v; want the delegation only", d.Critical, task(t, v, "customer-panel").Critical)
	}
	owa := task(t, v, "owa-tests")
	if want := monday09.Add(24*time.Hour + 48*time.Hour); !owa.PlannedStart.Equal(want) {
		t.Errorf("owa-tests start %v, want %v (delegation's end)", owa.PlannedStart, want)
	}
	// The customer's administrator is told of the two ready tasks, in the
	// portal and by e-mail; the PM has nothing of theirs ready yet.
	msgs, _, err := w.store.FindMessages(context.Background(), notify.MessageFilter{Limit: 50})
	must(t, err)
	if len(msgs) != 2 || msgs[0].Recipient != "admin@a.example" || msgs[0].Purpose != "task_ready" {
		t.Fatalf("messages = %+v, want two task_ready to admin@a.example", msgs)
	}
	notes, total, err := w.store.FindNotifications(context.Background(), w.aAdminID, w.a.ID, notify.NotificationFilter{Limit: 10})
	must(t, err)
	if total != 2 || notes[0].Link == "" {
		t.Errorf("notifications = %d %+v", total, notes)
	}
}

func TestOptionsDecideWhatApplies(t *testing.T) {
	w := newWorld(t)
	v := w.startExchange(t, map[string]bool{"lync_sharepoint": true, "bulk_load": false})
	if got := task(t, v, "sharepoint-lync").Status; got == activation.TaskNotApplicable {
		t.Errorf("sharepoint-lync with the option is %s", got)
	}
	if got := task(t, v, "account-list").Status; got != activation.TaskNotApplicable {
		t.Errorf("account-list without bulk load is %s", got)
	}
	if _, err := w.svc.Start(w.pm, activation.StartInput{CustomerID: w.a.ID, BillingAccountID: w.aAcc[0], SiteID: w.aSite,
		Runbook: "hosted-exchange", Options: map[string]bool{"teleport": true}}); enlace.ErrorCode(err) != enlace.EINVALID {
		t.Errorf("Start with an unknown option = %v, want invalid", err)
	}
}

func TestStartChecksWhatBelongsTogether(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name  string
		in    activation.StartInput
		field string
	}{
		{"another customer's site", activation.StartInput{CustomerID: w.a.ID, BillingAccountID: w.aAcc[0], SiteID: w.bSite, Runbook: "hosted-exchange"}, "site_id"},
		{"another customer's account", activation.StartInput{CustomerID: w.a.ID, BillingAccountID: w.bAcc, SiteID: w.aSite, Runbook: "hosted-exchange"}, "billing_account_id"},
		{"unknown runbook", activation.StartInput{CustomerID: w.a.ID, BillingAccountID: w.aAcc[0], SiteID: w.aSite, Runbook: "nope"}, "runbook"},
		{"a customer user as PM", activation.StartInput{CustomerID: w.a.ID, BillingAccountID: w.aAcc[0], SiteID: w.aSite, Runbook: "hosted-exchange", PMUserID: w.aAdminID}, "pm_user_id"},
		{"another customer's contact", activation.StartInput{CustomerID: w.b.ID, BillingAccountID: w.bAcc, SiteID: w.bSite, Runbook: "hosted-exchange", ContactUserID: w.aAdminID}, "contact_user_id"},
	}
	for _, tt := range tests {
		_, err := w.svc.Start(w.pm, tt.in)
		e := enlace.AsError(err)
		if e.Code != enlace.EINVALID || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
			t.Errorf("%s: Start = %v, want invalid %s", tt.name, err, tt.field)
		}
	}
	for name, ctx := range map[string]context.Context{"support": w.support, "customer admin": w.aAdmin} {
		if _, err := w.svc.Start(ctx, activation.StartInput{CustomerID: w.a.ID, BillingAccountID: w.aAcc[0], SiteID: w.aSite, Runbook: "hosted-exchange"}); err == nil {
			t.Errorf("%s started a project", name)
		}
	}
}

// TestWhoActsOnWhichTask: a customer cannot complete a provider task, nor
// staff a customer's; other tenants and users without the account do not
// even see the project.
func TestWhoActsOnWhichTask(t *testing.T) {
	w := newWorld(t)
	v := w.startExchange(t, nil)
	pid := v.Project.ID
	backup, dns := task(t, v, "mail-backup"), task(t, v, "dns-provisioning")
	complete := activation.Action{Kind: activation.ActComplete}
	if _, err := w.svc.Act(w.pm, pid, backup.ID, complete); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("PM completing the customer's task = %v, want forbidden", err)
	}
	for name, ctx := range map[string]context.Context{"B's admin": w.bAdmin, "A's technical user without the account": w.aTech} {
		if _, err := w.svc.Project(ctx, pid); enlace.ErrorCode(err) != enlace.ENOTFOUND {
			t.Errorf("%s reading the project = %v, want not found", name, err)
		}
		if _, err := w.svc.Act(ctx, pid, backup.ID, complete); enlace.ErrorCode(err) != enlace.ENOTFOUND {
			t.Errorf("%s completing a task = %v, want not found", name, err)
		}
	}
	v, err := w.svc.Act(w.aAdmin, pid, backup.ID, complete)
	must(t, err)
	if got := task(t, v, "dns-provisioning").Status; got != activation.TaskReady {
		t.Fatalf("after the backup, dns-provisioning = %s, want ready", got)
	}
	if _, err := w.svc.Act(w.aAdmin, pid, dns.ID, complete); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("customer completing the provider's task = %v, want forbidden", err)
	}
	if _, err := w.svc.Act(w.support, pid, dns.ID, complete); err != nil {
		t.Errorf("support completing their task = %v", err)
	}
	if _, err := w.svc.Act(w.support, pid, dns.ID, activation.Action{Kind: activation.ActSkip}); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("support marking a task not applicable = %v, want forbidden", err)
	}
}

func TestGateHoldsUntilConfirmed(t *testing.T) {
	w := newWorld(t)
	v := w.startExchange(t, map[string]bool{"bulk_load": false})
	pid := v.Project.ID
	for _, k := range []string{"mail-backup", "nic-delegation"} {
		v = act(t, w, w.aAdmin, v, k, activation.ActComplete)
	}
	for _, k := range []string{"dns-provisioning", "customer-panel", "antispam-and-load"} {
		v = act(t, w, w.support, v, k, activation.ActComplete)
	}
	owa := task(t, v, "owa-tests")
	if owa.Status != activation.TaskReady {
		t.Fatalf("owa-tests = %s, want ready", owa.Status)
	}
	if _, err := w.svc.Act(w.support, pid, owa.ID, activation.Action{Kind: activation.ActComplete}); enlace.AsError(err).Message != "activation.error.gate_closed" {
		t.Errorf("completing with the gate closed = %v, want gate_closed", err)
	}
	if _, err := w.svc.MeetGate(w.support, pid, owa.ID, activation.GateInput{Name: "Ana Ruiz"}); enlace.ErrorCode(err) != enlace.EINVALID {
		t.Errorf("confirmation without the tick = %v, want invalid", err)
	}
	if _, err := w.svc.MeetGate(w.aAdmin, pid, owa.ID, activation.GateInput{Name: "Ana Ruiz", Confirm: true}); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("customer confirming the provider's gate = %v, want forbidden", err)
	}
	v, err := w.svc.MeetGate(w.support, pid, owa.ID, activation.GateInput{Name: "Ana Ruiz", Confirm: true})
	must(t, err)
	if got := task(t, v, "owa-tests"); got.GateDetail != "Ana Ruiz" || got.GateMetAt == nil {
		t.Errorf("gate = %q %v", got.GateDetail, got.GateMetAt)
	}
	act(t, w, w.support, v, "owa-tests", activation.ActComplete)
}

func act(t *testing.T, w *world, ctx context.Context, v *activation.View, key, kind string) *activation.View {
	t.Helper()
	out, err := w.svc.Act(ctx, v.Project.ID, task(t, v, key).ID, activation.Action{Kind: kind, Reason: "porque sí"})
	if err != nil {
		t.Fatalf("%s %s: %v", kind, key, err)
	}
	return out
}

func TestCompletionStartsBilling(t *testing.T) {
	w := newWorld(t)
	v := w.startExchange(t, map[string]bool{"bulk_load": false})
	for _, k := range []string{"mail-backup", "nic-delegation"} {
		v = act(t, w, w.aAdmin, v, k, activation.ActComplete)
	}
	for _, k := range []string{"dns-provisioning", "customer-panel", "antispam-and-load"} {
		v = act(t, w, w.support, v, k, activation.ActComplete)
	}
	v, err := w.svc.MeetGate(w.support, v.Project.ID, task(t, v, "owa-tests").ID, activation.GateInput{Name: "Ana", Confirm: true})
	must(t, err)
	v = act(t, w, w.support, v, "owa-tests", activation.ActComplete)
	v = act(t, w, w.pm, v, "in-service-notice", activation.ActComplete)
	w.clock.Advance(26 * time.Hour) // Tuesday 11:00 local
	v = act(t, w, w.aAdmin, v, "configure-clients", activation.ActComplete)
	p := v.Project
	if p.Status != activation.ProjectCompleted || p.BillingStart == nil {
		t.Fatalf("project = %s billing %v, want completed with a billing start", p.Status, p.BillingStart)
	}
	if got := p.BillingStart.Format(time.DateOnly); got != "2026-03-03" {
		t.Errorf("billing start = %s, want the completion day 2026-03-03", got)
	}
	if _, err := w.svc.Act(w.aAdmin, p.ID, task(t, v, "mail-backup").ID, activation.Action{Kind: activation.ActBlock, Reason: "x"}); enlace.ErrorCode(err) != enlace.ECONFLICT {
		t.Errorf("acting on a completed project = %v, want conflict", err)
	}
}

func TestBlockAndLateFinishReplan(t *testing.T) {
	w := newWorld(t)
	v := w.startExchange(t, map[string]bool{"bulk_load": false})
	before := task(t, v, "dns-provisioning").PlannedStart
	if _, err := w.svc.Act(w.aAdmin, v.Project.ID, task(t, v, "mail-backup").ID, activation.Action{Kind: activation.ActBlock}); enlace.ErrorCode(err) != enlace.EINVALID {
		t.Errorf("block without a reason = %v, want invalid", err)
	}
	v = act(t, w, w.aAdmin, v, "mail-backup", activation.ActBlock)
	if b := task(t, v, "mail-backup"); b.Status != activation.TaskBlocked || b.BlockedReason != "porque sí" {
		t.Errorf("blocked task = %s %q", b.Status, b.BlockedReason)
	}
	v = act(t, w, w.aAdmin, v, "mail-backup", activation.ActUnblock)
	if got := task(t, v, "mail-backup").Status; got != activation.TaskReady {
		t.Errorf("unblocked = %s, want ready again", got)
	}
	// The backup finishes three days late: everything after it moves.
	w.clock.Advance(72 * time.Hour)
	v = act(t, w, w.aAdmin, v, "mail-backup", activation.ActComplete)
	after := task(t, v, "dns-provisioning").PlannedStart
	if !after.Equal(monday09.Add(72 * time.Hour)) {
		t.Errorf("dns-provisioning replanned from %v to %v, want %v", before, after, monday09.Add(72*time.Hour))
	}
}

func TestOverdueNoticeOnce(t *testing.T) {
	w := newWorld(t)
	v := w.startExchange(t, map[string]bool{"bulk_load": false})
	backup := task(t, v, "mail-backup")
	if backup.DueAt == nil {
		t.Fatal("ready task has no due date")
	}
	w.clock.Advance(backup.DueAt.Sub(w.clock.Now()) + time.Minute)
	ctx := context.Background()
	payload, _ := json.Marshal(map[string]any{"task_id": backup.ID, "project_id": v.Project.ID, "due_at": backup.DueAt})
	job := jobs.Job{Kind: activation.DueJob, Payload: string(payload)}
	must(t, w.svc.Due(ctx, job))
	must(t, w.svc.Due(ctx, job)) // a retried job tells nobody twice
	purpose := "task_overdue"
	msgs, _, err := w.store.FindMessages(ctx, notify.MessageFilter{Purpose: &purpose, Limit: 10})
	must(t, err)
	// The customer's administrator and the PM.
	if len(msgs) != 2 {
		t.Errorf("overdue messages = %d, want 2 (customer admin and PM)", len(msgs))
	}
	v, err = w.svc.Project(w.pm, v.Project.ID)
	must(t, err)
	if !task(t, v, "mail-backup").Overdue(w.clock.Now()) {
		t.Error("task not shown overdue")
	}
}

func TestConcurrentChangeIsRefused(t *testing.T) {
	w := newWorld(t)
	v := w.startExchange(t, nil)
	p, err := w.store.ProjectByID(context.Background(), v.Project.ID)
	must(t, err)
	stale := p.UpdatedAt
	act(t, w, w.aAdmin, v, "mail-backup", activation.ActStart)
	if err := w.store.SaveProject(context.Background(), p, stale, nil); enlace.ErrorCode(err) != enlace.ECONFLICT {
		t.Errorf("SaveProject with a stale read = %v, want conflict", err)
	}
}

func TestCustomerListSeesOnlyTheirAccounts(t *testing.T) {
	w := newWorld(t)
	w.startExchange(t, nil)
	if _, err := w.svc.Start(w.pm, activation.StartInput{CustomerID: w.b.ID, BillingAccountID: w.bAcc, SiteID: w.bSite, Runbook: "hosted-exchange"}); err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		ctx  context.Context
		want int
	}{"pm": {w.pm, 2}, "A admin": {w.aAdmin, 1}, "A tech without the account": {w.aTech, 0}, "B admin": {w.bAdmin, 1}} {
		_, total, err := w.svc.Projects(tt.ctx, activation.ProjectFilter{CustomerID: w.a.ID})
		must(t, err)
		if name == "pm" {
			_, total, err = w.svc.Projects(tt.ctx, activation.ProjectFilter{})
			must(t, err)
		}
		if total != tt.want {
			t.Errorf("%s sees %d projects, want %d", name, total, tt.want)
		}
	}
}

func TestNextActionsAndBoard(t *testing.T) {
	w := newWorld(t)
	v := w.startExchange(t, nil)
	act(t, w, w.aAdmin, v, "mail-backup", activation.ActComplete)
	staff, err := w.svc.NextActions(w.pm, activation.ProjectFilter{})
	must(t, err)
	customer, err := w.svc.NextActions(w.aAdmin, activation.ProjectFilter{})
	must(t, err)
	other, err := w.svc.NextActions(w.bAdmin, activation.ProjectFilter{})
	must(t, err)
	// Staff see the provider's provisioning and the customer's account
	// list and delegation; the customer only the last two; B nothing.
	if len(staff) != 3 || len(customer) != 2 || len(other) != 0 {
		t.Errorf("next actions: staff %d, customer %d, other tenant %d; want 3, 2, 0", len(staff), len(customer), len(other))
	}
	for _, n := range customer {
		if n.Party != "customer" || n.Step == nil {
			t.Errorf("customer next action %s of party %s", n.Key, n.Party)
		}
	}
	board, err := w.svc.Board(w.pm, activation.ProjectFilter{})
	must(t, err)
	if len(board) != 1 || board[0].Phase != "preparation" {
		t.Errorf("board = %+v, want the project at preparation", board)
	}
}

func TestAssignPMAfterStart(t *testing.T) {
	w := newWorld(t)
	v, err := w.svc.Start(w.pm, activation.StartInput{CustomerID: w.a.ID, BillingAccountID: w.aAcc[0], SiteID: w.aSite,
		Runbook: "hosted-exchange"})
	must(t, err)
	if v.Project.PMUserID != "" {
		t.Fatal("project started with a PM")
	}
	managers, err := w.svc.Managers(w.pm)
	must(t, err)
	if len(managers) != 1 || managers[0].ID != w.pmID {
		t.Errorf("managers = %+v, want the PM", managers)
	}
	if _, err := w.svc.Managers(w.aAdmin); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("customer listing managers = %v", err)
	}
	if _, err := w.svc.Assign(w.pm, v.Project.ID, w.aAdminID, ""); enlace.ErrorCode(err) != enlace.EINVALID {
		t.Errorf("a customer user as PM = %v, want invalid", err)
	}
	if _, err := w.svc.Assign(w.bAdmin, v.Project.ID, w.pmID, ""); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("another tenant assigning = %v, want not found", err)
	}
	v, err = w.svc.Assign(w.pm, v.Project.ID, w.pmID, w.aAdminID)
	must(t, err)
	if v.Project.PMUserID != w.pmID || v.Project.ContactUserID != w.aAdminID || v.Project.PMName == "" {
		t.Errorf("after assigning: pm %q contact %q name %q", v.Project.PMUserID, v.Project.ContactUserID, v.Project.PMName)
	}
}

// TestListCountsWhatTheReaderSees: the list's progress counts the tasks
// each reader sees; customers do not count the provider's internal ones.
func TestListCountsWhatTheReaderSees(t *testing.T) {
	w := newWorld(t)
	v, err := w.svc.Start(w.pm, activation.StartInput{CustomerID: w.a.ID, BillingAccountID: w.aAcc[0], SiteID: w.aSite,
		Runbook: "officeconnect-ucaas"})
	must(t, err)
	act(t, w, w.aAdmin, v, "identify-order-requirements", activation.ActComplete)
	v, err = w.svc.Project(w.pm, v.Project.ID) // staff see every task
	must(t, err)
	all, internal := len(v.Tasks), 0
	closed := 0
	for _, tk := range v.Tasks {
		if tk.Internal {
			internal++
		}
		if tk.Closed() {
			closed++
		}
	}
	if internal == 0 {
		t.Fatal("the runbook has no internal task to hide")
	}
	for name, tt := range map[string]struct {
		ctx   context.Context
		total int
	}{"staff": {w.pm, all}, "customer": {w.aAdmin, all - internal}} {
		list, _, err := w.svc.Projects(tt.ctx, activation.ProjectFilter{})
		must(t, err)
		if len(list) != 1 || list[0].TasksTotal != tt.total || list[0].TasksClosed != closed {
			t.Errorf("%s list counts %d of %d closed, want %d of %d", name, list[0].TasksClosed, list[0].TasksTotal, closed, tt.total)
		}
	}
}
