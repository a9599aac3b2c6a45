package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// runbookRoutes serve the runbooks projects start from (C1). A runbook is
// the provider's working material — internal tasks, provider notes — so
// only staff read runbooks, and customer tokens get 404 on every one of
// these routes, as they do for anything outside their tenancy (and as
// starting a project answers them): nothing tells a customer what the
// provider keeps. Staff administrators publish new versions.
var runbookRoutes = []route{
	{method: "GET", path: "/runbooks", query: pageParams, handle: (*API).listRunbooks},
	{method: "POST", path: "/runbooks", handle: (*API).publishRunbook},
	{method: "GET", path: "/runbooks/{key}", query: []string{"version"}, handle: (*API).getRunbook},
	{method: "GET", path: "/runbooks/{key}/versions", query: pageParams, handle: (*API).listRunbookVersions},
	{method: "GET", path: "/runbooks/{key}/source", query: []string{"version"}, handle: (*API).runbookSource},
}

// yamlMediaTypes are the media types a runbook's YAML is taken in.
var yamlMediaTypes = []string{"text/yaml", "application/yaml", "application/x-yaml", "text/x-yaml"}

// runbookJSON is one version of a runbook; texts are in the request's
// language (names also in every language).
type runbookJSON struct {
	Key       string              `json:"key"`
	Version   int                 `json:"version"`
	Name      string              `json:"name"`
	Names     map[string]string   `json:"names"`
	Summary   string              `json:"summary"`
	Advice    string              `json:"advice,omitempty"`
	Offerings []string            `json:"offerings"`
	Billing   runbookBillingJSON  `json:"billing"`
	Options   []runbookOptionJSON `json:"options"`
	// Window is the work window in minutes under the default options.
	Window int                `json:"window"`
	Phases []runbookPhaseJSON `json:"phases"`
	Notes  []string           `json:"notes"`
}

type runbookBillingJSON struct {
	Rule        string `json:"rule"`
	Task        string `json:"task,omitempty"`
	Description string `json:"description"`
	Note        string `json:"note,omitempty"`
}

type runbookOptionJSON struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Default bool   `json:"default"`
}

type runbookPhaseJSON struct {
	Key   string            `json:"key"`
	Name  string            `json:"name"`
	Tasks []runbookTaskJSON `json:"tasks"`
}

type runbookTaskJSON struct {
	Key       string           `json:"key"`
	Name      string           `json:"name"`
	Party     string           `json:"party"`
	With      []string         `json:"with"`
	Duration  string           `json:"duration"`
	Estimate  string           `json:"estimate,omitempty"`
	Elapsed   bool             `json:"elapsed"`
	After     []string         `json:"after"`
	Lead      string           `json:"lead,omitempty"`
	When      string           `json:"when,omitempty"`
	Gate      *runbookGateJSON `json:"gate,omitempty"`
	Documents []string         `json:"documents"`
	Milestone string           `json:"milestone,omitempty"`
	Window    bool             `json:"window"`
	Internal  bool             `json:"internal"`
	Note      string           `json:"note,omitempty"`
}

type runbookGateJSON struct {
	Kind     string `json:"kind"`
	Document string `json:"document,omitempty"`
	Label    string `json:"label"`
}

// gateLabel says what a gate waits for: the runbook's words, or the
// gate kind's name.
func gateLabel(loc *i18n.Localizer, g *runbook.Gate) string {
	if s := g.Label.In(loc.Lang); s != "" {
		return s
	}
	return loc.T("runbook.gate." + g.Kind)
}

func runbookOut(tp *runbook.Template, loc *i18n.Localizer, workday time.Duration) runbookJSON {
	lang := loc.Lang
	out := runbookJSON{Key: tp.Key, Version: tp.Version, Name: tp.Name.In(lang), Names: map[string]string{},
		Summary: tp.Summary.In(lang), Advice: tp.Advice.In(lang), Offerings: nonNil(tp.Offerings),
		Options: []runbookOptionJSON{}, Window: int(tp.Window(tp.DefaultOptions(), workday) / time.Minute),
		Phases: []runbookPhaseJSON{}, Notes: []string{}}
	for _, l := range runbook.Languages {
		out.Names[l] = tp.Name.In(l)
	}
	out.Billing = runbookBillingJSON{Rule: tp.Billing.Rule, Task: tp.Billing.Task, Note: tp.Billing.Note.In(lang)}
	task := tp.Billing.Task
	if t := tp.Task(task); t != nil {
		task = t.Name.In(lang)
	}
	out.Billing.Description = loc.T("runbook.billing."+tp.Billing.Rule, "task", task)
	for _, o := range tp.Options {
		out.Options = append(out.Options, runbookOptionJSON{Key: o.Key, Label: o.Label.In(lang), Default: o.Default})
	}
	for _, n := range tp.Notes {
		out.Notes = append(out.Notes, n.In(lang))
	}
	for _, ph := range tp.Phases {
		pj := runbookPhaseJSON{Key: ph.Key, Name: ph.Name.In(lang), Tasks: make([]runbookTaskJSON, 0, len(ph.Tasks))}
		for i := range ph.Tasks {
			pj.Tasks = append(pj.Tasks, runbookTaskOut(&ph.Tasks[i], loc))
		}
		out.Phases = append(out.Phases, pj)
	}
	return out
}

func runbookTaskOut(t *runbook.Task, loc *i18n.Localizer) runbookTaskJSON {
	out := runbookTaskJSON{Key: t.Key, Name: t.Name.In(loc.Lang), Party: t.Party, With: nonNil(t.With),
		Duration: t.Duration.String(), Elapsed: t.Elapsed, After: nonNil(t.After), When: t.When,
		Documents: nonNil(t.Documents), Milestone: t.Milestone, Window: t.Window, Internal: t.Internal,
		Note: t.Note.In(loc.Lang)}
	if t.Estimate != nil {
		out.Estimate = t.Estimate.String()
	}
	if t.Lead != nil {
		out.Lead = t.Lead.String()
	}
	if g := t.Gate; g != nil {
		out.Gate = &runbookGateJSON{Kind: g.Kind, Document: g.Document, Label: gateLabel(loc, g)}
	}
	return out
}

// nonNil returns s, or an empty slice for nil: lists are [], never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// runbookCatalog returns the runbooks, or not found for customer tokens
// and where the program runs without projects.
func (a *API) runbookCatalog(r *http.Request) (*activation.Catalog, error) {
	svc, err := a.projects()
	if err != nil {
		return nil, err
	}
	if !enlace.ActorFrom(r.Context()).IsStaff() {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return svc.Catalog(), nil
}

// workday is the length of the provider's working day, which business
// days count as in a runbook's window.
func (a *API) workday(r *http.Request) (time.Duration, error) {
	cal, err := a.Projects.Calendar(r.Context())
	if err != nil {
		return 0, err
	}
	return cal.WorkdayLength(), nil
}

// writeRunbook sends one runbook in the request's language.
func (a *API) writeRunbook(w http.ResponseWriter, r *http.Request, status int, tp *runbook.Template) error {
	workday, err := a.workday(r)
	if err != nil {
		return err
	}
	return writeJSON(w, status, runbookOut(tp, a.localizer(r), workday))
}

// listRunbooks pages through the newest version of every runbook, by key.
func (a *API) listRunbooks(w http.ResponseWriter, r *http.Request) error {
	cat, err := a.runbookCatalog(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	if err := q.err(); err != nil {
		return err
	}
	all, err := cat.Current(r.Context())
	if err != nil {
		return err
	}
	workday, err := a.workday(r)
	if err != nil {
		return err
	}
	loc := a.localizer(r)
	items := window(all, p)
	out := make([]runbookJSON, len(items))
	for i, tp := range items {
		out[i] = runbookOut(tp, loc, workday)
	}
	return writeList(w, out, len(all), p)
}

// runbookVersion reads the version parameter; 0 when absent (the newest).
func runbookVersion(r *http.Request) (int, error) {
	q := newQuery(r)
	v := q.integer("version", 0, 1, 1<<31-1)
	return v, q.err()
}

// template returns the version of a runbook the request names.
func (a *API) template(r *http.Request, cat *activation.Catalog) (*runbook.Template, error) {
	version, err := runbookVersion(r)
	if err != nil {
		return nil, err
	}
	if version == 0 {
		return cat.Latest(r.Context(), r.PathValue("key"))
	}
	return cat.Template(r.Context(), r.PathValue("key"), version)
}

func (a *API) getRunbook(w http.ResponseWriter, r *http.Request) error {
	cat, err := a.runbookCatalog(r)
	if err != nil {
		return err
	}
	tp, err := a.template(r, cat)
	if err != nil {
		return err
	}
	return a.writeRunbook(w, r, http.StatusOK, tp)
}

// listRunbookVersions pages through the stored versions of a runbook,
// newest first.
func (a *API) listRunbookVersions(w http.ResponseWriter, r *http.Request) error {
	cat, err := a.runbookCatalog(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	if err := q.err(); err != nil {
		return err
	}
	vs, err := cat.Versions(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return writeList(w, window(vs, p), len(vs), p)
}

// runbookSource sends the YAML of a runbook version, what a new version
// is written from.
func (a *API) runbookSource(w http.ResponseWriter, r *http.Request) error {
	cat, err := a.runbookCatalog(r)
	if err != nil {
		return err
	}
	tp, err := a.template(r, cat)
	if err != nil {
		return err
	}
	src, err := cat.Source(r.Context(), tp.Key, tp.Version)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/yaml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, src) // a failed write means the client went away
	return nil
}

// runbookRequest is the JSON form of POST /runbooks: the YAML as a string.
type runbookRequest struct {
	Source string `json:"source"`
}

// publishRunbook stores a new version of a runbook, sent as YAML
// (text/yaml) or as JSON {"source": "<yaml>"}. Validation errors name the
// runbook's members as JSON Pointers into the runbook, and the task at
// fault in their detail.
func (a *API) publishRunbook(w http.ResponseWriter, r *http.Request) error {
	cat, err := a.runbookCatalog(r)
	if err != nil {
		return err
	}
	if !activation.CanEditRunbooks(enlace.ActorFrom(r.Context())) {
		return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	src, err := a.runbookBody(w, r)
	if err != nil {
		return err
	}
	tp, err := cat.Publish(r.Context(), src)
	if err != nil {
		return runbookProblem(err)
	}
	w.Header().Set("Location", Prefix+"/runbooks/"+url.PathEscape(tp.Key)+"?version="+strconv.Itoa(tp.Version))
	return a.writeRunbook(w, r, http.StatusCreated, tp)
}

// runbookBody reads the YAML of a runbook from a YAML body, or from the
// source member of a JSON one.
func (a *API) runbookBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !slices.Contains(yamlMediaTypes, mt) {
		var in runbookRequest
		if err := a.decode(w, r, &in); err != nil {
			return nil, err
		}
		return []byte(in.Source), nil
	}
	if r.ContentLength > a.MaxBodyBytes {
		return nil, plain(http.StatusRequestEntityTooLarge, "api.body_too_large", "Limit", a.MaxBodyBytes)
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, plain(http.StatusRequestEntityTooLarge, "api.body_too_large", "Limit", tooBig.Limit)
	}
	return b, err
}

// runbookProblem answers a runbook that failed validation with field
// errors named as JSON Pointers into the runbook (phases.2.tasks.0.party
// becomes /phases/2/tasks/0/party); errors about the text as a whole
// name /source.
func runbookProblem(err error) error {
	var e *enlace.Error
	if !errors.As(err, &e) || e.Code != enlace.EINVALID || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]enlace.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if f.Field == "body" {
			f.Field = "/source"
		} else {
			f.Field = "/" + strings.ReplaceAll(f.Field, ".", "/")
		}
		out.Fields[i] = f
	}
	return &httpError{status: http.StatusUnprocessableEntity, code: enlace.EINVALID, err: &out}
}
