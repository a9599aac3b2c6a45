package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/jobs"
	sd "github.com/enlace-portal/enlace/internal/servicedesk"
)

// desk is a store with two customers, A with two billing accounts and two
// sites, B with one of each, and an agent.
type desk struct {
	s        *Store
	clock    *enlace.FakeClock
	a, b     string
	aAcc     []string
	bAcc     string
	aSites   []inventory.Site
	bSite    inventory.Site
	agent    identity.User
	uploader string
}

func newDesk(t *testing.T) *desk {
	t.Helper()
	ctx := context.Background()
	d := &desk{clock: enlace.NewFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))}
	d.s = MustOpenTest(t, d.clock)
	custAccount := func(name string, accounts int) (string, []string) {
		c := customer.Customer{ID: enlace.NewID(), Number: name, Name: "Cliente " + name}
		mustDo(t, d.s.CreateCustomer(ctx, &c))
		var ids []string
		for i := range accounts {
			b := customer.BillingAccount{ID: enlace.NewID(), CustomerID: c.ID, Number: fmt.Sprint(name, i), Name: name}
			mustDo(t, d.s.CreateBillingAccount(ctx, &b))
			ids = append(ids, b.ID)
		}
		return c.ID, ids
	}
	var bAcc []string
	d.a, d.aAcc = custAccount("A", 2)
	d.b, bAcc = custAccount("B", 1)
	d.bAcc = bAcc[0]
	site := func(customerID, name, state string) inventory.Site {
		st := inventory.Site{ID: enlace.NewID(), CustomerID: customerID, Name: name, AddressLine1: "Av. 1", City: "Monterrey", State: state, Country: "MX"}
		mustDo(t, d.s.CreateSite(ctx, &st))
		return st
	}
	d.aSites = []inventory.Site{site(d.a, "Matriz", "NLE"), site(d.a, "Sucursal", "JAL")}
	d.bSite = site(d.b, "Planta", "QRO")
	d.agent = d.user(t, "agente@p.example", "Agente", identity.StaffSupport)
	d.uploader = d.user(t, "ana@a.example", "Ana", "").ID
	return d
}

func (d *desk) user(t *testing.T, email, name, staffRole string) identity.User {
	t.Helper()
	u := identity.User{ID: enlace.NewID(), Email: email, FirstName: name, LastName: "Uno", Locale: "es-MX", StaffRole: staffRole}
	mustDo(t, d.s.CreateUser(context.Background(), &u, "x", false, nil))
	return u
}

func mustDo(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// request returns a new request of a customer's account at a site, due
// in the provider's time zone as the SLA computes it.
func (d *desk) request(customerID, account, siteID string) *sd.Request {
	mx := time.FixedZone("CST", -6*3600)
	now := d.clock.Now().In(mx)
	return &sd.Request{ID: enlace.NewID(), CustomerID: customerID, BillingAccountID: account, SiteID: siteID,
		TypeKey: "link_down", Kind: "technical", Category: "connectivity", Incident: true, Subject: "Sin enlace",
		Description: "No hay servicio", Fields: sd.Fields{"since": "hoy"}, Priority: sd.PriorityHigh, Phase: sd.PhaseNew,
		Queue: "noc", RequesterName: "Ana", Channel: sd.ChannelPortal, CreatedBy: d.uploader,
		ResponseDueAt: now.Add(time.Hour), ResolutionDueAt: now.Add(4 * time.Hour),
		ResponseWarnAt: now.Add(45 * time.Minute), ResolutionWarnAt: now.Add(3 * time.Hour)}
}

// create stores r with a three-step checklist and advances the clock a
// minute, so that requests sort by creation.
func (d *desk) create(t *testing.T, r *sd.Request) *sd.Request {
	t.Helper()
	steps := []sd.Step{
		{Key: "check", Seq: 1, Label: i18n.Text{"es-MX": "Revisar", "en": "Check"}, Mandatory: true},
		{Key: "fix", Seq: 2, Label: i18n.Text{"es-MX": "Reparar"}},
		{Key: "confirm", Seq: 3, Label: i18n.Text{"es-MX": "Confirmar"}},
	}
	mustDo(t, d.s.CreateRequest(context.Background(), r, steps, sd.Event{Phase: r.Phase, ActorName: "Ana"}, nil))
	d.clock.Advance(time.Minute)
	return r
}

// move saves a request in a new phase.
func (d *desk) move(t *testing.T, id, phase string) *sd.Request {
	t.Helper()
	ctx := context.Background()
	r, err := d.s.RequestByID(ctx, id)
	mustDo(t, err)
	from := r.Phase
	r.Phase = phase
	mustDo(t, d.s.SaveRequest(ctx, sd.Change{Request: r, Read: r.UpdatedAt, FromPhase: from, Event: &sd.Event{Phase: phase}}))
	return r
}

// TestRequestFolios: a request reads back as stored, under folios of the
// year of its creation that are never handed out twice.
func TestRequestFolios(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	first := d.request(d.a, d.aAcc[0], d.aSites[0].ID)
	first.AssigneeID = d.agent.ID
	var quoted string
	notices := func(r *sd.Request) []enlace.Effect {
		quoted = r.Folio
		return []enlace.Effect{jobs.New("test.notice", nil, time.Time{})}
	}
	created := d.clock.Now()
	mustDo(t, d.s.CreateRequest(ctx, first, []sd.Step{{Key: "check", Seq: 1, Label: i18n.Text{"es-MX": "Revisar", "en": "Check"}}},
		sd.Event{Phase: sd.PhaseNew, ActorName: "Ana"}, notices))
	if first.Folio != "REQ-2026-000001" || quoted != first.Folio {
		t.Errorf("first folio = %q (notices saw %q), want REQ-2026-000001", first.Folio, quoted)
	}
	want := *first
	want.CustomerName, want.SiteName, want.AssigneeName = "Cliente A", "Matriz", "Agente Uno"
	for name, read := range map[string]func() (*sd.Request, error){
		"RequestByID":    func() (*sd.Request, error) { return d.s.RequestByID(ctx, first.ID) },
		"RequestByFolio": func() (*sd.Request, error) { return d.s.RequestByFolio(ctx, first.Folio) },
	} {
		got, err := read()
		if err != nil {
			t.Fatalf("%s = %v", name, err)
		}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("%s (-stored +read):\n%s", name, diff)
		}
	}
	steps, err := d.s.RequestSteps(ctx, first.ID)
	wantSteps := []sd.Step{{RequestID: first.ID, Key: "check", Seq: 1, Label: i18n.Text{"es-MX": "Revisar", "en": "Check"}}}
	if diff := cmp.Diff(wantSteps, steps); err != nil || diff != "" {
		t.Errorf("RequestSteps = %v (-want +got):\n%s", err, diff)
	}
	events, err := d.s.RequestEvents(ctx, first.ID)
	if err != nil || len(events) != 1 || events[0].Phase != sd.PhaseNew || !events[0].At.Equal(created) || events[0].ID == "" {
		t.Errorf("RequestEvents = %+v, %v; want the new event at %v", events, err, created)
	}

	second := d.create(t, d.request(d.a, d.aAcc[0], ""))
	mustDo(t, d.s.DeleteRequest(ctx, second.ID))
	third := d.create(t, d.request("", "", ""))
	d.clock.Advance(365 * 24 * time.Hour)
	next := d.create(t, d.request(d.b, d.bAcc, ""))
	for _, tt := range []struct{ got, want string }{
		{second.Folio, "REQ-2026-000002"}, {third.Folio, "REQ-2026-000003"}, {next.Folio, "REQ-2027-000001"},
	} {
		if tt.got != tt.want {
			t.Errorf("folio = %s, want %s", tt.got, tt.want)
		}
	}
	if _, err := d.s.RequestByID(ctx, second.ID); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("RequestByID(deleted) = %v, want not found", err)
	}
}

// TestSaveRequest: a change commits with its event, comment and ticked
// step; one made from a stale read is refused; internal notes stay out of
// the customer's thread.
func TestSaveRequest(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	r := d.create(t, d.request(d.a, d.aAcc[0], d.aSites[0].ID))
	read := r.UpdatedAt
	done := d.clock.Now()
	r.Phase, r.AssigneeID, r.FirstResponseAt = sd.PhaseAssigned, d.agent.ID, &done
	change := sd.Change{Request: r, Read: read, FromPhase: sd.PhaseNew, Event: &sd.Event{Phase: sd.PhaseAssigned},
		Comment: &sd.Comment{AuthorID: d.agent.ID, AuthorName: "Agente", Staff: true, Internal: true, Body: "revisar OLT"},
		Steps:   []sd.Step{{Key: "check", DoneAt: &done, DoneBy: d.agent.ID, DoneByName: "Agente"}}}
	mustDo(t, d.s.SaveRequest(ctx, change))
	if !r.UpdatedAt.After(read) {
		t.Errorf("UpdatedAt after SaveRequest = %v, want after %v", r.UpdatedAt, read)
	}
	stale := *r
	stale.Subject = "otra cosa"
	err := d.s.SaveRequest(ctx, sd.Change{Request: &stale, Read: read, FromPhase: sd.PhaseAssigned})
	if e := enlace.AsError(err); e.Code != enlace.ECONFLICT || e.Message != "servicedesk.error.changed" {
		t.Errorf("SaveRequest(stale read) = %v, want conflict servicedesk.error.changed", err)
	}
	d.clock.Advance(time.Minute)
	mustDo(t, d.s.SaveRequest(ctx, sd.Change{Request: r, Read: r.UpdatedAt, FromPhase: r.Phase,
		Comment: &sd.Comment{AuthorID: d.uploader, AuthorName: "Ana", Body: "gracias"}}))

	got, err := d.s.RequestByID(ctx, r.ID)
	if err != nil || got.Phase != sd.PhaseAssigned || got.AssigneeName != "Agente Uno" || got.Subject != "Sin enlace" ||
		got.FirstResponseAt == nil || !got.FirstResponseAt.Equal(done) {
		t.Errorf("RequestByID after save = %+v, %v", got, err)
	}
	steps, _ := d.s.RequestSteps(ctx, r.ID)
	if steps[0].DoneAt == nil || steps[0].DoneByName != "Agente" || steps[1].DoneAt != nil {
		t.Errorf("steps after ticking check = %+v", steps)
	}
	if events, _ := d.s.RequestEvents(ctx, r.ID); len(events) != 2 || events[1].Phase != sd.PhaseAssigned {
		t.Errorf("events = %+v, want new then assigned", events)
	}
	for _, tt := range []struct {
		internal bool
		want     []string
	}{{false, []string{"gracias"}}, {true, []string{"revisar OLT", "gracias"}}} {
		cs, err := d.s.RequestComments(ctx, r.ID, tt.internal)
		var bodies []string
		for _, c := range cs {
			bodies = append(bodies, c.Body)
		}
		if err != nil || !slices.Equal(bodies, tt.want) {
			t.Errorf("RequestComments(internal %v) = %q, %v; want %q", tt.internal, bodies, err, tt.want)
		}
	}
}

// TestRequestSurvey: a request is answered once; a second answer is a
// conflict that rolls back its change; results sum by agent and category.
func TestRequestSurvey(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	for i, score := range []int{5, 3} {
		r := d.request(d.a, d.aAcc[0], "")
		r.AssigneeID, r.Category = d.agent.ID, []string{"connectivity", "voice"}[i]
		d.create(t, r)
		r = d.move(t, r.ID, sd.PhaseClosed)
		mustDo(t, d.s.SaveRequest(ctx, sd.Change{Request: r, Read: r.UpdatedAt, FromPhase: r.Phase,
			Survey: &sd.Survey{Score: score, AnsweredBy: d.uploader, AssigneeID: r.AssigneeID, Category: r.Category, TypeKey: r.TypeKey}}))
		if i > 0 {
			continue
		}
		r.Subject = "cambiado"
		err := d.s.SaveRequest(ctx, sd.Change{Request: r, Read: r.UpdatedAt, FromPhase: r.Phase,
			Survey: &sd.Survey{Score: 1, AnsweredBy: d.uploader, Category: r.Category, TypeKey: r.TypeKey}})
		if e := enlace.AsError(err); e.Code != enlace.ECONFLICT || e.Message != "servicedesk.error.survey_answered" {
			t.Errorf("second survey = %v, want conflict servicedesk.error.survey_answered", err)
		}
		if got, _ := d.s.RequestByID(ctx, r.ID); got.Subject != "Sin enlace" {
			t.Errorf("subject after the refused survey = %q, want the change rolled back", got.Subject)
		}
		if sv, err := d.s.RequestSurvey(ctx, r.ID); err != nil || sv.Score != 5 {
			t.Errorf("RequestSurvey = %+v, %v; want the first answer", sv, err)
		}
	}
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		by    string
		since time.Time
		want  []sd.SurveyResult
	}{
		{"agent", since, []sd.SurveyResult{{Key: d.agent.ID, Name: "Agente Uno", Answers: 2, Average: 4, Satisfied: 1}}},
		{"category", since, []sd.SurveyResult{{Key: "connectivity", Answers: 1, Average: 5, Satisfied: 1}, {Key: "voice", Answers: 1, Average: 3}}},
		{"agent", d.clock.Now().Add(time.Hour), []sd.SurveyResult{}},
	} {
		got, err := d.s.SurveyResults(ctx, tt.by, tt.since)
		if diff := cmp.Diff(tt.want, got); err != nil || diff != "" {
			t.Errorf("SurveyResults(%s, %v) = %v (-want +got):\n%s", tt.by, tt.since, err, diff)
		}
	}
}

// checkCounts compares the kept counts with a GROUP BY over the rows, and
// CountByPhase and the totals read from them with the same read from the
// rows, for every scope.
func (d *desk) checkCounts(t *testing.T, step string) {
	t.Helper()
	ctx := context.Background()
	type count struct {
		CustomerID string `db:"customer_id"`
		AccountID  string `db:"billing_account_id"`
		Phase      string `db:"phase"`
		N          int    `db:"n"`
	}
	var kept, rows []count
	mustDo(t, d.s.db.SelectContext(ctx, &kept, `SELECT customer_id, billing_account_id, phase, n FROM request_counts
		WHERE n <> 0 ORDER BY 1, 2, 3`))
	mustDo(t, d.s.db.SelectContext(ctx, &rows, `SELECT customer_id, billing_account_id, phase, COUNT(*) AS n FROM requests
		GROUP BY customer_id, billing_account_id, phase ORDER BY 1, 2, 3`))
	if diff := cmp.Diff(rows, kept); diff != "" {
		t.Errorf("%s: kept counts (-rows +kept):\n%s", step, diff)
	}
	past := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, f := range map[string]sd.Filter{
		"staff": {}, "customer A": {CustomerID: d.a}, "A's second account": {CustomerID: d.a, Accounts: d.aAcc[1:]},
		"staff only": {StaffOnly: true}, "customer B": {CustomerID: d.b}, "A open": {CustomerID: d.a, Open: true},
	} {
		fromCounts, err := d.s.CountByPhase(ctx, f)
		mustDo(t, err)
		_, total, err := d.s.FindRequests(ctx, sd.Filter{CustomerID: f.CustomerID, Accounts: f.Accounts, StaffOnly: f.StaffOnly, Open: f.Open, Limit: 1})
		mustDo(t, err)
		f.Since = &past // not countable: read from the rows
		fromRows, err := d.s.CountByPhase(ctx, f)
		mustDo(t, err)
		_, rowsTotal, err := d.s.FindRequests(ctx, sd.Filter{CustomerID: f.CustomerID, Accounts: f.Accounts, StaffOnly: f.StaffOnly, Open: f.Open, Since: &past, Limit: 1})
		mustDo(t, err)
		if diff := cmp.Diff(fromRows, fromCounts); diff != "" || total != rowsTotal {
			t.Errorf("%s: %s: CountByPhase total %d (-rows +counts, total %d):\n%s", step, name, total, rowsTotal, diff)
		}
	}
}

// TestRequestCountsFollowPhases: the kept counts by phase follow creates,
// phase changes and deletes, in every scope.
func TestRequestCountsFollowPhases(t *testing.T) {
	d := newDesk(t)
	var ids []string
	for _, at := range [][2]string{{d.a, d.aAcc[0]}, {d.a, d.aAcc[0]}, {d.a, d.aAcc[1]}, {d.b, d.bAcc}, {"", ""}, {d.a, d.aAcc[1]}} {
		ids = append(ids, d.create(t, d.request(at[0], at[1], "")).ID)
	}
	d.checkCounts(t, "created")
	d.move(t, ids[0], sd.PhaseAssigned)
	d.move(t, ids[0], sd.PhaseInProgress)
	d.move(t, ids[2], sd.PhaseCancelled)
	d.move(t, ids[4], sd.PhaseAssigned)
	d.checkCounts(t, "moved")
	r, _ := d.s.RequestByID(context.Background(), ids[5])
	r.Subject = "same phase"
	mustDo(t, d.s.SaveRequest(context.Background(), sd.Change{Request: r, Read: r.UpdatedAt, FromPhase: r.Phase}))
	d.checkCounts(t, "saved in the same phase")
	for _, i := range []int{1, 2, 4} {
		mustDo(t, d.s.DeleteRequest(context.Background(), ids[i]))
	}
	d.checkCounts(t, "deleted")
	got, _ := d.s.CountByPhase(context.Background(), sd.Filter{CustomerID: d.a})
	want := []sd.PhaseCount{{Phase: sd.PhaseNew, Count: 1}, {Phase: sd.PhaseInProgress, Count: 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CountByPhase(A) (-want +got):\n%s", diff)
	}
}

// TestFindRequests: every filter, tenancy, and paging newest first.
func TestFindRequests(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	svc := inventory.Service{ID: enlace.NewID(), CustomerID: d.a, BillingAccountID: d.aAcc[1], SiteID: d.aSites[1].ID,
		Key: "MTY-100", Category: "telco", Product: "Enlace", Status: "active"}
	mustDo(t, d.s.CreateService(ctx, &svc))
	requester := d.user(t, "luis@a.example", "Luis", "")
	past := d.clock.Now().Add(-time.Hour)
	// Six requests, each named by what sets it apart.
	made := map[string]*sd.Request{}
	for _, name := range []string{"plain", "voice", "service", "staff", "b", "breached"} {
		r := d.request(d.a, d.aAcc[0], d.aSites[0].ID)
		switch name {
		case "voice":
			r.Kind, r.Category, r.TypeKey, r.Priority, r.Queue = "administrative", "voice", "port_number", sd.PriorityLow, "billing"
			r.Subject, r.RequesterID, r.AssigneeID = "Portar 100% de las líneas", requester.ID, d.agent.ID
		case "service":
			r.BillingAccountID, r.SiteID, r.ServiceID, r.ServiceKey = d.aAcc[1], d.aSites[1].ID, svc.ID, svc.Key
		case "staff":
			r.CustomerID, r.BillingAccountID, r.SiteID = "", "", ""
			r.Severity, r.TicketType = "Major", "monitoring"
		case "b":
			r.CustomerID, r.BillingAccountID, r.SiteID = d.b, d.bAcc, d.bSite.ID
		case "breached":
			r.ResponseDueAt = past
		}
		made[name] = d.create(t, r)
	}
	d.move(t, made["voice"].ID, sd.PhaseAssigned)
	d.move(t, made["b"].ID, sd.PhaseCancelled)
	paused := d.move(t, made["plain"].ID, sd.PhaseWaitingCustomer)
	paused.PausedAt, paused.ResolutionDueAt = &past, past
	mustDo(t, d.s.SaveRequest(ctx, sd.Change{Request: paused, Read: paused.UpdatedAt, FromPhase: paused.Phase}))
	created := made["service"].CreatedAt
	now := d.clock.Now()
	for _, tt := range []struct {
		name string
		f    sd.Filter
		want []string
	}{
		{"all, newest first", sd.Filter{}, []string{"breached", "b", "staff", "service", "voice", "plain"}},
		{"customer A", sd.Filter{CustomerID: d.a}, []string{"breached", "service", "voice", "plain"}},
		{"no accounts", sd.Filter{CustomerID: d.a, Accounts: []string{}}, nil},
		{"A's second account", sd.Filter{CustomerID: d.a, Accounts: d.aAcc[1:]}, []string{"service"}},
		{"staff only", sd.Filter{StaffOnly: true}, []string{"staff"}},
		{"phase", sd.Filter{Phase: sd.PhaseAssigned}, []string{"voice"}},
		{"open", sd.Filter{Open: true}, []string{"breached", "staff", "service", "voice", "plain"}},
		{"kind", sd.Filter{Kind: "administrative"}, []string{"voice"}},
		{"category", sd.Filter{Category: "voice"}, []string{"voice"}},
		{"type", sd.Filter{TypeKey: "port_number"}, []string{"voice"}},
		{"site", sd.Filter{SiteID: d.aSites[1].ID}, []string{"service"}},
		{"service key", sd.Filter{ServiceKey: "MTY-100"}, []string{"service"}},
		{"priority", sd.Filter{Priority: sd.PriorityLow}, []string{"voice"}},
		{"queue", sd.Filter{Queue: "billing"}, []string{"voice"}},
		{"assignee", sd.Filter{AssigneeID: d.agent.ID}, []string{"voice"}},
		{"unassigned", sd.Filter{CustomerID: d.a, Unassigned: true}, []string{"breached", "service", "plain"}},
		{"requester", sd.Filter{RequesterID: requester.ID}, []string{"voice"}},
		{"breached, not the paused one", sd.Filter{Breached: true, Now: now}, []string{"breached"}},
		{"folio", sd.Filter{Query: "req-2026-000003"}, []string{"service"}},
		{"folio prefix", sd.Filter{Query: "REQ-2026-00000"}, []string{"breached", "b", "staff", "service", "voice", "plain"}},
		{"service key prefix", sd.Filter{Query: "mty-1"}, []string{"service"}},
		{"subject word", sd.Filter{Query: "PORTAR"}, []string{"voice"}},
		{"percent taken literally", sd.Filter{Query: "100%"}, []string{"voice"}},
		{"underscore taken literally", sd.Filter{Query: "sin_enlace"}, nil},
		{"since", sd.Filter{Since: &created}, []string{"breached", "b", "staff", "service"}},
		{"until", sd.Filter{Until: &created}, []string{"voice", "plain"}},
		{"second page", sd.Filter{Offset: 2, Limit: 2}, []string{"staff", "service"}},
		{"severity, the client's word", sd.Filter{Severity: "Major"}, []string{"staff"}},
		{"severity, the priority's word", sd.Filter{Severity: "Low", SeverityPriority: sd.PriorityLow}, []string{"voice"}},
		{"ticket type, the client's word", sd.Filter{TicketType: "monitoring"}, []string{"staff"}},
		{"ticket type, the type's key", sd.Filter{TicketType: "port_number"}, []string{"voice"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			limit := tt.f.Limit
			if limit == 0 {
				tt.f.Limit = 50
			}
			list, total, err := d.s.FindRequests(ctx, tt.f)
			var got []string
			for _, r := range list {
				for name, m := range made {
					if m.ID == r.ID {
						got = append(got, name)
					}
				}
			}
			wantTotal := len(tt.want)
			if limit != 0 {
				wantTotal = len(made)
			}
			if err != nil || !slices.Equal(got, tt.want) || total != wantTotal {
				t.Errorf("FindRequests(%+v) = %q (total %d), %v; want %q (total %d)", tt.f, got, total, err, tt.want, wantTotal)
			}
		})
	}
	if list, _, _ := d.s.FindRequests(ctx, sd.Filter{ServiceKey: "MTY-100", Limit: 1}); len(list) != 1 ||
		list[0].CustomerName != "Cliente A" || list[0].SiteName != "Sucursal" {
		t.Errorf("listed request's names = %+v", list)
	}
	sites, err := d.s.CountBySite(ctx, sd.Filter{})
	want := []sd.SiteCount{{SiteID: d.aSites[0].ID, SiteName: "Matriz", State: "NLE", Open: 3, Total: 3},
		{SiteID: d.aSites[1].ID, SiteName: "Sucursal", State: "JAL", Open: 1, Total: 1},
		{SiteID: d.bSite.ID, SiteName: "Planta", State: "QRO", Total: 1}}
	if diff := cmp.Diff(want, sites); err != nil || diff != "" {
		t.Errorf("CountBySite = %v (-want +got):\n%s", err, diff)
	}
	if sites, _ := d.s.CountBySite(ctx, sd.Filter{CustomerID: d.b}); len(sites) != 1 || sites[0].SiteID != d.bSite.ID {
		t.Errorf("CountBySite(B) = %+v, want B's site only", sites)
	}
}

// TestDeleteRequest: a request goes with its checklist, thread, events
// and survey; its attachments are retired by the actor.
func TestDeleteRequest(t *testing.T) {
	d := newDesk(t)
	ctx := enlace.WithActor(context.Background(), &enlace.Actor{UserID: d.agent.ID, StaffRole: identity.StaffAdmin})
	r := d.create(t, d.request(d.a, d.aAcc[0], ""))
	doc := d.attachment(r)
	mustDo(t, d.s.SaveRequest(ctx, sd.Change{Request: r, Read: r.UpdatedAt, FromPhase: r.Phase,
		Comment: &sd.Comment{AuthorID: d.uploader, Body: "adjunto"},
		Survey:  &sd.Survey{Score: 4, AnsweredBy: d.uploader, Category: r.Category, TypeKey: r.TypeKey}}, doc))
	mustDo(t, d.s.DeleteRequest(ctx, r.ID))
	for _, table := range []string{"request_steps", "request_comments", "request_events", "request_surveys"} {
		var n int
		mustDo(t, d.s.db.GetContext(ctx, &n, `SELECT COUNT(*) FROM `+table+` WHERE request_id = $1`, r.ID))
		if n != 0 {
			t.Errorf("%s rows of the deleted request = %d, want 0", table, n)
		}
	}
	if got, err := d.s.DocumentByID(ctx, doc.ID); err != nil || got.RetiredAt == nil || got.RetiredBy != d.agent.ID {
		t.Errorf("attachment of the deleted request = %+v, %v; want retired by the agent", got, err)
	}
	if err := d.s.DeleteRequest(ctx, r.ID); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("second DeleteRequest = %v, want not found", err)
	}
	d.checkCounts(t, "deleted")
}

func (d *desk) attachment(r *sd.Request) document.Document {
	return document.Document{ID: enlace.NewID(), CustomerID: r.CustomerID, Kind: "other", Title: "captura", FileName: "captura.png",
		ContentType: "image/png", Size: 10, SHA256: "00", UploadedBy: d.uploader, UploaderEmail: "ana@a.example", RequestID: r.ID}
}

// TestRequestAttachments: a request's attachment is listed with its
// request only, never in the customer's repository nor with a project.
func TestRequestAttachments(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	r := d.create(t, d.request(d.a, d.aAcc[0], ""))
	attached := d.attachment(r)
	mustDo(t, d.s.SaveRequest(ctx, sd.Change{Request: r, Read: r.UpdatedAt, FromPhase: r.Phase}, attached))
	shared := d.attachment(r)
	shared.ID, shared.RequestID = enlace.NewID(), ""
	mustDo(t, d.s.CreateDocument(ctx, &shared))
	project := d.attachment(r)
	project.ID, project.RequestID, project.ProjectID = enlace.NewID(), "", "p1"
	mustDo(t, d.s.CreateDocument(ctx, &project))
	for _, tt := range []struct {
		name string
		f    document.Filter
		want string
	}{
		{"repository", document.Filter{CustomerID: d.a}, shared.ID},
		{"request", document.Filter{CustomerID: d.a, RequestID: &r.ID}, attached.ID},
		{"project", document.Filter{CustomerID: d.a, ProjectID: &project.ProjectID}, project.ID},
	} {
		ds, total, err := d.s.FindDocuments(ctx, document.Filter{CustomerID: tt.f.CustomerID, RequestID: tt.f.RequestID, ProjectID: tt.f.ProjectID, Limit: 10})
		if err != nil || total != 1 || len(ds) != 1 || ds[0].ID != tt.want {
			t.Errorf("FindDocuments(%s) = %+v (total %d), %v; want %s only", tt.name, ds, total, err, tt.want)
		}
	}
	if got, _ := d.s.DocumentByID(ctx, attached.ID); got.RequestID != r.ID {
		t.Errorf("attachment's request = %q, want %q", got.RequestID, r.ID)
	}
}

// TestAgentsAndServiceByKey: agents are the active administrators,
// support agents and technicians by name; a service is found by its key
// in any case.
func TestAgentsAndServiceByKey(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	tech := d.user(t, "tec@p.example", "Beto", identity.StaffTechnician)
	admin := d.user(t, "admin@p.example", "Carla", identity.StaffAdmin)
	d.user(t, "pm@p.example", "Dora", identity.StaffPM)
	gone := d.user(t, "ex@p.example", "Aldo", identity.StaffSupport)
	_, err := d.s.db.ExecContext(ctx, `UPDATE users SET disabled = TRUE WHERE id = $1`, gone.ID)
	mustDo(t, err)
	agents, err := d.s.Agents(ctx)
	var got []string
	for _, u := range agents {
		got = append(got, u.ID)
	}
	if want := []string{d.agent.ID, tech.ID, admin.ID}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Agents = %q, %v; want %q", got, err, want)
	}
	svc := inventory.Service{ID: enlace.NewID(), CustomerID: d.a, BillingAccountID: d.aAcc[0], SiteID: d.aSites[0].ID,
		Key: "GDL-7", Category: "telco", Product: "Enlace", Status: "active"}
	mustDo(t, d.s.CreateService(ctx, &svc))
	if v, err := d.s.ServiceByKey(ctx, "gdl-7"); err != nil || v.ID != svc.ID || v.SiteName != "Matriz" {
		t.Errorf("ServiceByKey(gdl-7) = %+v, %v; want %s", v, err, svc.ID)
	}
	if _, err := d.s.ServiceByKey(ctx, "GDL-8"); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("ServiceByKey(unknown) = %v, want not found", err)
	}
}
