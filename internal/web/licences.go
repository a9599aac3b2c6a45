package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/licensing"
)

// licencesLimit is the page size of the accounts list.
const licencesLimit = 50

// licenceRoutes are the pages of the Teams licensing check (D4); they
// exist when the server has the licence check.
func (s *Server) licenceRoutes(mux router) {
	if s.deps.Licences == nil {
		return
	}
	mux.HandleFunc("GET /numbers/licences", s.active(s.licences))
	mux.HandleFunc("POST /numbers/licences", s.active(s.importLicences))
}

// licencesPage is the licence check of a customer's tenant: the upload
// form of its user list, the last list's figures with a chart of what the
// accounts lack (its bars filter the list), and a page of accounts with
// their verdicts. Staff pick the customer; customer users see their own.
type licencesPage struct {
	*Page
	Query     licencesQuery
	Staff     bool
	Choose    bool
	CanImport bool
	Customers []option
	Filters   []option
	// Action is where the upload form posts, with the customer picked.
	Action  string
	MaxMiB  int
	MaxRows string
	List    *licensing.Summary
	// Imported says who imported the last list, when; NotReady counts
	// the accounts that lack something.
	Imported, NotReady string
	Chart              template.HTML
	Kinds              []licenceKind
	Problems           []problemRow
	// MoreProblems says that only the first rows left out are listed.
	MoreProblems string
	Rows         []licenceRow
	Pager        *pager
	ClearURL     string
}

// licenceKind is how many accounts are of a kind.
type licenceKind struct{ Label, Count string }

// licenceRow is an account as the list shows it.
type licenceRow struct {
	UPN, Name, Kind, Licences string
	Ready                     bool
	Missing, Notes            []string
}

// licencesQuery is the page's filter as its query string carries it;
// Missing is licensing.MissingAny or an item as licensing.Item names it.
type licencesQuery struct {
	Customer, Missing, Q string
}

// parseLicencesQuery reads the filters; a value no form offers is dropped
// and reported as a bad filter. The customer is staff's to pick.
func parseLicencesQuery(q url.Values, staff bool) (licencesQuery, bool) {
	f := licencesQuery{Missing: q.Get("missing"), Q: q.Get("q")}
	if staff {
		f.Customer = q.Get("customer")
	}
	ok := true
	if f.Missing != "" && f.Missing != licensing.MissingAny && licensing.ItemKey(f.Missing) == "" {
		f.Missing, ok = "", false
	}
	if len(f.Customer) > 64 {
		f.Customer, ok = "", false
	}
	if len(f.Q) > 60 {
		f.Q, ok = "", false
	}
	return f, ok
}

// link is the page with one parameter changed (removed when value is
// empty).
func (f licencesQuery) link(key, value string) string {
	v := url.Values{}
	for _, kv := range [][2]string{{"customer", f.Customer}, {"missing", f.Missing}, {"q", f.Q}} {
		if kv[0] == key {
			kv[1] = value
		}
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if len(v) == 0 {
		return "/numbers/licences"
	}
	return "/numbers/licences?" + v.Encode()
}

func (s *Server) licences(w http.ResponseWriter, r *http.Request) {
	s.renderLicences(w, r, s.page(w, r, "licensing.title"), http.StatusOK)
}

func (s *Server) renderLicences(w http.ResponseWriter, r *http.Request, p *Page, status int) {
	ctx := r.Context()
	a := visitOf(r).principal.Actor
	if !licensing.CanView(a) {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
		return
	}
	q, ok := parseLicencesQuery(r.URL.Query(), a.IsStaff())
	if !ok {
		p.Summary = p.T("web.error.bad_filter")
	}
	lp := licencesPage{Page: p, Query: q, Staff: a.IsStaff(), CanImport: licensing.CanImport(a),
		Action: "/numbers/licences" + customerQuery(q.Customer, a.IsStaff()), MaxMiB: licensing.MaxImportBytes >> 20,
		MaxRows: p.Number(licensing.MaxImportRows), ClearURL: licencesQuery{Customer: q.Customer}.link("", "")}
	if lp.Staff {
		cs, err := s.deps.Customers.List(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		lp.Customers = []option{{Value: "", Label: p.T("licensing.choose_customer")}}
		for _, c := range cs {
			lp.Customers = append(lp.Customers, option{Value: c.ID, Label: c.Name + " (" + c.Number + ")", Selected: c.ID == q.Customer})
		}
		if lp.Choose = q.Customer == ""; lp.Choose {
			s.render(w, r, status, "licences", lp)
			return
		}
	}
	sum, err := s.deps.Licences.Summary(ctx, q.Customer)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lp.List = sum
	if sum.Imported {
		if err := s.licenceFigures(p, &lp); err != nil {
			s.internal(w, r, err)
			return
		}
	}
	page := pageNumber(r)
	missing := q.Missing
	if missing != licensing.MissingAny {
		missing = licensing.ItemKey(missing)
	}
	users, total, err := s.deps.Licences.Users(ctx, q.Customer, licensing.Filter{Missing: missing, Query: q.Q},
		(page-1)*licencesLimit, licencesLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, u := range users {
		row := licenceRow{UPN: u.UPN, Name: u.DisplayName, Kind: p.T("licensing.kind." + u.Kind),
			Licences: strings.Join(u.Licences, " + "), Ready: u.Ready}
		for _, m := range u.Missing {
			row.Missing = append(row.Missing, p.T(m))
		}
		for _, n := range u.Notes {
			row.Notes = append(row.Notes, p.T(n))
		}
		lp.Rows = append(lp.Rows, row)
	}
	lp.Pager = newPager(p, r, page, licencesLimit, total)
	s.render(w, r, status, "licences", lp)
}

// licenceFigures fills what the page says of the last list: who imported
// it when, the accounts by kind, the chart of what they lack, the filter
// by it, and the rows of the file left out.
func (s *Server) licenceFigures(p *Page, lp *licencesPage) error {
	sum, q := lp.List, lp.Query
	lp.Imported = p.T("licensing.summary.last", "File", sum.FileName, "When", p.DateTime(sum.ImportedAt), "Who", sum.ImportedBy)
	lp.NotReady = p.Number(sum.Users - sum.Ready)
	for _, k := range sum.Kinds {
		lp.Kinds = append(lp.Kinds, licenceKind{Label: p.T("licensing.kind." + k.Key), Count: p.Number(k.Count)})
	}
	c := chart{ID: "licences-chart", Title: p.T("licensing.summary.chart"), Max: float64(sum.Users),
		Bars: []chartBar{{Label: p.T("licensing.summary.ready_bar"), Value: p.Number(sum.Ready), N: float64(sum.Ready)}}}
	lp.Filters = []option{{Value: "", Label: p.T("licensing.filter.all"), Selected: q.Missing == ""},
		{Value: licensing.MissingAny, Label: p.T("licensing.filter.any"), Selected: q.Missing == licensing.MissingAny}}
	for _, m := range sum.Missing {
		item := licensing.Item(m.Key)
		c.Bars = append(c.Bars, chartBar{Label: p.T("licensing.short." + item), Value: p.Number(m.Count), N: float64(m.Count),
			URL: q.link("missing", item), Selected: q.Missing == item})
		lp.Filters = append(lp.Filters, option{Value: item, Label: p.T(m.Key), Selected: q.Missing == item})
	}
	var err error
	if lp.Chart, err = renderChart(c); err != nil {
		return err
	}
	shown := sum.Problems[:min(len(sum.Problems), importProblemsShown)]
	if len(shown) < sum.ErrorRows {
		lp.MoreProblems = p.T("licensing.summary.more_problems", "Shown", len(shown))
	}
	for _, pb := range shown {
		lp.Problems = append(lp.Problems, problemRow{Line: pb.Line,
			Problems: []problemCell{{Column: pb.Column, Message: problemMessage(p, pb)}}})
	}
	return nil
}

// licenceUploadLimit is how large an upload of a user list may be: the
// file limit plus the form around it.
func licenceUploadLimit() int64 { return licensing.MaxImportBytes + 64<<10 }

// importLicences takes a user list and replaces the customer's accounts
// with it; what is wrong with the file as a whole is said on the form.
func (s *Server) importLicences(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	if !licensing.CanImport(a) {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
		return
	}
	customerID := scopeCustomer(r)
	refuse := func(status int, err error) {
		p := s.page(w, r, "licensing.title")
		if !formError(p, err) {
			s.fail(w, r, err)
			return
		}
		s.renderLicences(w, r, p, status)
	}
	r.Body = http.MaxBytesReader(w, r.Body, licenceUploadLimit())
	name, data, status, err := readFileForm(r, licensing.MaxImportBytes)
	if errors.Is(err, errBadForm) {
		s.badForm(w, r)
		return
	} else if err != nil {
		refuse(status, err)
		return
	}
	if _, err := s.deps.Licences.Import(r.Context(), customerID, name, data); err != nil {
		refuse(formStatus(err), err)
		return
	}
	s.flash(w, "licensing.flash.imported")
	http.Redirect(w, r, "/numbers/licences"+customerQuery(customerID, a.IsStaff()), http.StatusSeeOther)
}
