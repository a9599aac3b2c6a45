package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// workPage is "my work" (C4): the open tasks of the projects the reader
// follows, overdue first, then those waiting (blocked, or their gate not
// met), then the rest by due date. Customers see what their side must do.
type workPage struct {
	*Page
	Staff    bool
	Scope    string
	Sections []workSection
}

// workSection is one list of the work page.
type workSection struct {
	ID, Title string
	Items     []workItem
}

// workItem is an open task in a next-action list.
type workItem struct {
	ProjectID, Folio, Project, Customer, Site string
	TaskKey, Task, Party, Status, Due, Gate   string
	Overdue                                   bool
}

// workScope reads ?scope= (mine or all); a PM's default is their own
// projects, everybody else's all of them.
func workScope(r *http.Request, a *enlace.Actor) (string, bool) {
	switch sc := r.URL.Query().Get("scope"); sc {
	case "mine", "all":
		return sc, true
	case "":
		if a.StaffRole == identity.StaffPM {
			return "mine", true
		}
		return "all", true
	}
	return "all", false
}

func (s *Server) projectWork(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	p := s.page(w, r, "projects.work.title")
	wp := workPage{Page: p, Staff: a.IsStaff()}
	f := activation.ProjectFilter{Limit: 500}
	if a.IsStaff() {
		var ok bool
		if wp.Scope, ok = workScope(r, a); !ok {
			p.Summary = p.T("web.error.bad_filter")
		}
		if wp.Scope == "mine" {
			f.PMUserID = &a.UserID
		}
	}
	actions, err := s.deps.Projects.NextActions(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	overdue := workSection{ID: "work-overdue", Title: p.T("projects.work.overdue")}
	waiting := workSection{ID: "work-waiting", Title: p.T("projects.work.waiting")}
	later := workSection{ID: "work-next", Title: p.T("projects.work.next")}
	now := s.deps.Projects.Now()
	for _, na := range actions {
		it := workItemOf(p, na, now)
		switch {
		case it.Overdue:
			overdue.Items = append(overdue.Items, it)
		case na.Status == activation.TaskBlocked || it.Gate != "":
			waiting.Items = append(waiting.Items, it)
		default:
			later.Items = append(later.Items, it)
		}
	}
	wp.Sections = []workSection{overdue, waiting, later}
	s.render(w, r, http.StatusOK, "projects_work", wp)
}

func workItemOf(p *Page, na activation.NextAction, now time.Time) workItem {
	it := workItem{ProjectID: na.ProjectID, Folio: na.ProjectFolio, Project: na.ProjectTitle, Customer: na.CustomerName,
		Site: na.SiteName, TaskKey: na.Key, Task: na.Key, Party: na.Party, Status: na.Status, Due: p.DateTime(na.Due()),
		Overdue: na.Overdue(now)}
	if na.Step != nil {
		it.Task = na.Step.Name.In(p.Lang)
		if g := na.Step.Gate; g != nil && na.GateMetAt == nil {
			it.Gate = gateText(p, g)
		}
	}
	return it
}

// boardPage is the PM's board (C4): per runbook, a column per phase with
// the active projects at that phase.
type boardPage struct {
	*Page
	Scope    string
	Runbooks []boardRunbook
}

type boardRunbook struct {
	Key, Name string
	Count     int
	Columns   []boardColumn
}

type boardColumn struct {
	Key, Name string
	Cards     []boardCard
}

type boardCard struct {
	ID, Folio, Title, Customer, PlannedEnd string
	Overdue, Blocked                       bool
}

func (s *Server) projectBoard(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	if !a.IsStaff() {
		s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
		return
	}
	ctx := r.Context()
	p := s.page(w, r, "projects.board.title")
	bp := boardPage{Page: p}
	scope, ok := workScope(r, a)
	if !ok {
		p.Summary = p.T("web.error.bad_filter")
	}
	bp.Scope = scope
	f := activation.ProjectFilter{}
	if scope == "mine" {
		f.PMUserID = &a.UserID
	}
	phases, err := s.deps.Projects.Board(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	projects, err := s.activeProjects(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Limit = 500
	actions, err := s.deps.Projects.NextActions(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	current, err := s.deps.Projects.Catalog().Current(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	bp.Runbooks = boardRunbooks(p, current, phases, projects, actions, s.deps.Projects.Now())
	s.render(w, r, http.StatusOK, "projects_board", bp)
}

// activeProjects reads every active project matching f, a page at a time.
func (s *Server) activeProjects(ctx context.Context, f activation.ProjectFilter) (map[string]activation.Project, error) {
	active := activation.ProjectActive
	f.Status, f.Limit = &active, 200
	out := map[string]activation.Project{}
	for f.Offset = 0; f.Offset < 5000; f.Offset += f.Limit {
		list, total, err := s.deps.Projects.Projects(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, pr := range list {
			out[pr.ID] = pr
		}
		if f.Offset+len(list) >= total || len(list) == 0 {
			break
		}
	}
	return out, nil
}

// boardRunbooks lays the board out: a section per runbook with active
// projects, its phases as columns; a phase a project's older version has
// and the newest lacks gets a column of its own at the end.
func boardRunbooks(p *Page, current []*runbook.Template, phases []activation.PhaseCount,
	projects map[string]activation.Project, actions []activation.NextAction, now time.Time) []boardRunbook {
	overdue, blocked := map[string]bool{}, map[string]bool{}
	for _, na := range actions {
		overdue[na.ProjectID] = overdue[na.ProjectID] || na.Overdue(now)
		blocked[na.ProjectID] = blocked[na.ProjectID] || na.Status == activation.TaskBlocked
	}
	var out []boardRunbook
	for _, tp := range current {
		br := boardRunbook{Key: tp.Key, Name: tp.Name.In(p.Lang)}
		col := map[string]int{}
		for _, ph := range tp.Phases {
			col[ph.Key] = len(br.Columns)
			br.Columns = append(br.Columns, boardColumn{Key: ph.Key, Name: ph.Name.In(p.Lang)})
		}
		for _, pc := range phases {
			pr, ok := projects[pc.ProjectID]
			if pc.TemplateKey != tp.Key || !ok {
				continue
			}
			i, ok := col[pc.Phase]
			if !ok {
				i, col[pc.Phase] = len(br.Columns), len(br.Columns)
				br.Columns = append(br.Columns, boardColumn{Key: pc.Phase, Name: pc.Phase})
			}
			br.Columns[i].Cards = append(br.Columns[i].Cards, boardCard{ID: pr.ID, Folio: pr.Folio, Title: pr.Title,
				Customer: pr.CustomerName, PlannedEnd: p.DateTime(pr.PlannedEnd), Overdue: overdue[pr.ID], Blocked: blocked[pr.ID]})
			br.Count++
		}
		out = append(out, br)
	}
	return out
}

// ordersPage is "orders in progress by site" (C6): a customer's active
// projects, and those completed in the last 30 days, grouped by site.
type ordersPage struct {
	*Page
	Customers  []option
	CustomerID string
	Choose     bool
	Sites      []orderSite
}

type orderSite struct {
	ID, Name string
	Rows     []projectRow
}

// recentlyCompleted is how long a completed project stays on the orders page.
const recentlyCompleted = 30 * 24 * time.Hour

func (s *Server) orders(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	ctx := r.Context()
	cid := r.URL.Query().Get("customer_id")
	if !a.IsStaff() && cid != "" && cid != a.CustomerID {
		s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
		return
	}
	p := s.page(w, r, "projects.orders.title")
	op := ordersPage{Page: p, CustomerID: cid}
	if a.IsStaff() {
		cs, err := s.deps.Customers.List(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		op.Customers = customerOptions(p, cs, cid)
		op.Customers[0].Label = p.T("inventory.choose_customer")
		if op.Choose = cid == ""; op.Choose {
			s.render(w, r, http.StatusOK, "projects_orders", op)
			return
		}
		if _, err := s.deps.Customers.Get(ctx, cid); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	list, err := s.orderProjects(ctx, cid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	current, err := s.deps.Projects.Catalog().Current(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.projectRows(ctx, p, list, current)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, row := range rows {
		i := slices.IndexFunc(op.Sites, func(st orderSite) bool { return st.ID == row.SiteID })
		if i < 0 {
			i = len(op.Sites)
			op.Sites = append(op.Sites, orderSite{ID: row.SiteID, Name: row.SiteName})
		}
		op.Sites[i].Rows = append(op.Sites[i].Rows, row)
	}
	slices.SortStableFunc(op.Sites, func(x, y orderSite) int { return cmp.Compare(x.Name, y.Name) })
	s.render(w, r, http.StatusOK, "projects_orders", op)
}

// orderProjects returns the customer's active projects and those
// completed recently, soonest end first.
func (s *Server) orderProjects(ctx context.Context, customerID string) ([]activation.Project, error) {
	var out []activation.Project
	since := s.deps.Projects.Now().Add(-recentlyCompleted)
	for _, st := range []string{activation.ProjectActive, activation.ProjectCompleted} {
		list, _, err := s.deps.Projects.Projects(ctx, activation.ProjectFilter{CustomerID: customerID, Status: &st, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, pr := range list {
			if pr.Status == activation.ProjectActive || pr.CompletedAt != nil && pr.CompletedAt.After(since) {
				out = append(out, pr)
			}
		}
	}
	slices.SortStableFunc(out, func(x, y activation.Project) int { return x.PlannedEnd.Compare(y.PlannedEnd) })
	return out, nil
}
