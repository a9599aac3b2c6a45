package web

import (
	"net/http"
	"net/url"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/reach"
)

// reachLinePage is one person of a list, for those who keep it: their
// name, sign-in name and old number, and for the provider's staff their
// trunk and the choice of their provisional number.
type reachLinePage struct {
	*Page
	ProjectID, ListURL, URL string
	Line                    *reach.Line
	Old, Temporary          string
	MayProvide, Open        bool
	// Trunks and Candidates are the choices of trunk and provisional
	// number, for staff.
	Trunks, Candidates []option
	// OpenForm names the form that failed ("line", "temporary",
	// "remove"), Form what it posted.
	OpenForm string
	Form     url.Values
}

// Kept returns what was typed in a field of the form that failed, or
// value when that form did not fail.
func (p *reachLinePage) Kept(form, field, value string) string {
	if p.Form == nil || p.OpenForm != form {
		return value
	}
	return p.Form.Get(field)
}

// reachLineOf returns the list and the person at the route's ids, or
// answers the request when the reader does not see them or may not keep
// the list.
func (s *Server) reachLineOf(w http.ResponseWriter, r *http.Request) (*reach.Plan, *reach.Line) {
	pl, err := s.deps.Reach.Plan(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return nil, nil
	}
	l := pl.Line(r.PathValue("line"))
	if l == nil {
		s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
		return nil, nil
	}
	if !reach.CanKeepList(visitOf(r).principal.Actor) {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
		return nil, nil
	}
	return pl, l
}

func (s *Server) reachLine(w http.ResponseWriter, r *http.Request) {
	pl, l := s.reachLineOf(w, r)
	if l == nil {
		return
	}
	s.renderReachLine(w, r, s.page(w, r, "reach.page.line_title"), http.StatusOK, pl, l, "")
}

func (s *Server) renderReachLine(w http.ResponseWriter, r *http.Request, p *Page, status int, pl *reach.Plan, l *reach.Line, open string) {
	pr := pl.Project.Project
	lp := &reachLinePage{Page: p, ProjectID: pr.ID, ListURL: reachPath(pr.ID), Line: l, Old: numbering.Format(l.OldE164),
		MayProvide: reach.CanProvide(p.Actor), Open: pl.Open(), OpenForm: open}
	lp.URL = lp.ListURL + "/lines/" + url.PathEscape(l.ID)
	p.Title = l.Person + " · " + p.T("reach.page.title")
	if r.Method == http.MethodPost {
		lp.Form = r.PostForm
	}
	if l.HasTemporary() {
		lp.Temporary = numbering.Format(l.TemporaryE164)
	}
	if lp.MayProvide {
		trunk := lp.Kept("line", "trunkId", l.TrunkID)
		lp.Trunks = []option{{Value: "", Label: p.T("reach.page.line_no_trunk")}}
		for _, t := range pl.Trunks {
			lp.Trunks = append(lp.Trunks, option{Value: t.ID, Label: t.Name, Selected: t.ID == trunk})
		}
	}
	if lp.MayProvide && lp.Open {
		ns, err := s.deps.Reach.Candidates(r.Context(), pr.ID, l.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		chosen := lp.Kept("temporary", "numberId", "")
		for _, n := range ns {
			label := numbering.Format(n.E164) + " · " + p.T("numbering.state."+n.State)
			lp.Candidates = append(lp.Candidates, option{Value: n.ID, Label: label, Selected: n.ID == chosen})
		}
	}
	s.render(w, r, status, "reach_line", lp)
}

func (s *Server) updateReachLine(w http.ResponseWriter, r *http.Request) {
	version, ok := s.versionForm(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	in := reach.LineInput{Person: f.Get("person"), Ref: f.Get("ref"), OldNumber: f.Get("oldNumber"), Version: version}
	// Only the staff's form chooses the trunk; without the field the
	// person keeps theirs.
	if f.Has("trunkId") {
		trunk := f.Get("trunkId")
		in.TrunkID = &trunk
	}
	_, err := s.deps.Reach.UpdateLine(r.Context(), r.PathValue("id"), r.PathValue("line"), in)
	s.reachLineChanged(w, r, err, "line", "reach.flash.line_updated")
}

func (s *Server) assignReachTemporary(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.deps.Reach.AssignTemporary(r.Context(), r.PathValue("id"), r.PathValue("line"), r.PostForm.Get("numberId"))
	s.reachLineChanged(w, r, err, "temporary", "reach.flash.temporary_assigned")
}

func (s *Server) removeReachLine(w http.ResponseWriter, r *http.Request) {
	version, ok := s.versionForm(w, r)
	if !ok {
		return
	}
	err := s.deps.Reach.RemoveLine(r.Context(), r.PathValue("id"), r.PathValue("line"), version)
	s.reachLineChanged(w, r, err, "remove", "reach.flash.line_removed")
}

// reachLineChanged answers a change of a person: to the list with a
// message; the person's page again with the form that failed; or, when
// the person changed meanwhile, their page as it is now with a message
// asking to make the change again.
func (s *Server) reachLineChanged(w http.ResponseWriter, r *http.Request, err error, form, flash string) {
	list := reachPath(r.PathValue("id"))
	if err == nil {
		s.flash(w, flash)
		http.Redirect(w, r, list+"#people", http.StatusSeeOther)
		return
	}
	if staleReach(err) {
		s.flash(w, "reach.flash.changed")
		to := list + "/lines/" + url.PathEscape(r.PathValue("line"))
		if form == "remove" {
			to = list
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	if c := enlace.ErrorCode(err); c != enlace.EINVALID && c != enlace.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	pl, l := s.reachLineOf(w, r)
	if l == nil {
		return
	}
	p := s.page(w, r, "reach.page.line_title")
	formErrors(p, err, form)
	s.renderReachLine(w, r, p, formStatus(err), pl, l, form)
}
