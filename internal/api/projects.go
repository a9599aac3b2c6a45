package api

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// projectRoutes serve activation projects (C2–C4): the service decides who
// sees a project (another customer's answers 404 on every route) and who
// may act on each task (a customer never on the provider's, staff never
// on the customer's: 403).
var projectRoutes = []route{
	{method: "GET", path: "/projects", query: listParams("status", "runbook", "customerId", "siteId", "pm"), handle: (*API).listProjects},
	{method: "POST", path: "/projects", handle: (*API).startProject},
	{method: "GET", path: "/projects/{id}", handle: (*API).getProject},
	{method: "POST", path: "/projects/{id}/reschedule", handle: projectChange(required, rescheduleProject)},
	{method: "POST", path: "/projects/{id}/cancel", handle: projectChange(optional, cancelProject)},
	{method: "POST", path: "/projects/{id}/assign", handle: projectChange(required, assignProject)},

	{method: "POST", path: "/projects/{id}/tasks/{taskId}/start", handle: projectChange(optional, taskAction(activation.ActStart))},
	{method: "POST", path: "/projects/{id}/tasks/{taskId}/complete", handle: projectChange(optional, taskAction(activation.ActComplete))},
	{method: "POST", path: "/projects/{id}/tasks/{taskId}/block", handle: projectChange(optional, taskAction(activation.ActBlock))},
	{method: "POST", path: "/projects/{id}/tasks/{taskId}/unblock", handle: projectChange(optional, taskAction(activation.ActUnblock))},
	{method: "POST", path: "/projects/{id}/tasks/{taskId}/skip", handle: projectChange(optional, taskAction(activation.ActSkip))},
	{method: "POST", path: "/projects/{id}/tasks/{taskId}/include", handle: projectChange(optional, taskAction(activation.ActInclude))},
	{method: "POST", path: "/projects/{id}/tasks/{taskId}/gate", handle: projectChange(required, meetGate)},
	{method: "POST", path: "/projects/{id}/tasks/{taskId}/reschedule", handle: projectChange(required, rescheduleTask)},

	{method: "GET", path: "/next-actions", query: listParams("mine", "customerId"), handle: (*API).listNextActions},
}

// maxNextActions bounds the open tasks /next-actions pages through, most
// urgent first (the service's own bound).
const maxNextActions = 500

// projects returns the service, or not found where the program runs
// without one.
func (a *API) projects() (*activation.Service, error) {
	if a.Projects == nil {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return a.Projects, nil
}

// projectJSON is a project as lists show it.
type projectJSON struct {
	ID               string          `json:"id"`
	Folio            string          `json:"folio"`
	Title            string          `json:"title"`
	Status           string          `json:"status"`
	CustomerID       string          `json:"customerId"`
	CustomerName     string          `json:"customerName,omitempty"`
	BillingAccountID string          `json:"billingAccountId"`
	SiteID           string          `json:"siteId"`
	SiteName         string          `json:"siteName,omitempty"`
	OrderRef         string          `json:"orderRef"`
	ProductOrderID   string          `json:"productOrderId,omitempty"`
	Runbook          string          `json:"runbook"`
	RunbookVersion   int             `json:"runbookVersion"`
	RunbookName      string          `json:"runbookName"`
	Options          map[string]bool `json:"options"`
	PMUserID         string          `json:"pmUserId,omitempty"`
	PMName           string          `json:"pmName,omitempty"`
	ContactUserID    string          `json:"contactUserId,omitempty"`
	StartAt          time.Time       `json:"startAt"`
	PlannedEnd       time.Time       `json:"plannedEnd"`
	// BillingStart is a calendar day of the provider, YYYY-MM-DD.
	BillingStart string     `json:"billingStart,omitempty"`
	CompletedAt  *time.Time `json:"completedAt,omitempty"`
	CancelledAt  *time.Time `json:"cancelledAt,omitempty"`
	CreatedAt    time.Time  `json:"createdAt"`
	UpdatedAt    time.Time  `json:"updatedAt"`
}

// projectDetailJSON is one project as its reader sees it: the tasks
// (never the internal ones for customers), the critical path and what
// the reader's side must do next.
type projectDetailJSON struct {
	projectJSON
	// Window is the runbook's work window in minutes under the project's options.
	Window       int               `json:"window"`
	CriticalPath []string          `json:"criticalPath"`
	NextActions  []nextActionJSON  `json:"nextActions"`
	Tasks        []projectTaskJSON `json:"tasks"`
}

// projectTaskJSON is a task of a project with its plan and state.
type projectTaskJSON struct {
	ID           string     `json:"id"`
	Key          string     `json:"key"`
	Name         string     `json:"name"`
	Phase        string     `json:"phase"`
	PhaseName    string     `json:"phaseName"`
	Party        string     `json:"party"`
	With         []string   `json:"with"`
	Status       string     `json:"status"`
	After        []string   `json:"after"`
	PlannedStart time.Time  `json:"plannedStart"`
	PlannedEnd   time.Time  `json:"plannedEnd"`
	Due          time.Time  `json:"due"`
	Overdue      bool       `json:"overdue"`
	Critical     bool       `json:"critical"`
	NotBefore    *time.Time `json:"notBefore,omitempty"`
	Gate         *gateJSON  `json:"gate,omitempty"`
	// BlockedReason says why a blocked task waits, or why a task was
	// marked not applicable.
	BlockedReason string     `json:"blockedReason,omitempty"`
	StartedAt     *time.Time `json:"startedAt,omitempty"`
	DoneAt        *time.Time `json:"doneAt,omitempty"`
	Documents     []string   `json:"documents"`
	Milestone     string     `json:"milestone,omitempty"`
	Window        bool       `json:"window"`
	Note          string     `json:"note,omitempty"`
	Internal      bool       `json:"internal,omitempty"`
}

// gateJSON is a task's gate and whether its condition holds.
type gateJSON struct {
	Kind     string     `json:"kind"`
	Document string     `json:"document,omitempty"`
	Label    string     `json:"label"`
	Met      bool       `json:"met"`
	MetAt    *time.Time `json:"metAt,omitempty"`
	Detail   string     `json:"detail,omitempty"`
}

// nextActionJSON is an open task someone must act on, with its project.
type nextActionJSON struct {
	ProjectID     string    `json:"projectId"`
	ProjectFolio  string    `json:"projectFolio"`
	ProjectTitle  string    `json:"projectTitle"`
	CustomerID    string    `json:"customerId"`
	CustomerName  string    `json:"customerName,omitempty"`
	SiteName      string    `json:"siteName,omitempty"`
	Runbook       string    `json:"runbook"`
	TaskID        string    `json:"taskId"`
	Key           string    `json:"key"`
	Name          string    `json:"name"`
	Party         string    `json:"party"`
	Status        string    `json:"status"`
	Due           time.Time `json:"due"`
	Overdue       bool      `json:"overdue"`
	Gate          *gateJSON `json:"gate,omitempty"`
	BlockedReason string    `json:"blockedReason,omitempty"`
	Note          string    `json:"note,omitempty"`
}

func projectOut(p *activation.Project, tp *runbook.Template, lang string) projectJSON {
	out := projectJSON{ID: p.ID, Folio: p.Folio, Title: p.Title, Status: p.Status, CustomerID: p.CustomerID,
		CustomerName: p.CustomerName, BillingAccountID: p.BillingAccountID, SiteID: p.SiteID, SiteName: p.SiteName,
		OrderRef: p.OrderRef, ProductOrderID: p.ProductOrderID, Runbook: p.TemplateKey, RunbookVersion: p.TemplateVersion,
		RunbookName: tp.Name.In(lang), Options: map[string]bool{}, PMUserID: p.PMUserID, PMName: p.PMName,
		ContactUserID: p.ContactUserID, StartAt: p.StartAt, PlannedEnd: p.PlannedEnd, CompletedAt: p.CompletedAt,
		CancelledAt: p.CancelledAt, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	for k, v := range p.Options {
		out.Options[k] = v
	}
	if p.BillingStart != nil {
		out.BillingStart = p.BillingStart.Format(time.DateOnly)
	}
	return out
}

func projectDetailOut(v *activation.View, loc *i18n.Localizer) projectDetailJSON {
	out := projectDetailJSON{projectJSON: projectOut(v.Project, v.Template, loc.Lang), Window: int(v.Window / time.Minute),
		CriticalPath: []string{}, NextActions: make([]nextActionJSON, 0, len(v.Next)),
		Tasks: make([]projectTaskJSON, 0, len(v.Tasks))}
	phases := map[string]string{}
	for _, ph := range v.Template.Phases {
		phases[ph.Key] = ph.Name.In(loc.Lang)
	}
	// A customer's view lacks the internal tasks; the tasks that wait for
	// one must not name it either.
	shown := make(map[string]bool, len(v.Tasks))
	for _, t := range v.Tasks {
		shown[t.Key] = true
	}
	for i := range v.Tasks {
		t := &v.Tasks[i]
		pt := taskOut(t, phases[t.Phase], loc, v.Now)
		pt.After = slices.DeleteFunc(slices.Clone(pt.After), func(k string) bool { return !shown[k] })
		out.Tasks = append(out.Tasks, pt)
		if t.Critical {
			out.CriticalPath = append(out.CriticalPath, t.Key)
		}
	}
	for i := range v.Next {
		n := nextActionOut(&v.Next[i], loc, v.Now)
		n.ProjectID, n.ProjectFolio, n.ProjectTitle, n.Runbook = v.Project.ID, v.Project.Folio, v.Project.Title, v.Project.TemplateKey
		n.CustomerID, n.CustomerName, n.SiteName = v.Project.CustomerID, v.Project.CustomerName, v.Project.SiteName
		out.NextActions = append(out.NextActions, n)
	}
	return out
}

func taskOut(t *activation.Task, phase string, loc *i18n.Localizer, now time.Time) projectTaskJSON {
	out := projectTaskJSON{ID: t.ID, Key: t.Key, Name: t.Key, Phase: t.Phase, PhaseName: phase, Party: t.Party,
		With: []string{}, Status: t.Status, After: nonNil(t.After), PlannedStart: t.PlannedStart, PlannedEnd: t.PlannedEnd,
		Due: t.Due(), Overdue: t.Overdue(now), Critical: t.Critical, NotBefore: t.NotBefore,
		BlockedReason: t.BlockedReason, StartedAt: t.StartedAt, DoneAt: t.DoneAt, Documents: []string{}, Internal: t.Internal}
	if s := t.Step; s != nil {
		out.Name, out.With, out.Documents = s.Name.In(loc.Lang), nonNil(s.With), nonNil(s.Documents)
		out.Milestone, out.Window, out.Note = s.Milestone, s.Window, s.Note.In(loc.Lang)
		out.Gate = gateOut(t, s, loc)
	}
	return out
}

func gateOut(t *activation.Task, s *runbook.Task, loc *i18n.Localizer) *gateJSON {
	if s == nil || s.Gate == nil {
		return nil
	}
	return &gateJSON{Kind: s.Gate.Kind, Document: s.Gate.Document, Label: gateLabel(loc, s.Gate),
		Met: t.GateMetAt != nil, MetAt: t.GateMetAt, Detail: t.GateDetail}
}

// nextActionOut returns the task part of a next action.
func nextActionOut(t *activation.Task, loc *i18n.Localizer, now time.Time) nextActionJSON {
	out := nextActionJSON{TaskID: t.ID, Key: t.Key, Name: t.Key, Party: t.Party, Status: t.Status, Due: t.Due(),
		Overdue: t.Overdue(now), BlockedReason: t.BlockedReason, Gate: gateOut(t, t.Step, loc)}
	if t.Step != nil {
		out.Name, out.Note = t.Step.Name.In(loc.Lang), t.Step.Note.In(loc.Lang)
	}
	return out
}

func (a *API) writeProject(w http.ResponseWriter, r *http.Request, status int, v *activation.View) error {
	return writeJSON(w, status, projectDetailOut(v, a.localizer(r)))
}

// customerFilter reads the customerId parameter. A customer token may only
// name its own customer: another answers not found, as its objects do.
func (q *query) customerFilter(ctx context.Context) (string, error) {
	c := q.str("customerId")
	if c == nil {
		return "", nil
	}
	if act := enlace.ActorFrom(ctx); !act.IsStaff() && *c != act.CustomerID {
		return "", enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return *c, nil
}

// listProjects pages through the projects the token may see, newest
// first; pm=me keeps those the caller manages.
func (a *API) listProjects(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.projects()
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	f := activation.ProjectFilter{Status: q.oneOf("status", activation.ProjectStatuses), TemplateKey: q.str("runbook"),
		SiteID: q.str("siteId"), Offset: p.Offset, Limit: p.Limit}
	if q.oneOf("pm", []string{"me"}) != nil {
		me := enlace.ActorFrom(r.Context()).UserID
		f.PMUserID = &me
	}
	if err := q.err(); err != nil {
		return err
	}
	if f.CustomerID, err = q.customerFilter(r.Context()); err != nil {
		return err
	}
	ps, total, err := svc.Projects(r.Context(), f)
	if err != nil {
		return err
	}
	lang := a.localizer(r).Lang
	out := make([]projectJSON, len(ps))
	for i := range ps {
		tp, err := svc.Catalog().Template(r.Context(), ps[i].TemplateKey, ps[i].TemplateVersion)
		if err != nil {
			return err
		}
		out[i] = projectOut(&ps[i], tp, lang)
	}
	return writeList(w, out, total, p)
}

func (a *API) getProject(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.projects()
	if err != nil {
		return err
	}
	v, err := svc.Project(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return a.writeProject(w, r, http.StatusOK, v)
}

// projectRequest is the body of POST /projects.
type projectRequest struct {
	CustomerID       string          `json:"customerId"`
	BillingAccountID string          `json:"billingAccountId"`
	SiteID           string          `json:"siteId"`
	Runbook          string          `json:"runbook"`
	Version          int             `json:"version"`
	Options          map[string]bool `json:"options"`
	OrderRef         string          `json:"orderRef"`
	Title            string          `json:"title"`
	StartAt          string          `json:"startAt"`
	PMUserID         string          `json:"pmUserId"`
	ContactUserID    string          `json:"contactUserId"`
}

// instant reads a member naming a moment: an RFC 3339 date and time, or
// a date (YYYY-MM-DD) meaning the start of that day in the provider's
// time zone. Empty is the zero time; field names the member in errors.
// The time is in UTC: a TIMESTAMP column keeps the wall clock of the
// time it is given, whatever its zone.
func instant(v string, loc *time.Location, field string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, enlace.Invalid([]enlace.FieldError{enlace.Field(field, "activation.error.date")})
}

// startProject starts a project from a runbook (staff administrators and
// project managers).
func (a *API) startProject(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.projects()
	if err != nil {
		return err
	}
	var in projectRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	start, err := instant(in.StartAt, svc.Location(), "start_at")
	if err != nil {
		return err
	}
	v, err := svc.Start(r.Context(), activation.StartInput{CustomerID: in.CustomerID, BillingAccountID: in.BillingAccountID,
		SiteID: in.SiteID, OrderRef: in.OrderRef, Title: in.Title, Runbook: in.Runbook, Version: in.Version,
		Options: in.Options, StartAt: start, PMUserID: in.PMUserID, ContactUserID: in.ContactUserID})
	if err != nil {
		return err
	}
	// Read back as GET shows it, with the customer's, site's and PM's names.
	if v, err = svc.Project(r.Context(), v.Project.ID); err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/projects/"+url.PathEscape(v.Project.ID))
	return a.writeProject(w, r, http.StatusCreated, v)
}

// reasonRequest is the body of the task actions and of cancel: optional,
// as is the reason itself except to block a task.
type reasonRequest struct {
	Reason string `json:"reason"`
}

// decodeOptional decodes a body when the request has one.
func (a *API) decodeOptional(w http.ResponseWriter, r *http.Request, dst any) error {
	if r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return nil
	}
	return a.decode(w, r, dst)
}

// Whether a change's body may be left out.
const (
	required = false
	optional = true
)

// projectChange returns the handler of a change to a project, answering
// the project as it now is.
func projectChange[T any](bodyOptional bool, change func(svc *activation.Service, r *http.Request, in *T) (*activation.View, error)) handlerFunc {
	return changeHandler((*API).projects, (*API).writeProject, bodyOptional, http.StatusOK, change)
}

// changeHandler returns the handler of a change to one of a service's
// objects: it decodes the body into a T (which may be left out when
// bodyOptional), lets change apply it through the service the API has,
// and writes the object as it now is with status.
func changeHandler[S, T, V any](service func(*API) (S, error), write func(*API, http.ResponseWriter, *http.Request, int, V) error,
	bodyOptional bool, status int, change func(S, *http.Request, *T) (V, error)) handlerFunc {
	return func(a *API, w http.ResponseWriter, r *http.Request) error {
		svc, err := service(a)
		if err != nil {
			return err
		}
		var in T
		decode := a.decode
		if bodyOptional {
			decode = a.decodeOptional
		}
		if err := decode(w, r, &in); err != nil {
			return err
		}
		v, err := change(svc, r, &in)
		if err != nil {
			return err
		}
		return write(a, w, r, status, v)
	}
}

// taskAction is the change of one task action: start, complete, block,
// unblock, skip or include.
func taskAction(kind string) func(*activation.Service, *http.Request, *reasonRequest) (*activation.View, error) {
	return func(svc *activation.Service, r *http.Request, in *reasonRequest) (*activation.View, error) {
		return svc.Act(r.Context(), r.PathValue("id"), r.PathValue("taskId"), activation.Action{Kind: kind, Reason: in.Reason})
	}
}

// gateRequest is the body of POST .../gate: what the task's gate kind
// needs (a payment's reference, a signer's or confirmer's name, a date).
type gateRequest struct {
	Name      string `json:"name"`
	Reference string `json:"reference"`
	Date      string `json:"date"`
	Confirm   bool   `json:"confirm"`
}

func meetGate(svc *activation.Service, r *http.Request, in *gateRequest) (*activation.View, error) {
	date, err := instant(in.Date, svc.Location(), "date")
	if err != nil {
		return nil, err
	}
	return svc.MeetGate(r.Context(), r.PathValue("id"), r.PathValue("taskId"),
		activation.GateInput{Name: in.Name, Reference: in.Reference, Date: date, Confirm: in.Confirm})
}

// dateRequest is the body of POST .../tasks/{taskId}/reschedule.
type dateRequest struct {
	Date string `json:"date"`
}

// rescheduleTask pins a task to start no earlier than a date.
func rescheduleTask(svc *activation.Service, r *http.Request, in *dateRequest) (*activation.View, error) {
	at, err := instant(in.Date, svc.Location(), "date")
	if err != nil {
		return nil, err
	}
	return svc.Reschedule(r.Context(), r.PathValue("id"), r.PathValue("taskId"), at)
}

// startRequest is the body of POST /projects/{id}/reschedule.
type startRequest struct {
	StartAt string `json:"startAt"`
}

// rescheduleProject moves a project's start and replans it.
func rescheduleProject(svc *activation.Service, r *http.Request, in *startRequest) (*activation.View, error) {
	at, err := instant(in.StartAt, svc.Location(), "start_at")
	if err != nil {
		return nil, err
	}
	v, err := svc.Reschedule(r.Context(), r.PathValue("id"), "", at)
	return v, renameFields(err, map[string]string{"date": "start_at"})
}

func cancelProject(svc *activation.Service, r *http.Request, in *reasonRequest) (*activation.View, error) {
	return svc.Cancel(r.Context(), r.PathValue("id"), in.Reason)
}

// assignRequest names a project's PM and principal contact; empty leaves
// one unassigned.
type assignRequest struct {
	PMUserID      string `json:"pmUserId"`
	ContactUserID string `json:"contactUserId"`
}

func assignProject(svc *activation.Service, r *http.Request, in *assignRequest) (*activation.View, error) {
	v, err := svc.Assign(r.Context(), r.PathValue("id"), in.PMUserID, in.ContactUserID)
	return v, renameFields(err, map[string]string{"pm_user_id": "pmUserId", "contact_user_id": "contactUserId"})
}

// listNextActions pages through the open tasks of the active projects the
// token may see, most urgent first: a customer's people see what the
// customer must do; staff see every party's, and with mine=true only
// those of the projects they manage.
func (a *API) listNextActions(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.projects()
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	f := activation.ProjectFilter{Limit: maxNextActions}
	if mine := q.boolean("mine"); mine != nil && *mine {
		me := enlace.ActorFrom(r.Context()).UserID
		f.PMUserID = &me
	}
	if err := q.err(); err != nil {
		return err
	}
	if f.CustomerID, err = q.customerFilter(r.Context()); err != nil {
		return err
	}
	all, err := svc.NextActions(r.Context(), f)
	if err != nil {
		return err
	}
	loc, now := a.localizer(r), svc.Now()
	page := window(all, p)
	out := make([]nextActionJSON, len(page))
	for i := range page {
		n := &page[i]
		n.Task.Step = n.Step
		out[i] = nextActionOut(&n.Task, loc, now)
		out[i].ProjectID, out[i].ProjectFolio, out[i].ProjectTitle, out[i].Runbook = n.ProjectID, n.ProjectFolio, n.ProjectTitle, n.TemplateKey
		out[i].CustomerID, out[i].CustomerName, out[i].SiteName = n.CustomerID, n.CustomerName, n.SiteName
	}
	return writeList(w, out, len(all), p)
}
