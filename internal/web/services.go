package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// servicesLimit is the page size of the services list.
const servicesLimit = 50

// otherRegion is the ?state= value of services at sites outside Mexico.
const otherRegion = "other"

// servicesPage is the active-services page (B2): counts by state and by
// billing account, a chart by category, filters, a key search, a page of
// services and the CSV export of what is shown.
type servicesPage struct {
	*Page
	Customers  []customer.Customer
	CustomerID string
	Choose     bool
	CanWrite   bool
	Filter     serviceQuery
	States     []option
	Categories []option
	Statuses   []option
	Accounts   []option
	ByState    []group
	ByAccount  []group
	Chart      *barChart
	Overview   *inventory.Overview
	Pager      *pager
	ExportURL  string
	// CustomerQuery is "?customer=<id>" for staff, "" for customer users.
	CustomerQuery string
}

// group is one line of a count list: a label, its count and the link
// that filters on it.
type group struct {
	Label, Count, URL string
	Current           bool
}

// serviceQuery is the filter of the services page as its query string
// carries it.
type serviceQuery struct {
	State, Category, Status, Account, Q string
}

// parseServiceQuery reads the filters; a value no form offers is dropped
// and reported as a bad filter.
func parseServiceQuery(q url.Values) (serviceQuery, bool) {
	f := serviceQuery{State: q.Get("state"), Category: q.Get("category"), Status: q.Get("status"),
		Account: q.Get("account"), Q: q.Get("q")}
	ok := true
	if f.State != "" && f.State != otherRegion && inventory.StateName(f.State) == "" {
		f.State, ok = "", false
	}
	if f.Category != "" && !slices.Contains(inventory.Categories, f.Category) {
		f.Category, ok = "", false
	}
	if f.Status != "" && !slices.Contains(inventory.Statuses, f.Status) {
		f.Status, ok = "", false
	}
	if len(f.Q) > 40 || len(f.Account) > 64 {
		f.Q, f.Account, ok = "", "", false
	}
	return f, ok
}

// filter turns the query into the inventory filter.
func (f serviceQuery) filter(customerID string) inventory.ServiceFilter {
	sf := inventory.ServiceFilter{CustomerID: customerID}
	opt := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	if f.State == otherRegion {
		sf.State = new(string)
	} else {
		sf.State = opt(f.State)
	}
	sf.Category, sf.Status, sf.BillingAccountID, sf.KeyPrefix = opt(f.Category), opt(f.Status), opt(f.Account), opt(f.Q)
	return sf
}

// values returns the query with one filter changed.
func (f serviceQuery) values(customerID, key, value string) url.Values {
	v := url.Values{}
	set := func(k, x string) {
		if k == key {
			x = value
		}
		if x != "" {
			v.Set(k, x)
		}
	}
	set("customer", customerID)
	set("state", f.State)
	set("category", f.Category)
	set("status", f.Status)
	set("account", f.Account)
	set("q", f.Q)
	return v
}

// stateParam is the ?state= value of a state group key.
func stateParam(code string) string {
	if code == inventory.OtherRegion {
		return otherRegion
	}
	return code
}

// stateLabel names a state, or the group of sites abroad.
func stateLabel(p *Page, code string) string {
	if code == inventory.OtherRegion {
		return p.T("inventory.other_region")
	}
	return inventory.StateName(code)
}

func (s *Server) services(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	p := s.page(w, r, "inventory.services.title")
	f, ok := parseServiceQuery(r.URL.Query())
	if !ok {
		p.Summary = p.T("web.error.bad_filter")
	}
	sp := servicesPage{Page: p, CustomerID: inventoryCustomer(r), CanWrite: inventory.CanWrite(a), Filter: f}
	if a.IsStaff() {
		cs, err := s.deps.Customers.List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sp.Customers, sp.Choose = cs, sp.CustomerID == ""
		sp.CustomerQuery = customerQuery(sp.CustomerID, true)
		if sp.Choose {
			s.render(w, r, http.StatusOK, "services", sp)
			return
		}
	}
	page := pageNumber(r)
	sf := f.filter(sp.CustomerID)
	sf.Offset, sf.Limit = (page-1)*servicesLimit, servicesLimit
	o, err := s.deps.Inventory.Overview(r.Context(), sf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	accounts, err := s.deps.Customers.BillingAccounts(r.Context(), sp.CustomerID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sp.Overview, sp.Pager = o, newPager(p, r, page, servicesLimit, o.Total)
	s.fillServiceGroups(p, &sp, accounts)
	export := f.values(sp.CustomerID, "", "")
	if !a.IsStaff() {
		export.Del("customer")
	}
	sp.ExportURL = "/services/export"
	if len(export) > 0 {
		sp.ExportURL += "?" + export.Encode()
	}
	s.render(w, r, http.StatusOK, "services", sp)
}

// fillServiceGroups builds the filter choices, the count lists and the chart.
func (s *Server) fillServiceGroups(p *Page, sp *servicesPage, accounts []customer.BillingAccount) {
	f, cid := sp.Filter, sp.CustomerID
	if !p.Actor.IsStaff() {
		cid = ""
	}
	link := func(key, value string) string {
		v := f.values(cid, key, value)
		if len(v) == 0 {
			return "/services"
		}
		return "/services?" + v.Encode()
	}
	sp.States = []option{{Value: "", Label: p.T("inventory.services.all_states")}}
	for _, st := range inventory.States {
		sp.States = append(sp.States, option{Value: st.Code, Label: st.Name, Selected: f.State == st.Code})
	}
	sp.States = append(sp.States, option{Value: otherRegion, Label: p.T("inventory.other_region"), Selected: f.State == otherRegion})
	sp.Categories = append([]option{{Value: "", Label: p.T("inventory.services.all_categories")}},
		translatedOptions(p, "inventory.category.", inventory.Categories, f.Category)...)
	sp.Statuses = append([]option{{Value: "", Label: p.T("inventory.services.all_statuses")}},
		translatedOptions(p, "inventory.status.", inventory.Statuses, f.Status)...)
	sp.Accounts = []option{{Value: "", Label: p.T("inventory.services.all_accounts")}}
	number := map[string]string{}
	for _, b := range accounts {
		number[b.ID] = b.Number
		sp.Accounts = append(sp.Accounts, option{Value: b.ID, Label: b.Number + " · " + b.Name, Selected: f.Account == b.ID})
	}
	for _, c := range sp.Overview.ByState {
		sp.ByState = append(sp.ByState, group{Label: stateLabel(p, c.Key), Count: p.Number(c.N),
			URL: link("state", stateParam(c.Key)), Current: f.State == stateParam(c.Key)})
	}
	for _, c := range sp.Overview.ByAccount {
		label := number[c.Key]
		if label == "" {
			label = c.Key
		}
		sp.ByAccount = append(sp.ByAccount, group{Label: label, Count: p.Number(c.N), URL: link("account", c.Key),
			Current: f.Account == c.Key})
	}
	bars := make([]bar, 0, len(sp.Overview.ByCategory))
	for _, c := range sp.Overview.ByCategory {
		bars = append(bars, bar{Label: p.T("inventory.category." + c.Key), N: c.N, Value: p.Number(c.N),
			URL: link("category", c.Key)})
	}
	sp.Chart = newBarChart(p.T("inventory.services.chart_title"), bars)
}

// barChart is a horizontal bar chart drawn as SVG on the server: it needs
// no script and passes the content security policy, whose style rules
// do not cover SVG presentation attributes.
type barChart struct {
	Title  string
	Height int
	Bars   []bar
}

type bar struct {
	Label, Value, URL string
	N                 int
	Y, TextY, Width   int
}

const (
	chartRow   = 28
	chartLabel = 130 // width of the label column, in viewBox units
	chartBars  = 220 // width of the longest bar
)

func newBarChart(title string, bars []bar) *barChart {
	most := 0
	for _, b := range bars {
		most = max(most, b.N)
	}
	for i := range bars {
		bars[i].Y, bars[i].TextY = i*chartRow+4, i*chartRow+19
		if most > 0 {
			bars[i].Width = max(bars[i].N*chartBars/most, min(bars[i].N, 1))
		}
	}
	return &barChart{Title: title, Height: len(bars)*chartRow + 4, Bars: bars}
}

// serviceDetailPage shows one service, with the status changes the
// transition table allows for those who may make them.
type serviceDetailPage struct {
	*Page
	Service     *inventory.Service
	Site        *inventory.Site
	StateName   string
	Next        []option
	CanWrite    bool
	ActivatedOn string
}

func (s *Server) service(w http.ResponseWriter, r *http.Request) {
	v, err := s.deps.Inventory.Service(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderService(w, r, http.StatusOK, v, nil)
}

// renderService shows a service; err is a refused status change.
func (s *Server) renderService(w http.ResponseWriter, r *http.Request, status int, v *inventory.Service, err error) {
	site, serr := s.deps.Inventory.Site(r.Context(), v.SiteID)
	if serr != nil {
		s.fail(w, r, serr)
		return
	}
	p := s.page(w, r, "inventory.service.title")
	dp := serviceDetailPage{Page: p, Service: v, Site: site, StateName: stateLabel(p, v.State),
		CanWrite: inventory.CanWrite(p.Actor)}
	if v.ActivatedOn != nil {
		dp.ActivatedOn = p.loc.Date(*v.ActivatedOn)
	}
	if dp.CanWrite {
		dp.Next = translatedOptions(p, "inventory.status.", inventory.NextStatuses(v.Status), "")
	}
	if err != nil {
		formError(p, err)
	}
	s.render(w, r, status, "service", dp)
}

func (s *Server) setServiceStatus(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	v, err := s.deps.Inventory.SetStatus(r.Context(), id, r.PostForm.Get("status"))
	if err == nil {
		s.flash(w, "inventory.flash.status_changed")
		http.Redirect(w, r, "/services/"+url.PathEscape(v.ID), http.StatusSeeOther)
		return
	}
	if enlace.ErrorCode(err) != enlace.EINVALID {
		s.fail(w, r, err)
		return
	}
	v, gerr := s.deps.Inventory.Service(r.Context(), id)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	s.renderService(w, r, http.StatusUnprocessableEntity, v, err)
}
