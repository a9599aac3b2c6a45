package api

import (
	"net/http"
	"net/url"

	"github.com/enlace-portal/enlace/internal/customer"
)

// billingAccountRoutes serve billing accounts on their own: staff list
// and change any, a customer user reads those they may see.
var billingAccountRoutes = []route{
	{method: "GET", path: "/billing-accounts", query: listParams("customerId", "q", "retired"), handle: (*API).findBillingAccounts},
	{method: "POST", path: "/billing-accounts", handle: (*API).createBillingAccount},
	{method: "GET", path: "/billing-accounts/{id}", handle: (*API).getBillingAccount},
	{method: "PATCH", path: "/billing-accounts/{id}", handle: (*API).updateBillingAccount},
}

func (a *API) findBillingAccounts(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	p := q.page(MaxLimit)
	f := customer.AccountFilter{CustomerID: q.str("customerId"), Query: q.str("q"), Retired: q.boolean("retired"),
		Offset: p.Offset, Limit: p.Limit}
	if err := q.err(); err != nil {
		return err
	}
	bs, total, err := a.Customers.FindBillingAccounts(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, bs, total, p)
}

func (a *API) getBillingAccount(w http.ResponseWriter, r *http.Request) error {
	b, err := a.Customers.BillingAccount(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

// billingAccountRequest is the body of POST /billing-accounts.
type billingAccountRequest struct {
	CustomerID string `json:"customerId"`
	Number     string `json:"number"`
	Name       string `json:"name"`
}

func (a *API) createBillingAccount(w http.ResponseWriter, r *http.Request) error {
	var in billingAccountRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	b, err := a.Customers.CreateBillingAccount(r.Context(), customer.AccountInput{CustomerID: in.CustomerID, Number: in.Number, Name: in.Name})
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/billing-accounts/"+url.PathEscape(b.ID))
	return writeJSON(w, http.StatusCreated, b)
}

// billingAccountPatch is the body of PATCH /billing-accounts/{id}; the
// customer of an account does not change.
type billingAccountPatch struct {
	Number  *string `json:"number"`
	Name    *string `json:"name"`
	Retired *bool   `json:"retired"`
}

func (a *API) updateBillingAccount(w http.ResponseWriter, r *http.Request) error {
	var in billingAccountPatch
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	cur, err := a.Customers.BillingAccount(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	u := customer.AccountInput{Number: cur.Number, Name: cur.Name, Retired: cur.Retired}
	set(&u.Number, in.Number)
	set(&u.Name, in.Name)
	set(&u.Retired, in.Retired)
	b, err := a.Customers.UpdateBillingAccount(r.Context(), cur.ID, u)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}
