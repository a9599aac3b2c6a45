package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

func TestCreateAndEditUser(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	admin := e.signedIn(tn.admin.Email)
	admin.get("/users/new").want(t, 200, "").contains(t, `name="billing_accounts"`, tn.account.Number)

	form := url.Values{"email": {"no-es-correo"}, "first_name": {"María"}, "last_name": {""}, "locale": {"es-MX"},
		"role": {"billing"}, "access_level": {"full"}, "corporate_area": {"Finanzas"}, "billing_accounts": {tn.account.ID}}
	r := admin.post("/users/new", form).want(t, 422, "")
	r.contains(t, `id="error-summary"`, `id="email-error"`, `id="last_name-error"`, `value="María"`, `value="Finanzas"`,
		`value="no-es-correo"`, `value="`+tn.account.ID+`" id="ba-`+tn.account.ID+`" checked`, `<option value="billing" selected>`)

	form.Set("billing_accounts", "not-an-account")
	form.Set("email", "maria@acme.mx")
	form.Set("last_name", "López")
	admin.post("/users/new", form).want(t, 422, "").contains(t, `class="field-error"`)

	form.Set("billing_accounts", tn.account.ID)
	admin.post("/users/new", form).want(t, 303, "/users")
	list := admin.get("/users?q=maria").want(t, 200, "").contains(t, "maria@acme.mx", `id="flash"`)
	if strings.Contains(list.body, tn.user.Email) {
		t.Error("search for maria lists another user")
	}
	admin.get("/users?role=billing").want(t, 200, "").contains(t, "maria@acme.mx")
	admin.get("/users?role=nonsense").want(t, 200, "").contains(t, `id="error-summary"`)
	id := idAfter(t, list.body, `<a href="/users/`)

	admin.get("/users/"+id).want(t, 200, "").contains(t, `value="maria@acme.mx"`, `name="disabled"`)
	edit := url.Values{"email": {"maria@acme.mx"}, "first_name": {"María"}, "last_name": {"López"}, "role": {"superuser"},
		"access_level": {"full"}, "corporate_area": {"Finanzas"}}
	admin.post("/users/"+id, edit).want(t, 422, "").contains(t, `value="Finanzas"`)
	edit.Set("disabled", "maybe")
	admin.post("/users/"+id, edit).want(t, 400, "")
	edit.Set("disabled", "1")
	edit.Set("role", "technical")
	admin.post("/users/"+id, edit).want(t, 303, "/users")
	admin.get("/users?q=maria").want(t, 200, "").contains(t, "status-disabled")
}

func TestStaffAdminCreatesStaffUser(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	c := e.signedIn(e.admin.Email)
	c.get("/users").want(t, 200, "").contains(t, `id="choose-customer"`, tn.customer.Name)
	c.get("/users?customer="+tn.customer.ID).want(t, 200, "").contains(t, tn.admin.Email, tn.user.Email)
	c.get("/users?tab=staff").want(t, 200, "").contains(t, e.admin.Email, `id="staff-new"`)

	c.post("/staff/new", url.Values{"email": {"x"}, "first_name": {"Sam"}, "last_name": {"Soporte"}, "role": {"support"}, "locale": {"en"}}).
		want(t, 422, "").contains(t, `value="Sam"`, `id="email-error"`)
	r := c.post("/staff/new", url.Values{"email": {"sam@proveedor.mx"}, "first_name": {"Sam"}, "last_name": {"Soporte"},
		"role": {"support"}, "locale": {"en"}}).want(t, 200, "").contains(t, `id="temp-password"`)
	if !strings.Contains(r.body, "sam@proveedor.mx") {
		t.Error("confirmation lacks the new user's e-mail")
	}
	// Staff admins edit a customer's users through ?customer=.
	c.get("/users/"+tn.user.ID+"?customer="+tn.customer.ID).want(t, 200, "").contains(t, tn.user.Email)
}

func TestUserFormOffersRetiredAccountsOnlyWhereAssigned(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	tn.account.Retired = true
	must(t, e.store.UpdateBillingAccount(context.Background(), &tn.account))
	c := e.signedIn(tn.admin.Email)
	// The new-user form does not offer it; the end user it is assigned to keeps it, marked.
	if r := c.get("/users/new").want(t, 200, ""); strings.Contains(r.body, `value="`+tn.account.ID+`"`) {
		t.Error("the new-user form offers a retired billing account")
	}
	c.get("/users/"+tn.user.ID).want(t, 200, "").contains(t, `value="`+tn.account.ID+`"`, "dada de baja")
}
