package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// parties adds the contact service to the fixture's API and gives each
// customer a principal technical contact.
func (f *fixture) parties() (aContact, bContact *contact.Contact) {
	f.t.Helper()
	f.api.Contacts = contact.NewService(f.store, f.store)
	var err error
	aContact, err = f.api.Contacts.Create(f.staffCtx, contact.Input{CustomerID: f.a.customer.ID, Kind: contact.KindTechnical,
		Principal: true, FirstName: "Ana", LastName: "López", Phone: "55 1234 5678", Email: "ana@a.example"})
	must(f.t, err)
	bContact, err = f.api.Contacts.Create(f.staffCtx, contact.Input{CustomerID: f.b.customer.ID, Kind: contact.KindTechnical,
		Principal: true, FirstName: "Bruno", LastName: "Díaz", Phone: "81 1234 5678", Email: "bruno@b.example"})
	must(f.t, err)
	return aContact, bContact
}

// TestTenancyParties crosses tenants and roles on every customer, billing
// account and contact route.
func TestTenancyParties(t *testing.T) {
	f := newFixture(t)
	aC, bC := f.parties()
	a, b := f.a, f.b
	newContact := func(customerID string) string {
		return `{"customerId":"` + customerID + `","kind":"administrative","firstName":"N","lastName":"C","phone":"5512345678","email":"n@c.example"}`
	}
	tests := []struct {
		name   string
		c      call
		status int
	}{
		{"no token lists contacts", call{method: "GET", path: "/contacts"}, 401},
		{"no token lists billing accounts", call{method: "GET", path: "/billing-accounts"}, 401},

		{"A admin reads B contact", call{as: aAdmin, method: "GET", path: "/contacts/" + bC.ID}, 404},
		{"A admin lists B contacts", call{as: aAdmin, method: "GET", path: "/contacts?customerId=" + b.customer.ID}, 404},
		{"A admin patches B contact", call{as: aAdmin, method: "PATCH", path: "/contacts/" + bC.ID, body: `{"firstName":"Pwned"}`}, 404},
		{"A admin deletes B contact", call{as: aAdmin, method: "DELETE", path: "/contacts/" + bC.ID}, 404},
		{"A admin creates contact in B", call{as: aAdmin, method: "POST", path: "/contacts", body: newContact(b.customer.ID)}, 404},
		{"A admin reads B billing account", call{as: aAdmin, method: "GET", path: "/billing-accounts/" + b.accounts[0].ID}, 404},
		{"A admin lists B billing accounts", call{as: aAdmin, method: "GET", path: "/billing-accounts?customerId=" + b.customer.ID}, 404},
		{"A admin patches B billing account", call{as: aAdmin, method: "PATCH", path: "/billing-accounts/" + b.accounts[0].ID, body: `{"name":"Pwned"}`}, 404},
		{"A admin creates billing account in B", call{as: aAdmin, method: "POST", path: "/billing-accounts", body: `{"customerId":"` + b.customer.ID + `","number":"X-1","name":"X"}`}, 404},
		{"A admin patches B customer", call{as: aAdmin, method: "PATCH", path: "/customers/" + b.customer.ID, body: `{"name":"Pwned"}`}, 404},
		{"A admin creates a customer", call{as: aAdmin, method: "POST", path: "/customers", body: `{"number":"N-1","name":"N"}`}, 403},
		{"A admin patches own customer", call{as: aAdmin, method: "PATCH", path: "/customers/" + a.customer.ID, body: `{"name":"Mine"}`}, 403},
		{"A admin patches own billing account", call{as: aAdmin, method: "PATCH", path: "/billing-accounts/" + a.accounts[0].ID, body: `{"name":"Mine"}`}, 403},
		{"A admin reads own contact", call{as: aAdmin, method: "GET", path: "/contacts/" + aC.ID}, 200},
		{"A admin lists own contacts", call{as: aAdmin, method: "GET", path: "/contacts"}, 200},
		{"A admin reads own billing account", call{as: aAdmin, method: "GET", path: "/billing-accounts/" + a.accounts[1].ID}, 200},

		{"B admin reads A contact", call{as: bAdmin, method: "GET", path: "/contacts/" + aC.ID}, 404},
		{"B admin patches A contact", call{as: bAdmin, method: "PATCH", path: "/contacts/" + aC.ID, body: `{"principal":false}`}, 404},

		{"A user reads own contact", call{as: aUser, method: "GET", path: "/contacts/" + aC.ID}, 200},
		{"A user patches own contact", call{as: aUser, method: "PATCH", path: "/contacts/" + aC.ID, body: `{"firstName":"Z"}`}, 403},
		{"A user creates contact", call{as: aUser, method: "POST", path: "/contacts", body: newContact(a.customer.ID)}, 403},
		{"A user deletes own contact", call{as: aUser, method: "DELETE", path: "/contacts/" + aC.ID}, 403},
		{"A user reads an unassigned billing account", call{as: aUser, method: "GET", path: "/billing-accounts/" + a.accounts[0].ID}, 404},
		{"A user reads B contact", call{as: aUser, method: "GET", path: "/contacts/" + bC.ID}, 404},

		{"staff technician reads B contact", call{as: staffTech, method: "GET", path: "/contacts/" + bC.ID}, 200},
		{"staff technician lists billing accounts", call{as: staffTech, method: "GET", path: "/billing-accounts"}, 200},
		{"staff technician patches B contact", call{as: staffTech, method: "PATCH", path: "/contacts/" + bC.ID, body: `{"firstName":"T"}`}, 403},
		{"staff technician creates a customer", call{as: staffTech, method: "POST", path: "/customers", body: `{"number":"N-1","name":"N"}`}, 403},
		{"staff technician patches a customer", call{as: staffTech, method: "PATCH", path: "/customers/" + b.customer.ID, body: `{"retired":true}`}, 403},
		{"staff technician creates a billing account", call{as: staffTech, method: "POST", path: "/billing-accounts", body: `{"customerId":"` + b.customer.ID + `","number":"X-1","name":"X"}`}, 403},
		{"staff technician patches a billing account", call{as: staffTech, method: "PATCH", path: "/billing-accounts/" + b.accounts[0].ID, body: `{"retired":true}`}, 403},
	}
	before := f.partiesState()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.do(tt.c)
			if tt.status < 400 {
				if resp.StatusCode != tt.status {
					t.Fatalf("%s %s = %d %s, want %d", tt.c.method, tt.c.path, resp.StatusCode, body, tt.status)
				}
				return
			}
			checkProblem(t, resp, body, tt.status)
		})
	}
	if diff := cmp.Diff(before, f.partiesState()); diff != "" {
		t.Errorf("refused requests changed customers, accounts or contacts (-before +after):\n%s", diff)
	}
	// Lists hold the token's own customer only.
	for _, path := range []string{"/contacts", "/billing-accounts", "/customers"} {
		_, body := f.do(call{as: aAdmin, method: "GET", path: path})
		if strings.Contains(string(body), b.customer.ID) || strings.Contains(string(body), "Bruno") {
			t.Errorf("A admin GET %s shows B: %s", path, body)
		}
	}
	// An end user sees only their assigned billing accounts.
	var page list[customer.BillingAccount]
	f.doJSON(call{as: aUser, method: "GET", path: "/billing-accounts"}, 200, &page)
	if page.Total != 0 {
		t.Errorf("A user with no assigned account lists %d billing accounts", page.Total)
	}
}

// partiesState is every customer, billing account and contact.
func (f *fixture) partiesState() map[string]any {
	f.t.Helper()
	cs, _, err := f.store.FindCustomers(f.ctx, customer.Filter{Limit: 100})
	must(f.t, err)
	bs, _, err := f.store.FindBillingAccounts(f.ctx, customer.AccountFilter{Limit: 100})
	must(f.t, err)
	ks, _, err := f.store.FindContacts(f.ctx, contact.Filter{Limit: 100})
	must(f.t, err)
	return map[string]any{"customers": cs, "accounts": bs, "contacts": ks}
}

// TestPartiesHappy: staff create and change customers and accounts; a
// customer administrator keeps their contacts, the principal flag moves.
func TestPartiesHappy(t *testing.T) {
	f := newFixture(t)
	aC, _ := f.parties()
	var c customer.Customer
	resp := f.doJSON(call{as: staffAdmin, method: "POST", path: "/customers", body: `{"number":"C-9","name":"Nueva"}`}, 201, &c)
	if resp.Header.Get("Location") != Prefix+"/customers/"+c.ID {
		t.Errorf("Location = %q", resp.Header.Get("Location"))
	}
	f.doJSON(call{as: staffAdmin, method: "PATCH", path: "/customers/" + c.ID, body: `{"retired":true}`}, 200, &c)
	if !c.Retired || c.RetiredAt == nil || c.Name != "Nueva" {
		t.Errorf("retired customer = %+v", c)
	}
	var page list[customer.Customer]
	f.doJSON(call{as: staffAdmin, method: "GET", path: "/customers?retired=true"}, 200, &page)
	if page.Total != 1 || page.Items[0].ID != c.ID {
		t.Errorf("retired customers = %+v", page)
	}
	var b customer.BillingAccount
	f.doJSON(call{as: staffAdmin, method: "POST", path: "/billing-accounts", body: `{"customerId":"` + c.ID + `","number":"BA-9","name":"Matriz"}`}, 201, &b)
	f.doJSON(call{as: staffAdmin, method: "PATCH", path: "/billing-accounts/" + b.ID, body: `{"name":"Sucursal"}`}, 200, &b)
	if b.Name != "Sucursal" || b.Number != "BA-9" || b.CustomerID != c.ID {
		t.Errorf("billing account = %+v", b)
	}

	var k contact.Contact
	f.doJSON(call{as: aAdmin, method: "POST", path: "/contacts", body: `{"kind":"technical","principal":true,"firstName":"Eva",
		"lastName":"Ruiz","phone":"+52 1 33 1234 5678","extension":"204","mobile":"044 55 1234 5678","email":"Eva@A.example","contactRole":"support"}`}, 201, &k)
	if k.CustomerID != f.a.customer.ID || k.Phone != "+523312345678" || k.Email != "eva@a.example" || !k.Principal {
		t.Errorf("created contact = %+v", k)
	}
	var old contact.Contact
	f.doJSON(call{as: aAdmin, method: "GET", path: "/contacts/" + aC.ID}, 200, &old)
	if old.Principal {
		t.Error("the previous principal technical contact kept the flag")
	}
	f.doJSON(call{as: aAdmin, method: "PATCH", path: "/contacts/" + k.ID, body: `{"jobTitle":"Jefa de NOC"}`}, 200, &k)
	if k.JobTitle != "Jefa de NOC" || k.Phone != "+523312345678" || !k.Principal {
		t.Errorf("patched contact = %+v", k)
	}
	var ks list[contact.Contact]
	f.doJSON(call{as: aAdmin, method: "GET", path: "/contacts?kind=technical"}, 200, &ks)
	if ks.Total != 2 || ks.Items[0].ID != k.ID {
		t.Errorf("technical contacts = %+v, want the principal first", ks)
	}
	f.doJSON(call{as: aAdmin, method: "DELETE", path: "/contacts/" + k.ID}, 204, nil)
	f.doJSON(call{as: aAdmin, method: "GET", path: "/contacts/" + k.ID}, 404, nil)
}

// TestBadInputParties: malformed and invalid bodies and queries on the new
// routes are refused with a problem naming the field, and change nothing.
func TestBadInputParties(t *testing.T) {
	f := newFixture(t)
	aC, _ := f.parties()
	valid := `{"kind":"technical","firstName":"N","lastName":"C","phone":"5512345678","email":"n@c.example"}`
	tests := []refusal{
		{"contact not JSON", call{as: aAdmin, method: "POST", path: "/contacts", body: `{"kind":`}, 400, ""},
		{"contact unknown member", call{as: aAdmin, method: "POST", path: "/contacts", body: strings.Replace(valid, `{`, `{"colour":"red",`, 1)}, 400, "/colour"},
		{"contact wrong type", call{as: aAdmin, method: "POST", path: "/contacts", body: strings.Replace(valid, `"kind":"technical"`, `"principal":"yes","kind":"technical"`, 1)}, 400, "/principal"},
		{"contact bad phone", call{as: aAdmin, method: "POST", path: "/contacts", body: strings.Replace(valid, "5512345678", "123", 1)}, 422, "/phone"},
		{"contact bad mobile", call{as: aAdmin, method: "PATCH", path: "/contacts/" + aC.ID, body: `{"mobile":"12-34"}`}, 422, "/mobile"},
		{"contact bad e-mail", call{as: aAdmin, method: "POST", path: "/contacts", body: strings.Replace(valid, "n@c.example", "n@", 1)}, 422, "/email"},
		{"contact bad kind", call{as: aAdmin, method: "POST", path: "/contacts", body: strings.Replace(valid, "technical", "sales", 1)}, 422, "/kind"},
		{"contact bad role", call{as: aAdmin, method: "PATCH", path: "/contacts/" + aC.ID, body: `{"contactRole":"boss"}`}, 422, "/contactRole"},
		{"contact missing names", call{as: aAdmin, method: "PATCH", path: "/contacts/" + aC.ID, body: `{"firstName":" "}`}, 422, "/firstName"},
		{"contact of no customer (staff)", call{as: staffAdmin, method: "POST", path: "/contacts", body: valid}, 422, "/customerId"},
		{"contact of an unknown customer", call{as: staffAdmin, method: "POST", path: "/contacts", body: strings.Replace(valid, `{`, `{"customerId":"nope",`, 1)}, 422, "/customerId"},
		{"contacts bad kind filter", call{as: aAdmin, method: "GET", path: "/contacts?kind=sales"}, 400, "kind"},
		{"contacts unknown parameter", call{as: aAdmin, method: "GET", path: "/contacts?colour=red"}, 400, "colour"},
		{"customer number taken", call{as: staffAdmin, method: "POST", path: "/customers", body: `{"number":"` + f.b.customer.Number + `","name":"X"}`}, 422, "/number"},
		{"customer without name", call{as: staffAdmin, method: "POST", path: "/customers", body: `{"number":"N-1"}`}, 422, "/name"},
		{"customer number with spaces", call{as: staffAdmin, method: "PATCH", path: "/customers/" + f.a.customer.ID, body: `{"number":"A 1"}`}, 422, "/number"},
		{"customer retired not boolean", call{as: staffAdmin, method: "PATCH", path: "/customers/" + f.a.customer.ID, body: `{"retired":"yes"}`}, 400, "/retired"},
		{"customers bad retired filter", call{as: staffAdmin, method: "GET", path: "/customers?retired=maybe"}, 400, "retired"},
		{"account number taken", call{as: staffAdmin, method: "POST", path: "/billing-accounts", body: `{"customerId":"` + f.a.customer.ID + `","number":"` + f.b.accounts[0].Number + `","name":"X"}`}, 422, "/number"},
		{"account of no customer", call{as: staffAdmin, method: "POST", path: "/billing-accounts", body: `{"number":"Z-1","name":"X"}`}, 422, "/customerId"},
		{"account customer not patchable", call{as: staffAdmin, method: "PATCH", path: "/billing-accounts/" + f.a.accounts[0].ID, body: `{"customerId":"x"}`}, 400, "/customerId"},
	}
	before := f.partiesState()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.do(tt.c)
			p := checkProblem(t, resp, body, tt.status)
			if tt.field == "" {
				return
			}
			var fields []string
			for _, e := range p.Errors {
				fields = append(fields, e.Field)
			}
			if !strings.Contains(strings.Join(fields, " "), tt.field) {
				t.Errorf("problem fields %v lack %s: %s", fields, tt.field, body)
			}
		})
	}
	if diff := cmp.Diff(before, f.partiesState()); diff != "" {
		t.Errorf("bad input changed data (-before +after):\n%s", diff)
	}
	_ = http.StatusOK
	_ = enlace.EINVALID
}
