package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// serviceJSON is a service; its activation date is a calendar date.
type serviceJSON struct {
	ID               string    `json:"id"`
	CustomerID       string    `json:"customerId"`
	BillingAccountID string    `json:"billingAccountId"`
	SiteID           string    `json:"siteId"`
	ServiceKey       string    `json:"serviceKey"`
	Category         string    `json:"category"`
	Product          string    `json:"product"`
	Status           string    `json:"status"`
	State            string    `json:"state,omitempty"`
	ActivatedOn      string    `json:"activatedOn,omitempty"`
	CreatedAt        time.Time `json:"createdAt"`
	UpdatedAt        time.Time `json:"updatedAt"`
}

func toService(v *inventory.Service) serviceJSON {
	out := serviceJSON{ID: v.ID, CustomerID: v.CustomerID, BillingAccountID: v.BillingAccountID, SiteID: v.SiteID,
		ServiceKey: v.Key, Category: v.Category, Product: v.Product, Status: v.Status, State: v.State,
		CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
	if v.ActivatedOn != nil {
		out.ActivatedOn = v.ActivatedOn.Format(time.DateOnly)
	}
	return out
}

func (a *API) listServices(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	p := q.page(MaxLimit)
	f := inventory.ServiceFilter{State: q.stateFilter(), Category: q.oneOf("category", inventory.Categories),
		Status: q.oneOf("status", inventory.Statuses), BillingAccountID: q.str("billingAccountId"),
		SiteID: q.str("siteId"), KeyPrefix: q.str("q"), Offset: p.Offset, Limit: p.Limit}
	if c := q.str("customerId"); c != nil {
		f.CustomerID = *c
	}
	if err := q.err(); err != nil {
		return err
	}
	vs, total, err := a.Inventory.Services(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, mapItems(vs, toService), total, p)
}

// serviceRequest is the body of POST /services.
type serviceRequest struct {
	CustomerID       string `json:"customerId"`
	ServiceKey       string `json:"serviceKey"`
	Category         string `json:"category"`
	Product          string `json:"product"`
	SiteID           string `json:"siteId"`
	BillingAccountID string `json:"billingAccountId"`
	Status           string `json:"status"`
	ActivatedOn      string `json:"activatedOn"`
}

// date reads an optional YYYY-MM-DD member.
func date(v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("activated_on", "inventory.error.date")})
	}
	return &t, nil
}

func (a *API) createService(w http.ResponseWriter, r *http.Request) error {
	var in serviceRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	day, err := date(in.ActivatedOn)
	if err != nil {
		return err
	}
	v := inventory.Service{CustomerID: in.CustomerID, Key: in.ServiceKey, Category: in.Category, Product: in.Product,
		SiteID: in.SiteID, BillingAccountID: in.BillingAccountID, Status: in.Status, ActivatedOn: day}
	if err := a.Inventory.CreateService(r.Context(), &v); err != nil {
		return err
	}
	created, err := a.Inventory.Service(r.Context(), v.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/services/"+url.PathEscape(v.ID))
	return writeJSON(w, http.StatusCreated, toService(created))
}

func (a *API) getService(w http.ResponseWriter, r *http.Request) error {
	v, err := a.Inventory.Service(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toService(v))
}

// servicePatch is the body of PATCH /services/{id}: members left out (or
// null) keep their value; a new status must follow the transition table.
type servicePatch struct {
	ServiceKey       *string `json:"serviceKey"`
	Category         *string `json:"category"`
	Product          *string `json:"product"`
	SiteID           *string `json:"siteId"`
	BillingAccountID *string `json:"billingAccountId"`
	ActivatedOn      *string `json:"activatedOn"`
	Status           *string `json:"status"`
}

func (a *API) updateService(w http.ResponseWriter, r *http.Request) error {
	var in servicePatch
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	v, err := a.Inventory.Service(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	u := inventory.ServiceUpdate{Key: v.Key, Category: v.Category, Product: v.Product, SiteID: v.SiteID,
		BillingAccountID: v.BillingAccountID, ActivatedOn: v.ActivatedOn}
	for _, f := range []struct {
		src *string
		dst *string
	}{{in.ServiceKey, &u.Key}, {in.Category, &u.Category}, {in.Product, &u.Product}, {in.SiteID, &u.SiteID},
		{in.BillingAccountID, &u.BillingAccountID}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if in.ActivatedOn != nil {
		if u.ActivatedOn, err = date(*in.ActivatedOn); err != nil {
			return err
		}
	}
	changed := u != inventory.ServiceUpdate{Key: v.Key, Category: v.Category, Product: v.Product, SiteID: v.SiteID,
		BillingAccountID: v.BillingAccountID, ActivatedOn: v.ActivatedOn}
	if changed || in.Status == nil {
		if v, err = a.Inventory.UpdateService(r.Context(), v.ID, u); err != nil {
			return err
		}
	}
	if in.Status != nil && *in.Status != v.Status {
		if v, err = a.Inventory.SetStatus(r.Context(), v.ID, *in.Status); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, toService(v))
}

func (a *API) retireService(w http.ResponseWriter, r *http.Request) error {
	v, err := a.Inventory.SetStatus(r.Context(), r.PathValue("id"), inventory.StatusRetired)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toService(v))
}
