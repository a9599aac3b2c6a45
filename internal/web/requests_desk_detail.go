package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// deskCreatedFlash greets the requester on the page of the request they
// just raised; that page says it with the folio.
const deskCreatedFlash = "desk.flash.created"

// deskRequestPage is one request (E2–E5) as its reader sees it: the
// header with the SLA, what was asked, the checklist, the thread, the
// attachments, the history, the actions the reader may take now and the
// satisfaction survey.
type deskRequestPage struct {
	*Page
	Request *servicedesk.Request
	// Created tells the page was reached right after raising the request.
	Created                               bool
	Staff                                 bool
	TypeName, Category, Queue, ServiceURL string
	SLA                                   deskSLA
	Answers                               []deskAnswer
	Steps                                 []deskStep
	Comments                              []deskComment
	Documents                             []deskDocument
	Events                                []deskEvent
	Survey                                *servicedesk.Survey
	SurveyDate                            string
	// Scores are the survey's choices, 1 (very dissatisfied) to 5.
	Scores []int
	// Actions are the forms of the actions the reader may take now.
	Actions                                   []string
	MayComment, MayTick, MayAnswer, MayAttach bool
	// The choices of the assign form.
	Queues, Agents, Priorities []option
	// Needs are the type's attachments, for the upload form.
	Needs         []option
	Accept, Limit string
	// Open names the form that failed ("act-<action>", "comment",
	// "survey", "attach"), Form what it posted, shown again.
	Open string
	Form url.Values
}

// Kept returns what was typed in a field of the form that failed.
func (p *deskRequestPage) Kept(form, field string) string {
	if p.Form == nil || p.Open != form {
		return ""
	}
	return p.Form.Get(field)
}

// Has reports whether the reader may take an action now.
func (p *deskRequestPage) Has(action string) bool { return slices.Contains(p.Actions, action) }

// deskSLA is where a request stands against its targets.
type deskSLA struct {
	State                                           string
	ResponseDue, Responded, ResolutionDue, Resolved string
	Paused                                          string
	ResponseBreached, ResolutionBreached            bool
}

// deskAnswer is one answer to the type's form.
type deskAnswer struct{ Label, Value string }

// deskStep is one checklist step.
type deskStep struct {
	Key, Label, DoneBy, DoneAt string
	Mandatory, Done            bool
}

// deskComment is one entry of the thread.
type deskComment struct {
	ID, Author, Body, At string
	Staff, Internal      bool
}

// deskDocument is one attachment.
type deskDocument struct {
	ID, Title, FileName, Size, At string
}

// deskEvent is one phase change.
type deskEvent struct {
	Phase, Reason, Actor, At string
}

func (s *Server) deskRequest(w http.ResponseWriter, r *http.Request) {
	v, err := s.deps.Requests.Request(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "desk.request.title")
	s.renderDeskRequest(w, r, p, http.StatusOK, v, "")
}

// renderDeskRequest draws a request's page; open names the form that
// failed, shown again with what was typed.
func (s *Server) renderDeskRequest(w http.ResponseWriter, r *http.Request, p *Page, status int, v *servicedesk.View, open string) {
	rq := v.Request
	rp := &deskRequestPage{Page: p, Request: rq, Staff: p.Actor.IsStaff(), TypeName: s.typeName(p, rq.TypeKey),
		Category: categoryLabel(p, rq.Category), Actions: v.Actions, MayComment: v.MayComment, MayTick: v.MayTick,
		MayAnswer: v.MayAnswer, MayAttach: v.MayComment && s.deps.Documents != nil, Survey: v.Survey, Scores: []int{1, 2, 3, 4, 5},
		Open: open}
	p.Title = rq.Folio + " · " + rq.Subject
	if p.Flash == deskCreatedFlash {
		rp.Created, p.Flash = true, ""
	}
	if r.Method == http.MethodPost {
		rp.Form = r.PostForm
	}
	if q := s.deps.Requests.Catalog().Queue(rq.Queue); q != nil {
		rp.Queue = q.Name.In(p.Lang)
	}
	if rq.ServiceID != "" {
		rp.ServiceURL = "/services/" + url.PathEscape(rq.ServiceID)
	}
	rp.SLA = slaOf(p, rq, v)
	rp.Answers = answersOf(p, v)
	for _, st := range v.Steps {
		ds := deskStep{Key: st.Key, Label: st.Label.In(p.Lang), Mandatory: st.Mandatory, Done: st.DoneAt != nil,
			DoneAt: p.DateTimePtr(st.DoneAt)}
		if rp.Staff { // who ticked it is the provider's business
			ds.DoneBy = st.DoneByName
		}
		rp.Steps = append(rp.Steps, ds)
	}
	for _, c := range v.Comments {
		rp.Comments = append(rp.Comments, deskComment{ID: c.ID, Author: c.AuthorName, Body: c.Body, At: p.DateTime(c.CreatedAt),
			Staff: c.Staff, Internal: c.Internal})
	}
	for _, d := range v.Documents {
		rp.Documents = append(rp.Documents, deskDocument{ID: d.ID, Title: d.Title, FileName: d.FileName, Size: p.Bytes(d.Size),
			At: p.DateTime(d.CreatedAt)})
	}
	for _, e := range v.Events {
		rp.Events = append(rp.Events, deskEvent{Phase: e.Phase, Reason: eventReason(p, e.Reason), Actor: e.ActorName, At: p.DateTime(e.At)})
	}
	if v.Survey != nil {
		rp.SurveyDate = p.DateTime(v.Survey.CreatedAt)
	}
	if err := s.fillDeskChoices(r, rp, v); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "desk_request", rp)
}

// slaOf describes the request's SLA in the reader's language.
func slaOf(p *Page, rq *servicedesk.Request, v *servicedesk.View) deskSLA {
	return deskSLA{State: slaState(rq, v.Now), ResponseDue: p.DateTime(rq.ResponseDueAt), Responded: p.DateTimePtr(rq.FirstResponseAt),
		ResolutionDue: p.DateTime(rq.ResolutionDueAt), Resolved: p.DateTimePtr(rq.ResolvedAt), Paused: p.DateTimePtr(rq.PausedAt),
		ResponseBreached: rq.ResponseBreached(v.Now), ResolutionBreached: rq.ResolutionBreached(v.Now)}
}

// answersOf lists the answers to the type's form in its order, labelled
// by the type; answers the type no longer has keep their key.
func answersOf(p *Page, v *servicedesk.View) []deskAnswer {
	var out []deskAnswer
	seen := map[string]bool{}
	if tp := v.Type; tp != nil {
		for _, f := range tp.Fields {
			val, ok := v.Request.Fields[f.Key]
			if !ok {
				continue
			}
			seen[f.Key] = true
			for _, o := range f.Options {
				if o.Key == val {
					val = o.Label.In(p.Lang)
				}
			}
			out = append(out, deskAnswer{Label: f.Label.In(p.Lang), Value: val})
		}
	}
	keys := make([]string, 0, len(v.Request.Fields))
	for k := range v.Request.Fields {
		if !seen[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		out = append(out, deskAnswer{Label: k, Value: v.Request.Fields[k]})
	}
	return out
}

// eventReason is the reason of a phase change as the history shows it;
// the system's own reasons are words of the catalogue.
func eventReason(p *Page, reason string) string {
	switch reason {
	case "customer_reply", "auto":
		return p.T("desk.history." + reason)
	}
	return reason
}

// fillDeskChoices adds the assign form's choices (agents are listed only
// for staff who may assign) and the upload form's kinds of document.
func (s *Server) fillDeskChoices(r *http.Request, rp *deskRequestPage, v *servicedesk.View) error {
	p, rq := rp.Page, rp.Request
	if rp.Has(servicedesk.ActionAssign) {
		agents, err := s.deps.Requests.Agents(r.Context())
		if err != nil {
			return err
		}
		queue, agent, priority := rq.Queue, rq.AssigneeID, rq.Priority
		if rp.Open == "act-"+servicedesk.ActionAssign {
			queue, agent, priority = rp.Form.Get("queue"), rp.Form.Get("assignee"), rp.Form.Get("priority")
		}
		for _, q := range s.deps.Requests.Catalog().Queues {
			rp.Queues = append(rp.Queues, option{Value: q.Key, Label: q.Name.In(p.Lang), Selected: q.Key == queue})
		}
		rp.Agents = []option{{Value: "", Label: p.T("desk.request.no_agent")}}
		for _, u := range agents {
			rp.Agents = append(rp.Agents, option{Value: u.ID, Label: u.Name(), Selected: u.ID == agent})
		}
		rp.Priorities = translatedOptions(p, "servicedesk.priority.", servicedesk.Priorities, priority)
	}
	if rp.MayAttach {
		rp.Needs = []option{{Value: "", Label: p.T("desk.request.other_document")}}
		if v.Type != nil {
			for _, at := range v.Type.Attachments {
				rp.Needs = append(rp.Needs, option{Value: at.Key, Label: at.Label.In(p.Lang), Selected: at.Key == rp.Kept("attach", "key")})
			}
		}
		rp.Accept, rp.Limit = acceptedExtensions(), p.Bytes(s.deps.Documents.MaxBytes())
	}
	return nil
}

// deskFlash is the message after each action on a request.
var deskFlash = map[string]string{
	servicedesk.ActionAssign:  "desk.flash.assigned",
	servicedesk.ActionStart:   "desk.flash.started",
	servicedesk.ActionWait:    "desk.flash.waiting",
	servicedesk.ActionResume:  "desk.flash.resumed",
	servicedesk.ActionResolve: "desk.flash.resolved",
	servicedesk.ActionClose:   "desk.flash.closed",
	servicedesk.ActionReopen:  "desk.flash.reopened",
	servicedesk.ActionCancel:  "desk.flash.cancelled",
}

// deskChanged answers a change to a request: back to its page (at the
// section changed) with a message; or, when the change was refused for a
// reason the reader can act on, the page again with the form that failed,
// what was typed and the message next to its fields, which the page names
// "<field>-<form>".
func (s *Server) deskChanged(w http.ResponseWriter, r *http.Request, err error, form, flash, anchor string) {
	id := r.PathValue("id")
	if err == nil {
		s.flash(w, flash)
		http.Redirect(w, r, "/requests/"+url.PathEscape(id)+"#"+anchor, http.StatusSeeOther)
		return
	}
	if !changeFailed(err) {
		s.fail(w, r, err)
		return
	}
	v, lerr := s.deps.Requests.Request(r.Context(), id)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	p := s.page(w, r, "desk.request.title")
	formErrors(p, err, form)
	s.renderDeskRequest(w, r, p, formStatus(err), v, form)
}
