package sqlstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/notify"
	sd "github.com/enlace-portal/enlace/internal/servicedesk"
)

// seededRequests is what a benchmark reads from the seeded store: the
// busiest customer (a fifth of every request), one of its sites, and the
// clock the requests were written by.
type seededRequests struct {
	s     *Store
	clock *enlace.FakeClock
	big   string
	site  string
}

const (
	seedCustomers = 50
	seedAccounts  = 2
	seedSites     = 10
	seedAgents    = 20
)

type weightedPhase struct {
	phase   string
	percent uint64
}

// seedPhases spreads the requests over the phases by age, as a desk a few
// years old has them: the old ones closed or cancelled, the recent ones
// mostly open.
var seedPhases = []struct {
	within time.Duration
	phases []weightedPhase
}{
	{14 * 24 * time.Hour, []weightedPhase{{sd.PhaseNew, 20}, {sd.PhaseAssigned, 20}, {sd.PhaseInProgress, 25},
		{sd.PhaseWaitingCustomer, 10}, {sd.PhaseResolved, 15}, {sd.PhaseClosed, 5}, {sd.PhaseCancelled, 5}}},
	{60 * 24 * time.Hour, []weightedPhase{{sd.PhaseClosed, 70}, {sd.PhaseResolved, 10}, {sd.PhaseCancelled, 5},
		{sd.PhaseInProgress, 5}, {sd.PhaseWaitingCustomer, 5}, {sd.PhaseAssigned, 5}}},
	{1 << 62, []weightedPhase{{sd.PhaseClosed, 94}, {sd.PhaseCancelled, 6}}},
}

// seedRequests writes n requests spread over the three years before the
// clock's time, in transactions of 100,000 rows through the bulk import's
// INSERTs rather than CreateRequest, then the kept counts and the folio
// sequences from the rows. A request's fields come from a hash of its
// number, so every run writes the same desk.
func seedRequests(b testing.TB, n int) *seededRequests {
	b.Helper()
	clock := enlace.NewFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
	return seedRequestsIn(b, MustOpenTest(b, clock), clock, n)
}

func seedRequestsIn(b testing.TB, s *Store, clock *enlace.FakeClock, n int) *seededRequests {
	ctx := context.Background()
	start := time.Now()
	customers := make([]string, seedCustomers)
	accounts := make([][]string, seedCustomers)
	sites := make([][]string, seedCustomers)
	for c := range customers {
		cu := customer.Customer{ID: enlace.NewID(), Number: fmt.Sprint(c), Name: fmt.Sprint("Cliente ", c)}
		mustDo(b, s.CreateCustomer(ctx, &cu))
		customers[c] = cu.ID
		for a := range seedAccounts {
			ba := customer.BillingAccount{ID: enlace.NewID(), CustomerID: cu.ID, Number: fmt.Sprint(c, "-", a), Name: "c"}
			mustDo(b, s.CreateBillingAccount(ctx, &ba))
			accounts[c] = append(accounts[c], ba.ID)
		}
		for i := range seedSites {
			st := inventory.Site{ID: enlace.NewID(), CustomerID: cu.ID, Name: fmt.Sprint("Sitio ", c, "-", i), AddressLine1: "Calle 1",
				City: "Monterrey", State: "NLE", Country: "MX"}
			mustDo(b, s.CreateSite(ctx, &st))
			sites[c] = append(sites[c], st.ID)
		}
	}
	agents := make([]string, seedAgents)
	for i := range agents {
		u := identity.User{ID: enlace.NewID(), Email: fmt.Sprintf("agente%d@p.example", i), FirstName: "Agente", LastName: fmt.Sprint(i),
			Locale: "es-MX", StaffRole: identity.StaffSupport}
		mustDo(b, s.CreateUser(ctx, &u, "x", false, nil))
		agents[i] = u.ID
	}

	end := clock.Now()
	first := end.AddDate(-3, 0, 0)
	step := end.Sub(first) / time.Duration(n)
	number := map[int]int{}
	row := func(i int, dst []any) []any {
		h := uint64(i+1) * 0x9E3779B97F4A7C15
		h ^= h >> 29
		created := first.Add(time.Duration(i) * step)
		c := 1 + int(h>>8)%(seedCustomers-1)
		switch p := h % 100; {
		case p < 20:
			c = 0
		case p < 21:
			c = -1 // the provider's own
		}
		r := sd.Request{ID: enlace.NewID(), TypeKey: "link_down", Kind: "technical", Category: "connectivity", Incident: true,
			Subject: fmt.Sprint("Falla en el enlace ", i%997), Description: "Sin servicio desde la mañana", Priority: sd.PriorityHigh,
			Queue: "noc", RequesterName: "Ana", Channel: sd.ChannelPortal, CreatedBy: agents[0], Fields: sd.Fields{},
			ResponseDueAt: created.Add(time.Hour), ResolutionDueAt: created.Add(4 * time.Hour),
			ResponseWarnAt: created.Add(45 * time.Minute), ResolutionWarnAt: created.Add(3 * time.Hour),
			PhaseChangedAt: created, CreatedAt: created, UpdatedAt: created}
		if c >= 0 {
			r.CustomerID, r.BillingAccountID = customers[c], accounts[c][int(h>>16)%seedAccounts]
			if site := int(h>>20) % (seedSites + 1); site < seedSites {
				r.SiteID, r.ServiceKey = sites[c][site], fmt.Sprintf("SVC-%02d-%02d", c, site)
			}
		}
		band := 0
		for end.Sub(created) > seedPhases[band].within {
			band++
		}
		pick := (h >> 32) % 100
		for _, p := range seedPhases[band].phases {
			if pick < p.percent {
				r.Phase = p.phase
				break
			}
			pick -= p.percent
		}
		if r.Phase != sd.PhaseNew {
			responded := created.Add(30 * time.Minute)
			r.AssigneeID, r.FirstResponseAt = agents[int(h>>40)%seedAgents], &responded
		}
		done := created.Add(3 * time.Hour)
		switch r.Phase {
		case sd.PhaseClosed:
			r.ResolvedAt, r.ClosedAt = &done, &done
		case sd.PhaseResolved:
			r.ResolvedAt = &done
		case sd.PhaseCancelled:
			r.CancelledAt = &done
		}
		year := created.Year()
		number[year]++
		r.Folio = fmt.Sprintf("REQ-%d-%06d", year, number[year])
		return requestValues(&r, dst)
	}
	const perTx = 100_000
	for lo := 0; lo < n; lo += perTx {
		rows := min(perTx, n-lo)
		err := s.write(ctx, func(tx *Tx) error {
			return insertBatches(ctx, tx, "requests", requestInsertColumns, requestInsertWidth, s.dialect.insertBatch(), rows,
				func(i int, dst []any) []any { return row(lo+i, dst) })
		})
		mustDo(b, err)
	}
	mustDo(b, s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO request_counts (customer_id, billing_account_id, phase, n)
			SELECT customer_id, billing_account_id, phase, COUNT(*) FROM requests GROUP BY customer_id, billing_account_id, phase`); err != nil {
			return err
		}
		for y, last := range number {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sequences (name, value) VALUES ($1, $2)`, fmt.Sprint("requests-", y), last); err != nil {
				return err
			}
		}
		return nil
	}))
	if s.dialect.name == "postgres" {
		// Autovacuum would soon analyse the new rows and mark their pages
		// all-visible (what index-only scans need); the benchmark does
		// not wait for it.
		_, err := s.db.ExecContext(ctx, `VACUUM ANALYZE requests`)
		mustDo(b, err)
	}
	b.Logf("%s: seeded %d requests in %v", s, n, time.Since(start).Round(time.Millisecond))
	return &seededRequests{s: s, clock: clock, big: customers[0], site: sites[0][3]}
}

// BenchmarkRequestsChart counts a million requests by phase, as the
// chart of the service desk does: for the staff and for the customer with
// a fifth of them (from the kept counts), and, from the rows, for that
// customer over the last 30 days and at one of its sites, and for the
// staff over the last 30 days.
func BenchmarkRequestsChart(b *testing.B) {
	d := seedRequests(b, 1_000_000)
	since := d.clock.Now().AddDate(0, 0, -30)
	for _, bb := range []struct {
		name string
		f    sd.Filter
	}{
		{"staff", sd.Filter{}},
		{"customer", sd.Filter{CustomerID: d.big}},
		{"customer last 30 days", sd.Filter{CustomerID: d.big, Since: &since}},
		{"customer's site", sd.Filter{CustomerID: d.big, SiteID: d.site}},
		{"staff last 30 days", sd.Filter{Since: &since}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := d.s.CountByPhase(context.Background(), bb.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRequestsList reads the first page of 50 of a million requests
// with its total, as the list pages do.
func BenchmarkRequestsList(b *testing.B) {
	d := seedRequests(b, 1_000_000)
	now := d.clock.Now()
	for _, bb := range []struct {
		name string
		f    sd.Filter
	}{
		{"customer", sd.Filter{CustomerID: d.big}},
		{"customer by phase", sd.Filter{CustomerID: d.big, Phase: sd.PhaseInProgress}},
		{"customer by site", sd.Filter{CustomerID: d.big, SiteID: d.site}},
		{"customer open", sd.Filter{CustomerID: d.big, Open: true}},
		{"staff", sd.Filter{}},
		{"staff open", sd.Filter{Open: true}},
		{"staff breached", sd.Filter{Breached: true, Now: now}},
		{"staff by site", sd.Filter{SiteID: d.site}},
		{"staff folio", sd.Filter{Query: "REQ-2025-0001"}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			bb.f.Limit = 50
			for b.Loop() {
				if _, _, err := d.s.FindRequests(context.Background(), bb.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("customer by site counts", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.s.CountBySite(context.Background(), sd.Filter{CustomerID: d.big}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCreateRequest raises requests one after another, each with a
// three-step checklist, its first event, an audit entry, a notification
// and a job, as the service's Create hands them to the store.
func BenchmarkCreateRequest(b *testing.B) {
	ctx := context.Background()
	s := MustOpenTest(b, enlace.SystemClock{})
	c := customer.Customer{ID: enlace.NewID(), Number: "1", Name: "Acme"}
	mustDo(b, s.CreateCustomer(ctx, &c))
	ba := customer.BillingAccount{ID: enlace.NewID(), CustomerID: c.ID, Number: "1-0", Name: "Acme"}
	mustDo(b, s.CreateBillingAccount(ctx, &ba))
	u := identity.User{ID: enlace.NewID(), Email: "ana@acme.example", FirstName: "Ana", LastName: "A", Locale: "es-MX"}
	mustDo(b, s.CreateUser(ctx, &u, "x", false, nil))
	now := time.Now()
	for b.Loop() {
		r := &sd.Request{ID: enlace.NewID(), CustomerID: c.ID, BillingAccountID: ba.ID, TypeKey: "link_down", Kind: "technical",
			Category: "connectivity", Incident: true, Subject: "Sin enlace", Description: "No hay servicio", Fields: sd.Fields{"since": "hoy"},
			Priority: sd.PriorityHigh, Phase: sd.PhaseNew, Queue: "noc", RequesterID: u.ID, RequesterName: "Ana", Channel: sd.ChannelPortal,
			CreatedBy: u.ID, ResponseDueAt: now.Add(time.Hour), ResolutionDueAt: now.Add(4 * time.Hour),
			ResponseWarnAt: now.Add(45 * time.Minute), ResolutionWarnAt: now.Add(3 * time.Hour)}
		steps := []sd.Step{{Key: "check", Seq: 1, Label: i18n.Text{"es-MX": "Revisar", "en": "Check"}, Mandatory: true},
			{Key: "fix", Seq: 2, Label: i18n.Text{"es-MX": "Reparar"}}, {Key: "confirm", Seq: 3, Label: i18n.Text{"es-MX": "Confirmar"}}}
		err := s.CreateRequest(ctx, r, steps, sd.Event{ID: enlace.NewID(), Phase: sd.PhaseNew, ActorID: u.ID, ActorName: "Ana"}, nil,
			audit.Entry{CustomerID: c.ID, ActorID: u.ID, ActorEmail: u.Email, Action: "request.create", ObjectType: "request", ObjectID: r.ID},
			notify.Notification{UserID: u.ID, CustomerID: c.ID, Kind: "request", TitleKey: "servicedesk.notice.received", Link: "/requests/" + r.ID},
			jobs.New("servicedesk.sla", map[string]string{"request": r.ID}, now.Add(time.Hour)))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
}
