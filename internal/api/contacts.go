package api

import (
	"net/http"
	"net/url"

	"github.com/enlace-portal/enlace/internal/contact"
)

// contactRoutes serve the administrative and technical contacts (B3).
var contactRoutes = []route{
	{method: "GET", path: "/contacts", query: listParams("customerId", "kind", "q"), handle: (*API).listContacts},
	{method: "POST", path: "/contacts", handle: (*API).createContact},
	{method: "GET", path: "/contacts/{id}", handle: (*API).getContact},
	{method: "PATCH", path: "/contacts/{id}", handle: (*API).updateContact},
	{method: "DELETE", path: "/contacts/{id}", handle: (*API).deleteContact},
}

func (a *API) listContacts(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	p := q.page(MaxLimit)
	f := contact.Filter{CustomerID: q.str("customerId"), Kind: q.oneOf("kind", contact.Kinds), Query: q.str("q"),
		Offset: p.Offset, Limit: p.Limit}
	if err := q.err(); err != nil {
		return err
	}
	cs, total, err := a.Contacts.Find(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, cs, total, p)
}

func (a *API) getContact(w http.ResponseWriter, r *http.Request) error {
	c, err := a.Contacts.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// contactRequest is the body of POST /contacts; a customer user's
// contact is for their own customer, staff name it.
type contactRequest struct {
	CustomerID string `json:"customerId"`
	Kind       string `json:"kind"`
	Principal  bool   `json:"principal"`
	FirstName  string `json:"firstName"`
	LastName   string `json:"lastName"`
	Phone      string `json:"phone"`
	Extension  string `json:"extension"`
	Mobile     string `json:"mobile"`
	Role       string `json:"contactRole"`
	Email      string `json:"email"`
	JobTitle   string `json:"jobTitle"`
}

func (a *API) createContact(w http.ResponseWriter, r *http.Request) error {
	var in contactRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	c, err := a.Contacts.Create(r.Context(), contact.Input(in))
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/contacts/"+url.PathEscape(c.ID))
	return writeJSON(w, http.StatusCreated, c)
}

// contactPatch is the body of PATCH /contacts/{id}: members left out keep
// their value; the customer does not change.
type contactPatch struct {
	Kind      *string `json:"kind"`
	Principal *bool   `json:"principal"`
	FirstName *string `json:"firstName"`
	LastName  *string `json:"lastName"`
	Phone     *string `json:"phone"`
	Extension *string `json:"extension"`
	Mobile    *string `json:"mobile"`
	Role      *string `json:"contactRole"`
	Email     *string `json:"email"`
	JobTitle  *string `json:"jobTitle"`
}

func (a *API) updateContact(w http.ResponseWriter, r *http.Request) error {
	var in contactPatch
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	cur, err := a.Contacts.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	u := contact.Input{CustomerID: cur.CustomerID, Kind: cur.Kind, Principal: cur.Principal, FirstName: cur.FirstName,
		LastName: cur.LastName, Phone: cur.Phone, Extension: cur.Extension, Mobile: cur.Mobile, Role: cur.Role,
		Email: cur.Email, JobTitle: cur.JobTitle}
	set(&u.Kind, in.Kind)
	set(&u.Principal, in.Principal)
	set(&u.FirstName, in.FirstName)
	set(&u.LastName, in.LastName)
	set(&u.Phone, in.Phone)
	set(&u.Extension, in.Extension)
	set(&u.Mobile, in.Mobile)
	set(&u.Role, in.Role)
	set(&u.Email, in.Email)
	set(&u.JobTitle, in.JobTitle)
	c, err := a.Contacts.Update(r.Context(), cur.ID, u)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (a *API) deleteContact(w http.ResponseWriter, r *http.Request) error {
	if err := a.Contacts.Delete(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
