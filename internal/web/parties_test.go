package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/identity"
)

// contactOf gives a tenant a principal technical contact, as staff.
func (e *env) contactOf(tn *tenant, first string) *contact.Contact {
	e.t.Helper()
	c, err := contact.NewService(e.store, e.store).Create(e.staffCtx(), contact.Input{CustomerID: tn.customer.ID,
		Kind: contact.KindTechnical, Principal: true, FirstName: first, LastName: "Contacto", Phone: "55 1234 5678",
		Email: strings.ToLower(first) + "@" + strings.ToLower(tn.customer.Name) + ".mx"})
	must(e.t, err)
	return c
}

var contactForm = url.Values{"kind": {"administrative"}, "first_name": {"Eva"}, "last_name": {"Ruiz"},
	"phone": {"+52 1 33 1234 5678"}, "email": {"eva@alfa.mx"}, "principal": {"1"}, "contact_role": {"billing"}}

// TestTenancyParties walks every customer, billing-account and contact
// page as users who must not reach another tenant's, or whose role does
// not reach them: 404 for another tenant's object, 403 for a page the
// role does not reach.
func TestTenancyParties(t *testing.T) {
	e := newEnv(t)
	a, b := e.newTenant("Alfa"), e.newTenant("Beta")
	aC, bC := e.contactOf(a, "Ana"), e.contactOf(b, "Bruno")
	clients := map[string]*client{
		"A admin":    e.signedIn(a.admin.Email),
		"A user":     e.signedIn(a.user.Email),
		"technician": e.signedIn(e.newStaff(identity.StaffTechnician)),
		"pm":         e.signedIn(e.newStaff(identity.StaffPM)),
		"exec":       e.signedIn(e.newStaff(identity.StaffAccountExec)),
	}
	cust := url.Values{"number": {"X-1"}, "name": {"X"}}
	edit := url.Values{"number": {b.customer.Number}, "name": {"Pwned"}, "retired": {"1"}}
	acct := url.Values{"number": {b.account.Number}, "name": {"Pwned"}, "retired": {"1"}}
	bID, bAcct := b.customer.ID, b.account.ID
	tests := []struct {
		who, method, path string
		form              url.Values
		want              int
	}{
		{"A admin", "GET", "/contacts/" + bC.ID, nil, 404},
		{"A admin", "POST", "/contacts/" + bC.ID, contactForm, 404},
		{"A admin", "POST", "/contacts/" + bC.ID + "/delete", nil, 404},
		{"A admin", "GET", "/contacts?customer=" + bID, nil, 200}, // ?customer= is a staff choice: A sees A's
		{"A admin", "GET", "/contacts/new?customer=" + bID, nil, 200},
		{"A admin", "GET", "/customers/" + bID, nil, 404},
		{"A admin", "GET", "/customers/" + bID + "/edit", nil, 404},
		{"A admin", "POST", "/customers/" + bID + "/edit", edit, 404},
		{"A admin", "GET", "/customers/" + bID + "/accounts/new", nil, 404},
		{"A admin", "POST", "/customers/" + bID + "/accounts/new", cust, 404},
		{"A admin", "GET", "/billing-accounts/" + bAcct + "/edit", nil, 404},
		{"A admin", "POST", "/billing-accounts/" + bAcct + "/edit", acct, 404},
		{"A admin", "GET", "/customers", nil, 403},
		{"A admin", "GET", "/customers/new", nil, 403},
		{"A admin", "POST", "/customers/new", cust, 403},
		{"A admin", "GET", "/customers/" + a.customer.ID, nil, 403},
		{"A admin", "GET", "/contacts/" + aC.ID, nil, 200},
		{"A admin", "GET", "/contacts", nil, 200},
		{"A admin", "GET", "/account", nil, 200},

		{"A user", "GET", "/contacts", nil, 200},
		{"A user", "GET", "/contacts/" + aC.ID, nil, 403},
		{"A user", "POST", "/contacts/" + aC.ID, contactForm, 403},
		{"A user", "POST", "/contacts/" + aC.ID + "/delete", nil, 403},
		{"A user", "GET", "/contacts/new", nil, 403},
		{"A user", "POST", "/contacts/new", contactForm, 403},
		{"A user", "GET", "/contacts/" + bC.ID, nil, 404},
		{"A user", "GET", "/account", nil, 200},

		{"technician", "GET", "/customers", nil, 200},
		{"technician", "GET", "/customers/" + bID, nil, 200},
		{"technician", "GET", "/customers/new", nil, 403},
		{"technician", "POST", "/customers/new", cust, 403},
		{"technician", "GET", "/customers/" + bID + "/edit", nil, 403},
		{"technician", "POST", "/customers/" + bID + "/edit", edit, 403},
		{"technician", "POST", "/customers/" + bID + "/accounts/new", cust, 403},
		{"technician", "POST", "/billing-accounts/" + bAcct + "/edit", acct, 403},
		{"technician", "GET", "/contacts?customer=" + bID, nil, 200},
		{"technician", "GET", "/contacts/" + bC.ID, nil, 403},
		{"technician", "POST", "/contacts/" + bC.ID, contactForm, 403},
		{"technician", "POST", "/contacts/new?customer=" + bID, contactForm, 403},
		{"technician", "GET", "/account", nil, 303},
		{"pm", "GET", "/customers/" + bID + "/edit", nil, 403},
		{"pm", "POST", "/contacts/" + bC.ID + "/delete", nil, 403},
		{"exec", "GET", "/customers/" + bID + "/edit", nil, 200},
		{"exec", "GET", "/billing-accounts/" + bAcct + "/edit", nil, 200},
		{"exec", "GET", "/contacts/" + bC.ID, nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.who+" "+tt.method+" "+tt.path, func(t *testing.T) {
			c := clients[tt.who]
			var r resp
			if tt.method == http.MethodPost {
				r = c.post(tt.path, tt.form)
			} else {
				r = c.get(tt.path)
			}
			if r.status != tt.want {
				t.Errorf("%s %s as %s = %d, want %d\n%s", tt.method, tt.path, tt.who, r.status, tt.want, r.body)
			}
			if r.status == 200 && strings.Contains(r.body, "Bruno") && tt.who[0] == 'A' {
				t.Errorf("%s %s shows B's contact to %s", tt.method, tt.path, tt.who)
			}
		})
	}
	// Nothing of B changed.
	c, err := e.store.CustomerByID(t.Context(), bID)
	must(t, err)
	ba, err := e.store.BillingAccountByID(t.Context(), bAcct)
	must(t, err)
	k, err := e.store.ContactByID(t.Context(), bC.ID)
	must(t, err)
	if c.Name != "Beta" || c.Retired || ba.Retired || k.FirstName != "Bruno" {
		t.Errorf("B changed: %+v %+v %+v", c, ba, k)
	}
	_, n, err := e.store.FindContacts(t.Context(), contact.Filter{Limit: 1})
	must(t, err)
	if n != 2 {
		t.Errorf("%d contacts, want the 2 made by staff", n)
	}
}

// TestCustomerPages: an account executive creates a customer and an
// account, meets the number-taken message on the field, and retires them;
// retired ones are marked and left out of the pickers.
func TestCustomerPages(t *testing.T) {
	e := newEnv(t)
	a := e.newTenant("Alfa")
	exec := e.signedIn(e.newStaff(identity.StaffAccountExec))
	exec.get("/customers").want(t, 200, "").contains(t, `id="customer-new"`, "Alfa", a.customer.Number)
	exec.post("/customers/new", url.Values{"number": {a.customer.Number}, "name": {"Otra"}}).want(t, 422, "").
		contains(t, `id="number-error"`, "Ya existe un cliente con ese número.", `value="Otra"`)
	exec.post("/customers/new", url.Values{"number": {""}, "name": {""}}).want(t, 422, "").
		contains(t, "Escriba el número.", "Escriba el nombre.")
	r := exec.post("/customers/new", url.Values{"number": {"C-900"}, "name": {"Gamma"}})
	if r.status != 303 || !strings.HasPrefix(r.location, "/customers/") {
		t.Fatalf("create customer = %d %s", r.status, r.location)
	}
	id := strings.TrimPrefix(r.location, "/customers/")
	exec.get(r.location).want(t, 200, "").contains(t, "Cliente creado.", "C-900", `id="account-new"`)
	exec.post("/customers/"+id+"/accounts/new", url.Values{"number": {a.account.Number}, "name": {"X"}}).want(t, 422, "").
		contains(t, "Ya existe una cuenta de facturación con ese número.")
	exec.post("/customers/"+id+"/accounts/new", url.Values{"number": {"BA-900"}, "name": {"Matriz"}}).want(t, 303, "/customers/"+id)
	bs, _, err := e.store.FindBillingAccounts(t.Context(), customer.AccountFilter{CustomerID: &id, Limit: 5})
	must(t, err)
	exec.post("/billing-accounts/"+bs[0].ID+"/edit", url.Values{"number": {"BA-900"}, "name": {"Matriz"}, "retired": {"1"}}).want(t, 303, "/customers/"+id)
	exec.post("/customers/"+id+"/edit", url.Values{"number": {"C-900"}, "name": {"Gamma"}, "retired": {"1"}}).want(t, 303, "/customers/"+id)
	exec.post("/customers/"+id+"/edit", url.Values{"number": {"C-900"}, "name": {"Gamma"}, "retired": {"yes"}}).want(t, 400, "")
	exec.get("/customers/"+id).want(t, 200, "").contains(t, `id="customer-retired"`, "Dado de baja")
	if r := exec.get("/customers"); strings.Contains(r.body, "Gamma") {
		t.Error("a retired customer is in the active list")
	}
	exec.get("/customers?show=retired").want(t, 200, "").contains(t, "Gamma")
	exec.get("/customers?q=alf&show=all").want(t, 200, "").contains(t, "Alfa")
	// Out of the pickers: the users and contacts customer choice.
	if r := exec.get("/contacts"); strings.Contains(r.body, "Gamma") || !strings.Contains(r.body, "Alfa") {
		t.Errorf("contacts picker:\n%s", r.body)
	}
}

// TestContactPages: a customer administrator keeps their contacts; phones
// are shown in national format, the principal flag moves, the form marks
// what is required and reports bad phones on the field.
func TestContactPages(t *testing.T) {
	e := newEnv(t)
	a := e.newTenant("Alfa")
	old := e.contactOf(a, "Ana")
	old, err := contact.NewService(e.store, e.store).Update(e.staffCtx(), old.ID, contact.Input{Kind: contact.KindAdministrative,
		Principal: true, FirstName: "Ana", LastName: "Contacto", Phone: "55 1234 5678", Email: "ana@alfa.mx"})
	must(t, err)
	admin := e.signedIn(a.admin.Email)
	admin.get("/contacts").want(t, 200, "").contains(t, "Contactos administrativos", "Contactos técnicos",
		`id="contact-new-administrative"`, "55 1234 5678", `id="principal-`+old.ID+`"`)
	admin.get("/contacts/new?kind=technical").want(t, 200, "").contains(t, "Teléfono *", "Correo electrónico *",
		`<option value="technical" selected>`, `id="required-note"`)
	bad := url.Values{"kind": {"administrative"}, "first_name": {"Eva"}, "last_name": {""}, "phone": {"12 34"}, "email": {"eva@"}}
	admin.post("/contacts/new", bad).want(t, 422, "").contains(t, `id="phone-error"`, `id="last_name-error"`, `id="email-error"`, `value="12 34"`)
	admin.post("/contacts/new", contactForm).want(t, 303, "/contacts")
	r := admin.get("/contacts").want(t, 200, "").contains(t, "Contacto creado.", "Eva Ruiz", "33 1234 5678", "Facturación")
	if strings.Contains(r.body, `id="principal-`+old.ID+`"`) {
		t.Error("the old principal administrative contact kept its flag")
	}
	k, _, err := e.store.FindContacts(t.Context(), contact.Filter{Query: ptr("eva"), Limit: 1})
	must(t, err)
	if k[0].Phone != "+523312345678" || !k[0].Principal {
		t.Errorf("stored contact = %+v", k[0])
	}
	admin.get("/contacts/"+k[0].ID).want(t, 200, "").contains(t, `value="33 1234 5678"`, `id="contact-delete"`)
	edit := url.Values{"kind": {"administrative"}, "first_name": {"Eva"}, "last_name": {"Ruiz"}, "phone": {"33 1234 5678"},
		"extension": {"204"}, "email": {"eva@alfa.mx"}, "job_title": {"Contralora"}}
	admin.post("/contacts/"+k[0].ID, edit).want(t, 303, "/contacts")
	admin.get("/contacts").want(t, 200, "").contains(t, "Contralora", "ext. 204")
	admin.post("/contacts/"+k[0].ID+"/delete", nil).want(t, 303, "/contacts")
	admin.get("/contacts/"+k[0].ID).want(t, 404, "")
	// The end user reads them, without the buttons.
	if r := e.signedIn(a.user.Email).get("/contacts").want(t, 200, "").contains(t, "Ana"); strings.Contains(r.body, "contact-new-") {
		t.Error("a read-only user is offered to create contacts")
	}
	// B4: the accounts the user can see.
	e.signedIn(a.user.Email).get("/account").want(t, 200, "").contains(t, a.account.Number, a.account.Name, a.customer.Number)
}

func ptr[T any](v T) *T { return &v }

// TestPartiesPagesInEveryLanguage renders every customer, account and
// contact page in the three languages and looks for untranslated keys.
func TestPartiesPagesInEveryLanguage(t *testing.T) {
	e := newEnv(t)
	a := e.newTenant("Alfa")
	k := e.contactOf(a, "Ana")
	staff := e.signedIn(e.admin.Email)
	admin := e.signedIn(a.admin.Email)
	id := a.customer.ID
	pages := []struct {
		c    *client
		path string
	}{
		{staff, "/customers"}, {staff, "/customers/new"}, {staff, "/customers/" + id}, {staff, "/customers/" + id + "/edit"},
		{staff, "/customers/" + id + "/accounts/new"}, {staff, "/billing-accounts/" + a.account.ID + "/edit"},
		{staff, "/contacts"}, {staff, "/contacts?customer=" + id}, {staff, "/contacts/new?customer=" + id},
		{admin, "/account"}, {admin, "/contacts"}, {admin, "/contacts/new"}, {admin, "/contacts/" + k.ID},
	}
	for _, lang := range []string{"es-MX", "en", "de"} {
		for _, c := range []*client{staff, admin} {
			c.post("/lang", url.Values{"lang": {lang}, "next": {"/"}}).want(t, 303, "/")
		}
		for _, pg := range pages {
			r := pg.c.get(pg.path)
			if !strings.Contains(r.body, `<html lang="`+lang+`">`) {
				t.Errorf("GET %s is not in %s", pg.path, lang)
			}
			if r.status != 200 {
				t.Errorf("%s GET %s = %d", lang, pg.path, r.status)
				continue
			}
			if m := rawKey.FindString(r.body); m != "" {
				t.Errorf("%s GET %s shows the key %s", lang, pg.path, m)
			}
		}
	}
	// A form with errors, in the last language.
	admin.post("/contacts/new", url.Values{"kind": {"x"}}).want(t, 422, "").contains(t, "Dieses Feld ist erforderlich.")
}
