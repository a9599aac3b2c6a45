package api

import (
	"net/http"
	"net/url"

	"github.com/enlace-portal/enlace/internal/customer"
)

// customerRoutes serve customers and their billing accounts.
var customerRoutes = []route{
	{method: "GET", path: "/customers", query: listParams("q", "retired"), handle: (*API).listCustomers},
	{method: "POST", path: "/customers", handle: (*API).createCustomer},
	{method: "GET", path: "/customers/{id}", handle: (*API).getCustomer},
	{method: "PATCH", path: "/customers/{id}", handle: (*API).updateCustomer},
	{method: "GET", path: "/customers/{id}/billing-accounts", query: pageParams, handle: (*API).listBillingAccounts},
}

// listCustomers pages through the customers the token may see: every
// customer for staff, retired ones included and marked; its own for a
// customer user.
func (a *API) listCustomers(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	p := q.page(MaxLimit)
	f := customer.Filter{Query: q.str("q"), Retired: q.boolean("retired"), Offset: p.Offset, Limit: p.Limit}
	if err := q.err(); err != nil {
		return err
	}
	cs, total, err := a.Customers.Find(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, cs, total, p)
}

func (a *API) getCustomer(w http.ResponseWriter, r *http.Request) error {
	c, err := a.Customers.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// customerRequest is the body of POST /customers.
type customerRequest struct {
	Number string `json:"number"`
	Name   string `json:"name"`
}

func (a *API) createCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customerRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	c, err := a.Customers.Create(r.Context(), customer.Input{Number: in.Number, Name: in.Name})
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/customers/"+url.PathEscape(c.ID))
	return writeJSON(w, http.StatusCreated, c)
}

// customerPatch is the body of PATCH /customers/{id}; retired true
// retires the customer, false reinstates it.
type customerPatch struct {
	Number  *string `json:"number"`
	Name    *string `json:"name"`
	Retired *bool   `json:"retired"`
}

func (a *API) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customerPatch
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	cur, err := a.Customers.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	u := customer.Input{Number: cur.Number, Name: cur.Name, Retired: cur.Retired}
	set(&u.Number, in.Number)
	set(&u.Name, in.Name)
	set(&u.Retired, in.Retired)
	c, err := a.Customers.Update(r.Context(), cur.ID, u)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// listBillingAccounts lists a customer's billing accounts the token may
// see; the service returns them whole and the page is cut here.
func (a *API) listBillingAccounts(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	p := q.page(MaxLimit)
	if err := q.err(); err != nil {
		return err
	}
	bs, err := a.Customers.BillingAccounts(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeList(w, window(bs, p), len(bs), p)
}
