package tmf_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/ordering"
	"github.com/enlace-portal/enlace/internal/tmf"
)

// orders is TMF622 on a real store, activation service, job runner and
// server: customer A (one billing account, one site) and customer B (one
// account, two sites), a staff administrator, a project manager, a
// technician, A's administrator, and a user of A limited to an account
// of A the orders do not use.
type orders struct {
	*base
	projects *activation.Service
	runner   *jobs.Runner
	srv      *httptest.Server
	a, b     customer.Customer
	aAccount customer.BillingAccount
	aOther   customer.BillingAccount
	bAccount customer.BillingAccount
	aSite    string
	bSites   []string
	// contexts to act in the portal
	pm, aAdminCtx context.Context
}

const (
	pmRole   = "project manager"
	bAdmin   = "B admin"
	aLimited = "A limited user"
	v4       = tmf.ProductOrderingV4Path
	v5       = tmf.ProductOrderingV5Path
)

func newOrders(t *testing.T) *orders {
	t.Helper()
	f := &orders{base: newBase(t, "en")}
	ctx, store, clock, staffCtx, catalog, renderer := context.Background(), f.store, f.clock, f.staffCtx, f.catalog, f.renderer
	pm, tech := f.staff("pm@proveedor.mx", "N", "S", identity.StaffPM), f.staff("tec@proveedor.mx", "N", "S", identity.StaffTechnician)
	customers := customer.NewService(store)
	inv := inventory.NewManager(store, clock)
	for _, c := range []struct {
		dst      *customer.Customer
		acct     *customer.BillingAccount
		number   string
		sites    int
		siteDsts func(string)
	}{
		{&f.a, &f.aAccount, "C-100", 1, func(id string) { f.aSite = id }},
		{&f.b, &f.bAccount, "C-200", 2, func(id string) { f.bSites = append(f.bSites, id) }},
	} {
		created, err := customers.Create(staffCtx, customer.Input{Number: c.number, Name: "Cliente " + c.number})
		must(t, err)
		*c.dst = *created
		acct, err := customers.CreateBillingAccount(staffCtx, customer.AccountInput{CustomerID: created.ID, Number: "BA-" + c.number, Name: "Matriz"})
		must(t, err)
		*c.acct = *acct
		for i := range c.sites {
			site := inventory.Site{ID: enlace.NewID(), CustomerID: created.ID, Name: "Sitio " + string(rune('1'+i)), AddressLine1: "Av. 1",
				City: "Monterrey", State: "NLE", Country: "MX"}
			must(t, store.CreateSite(ctx, &site))
			c.siteDsts(site.ID)
		}
	}
	other, err := customers.CreateBillingAccount(staffCtx, customer.AccountInput{CustomerID: f.a.ID, Number: "BA-C-100-2", Name: "Sucursal"})
	must(t, err)
	f.aOther = *other
	member := func(customerID, email, role string, accounts []string) string {
		return f.member(customerID, email, role, identity.AccessFull, accounts)
	}
	aAdminID := member(f.a.ID, "admin@a.mx", identity.RoleAdmin, nil)
	f.tokens[pmRole] = f.token(pm.ID, "")
	f.tokens[staffTech] = f.token(tech.ID, "")
	f.tokens[aAdmin] = f.token(aAdminID, f.a.ID)
	f.tokens[aLimited] = f.token(member(f.a.ID, "limitado@a.mx", identity.RoleUser, []string{f.aOther.ID}), f.a.ID)
	f.tokens[bAdmin] = f.token(member(f.b.ID, "admin@b.mx", identity.RoleAdmin, nil), f.b.ID)
	f.pm = enlace.WithActor(ctx, &enlace.Actor{UserID: pm.ID, StaffRole: identity.StaffPM})
	f.aAdminCtx = enlace.WithActor(ctx, &enlace.Actor{UserID: aAdminID, CustomerID: f.a.ID, CustomerRole: identity.RoleAdmin})

	runbooks := activation.NewCatalog(store)
	must(t, runbooks.SyncShipped(ctx))
	f.projects = activation.NewService(store, runbooks, renderer, clock, activation.Config{BaseURL: "https://enlace.example"})
	svc := ordering.NewService(ordering.Deps{Store: store, Projects: f.projects, Customers: customers, Inventory: inv,
		Renderer: tmf.EventRenderer{Catalog: catalog, BaseURL: "https://enlace.example"}, Clock: clock, Logger: slog.New(slog.DiscardHandler)})
	f.runner = jobs.NewRunner(store, clock, slog.New(slog.DiscardHandler))
	svc.Register(f.runner)
	s := tmf.New(tmf.Deps{Identity: f.id, Customers: customers, Ordering: svc, Catalog: catalog, Logger: slog.New(slog.DiscardHandler)})
	f.srv = httptest.NewServer(s.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

func (f *orders) do(as, method, path, body string) response {
	f.t.Helper()
	return f.call(f.srv, as, method, path, body)
}

// post creates an order as the staff administrator and returns it.
func (f *orders) post(body string) order {
	f.t.Helper()
	r := f.do(staffAdmin, "POST", v4+"/productOrder", body)
	if r.status != http.StatusCreated {
		f.t.Fatalf("POST productOrder = %d %s", r.status, r.body)
	}
	var o order
	r.decode(f.t, &o)
	return o
}

// get reads an order in version base.
func (f *orders) get(base, id string) order {
	f.t.Helper()
	r := f.do(staffAdmin, "GET", base+"/productOrder/"+id, "")
	if r.status != http.StatusOK {
		f.t.Fatalf("GET productOrder = %d %s", r.status, r.body)
	}
	var o order
	r.decode(f.t, &o)
	return o
}

// runJobs runs the due jobs: project changes, starts, deliveries.
func (f *orders) runJobs() {
	f.t.Helper()
	if _, err := f.runner.RunDue(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// projectsOf returns the projects an order started.
func (f *orders) projectsOf(orderID string) []ordering.OrderProject {
	f.t.Helper()
	ps, err := f.store.ProductOrderProjects(context.Background(), orderID)
	must(f.t, err)
	return ps
}

// order is a product order as the tests read it.
type order struct {
	ID                       string           `json:"id"`
	Href                     string           `json:"href"`
	Type                     string           `json:"@type"`
	State                    string           `json:"state"`
	OrderDate                string           `json:"orderDate"`
	CreationDate             string           `json:"creationDate"`
	CompletionDate           string           `json:"completionDate"`
	CancellationDate         string           `json:"cancellationDate"`
	Description              string           `json:"description"`
	ExternalID               json.RawMessage  `json:"externalId"`
	RelatedParty             []map[string]any `json:"relatedParty"`
	ProductOrderItem         []map[string]any `json:"productOrderItem"`
	ProductOrderErrorMessage []map[string]any `json:"productOrderErrorMessage"`
}

func (o order) itemStates() map[string]any {
	out := map[string]any{}
	for _, it := range o.ProductOrderItem {
		out[it["id"].(string)] = it["state"]
	}
	return out
}

// exchangeOrder is an order of Hosted Exchange for customer A, named by
// its number, on its account number, without the bulk load (which waits
// for a document), with an item Enlace does not deliver.
func (f *orders) exchangeOrder(externalID string) string {
	return `{"externalId":"` + externalID + `","description":"Migración de correo",
		"relatedParty":[{"id":"C-100","role":"customer","@referredType":"Organization"}],
		"billingAccount":{"id":"BA-C-100"},
		"productOrderItem":[
			{"id":"1","action":"add","productOffering":{"id":"hosted-exchange","name":"Correo Hosted Exchange"},
			 "product":{"productCharacteristic":[{"name":"bulk_load","value":false},{"name":"colour","value":"red"}]}},
			{"id":"2","action":"add","productOffering":{"id":"router-rental"}}]}`
}

// finishProject carries every task of a project out, as the party
// responsible: the customer's by A's administrator, the rest by the PM,
// passing gates on the way.
func (f *orders) finishProject(projectID string) {
	f.t.Helper()
	for range 50 {
		v, err := f.projects.Project(f.pm, projectID)
		must(f.t, err)
		if v.Project.Status != activation.ProjectActive {
			return
		}
		progressed := false
		for _, task := range v.Tasks {
			if task.Status != activation.TaskReady && task.Status != activation.TaskInProgress {
				continue
			}
			who := f.pm
			if task.Party == "customer" {
				who = f.aAdminCtx
			}
			if task.Step.Gate != nil && task.GateMetAt == nil {
				_, err := f.projects.MeetGate(who, projectID, task.ID, activation.GateInput{Name: "Ana Ruiz", Reference: "PAGO-1",
					Date: f.clock.Now().Add(24 * time.Hour), Confirm: true})
				must(f.t, err)
			}
			_, err := f.projects.Act(who, projectID, task.ID, activation.Action{Kind: activation.ActComplete})
			must(f.t, err)
			progressed = true
			break
		}
		if !progressed {
			f.t.Fatalf("project %s is stuck", projectID)
		}
	}
	f.t.Fatalf("project %s did not finish", projectID)
}
