package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// requestChange returns the handler of a change to a request: it decodes
// the body into a T (which may be left out when bodyOptional), lets change
// apply it through the service, and answers the request as it now is with
// status.
func requestChange[T any](bodyOptional bool, status int,
	change func(*servicedesk.Service, *http.Request, *T) (*servicedesk.View, error)) handlerFunc {
	return func(a *API, w http.ResponseWriter, r *http.Request) error {
		svc, err := a.requests()
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
		return a.writeRequest(w, r, status, v)
	}
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
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return plain(http.StatusUnsupportedMediaType, "documents.error.multipart_media_type")
	}
	tooLarge := plain(http.StatusRequestEntityTooLarge, "documents.error.too_large", "Limit", document.HumanSize(docs.MaxBytes()))
	if r.ContentLength > a.documentUploadLimit() {
		return tooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, a.documentUploadLimit())
	mr, err := r.MultipartReader()
	if err != nil {
		return badInput(enlace.Errorf(enlace.EINVALID, "documents.error.multipart_malformed"))
	}
	var u servicedesk.Upload
	defer func() { u.File.Close() }()
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return tooLarge
		} else if err != nil {
			return badInput(enlace.Errorf(enlace.EINVALID, "documents.error.multipart_malformed"))
		}
		name := part.FormName()
		switch {
		case name == "file" && u.File == nil:
			u.FileName = part.FileName()
			if u.File, err = docs.Receive(part); err != nil {
				return err
			}
		case name == "key" && u.Key == "":
			b, err := io.ReadAll(io.LimitReader(part, 201))
			if err != nil || len(b) > 200 {
				return badInput(enlace.Errorf(enlace.EINVALID, "documents.error.multipart_malformed"))
			}
			u.Key = string(b)
		case name == "file" || name == "key":
			return badInput(fieldError("documents.error.multipart_fields", enlace.Field(name, "documents.error.field_repeated")))
		default:
			return badInput(fieldError("documents.error.multipart_fields", enlace.Field(name, "documents.error.field_unknown")))
		}
	}
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
