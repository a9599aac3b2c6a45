package api

import (
	"net/http"
	"net/url"

	"github.com/enlace-portal/enlace/internal/inventory"
)

// inventoryRoutes serve sites and services (B1, B2).
var inventoryRoutes = []route{
	{method: "GET", path: "/sites", query: listParams("customerId", "state", "q"), handle: (*API).listSites},
	{method: "POST", path: "/sites", handle: (*API).createSite},
	{method: "GET", path: "/sites/{id}", handle: (*API).getSite},
	{method: "PATCH", path: "/sites/{id}", handle: (*API).updateSite},
	{method: "POST", path: "/sites/{id}/retire", handle: (*API).retireSite},

	{method: "GET", path: "/services", query: listParams("customerId", "state", "category", "status", "billingAccountId", "siteId", "q"),
		handle: (*API).listServices},
	{method: "POST", path: "/services", handle: (*API).createService},
	{method: "GET", path: "/services/{id}", handle: (*API).getService},
	{method: "PATCH", path: "/services/{id}", handle: (*API).updateService},
	{method: "POST", path: "/services/{id}/retire", handle: (*API).retireService},
}

// otherRegion is the state parameter of sites and services outside Mexico.
const otherRegion = "other"

// stateCodes are the values the state parameter takes.
var stateCodes = func() []string {
	codes := []string{otherRegion}
	for _, s := range inventory.States {
		codes = append(codes, s.Code)
	}
	return codes
}()

// stateFilter reads the state parameter: a state code, or "other".
func (q *query) stateFilter() *string {
	v := q.oneOf("state", stateCodes)
	if v != nil && *v == otherRegion {
		return new(string)
	}
	return v
}

func (a *API) listSites(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	p := q.page(MaxLimit)
	f := inventory.SiteFilter{State: q.stateFilter(), Query: q.str("q"), Offset: p.Offset, Limit: p.Limit}
	if c := q.str("customerId"); c != nil {
		f.CustomerID = *c
	}
	if err := q.err(); err != nil {
		return err
	}
	sites, total, err := a.Inventory.Sites(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, sites, total, p)
}

// siteRequest is the body of POST /sites.
type siteRequest struct {
	CustomerID       string   `json:"customerId"`
	BillingAccountID string   `json:"billingAccountId"`
	Name             string   `json:"name"`
	AddressLine1     string   `json:"addressLine1"`
	AddressLine2     string   `json:"addressLine2"`
	City             string   `json:"city"`
	PostalCode       string   `json:"postalCode"`
	State            string   `json:"state"`
	Region           string   `json:"region"`
	Country          string   `json:"country"`
	Latitude         *float64 `json:"latitude"`
	Longitude        *float64 `json:"longitude"`
}

func (a *API) createSite(w http.ResponseWriter, r *http.Request) error {
	var in siteRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	s := inventory.Site{CustomerID: in.CustomerID, BillingAccountID: in.BillingAccountID, Name: in.Name,
		AddressLine1: in.AddressLine1, AddressLine2: in.AddressLine2, City: in.City, PostalCode: in.PostalCode,
		State: in.State, Region: in.Region, Country: in.Country, Latitude: in.Latitude, Longitude: in.Longitude}
	if err := a.Inventory.CreateSite(r.Context(), &s); err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/sites/"+url.PathEscape(s.ID))
	return writeJSON(w, http.StatusCreated, s)
}

func (a *API) getSite(w http.ResponseWriter, r *http.Request) error {
	s, err := a.Inventory.Site(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

// sitePatch is the body of PATCH /sites/{id}: members left out (or null)
// keep their value.
type sitePatch struct {
	BillingAccountID *string  `json:"billingAccountId"`
	Name             *string  `json:"name"`
	AddressLine1     *string  `json:"addressLine1"`
	AddressLine2     *string  `json:"addressLine2"`
	City             *string  `json:"city"`
	PostalCode       *string  `json:"postalCode"`
	State            *string  `json:"state"`
	Region           *string  `json:"region"`
	Country          *string  `json:"country"`
	Latitude         *float64 `json:"latitude"`
	Longitude        *float64 `json:"longitude"`
}

func (a *API) updateSite(w http.ResponseWriter, r *http.Request) error {
	var in sitePatch
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	s, err := a.Inventory.Site(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	for _, f := range []struct {
		src *string
		dst *string
	}{{in.BillingAccountID, &s.BillingAccountID}, {in.Name, &s.Name}, {in.AddressLine1, &s.AddressLine1},
		{in.AddressLine2, &s.AddressLine2}, {in.City, &s.City}, {in.PostalCode, &s.PostalCode}, {in.State, &s.State},
		{in.Region, &s.Region}, {in.Country, &s.Country}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if in.Latitude != nil {
		s.Latitude = in.Latitude
	}
	if in.Longitude != nil {
		s.Longitude = in.Longitude
	}
	s, err = a.Inventory.UpdateSite(r.Context(), s.ID, *s)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

func (a *API) retireSite(w http.ResponseWriter, r *http.Request) error {
	s, err := a.Inventory.RetireSite(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}
