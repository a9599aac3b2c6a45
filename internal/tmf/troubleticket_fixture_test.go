package tmf_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/ordering"
	"github.com/enlace-portal/enlace/internal/servicedesk"
	"github.com/enlace-portal/enlace/internal/tmf"
)

// tickets is TMF621 on a real store, service desk, job runner and server:
// customer A with a connectivity service, customer B, a staff
// administrator, a support agent and a PM (staff who work no requests),
// A's administrator and B's administrator. exact is the same API with
// Deps.ExactFields set.
type tickets struct {
	*base
	desk   *servicedesk.Service
	runner *jobs.Runner
	srv    *httptest.Server
	exact  *httptest.Server
	a, b   customer.Customer
	aKey   string
	agent  context.Context
}

const (
	staffAgent = "support agent"
	tt         = tmf.TroubleTicketPath
	// answers are the general incident's required fields.
	answers = `"troubleTicketCharacteristic":[{"name":"impact","value":"one_user"},{"name":"contact_phone","value":"+52 55 1234 5678"}]`
)

func newTickets(t *testing.T) *tickets {
	t.Helper()
	f := &tickets{base: newBase(t, "en")}
	ctx, store, clock, staffCtx, catalog, renderer := context.Background(), f.store, f.clock, f.staffCtx, f.catalog, f.renderer
	agent := f.staff("soporte@proveedor.mx", "Sara", "Soporte", identity.StaffSupport)
	pm := f.staff("pm@proveedor.mx", "Sara", "Soporte", identity.StaffPM)
	f.agent = enlace.WithActor(ctx, &enlace.Actor{UserID: agent.ID, Name: "Sara Soporte", StaffRole: identity.StaffSupport})
	customers := customer.NewService(store)
	for _, c := range []*customer.Customer{&f.a, &f.b} {
		number := map[*customer.Customer]string{&f.a: "C-100", &f.b: "C-200"}[c]
		created, err := customers.Create(staffCtx, customer.Input{Number: number, Name: "Cliente " + number})
		must(t, err)
		*c = *created
	}
	acct, err := customers.CreateBillingAccount(staffCtx, customer.AccountInput{CustomerID: f.a.ID, Number: "BA-100", Name: "Matriz"})
	must(t, err)
	site := inventory.Site{ID: enlace.NewID(), CustomerID: f.a.ID, Name: "Matriz", AddressLine1: "Av. 1", City: "Monterrey", State: "NLE", Country: "MX"}
	must(t, store.CreateSite(ctx, &site))
	svc := inventory.Service{ID: enlace.NewID(), CustomerID: f.a.ID, BillingAccountID: acct.ID, SiteID: site.ID, Key: "INT-100",
		Category: inventory.CategoryConnectivity, Product: "Internet dedicado", Status: "active"}
	must(t, store.CreateService(ctx, &svc))
	f.aKey = svc.Key
	member := func(customerID, email string) string {
		return f.member(customerID, email, identity.RoleAdmin, identity.AccessFull, nil)
	}
	f.tokens[staffAgent] = f.token(agent.ID, "")
	f.tokens[pmRole] = f.token(pm.ID, "")
	f.tokens[aAdmin] = f.token(member(f.a.ID, "admin@a.mx"), f.a.ID)
	f.tokens[bAdmin] = f.token(member(f.b.ID, "admin@b.mx"), f.b.ID)

	runbooks := activation.NewCatalog(store)
	must(t, runbooks.SyncShipped(ctx))
	projects := activation.NewService(store, runbooks, renderer, clock, activation.Config{})
	f.desk = servicedesk.NewService(store, projects, renderer, clock, servicedesk.Config{Location: projects.Location()})
	quiet := slog.New(slog.DiscardHandler)
	f.runner = jobs.NewRunner(store, clock, quiet)
	f.desk.Register(f.runner)
	// Ordering delivers the events (ordering.DeliverJob).
	ordering.NewService(ordering.Deps{Store: store, Clock: clock, Logger: quiet}).Register(f.runner)
	hubs := tmf.NewTroubleTicketHubs(store, f.desk, "https://enlace.example", clock)
	hubs.Register(f.runner)
	f.desk.SetWatcher(hubs)
	deps := tmf.Deps{Identity: f.id, Customers: customers, Requests: f.desk, TroubleTicketHubs: hubs, Catalog: catalog, Logger: quiet}
	f.srv = httptest.NewServer(tmf.New(deps).Handler())
	t.Cleanup(f.srv.Close)
	deps.ExactFields = true
	f.exact = httptest.NewServer(tmf.New(deps).Handler())
	t.Cleanup(f.exact.Close)
	return f
}

func (f *tickets) do(as, method, path, body string) response {
	f.t.Helper()
	return f.call(f.srv, as, method, path, body)
}

// post creates a ticket as as and returns it; attrs are more attributes
// of the body, each after a comma, which replace those of the same name.
func (f *tickets) post(as, attrs string) ticket {
	f.t.Helper()
	r := f.do(as, "POST", tt+"/troubleTicket", `{"description":"Sin servicio","severity":"High","ticketType":"incident",`+answers+attrs+`}`)
	if r.status != http.StatusCreated {
		f.t.Fatalf("POST troubleTicket = %d %s", r.status, r.body)
	}
	var tk ticket
	r.decode(f.t, &tk)
	return tk
}

// get reads a ticket as the staff administrator.
func (f *tickets) get(id string) ticket {
	f.t.Helper()
	r := f.do(staffAdmin, "GET", tt+"/troubleTicket/"+id, "")
	if r.status != http.StatusOK {
		f.t.Fatalf("GET troubleTicket = %d %s", r.status, r.body)
	}
	var tk ticket
	r.decode(f.t, &tk)
	return tk
}

// request reads a ticket's request as the agent.
func (f *tickets) request(id string) *servicedesk.View {
	f.t.Helper()
	v, err := f.desk.Request(f.agent, id)
	must(f.t, err)
	return v
}

func (f *tickets) runJobs() {
	f.t.Helper()
	if _, err := f.runner.RunDue(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// ticket is a trouble ticket as the tests read it.
type ticket struct {
	ID                  string           `json:"id"`
	Href                string           `json:"href"`
	Type                string           `json:"@type"`
	Name                string           `json:"name"`
	Description         string           `json:"description"`
	Severity            string           `json:"severity"`
	TicketType          string           `json:"ticketType"`
	Priority            string           `json:"priority"`
	Status              string           `json:"status"`
	StatusChangeReason  string           `json:"statusChangeReason"`
	CreationDate        string           `json:"creationDate"`
	Channel             map[string]any   `json:"channel"`
	Note                []map[string]any `json:"note"`
	RelatedParty        []map[string]any `json:"relatedParty"`
	RelatedEntity       []map[string]any `json:"relatedEntity"`
	StatusChangeHistory []map[string]any `json:"statusChangeHistory"`
	ExternalIdentifier  []map[string]any `json:"externalIdentifier"`
}

// roles returns the role and id of each related party.
func (tk ticket) roles() map[string]any {
	out := map[string]any{}
	for _, p := range tk.RelatedParty {
		ref, _ := p["partyOrPartyRole"].(map[string]any)
		out[p["role"].(string)] = ref["id"]
	}
	return out
}
