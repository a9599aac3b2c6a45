package web

import (
	"net/http"
	"strconv"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// The changes to a request from its page: each a small form posted to
// its own route, answered by deskChanged (requests_desk_detail.go).

func (s *Server) actOnDeskRequest(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	action := f.Get("action")
	_, err := s.deps.Requests.Act(r.Context(), r.PathValue("id"), servicedesk.ActInput{Action: action,
		Reason: f.Get("reason"), Resolution: f.Get("resolution"), Queue: f.Get("queue"), AssigneeID: f.Get("assignee"),
		Priority: f.Get("priority")})
	s.deskChanged(w, r, err, "act-"+action, deskFlash[action], "request-actions")
}

func (s *Server) tickDeskStep(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	done := r.PostForm.Get("done")
	if done != "1" && done != "0" {
		s.badForm(w, r)
		return
	}
	step := r.PathValue("step")
	_, err := s.deps.Requests.Tick(r.Context(), r.PathValue("id"), step, done == "1")
	flash := "desk.flash.step_done"
	if done == "0" {
		flash = "desk.flash.step_undone"
	}
	s.deskChanged(w, r, err, "step", flash, "step-"+step)
}

func (s *Server) commentDeskRequest(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	internal := r.PostForm.Get("internal") == "yes"
	_, err := s.deps.Requests.Comment(r.Context(), r.PathValue("id"), servicedesk.CommentInput{Body: r.PostForm.Get("body"),
		Internal: internal})
	flash := "desk.flash.commented"
	if internal {
		flash = "desk.flash.noted"
	}
	s.deskChanged(w, r, err, "comment", flash, "thread")
}

func (s *Server) answerDeskSurvey(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	// An unreadable score is 0, which the service refuses.
	score, _ := strconv.Atoi(r.PostForm.Get("score"))
	_, err := s.deps.Requests.Answer(r.Context(), r.PathValue("id"), servicedesk.SurveyInput{Score: score,
		Comment: r.PostForm.Get("comment")})
	s.deskChanged(w, r, err, "survey", "desk.flash.survey", "survey")
}

// attachToDeskRequest adds a file to a request, for one of the documents
// its type needs or as a plain attachment.
func (s *Server) attachToDeskRequest(w http.ResponseWriter, r *http.Request) {
	var key string
	up, ok := s.readUpload(w, r, map[string]*string{"key": &key})
	if !ok {
		return
	}
	defer up.file.Close()
	var err error
	if up.file == nil {
		err = enlace.Invalid([]enlace.FieldError{enlace.Field("file", "documents.error.file_required")})
	} else {
		_, err = s.deps.Requests.Attach(r.Context(), r.PathValue("id"), servicedesk.Upload{Key: key, FileName: up.fileName, File: up.file})
	}
	s.deskChanged(w, r, err, "attach", "desk.flash.attached", "attachments")
}

// downloadDeskAttachment sends one of a request's attachments: only a
// document of this request, which the reader sees, through the document
// service's audited Open.
func (s *Server) downloadDeskAttachment(w http.ResponseWriter, r *http.Request) {
	v, err := s.deps.Requests.Request(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("doc")
	found := false
	for _, d := range v.Documents {
		found = found || (d.ID == id && d.RequestID == v.Request.ID)
	}
	if !found {
		s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
		return
	}
	d, content, err := s.deps.Documents.Open(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer content.Close()
	document.Serve(w, r, d, content)
}

// deskUploadLimit is the body limit of the new-request form: a file for
// each document the most demanding type needs, and the form around them.
func (s *Server) deskUploadLimit() int64 {
	most := 1
	for _, t := range s.deps.Requests.Catalog().Types {
		most = max(most, len(t.Attachments))
	}
	return int64(most)*s.deps.Documents.MaxBytes() + 2*maxDeskFieldBytes
}
