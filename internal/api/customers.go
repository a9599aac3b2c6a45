package api

import (
	"net/http"
)

// listCustomers lists the customers the token may see: every customer for
// staff, its own for a customer user. The service returns them whole; the
// page is cut here.
// customerRoutes serve customers and their billing accounts.
var customerRoutes = []route{
	{method: "GET", path: "/customers", query: pageParams, handle: (*API).listCustomers},
	{method: "GET", path: "/customers/{id}", handle: (*API).getCustomer},
	{method: "GET", path: "/customers/{id}/billing-accounts", query: pageParams, handle: (*API).listBillingAccounts},
}

func (a *API) listCustomers(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	p := q.page(MaxLimit)
	if err := q.err(); err != nil {
		return err
	}
	cs, err := a.Customers.List(r.Context())
	if err != nil {
		return err
	}
	return writeList(w, window(cs, p), len(cs), p)
}

func (a *API) getCustomer(w http.ResponseWriter, r *http.Request) error {
	c, err := a.Customers.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// listBillingAccounts lists a customer's billing accounts the token may
// see; like listCustomers it pages a whole list.
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
