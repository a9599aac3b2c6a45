package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// sitesPage lists a customer's sites. A customer user sees the sites of
// their billing accounts and those with a service on one of them.
type sitesPage struct {
	*Page
	Customers     []customer.Customer
	CustomerID    string
	CustomerQuery string
	Choose        bool
	CanWrite      bool
	Query, State  string
	States        []option
	Sites         []inventory.Site
	Pager         *pager
}

// StateName names a site's state or region for the templates.
func (p sitesPage) StateName(s inventory.Site) string { return siteRegion(p.Page, &s) }

func siteRegion(p *Page, s *inventory.Site) string {
	if s.State != "" {
		return inventory.StateName(s.State)
	}
	if s.Region != "" {
		return s.Region + " (" + s.Country + ")"
	}
	return s.Country
}

func (s *Server) sites(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	q := r.URL.Query()
	p := s.page(w, r, "inventory.sites.title")
	sp := sitesPage{Page: p, CustomerID: inventoryCustomer(r), CanWrite: inventory.CanWrite(a), Query: q.Get("q"), State: q.Get("state")}
	if sp.State != "" && sp.State != otherRegion && inventory.StateName(sp.State) == "" {
		p.Summary, sp.State = p.T("web.error.bad_filter"), ""
	}
	sp.States = []option{{Value: "", Label: p.T("inventory.services.all_states")}}
	for _, st := range inventory.States {
		sp.States = append(sp.States, option{Value: st.Code, Label: st.Name, Selected: sp.State == st.Code})
	}
	sp.States = append(sp.States, option{Value: otherRegion, Label: p.T("inventory.other_region"), Selected: sp.State == otherRegion})
	if a.IsStaff() {
		cs, err := s.deps.Customers.List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sp.Customers, sp.Choose, sp.CustomerQuery = cs, sp.CustomerID == "", customerQuery(sp.CustomerID, true)
		if sp.Choose {
			s.render(w, r, http.StatusOK, "sites", sp)
			return
		}
	}
	page := pageNumber(r)
	f := inventory.SiteFilter{CustomerID: sp.CustomerID, Offset: (page - 1) * listLimit, Limit: listLimit}
	if sp.Query != "" {
		f.Query = &sp.Query
	}
	if sp.State == otherRegion {
		f.State = new(string)
	} else if sp.State != "" {
		f.State = &sp.State
	}
	sites, total, err := s.deps.Inventory.Sites(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sp.Sites, sp.Pager = sites, newPager(p, r, page, listLimit, total)
	s.render(w, r, http.StatusOK, "sites", sp)
}

// siteDetailPage shows a site and the services there the reader may see.
type siteDetailPage struct {
	*Page
	Site          *inventory.Site
	Region        string
	Coordinates   string
	CanWrite      bool
	Services      []inventory.Service
	Pager         *pager
	CustomerQuery string
	RetiredAt     string
}

func (s *Server) site(w http.ResponseWriter, r *http.Request) {
	site, err := s.deps.Inventory.Site(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderSite(w, r, http.StatusOK, site, nil)
}

func (s *Server) renderSite(w http.ResponseWriter, r *http.Request, status int, site *inventory.Site, err error) {
	page := pageNumber(r)
	vs, total, lerr := s.deps.Inventory.Services(r.Context(), inventory.ServiceFilter{CustomerID: site.CustomerID,
		SiteID: &site.ID, Offset: (page - 1) * servicesLimit, Limit: servicesLimit})
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	p := s.page(w, r, "inventory.site.title")
	dp := siteDetailPage{Page: p, Site: site, Region: siteRegion(p, site), CanWrite: inventory.CanWrite(p.Actor),
		Services: vs, Pager: newPager(p, r, page, servicesLimit, total),
		CustomerQuery: customerQuery(site.CustomerID, p.Actor.IsStaff())}
	if site.Latitude != nil && site.Longitude != nil {
		dp.Coordinates = strconv.FormatFloat(*site.Latitude, 'f', -1, 64) + ", " + strconv.FormatFloat(*site.Longitude, 'f', -1, 64)
	}
	if site.RetiredAt != nil {
		dp.RetiredAt = p.DateTime(*site.RetiredAt)
	}
	if err != nil {
		p.Summary = p.loc.Error(err)
	}
	s.render(w, r, status, "site", dp)
}

func (s *Server) retireSite(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	site, err := s.deps.Inventory.RetireSite(r.Context(), r.PathValue("id"))
	if err == nil {
		s.flash(w, "inventory.flash.site_retired")
		http.Redirect(w, r, "/sites/"+url.PathEscape(site.ID), http.StatusSeeOther)
		return
	}
	if enlace.ErrorCode(err) != enlace.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	site, gerr := s.deps.Inventory.Site(r.Context(), r.PathValue("id"))
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	s.renderSite(w, r, http.StatusConflict, site, err)
}

// siteFormPage creates or edits a site.
type siteFormPage struct {
	*Page
	SiteID, CustomerQuery string
	Site                  inventory.Site
	Latitude, Longitude   string
	States, Accounts      []option
}

func (s *Server) siteForm(r *http.Request, p *Page, customerID string, in *inventory.Site, lat, lon string) (siteFormPage, error) {
	fp := siteFormPage{Page: p, CustomerQuery: customerQuery(customerID, true), Site: *in, Latitude: lat, Longitude: lon}
	fp.States = []option{{Value: "", Label: p.T("inventory.form.no_state")}}
	for _, st := range inventory.States {
		fp.States = append(fp.States, option{Value: st.Code, Label: st.Name, Selected: in.State == st.Code})
	}
	accounts, err := s.deps.Customers.BillingAccounts(r.Context(), customerID)
	if err != nil {
		return fp, err
	}
	fp.Accounts = []option{{Value: "", Label: p.T("inventory.form.no_account")}}
	for _, b := range accounts {
		fp.Accounts = append(fp.Accounts, option{Value: b.ID, Label: b.Number + " · " + b.Name, Selected: b.ID == in.BillingAccountID})
	}
	return fp, nil
}

// siteInput reads the site form; coordinates that are not numbers are
// field errors of their own.
func siteInput(f url.Values) (inventory.Site, error) {
	in := inventory.Site{Name: f.Get("name"), AddressLine1: f.Get("address_line1"), AddressLine2: f.Get("address_line2"),
		City: f.Get("city"), PostalCode: f.Get("postal_code"), State: f.Get("state"), Region: f.Get("region"),
		Country: f.Get("country"), BillingAccountID: f.Get("billing_account_id")}
	var errs []enlace.FieldError
	for _, c := range []struct {
		name string
		dst  **float64
	}{{"latitude", &in.Latitude}, {"longitude", &in.Longitude}} {
		v := strings.TrimSpace(strings.ReplaceAll(f.Get(c.name), ",", "."))
		if v == "" {
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			errs = append(errs, enlace.Field(c.name, "inventory.error.number"))
			continue
		}
		*c.dst = &x
	}
	return in, enlace.Invalid(errs)
}

func (s *Server) newSiteForm(w http.ResponseWriter, r *http.Request) {
	if s.forbidUnlessWriter(w, r) {
		return
	}
	cid := scopeCustomer(r)
	if cid == "" {
		http.Redirect(w, r, "/sites", http.StatusSeeOther)
		return
	}
	if _, err := s.deps.Customers.Get(r.Context(), cid); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "inventory.site.new")
	fp, err := s.siteForm(r, p, cid, &inventory.Site{Country: "MX"}, "", "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "site_form", fp)
}

func (s *Server) createSite(w http.ResponseWriter, r *http.Request) {
	if s.forbidUnlessWriter(w, r) || !s.parseForm(w, r) {
		return
	}
	cid := scopeCustomer(r)
	in, err := siteInput(r.PostForm)
	if err == nil {
		in.CustomerID = cid
		err = s.deps.Inventory.CreateSite(r.Context(), &in)
	}
	if err == nil {
		s.flash(w, "inventory.flash.site_created")
		http.Redirect(w, r, "/sites/"+url.PathEscape(in.ID), http.StatusSeeOther)
		return
	}
	in.ID = ""
	s.siteFormError(w, r, "inventory.site.new", cid, &in, err)
}

func (s *Server) siteFormError(w http.ResponseWriter, r *http.Request, title, cid string, in *inventory.Site, err error) {
	p := s.page(w, r, title)
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	fp, ferr := s.siteForm(r, p, cid, in, r.PostForm.Get("latitude"), r.PostForm.Get("longitude"))
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	fp.SiteID = in.ID
	s.render(w, r, http.StatusUnprocessableEntity, "site_form", fp)
}

func (s *Server) editSiteForm(w http.ResponseWriter, r *http.Request) {
	site, err := s.deps.Inventory.Site(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.forbidUnlessWriter(w, r) {
		return
	}
	p := s.page(w, r, "inventory.site.edit")
	var lat, lon string
	if site.Latitude != nil && site.Longitude != nil {
		lat, lon = strconv.FormatFloat(*site.Latitude, 'f', -1, 64), strconv.FormatFloat(*site.Longitude, 'f', -1, 64)
	}
	fp, err := s.siteForm(r, p, site.CustomerID, site, lat, lon)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fp.SiteID = site.ID
	s.render(w, r, http.StatusOK, "site_form", fp)
}

func (s *Server) updateSite(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	old, err := s.deps.Inventory.Site(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.forbidUnlessWriter(w, r) {
		return
	}
	in, err := siteInput(r.PostForm)
	if err == nil {
		_, err = s.deps.Inventory.UpdateSite(r.Context(), old.ID, in)
	}
	if err == nil {
		s.flash(w, "inventory.flash.site_saved")
		http.Redirect(w, r, "/sites/"+url.PathEscape(old.ID), http.StatusSeeOther)
		return
	}
	in.ID = old.ID
	s.siteFormError(w, r, "inventory.site.edit", old.CustomerID, &in, err)
}

// Choice builds a select for the site form.
func (p siteFormPage) Choice(name, labelKey string, opts []option) formField {
	return choiceField(p.Page, name, labelKey, opts)
}

// inventoryCustomer is the customer an inventory list is about: the
// ?customer= of the request, which for a customer user may only name
// their own (the inventory answers not found otherwise), and their own
// when absent.
func inventoryCustomer(r *http.Request) string {
	if c := r.URL.Query().Get("customer"); c != "" {
		return c
	}
	return scopeCustomer(r)
}
