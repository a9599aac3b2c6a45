package api

import (
	"net/http"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// requestTypeJSON is a request type of the catalogue with its form,
// checklist and attachments; texts are in the request's language (names
// also in every language), as runbooks give theirs.
type requestTypeJSON struct {
	Key       string            `json:"key"`
	Kind      string            `json:"kind"`
	Category  string            `json:"category"`
	Incident  bool              `json:"incident"`
	Procedure bool              `json:"procedure"`
	Name      string            `json:"name"`
	Names     map[string]string `json:"names"`
	Summary   string            `json:"summary"`
	// Service says whether a request names a service: required, optional
	// or none.
	Service   string   `json:"service"`
	Priority  string   `json:"priority"`
	Queue     string   `json:"queue"`
	QueueName string   `json:"queueName"`
	Roles     []string `json:"roles"`
	// MayRaise tells whether the token's user may raise the type.
	MayRaise    bool                 `json:"mayRaise"`
	Fields      []formFieldJSON      `json:"fields"`
	Checklist   []checklistStepJSON  `json:"checklist"`
	Attachments []attachmentSpecJSON `json:"attachments"`
}

type formFieldJSON struct {
	Key      string       `json:"key"`
	Kind     string       `json:"kind"`
	Label    string       `json:"label"`
	Help     string       `json:"help,omitempty"`
	Required bool         `json:"required"`
	Options  []optionJSON `json:"options"`
	Max      int          `json:"max,omitempty"`
}

type optionJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

type checklistStepJSON struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Optional bool   `json:"optional"`
}

type attachmentSpecJSON struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Required bool   `json:"required"`
}

func requestTypeOut(cat *servicedesk.Catalog, t *servicedesk.Type, lang string, act *enlace.Actor) requestTypeJSON {
	out := requestTypeJSON{Key: t.Key, Kind: t.Kind, Category: t.RequestCategory(), Incident: t.Incident,
		Procedure: t.Procedure, Name: t.Name.In(lang), Names: map[string]string{}, Summary: t.Summary.In(lang),
		Service: t.Service, Priority: t.Priority, Queue: t.Queue, QueueName: t.Queue, Roles: nonNil(t.Roles),
		MayRaise: servicedesk.MayRaise(act) && (act.IsStaff() || t.MayRaise(act.CustomerRole)),
		Fields:   make([]formFieldJSON, len(t.Fields)), Checklist: make([]checklistStepJSON, len(t.Checklist)),
		Attachments: make([]attachmentSpecJSON, len(t.Attachments))}
	for _, l := range i18n.Languages {
		out.Names[l.String()] = t.Name.In(l.String())
	}
	if q := cat.Queue(t.Queue); q != nil {
		out.QueueName = q.Name.In(lang)
	}
	for i, f := range t.Fields {
		out.Fields[i] = formFieldJSON{Key: f.Key, Kind: f.Kind, Label: f.Label.In(lang), Help: f.Help.In(lang),
			Required: f.Required, Options: make([]optionJSON, len(f.Options)), Max: f.Max}
		for j, o := range f.Options {
			out.Fields[i].Options[j] = optionJSON{Key: o.Key, Label: o.Label.In(lang)}
		}
	}
	for i, s := range t.Checklist {
		out.Checklist[i] = checklistStepJSON{Key: s.Key, Label: s.Label.In(lang), Optional: s.Optional}
	}
	for i, at := range t.Attachments {
		out.Attachments[i] = attachmentSpecJSON{Key: at.Key, Label: at.Label.In(lang), Required: at.Required}
	}
	return out
}

// listRequestTypes pages through the catalogue in its order, optionally
// of one kind and category. Every signed-in user reads it: it is the
// form requests are raised with.
func (a *API) listRequestTypes(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.requests()
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	kind := q.oneOf("kind", servicedesk.Kinds)
	category := q.oneOf("category", requestCategories())
	if err := q.err(); err != nil {
		return err
	}
	cat, lang, act := svc.Catalog(), a.localizer(r).Lang, enlace.ActorFrom(r.Context())
	var out []requestTypeJSON
	for i := range cat.Types {
		t := &cat.Types[i]
		if (kind == nil || t.Kind == *kind) && (category == nil || t.RequestCategory() == *category) {
			out = append(out, requestTypeOut(cat, t, lang, act))
		}
	}
	return writeList(w, window(out, p), len(out), p)
}

func (a *API) getRequestType(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.requests()
	if err != nil {
		return err
	}
	t := svc.Catalog().Type(r.PathValue("key"))
	if t == nil {
		return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return writeJSON(w, http.StatusOK, requestTypeOut(svc.Catalog(), t, a.localizer(r).Lang, enlace.ActorFrom(r.Context())))
}

// requestCategories are the categories requests are counted in: the
// inventory's and administrative.
func requestCategories() []string {
	return append(slices.Clone(inventory.Categories), servicedesk.CategoryAdministrative)
}

// surveyResults sums the satisfaction surveys answered since a time (by
// default all), by agent (the default) or by category; staff only. A
// category is named in the request's language.
func (a *API) surveyResults(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.requests()
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	by := servicedesk.ByAgent
	if v := q.oneOf("by", []string{servicedesk.ByAgent, servicedesk.ByCategory}); v != nil {
		by = *v
	}
	var since time.Time
	if v := q.time("since"); v != nil {
		since = *v
	}
	if err := q.err(); err != nil {
		return err
	}
	results, err := svc.SurveyResults(r.Context(), by, since)
	if err != nil {
		return err
	}
	loc := a.localizer(r)
	for i := range results {
		if by == servicedesk.ByCategory {
			results[i].Name = categoryName(loc, results[i].Key)
		}
	}
	return writeList(w, window(results, p), len(results), p)
}

// categoryName names a request category in the localizer's language.
func categoryName(loc *i18n.Localizer, category string) string {
	if category == servicedesk.CategoryAdministrative {
		return loc.T("servicedesk.category.administrative")
	}
	return loc.T("inventory.category." + category)
}
