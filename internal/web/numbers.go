package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"github.com/enlace-portal/enlace/internal/numbering"
)

// numbersLimit is the page size of the numbers list.
const numbersLimit = 50

// numberRoutes are the pages of the numbers inventory (D1); they exist
// when the server has a numbering service.
func (s *Server) numberRoutes(mux router) {
	if s.deps.Numbers == nil {
		return
	}
	mux.HandleFunc("GET /numbers", s.active(s.numbers))
	mux.HandleFunc("GET /numbers/new", s.active(s.newNumbersForm))
	mux.HandleFunc("POST /numbers/new", s.active(s.addNumbers))
	mux.HandleFunc("GET /numbers/import", s.active(s.numberImportForm))
	mux.HandleFunc("POST /numbers/import", s.active(s.uploadNumberImport))
	mux.HandleFunc("GET /numbers/import/template.csv", s.active(s.numberImportTemplate))
	mux.HandleFunc("GET /numbers/imports/{id}", s.active(s.numberImport))
	mux.HandleFunc("GET /numbers/imports/{id}/status", s.active(s.numberImportStatus))
	mux.HandleFunc("GET /numbers/imports/{id}/problems.csv", s.active(s.numberImportProblems))
	mux.HandleFunc("GET /numbers/{id}", s.active(s.number))
	mux.HandleFunc("POST /numbers/{id}/act", s.active(s.actOnNumber))
	mux.HandleFunc("POST /numbers/{id}/details", s.active(s.updateNumber))
}

// numbersPage is the numbers list: the chart by state, whose bars filter
// the list, the filters and a page of numbers. Staff pick the customer
// (none: every customer's); customer users see their own.
type numbersPage struct {
	*Page
	Query     numbersQuery
	Staff     bool
	CanManage bool
	Chart     template.HTML
	// AllStates clears the state picked on the chart.
	AllStates string
	Rows      []numberRow
	Pager     *pager
	// NewURL and ImportURL carry the customer picked to the forms.
	NewURL, ImportURL string
	Customers, States []option
}

// numberRow is a number as the list shows it.
type numberRow struct {
	ID, Number, State, Customer, Assignee, AssigneeKind string
	CNAM, Location, Site, PortOrderID, Folio            string
}

// numbersQuery is the filter of the numbers list as its query string
// carries it.
type numbersQuery struct {
	Customer, State, Q string
}

// parseNumbersQuery reads the filters; a value no form offers is dropped
// and reported as a bad filter. The customer filter is staff's.
func parseNumbersQuery(q url.Values, staff bool) (numbersQuery, bool) {
	f := numbersQuery{State: q.Get("state"), Q: q.Get("q")}
	if staff {
		f.Customer = q.Get("customer")
	}
	ok := true
	if f.State != "" && !slices.Contains(numbering.States, f.State) {
		f.State, ok = "", false
	}
	if len(f.Customer) > 64 {
		f.Customer, ok = "", false
	}
	if len(f.Q) > 60 {
		f.Q, ok = "", false
	}
	return f, ok
}

// link is the list with one parameter changed (removed when value is
// empty).
func (f numbersQuery) link(key, value string) string {
	v := url.Values{}
	for _, kv := range [][2]string{{"customer", f.Customer}, {"state", f.State}, {"q", f.Q}} {
		if kv[0] == key {
			kv[1] = value
		}
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if len(v) == 0 {
		return "/numbers"
	}
	return "/numbers?" + v.Encode()
}

func (s *Server) numbers(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	p := s.page(w, r, "numbers.list.title")
	q, ok := parseNumbersQuery(r.URL.Query(), a.IsStaff())
	if !ok {
		p.Summary = p.T("web.error.bad_filter")
	}
	lp := numbersPage{Page: p, Query: q, Staff: a.IsStaff(), CanManage: numbering.CanManage(a), AllStates: q.link("state", ""),
		NewURL: "/numbers/new" + customerQuery(q.Customer, true), ImportURL: "/numbers/import" + customerQuery(q.Customer, true)}
	lp.States = append([]option{{Value: "", Label: p.T("numbers.list.all_states")}},
		translatedOptions(p, "numbering.state.", numbering.States, q.State)...)
	if lp.Staff {
		cs, err := s.deps.Customers.List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		lp.Customers = customerOptions(p, cs, q.Customer)
	}
	counts, err := s.deps.Numbers.Counts(r.Context(), q.Customer)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if lp.Chart, err = renderChart(stateChart(p, q, counts)); err != nil {
		s.internal(w, r, err)
		return
	}
	page := pageNumber(r)
	list, total, err := s.deps.Numbers.List(r.Context(), numbering.Filter{CustomerID: q.Customer, State: q.State, Query: q.Q,
		Offset: (page - 1) * numbersLimit, Limit: numbersLimit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range list {
		lp.Rows = append(lp.Rows, numberRowOf(p, &list[i]))
	}
	lp.Pager = newPager(p, r, page, numbersLimit, total)
	s.render(w, r, http.StatusOK, "numbers_list", lp)
}

// stateChart is the chart of numbers by state: a bar per state in order,
// each a link to the list filtered by it, the state picked marked.
func stateChart(p *Page, q numbersQuery, counts []numbering.StateCount) chart {
	c := chart{ID: "state-chart", Title: p.T("numbers.list.chart")}
	for _, sc := range counts {
		c.Max = max(c.Max, float64(sc.Count))
		c.Bars = append(c.Bars, chartBar{Label: p.T("numbering.state." + sc.State), Value: p.Number(sc.Count),
			N: float64(sc.Count), URL: q.link("state", sc.State), Class: "dc-number-" + sc.State, Selected: sc.State == q.State})
	}
	return c
}

// numberRowOf is a number as the list shows it, with the folio of the
// port order that brings it in.
func numberRowOf(p *Page, n *numbering.Number) numberRow {
	row := numberRow{ID: n.ID, Number: numbering.Format(n.E164), State: n.State, Customer: n.CustomerName,
		Assignee: n.AssigneeName, CNAM: n.CNAM, Location: n.Location, Site: n.SiteName}
	if n.AssigneeKind != "" {
		row.AssigneeKind = p.T("numbering.assignee." + n.AssigneeKind)
	}
	if n.PortOrderFolio != "" {
		row.PortOrderID, row.Folio = n.PortOrderID, n.PortOrderFolio
	}
	return row
}
