package tmf_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/sqlstore"
	"github.com/enlace-portal/enlace/internal/tmf"
)

// base is what every TM Forum test world starts from: a real store on a
// fake clock at Monday 2 March 2026, 09:00 in Mexico City, the catalogue
// and renderer, the identity service, a staff administrator, and tokens
// by the role a test plays.
type base struct {
	t        *testing.T
	clock    *enlace.FakeClock
	store    *sqlstore.Store
	catalog  *i18n.Catalog
	renderer *notify.Renderer
	id       *identity.Service
	admin    *identity.User
	staffCtx context.Context
	tokens   map[string]string
	// lang is the Accept-Language requests send; empty sends none.
	lang string
}

func newBase(t *testing.T, lang string) *base {
	t.Helper()
	b := &base{t: t, clock: enlace.NewFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)), catalog: i18n.MustLoad(),
		tokens: map[string]string{}, lang: lang}
	b.store = sqlstore.MustOpenTest(t, b.clock)
	var err error
	b.renderer, err = notify.NewRenderer(b.catalog)
	must(t, err)
	b.id = identity.NewService(b.store, b.clock, b.renderer, identity.Config{Hash: identity.HashParams{Time: 1, Memory: 1024, Threads: 1}})
	b.admin, _, err = b.id.CreateStaffUser(context.Background(), identity.NewStaffUser{Email: "admin@proveedor.mx", FirstName: "Ada",
		LastName: "Admin", Role: identity.StaffAdmin})
	must(t, err)
	b.staffCtx = enlace.WithActor(context.Background(), &enlace.Actor{UserID: b.admin.ID, Email: b.admin.Email, StaffRole: identity.StaffAdmin})
	b.tokens[staffAdmin] = b.token(b.admin.ID, "")
	return b
}

// staff creates a staff user with a role.
func (b *base) staff(email, first, last, role string) *identity.User {
	b.t.Helper()
	u, _, err := b.id.CreateStaffUser(b.staffCtx, identity.NewStaffUser{Email: email, FirstName: first, LastName: last, Role: role})
	must(b.t, err)
	return u
}

// member creates a customer user and returns their id.
func (b *base) member(customerID, email, role, access string, accounts []string) string {
	b.t.Helper()
	m, err := b.id.CreateMember(b.staffCtx, identity.NewMember{CustomerID: customerID, Email: email, FirstName: "N", LastName: "C",
		Role: role, AccessLevel: access, BillingAccountIDs: accounts})
	must(b.t, err)
	return m.ID
}

// token makes an API token for a user acting for a customer ("" for staff).
func (b *base) token(userID, customerID string) string {
	b.t.Helper()
	_, secret, err := b.id.CreateAPIToken(enlace.WithActor(context.Background(), &enlace.Actor{UserID: userID, CustomerID: customerID}), "tests")
	must(b.t, err)
	return secret
}

// call sends a request to srv with the token of the role as (none when
// as is empty) and a JSON body when body is not empty.
func (b *base) call(srv *httptest.Server, as, method, path, body string) response {
	b.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	must(b.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+b.tokens[as])
	}
	res, err := http.DefaultClient.Do(req)
	must(b.t, err)
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(out)}
}

// fixture is the TM Forum APIs on a real store and server, with two
// customers, a contact of each, and tokens for the roles the tests play.
type fixture struct {
	*base
	srv      *httptest.Server
	a, b     customer.Customer
	aContact *contact.Contact
	bContact *contact.Contact
}

const (
	staffAdmin = "staff admin"
	staffTech  = "staff technician"
	aAdmin     = "A admin"
	aUser      = "A user"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{base: newBase(t, "")}
	store, staffCtx := f.store, f.staffCtx
	tech := f.staff("tec@proveedor.mx", "Tomás", "Técnico", identity.StaffTechnician)
	customers := customer.NewService(store)
	contacts := contact.NewService(store, store)
	for _, c := range []*customer.Customer{&f.a, &f.b} {
		name := map[*customer.Customer]string{&f.a: "Alfa & Hijos", &f.b: "Beta"}[c]
		created, err := customers.Create(staffCtx, customer.Input{Number: "C-" + name[:4], Name: name})
		must(t, err)
		*c = *created
		_, err = customers.CreateBillingAccount(staffCtx, customer.AccountInput{CustomerID: c.ID, Number: "BA-" + name[:4], Name: "Matriz"})
		must(t, err)
	}
	var err error
	f.aContact, err = contacts.Create(staffCtx, contact.Input{CustomerID: f.a.ID, Kind: contact.KindTechnical, Principal: true,
		FirstName: "Ana", LastName: "López", Phone: "+52 1 55 1234 5678", Extension: "12", Email: "ana@alfa.mx", Role: "support", JobTitle: "NOC"})
	must(t, err)
	f.bContact, err = contacts.Create(staffCtx, contact.Input{CustomerID: f.b.ID, Kind: contact.KindAdministrative,
		FirstName: "Bruno", LastName: "Díaz", Phone: "81 1234 5678", Email: "bruno@beta.mx"})
	must(t, err)
	f.tokens[staffTech] = f.token(tech.ID, "")
	f.tokens[aAdmin] = f.token(f.member(f.a.ID, "admin@alfa.mx", identity.RoleAdmin, identity.AccessFull, nil), f.a.ID)
	f.tokens[aUser] = f.token(f.member(f.a.ID, "user@alfa.mx", identity.RoleUser, identity.AccessReadOnly, nil), f.a.ID)
	s := tmf.New(tmf.Deps{Identity: f.id, Customers: customers, Contacts: contacts, Catalog: f.catalog, Logger: slog.New(slog.DiscardHandler)})
	mux := http.NewServeMux()
	s.Register(mux)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

type response struct {
	status int
	header http.Header
	body   string
}

func (f *fixture) do(as, method, path, body string) response {
	f.t.Helper()
	return f.call(f.srv, as, method, path, body)
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

const (
	party = tmf.PartyPath
	cust  = tmf.CustomerPath
)

// TestMapping reads a contact as an Individual, a customer as an
// Organization and as a Customer.
func TestMapping(t *testing.T) {
	f := newFixture(t)
	r := f.do(staffAdmin, "GET", party+"/individual/"+f.aContact.ID, "")
	var ind tmf.Individual
	r.decode(t, &ind)
	want := tmf.Individual{ID: f.aContact.ID, Href: f.srv.URL + party + "/individual/" + f.aContact.ID, Type: "Individual",
		BaseType: "Party", GivenName: "Ana", FamilyName: "López", FullName: "Ana López",
		ContactMedium: []tmf.ContactMedium{
			{MediumType: "email", Preferred: true, Characteristic: tmf.MediumCharacteristic{EmailAddress: "ana@alfa.mx"}},
			{MediumType: "phone", Characteristic: tmf.MediumCharacteristic{PhoneNumber: "+525512345678"}}},
		PartyCharacteristic: []tmf.Characteristic{{Name: "contactKind", ValueType: "string", Value: "technical"},
			{Name: "principal", ValueType: "boolean", Value: true}, {Name: "contactRole", ValueType: "string", Value: "support"},
			{Name: "jobTitle", ValueType: "string", Value: "NOC"}, {Name: "phoneExtension", ValueType: "string", Value: "12"}},
		RelatedParty: []tmf.RelatedParty{{ID: f.a.ID, Href: f.srv.URL + party + "/organization/" + f.a.ID, Role: "employer", ReferredType: "Organization"}}}
	if diff := cmp.Diff(want, ind); diff != "" {
		t.Errorf("individual (-want +got):\n%s", diff)
	}

	r = f.do(staffAdmin, "GET", party+"/organization/"+f.a.ID, "")
	if !strings.Contains(r.body, `"tradingName":"Alfa & Hijos"`) {
		t.Errorf("organization body escapes or lacks the name: %s", r.body)
	}
	var org tmf.Organization
	r.decode(t, &org)
	if org.Status != "validated" || org.ExternalReference[0] != (tmf.ExternalReference{Name: "C-Alfa", ExternalReferenceType: "customerNumber"}) {
		t.Errorf("organization = %+v", org)
	}

	r = f.do(staffAdmin, "GET", cust+"/customer/"+f.a.ID, "")
	var cu tmf.Customer
	r.decode(t, &cu)
	if cu.EngagedParty.ID != f.a.ID || cu.EngagedParty.ReferredType != "Organization" || len(cu.Account) != 1 || cu.Account[0].ReferredType != "BillingAccount" {
		t.Errorf("customer = %+v", cu)
	}
}

// TestLifecycle: a CRM creates an organization, a customer for it, an
// individual of it, patches them and deletes them.
func TestLifecycle(t *testing.T) {
	f := newFixture(t)
	r := f.do(staffAdmin, "POST", party+"/organization", `{"tradingName":"Gamma","externalReference":[{"name":"C-900","externalReferenceType":"customerNumber"}]}`)
	if r.status != 201 {
		t.Fatalf("POST organization = %d %s", r.status, r.body)
	}
	var org tmf.Organization
	r.decode(t, &org)
	if r.header.Get("Location") != org.Href {
		t.Errorf("Location = %q, want %q", r.header.Get("Location"), org.Href)
	}
	// The customer for that organization is the same Enlace customer.
	r = f.do(staffAdmin, "POST", cust+"/customer", `{"name":"Gamma SA","engagedParty":{"id":"`+org.ID+`","@referredType":"Organization"}}`)
	var cu tmf.Customer
	r.decode(t, &cu)
	if r.status != 201 || cu.ID != org.ID || cu.Name != "Gamma SA" {
		t.Fatalf("POST customer = %d %+v", r.status, cu)
	}
	// An engagedParty Enlace does not know is created with the customer.
	r = f.do(staffAdmin, "POST", cust+"/customer", `{"name":"Moon","engagedParty":{"id":"500","@referredType":"Organization"}}`)
	var moon tmf.Customer
	r.decode(t, &moon)
	if r.status != 201 || moon.EngagedParty.ID != moon.ID || !strings.HasPrefix(moon.Characteristic[0].Value.(string), "T-") {
		t.Fatalf("POST customer with an unknown organization = %d %s", r.status, r.body)
	}
	// An individual with no organization: staff see it, no customer does.
	r = f.do(staffAdmin, "POST", party+"/individual", `{"givenName":"Jane","familyName":"Lamborgizzia"}`)
	var jane tmf.Individual
	r.decode(t, &jane)
	if r.status != 201 || len(jane.RelatedParty) != 0 {
		t.Fatalf("POST individual = %d %s", r.status, r.body)
	}
	if r := f.do(aAdmin, "GET", party+"/individual/"+jane.ID, ""); r.status != 404 {
		t.Errorf("A admin reads an unassigned individual: %d", r.status)
	}
	// Linking it to Gamma as its principal administrative contact.
	r = f.do(staffAdmin, "PATCH", party+"/individual/"+jane.ID, `{"relatedParty":[{"id":"`+org.ID+`","@referredType":"Organization"}],
		"partyCharacteristic":[{"name":"principal","value":true}],"contactMedium":[{"mediumType":"mobile","characteristic":{"phoneNumber":"+52 1 33 1234 5678"}}]}`)
	r.decode(t, &jane)
	if r.status != 200 || len(jane.RelatedParty) != 1 || jane.ContactMedium[0].Characteristic.PhoneNumber != "+523312345678" {
		t.Fatalf("PATCH individual = %d %s", r.status, r.body)
	}
	r = f.do(staffAdmin, "GET", party+"/individual?relatedParty.id="+org.ID, "")
	if r.header.Get("X-Total-Count") != "1" {
		t.Errorf("individuals of Gamma: X-Total-Count %q, body %s", r.header.Get("X-Total-Count"), r.body)
	}
	if r := f.do(staffAdmin, "DELETE", party+"/individual/"+jane.ID, ""); r.status != 204 {
		t.Errorf("DELETE individual = %d %s", r.status, r.body)
	}
	if r := f.do(staffAdmin, "GET", party+"/individual/"+jane.ID, ""); r.status != 404 {
		t.Errorf("GET deleted individual = %d", r.status)
	}
	// Deleting the customer retires it: gone here, marked in Enlace.
	if r := f.do(staffAdmin, "DELETE", cust+"/customer/"+org.ID, ""); r.status != 204 {
		t.Errorf("DELETE customer = %d %s", r.status, r.body)
	}
	if r := f.do(staffAdmin, "GET", party+"/organization/"+org.ID, ""); r.status != 404 {
		t.Errorf("GET retired organization = %d", r.status)
	}
	c, err := f.store.CustomerByID(context.Background(), org.ID)
	if err != nil || !c.Retired {
		t.Errorf("retired customer in Enlace = %+v, %v", c, err)
	}
}

// TestCollections: filters, attribute selection and the count headers.
func TestCollections(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct {
		name, path  string
		total, keys string
		status      int
	}{
		{"all organizations", party + "/organization", "2", "", 200},
		{"by trading name", party + "/organization?tradingName=Beta", "1", "", 200},
		{"by id", party + "/organization?id=" + f.a.ID, "1", "", 200},
		{"unknown filter ignored", party + "/organization?colour=red", "2", "", 200},
		{"one page of two", party + "/organization?limit=1", "2", "", 206},
		{"fields", party + "/organization?fields=tradingName", "2", "@type,href,id,tradingName", 200},
		{"individuals by family name", party + "/individual?familyName=Díaz", "1", "", 200},
		{"individuals by given name", party + "/individual?givenName=Nadie", "0", "", 200},
		{"customers by name", cust + "/customer?name=Beta", "1", "", 200},
		{"customers fields", cust + "/customer?fields=name", "2", "@type,href,id,name", 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do(staffAdmin, "GET", tt.path, "")
			if r.status != tt.status || r.header.Get("X-Total-Count") != tt.total {
				t.Fatalf("GET %s = %d, X-Total-Count %q; want %d, %s: %s", tt.path, r.status, r.header.Get("X-Total-Count"), tt.status, tt.total, r.body)
			}
			var items []map[string]any
			r.decode(t, &items)
			if r.header.Get("X-Result-Count") != strconv.Itoa(len(items)) {
				t.Errorf("X-Result-Count %q for %d items", r.header.Get("X-Result-Count"), len(items))
			}
			if tt.keys != "" && len(items) > 0 {
				var keys []string
				for k := range items[0] {
					keys = append(keys, k)
				}
				if got := strings.Join(slices.Sorted(slices.Values(keys)), ","); got != tt.keys {
					t.Errorf("keys = %s, want %s", got, tt.keys)
				}
			}
		})
	}
}

// TestTenancy: a customer token sees its own customer and contacts only,
// writes what the portal lets it write, and learns nothing of others.
func TestTenancy(t *testing.T) {
	f := newFixture(t)
	a, b := f.a.ID, f.b.ID
	individual := `{"givenName":"X","familyName":"Y"}`
	for _, tt := range []struct {
		as, method, path, body string
		status                 int
	}{
		{"", "GET", party + "/individual", "", 401},
		{aAdmin, "GET", party + "/individual/" + f.bContact.ID, "", 404},
		{aAdmin, "PATCH", party + "/individual/" + f.bContact.ID, `{"givenName":"Pwned"}`, 404},
		{aAdmin, "DELETE", party + "/individual/" + f.bContact.ID, "", 404},
		{aAdmin, "GET", party + "/organization/" + b, "", 404},
		{aAdmin, "PATCH", party + "/organization/" + b, `{"tradingName":"Pwned"}`, 404},
		{aAdmin, "DELETE", party + "/organization/" + b, "", 404},
		{aAdmin, "GET", cust + "/customer/" + b, "", 404},
		{aAdmin, "PATCH", cust + "/customer/" + b, `{"name":"Pwned"}`, 404},
		{aAdmin, "DELETE", cust + "/customer/" + b, "", 404},
		{aAdmin, "POST", party + "/individual", `{"givenName":"X","familyName":"Y","relatedParty":[{"id":"` + b + `","@referredType":"Organization"}]}`, 404},
		{aAdmin, "GET", party + "/individual/" + f.aContact.ID, "", 200},
		{aAdmin, "PATCH", party + "/organization/" + a, `{"tradingName":"Mine"}`, 403},
		{aAdmin, "POST", party + "/organization", `{"tradingName":"New"}`, 403},
		{aUser, "POST", party + "/individual", individual, 403},
		{aUser, "PATCH", party + "/individual/" + f.aContact.ID, `{"givenName":"Z"}`, 403},
		{aUser, "GET", party + "/individual/" + f.bContact.ID, "", 404},
		{staffTech, "GET", party + "/individual/" + f.bContact.ID, "", 200},
		{staffTech, "POST", party + "/individual", individual, 403},
		{staffTech, "POST", party + "/organization", `{"tradingName":"New"}`, 403},
		{staffTech, "DELETE", cust + "/customer/" + b, "", 403},
	} {
		r := f.do(tt.as, tt.method, tt.path, tt.body)
		if r.status != tt.status {
			t.Errorf("%s %s %s = %d, want %d: %s", tt.as, tt.method, tt.path, r.status, tt.status, r.body)
		}
		if r.status >= 400 {
			var e tmf.Error
			r.decode(t, &e)
			if e.Type != "Error" || e.Code == "" || e.Reason == "" || e.Status != strconv.Itoa(r.status) {
				t.Errorf("%s %s: error body %s", tt.method, tt.path, r.body)
			}
		}
	}
	// Lists hold the token's own customer only.
	for _, path := range []string{party + "/organization", party + "/individual", cust + "/customer",
		party + "/organization?id=" + b, party + "/individual?relatedParty.id=" + b} {
		r := f.do(aAdmin, "GET", path, "")
		if r.status != 200 || strings.Contains(r.body, b) || strings.Contains(r.body, "Bruno") {
			t.Errorf("A admin GET %s = %d %s", path, r.status, r.body)
		}
	}
	// B is as it was.
	c, _ := f.store.CustomerByID(context.Background(), b)
	bc, _ := f.store.ContactByID(context.Background(), f.bContact.ID)
	if c.Name != "Beta" || c.Retired || bc.FirstName != "Bruno" {
		t.Errorf("B changed: %+v %+v", c, bc)
	}
}

// TestBadInput: malformed or invalid bodies get a TMF error and change
// nothing.
func TestBadInput(t *testing.T) {
	f := newFixture(t)
	count := func() int {
		_, n, err := f.store.FindContacts(context.Background(), contact.Filter{Limit: 1})
		must(t, err)
		_, m, err := f.store.FindCustomers(context.Background(), customer.Filter{Limit: 1})
		must(t, err)
		return n + m
	}
	before := count()
	for _, tt := range []struct {
		name, method, path, body, contentType string
		status                                int
		message                               string
	}{
		{"not JSON", "POST", party + "/individual", `{"givenName":`, "", 400, "JSON"},
		{"an array", "POST", party + "/individual", `[]`, "", 400, "object"},
		{"wrong type", "POST", party + "/individual", `{"givenName":1,"familyName":"Y"}`, "", 400, "givenName"},
		{"no family name", "POST", party + "/individual", `{"givenName":"X"}`, "", 400, "familyName"},
		{"bad phone", "POST", party + "/individual", `{"givenName":"X","familyName":"Y","contactMedium":[{"mediumType":"phone","characteristic":{"phoneNumber":"12"}}]}`, "", 400, "contactMedium.phoneNumber"},
		{"principal not boolean", "POST", party + "/individual", `{"givenName":"X","familyName":"Y","partyCharacteristic":[{"name":"principal","value":"yes"}]}`, "", 400, "principal"},
		{"unknown organization", "POST", party + "/individual", `{"givenName":"X","familyName":"Y","relatedParty":[{"id":"nope","@referredType":"Organization"}]}`, "", 400, "relatedParty"},
		{"no trading name", "POST", party + "/organization", `{}`, "", 400, "name"},
		{"number taken", "POST", party + "/organization", `{"tradingName":"Z","externalReference":[{"name":"C-Beta","externalReferenceType":"customerNumber"}]}`, "", 400, "customerNumber"},
		{"bad status", "PATCH", party + "/organization/" + f.a.ID, `{"status":"dancing"}`, "", 400, "status"},
		{"customer without engaged party", "POST", cust + "/customer", `{"name":"Z"}`, "", 400, "engagedParty"},
		{"customer engaging an individual", "POST", cust + "/customer", `{"name":"Z","engagedParty":{"id":"1","@referredType":"Individual"}}`, "", 400, "engagedParty"},
		{"engaged party not patchable", "PATCH", cust + "/customer/" + f.a.ID, `{"engagedParty":{"id":"` + f.b.ID + `"}}`, "", 400, "engagedParty"},
		{"wrong media type", "POST", party + "/individual", `givenName=X`, "text/plain", 415, "application/json"},
		{"bad limit", "GET", party + "/individual?limit=0", "", "", 400, "limit"},
		{"unknown route", "GET", party + "/party", "", "", 404, ""},
		{"method not allowed", "PUT", party + "/individual/" + f.aContact.ID, `{}`, "", 405, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, f.srv.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Authorization", "Bearer "+f.tokens[staffAdmin])
			req.Header.Set("Accept-Language", "en")
			ct := tt.contentType
			if ct == "" {
				ct = "application/json"
			}
			req.Header.Set("Content-Type", ct)
			res, err := http.DefaultClient.Do(req)
			must(t, err)
			defer res.Body.Close()
			var e tmf.Error
			if err := json.NewDecoder(res.Body).Decode(&e); err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tt.status || e.Type != "Error" || e.Status != strconv.Itoa(tt.status) || !strings.Contains(e.Message, tt.message) {
				t.Errorf("%s %s = %d %+v; want %d mentioning %q", tt.method, tt.path, res.StatusCode, e, tt.status, tt.message)
			}
		})
	}
	if after := count(); after != before {
		t.Errorf("refused requests changed the data: %d rows, then %d", before, after)
	}
}
