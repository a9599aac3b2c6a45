package web_test

import (
	"net/url"
	"strings"
	"testing"
)

func TestRegistrationApprovedByCustomerAdmin(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	anon := e.client()
	anon.get("/register").want(t, 200, "").contains(t, `name="customer_number"`, `name="account_number"`, `name="invoice_number"`)

	form := url.Values{"customer_number": {tn.customer.Number}, "account_number": {tn.account.Number},
		"invoice_number": {"F-does-not-exist"}, "email": {"juan@acme.mx"}, "first_name": {"Juan"},
		"last_name": {"Pérez"}, "corporate_area": {"Sistemas"}, "locale": {"es-MX"}}
	anon.post("/register", form).want(t, 422, "").
		contains(t, `id="error-summary"`, `value="Juan"`, `value="Sistemas"`, `value="juan@acme.mx"`)
	form.Set("first_name", "")
	anon.post("/register", form).want(t, 422, "").contains(t, `id="first_name-error"`, `value="Pérez"`)

	form.Set("first_name", "Juan")
	form.Set("invoice_number", tn.invoiceNumbs[2])
	anon.post("/register", form).want(t, 200, "").contains(t, `id="register-sent"`, "juan@acme.mx")

	admin := e.signedIn(tn.admin.Email)
	admin.get("/").want(t, 200, "").contains(t, `id="pending-requests">1<`)
	list := admin.get("/access-requests").want(t, 200, "").contains(t, "juan@acme.mx")
	id := idAfter(t, list.body, `href="/access-requests/`)

	detail := admin.get("/access-requests/"+id).want(t, 200, "").contains(t, `id="approve-form"`, `id="reject-form"`)
	if !strings.Contains(detail.body, tn.invoiceNumbs[2]) {
		t.Error("request page lacks the invoice number")
	}
	admin.post("/access-requests/"+id+"/reject", url.Values{"reason": {"  "}}).want(t, 422, "").contains(t, `maxlength="500" aria-invalid="true"`, `class="field-error"`)
	admin.post("/access-requests/"+id+"/approve", url.Values{"role": {"root"}, "access_level": {"full"}}).want(t, 422, "")
	admin.post("/access-requests/"+id+"/approve", url.Values{"role": {"technical"}, "access_level": {"full"}}).
		want(t, 303, "/access-requests/"+id)
	admin.get("/access-requests/"+id).want(t, 200, "").contains(t, `id="request-status">`)
	if strings.Contains(admin.get("/access-requests/"+id).body, `id="approve-form"`) {
		t.Error("a decided request still offers the approve form")
	}
	admin.post("/access-requests/"+id+"/reject", url.Values{"reason": {"tarde"}}).want(t, 409, "")

	// The new user signs in with the temporary password from the e-mail.
	juan := e.signedIn("juan@acme.mx")
	juan.get("/").want(t, 200, "").contains(t, "Juan")
}
