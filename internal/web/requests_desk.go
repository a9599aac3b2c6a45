package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// deskLimit is the page size of the request list.
const deskLimit = 50

// deskRoutes are the service desk's pages (E1–E7); they exist when the
// server has a service desk. The attachment routes need the document
// repository too.
func (s *Server) deskRoutes(mux router) {
	if s.deps.Requests == nil {
		return
	}
	mux.HandleFunc("GET /requests", s.active(s.deskRequests))
	mux.HandleFunc("GET /requests/surveys", s.active(s.deskSurveys))
	mux.HandleFunc("GET /requests/new", s.active(s.deskChooser))
	mux.HandleFunc("GET /requests/new/{type}", s.active(s.deskForm))
	// The form posts to /requests/new?type=<key>: a POST /requests/new/{type}
	// would clash with POST /requests/{id}/act and its siblings.
	mux.HandleFunc("POST /requests/new", s.active(s.createDeskRequest))
	mux.HandleFunc("GET /requests/{id}", s.active(s.deskRequest))
	mux.HandleFunc("POST /requests/{id}/act", s.active(s.actOnDeskRequest))
	mux.HandleFunc("POST /requests/{id}/checklist/{step}", s.active(s.tickDeskStep))
	mux.HandleFunc("POST /requests/{id}/comments", s.active(s.commentDeskRequest))
	mux.HandleFunc("POST /requests/{id}/survey", s.active(s.answerDeskSurvey))
	if s.deps.Documents != nil {
		mux.HandleFunc("POST /requests/{id}/attachments", s.active(s.attachToDeskRequest))
		mux.HandleFunc("GET /requests/{id}/attachments/{doc}", s.active(s.downloadDeskAttachment))
	}
}

// deskListPage is "Seguimiento de solicitudes" (E3, E4): the chart by
// phase, the filters and a page of requests; or, with ?view=site, the
// requests counted by site.
type deskListPage struct {
	*Page
	Query    deskQuery
	Staff    bool
	MayRaise bool
	BySite   bool
	Chart    template.HTML
	// AllPhases clears the phase picked on the chart.
	AllPhases string
	Rows      []deskRow
	Sites     []deskSiteRow
	Pager     *pager
	// SiteName is the site the list is filtered on, ClearSite the list
	// without that filter.
	SiteName, ClearSite string
	// ListURL and SitesURL switch between the two views, keeping the filters.
	ListURL, SitesURL                                        string
	Phases, Kinds, Categories, Priorities, Agents, Customers []option
}

// deskRow is a request as the list shows it.
type deskRow struct {
	ID, Folio, Subject, Type, ServiceKey, Site, Customer, Agent string
	Phase, Priority, SLA, Created                               string
}

// deskSiteRow is one line of the requests by site.
type deskSiteRow struct {
	Name, State, URL string
	Open, Total      int
}

// deskQuery is the filter of the request list as its query string
// carries it.
type deskQuery struct {
	Phase, Kind, Category, Priority, Site, Agent, Customer, Q string
	Open, Breached                                            bool
}

// Agent filter values besides an agent's id.
const (
	agentMine = "mine"
	agentNone = "none"
)

// deskCategories are the categories requests are counted in.
var deskCategories = append(slices.Clone(inventory.Categories), servicedesk.CategoryAdministrative)

// parseDeskQuery reads the filters; a value no form offers is dropped and
// reported as a bad filter. The agent and customer filters are staff's.
func parseDeskQuery(q url.Values, staff bool) (deskQuery, bool) {
	f := deskQuery{Phase: q.Get("phase"), Kind: q.Get("kind"), Category: q.Get("category"), Priority: q.Get("priority"),
		Site: q.Get("site"), Q: q.Get("q"), Open: q.Get("open") == "1", Breached: q.Get("breached") == "1"}
	if staff {
		f.Agent, f.Customer = q.Get("agent"), q.Get("customer")
	}
	ok := true
	drop := func(v *string, allowed []string) {
		if *v != "" && !slices.Contains(allowed, *v) {
			*v, ok = "", false
		}
	}
	drop(&f.Phase, servicedesk.Phases)
	drop(&f.Kind, servicedesk.Kinds)
	drop(&f.Category, deskCategories)
	drop(&f.Priority, servicedesk.Priorities)
	for _, v := range []*string{&f.Site, &f.Agent, &f.Customer} {
		if len(*v) > 64 {
			*v, ok = "", false
		}
	}
	if len(f.Q) > 60 {
		f.Q, ok = "", false
	}
	return f, ok
}

// filter turns the query into the service desk's filter for the reader.
func (f deskQuery) filter(userID string) servicedesk.Filter {
	sf := servicedesk.Filter{CustomerID: f.Customer, Phase: f.Phase, Kind: f.Kind, Category: f.Category,
		Priority: f.Priority, SiteID: f.Site, Query: f.Q, Open: f.Open, Breached: f.Breached}
	switch f.Agent {
	case "":
	case agentMine:
		sf.AssigneeID = userID
	case agentNone:
		sf.Unassigned = true
	default:
		sf.AssigneeID = f.Agent
	}
	return sf
}

// values returns the query with one parameter set (or removed, when
// value is empty).
func (f deskQuery) values(key, value string) url.Values {
	v := url.Values{}
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return ""
	}
	for _, kv := range [][2]string{{"customer", f.Customer}, {"phase", f.Phase}, {"kind", f.Kind},
		{"category", f.Category}, {"priority", f.Priority}, {"site", f.Site}, {"agent", f.Agent}, {"q", f.Q},
		{"open", flag(f.Open)}, {"breached", flag(f.Breached)}} {
		if kv[0] == key {
			kv[1] = value
		}
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	return v
}

// link is the list (or the view by site) with one parameter changed.
func (f deskQuery) link(view, key, value string) string {
	v := f.values(key, value)
	if view != "" {
		v.Set("view", view)
	}
	if len(v) == 0 {
		return "/requests"
	}
	return "/requests?" + v.Encode()
}

func (s *Server) deskRequests(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	p := s.page(w, r, "desk.list.title")
	q, ok := parseDeskQuery(r.URL.Query(), a.IsStaff())
	if !ok {
		p.Summary = p.T("web.error.bad_filter")
	}
	lp := deskListPage{Page: p, Query: q, Staff: a.IsStaff(), MayRaise: servicedesk.MayRaise(a),
		BySite: r.URL.Query().Get("view") == "site"}
	lp.ListURL, lp.SitesURL = q.link("", "", ""), q.link("site", "", "")
	if err := s.fillDeskFilters(r, &lp); err != nil {
		s.fail(w, r, err)
		return
	}
	f := q.filter(a.UserID)
	if lp.BySite {
		counts, err := s.deps.Requests.BySite(r.Context(), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		lp.Sites = deskSiteRows(p, q, counts)
		s.render(w, r, http.StatusOK, "desk_list", lp)
		return
	}
	counts, err := s.deps.Requests.Chart(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if lp.Chart, err = renderChart(phaseChart(p, q, counts)); err != nil {
		s.internal(w, r, err)
		return
	}
	lp.AllPhases = q.link("", "phase", "")
	page := pageNumber(r)
	f.Offset, f.Limit = (page-1)*deskLimit, deskLimit
	list, total, err := s.deps.Requests.List(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.deps.Requests.Now()
	for i := range list {
		lp.Rows = append(lp.Rows, s.deskRowOf(p, &list[i], now))
	}
	lp.Pager = newPager(p, r, page, deskLimit, total)
	if total == servicedesk.TotalPast {
		// The count stopped at 10,000: say so rather than a page count.
		lp.Pager.Label = p.T("web.pager.label_more", "Page", page, "Total", p.Number(total-1))
	}
	s.render(w, r, http.StatusOK, "desk_list", lp)
}

// fillDeskFilters builds the filter choices: the staff's customers and
// agents, and the name of the site filtered on (a site the reader may
// not see is a bad filter).
func (s *Server) fillDeskFilters(r *http.Request, lp *deskListPage) error {
	p, q := lp.Page, &lp.Query
	all := func(key string) []option { return []option{{Value: "", Label: p.T(key)}} }
	lp.Phases = append(all("desk.list.all_phases"), translatedOptions(p, "servicedesk.phase.", servicedesk.Phases, q.Phase)...)
	lp.Kinds = append(all("desk.list.all_kinds"), translatedOptions(p, "servicedesk.kind.", servicedesk.Kinds, q.Kind)...)
	lp.Categories = all("desk.list.all_categories")
	for _, c := range deskCategories {
		lp.Categories = append(lp.Categories, option{Value: c, Label: categoryLabel(p, c), Selected: c == q.Category})
	}
	lp.Priorities = append(all("desk.list.all_priorities"),
		translatedOptions(p, "servicedesk.priority.", servicedesk.Priorities, q.Priority)...)
	if q.Site != "" {
		site, err := s.deps.Inventory.Site(r.Context(), q.Site)
		if err != nil {
			p.Summary, q.Site = p.T("web.error.bad_filter"), ""
		} else {
			lp.SiteName, lp.ClearSite = site.Name, q.link("", "site", "")
		}
	}
	if !lp.Staff {
		return nil
	}
	cs, err := s.deps.Customers.List(r.Context())
	if err != nil {
		return err
	}
	lp.Customers = customerOptions(p, cs, q.Customer)
	agents, err := s.deps.Requests.Agents(r.Context())
	if err != nil {
		return err
	}
	lp.Agents = append(all("desk.list.all_agents"), option{Value: agentMine, Label: p.T("desk.list.mine"), Selected: q.Agent == agentMine},
		option{Value: agentNone, Label: p.T("desk.list.unassigned"), Selected: q.Agent == agentNone})
	for _, u := range agents {
		lp.Agents = append(lp.Agents, option{Value: u.ID, Label: u.Name(), Selected: u.ID == q.Agent})
	}
	return nil
}

// deskRowOf is a request as the list shows it; its type's name comes
// from the catalogue in memory, its names from the list's own query.
func (s *Server) deskRowOf(p *Page, rq *servicedesk.Request, now time.Time) deskRow {
	row := deskRow{ID: rq.ID, Folio: rq.Folio, Subject: rq.Subject, Type: s.typeName(p, rq.TypeKey), ServiceKey: rq.ServiceKey,
		Site: rq.SiteName, Customer: rq.CustomerName, Agent: rq.AssigneeName, Phase: rq.Phase, Priority: rq.Priority,
		SLA: slaState(rq, now), Created: p.DateTime(rq.CreatedAt)}
	if rq.CustomerID == "" {
		row.Customer = p.T("desk.provider")
	}
	return row
}

// typeName names a request type in the reader's language, or by its key
// once the catalogue no longer has it.
func (s *Server) typeName(p *Page, key string) string {
	if tp := s.deps.Requests.Catalog().Type(key); tp != nil {
		return tp.Name.In(p.Lang)
	}
	return key
}

// categoryLabel names a request category: an inventory category, or the
// administrative one.
func categoryLabel(p *Page, c string) string {
	if c == servicedesk.CategoryAdministrative {
		return p.T("servicedesk.category.administrative")
	}
	return p.T("inventory.category." + c)
}

// SLA states of a request as the pages show them; keys desk.sla.<state>.
const (
	slaOnTime   = "on_time"
	slaDueSoon  = "due_soon"
	slaBreached = "breached"
	slaPaused   = "paused"
	slaMet      = "met"
)

// slaState is where a request stands against its SLA now: breached once
// a target was missed; met once done in time; paused while it waits on
// the customer; due soon past a warning; on time otherwise. A request
// cancelled in time has none.
func slaState(rq *servicedesk.Request, now time.Time) string {
	switch {
	case rq.ResponseBreached(now) || rq.ResolutionBreached(now):
		return slaBreached
	case rq.Phase == servicedesk.PhaseCancelled:
		return ""
	case !rq.Open():
		return slaMet
	case rq.PausedAt != nil:
		return slaPaused
	case rq.FirstResponseAt == nil && !now.Before(rq.ResponseWarnAt), !now.Before(rq.ResolutionWarnAt):
		return slaDueSoon
	}
	return slaOnTime
}

// deskSiteRows are the requests by site, each linking to the list of the
// site's requests.
func deskSiteRows(p *Page, q deskQuery, counts []servicedesk.SiteCount) []deskSiteRow {
	rows := make([]deskSiteRow, 0, len(counts))
	for _, c := range counts {
		row := deskSiteRow{Name: c.SiteName, Open: c.Open, Total: c.Total}
		if c.SiteID == "" {
			row.Name = p.T("desk.sites.none")
		} else {
			row.State, row.URL = stateLabel(p, c.State), q.link("", "site", c.SiteID)
		}
		rows = append(rows, row)
	}
	return rows
}
