package api

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// requestFilterParams are the filters of the request list, which the
// chart by phase and the counts by site take too.
var requestFilterParams = []string{"customerId", "phase", "open", "kind", "category", "type", "siteId", "serviceKey",
	"priority", "queue", "assigneeId", "unassigned", "breached", "q", "since", "until"}

// requestRoutes serve the service desk (E1–E7). The service decides who
// sees a request (another customer's answers 404 on every route) and who
// may change it (a read-only user never: 403); customer tokens never see
// the provider's internal notes.
var requestRoutes = []route{
	{method: "GET", path: "/request-types", query: listParams("kind", "category"), handle: (*API).listRequestTypes},
	{method: "GET", path: "/request-types/{key}", handle: (*API).getRequestType},

	{method: "GET", path: "/requests", query: slices.Concat(requestFilterParams, pageParams), handle: (*API).listRequests},
	{method: "GET", path: "/requests/phases", query: requestFilterParams, handle: (*API).requestPhases},
	{method: "GET", path: "/requests/sites", query: slices.Concat(requestFilterParams, pageParams), handle: (*API).requestSites},
	{method: "POST", path: "/requests", handle: (*API).createRequest},
	{method: "GET", path: "/requests/{id}", handle: (*API).getRequest},
	{method: "PATCH", path: "/requests/{id}", handle: requestChange(required, http.StatusOK, updateRequest)},
	{method: "DELETE", path: "/requests/{id}", handle: (*API).deleteRequest},
	{method: "POST", path: "/requests/{id}/actions/{action}", handle: requestChange(optional, http.StatusOK, actOnRequest)},

	{method: "GET", path: "/requests/{id}/comments", query: pageParams, handle: requestPart(commentsOut)},
	{method: "POST", path: "/requests/{id}/comments", handle: requestChange(required, http.StatusCreated, commentOnRequest)},
	{method: "GET", path: "/requests/{id}/checklist", query: pageParams, handle: requestPart(checklistOut)},
	{method: "PUT", path: "/requests/{id}/checklist/{step}", handle: requestChange(required, http.StatusOK, tickStep)},
	{method: "GET", path: "/requests/{id}/attachments", query: pageParams, handle: requestPart(attachmentsOut)},
	{method: "POST", path: "/requests/{id}/attachments", handle: (*API).attachToRequest},
	{method: "GET", path: "/requests/{id}/attachments/{docId}", handle: (*API).requestAttachment},
	{method: "POST", path: "/requests/{id}/survey", handle: requestChange(required, http.StatusCreated, answerSurvey)},

	{method: "GET", path: "/surveys", query: listParams("by", "since"), handle: (*API).surveyResults},
}

// requests returns the service, or not found where the program runs
// without one.
func (a *API) requests() (*servicedesk.Service, error) {
	if a.Requests == nil {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return a.Requests, nil
}

// requestJSON is a request as lists show it: the request with the names
// of its type, phase and queue in the reader's language, and whether its
// SLA targets are missed now.
type requestJSON struct {
	servicedesk.Request
	TypeName           string `json:"typeName"`
	PhaseName          string `json:"phaseName"`
	QueueName          string `json:"queueName"`
	ResponseBreached   bool   `json:"responseBreached"`
	ResolutionBreached bool   `json:"resolutionBreached"`
}

// requestDetailJSON is one request as its reader sees it: checklist,
// phase history, thread (internal notes for staff only), attachments,
// survey, and what the reader may do now.
type requestDetailJSON struct {
	requestJSON
	Checklist   []stepJSON            `json:"checklist"`
	Events      []servicedesk.Event   `json:"events"`
	Comments    []servicedesk.Comment `json:"comments"`
	Attachments []attachmentJSON      `json:"attachments"`
	Survey      *servicedesk.Survey   `json:"survey"`
	Actions     []string              `json:"actions"`
	MayComment  bool                  `json:"mayComment"`
	MayTick     bool                  `json:"mayTick"`
	MayAnswer   bool                  `json:"mayAnswer"`
}

// stepJSON is a checklist step with its label in the reader's language.
type stepJSON struct {
	Key        string     `json:"key"`
	Seq        int        `json:"seq"`
	Label      string     `json:"label"`
	Mandatory  bool       `json:"mandatory"`
	DoneAt     *time.Time `json:"doneAt,omitempty"`
	DoneBy     string     `json:"doneBy,omitempty"`
	DoneByName string     `json:"doneByName,omitempty"`
}

// attachmentJSON is a request's document with the link it downloads from.
type attachmentJSON struct {
	document.Document
	ContentURL string `json:"contentUrl"`
}

// requestOut returns a request as lists show it, its SLA judged at now.
func requestOut(cat *servicedesk.Catalog, r *servicedesk.Request, loc *i18n.Localizer, now time.Time) requestJSON {
	out := requestJSON{Request: *r, TypeName: r.TypeKey, PhaseName: loc.T("servicedesk.phase." + r.Phase), QueueName: r.Queue}
	if out.Fields == nil {
		out.Fields = servicedesk.Fields{}
	}
	if tp := cat.Type(r.TypeKey); tp != nil {
		out.TypeName = tp.Name.In(loc.Lang)
	}
	if q := cat.Queue(r.Queue); q != nil {
		out.QueueName = q.Name.In(loc.Lang)
	}
	out.ResponseBreached, out.ResolutionBreached = r.ResponseBreached(now), r.ResolutionBreached(now)
	return out
}

func requestDetailOut(cat *servicedesk.Catalog, v *servicedesk.View, loc *i18n.Localizer) requestDetailJSON {
	return requestDetailJSON{requestJSON: requestOut(cat, v.Request, loc, v.Now), Checklist: stepsOut(v.Steps, loc),
		Events: nonNil(v.Events), Comments: nonNil(v.Comments), Attachments: attachmentsOf(v),
		Survey: v.Survey, Actions: nonNil(v.Actions), MayComment: v.MayComment, MayTick: v.MayTick, MayAnswer: v.MayAnswer}
}

func stepsOut(steps []servicedesk.Step, loc *i18n.Localizer) []stepJSON {
	out := make([]stepJSON, len(steps))
	for i, st := range steps {
		out[i] = stepJSON{Key: st.Key, Seq: st.Seq, Label: st.Label.In(loc.Lang), Mandatory: st.Mandatory,
			DoneAt: st.DoneAt, DoneBy: st.DoneBy, DoneByName: st.DoneByName}
	}
	return out
}

func attachmentsOf(v *servicedesk.View) []attachmentJSON {
	out := make([]attachmentJSON, len(v.Documents))
	for i, d := range v.Documents {
		out[i] = attachmentJSON{Document: d, ContentURL: requestPath(v.Request.ID) + "/attachments/" + url.PathEscape(d.ID)}
	}
	return out
}

func requestPath(id string) string { return Prefix + "/requests/" + url.PathEscape(id) }

func (a *API) writeRequest(w http.ResponseWriter, r *http.Request, status int, v *servicedesk.View) error {
	return writeJSON(w, status, requestDetailOut(a.Requests.Catalog(), v, a.localizer(r)))
}

// requestFilter reads the filters of the request list. assigneeId=me
// names the caller.
func requestFilter(r *http.Request, cat *servicedesk.Catalog, q *query) (servicedesk.Filter, error) {
	f := servicedesk.Filter{}
	for _, p := range []struct {
		dst     *string
		name    string
		choices []string
	}{
		{&f.Phase, "phase", servicedesk.Phases}, {&f.Kind, "kind", servicedesk.Kinds},
		{&f.Category, "category", requestCategories()},
		{&f.TypeKey, "type", typeKeys(cat)}, {&f.Priority, "priority", servicedesk.Priorities},
		{&f.Queue, "queue", queueKeys(cat)}, {&f.SiteID, "siteId", nil}, {&f.ServiceKey, "serviceKey", nil},
		{&f.AssigneeID, "assigneeId", nil}, {&f.Query, "q", nil},
	} {
		v := q.str(p.name)
		if p.choices != nil {
			v = q.oneOf(p.name, p.choices)
		}
		if v != nil {
			*p.dst = *v
		}
	}
	for _, p := range []struct {
		dst  *bool
		name string
	}{{&f.Open, "open"}, {&f.Unassigned, "unassigned"}, {&f.Breached, "breached"}} {
		if v := q.boolean(p.name); v != nil {
			*p.dst = *v
		}
	}
	f.Since, f.Until = q.time("since"), q.time("until")
	if err := q.err(); err != nil {
		return f, err
	}
	if f.AssigneeID == "me" {
		f.AssigneeID = enlace.ActorFrom(r.Context()).UserID
	}
	var err error
	f.CustomerID, err = q.customerFilter(r.Context())
	return f, err
}

func typeKeys(cat *servicedesk.Catalog) []string {
	keys := make([]string, len(cat.Types))
	for i, t := range cat.Types {
		keys[i] = t.Key
	}
	return keys
}

func queueKeys(cat *servicedesk.Catalog) []string {
	keys := make([]string, len(cat.Queues))
	for i, q := range cat.Queues {
		keys[i] = q.Key
	}
	return keys
}

// listRequests pages through the requests the token may see, newest
// first. The total of a filtered list past 10,000 is given as 10,001.
func (a *API) listRequests(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.requests()
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	f, err := requestFilter(r, svc.Catalog(), q)
	if err != nil {
		return err
	}
	f.Offset, f.Limit = p.Offset, p.Limit
	rs, total, err := svc.List(r.Context(), f)
	if err != nil {
		return err
	}
	loc, now := a.localizer(r), svc.Now()
	return writeList(w, mapItems(rs, func(req *servicedesk.Request) requestJSON {
		return requestOut(svc.Catalog(), req, loc, now)
	}), total, p)
}

// phaseCountJSON is how many requests are in a phase.
type phaseCountJSON struct {
	Phase string `json:"phase"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// phaseChartJSON is the chart of requests by phase: every phase, in
// order, and their sum.
type phaseChartJSON struct {
	Phases []phaseCountJSON `json:"phases"`
	Total  int              `json:"total"`
}

// requestPhases counts the requests the token may see by phase, under the
// list's filters (a phase filter is ignored: the chart shows them all).
func (a *API) requestPhases(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.requests()
	if err != nil {
		return err
	}
	f, err := requestFilter(r, svc.Catalog(), newQuery(r))
	if err != nil {
		return err
	}
	counts, err := svc.Chart(r.Context(), f)
	if err != nil {
		return err
	}
	loc := a.localizer(r)
	out := phaseChartJSON{Phases: make([]phaseCountJSON, len(counts))}
	for i, c := range counts {
		out.Phases[i] = phaseCountJSON{Phase: c.Phase, Name: loc.T("servicedesk.phase." + c.Phase), Count: c.Count}
		out.Total += c.Count
	}
	return writeJSON(w, http.StatusOK, out)
}

// requestSites pages through the sites of the requests the token may see,
// busiest first, with their open and total requests.
func (a *API) requestSites(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.requests()
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	f, err := requestFilter(r, svc.Catalog(), q)
	if err != nil {
		return err
	}
	counts, err := svc.BySite(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, window(counts, p), len(counts), p)
}

func (a *API) getRequest(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.requests()
	if err != nil {
		return err
	}
	v, err := svc.Request(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return a.writeRequest(w, r, http.StatusOK, v)
}

// deleteRequest deletes a request raised by mistake: staff administrators
// only, and only while it is new or once cancelled (409 otherwise).
func (a *API) deleteRequest(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.requests()
	if err != nil {
		return err
	}
	if err := svc.Delete(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// requestPart returns the handler of a part of a request read on its own
// (its thread, checklist or attachments), paged as every list is.
func requestPart[T any](part func(*servicedesk.View, *i18n.Localizer) []T) handlerFunc {
	return func(a *API, w http.ResponseWriter, r *http.Request) error {
		svc, err := a.requests()
		if err != nil {
			return err
		}
		q := newQuery(r)
		p := q.page(MaxLimit)
		if err := q.err(); err != nil {
			return err
		}
		v, err := svc.Request(r.Context(), r.PathValue("id"))
		if err != nil {
			return err
		}
		all := part(v, a.localizer(r))
		return writeList(w, window(all, p), len(all), p)
	}
}

func commentsOut(v *servicedesk.View, _ *i18n.Localizer) []servicedesk.Comment { return v.Comments }

func checklistOut(v *servicedesk.View, loc *i18n.Localizer) []stepJSON { return stepsOut(v.Steps, loc) }

func attachmentsOut(v *servicedesk.View, _ *i18n.Localizer) []attachmentJSON { return attachmentsOf(v) }
