package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// projectFormPage starts a project (C2). It comes in two steps, so that
// it works without a script: first the customer and the runbook, then
// what depends on them (billing account, site, options, contact).
type projectFormPage struct {
	*Page
	// Chosen is set once the customer and runbook are known.
	Chosen     bool
	CustomerID string
	Customer   string
	Runbook    *runbook.Template
	RunbookKey string
	Customers  []option
	Runbooks   []option
	Accounts   []option
	Sites      []option
	PMs        []option
	Contacts   []option
	Options    []projectOption
	OrderRef   string
	Title      string
	StartDate  string
	StartTime  string
}

// projectOption is one runbook option as a checkbox.
type projectOption struct {
	Key, Label string
	Checked    bool
}

// Choice builds a select for the project form.
func (p projectFormPage) Choice(name, labelKey string, opts []option) formField {
	return choiceField(p.Page, name, labelKey, opts)
}

// mayStartProjects answers 404 to customer users and 403 to staff who may
// not start projects; true when the visitor may.
func (s *Server) mayStartProjects(w http.ResponseWriter, r *http.Request) bool {
	a := visitOf(r).principal.Actor
	switch {
	case !a.IsStaff():
		s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
	case !activation.CanManage(a):
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
	default:
		return true
	}
	return false
}

func (s *Server) newProjectForm(w http.ResponseWriter, r *http.Request) {
	if !s.mayStartProjects(w, r) {
		return
	}
	q := r.URL.Query()
	in := projectInput{CustomerID: q.Get("customer_id"), Runbook: q.Get("runbook")}
	p := s.page(w, r, "projects.new.title")
	s.renderProjectForm(w, r, p, http.StatusOK, in, nil)
}

// projectInput is the project form as posted.
type projectInput struct {
	CustomerID, Runbook, Account, Site, OrderRef, Title, PM, Contact, StartDate, StartTime string
	Options                                                                                []string
	// Posted tells a form sent back with errors from a first view, whose
	// options take the runbook's defaults.
	Posted bool
}

func readProjectInput(f url.Values) projectInput {
	return projectInput{CustomerID: f.Get("customer_id"), Runbook: f.Get("runbook"), Account: f.Get("billing_account_id"),
		Site: f.Get("site_id"), OrderRef: f.Get("order_ref"), Title: f.Get("title"), PM: f.Get("pm_user_id"),
		Contact: f.Get("contact_user_id"), StartDate: f.Get("start_date"), StartTime: f.Get("start_time"),
		Options: f["option"], Posted: true}
}

// renderProjectForm draws the form: the first step until the customer
// and the runbook are valid choices, the second after.
func (s *Server) renderProjectForm(w http.ResponseWriter, r *http.Request, p *Page, status int, in projectInput, tp *runbook.Template) {
	ctx := r.Context()
	fp := projectFormPage{Page: p, CustomerID: in.CustomerID, RunbookKey: in.Runbook, OrderRef: in.OrderRef, Title: in.Title,
		StartDate: in.StartDate, StartTime: in.StartTime}
	current, err := s.deps.Projects.Catalog().Current(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cs, err := s.deps.Customers.List(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fp.Customers = []option{{Value: "", Label: p.T("inventory.choose_customer")}}
	for _, c := range cs {
		fp.Customers = append(fp.Customers, option{Value: c.ID, Label: c.Name + " (" + c.Number + ")", Selected: c.ID == in.CustomerID})
		if c.ID == in.CustomerID {
			fp.Customer = c.Name
		}
	}
	fp.Runbooks = []option{{Value: "", Label: p.T("projects.new.choose_runbook")}}
	for _, c := range current {
		fp.Runbooks = append(fp.Runbooks, option{Value: c.Key, Label: c.Name.In(p.Lang), Selected: c.Key == in.Runbook})
		if c.Key == in.Runbook && tp == nil {
			tp = c
		}
	}
	if fp.Customer == "" || tp == nil {
		s.render(w, r, status, "project_form", fp)
		return
	}
	fp.Chosen, fp.Runbook = true, tp
	for _, o := range tp.Options {
		checked := o.Default
		if in.Posted {
			checked = slices.Contains(in.Options, o.Key)
		}
		fp.Options = append(fp.Options, projectOption{Key: o.Key, Label: o.Label.In(p.Lang), Checked: checked})
	}
	if err := s.fillProjectChoices(r, &fp, in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "project_form", fp)
}

// fillProjectChoices lists the customer's billing accounts, sites and
// users, and the project managers.
func (s *Server) fillProjectChoices(r *http.Request, fp *projectFormPage, in projectInput) error {
	ctx, p := r.Context(), fp.Page
	accounts, err := s.deps.Customers.BillingAccounts(ctx, in.CustomerID)
	if err != nil {
		return err
	}
	fp.Accounts = []option{{Value: "", Label: p.T("inventory.form.choose")}}
	for _, b := range accounts {
		if !b.Retired {
			fp.Accounts = append(fp.Accounts, option{Value: b.ID, Label: b.Number + " · " + b.Name, Selected: b.ID == in.Account})
		}
	}
	sites, _, err := s.deps.Inventory.Sites(ctx, inventory.SiteFilter{CustomerID: in.CustomerID, Limit: 200})
	if err != nil {
		return err
	}
	fp.Sites = []option{{Value: "", Label: p.T("inventory.form.choose")}}
	for _, st := range sites {
		fp.Sites = append(fp.Sites, option{Value: st.ID, Label: st.Name + " · " + st.City, Selected: st.ID == in.Site})
	}
	members, _, err := s.deps.Identity.FindMembers(ctx, identity.MemberFilter{CustomerID: in.CustomerID, Limit: 200})
	if err != nil {
		return err
	}
	fp.Contacts = []option{{Value: "", Label: p.T("projects.new.no_contact")}}
	for _, m := range members {
		if !m.Membership.Disabled {
			fp.Contacts = append(fp.Contacts, option{Value: m.ID, Label: m.Name() + " · " + m.Email, Selected: m.ID == in.Contact})
		}
	}
	pms, err := s.projectManagers(r)
	if err != nil {
		return err
	}
	pm := in.PM
	if !in.Posted && p.Actor.StaffRole == identity.StaffPM {
		pm = p.Actor.UserID
	}
	fp.PMs = []option{{Value: "", Label: p.T("projects.new.no_pm")}}
	for _, u := range pms {
		fp.PMs = append(fp.PMs, option{Value: u.ID, Label: u.Name(), Selected: u.ID == pm})
	}
	return nil
}

// projectManagers lists the staff who may manage a project: PMs and
// administrators, not disabled, by name.
func (s *Server) projectManagers(r *http.Request) ([]identity.User, error) {
	return s.deps.Projects.Managers(r.Context())
}

func (s *Server) createProject(w http.ResponseWriter, r *http.Request) {
	if !s.mayStartProjects(w, r) || !s.parseForm(w, r) {
		return
	}
	in := readProjectInput(r.PostForm)
	start, ok := localTime(strings.TrimSpace(in.StartDate), strings.TrimSpace(in.StartTime), s.deps.Location)
	var err error
	var tp *runbook.Template
	if !ok {
		err = enlace.Invalid([]enlace.FieldError{enlace.Field("start_date", "activation.error.date")})
	} else if tp, err = s.deps.Projects.Catalog().Latest(r.Context(), in.Runbook); err != nil {
		if enlace.ErrorCode(err) != enlace.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
		err = enlace.Invalid([]enlace.FieldError{enlace.Field("runbook", "activation.error.runbook")})
	}
	var v *activation.View
	if err == nil {
		options := map[string]bool{}
		for _, o := range tp.Options {
			options[o.Key] = slices.Contains(in.Options, o.Key)
		}
		v, err = s.deps.Projects.Start(r.Context(), activation.StartInput{CustomerID: in.CustomerID,
			BillingAccountID: in.Account, SiteID: in.Site, OrderRef: in.OrderRef, Title: in.Title, Runbook: in.Runbook,
			Options: options, StartAt: start, PMUserID: in.PM, ContactUserID: in.Contact})
	}
	if err == nil {
		s.flash(w, "projects.flash.created")
		http.Redirect(w, r, "/projects/"+url.PathEscape(v.Project.ID), http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "projects.new.title")
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	s.renderProjectForm(w, r, p, http.StatusUnprocessableEntity, in, tp)
}

// startOf formats a start time for the form's date and time inputs.
func startOf(t time.Time, loc *time.Location) (string, string) {
	if t.IsZero() {
		return "", ""
	}
	t = t.In(loc)
	return t.Format(time.DateOnly), t.Format("15:04")
}
