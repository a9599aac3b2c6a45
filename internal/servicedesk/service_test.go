package servicedesk_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
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
	"github.com/enlace-portal/enlace/internal/servicedesk"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// world is two customers: A with two billing accounts and a service on
// each, B with one; a support agent, a staff administrator and a PM; A's
// administrator, a technical user of A limited to A's second account, a
// read-only user of A, and B's administrator.
type world struct {
	store *sqlstore.Store
	clock *enlace.FakeClock
	svc   *servicedesk.Service
	a, b  customer.Customer
	aAcc  []string
	aKeys []string // A's service keys, one per account
	bKey  string

	agent, admin, pm, aAdmin, aTech, aViewer, bAdmin context.Context
	agentID, adminID, aAdminID                       string
}

// friday17 is Friday 13 November 2026, 17:00 in Mexico City; Monday 16
// November is a federal holiday (third Monday of November).
var friday17 = time.Date(2026, 11, 13, 23, 0, 0, 0, time.UTC)

func newWorld(t *testing.T) *world {
	t.Helper()
	clock := enlace.NewFakeClock(friday17)
	store := sqlstore.MustOpenTest(t, clock)
	renderer, err := notify.NewRenderer(i18n.MustLoad())
	must(t, err)
	catalog := activation.NewCatalog(store)
	ctx := context.Background()
	must(t, catalog.SyncShipped(ctx))
	projects := activation.NewService(store, catalog, renderer, clock, activation.Config{})
	w := &world{store: store, clock: clock,
		svc: servicedesk.NewService(store, projects, renderer, clock, servicedesk.Config{BaseURL: "https://portal.example", Location: projects.Location()})}
	for i, c := range []*customer.Customer{&w.a, &w.b} {
		*c = customer.Customer{ID: enlace.NewID(), Number: fmt.Sprint("C", i), Name: fmt.Sprint("Cliente ", i)}
		must(t, store.CreateCustomer(ctx, c))
	}
	service := func(customerID, account string, n int) string {
		site := inventory.Site{ID: enlace.NewID(), CustomerID: customerID, Name: fmt.Sprint("Sitio ", n), AddressLine1: "Av. 1",
			City: "Monterrey", State: "NLE", Country: "MX"}
		must(t, store.CreateSite(ctx, &site))
		v := inventory.Service{ID: enlace.NewID(), CustomerID: customerID, BillingAccountID: account, SiteID: site.ID,
			Key: fmt.Sprint("INT-", n), Category: inventory.CategoryConnectivity, Product: "Internet dedicado", Status: "active"}
		must(t, store.CreateService(ctx, &v))
		return v.Key
	}
	for i := range 2 {
		b := customer.BillingAccount{ID: enlace.NewID(), CustomerID: w.a.ID, Number: fmt.Sprint("A-", i), Name: "A"}
		must(t, store.CreateBillingAccount(ctx, &b))
		w.aAcc = append(w.aAcc, b.ID)
		w.aKeys = append(w.aKeys, service(w.a.ID, b.ID, i))
	}
	bb := customer.BillingAccount{ID: enlace.NewID(), CustomerID: w.b.ID, Number: "B-0", Name: "B"}
	must(t, store.CreateBillingAccount(ctx, &bb))
	w.bKey = service(w.b.ID, bb.ID, 9)
	user := func(email, staffRole string, m *identity.Membership) string {
		u := identity.User{ID: enlace.NewID(), Email: email, FirstName: "N", LastName: email, Locale: "es-MX", StaffRole: staffRole}
		if m != nil {
			m.ID, m.UserID = enlace.NewID(), u.ID
		}
		must(t, store.CreateUser(ctx, &u, "x", false, m))
		return u.ID
	}
	w.agentID = user("agent@p.example", "support", nil)
	w.adminID = user("admin@p.example", "admin", nil)
	pmID := user("pm@p.example", "pm", nil)
	w.aAdminID = user("admin@a.example", "", &identity.Membership{CustomerID: w.a.ID, Role: "admin", AccessLevel: "full"})
	techID := user("tech@a.example", "", &identity.Membership{CustomerID: w.a.ID, Role: "technical", AccessLevel: "full", BillingAccountIDs: []string{w.aAcc[1]}})
	viewerID := user("viewer@a.example", "", &identity.Membership{CustomerID: w.a.ID, Role: "user", AccessLevel: "read"})
	bAdminID := user("admin@b.example", "", &identity.Membership{CustomerID: w.b.ID, Role: "admin", AccessLevel: "full"})
	as := func(a *enlace.Actor) context.Context { return enlace.WithActor(ctx, a) }
	w.agent = as(&enlace.Actor{UserID: w.agentID, Name: "Agente", Email: "agent@p.example", StaffRole: "support", Locale: "es-MX"})
	w.admin = as(&enlace.Actor{UserID: w.adminID, Name: "Admin", StaffRole: "admin"})
	w.pm = as(&enlace.Actor{UserID: pmID, Name: "PM", StaffRole: "pm"})
	w.aAdmin = as(&enlace.Actor{UserID: w.aAdminID, Name: "Laura", Email: "admin@a.example", CustomerID: w.a.ID, CustomerRole: "admin", Locale: "es-MX"})
	w.aTech = as(&enlace.Actor{UserID: techID, Name: "Tec", CustomerID: w.a.ID, CustomerRole: "technical", BillingAccountIDs: []string{w.aAcc[1]}})
	w.aViewer = as(&enlace.Actor{UserID: viewerID, CustomerID: w.a.ID, CustomerRole: "user", ReadOnly: true})
	w.bAdmin = as(&enlace.Actor{UserID: bAdminID, CustomerID: w.b.ID, CustomerRole: "admin"})
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// internetFailure is a valid report of an Internet failure on key.
func internetFailure(key string) servicedesk.Input {
	return servicedesk.Input{TypeKey: "internet_failure", ServiceKey: key, Description: "Sin enlace desde las 8",
		Fields: map[string]string{"symptom": "down", "contact_phone": "81 1234 5678"}}
}

func (w *world) raise(t *testing.T, ctx context.Context, in servicedesk.Input) *servicedesk.View {
	t.Helper()
	v, err := w.svc.Create(ctx, in, nil)
	must(t, err)
	return v
}

func fieldOf(err error) string {
	var e *enlace.Error
	if err == nil {
		return ""
	}
	if ok := asError(err, &e); ok && len(e.Fields) > 0 {
		return e.Fields[0].Field
	}
	return enlace.ErrorCode(err)
}

func asError(err error, target **enlace.Error) bool {
	e, ok := err.(*enlace.Error)
	if ok {
		*target = e
	}
	return ok
}

func TestCreateFromServiceKey(t *testing.T) {
	w := newWorld(t)
	v := w.raise(t, w.aAdmin, internetFailure(strings.ToLower(w.aKeys[0])))
	r := v.Request
	if r.Folio != "REQ-2026-000001" || r.CustomerID != w.a.ID || r.BillingAccountID != w.aAcc[0] || r.ServiceKey != w.aKeys[0] {
		t.Errorf("Create = folio %s customer %s account %s key %s", r.Folio, r.CustomerID, r.BillingAccountID, r.ServiceKey)
	}
	if r.Phase != servicedesk.PhaseNew || r.Priority != servicedesk.PriorityHigh || !r.Incident || r.Fields["contact_phone"] != "+528112345678" {
		t.Errorf("Create = phase %s priority %s incident %v fields %v", r.Phase, r.Priority, r.Incident, r.Fields)
	}
	if len(v.Steps) != 5 || !v.Steps[0].Mandatory {
		t.Errorf("Create: %d checklist steps, want the 5 of the procedure", len(v.Steps))
	}
	// High priority: response in 1 working hour, resolution in 1 working
	// day (9 h). Friday 17:00 + 1 h = 18:00; + 9 h runs over the weekend
	// and the Monday holiday to Tuesday 17:00.
	loc := w.svc.Location()
	if got, want := r.ResponseDueAt.In(loc).Format("Mon 02 15:04"), "Fri 13 18:00"; got != want {
		t.Errorf("response due %s, want %s", got, want)
	}
	if got, want := r.ResolutionDueAt.In(loc).Format("Mon 02 15:04"), "Tue 17 17:00"; got != want {
		t.Errorf("resolution due %s, want %s", got, want)
	}
	second := w.raise(t, w.aAdmin, internetFailure(w.aKeys[1]))
	if second.Request.Folio != "REQ-2026-000002" {
		t.Errorf("second folio %s, want REQ-2026-000002", second.Request.Folio)
	}
}

func TestCreateRefuses(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name  string
		ctx   context.Context
		in    func(servicedesk.Input) servicedesk.Input
		field string
	}{
		{"unknown type", w.aAdmin, func(in servicedesk.Input) servicedesk.Input { in.TypeKey = "nope"; return in }, "type"},
		{"no service key", w.aAdmin, func(in servicedesk.Input) servicedesk.Input { in.ServiceKey = ""; return in }, "service_key"},
		{"another customer's key", w.aAdmin, func(in servicedesk.Input) servicedesk.Input { in.ServiceKey = w.bKey; return in }, "service_key"},
		{"an account the user does not see", w.aTech, func(in servicedesk.Input) servicedesk.Input { return in }, "service_key"},
		{"required field", w.aAdmin, func(in servicedesk.Input) servicedesk.Input { delete(in.Fields, "symptom"); return in }, "fields.symptom"},
		{"bad option", w.aAdmin, func(in servicedesk.Input) servicedesk.Input { in.Fields["symptom"] = "x"; return in }, "fields.symptom"},
		{"bad phone", w.aAdmin, func(in servicedesk.Input) servicedesk.Input { in.Fields["contact_phone"] = "12ab"; return in }, "fields.contact_phone"},
		{"unknown field", w.aAdmin, func(in servicedesk.Input) servicedesk.Input { in.Fields["x"] = "1"; return in }, "fields.x"},
		{"no description", w.aAdmin, func(in servicedesk.Input) servicedesk.Input { in.Description = " "; return in }, "description"},
		{"long description", w.aAdmin, func(in servicedesk.Input) servicedesk.Input {
			in.Description = strings.Repeat("x", 10001)
			return in
		}, "description"},
		{"bad priority", w.aAdmin, func(in servicedesk.Input) servicedesk.Input { in.Priority = "urgent"; return in }, "priority"},
		{"customer picks a staff channel", w.aAdmin, func(in servicedesk.Input) servicedesk.Input { in.Channel = "phone"; return in }, "channel"},
		{"read-only user", w.aViewer, func(in servicedesk.Input) servicedesk.Input { return in }, enlace.EFORBIDDEN},
		{"technical user, administrative type", w.aTech, func(servicedesk.Input) servicedesk.Input {
			return servicedesk.Input{TypeKey: "billing_clarification", Description: "x", Fields: map[string]string{"invoice_number": "F1"}}
		}, "type"},
		{"missing attachment", w.aAdmin, func(servicedesk.Input) servicedesk.Input {
			return servicedesk.Input{TypeKey: "billing_clarification", Description: "x", BillingAccountID: w.aAcc[0], Fields: map[string]string{"invoice_number": "F1"}}
		}, "attachment.invoice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.svc.Create(tt.ctx, tt.in(internetFailure(w.aKeys[0])), nil)
			if got := fieldOf(err); got != tt.field {
				t.Errorf("Create = %v (field %q), want field %q", err, got, tt.field)
			}
		})
	}
	list, total, err := w.svc.List(w.admin, servicedesk.Filter{})
	must(t, err)
	if total != 0 || len(list) != 0 {
		t.Errorf("after refused creates, %d requests stored", total)
	}
}

func TestWorkingARequest(t *testing.T) {
	w := newWorld(t)
	v := w.raise(t, w.aAdmin, internetFailure(w.aKeys[0]))
	id := v.Request.ID
	if _, err := w.svc.Act(w.aAdmin, id, servicedesk.ActInput{Action: servicedesk.ActionStart}); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("customer starts = %v, want forbidden", err)
	}
	if _, err := w.svc.Act(w.pm, id, servicedesk.ActInput{Action: servicedesk.ActionAssign, AssigneeID: w.agentID}); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("PM assigns = %v, want forbidden: PMs are not agents", err)
	}
	v, err := w.svc.Act(w.admin, id, servicedesk.ActInput{Action: servicedesk.ActionAssign, AssigneeID: w.agentID, Queue: "network"})
	must(t, err)
	if v.Request.Phase != servicedesk.PhaseAssigned || v.Request.AssigneeID != w.agentID {
		t.Fatalf("assign: phase %s agent %s", v.Request.Phase, v.Request.AssigneeID)
	}
	v, err = w.svc.Act(w.agent, id, servicedesk.ActInput{Action: servicedesk.ActionStart})
	must(t, err)
	if v.Request.FirstResponseAt == nil {
		t.Errorf("start: no first response recorded")
	}
	_, err = w.svc.Act(w.agent, id, servicedesk.ActInput{Action: servicedesk.ActionResolve, Resolution: "Se reinició la ONT"})
	if fieldOf(err) != "checklist" {
		t.Fatalf("resolve with steps open = %v, want the checklist refused", err)
	}
	if _, err := w.svc.Tick(w.aAdmin, id, "receive", true); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("customer ticks = %v, want forbidden", err)
	}
	for _, st := range v.Steps {
		v, err = w.svc.Tick(w.agent, id, st.Key, true)
		must(t, err)
	}
	if st := v.Steps[0]; st.DoneAt == nil || st.DoneBy != w.agentID || st.DoneByName != "Agente" {
		t.Errorf("tick recorded %v by %q (%q)", st.DoneAt, st.DoneBy, st.DoneByName)
	}
	v, err = w.svc.Act(w.agent, id, servicedesk.ActInput{Action: servicedesk.ActionResolve, Resolution: "Se reinició la ONT"})
	must(t, err)
	if v.Request.Phase != servicedesk.PhaseResolved || v.Request.ResolvedAt == nil {
		t.Fatalf("resolve: phase %s", v.Request.Phase)
	}
	if _, err := w.svc.Answer(w.aAdmin, id, servicedesk.SurveyInput{Score: 5}); enlace.ErrorCode(err) != enlace.ECONFLICT {
		t.Errorf("survey before closing = %v, want conflict", err)
	}
	v, err = w.svc.Act(w.aAdmin, id, servicedesk.ActInput{Action: servicedesk.ActionClose})
	must(t, err)
	if !v.MayAnswer || v.Request.Phase != servicedesk.PhaseClosed {
		t.Fatalf("closed: may answer %v, phase %s", v.MayAnswer, v.Request.Phase)
	}
	if _, err := w.svc.Answer(w.aAdmin, id, servicedesk.SurveyInput{Score: 6}); fieldOf(err) != "score" {
		t.Errorf("score 6 = %v, want refused", err)
	}
	v, err = w.svc.Answer(w.aAdmin, id, servicedesk.SurveyInput{Score: 4, Comment: "Rápido"})
	must(t, err)
	if v.Survey == nil || v.Survey.Score != 4 || v.MayAnswer {
		t.Errorf("survey = %+v, may answer %v", v.Survey, v.MayAnswer)
	}
	if _, err := w.svc.Answer(w.aAdmin, id, servicedesk.SurveyInput{Score: 1}); err == nil {
		t.Errorf("second answer accepted")
	}
	results, err := w.svc.SurveyResults(w.admin, servicedesk.ByAgent, friday17.AddDate(0, 0, -1))
	must(t, err)
	if len(results) != 1 || results[0].Key != w.agentID || results[0].Answers != 1 || results[0].Satisfied != 1 {
		t.Errorf("SurveyResults = %+v", results)
	}
	if _, err := w.svc.SurveyResults(w.aAdmin, servicedesk.ByAgent, friday17); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("customer reads survey results = %v, want forbidden", err)
	}
	// The requester heard of every phase change but the one they made.
	phases := map[string]bool{}
	notes, _, err := w.store.FindNotifications(context.Background(), w.aAdminID, w.a.ID, notify.NotificationFilter{Limit: 50})
	must(t, err)
	for _, n := range notes {
		phases[n.TitleKey] = true
	}
	for _, p := range []string{"received", "phase.assigned", "phase.in_progress", "phase.resolved", "phase.closed"} {
		if !phases["servicedesk.notice."+p+".title"] {
			t.Errorf("requester not told %s; got %v", p, phases)
		}
	}
}

func TestWaitingPausesTheSLA(t *testing.T) {
	w := newWorld(t)
	// Tuesday 17 November 2026, 10:00 in Mexico City.
	w.clock.Advance(time.Date(2026, 11, 17, 16, 0, 0, 0, time.UTC).Sub(w.clock.Now()))
	v := w.raise(t, w.aAdmin, internetFailure(w.aKeys[0]))
	id, due := v.Request.ID, v.Request.ResolutionDueAt
	_, err := w.svc.Act(w.agent, id, servicedesk.ActInput{Action: servicedesk.ActionStart})
	must(t, err)
	_, err = w.svc.Act(w.agent, id, servicedesk.ActInput{Action: servicedesk.ActionWait})
	if fieldOf(err) != "reason" {
		t.Errorf("wait without a reason = %v", err)
	}
	v, err = w.svc.Act(w.agent, id, servicedesk.ActInput{Action: servicedesk.ActionWait, Reason: "Necesitamos acceso al site"})
	must(t, err)
	if v.Request.PausedAt == nil {
		t.Fatalf("waiting: SLA not paused")
	}
	w.clock.Advance(2 * time.Hour)
	// The customer's reply puts it back in progress and restarts the clock.
	v, err = w.svc.Comment(w.aAdmin, id, servicedesk.CommentInput{Body: "Listo, ya tienen acceso"})
	must(t, err)
	if v.Request.Phase != servicedesk.PhaseInProgress || v.Request.PausedAt != nil {
		t.Fatalf("after the reply: phase %s, paused %v", v.Request.Phase, v.Request.PausedAt)
	}
	if got := v.Request.ResolutionDueAt.Sub(due); got != 2*time.Hour {
		t.Errorf("resolution due moved by %v, want the 2 working hours waited", got)
	}
}

func TestInternalNotesAndTenancy(t *testing.T) {
	w := newWorld(t)
	v := w.raise(t, w.aAdmin, internetFailure(w.aKeys[0]))
	id := v.Request.ID
	_, err := w.svc.Comment(w.agent, id, servicedesk.CommentInput{Body: "Revisar con el carrier", Internal: true})
	must(t, err)
	_, err = w.svc.Comment(w.agent, id, servicedesk.CommentInput{Body: "Estamos revisando"})
	must(t, err)
	if _, err := w.svc.Comment(w.aAdmin, id, servicedesk.CommentInput{Body: "x", Internal: true}); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("customer internal note = %v, want forbidden", err)
	}
	staff, err := w.svc.Request(w.agent, id)
	must(t, err)
	cust, err := w.svc.Request(w.aAdmin, id)
	must(t, err)
	if len(staff.Comments) != 2 || len(cust.Comments) != 1 || cust.Comments[0].Internal {
		t.Errorf("staff see %d comments, customer %d (%+v)", len(staff.Comments), len(cust.Comments), cust.Comments)
	}
	for name, ctx := range map[string]context.Context{"another customer": w.bAdmin, "another account": w.aTech} {
		if _, err := w.svc.Request(ctx, id); enlace.ErrorCode(err) != enlace.ENOTFOUND {
			t.Errorf("%s reads = %v, want not found", name, err)
		}
		if _, err := w.svc.Comment(ctx, id, servicedesk.CommentInput{Body: "x"}); enlace.ErrorCode(err) != enlace.ENOTFOUND {
			t.Errorf("%s comments = %v, want not found", name, err)
		}
		if _, err := w.svc.Act(ctx, id, servicedesk.ActInput{Action: servicedesk.ActionCancel}); enlace.ErrorCode(err) != enlace.ENOTFOUND {
			t.Errorf("%s cancels = %v, want not found", name, err)
		}
		list, total, err := w.svc.List(ctx, servicedesk.Filter{})
		must(t, err)
		if total != 0 || len(list) != 0 {
			t.Errorf("%s lists %d requests", name, total)
		}
	}
	if _, err := w.svc.Act(w.aViewer, id, servicedesk.ActInput{Action: servicedesk.ActionCancel}); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("read-only cancels = %v, want forbidden", err)
	}
	chart, err := w.svc.Chart(w.aAdmin, servicedesk.Filter{})
	must(t, err)
	if len(chart) != len(servicedesk.Phases) || chart[0].Phase != servicedesk.PhaseNew || chart[0].Count != 1 {
		t.Errorf("Chart = %+v", chart)
	}
	if err := w.svc.Delete(w.agent, id); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("agent deletes = %v, want forbidden", err)
	}
	must(t, w.svc.Delete(w.admin, id))
	if _, err := w.svc.Request(w.admin, id); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("read after delete = %v", err)
	}
}

func TestSLANoticesAndAutoClose(t *testing.T) {
	w := newWorld(t)
	runner := jobs.NewRunner(w.store, w.clock, slog.New(slog.DiscardHandler))
	w.svc.Register(runner)
	notify.NewDeliverer(w.store, nil, slog.New(slog.DiscardHandler)).Register(runner)
	// Tuesday 17 November 2026, 10:00: critical, response due 10:30.
	w.clock.Advance(time.Date(2026, 11, 17, 16, 0, 0, 0, time.UTC).Sub(w.clock.Now()))
	in := internetFailure(w.aKeys[0])
	in.Priority = servicedesk.PriorityCritical
	v := w.raise(t, w.aAdmin, in)
	id := v.Request.ID
	_, err := w.svc.Act(w.admin, id, servicedesk.ActInput{Action: servicedesk.ActionAssign, AssigneeID: w.agentID})
	must(t, err)
	run := func() {
		t.Helper()
		_, err := runner.RunDue(context.Background())
		must(t, err)
	}
	w.clock.Advance(25 * time.Minute) // past the warning at 80 %
	run()
	r, err := w.store.RequestByID(context.Background(), id)
	must(t, err)
	if r.SLANotices != int(servicedesk.NoticeResponseWarning) {
		t.Errorf("after 25 min: notices %b, want the response warning", r.SLANotices)
	}
	w.clock.Advance(10 * time.Minute)
	run()
	r, err = w.store.RequestByID(context.Background(), id)
	must(t, err)
	if r.SLANotices != int(servicedesk.NoticeResponseWarning|servicedesk.NoticeResponseBreach) || !r.ResponseBreached(w.clock.Now()) {
		t.Errorf("after 35 min: notices %b, want the response breach too", r.SLANotices)
	}
	run() // nothing more is due: no notice twice
	notes, _, err := w.store.FindNotifications(context.Background(), w.agentID, "", notify.NotificationFilter{Limit: 50})
	must(t, err)
	count := map[string]int{}
	for _, n := range notes {
		count[n.TitleKey]++
	}
	if count["servicedesk.notice.sla.warning.title"] != 1 || count["servicedesk.notice.sla.breach.title"] != 1 {
		t.Errorf("agent's SLA notices = %v", count)
	}

	_, err = w.svc.Act(w.agent, id, servicedesk.ActInput{Action: servicedesk.ActionStart})
	must(t, err)
	for _, st := range v.Steps {
		_, err = w.svc.Tick(w.agent, id, st.Key, true)
		must(t, err)
	}
	_, err = w.svc.Act(w.agent, id, servicedesk.ActInput{Action: servicedesk.ActionResolve, Resolution: "Listo"})
	must(t, err)
	w.clock.Advance(3 * 24 * time.Hour) // Friday 11:05: 3 working days later
	run()
	r, err = w.store.RequestByID(context.Background(), id)
	must(t, err)
	if r.Phase != servicedesk.PhaseClosed {
		t.Errorf("3 working days after the resolution: phase %s, want closed by itself", r.Phase)
	}
}
