package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// WithRequests makes Seed replay six weeks of the service desk through
// svc: the demo customers' people raise requests of every kind, the
// provider's agents assign, work the checklists, answer, wait on the
// customer and resolve them, the customers close them and answer the
// survey. clock is the clock every service runs on: the seeder sets it to
// each moment of that history in order, so that due dates, SLA notices
// and jobs fall as they would have, and releases it at the end. Some
// requests stay open, a few past their targets.
func WithRequests(svc *servicedesk.Service, clock *enlace.ReplayClock) Option {
	return func(s *seeder) { s.requests, s.replay = svc, clock }
}

// demoRequests is how many requests the replay raises.
const demoRequests = 260

// requestWeights weighs how often each type is raised.
var requestWeights = []struct {
	typ    string
	weight int
}{
	{"internet_failure", 20}, {"connectivity_support", 10}, {"phone_failure", 12}, {"telco_support", 8},
	{"collaboration_support", 8}, {"email_failure", 8}, {"it_support", 6}, {"cybersecurity_support", 4},
	{"ftp_failure", 3}, {"general_support", 3}, {"mobility_request", 6}, {"email_account_create", 4},
	{"email_account_delete", 2}, {"internet_new_connection", 2}, {"network_change", 2}, {"equipment_assessment", 2},
	{"billing_clarification", 4}, {"fiscal_data_change", 2}, {"contract_copy", 2},
}

// descriptions are what requesters write, by type (a generic one for the rest).
var descriptions = map[string][]string{
	"internet_failure":     {"Sin Internet en todo el sitio desde temprano; el módem tiene la luz LOS en rojo.", "El enlace se cae cada 10 minutos, sobre todo en horas pico.", "La navegación está muy lenta; las videollamadas se cortan."},
	"phone_failure":        {"No entran llamadas al conmutador; suena ocupado.", "Las llamadas salientes a celulares fallan con tono de error.", "Se cortan las llamadas a los 30 segundos."},
	"email_failure":        {"Los correos se quedan en la bandeja de salida.", "No recibimos correos de clientes externos desde ayer.", "Rebotan los correos con error 550."},
	"mobility_request":     {"Robo del equipo del director; suspender la línea.", "Necesitamos roaming para un viaje a Madrid.", "La SIM dejó de registrarse en la red."},
	"ftp_failure":          {"El proveedor no puede subir archivos al FTP; dice usuario o contraseña inválidos.", "Tiempo de espera al conectar al FTP."},
	"email_account_create": {"Alta de cuenta para la nueva gerente de compras.", "Cuenta de correo para el practicante de sistemas."},
}

var genericDescriptions = []string{"Favor de revisar; afecta la operación de la sucursal.", "Solicitamos apoyo a la brevedad.", "Adjuntamos los datos necesarios para el trámite."}

// fieldValues are answers to the types' text fields.
var fieldValues = map[string]string{
	"full_name": "Mariana Treviño", "position": "Compras", "line_user": "Ing. Ramiro Garza", "imei": "356938035643809",
	"travel_dates": "2 al 9 de diciembre", "invoice_number": "F2611-A0001", "representative": "Lic. Patricia Garza",
	"ftp_user": "proveedor01", "error_message": "530 Login incorrect", "numbers": "81 8123 4500, ext. 210 a 215",
	"location": "Planta Apodaca, nave 2", "justification": "Nueva línea de producción con 25 puestos.",
	"devices": "Switch del piso 3 y dos access points", "reasons": "Reacomodo del área de ventas",
	"equipment": "12 laptops para el área de diseño", "purpose": "Diseño CAD", "reason": "Baja del colaborador",
	"contract": "Contrato marco 2024 y anexo de Internet", "amount": "1850",
}

// demoMove is one thing done at a moment of the history.
type demoMove struct {
	at time.Time
	do func() error
}

// seedRequests replays the service desk's last weeks.
func (s *seeder) seedRequests() error {
	if s.requests == nil || s.replay == nil {
		return nil
	}
	store, ok := s.store.(inventoryStore)
	if !ok {
		return nil
	}
	rng := rand.New(rand.NewPCG(5, 21))
	now := s.replay.Now()
	staffActors := map[string]*enlace.Actor{}
	for who, email := range map[string]string{"admin": "admin@enlace.example", "support": "soporte@enlace.example", "technician": "tecnico@enlace.example"} {
		u, err := s.store.UserByEmail(s.ctx, email)
		if err != nil {
			return err
		}
		staffActors[who] = &enlace.Actor{UserID: u.ID, Email: u.Email, Name: u.Name(), StaffRole: u.StaffRole, Locale: u.Locale}
	}
	all, err := store.Customers(s.ctx)
	if err != nil {
		return err
	}
	var requesters []requester
	for _, dc := range customers {
		for i := range all {
			if all[i].Number != dc.number {
				continue
			}
			rs, err := s.requestersOf(store, &all[i], dc)
			if err != nil {
				return err
			}
			requesters = append(requesters, rs...)
		}
	}
	var moves []demoMove
	add := func(at time.Time, do func() error) { moves = append(moves, demoMove{at: at, do: do}) }
	for n := range demoRequests {
		created := demoMoment(rng, now.Add(-42*24*time.Hour), now.Add(-20*time.Minute), s.requests.Location())
		typ := pickType(rng)
		tp := s.requests.Catalog().Type(typ)
		rq := requesters[rng.IntN(len(requesters))]
		if !tp.MayRaise(rq.actor.CustomerRole) {
			rq = *rq.admin
		}
		in, ok := rq.input(rng, tp, n, created)
		if !ok {
			continue
		}
		s.script(rng, add, created, tp, rq, staffActors, in, now)
	}
	s.moves = append(s.moves, moves...)
	return nil
}

// replayHistory does the moves of every module's history in the order of
// their moments, each on the clock set to its moment, and returns the
// clock to the real time. Moves after the history's end (when it began)
// are dropped.
func (s *seeder) replayHistory() error {
	if s.replay == nil {
		return nil
	}
	end := s.replay.Now()
	slices.SortStableFunc(s.moves, func(a, b demoMove) int { return a.at.Compare(b.at) })
	defer s.replay.Release()
	for _, m := range s.moves {
		if m.at.After(end) {
			break
		}
		s.replay.Set(m.at)
		if err := m.do(); err != nil {
			return err
		}
	}
	return nil
}

// requester is a customer's person who raises requests, with the
// services they may raise them on by category.
type requester struct {
	actor    *enlace.Actor
	admin    *requester
	services map[string][]inventory.Service
	accounts []customer.BillingAccount
	domain   string
}

func (s *seeder) requestersOf(store inventoryStore, c *customer.Customer, dc demoCustomer) ([]requester, error) {
	services, err := store.FindServices(s.ctx, inventory.ServiceFilter{CustomerID: c.ID, Limit: 5000})
	if err != nil {
		return nil, err
	}
	accounts, err := store.BillingAccounts(s.ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var out []requester
	for _, p := range dc.people {
		if p.access != identity.AccessFull || (p.role != identity.RoleAdmin && p.role != identity.RoleTechnical && p.role != identity.RoleBilling) {
			continue
		}
		u, err := s.store.UserByEmail(s.ctx, p.email)
		if err != nil {
			return nil, err
		}
		a := &enlace.Actor{UserID: u.ID, Email: u.Email, Name: u.Name(), CustomerID: c.ID, CustomerRole: p.role, Locale: u.Locale}
		mine := accounts
		if p.role != identity.RoleAdmin {
			a.BillingAccountIDs = []string{accounts[0].ID}
			mine = accounts[:1]
		}
		rq := requester{actor: a, services: map[string][]inventory.Service{}, accounts: mine, domain: p.email[strings.IndexByte(p.email, '@')+1:]}
		for _, v := range services {
			if a.BillingAccountIDs == nil || slices.Contains(a.BillingAccountIDs, v.BillingAccountID) {
				rq.services[v.Category] = append(rq.services[v.Category], v)
			}
		}
		out = append(out, rq)
	}
	admin := slices.IndexFunc(out, func(rq requester) bool { return rq.actor.CustomerRole == identity.RoleAdmin })
	if admin < 0 {
		return nil, fmt.Errorf("demo customer %s has no administrator", c.Number)
	}
	for i := range out {
		out[i].admin = &out[admin]
	}
	return out, nil
}

// input fills a type's form the way the requester would.
func (rq *requester) input(rng *rand.Rand, tp *servicedesk.Type, n int, created time.Time) (servicedesk.Input, bool) {
	in := servicedesk.Input{TypeKey: tp.Key, Fields: map[string]string{}}
	texts := descriptions[tp.Key]
	if len(texts) == 0 {
		texts = genericDescriptions
	}
	in.Description = texts[rng.IntN(len(texts))]
	if tp.Service != servicedesk.ServiceNone && tp.Category != "" {
		if svcs := rq.services[tp.Category]; len(svcs) > 0 {
			in.ServiceKey = svcs[rng.IntN(len(svcs))].Key
		}
	}
	if tp.Service == servicedesk.ServiceRequired && in.ServiceKey == "" {
		return in, false
	}
	if in.ServiceKey == "" {
		in.BillingAccountID = rq.accounts[rng.IntN(len(rq.accounts))].ID
	}
	for _, f := range tp.Fields {
		switch f.Kind {
		case servicedesk.FieldSelect:
			in.Fields[f.Key] = f.Options[rng.IntN(len(f.Options))].Key
		case servicedesk.FieldDate:
			in.Fields[f.Key] = created.AddDate(0, 0, -1-rng.IntN(3)).Format(time.DateOnly)
		case servicedesk.FieldPhone:
			in.Fields[f.Key] = fmt.Sprintf("81 8155 %04d", 1000+rng.IntN(8999))
		case servicedesk.FieldEmail:
			in.Fields[f.Key] = fmt.Sprintf("usuario%d@%s", n, rq.domain)
		case servicedesk.FieldNumber:
			in.Fields[f.Key] = fmt.Sprint(1 + rng.IntN(20))
		default:
			if v, ok := fieldValues[f.Key]; ok {
				in.Fields[f.Key] = v
			}
		}
	}
	return in, true
}

// script writes one request's history from its creation on: raised,
// assigned by the administrator, worked by the agent of its queue through
// its checklist, perhaps waiting on the customer, resolved (a few late,
// a few never), closed by the requester or by itself, surveyed.
func (s *seeder) script(rng *rand.Rand, add func(time.Time, func() error), created time.Time,
	tp *servicedesk.Type, rq requester, staff map[string]*enlace.Actor, in servicedesk.Input, now time.Time) {
	svc := s.requests
	as := func(a *enlace.Actor) context.Context { return enlace.WithActor(s.ctx, a) }
	customerCtx := as(rq.actor)
	agent := staff["support"]
	switch tp.Queue {
	case "network", "voice":
		if rng.IntN(2) == 0 {
			agent = staff["technician"]
		}
	case "administration":
		agent = staff["admin"]
	}
	agentCtx := as(agent)
	// The moves run in time order after every request's creation, so
	// each finds its request made; jobs wait until the replay ends, so
	// nothing else changes it meanwhile.
	var req *servicedesk.View
	id := func() string { return req.Request.ID }
	act := func(ctx context.Context, in servicedesk.ActInput) func() error {
		return func() error { _, err := svc.Act(ctx, id(), in); return err }
	}
	comment := func(ctx context.Context, body string, internal bool) func() error {
		return func() error {
			_, err := svc.Comment(ctx, id(), servicedesk.CommentInput{Body: body, Internal: internal})
			return err
		}
	}
	t := created
	later := func(min, max time.Duration) time.Time {
		t = t.Add(min + time.Duration(rng.Int64N(int64(max-min))))
		return t
	}
	add(t, func() error {
		uploads, closeFiles, err := s.demoUploads(tp, rq)
		if err != nil {
			return err
		}
		defer closeFiles()
		v, err := svc.Create(customerCtx, in, uploads)
		if err != nil {
			return fmt.Errorf("demo request %s: %w", tp.Key, err)
		}
		req = v
		return nil
	})
	roll := rng.IntN(100)
	if roll < 6 { // cancelled by the requester before anyone took it
		add(later(10*time.Minute, 2*time.Hour), act(customerCtx, servicedesk.ActInput{Action: servicedesk.ActionCancel,
			Reason: "Se resolvió solo; gracias."}))
		return
	}
	add(later(5*time.Minute, 40*time.Minute), act(as(staff["admin"]), servicedesk.ActInput{Action: servicedesk.ActionAssign,
		AssigneeID: agent.UserID, Queue: tp.Queue}))
	// The last days' requests are still on their way: some only in an
	// agent's queue, some waiting on the customer.
	recent := now.Sub(created) < 72*time.Hour
	if recent && rng.IntN(3) == 0 {
		return
	}
	add(later(5*time.Minute, 50*time.Minute), act(agentCtx, servicedesk.ActInput{Action: servicedesk.ActionStart}))
	if rng.IntN(10) < 4 {
		add(later(time.Minute, 10*time.Minute), comment(agentCtx, "Recibimos su reporte; ya lo estamos revisando.", false))
	}
	if rng.IntN(10) < 3 {
		add(later(time.Minute, 30*time.Minute), comment(agentCtx, "Se escaló con el carrier; esperamos su diagnóstico.", true))
	}
	if rng.IntN(100) < 15 || (recent && rng.IntN(2) == 0) {
		add(later(10*time.Minute, time.Hour), act(agentCtx, servicedesk.ActInput{Action: servicedesk.ActionWait,
			Reason: "Necesitamos que alguien en sitio reinicie el equipo y nos confirme."}))
		if recent {
			return
		}
		add(later(time.Hour, 20*time.Hour), comment(customerCtx, "Listo, ya se reinició el equipo.", false))
	}
	for _, st := range tp.Checklist {
		key := st.Key
		add(later(3*time.Minute, 25*time.Minute), func() error {
			_, err := svc.Tick(agentCtx, id(), key, true)
			return err
		})
	}
	switch {
	case roll < 10: // still being worked, past its targets
		return
	case roll < 20: // resolved late
		later(30*time.Hour, 60*time.Hour)
	}
	add(later(10*time.Minute, 3*time.Hour), act(agentCtx, servicedesk.ActInput{Action: servicedesk.ActionResolve,
		Resolution: "Se identificó la causa y se corrigió; el servicio opera con normalidad."}))
	if rng.IntN(10) < 3 {
		return // closes by itself after the days the requester has to object
	}
	add(later(time.Hour, 20*time.Hour), act(customerCtx, servicedesk.ActInput{Action: servicedesk.ActionClose}))
	if tp.Incident && rng.IntN(100) < 65 {
		score := []int{5, 5, 5, 5, 4, 4, 4, 3, 2, 1}[rng.IntN(10)]
		add(later(time.Minute, 30*time.Minute), func() error {
			_, err := svc.Answer(customerCtx, id(), servicedesk.SurveyInput{Score: score, Comment: surveyComments[score]})
			return err
		})
	}
}

var surveyComments = map[int]string{5: "Excelente atención, muy rápidos.", 4: "Bien, aunque tardaron en contestar.", 3: "", 2: "Tuvimos que insistir varias veces.", 1: "La falla regresó al día siguiente."}

// demoUploads makes the documents a type requires, as PDFs.
func (s *seeder) demoUploads(tp *servicedesk.Type, rq requester) ([]servicedesk.Upload, func(), error) {
	var uploads []servicedesk.Upload
	closeAll := func() {
		for _, u := range uploads {
			u.File.Close()
		}
	}
	if s.docs == nil {
		return nil, closeAll, nil
	}
	for _, at := range tp.Attachments {
		content, err := demoPDF(rq.domain, demoDocument{title: at.Label.In("es-MX"), lines: []string{"Documento de demostración."}})
		if err != nil {
			return nil, closeAll, err
		}
		f, err := s.docs.Receive(bytes.NewReader(content))
		if err != nil {
			closeAll()
			return nil, func() {}, err
		}
		uploads = append(uploads, servicedesk.Upload{Key: at.Key, FileName: at.Key + ".pdf", File: f})
	}
	return uploads, closeAll, nil
}

// pickType draws a request type by weight.
func pickType(rng *rand.Rand) string {
	total := 0
	for _, w := range requestWeights {
		total += w.weight
	}
	n := rng.IntN(total)
	for _, w := range requestWeights {
		if n < w.weight {
			return w.typ
		}
		n -= w.weight
	}
	return requestWeights[0].typ
}

// demoMoment draws a moment between from and to, in working hours of a
// weekday most of the time.
func demoMoment(rng *rand.Rand, from, to time.Time, loc *time.Location) time.Time {
	for {
		t := from.Add(time.Duration(rng.Int64N(int64(to.Sub(from)))))
		local := t.In(loc)
		if rng.IntN(10) == 0 || (local.Weekday() != time.Saturday && local.Weekday() != time.Sunday && local.Hour() >= 9 && local.Hour() < 18) {
			return t
		}
	}
}
