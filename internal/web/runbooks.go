package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// runbooksPage lists the newest version of every runbook, for staff.
type runbooksPage struct {
	*Page
	Runbooks []runbookRow
	CanEdit  bool
}

type runbookRow struct {
	Key, Name, Summary     string
	Version, Phases, Tasks int
	Offerings              []string
}

// runbookAccess lets staff read runbooks (customers get 404) and, when
// edit is set, only staff administrators change them (others get 403).
func (s *Server) runbookAccess(w http.ResponseWriter, r *http.Request, edit bool) bool {
	a := visitOf(r).principal.Actor
	switch {
	case !a.IsStaff():
		s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
	case edit && !activation.CanEditRunbooks(a):
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
	default:
		return true
	}
	return false
}

func (s *Server) runbooks(w http.ResponseWriter, r *http.Request) {
	if !s.runbookAccess(w, r, false) {
		return
	}
	current, err := s.deps.Projects.Catalog().Current(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "projects.runbooks.title")
	rp := runbooksPage{Page: p, CanEdit: activation.CanEditRunbooks(p.Actor)}
	for _, tp := range current {
		rp.Runbooks = append(rp.Runbooks, runbookRow{Key: tp.Key, Name: tp.Name.In(p.Lang), Summary: tp.Summary.In(p.Lang),
			Version: tp.Version, Phases: len(tp.Phases), Tasks: len(tp.Tasks()), Offerings: tp.Offerings})
	}
	s.render(w, r, http.StatusOK, "runbooks", rp)
}

// runbookPage shows one version of a runbook: its phases and tasks with
// everything the template says of them, options, billing rule, notes and
// the version history.
type runbookPage struct {
	*Page
	Runbook     *runbook.Template
	Name        string
	Summary     string
	Advice      string
	Billing     string
	BillingNote string
	Options     []projectOption
	Phases      []runbookPhase
	Notes       []string
	Versions    []runbookVersion
	Latest      bool
	CanEdit     bool
}

type runbookPhase struct {
	Key, Name string
	Tasks     []runbookTask
}

type runbookTask struct {
	Key, Name, Party, Duration, Estimate, Lead, Gate, Note, When, Milestone string
	With, After, Documents                                                  []string
	Window, Internal, Elapsed                                               bool
}

type runbookVersion struct {
	Version   int
	CreatedAt string
	Shipped   bool
	Current   bool
}

func (s *Server) runbookDetail(w http.ResponseWriter, r *http.Request) {
	if !s.runbookAccess(w, r, false) {
		return
	}
	ctx, key := r.Context(), r.PathValue("key")
	catalog := s.deps.Projects.Catalog()
	versions, err := catalog.Versions(ctx, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(versions) == 0 {
		s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
		return
	}
	version := versions[0].Version
	if v := r.URL.Query().Get("version"); v != "" {
		if version, err = strconv.Atoi(v); err != nil {
			s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
			return
		}
	}
	tp, err := catalog.Template(ctx, key, version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "projects.runbook.title")
	p.Title = tp.Name.In(p.Lang)
	rp := runbookPage{Page: p, Runbook: tp, Name: tp.Name.In(p.Lang), Summary: tp.Summary.In(p.Lang),
		Advice: tp.Advice.In(p.Lang), BillingNote: tp.Billing.Note.In(p.Lang), Latest: version == versions[0].Version,
		Billing: p.T("runbook.billing."+tp.Billing.Rule, "task", billingTask(tp, p.Lang)),
		CanEdit: activation.CanEditRunbooks(p.Actor)}
	for _, o := range tp.Options {
		rp.Options = append(rp.Options, projectOption{Key: o.Key, Label: o.Label.In(p.Lang), Checked: o.Default})
	}
	for _, ph := range tp.Phases {
		rph := runbookPhase{Key: ph.Key, Name: ph.Name.In(p.Lang)}
		for i := range ph.Tasks {
			rph.Tasks = append(rph.Tasks, runbookTaskOf(p, tp, &ph.Tasks[i]))
		}
		rp.Phases = append(rp.Phases, rph)
	}
	for _, n := range tp.Notes {
		rp.Notes = append(rp.Notes, n.In(p.Lang))
	}
	for _, v := range versions {
		rp.Versions = append(rp.Versions, runbookVersion{Version: v.Version, CreatedAt: p.DateTime(v.CreatedAt),
			Shipped: v.CreatedBy == "enlace", Current: v.Version == version})
	}
	s.render(w, r, http.StatusOK, "runbook", rp)
}

func runbookTaskOf(p *Page, tp *runbook.Template, t *runbook.Task) runbookTask {
	rt := runbookTask{Key: t.Key, Name: t.Name.In(p.Lang), Party: t.Party, With: t.With, Duration: p.Duration(t.Duration),
		Estimate: p.DurationPtr(t.Estimate), Lead: p.DurationPtr(t.Lead), Note: t.Note.In(p.Lang), Documents: t.Documents,
		Window: t.Window, Internal: t.Internal, Elapsed: t.Elapsed}
	for _, a := range t.After {
		if at := tp.Task(a); at != nil {
			rt.After = append(rt.After, at.Name.In(p.Lang))
		}
	}
	if t.Gate != nil {
		rt.Gate = gateText(p, t.Gate)
	}
	if t.Milestone != "" {
		rt.Milestone = p.T("runbook.milestone." + t.Milestone)
	}
	if t.When != "" {
		name, not := strings.CutPrefix(t.When, "!")
		label := name
		for _, o := range tp.Options {
			if o.Key == name {
				label = o.Label.In(p.Lang)
			}
		}
		if not {
			rt.When = p.T("projects.runbook.when_not", "Option", label)
		} else {
			rt.When = p.T("projects.runbook.when", "Option", label)
		}
	}
	return rt
}
