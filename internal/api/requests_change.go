package api

import (
	"errors"
	"net/http"
	"slices"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// requestChange returns the handler of a change to a request, answering
// the request as it now is with status.
func requestChange[T any](bodyOptional bool, status int,
	change func(*servicedesk.Service, *http.Request, *T) (*servicedesk.View, error)) handlerFunc {
	return changeHandler((*API).requests, (*API).writeRequest, bodyOptional, status, change)
}

// actionJSON is the body of POST /requests/{id}/actions/{action}: a
// reason to wait, reopen or cancel; the solution to resolve; the queue,
// agent and optionally a new priority to assign.
type actionJSON struct {
	Reason     string `json:"reason"`
	Resolution string `json:"resolution"`
	Queue      string `json:"queue"`
	AssigneeID string `json:"assigneeId"`
	Priority   string `json:"priority"`
}

// actOnRequest takes an action; an action the API does not know is a
// route it does not serve.
func actOnRequest(svc *servicedesk.Service, r *http.Request, in *actionJSON) (*servicedesk.View, error) {
	action := r.PathValue("action")
	if !slices.Contains(servicedesk.Actions, action) {
		return nil, plain(http.StatusNotFound, "api.route_not_found")
	}
	v, err := svc.Act(r.Context(), r.PathValue("id"), servicedesk.ActInput{Action: action, Reason: in.Reason,
		Resolution: in.Resolution, Queue: in.Queue, AssigneeID: in.AssigneeID, Priority: in.Priority})
	return v, renameFields(err, map[string]string{"assignee": "assigneeId"})
}

// requestPatchJSON is the body of PATCH /requests/{id}; members left out
// stay as they are.
type requestPatchJSON struct {
	Subject     *string `json:"subject"`
	Description *string `json:"description"`
	Priority    *string `json:"priority"`
}

func updateRequest(svc *servicedesk.Service, r *http.Request, in *requestPatchJSON) (*servicedesk.View, error) {
	return svc.Update(r.Context(), r.PathValue("id"),
		servicedesk.UpdateInput{Subject: in.Subject, Description: in.Description, Priority: in.Priority})
}

// commentJSON is the body of POST /requests/{id}/comments; internal notes
// are staff's.
type commentJSON struct {
	Body     string `json:"body"`
	Internal bool   `json:"internal"`
}

func commentOnRequest(svc *servicedesk.Service, r *http.Request, in *commentJSON) (*servicedesk.View, error) {
	return svc.Comment(r.Context(), r.PathValue("id"), servicedesk.CommentInput{Body: in.Body, Internal: in.Internal})
}

// tickJSON is the body of PUT /requests/{id}/checklist/{step}; done is
// required, so that a forgotten member never unticks a step.
type tickJSON struct {
	Done *bool `json:"done"`
}

// tickStep marks a checklist step done or not done; a step the request
// does not have is not found, as an unknown path is.
func tickStep(svc *servicedesk.Service, r *http.Request, in *tickJSON) (*servicedesk.View, error) {
	if in.Done == nil {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("done", "api.field_required")})
	}
	v, err := svc.Tick(r.Context(), r.PathValue("id"), r.PathValue("step"), *in.Done)
	var e *enlace.Error
	if errors.As(err, &e) && e.Code == enlace.EINVALID && len(e.Fields) == 1 && e.Fields[0].Field == "step" {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return v, err
}

// surveyJSON is the body of POST /requests/{id}/survey.
type surveyJSON struct {
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

// answerSurvey records the requester's answer to a closed incident's
// survey, once: a second answer is a conflict.
func answerSurvey(svc *servicedesk.Service, r *http.Request, in *surveyJSON) (*servicedesk.View, error) {
	return svc.Answer(r.Context(), r.PathValue("id"), servicedesk.SurveyInput{Score: in.Score, Comment: in.Comment})
}

// attachToRequest takes a multipart/form-data body with the field file
// and, optionally, key (the attachment of the request's type the file
// is). The file streams to a spool file, never whole in memory.
func (a *API) attachToRequest(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.requests()
	if err != nil {
		return err
	}
	docs, err := a.documents()
	if err != nil {
		return err
	}
	up, err := a.readUpload(w, r, docs, "key")
	if err != nil {
		return err
	}
	defer up.file.Close()
	if len(up.fields["key"]) > 200 {
		return badInput(enlace.Errorf(enlace.EINVALID, "documents.error.multipart_malformed"))
	}
	u := servicedesk.Upload{Key: up.fields["key"], FileName: up.fileName, File: up.file}
	// Without a file, the service still says first whether the request
	// is the caller's to add to, then that the file is missing.
	v, err := svc.Attach(r.Context(), r.PathValue("id"), u)
	if err != nil {
		return renameFields(err, map[string]string{"attachment": "key"})
	}
	return a.writeRequest(w, r, http.StatusCreated, v)
}

// requestAttachment downloads one of a request's files, to whoever may
// see the request; the document service audits each download.
func (a *API) requestAttachment(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.requests()
	if err != nil {
		return err
	}
	docs, err := a.documents()
	if err != nil {
		return err
	}
	v, err := svc.Request(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	id := r.PathValue("docId")
	if !slices.ContainsFunc(v.Documents, func(d document.Document) bool { return d.ID == id }) {
		return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	d, content, err := docs.Open(r.Context(), id)
	if err != nil {
		return err
	}
	defer content.Close()
	document.Serve(w, r, d, content)
	return nil
}
