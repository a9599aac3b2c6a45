package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// serviceFormPage creates or edits a service.
type serviceFormPage struct {
	*Page
	ServiceID, CustomerID, CustomerQuery  string
	Key, Product, ActivatedOn             string
	Categories, Statuses, Sites, Accounts []option
}

// serviceForm fills the choices: categories, initial statuses, and the
// customer's sites in use and billing accounts.
func (s *Server) serviceForm(r *http.Request, p *Page, customerID string, in *inventory.Service) (serviceFormPage, error) {
	fp := serviceFormPage{Page: p, CustomerID: customerID, CustomerQuery: customerQuery(customerID, true),
		Key: in.Key, Product: in.Product,
		Categories: translatedOptions(p, "inventory.category.", inventory.Categories, in.Category),
		Statuses:   translatedOptions(p, "inventory.status.", inventory.InitialStatuses, in.Status)}
	if in.ActivatedOn != nil {
		fp.ActivatedOn = in.ActivatedOn.Format(time.DateOnly)
	}
	sites, _, err := s.deps.Inventory.Sites(r.Context(), inventory.SiteFilter{CustomerID: customerID, Limit: 200})
	if err != nil {
		return fp, err
	}
	fp.Sites = []option{{Value: "", Label: p.T("inventory.form.choose")}}
	for _, st := range sites {
		fp.Sites = append(fp.Sites, option{Value: st.ID, Label: st.Name + " · " + st.City, Selected: st.ID == in.SiteID})
	}
	accounts, err := s.deps.Customers.BillingAccounts(r.Context(), customerID)
	if err != nil {
		return fp, err
	}
	fp.Accounts = []option{{Value: "", Label: p.T("inventory.form.choose")}}
	for _, b := range accounts {
		fp.Accounts = append(fp.Accounts, option{Value: b.ID, Label: b.Number + " · " + b.Name, Selected: b.ID == in.BillingAccountID})
	}
	return fp, nil
}

// parseDate reads an optional YYYY-MM-DD date; false means unreadable.
func parseDate(v string) (*time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return nil, false
	}
	return &t, true
}

// forbidUnlessWriter answers 403 to those who may not change the inventory.
func (s *Server) forbidUnlessWriter(w http.ResponseWriter, r *http.Request) bool {
	if inventory.CanWrite(visitOf(r).principal.Actor) {
		return false
	}
	s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
	return true
}

func (s *Server) newServiceForm(w http.ResponseWriter, r *http.Request) {
	if s.forbidUnlessWriter(w, r) {
		return
	}
	cid := scopeCustomer(r)
	if cid == "" {
		http.Redirect(w, r, "/services", http.StatusSeeOther)
		return
	}
	if _, err := s.deps.Customers.Get(r.Context(), cid); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "inventory.service.new")
	fp, err := s.serviceForm(r, p, cid, &inventory.Service{Status: inventory.StatusActive, SiteID: r.URL.Query().Get("site")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "service_form", fp)
}

// serviceInput reads the service form.
func serviceInput(f url.Values) (inventory.Service, error) {
	v := inventory.Service{Key: f.Get("service_key"), Category: f.Get("category"), Product: f.Get("product"),
		SiteID: f.Get("site_id"), BillingAccountID: f.Get("billing_account_id"), Status: f.Get("status")}
	day, ok := parseDate(f.Get("activated_on"))
	if !ok {
		return v, enlace.Invalid([]enlace.FieldError{enlace.Field("activated_on", "inventory.error.date")})
	}
	v.ActivatedOn = day
	return v, nil
}

func (s *Server) createService(w http.ResponseWriter, r *http.Request) {
	if s.forbidUnlessWriter(w, r) || !s.parseForm(w, r) {
		return
	}
	cid := scopeCustomer(r)
	in, err := serviceInput(r.PostForm)
	if err == nil {
		in.CustomerID = cid
		err = s.deps.Inventory.CreateService(r.Context(), &in)
	}
	if err == nil {
		s.flash(w, "inventory.flash.service_created")
		http.Redirect(w, r, "/services/"+url.PathEscape(in.ID), http.StatusSeeOther)
		return
	}
	s.serviceFormError(w, r, "inventory.service.new", cid, &in, err)
}

func (s *Server) serviceFormError(w http.ResponseWriter, r *http.Request, title, cid string, in *inventory.Service, err error) {
	p := s.page(w, r, title)
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	fp, ferr := s.serviceForm(r, p, cid, in)
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	fp.ServiceID = in.ID
	fp.ActivatedOn = r.PostForm.Get("activated_on")
	s.render(w, r, http.StatusUnprocessableEntity, "service_form", fp)
}

func (s *Server) editServiceForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.deps.Inventory.Service(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.forbidUnlessWriter(w, r) {
		return
	}
	p := s.page(w, r, "inventory.service.edit")
	fp, err := s.serviceForm(r, p, v.CustomerID, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fp.ServiceID = v.ID
	s.render(w, r, http.StatusOK, "service_form", fp)
}

func (s *Server) updateService(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	old, err := s.deps.Inventory.Service(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.forbidUnlessWriter(w, r) {
		return
	}
	in, err := serviceInput(r.PostForm)
	in.ID, in.Status = old.ID, old.Status
	if err == nil {
		_, err = s.deps.Inventory.UpdateService(r.Context(), old.ID, inventory.ServiceUpdate{Key: in.Key,
			Category: in.Category, Product: in.Product, SiteID: in.SiteID, BillingAccountID: in.BillingAccountID,
			ActivatedOn: in.ActivatedOn})
	}
	if err == nil {
		s.flash(w, "inventory.flash.service_saved")
		http.Redirect(w, r, "/services/"+url.PathEscape(old.ID), http.StatusSeeOther)
		return
	}
	s.serviceFormError(w, r, "inventory.service.edit", old.CustomerID, &in, err)
}

// Choice builds a select for the service form.
func (p serviceFormPage) Choice(name, labelKey string, opts []option) formField {
	return choiceField(p.Page, name, labelKey, opts)
}

// choiceField is a select as the "select" partial draws it.
func choiceField(p *Page, name, labelKey string, opts []option) formField {
	return formField{Name: name, Label: p.T(labelKey), Error: p.Err(name), Options: opts}
}
