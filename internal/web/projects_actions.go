package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// taskFlash is the message after a task action.
var taskFlash = map[string]string{
	activation.ActStart:    "projects.flash.task_started",
	activation.ActComplete: "projects.flash.task_completed",
	activation.ActBlock:    "projects.flash.task_blocked",
	activation.ActUnblock:  "projects.flash.task_unblocked",
	activation.ActSkip:     "projects.flash.task_skipped",
	activation.ActInclude:  "projects.flash.task_included",
}

func (s *Server) actOnTask(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	kind := r.PostForm.Get("action")
	v, err := s.deps.Projects.Act(r.Context(), r.PathValue("id"), r.PathValue("taskID"),
		activation.Action{Kind: kind, Reason: r.PostForm.Get("reason")})
	field := "reason"
	if kind == activation.ActSkip {
		field = "skipreason"
	}
	s.projectChanged(w, r, v, err, taskFlash[kind], taskFields(map[string]string{"reason": field}))
}

func (s *Server) meetGate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	in := activation.GateInput{Name: f.Get("name"), Reference: f.Get("reference"), Confirm: f.Get("confirm") == "yes"}
	at, ok := localTime(strings.TrimSpace(f.Get("date")), strings.TrimSpace(f.Get("time")), s.deps.Location)
	var v *activation.View
	var err error
	if ok {
		in.Date = at
		v, err = s.deps.Projects.MeetGate(r.Context(), r.PathValue("id"), r.PathValue("taskID"), in)
	} else {
		err = enlace.Invalid([]enlace.FieldError{enlace.Field("date", "activation.error.date")})
	}
	s.projectChanged(w, r, v, err, "projects.flash.gate_met", taskFields(nil))
}

func (s *Server) rescheduleTask(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	at, _ := localTime(strings.TrimSpace(r.PostForm.Get("at_date")), strings.TrimSpace(r.PostForm.Get("at_time")), s.deps.Location)
	// An unreadable date is a zero time, which the service refuses.
	v, err := s.deps.Projects.Reschedule(r.Context(), r.PathValue("id"), r.PathValue("taskID"), at)
	s.projectChanged(w, r, v, err, "projects.flash.task_rescheduled", taskFields(map[string]string{"date": "at_date"}))
}

func (s *Server) rescheduleProject(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	at, _ := localTime(strings.TrimSpace(r.PostForm.Get("start_date")), strings.TrimSpace(r.PostForm.Get("start_time")), s.deps.Location)
	v, err := s.deps.Projects.Reschedule(r.Context(), r.PathValue("id"), "", at)
	s.projectChanged(w, r, v, err, "projects.flash.project_rescheduled", projectFields(map[string]string{"date": "start_date"}))
}

func (s *Server) cancelProject(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	var v *activation.View
	var err error
	if r.PostForm.Get("confirm") != "yes" {
		err = enlace.Invalid([]enlace.FieldError{enlace.Field("cancel_confirm", "projects.error.cancel_confirm")})
	} else {
		v, err = s.deps.Projects.Cancel(r.Context(), r.PathValue("id"), r.PostForm.Get("reason"))
	}
	s.projectChanged(w, r, v, err, "projects.flash.project_cancelled", projectFields(map[string]string{"reason": "cancel_reason"}))
}

// fieldNamer turns a service's field name into the id of the input on
// the project page, where each task has forms of its own.
type fieldNamer func(field, taskKey string) string

// taskFields names the inputs of a task's forms "<field>-<task key>",
// renaming the service's fields first where the page calls them otherwise.
func taskFields(rename map[string]string) fieldNamer {
	return func(field, key string) string {
		if n, ok := rename[field]; ok {
			field = n
		}
		return field + "-" + key
	}
}

// projectFields names the inputs of the project's own forms.
func projectFields(rename map[string]string) fieldNamer {
	return func(field, _ string) string {
		if n, ok := rename[field]; ok {
			return n
		}
		return field
	}
}

// projectChanged answers a change to a project: back to the project (at
// the task) with a message, or the project page again with the reason in
// the reader's language when the change was refused.
func (s *Server) projectChanged(w http.ResponseWriter, r *http.Request, v *activation.View, err error, flash string, name fieldNamer) {
	id, taskID := r.PathValue("id"), r.PathValue("taskID")
	if err == nil {
		target := "/projects/" + url.PathEscape(id)
		if v == nil { // a change to the project's records, not its tasks
			target += "#notes"
		} else if t := v.Task(taskID); t != nil {
			target += "#task-" + t.Key
		}
		s.flash(w, flash)
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	}
	if !changeFailed(err) {
		s.fail(w, r, err)
		return
	}
	cur, lerr := s.deps.Projects.Project(r.Context(), id)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	key := ""
	if t := cur.Task(taskID); t != nil {
		key = t.Key
	}
	p := s.page(w, r, "projects.project.title")
	e := enlace.AsError(err)
	p.Summary = p.loc.Error(err)
	if len(e.Fields) > 0 {
		p.Errors = map[string]string{}
		for _, f := range e.Fields {
			n := name(f.Field, key)
			if p.Errors[n] != "" {
				p.Errors[n] += " "
			}
			p.Errors[n] += p.loc.TMap(f.Message, f.Args)
		}
	}
	s.renderProject(w, r, p, formStatus(err), cur, key)
}
