package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/reach"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// A migration's list of people (D3, seed 003): who is reached on which
// provisional number while the old numbers are ported, whose old number
// the provider presents on the trunk and whose old number forwards. The
// list's page (this file), its changes (reach_actions.go), one person's
// page (reach_line.go) and the forwarding list to download
// (reach_csv.go).

// reachRoutes are the pages of the lists of people; they exist when the
// server keeps lists.
func (s *Server) reachRoutes(mux router) {
	if s.deps.Reach == nil {
		return
	}
	mux.HandleFunc("GET /projects/{id}/reach", s.active(s.reachList))
	mux.HandleFunc("GET /projects/{id}/reach.csv", s.active(s.reachCSV))
	mux.HandleFunc("POST /projects/{id}/reach/act", s.active(s.actOnReach))
	mux.HandleFunc("POST /projects/{id}/reach/lines", s.active(s.addReachLines))
	mux.HandleFunc("GET /projects/{id}/reach/lines/{line}", s.active(s.reachLine))
	mux.HandleFunc("POST /projects/{id}/reach/lines/{line}", s.active(s.updateReachLine))
	mux.HandleFunc("POST /projects/{id}/reach/lines/{line}/temporary", s.active(s.assignReachTemporary))
	mux.HandleFunc("POST /projects/{id}/reach/lines/{line}/remove", s.active(s.removeReachLine))
	mux.HandleFunc("POST /projects/{id}/reach/trunks", s.active(s.addReachTrunk))
	mux.HandleFunc("POST /projects/{id}/reach/trunks/{trunk}", s.active(s.updateReachTrunk))
	mux.HandleFunc("POST /projects/{id}/reach/trunks/{trunk}/remove", s.active(s.removeReachTrunk))
	mux.HandleFunc("POST /projects/{id}/reach/temporaries", s.active(s.assignReachTemporaries))
	mux.HandleFunc("POST /projects/{id}/reach/release", s.active(s.releaseReachTemporaries))
}

// reachPasteLimit is the body limit of the form people are pasted into:
// the most rows added at once, each a long name, number and e-mail as a
// form encodes them, and the form around them.
const reachPasteLimit = reach.MaxRows*256 + 64<<10

// reachPageSize is how many people the list shows at a time.
const reachPageSize = 200

// reachPage is a project's list of people as the reader sees it: the
// migration's checkpoints, the people, and the forms of what the reader
// may do — the customer keeps the list and confirms the forwarding, the
// provider's staff give the provisional numbers, keep the trunks and
// record CLIP-no-screening.
type reachPage struct {
	*Page
	Project *activation.Project
	// URL is the list's page; the forms post under it.
	URL, CSVURL string
	// MayProvide and MayKeep are reach.CanProvide and reach.CanKeepList;
	// Open tells the list may still change (the project is not
	// cancelled).
	MayProvide, MayKeep, Open bool
	Releasable                bool
	Checks                    []reachCheck
	Rows                      []reachRow
	Pager                     *pager
	PageNumber                int
	Trunks                    []reachTrunk
	// Actions are the bulk actions on the people selected; ToTrunks the
	// trunks staff may put them on.
	Actions  []option
	ToTrunks []option
	// Missing is how many people have no provisional number yet.
	Missing int
	// Given says how many provisional numbers were just given, and
	// Shortfalls where free numbers ran out; NumbersURL is where staff
	// add numbers to the customer's inventory.
	Given      string
	Shortfalls []string
	NumbersURL string
	// RowErrors are the problems of the people pasted, row by row.
	RowErrors []string
	// OpenForm names the form that failed, Form what it posted.
	OpenForm string
	Form     url.Values
}

// Kept returns what was typed in a field of the form that failed, or
// value when that form did not fail.
func (p *reachPage) Kept(form, field, value string) string {
	if p.Form == nil || p.OpenForm != form {
		return value
	}
	return p.Form.Get(field)
}

// reachCheck is one checkpoint of the migration: how many people reached
// it, or the runbook task it waits for.
type reachCheck struct {
	Key, Label           string
	Done, Total, Percent int
	Counted, Complete    bool
	Task                 *reachTask
}

// reachTask is the runbook task tied to a checkpoint, linked on the
// project's page, and who met its gate when.
type reachTask struct {
	Name, Status, URL, Gate string
}

// reachRow is one person as the list shows them.
type reachRow struct {
	ID, Person, Ref, Old string
	// OldState is the old number's state in the inventory, OrderURL the
	// port order bringing it in.
	OldState, OrderURL string
	// Temporary is the provisional number, TemporaryURL its page and
	// TemporaryState its state (released: it no longer rings them).
	Temporary, TemporaryURL, TemporaryState string
	Trunk                                   string
	Clip, ClipBy, ClipAt                    string
	Forwarding, ForwardingBy, ForwardingAt  string
	EditURL                                 string
	Checked                                 bool
}

// reachTrunk is one of the provider's trunks with the people on it whose
// old number is not presented yet.
type reachTrunk struct {
	reach.Trunk
	Form    string
	Pending []string
}

func (s *Server) reachList(w http.ResponseWriter, r *http.Request) {
	pl, err := s.deps.Reach.Plan(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderReach(w, r, s.page(w, r, "reach.page.title"), http.StatusOK, pl, "", nil)
}

// renderReach draws the list's page; open names the form that failed,
// shown again with what was typed, and failure is its error.
func (s *Server) renderReach(w http.ResponseWriter, r *http.Request, p *Page, status int, pl *reach.Plan, open string, failure error) {
	a, pr := p.Actor, pl.Project.Project
	rp := &reachPage{Page: p, Project: pr, URL: reachPath(pr.ID), CSVURL: reachPath(pr.ID) + ".csv",
		MayProvide: reach.CanProvide(a), MayKeep: reach.CanKeepList(a), Open: pl.Open(), OpenForm: open}
	p.Title = p.T("reach.page.title") + " · " + pr.Folio
	rp.Releasable = rp.MayProvide && rp.Open && pl.Releasable()
	if r.Method == http.MethodPost {
		rp.Form = r.PostForm
	}
	if open == "add" && failure != nil {
		rowErrors(rp, failure)
	}
	rp.Checks = reachChecks(p, pl)
	s.fillReachRows(r, rp, pl)
	s.fillReachTrunks(rp, pl)
	if rp.Open && len(pl.Lines) > 0 {
		if rp.MayKeep {
			rp.Actions = append(rp.Actions, translatedOptions(p, "reach.action.",
				[]string{reach.ActConfirmForwarding, reach.ActClearForwarding}, "")...)
		}
		if rp.MayProvide {
			rp.Actions = append(rp.Actions, translatedOptions(p, "reach.action.",
				[]string{reach.ActConfirmClip, reach.ActClearClip}, "")...)
			for _, t := range pl.Trunks {
				rp.ToTrunks = append(rp.ToTrunks, option{Value: t.ID, Label: t.Name})
			}
		}
	}
	if rp.MayProvide && s.deps.Numbers != nil {
		rp.NumbersURL = "/numbers/new?customer=" + url.QueryEscape(pr.CustomerID)
	}
	if r.Method == http.MethodGet {
		fillGiven(rp, pl, r.URL.Query().Get("given"))
	}
	s.render(w, r, status, "reach", rp)
}

func reachPath(projectID string) string { return "/projects/" + url.PathEscape(projectID) + "/reach" }

// reachChecks lists the checkpoints with their progress and tasks.
func reachChecks(p *Page, pl *reach.Plan) []reachCheck {
	var out []reachCheck
	for i := range pl.Checks {
		c := &pl.Checks[i]
		rc := reachCheck{Key: c.Key, Label: p.T("reach.check." + c.Key), Done: c.Done, Total: c.Total,
			Complete: c.Complete(), Counted: isListStep(c.Key)}
		if c.Total > 0 {
			rc.Percent = c.Done * 100 / c.Total
		}
		if t := c.Task; t != nil && t.Step != nil {
			rt := &reachTask{Name: t.Step.Name.In(p.Lang), Status: t.Status,
				URL: "/projects/" + url.PathEscape(pl.Project.Project.ID) + "#task-" + t.Key}
			if t.GateMetAt != nil && t.Step.Gate != nil {
				rt.Gate = gateMet(p, t)
			}
			rc.Task = rt
		}
		out = append(out, rc)
	}
	return out
}

// isListStep reports whether a checkpoint counts the people on the list.
func isListStep(key string) bool {
	return key == reach.CheckTemporary || key == reach.CheckClip || key == reach.CheckForwarding || key == reach.CheckPorted
}

// gateMet says who met a task's gate and when: for a confirmation (the
// point of no return) the name of the person who confirmed it.
func gateMet(p *Page, t *activation.Task) string {
	at := p.DateTime(*t.GateMetAt)
	if t.Step.Gate.Kind == runbook.GateConfirmation && t.GateDetail != "" {
		return p.T("reach.page.confirmed_by", "Name", t.GateDetail, "Date", at)
	}
	if t.GateDetail != "" {
		return p.T("reach.page.gate_met_detail", "Date", at, "Detail", t.GateDetail)
	}
	return p.T("reach.page.gate_met", "Date", at)
}

// fillReachRows puts one page of the people on the list's page.
func (s *Server) fillReachRows(r *http.Request, rp *reachPage, pl *reach.Plan) {
	page := pageNumber(r)
	if r.Method == http.MethodPost {
		// The page the form was on, which the form names.
		page = 1
		if n, err := strconv.Atoi(r.PostForm.Get("page")); err == nil && n >= 1 && n <= 100000 {
			page = n
		}
	}
	from := min((page-1)*reachPageSize, len(pl.Lines))
	to := min(from+reachPageSize, len(pl.Lines))
	rp.PageNumber = page
	// The pager's links lead to the list, also from a page answering a
	// form posted elsewhere.
	list := &http.Request{URL: &url.URL{Path: rp.URL}}
	rp.Pager = newPager(rp.Page, list, page, reachPageSize, len(pl.Lines))
	var selected []string
	if rp.OpenForm == "act" && rp.Form != nil {
		selected = rp.Form["line"]
	}
	for i := range pl.Lines {
		l := &pl.Lines[i]
		if !l.HasTemporary() {
			rp.Missing++
		}
		if i < from || i >= to {
			continue
		}
		rp.Rows = append(rp.Rows, s.reachRowOf(rp, l, slices.Contains(selected, l.ID)))
	}
}

func (s *Server) reachRowOf(rp *reachPage, l *reach.Line, checked bool) reachRow {
	p := rp.Page
	row := reachRow{ID: l.ID, Person: l.Person, Ref: l.Ref, Old: numbering.Format(l.OldE164), OldState: l.OldState,
		Trunk: l.TrunkName, Checked: checked}
	if l.OldPortOrderID != "" && s.deps.Porting != nil {
		row.OrderURL = "/port-orders/" + url.PathEscape(l.OldPortOrderID)
	}
	if l.TemporaryNumberID != "" {
		row.Temporary, row.TemporaryState = numbering.Format(l.TemporaryE164), l.TemporaryState
		if s.deps.Numbers != nil {
			row.TemporaryURL = "/numbers/" + url.PathEscape(l.TemporaryNumberID)
		}
	}
	if l.ClipAt != nil {
		row.Clip, row.ClipBy, row.ClipAt = "✓", l.ClipBy, p.DateTime(*l.ClipAt)
	}
	if l.ForwardingAt != nil {
		row.Forwarding, row.ForwardingBy, row.ForwardingAt = "✓", l.ForwardingBy, p.DateTime(*l.ForwardingAt)
	}
	if rp.MayKeep && rp.Open {
		row.EditURL = rp.URL + "/lines/" + url.PathEscape(l.ID)
	}
	return row
}

// fillReachTrunks lists the trunks for the staff who keep them, each
// with the people on it whose old number is not presented yet and who
// have a provisional number to present it on.
func (s *Server) fillReachTrunks(rp *reachPage, pl *reach.Plan) {
	if !rp.MayProvide {
		return
	}
	for _, t := range pl.Trunks {
		rt := reachTrunk{Trunk: t, Form: "trunk-" + t.ID}
		for i := range pl.Lines {
			if l := &pl.Lines[i]; l.TrunkID == t.ID && l.ClipAt == nil && l.HasTemporary() {
				rt.Pending = append(rt.Pending, l.ID)
			}
		}
		rp.Trunks = append(rp.Trunks, rt)
	}
}

// fillGiven says, after provisional numbers were given to everyone, how
// many were given and, by local area, for how many people the customer
// had no free number: those still without one.
func fillGiven(rp *reachPage, pl *reach.Plan, given string) {
	n, err := strconv.Atoi(given)
	if err != nil || n < 0 || n > len(pl.Lines) {
		return
	}
	p := rp.Page
	rp.Given = p.T("reach.page.given", "Count", p.Number(n))
	for _, sf := range reach.Shortfalls(pl.Lines) {
		rp.Shortfalls = append(rp.Shortfalls, p.T("reach.page.shortfall", "Area", numbering.FormatArea(sf.Area), "Count", p.Number(sf.Count)))
	}
}

// rowErrors lists the problems of the people pasted, in row order, below
// the text area; the summary at the top, which leads to it, counts the
// rows with problems rather than repeating them.
func rowErrors(rp *reachPage, err error) {
	rows := map[any]bool{}
	for _, f := range enlace.AsError(err).Fields {
		if f.Field != "lines" {
			continue
		}
		rp.RowErrors = append(rp.RowErrors, rp.loc.TMap(f.Message, f.Args))
		if n, ok := f.Args["Row"]; ok {
			rows[n] = true
		}
	}
	if len(rows) > 0 {
		rp.Errors = map[string]string{"lines-add": rp.T("reach.page.rows_problems", "Count", len(rows))}
	}
}
