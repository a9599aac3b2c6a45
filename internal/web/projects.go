package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// projectsLimit is the page size of the project lists.
const projectsLimit = 25

// projectRoutes are the pages of activation projects (C2–C6), runbooks
// and the working calendar; they exist when the server has an activation
// service.
func (s *Server) projectRoutes(mux router) {
	if s.deps.Projects == nil {
		return
	}
	mux.HandleFunc("GET /projects", s.active(s.projects))
	mux.HandleFunc("GET /projects/new", s.active(s.newProjectForm))
	mux.HandleFunc("POST /projects", s.active(s.createProject))
	mux.HandleFunc("GET /projects/work", s.active(s.projectWork))
	mux.HandleFunc("GET /projects/board", s.active(s.projectBoard))
	mux.HandleFunc("GET /projects/{id}", s.active(s.project))
	mux.HandleFunc("POST /projects/{id}/tasks/{taskID}/act", s.active(s.actOnTask))
	mux.HandleFunc("POST /projects/{id}/tasks/{taskID}/gate", s.active(s.meetGate))
	mux.HandleFunc("POST /projects/{id}/tasks/{taskID}/reschedule", s.active(s.rescheduleTask))
	mux.HandleFunc("POST /projects/{id}/reschedule", s.active(s.rescheduleProject))
	mux.HandleFunc("POST /projects/{id}/cancel", s.active(s.cancelProject))
	mux.HandleFunc("POST /projects/{id}/assign", s.active(s.assignProject))
	if s.deps.Documents != nil {
		mux.HandleFunc("POST /projects/{id}/tasks/{taskID}/documents", s.active(s.uploadTaskDocument))
	}
	mux.HandleFunc("POST /projects/{id}/notes", s.active(s.addNote))
	mux.HandleFunc("POST /projects/{id}/notes/{noteID}/publish", s.active(s.publishNotes))
	mux.HandleFunc("GET /projects/{id}/report", s.active(s.completionReport))
	mux.HandleFunc("GET /orders", s.active(s.orders))

	mux.HandleFunc("GET /runbooks", s.active(s.runbooks))
	mux.HandleFunc("GET /runbooks/new", s.active(s.newRunbookForm))
	mux.HandleFunc("POST /runbooks", s.active(s.publishRunbook))
	mux.HandleFunc("GET /runbooks/{key}", s.active(s.runbookDetail))
	mux.HandleFunc("GET /runbooks/{key}/edit", s.active(s.editRunbookForm))

	mux.HandleFunc("GET /settings/calendar", s.active(s.calendarSettings))
	mux.HandleFunc("POST /settings/calendar", s.active(s.setCalendarDay))
	mux.HandleFunc("POST /settings/calendar/{day}/delete", s.active(s.deleteCalendarDay))
}

// projectsPage lists projects: staff see every project with filters,
// customer users their own customer's.
type projectsPage struct {
	*Page
	Rows      []projectRow
	Pager     *pager
	CanManage bool
	Staff     bool
	Mine      bool
	Statuses  []option
	Runbooks  []option
	Customers []option
}

// projectRow is a project as the lists show it.
type projectRow struct {
	activation.Project
	Runbook    string
	PlannedEnd string
	Progress   progress
}

// progress is how far a project is: its closed tasks (done or not
// applicable) of all the tasks the reader sees.
type progress struct {
	Closed, Total, Percent int
}

func progressOf(tasks []activation.Task) progress {
	closed := 0
	for i := range tasks {
		if tasks[i].Closed() {
			closed++
		}
	}
	return newProgress(closed, len(tasks))
}

func newProgress(closed, total int) progress {
	pr := progress{Closed: closed, Total: total}
	if total > 0 {
		pr.Percent = closed * 100 / total
	}
	return pr
}

// projectQuery is the filter of the project list as its query string
// carries it.
type projectQuery struct {
	Status, Runbook, Customer string
	Mine                      bool
}

func parseProjectQuery(q url.Values, runbooks []*runbook.Template) (projectQuery, bool) {
	f := projectQuery{Status: q.Get("status"), Runbook: q.Get("runbook"), Customer: q.Get("customer"), Mine: q.Get("mine") == "1"}
	ok := true
	if f.Status != "" && !slices.Contains(activation.ProjectStatuses, f.Status) {
		f.Status, ok = "", false
	}
	if f.Runbook != "" && !slices.ContainsFunc(runbooks, func(tp *runbook.Template) bool { return tp.Key == f.Runbook }) {
		f.Runbook, ok = "", false
	}
	if len(f.Customer) > 64 {
		f.Customer, ok = "", false
	}
	return f, ok
}

func (s *Server) projects(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	p := s.page(w, r, "projects.list.title")
	current, err := s.deps.Projects.Catalog().Current(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q, ok := parseProjectQuery(r.URL.Query(), current)
	if !ok {
		p.Summary = p.T("web.error.bad_filter")
	}
	lp := projectsPage{Page: p, CanManage: activation.CanManage(a), Staff: a.IsStaff(), Mine: q.Mine}
	lp.Statuses = append([]option{{Value: "", Label: p.T("projects.list.all_statuses")}},
		translatedOptions(p, "activation.project_status.", activation.ProjectStatuses, q.Status)...)
	lp.Runbooks = []option{{Value: "", Label: p.T("projects.list.all_runbooks")}}
	for _, tp := range current {
		lp.Runbooks = append(lp.Runbooks, option{Value: tp.Key, Label: tp.Name.In(p.Lang), Selected: tp.Key == q.Runbook})
	}
	f := activation.ProjectFilter{}
	if q.Status != "" {
		f.Status = &q.Status
	}
	if q.Runbook != "" {
		f.TemplateKey = &q.Runbook
	}
	if a.IsStaff() {
		cs, err := s.deps.Customers.List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		lp.Customers = customerOptions(p, cs, q.Customer)
		f.CustomerID = q.Customer
		if q.Mine {
			f.PMUserID = &a.UserID
		}
	}
	page := pageNumber(r)
	f.Offset, f.Limit = (page-1)*projectsLimit, projectsLimit
	list, total, err := s.deps.Projects.Projects(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if lp.Rows, err = s.projectRows(r.Context(), p, list, current); err != nil {
		s.fail(w, r, err)
		return
	}
	lp.Pager = newPager(p, r, page, projectsLimit, total)
	s.render(w, r, http.StatusOK, "projects", lp)
}

// customerOptions is the staff's customer filter.
func customerOptions(p *Page, cs []customer.Customer, selected string) []option {
	opts := []option{{Value: "", Label: p.T("projects.list.all_customers")}}
	for _, c := range cs {
		opts = append(opts, option{Value: c.ID, Label: c.Name + " (" + c.Number + ")", Selected: c.ID == selected})
	}
	return opts
}

// projectRows adds each project's runbook name (its own version's, parsed
// once per process) and its progress (counted by the list's query).
func (s *Server) projectRows(ctx context.Context, p *Page, list []activation.Project, current []*runbook.Template) ([]projectRow, error) {
	rows := make([]projectRow, 0, len(list))
	for _, pr := range list {
		own, err := s.deps.Projects.Catalog().Template(ctx, pr.TemplateKey, pr.TemplateVersion)
		if err != nil {
			return nil, err
		}
		rows = append(rows, projectRow{Project: pr, Runbook: runbookName(p, current, pr.TemplateKey, own),
			PlannedEnd: p.DateTime(pr.PlannedEnd), Progress: newProgress(pr.TasksClosed, pr.TasksTotal)})
	}
	return rows, nil
}

// runbookName names a runbook in the reader's language: the project's
// own version when known, else the newest, else its key.
func runbookName(p *Page, current []*runbook.Template, key string, own *runbook.Template) string {
	if own != nil {
		return own.Name.In(p.Lang)
	}
	for _, tp := range current {
		if tp.Key == key {
			return tp.Name.In(p.Lang)
		}
	}
	return key
}

// Duration describes a runbook duration in the page's language: "30 min",
// "5 días hábiles", "24–48 h", "variable".
func (p *Page) Duration(d runbook.Duration) string {
	if d.Variable {
		return p.T("projects.duration.variable")
	}
	if d.IsZero() {
		return ""
	}
	form, n := "other", strconv.Itoa(d.Amount)
	if d.Min > 0 {
		n = strconv.Itoa(d.Min) + "–" + n
	} else if d.Amount == 1 {
		form = "one"
	}
	return p.T("projects.duration."+d.Unit+"."+form, "N", n)
}

// DurationPtr is Duration of an optional duration.
func (p *Page) DurationPtr(d *runbook.Duration) string {
	if d == nil {
		return ""
	}
	return p.Duration(*d)
}

// span describes a length of time in hours and minutes: "240 min (4 h)".
func span(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return strconv.Itoa(m) + " min"
	case m%60 == 0:
		return strconv.Itoa(m) + " min (" + strconv.Itoa(m/60) + " h)"
	}
	return strconv.Itoa(m) + " min (" + strconv.Itoa(m/60) + " h " + strconv.Itoa(m%60) + " min)"
}

// Party names a party of a runbook.
func (p *Page) Party(party string) string { return p.T("runbook.party." + party) }

// changeFailed sorts a refused change to a project: errors a person can
// act on are shown on the project page, the rest as an error page.
func changeFailed(err error) bool {
	switch enlace.ErrorCode(err) {
	case enlace.EINVALID, enlace.EFORBIDDEN, enlace.ECONFLICT:
		return true
	}
	return false
}

// localTime reads a date (YYYY-MM-DD) and an optional time (HH:MM) typed
// in the provider's zone; false when they cannot be read. An empty date
// is the zero time.
func localTime(day, clock string, loc *time.Location) (time.Time, bool) {
	if day == "" {
		return time.Time{}, clock == ""
	}
	if clock == "" {
		clock = "09:00"
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, loc)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
