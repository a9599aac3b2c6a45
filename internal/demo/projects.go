package demo

import (
	"bytes"
	"context"
	"fmt"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// WithProjects makes Seed start one project of every shipped runbook,
// each at a different stage, by acting through the activation service as
// the demo's PM, support agent, technician and customer administrators
// would: every task moved is audited and notified like a real one.
func WithProjects(svc *activation.Service) Option {
	return func(s *seeder) { s.projects = svc }
}

// demoProject is a project and the steps that bring it to its stage.
type demoProject struct {
	customer, runbook, order, title string
	site, account                   int // indexes into the customer's sites and accounts
	options                         map[string]bool
	// unassigned leaves the project without a PM: OfficeConnect names one
	// only after the agreement and the NRC payment.
	unassigned bool
	steps      []demoStep
}

// demoStep is one thing a person does on a task: who ("pm", "support",
// "technician", "customer"), what (an activation action, "gate" or
// "document") and on which task.
type demoStep struct {
	who, what, task string
	gate            activation.GateInput
	document        string // the kind of document uploaded
}

func done(who string, tasks ...string) []demoStep {
	out := make([]demoStep, len(tasks))
	for i, t := range tasks {
		out[i] = demoStep{who: who, what: activation.ActComplete, task: t}
	}
	return out
}

func concat(parts ...[]demoStep) []demoStep {
	var out []demoStep
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var demoProjects = []demoProject{
	{
		// Waiting on the customer's documents: the kickoff was held, the
		// phone bill and number list are in, the CSR is still missing, so
		// the PM cannot enter the port order.
		customer: "100200", runbook: "teams-cloud-voice", order: "OC-2026-0412", title: "Voz en la nube para Microsoft Teams — Corporativo",
		steps: concat(done("pm", "kickoff-meeting"),
			done("customer", "license-a5-e5", "license-teams-phone-standard", "remove-calling-plan"),
			[]demoStep{
				{who: "customer", what: "document", task: "porting-phone-bill", document: "phone_bill"},
				{who: "customer", what: "document", task: "porting-number-list", document: "number_list"},
				{who: "customer", what: activation.ActStart, task: "login-invite-admin"},
			}),
	},
	{
		// Waiting on the payment gate: the agreement is signed, the NRC is
		// not paid, so no PM is introduced yet.
		customer: "100200", runbook: "officeconnect-ucaas", order: "OC-2026-0398", title: "OfficeConnect — Sucursal Saltillo",
		site: 1, account: 1, unassigned: true,
		steps: concat(done("customer", "identify-order-requirements", "assess-network"),
			done("support", "identify-service-requirements", "service-demo"),
			done("pm", "send-agreement"),
			[]demoStep{
				{who: "customer", what: "gate", task: "sign-agreement", gate: activation.GateInput{Name: "Diego Paz"}},
				{who: "customer", what: activation.ActComplete, task: "sign-agreement"},
			}),
	},
	{
		// In parallel operation, before the point of no return: the new
		// system runs beside the old one and billing has started.
		customer: "300400", runbook: "ip-centrex", order: "OC-2026-0377", title: "Migración a IP-Centrex — Hospital central",
		// The reachability tasks are done by the list of people (seedReach).
		steps: concat(done("support", "user-profiles"),
			[]demoStep{{who: "support", what: "reach", task: "provisional-numbers"}},
			done("technician", "devices"),
			done("support", "staff-training"),
			done("support", "parallel-handover"),
			[]demoStep{{who: "support", what: activation.ActStart, task: "parallel-operation"}}),
	},
	{
		// In the migration window: the backup and the mailbox list are in,
		// the domain is provisioned, the delegation is propagating.
		customer: "100200", runbook: "hosted-exchange", order: "OC-2026-0420", title: "Correo Hosted Exchange — aurora.example",
		site: 2, account: 2,
		steps: concat(done("customer", "mail-backup"),
			[]demoStep{{who: "customer", what: "document", task: "account-list", document: "mailbox_list"},
				{who: "customer", what: activation.ActStart, task: "nic-delegation"}},
			done("support", "dns-provisioning")),
	},
}

// seedProjects starts the demo projects and walks each to its stage.
func (s *seeder) seedProjects() error {
	if s.projects == nil {
		return nil
	}
	store, ok := s.store.(inventoryStore)
	if !ok {
		return nil
	}
	people := map[string]*enlace.Actor{}
	for who, email := range map[string]string{"pm": "pm@enlace.example", "support": "soporte@enlace.example", "technician": "tecnico@enlace.example"} {
		u, err := s.store.UserByEmail(s.ctx, email)
		if err != nil {
			return err
		}
		people[who] = &enlace.Actor{UserID: u.ID, Email: u.Email, Name: u.Name(), StaffRole: u.StaffRole, Locale: u.Locale}
	}
	all, err := store.Customers(s.ctx)
	if err != nil {
		return err
	}
	for _, dp := range demoProjects {
		var c *customer.Customer
		for i := range all {
			if all[i].Number == dp.customer {
				c = &all[i]
			}
		}
		if c == nil {
			return fmt.Errorf("demo project: no customer %s", dp.customer)
		}
		if err := s.project(store, c, dp, people); err != nil {
			return fmt.Errorf("demo project %s: %w", dp.runbook, err)
		}
	}
	return nil
}

func (s *seeder) project(store inventoryStore, c *customer.Customer, dp demoProject, people map[string]*enlace.Actor) error {
	sites, err := store.CustomerSites(s.ctx, c.ID)
	if err != nil {
		return err
	}
	accounts, err := store.BillingAccounts(s.ctx, c.ID)
	if err != nil {
		return err
	}
	if len(sites) == 0 || len(accounts) == 0 {
		return fmt.Errorf("customer %s has no site or account", c.Number)
	}
	site, account := pick(sites, dp.site), pickAccount(accounts, dp.account)
	admin := customerAdmin(c.Number)
	u, err := s.store.UserByEmail(s.ctx, admin)
	if err != nil {
		return err
	}
	people["customer"] = &enlace.Actor{UserID: u.ID, Email: u.Email, Name: u.Name(), CustomerID: c.ID, CustomerRole: "admin", Locale: u.Locale}
	pm := people["pm"].UserID
	if dp.unassigned {
		pm = ""
	}
	v, err := s.projects.Start(enlace.WithActor(s.ctx, people["pm"]), activation.StartInput{CustomerID: c.ID,
		BillingAccountID: account.ID, SiteID: site.ID, OrderRef: dp.order, Title: dp.title, Runbook: dp.runbook,
		Options: dp.options, PMUserID: pm, ContactUserID: u.ID})
	if err != nil {
		return err
	}
	for _, st := range dp.steps {
		ctx := enlace.WithActor(s.ctx, people[st.who])
		t := v.Task(taskID(v, st.task))
		if t == nil {
			return fmt.Errorf("no task %s", st.task)
		}
		switch st.what {
		case "gate":
			v, err = s.projects.MeetGate(ctx, v.Project.ID, t.ID, st.gate)
		case "document":
			v, err = s.attach(ctx, v, t, c.Name, st.document)
		case "reach":
			v, err = s.seedReach(ctx, v, people)
		default:
			v, err = s.projects.Act(ctx, v.Project.ID, t.ID, activation.Action{Kind: st.what})
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", st.what, st.task, err)
		}
	}
	return nil
}

// attach uploads a demo PDF as the document a task asks for.
func (s *seeder) attach(ctx context.Context, v *activation.View, t *activation.Task, customerName, kind string) (*activation.View, error) {
	if s.docs == nil {
		return v, nil
	}
	content, err := demoPDF(customerName, demoDocument{title: t.Step.Name.In("es-MX"),
		lines: []string{"Documento entregado por el cliente para el proyecto " + v.Project.Folio + "."}})
	if err != nil {
		return nil, err
	}
	file, err := s.docs.Receive(bytes.NewReader(content))
	if err != nil {
		return nil, err
	}
	defer file.Close()
	v, _, err = s.projects.AttachDocument(ctx, v.Project.ID, t.ID, activation.DocumentInput{Kind: kind, FileName: kind + ".pdf"}, file)
	return v, err
}

func taskID(v *activation.View, key string) string {
	for _, t := range v.Tasks {
		if t.Key == key {
			return t.ID
		}
	}
	return ""
}

func pick(sites []inventory.Site, i int) inventory.Site { return sites[min(i, len(sites)-1)] }

func pickAccount(accounts []customer.BillingAccount, i int) customer.BillingAccount {
	return accounts[min(i, len(accounts)-1)]
}

// customerAdmin returns the e-mail of a demo customer's administrator.
func customerAdmin(number string) string {
	for _, c := range customers {
		if c.number == number {
			for _, p := range c.people {
				if p.role == "admin" {
					return p.email
				}
			}
		}
	}
	return ""
}
