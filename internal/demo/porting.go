package demo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// WithPorting makes Seed fill the customers' number inventories and
// replay port orders in every state through the two services, as the
// demo's PM, the customers' administrators and Grupo Aurora's authorized
// signer would, with the carrier's answers delivered as its events.
func WithPorting(numbers *numbering.Service, svc *porting.Service) Option {
	return func(s *seeder) { s.numbers, s.porting = numbers, svc }
}

// demoRange is a block of a customer's numbers and who rings on some.
type demoRange struct {
	customer, from, to, location, cnam string
	// assigned are the first numbers' assignees, in order.
	assigned []numbering.Assignee
	// test and reserved count the numbers after the assigned ones that
	// are test numbers or reserved.
	test, reserved int
}

var demoRanges = []demoRange{
	{customer: "100200", from: "+528181234000", to: "+528181234049", cnam: "GRUPO AURORA",
		location: "Av. Constitución 400, Centro, 64000 Monterrey, N.L.",
		assigned: []numbering.Assignee{
			{Kind: numbering.AssigneeAutoAttendant, Name: "Conmutador principal", Ref: "conmutador@aurora.example"},
			{Kind: numbering.AssigneeCallQueue, Name: "Cola de ventas", Ref: "ventas.cq@aurora.example"},
			{Kind: numbering.AssigneeUser, Name: "Laura Vega", Ref: "laura.vega@aurora.example"},
			{Kind: numbering.AssigneeUser, Name: "Jorge Luna", Ref: "jorge.luna@aurora.example"},
			{Kind: numbering.AssigneeUser, Name: "Marta Solís", Ref: "marta.solis@aurora.example"},
			{Kind: numbering.AssigneeUser, Name: "Diego Paz", Ref: "diego.paz@aurora.example"},
			{Kind: numbering.AssigneeCommonArea, Name: "Teléfono de recepción"},
		}, test: 2, reserved: 3},
	{customer: "300400", from: "+523336150100", to: "+523336150119", cnam: "CLINICA STA FE",
		location: "Av. Vallarta 2500, 44100 Guadalajara, Jal.",
		assigned: []numbering.Assignee{
			{Kind: numbering.AssigneeAutoAttendant, Name: "Conmutador del hospital", Ref: "conmutador@santafe.example"},
			{Kind: numbering.AssigneeUser, Name: "Carlos Ibarra", Ref: "carlos.ibarra@santafe.example"},
		}, test: 1},
}

// demoOrder is a port order of Grupo Aurora and how far its history goes.
type demoOrder struct {
	// numbers are the order's numbers at one carrier; a number ending in
	// 9999 is one the carrier rejects.
	numbers []string
	carrier string
	// startDays is how many days ago the PM entered it; requested how
	// many days from that the port was asked for.
	startDays, requested int
	// stage is how far it goes: a porting state.
	stage string
	// assign is how many accepted numbers the customer assigns.
	assign int
	reason string
}

var demoOrders = []demoOrder{
	{numbers: []string{"+528183561100", "+528183561101", "+528183561102", "+528183561103"}, carrier: "Telmex",
		startDays: 41, requested: 25, stage: porting.StateCompleted, assign: 4},
	{numbers: []string{"+528183562200", "+528183562201", "+528183562202"}, carrier: "Totalplay",
		startDays: 34, requested: 28, stage: porting.StatePorted, assign: 3},
	{numbers: []string{"+528183563300", "+528183563301", "+528183563302", "+528183563303", "+528183569999"}, carrier: "Telmex",
		startDays: 20, requested: 30, stage: porting.StateConfirmed, assign: 2},
	{numbers: []string{"+528440100700", "+528440100701"}, carrier: "Axtel",
		startDays: 12, requested: 24, stage: porting.StateException, reason: "El nombre de la cuenta no coincide con el del operador actual"},
	{numbers: []string{"+528440100800", "+528440100801"}, carrier: "Megacable",
		startDays: 25, requested: 32, stage: porting.StateSubmitted},
	{numbers: []string{"+528183564400", "+528183564401", "+528183564402"}, carrier: "Telmex",
		startDays: 24, requested: 35, stage: porting.StateSigned},
	{numbers: []string{"+528183565500", "+528183565501", "+528183565502", "+528183565503", "+528183565504", "+528183565505"}, carrier: "Telmex",
		startDays: 3, requested: 28, stage: porting.StateAwaitingSignature},
	{numbers: []string{"+528183566600", "+528183566601"}, carrier: "Izzi",
		startDays: 2, requested: 30, stage: porting.StateDraft},
	{numbers: []string{"+528183569990", "+528183569999"}, carrier: "Telmex",
		startDays: 35, requested: 27, stage: porting.StateRejected, reason: "Los números no pertenecen a la cuenta indicada en el CSR"},
	{numbers: []string{"+528183567700"}, carrier: "Maxcom",
		startDays: 16, requested: 30, stage: porting.StateCancelled, reason: "El cliente decidió conservar esta línea con su operador actual"},
}

// stageOrder ranks the stages a demo order passes through.
var stageOrder = []string{porting.StateDraft, porting.StateAwaitingSignature, porting.StateSigned, porting.StateSubmitted,
	porting.StateConfirmed, porting.StatePorted, porting.StateCompleted}

func reaches(stage, step string) bool {
	return indexOf(stageOrder, stage) >= indexOf(stageOrder, step)
}

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// portingPeople are the actors of the porting history.
type portingPeople struct {
	pm, admin, signer context.Context
	signerID          string
	aurora            *customer.Customer
}

// seedNumbers fills the inventories and adds the port orders' history to
// the replay.
func (s *seeder) seedNumbers() error {
	if s.numbers == nil || s.porting == nil || s.replay == nil {
		return nil
	}
	store, ok := s.store.(inventoryStore)
	if !ok {
		return nil
	}
	all, err := store.Customers(s.ctx)
	if err != nil {
		return err
	}
	byNumber := map[string]*customer.Customer{}
	for i := range all {
		byNumber[all[i].Number] = &all[i]
	}
	admin, err := s.actorOf("admin@enlace.example", "")
	if err != nil {
		return err
	}
	for _, r := range demoRanges {
		c := byNumber[r.customer]
		if err := s.numberRange(admin, c, r); err != nil {
			return fmt.Errorf("demo numbers of %s: %w", c.Name, err)
		}
	}
	p := portingPeople{aurora: byNumber["100200"]}
	if p.pm, err = s.actorOf("pm@enlace.example", ""); err != nil {
		return err
	}
	if p.admin, err = s.actorOf("laura.vega@aurora.example", p.aurora.ID); err != nil {
		return err
	}
	if p.signer, err = s.actorOf("diego.paz@aurora.example", p.aurora.ID); err != nil {
		return err
	}
	p.signerID = enlace.ActorFrom(p.signer).UserID
	now := s.replay.Now()
	for i, o := range demoOrders {
		s.orderHistory(p, i, o, now)
	}
	return nil
}

// actorOf is the demo user with that e-mail acting for a customer (none
// for staff).
func (s *seeder) actorOf(email, customerID string) (context.Context, error) {
	u, err := s.store.UserByEmail(s.ctx, email)
	if err != nil {
		return nil, err
	}
	a := &enlace.Actor{UserID: u.ID, Email: u.Email, Name: u.Name(), StaffRole: u.StaffRole, Locale: u.Locale,
		CustomerID: customerID, IP: "198.51.100.24"}
	if customerID != "" {
		ms, err := s.idents.Memberships(enlace.WithActor(s.ctx, &enlace.Actor{UserID: u.ID}))
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if m.CustomerID == customerID {
				a.CustomerRole, a.BillingAccountIDs = m.Role, m.BillingAccountIDs
			}
		}
	}
	return enlace.WithActor(s.ctx, a), nil
}

// numberRange adds a block of numbers and assigns, tests and reserves
// its first ones.
func (s *seeder) numberRange(staff context.Context, c *customer.Customer, r demoRange) error {
	ns, err := s.numbers.Add(staff, numbering.AddInput{CustomerID: c.ID, From: r.from, To: r.to,
		Details: numbering.Details{Location: r.location, CNAM: r.cnam}})
	if err != nil {
		return err
	}
	i := 0
	act := func(ev string, as numbering.Assignee) error {
		_, err := s.numbers.Act(staff, ns[i].ID, numbering.Action{Event: ev, Assignee: as})
		i++
		return err
	}
	for _, as := range r.assigned {
		if err := act(numbering.EventAssign, as); err != nil {
			return err
		}
	}
	for range r.test {
		if err := act(numbering.EventMarkTest, numbering.Assignee{}); err != nil {
			return err
		}
	}
	for range r.reserved {
		if err := act(numbering.EventReserve, numbering.Assignee{}); err != nil {
			return err
		}
	}
	return nil
}

// orderHistory adds the moves of one demo order to the replay.
func (s *seeder) orderHistory(p portingPeople, n int, d demoOrder, now time.Time) {
	loc := s.porting.Location()
	start := workMorning(now.AddDate(0, 0, -d.startDays), loc).Add(time.Duration(n) * 7 * time.Minute)
	var id string
	view := func() (*porting.View, error) { return s.porting.Get(p.pm, id) }
	at := func(days int, hours float64) time.Time {
		return start.AddDate(0, 0, days).Add(time.Duration(hours * float64(time.Hour)))
	}
	add := func(t time.Time, do func() error) {
		s.moves = append(s.moves, demoMove{at: t, do: func() error {
			if err := do(); err != nil {
				return fmt.Errorf("demo port order %d: %w", n+1, err)
			}
			return nil
		}})
	}
	account := "Grupo Aurora S.A. de C.V."
	if d.stage == porting.StateException {
		account = "Aurora Grupo Industrial"
	}
	requested := schedule.DateOf(workMorning(start.AddDate(0, 0, d.requested), loc).In(loc))
	add(start, func() error {
		in := porting.Input{CustomerID: p.aurora.ID, RequestedDate: requested, SignerUserID: p.signerID, AccountName: account,
			ServiceAddress: "Av. Constitución 400, Centro, 64000 Monterrey, N.L."}
		for i, num := range d.numbers {
			in.Lines = append(in.Lines, porting.LineInput{Number: num, Carrier: d.carrier, AccountNumber: fmt.Sprintf("%s-%06d", d.carrier[:3], 4410+i)})
		}
		v, err := s.porting.Create(p.pm, in)
		if err == nil {
			id = v.Order.ID
		}
		return err
	})
	if d.stage == porting.StateDraft {
		add(at(1, 2), func() error { return s.portDocument(p.admin, id, porting.DocPhoneBill) })
		return
	}
	add(at(0, 1), func() error { return s.portDocument(p.admin, id, porting.DocCSR) })
	add(at(0, 1.5), func() error { return s.portDocument(p.admin, id, porting.DocPhoneBill) })
	add(at(0, 2), func() error { _, err := s.porting.SendForSignature(p.pm, id); return err })
	if d.stage == porting.StateAwaitingSignature {
		return
	}
	add(at(0, 5), func() error {
		v, err := view()
		if err != nil {
			return err
		}
		_, err = s.porting.Sign(p.signer, id, porting.SignInput{Name: "Diego Paz Garza", Kind: porting.SignatureTyped, Agree: true,
			SHA256: v.Order.LOASHA256, UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0"})
		return err
	})
	if d.stage == porting.StateSigned {
		return
	}
	if d.stage == porting.StateCancelled {
		add(at(1, 0), func() error { _, err := s.porting.Cancel(p.pm, id, d.reason); return err })
		return
	}
	add(at(1, 0), func() error { _, err := s.porting.Submit(p.pm, id); return err })
	if d.stage == porting.StateSubmitted {
		return
	}
	event := func(t time.Time, seq int, kind string, change func(*porting.Event)) {
		add(t, func() error {
			ev := porting.Event{ID: fmt.Sprintf("demo-%d-%d", n+1, seq), OrderID: id, CarrierRef: fmt.Sprintf("MX-LNP-%05d", 7310+n),
				Kind: kind, OccurredAt: t.Add(-time.Minute)}
			if change != nil {
				change(&ev)
			}
			return s.porting.CarrierEvent(context.Background(), ev)
		})
	}
	event(at(1, 1), 1, porting.EventReceived, nil)
	switch d.stage {
	case porting.StateException:
		event(at(3, 2), 2, porting.EventException, func(ev *porting.Event) { ev.Reason = d.reason })
		return
	case porting.StateRejected:
		event(at(4, 3), 2, porting.EventRejected, func(ev *porting.Event) { ev.Reason = d.reason })
		return
	}
	foc := time.Date(requested.Year, requested.Month, requested.Day, 0, 0, 0, 0, loc).UTC()
	event(at(4, 3), 2, porting.EventAccepted, func(ev *porting.Event) {
		ev.FOCDate = &foc
		for _, num := range d.numbers {
			if num[len(num)-4:] == "9999" {
				ev.Numbers = append(ev.Numbers, porting.EventNumber{E164: num, Status: porting.LineRejected,
					Reason: "Número no encontrado en el CSR del operador actual"})
			}
		}
	})
	add(at(4, 20), func() error { _, err := s.porting.Publish(p.pm, id); return err })
	add(at(6, 1), func() error {
		v, err := view()
		if err != nil {
			return err
		}
		assigned := 0
		for i, l := range v.Lines {
			if l.Status != porting.LineAccepted || assigned == d.assign {
				continue
			}
			assigned++
			as := numbering.Assignee{Kind: numbering.AssigneeUser, Name: fmt.Sprintf("Extensión %d", 201+i),
				Ref: fmt.Sprintf("ext%d@aurora.example", 201+i)}
			if _, err := s.numbers.Act(p.admin, l.NumberID, numbering.Action{Event: numbering.EventAssign, Assignee: as}); err != nil {
				return err
			}
		}
		return nil
	})
	if d.stage == porting.StateConfirmed {
		return
	}
	add(foc.Add(-30*time.Hour), func() error { _, err := s.porting.ConfirmAssigned(p.pm, id); return err })
	ported := foc.Add(16 * time.Hour) // 10:00 in Mexico City
	event(ported, 3, porting.EventPorted, nil)
	if d.stage == porting.StateCompleted {
		add(ported.Add(2*time.Hour), func() error { _, err := s.porting.Complete(p.pm, id); return err })
	}
}

// workMorning is 10:00 of a day in the provider's zone, moved to the next
// Monday when it falls on a weekend.
func workMorning(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
		t = t.AddDate(0, 0, 1)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, loc).UTC()
}

// portDocument uploads a demo PDF as an order's CSR or phone bill.
func (s *seeder) portDocument(ctx context.Context, id, kind string) error {
	if s.docs == nil {
		return nil
	}
	title := map[string]string{porting.DocCSR: "Registro de servicio del cliente (CSR)", porting.DocPhoneBill: "Factura telefónica de octubre"}[kind]
	content, err := demoPDF("Grupo Aurora", demoDocument{title: title, kind: kind,
		lines: []string{"Documento de demostración para la orden de portabilidad."}})
	if err != nil {
		return err
	}
	f, err := s.docs.Receive(bytes.NewReader(content))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = s.porting.Attach(ctx, id, porting.Upload{Kind: kind, FileName: kind + ".pdf", File: f})
	return err
}

// seedProjectPortOrder enters a draft port order for the Teams project
// that waits on the customer's CSR: giving the CSR on the order then
// moves the project's porting tasks.
func (s *seeder) seedProjectPortOrder() error {
	if s.porting == nil || s.projects == nil {
		return nil
	}
	pm, err := s.actorOf("pm@enlace.example", "")
	if err != nil {
		return err
	}
	key := "teams-cloud-voice"
	projects, _, err := s.projects.Projects(pm, activation.ProjectFilter{TemplateKey: &key, Limit: 10})
	if err != nil {
		return err
	}
	for _, pr := range projects {
		if pr.OrderRef != "OC-2026-0412" {
			continue
		}
		signer, err := s.store.UserByEmail(s.ctx, "diego.paz@aurora.example")
		if err != nil {
			return err
		}
		requested := schedule.DateOf(s.clock.Now().In(s.porting.Location()).AddDate(0, 0, 35))
		in := porting.Input{CustomerID: pr.CustomerID, ProjectID: pr.ID, SiteID: pr.SiteID, BillingAccountID: pr.BillingAccountID,
			RequestedDate: requested, SignerUserID: signer.ID, AccountName: "Grupo Aurora S.A. de C.V.",
			ServiceAddress: "Av. Constitución 400, Centro, 64000 Monterrey, N.L."}
		for i := range 8 {
			in.Lines = append(in.Lines, porting.LineInput{Number: fmt.Sprintf("+52818356880%d", i), Carrier: "Telmex", AccountNumber: "TEL-009912"})
		}
		_, err = s.porting.Create(pm, in)
		return err
	}
	return nil
}
