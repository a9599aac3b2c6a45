package api

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// Patterns of the request routes whose bodies carry files.
const (
	requestCreatePattern = "POST " + Prefix + "/requests"
	requestAttachPattern = "POST " + Prefix + "/requests/{id}/attachments"
)

// requestBodyLimits are the body limits of the request routes that carry
// files. A new request carries its files in JSON, base64-encoded: together
// they may be as large as one document; larger sets go one by one to the
// attachments route, which streams them.
func (a *API) requestBodyLimits() map[string]int64 {
	if a.Documents == nil || a.Requests == nil {
		return nil
	}
	return map[string]int64{requestCreatePattern: a.requestCreateLimit(), requestAttachPattern: a.documentUploadLimit()}
}

func (a *API) requestCreateLimit() int64 {
	if a.Documents == nil {
		return a.MaxBodyBytes
	}
	return max(a.MaxBodyBytes, int64(base64.StdEncoding.EncodedLen(int(a.Documents.MaxBytes())))+64<<10)
}

// newRequestJSON is the body of POST /requests.
type newRequestJSON struct {
	CustomerID       string            `json:"customerId"`
	Type             string            `json:"type"`
	ServiceKey       string            `json:"serviceKey"`
	BillingAccountID string            `json:"billingAccountId"`
	SiteID           string            `json:"siteId"`
	Subject          string            `json:"subject"`
	Description      string            `json:"description"`
	Priority         string            `json:"priority"`
	Fields           map[string]string `json:"fields"`
	Channel          string            `json:"channel"`
	Attachments      []newAttachment   `json:"attachments"`
}

// newAttachment is a file given with a new request: for one of the
// attachments its type needs (key), or a plain one (no key).
type newAttachment struct {
	Key           string `json:"key"`
	FileName      string `json:"fileName"`
	ContentBase64 string `json:"contentBase64"`
}

// createRequest raises a request (E1, E7) with its files, as the token's
// user: for their own customer, or for the customer staff name. It
// arrives by the API unless staff say it came by phone or e-mail.
func (a *API) createRequest(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.requests()
	if err != nil {
		return err
	}
	var in newRequestJSON
	if err := a.decodeUpTo(w, r, &in, a.requestCreateLimit()); err != nil {
		return err
	}
	uploads, err := a.receiveAttachments(in.Attachments)
	defer func() {
		for _, u := range uploads {
			u.File.Close()
		}
	}()
	if err != nil {
		return err
	}
	channel := in.Channel
	if channel == "" {
		channel = servicedesk.ChannelAPI
	}
	v, err := svc.Create(r.Context(), servicedesk.Input{CustomerID: in.CustomerID, TypeKey: in.Type, ServiceKey: in.ServiceKey,
		BillingAccountID: in.BillingAccountID, SiteID: in.SiteID, Subject: in.Subject, Description: in.Description,
		Priority: in.Priority, Fields: in.Fields, Channel: channel}, uploads)
	if err != nil {
		return pointFields(err, newRequestPointer(in.Attachments))
	}
	w.Header().Set("Location", requestPath(v.Request.ID))
	return a.writeRequest(w, r, http.StatusCreated, v)
}

// receiveAttachments decodes each file of a new request into a spool file
// of the document repository, which checks its size and type. Content
// that is not base64 is refused before anything else is done. The caller
// closes the files, also on error.
func (a *API) receiveAttachments(in []newAttachment) ([]servicedesk.Upload, error) {
	if len(in) == 0 {
		return nil, nil
	}
	docs, err := a.documents()
	if err != nil {
		return nil, err
	}
	uploads := make([]servicedesk.Upload, 0, len(in))
	for i, at := range in {
		file, err := docs.Receive(base64.NewDecoder(base64.StdEncoding, strings.NewReader(at.ContentBase64)))
		var corrupt base64.CorruptInputError
		if errors.As(err, &corrupt) {
			ptr := fmt.Sprintf("/attachments/%d/contentBase64", i)
			return uploads, badInput(fieldError("api.json_base64", enlace.Field(ptr, "api.field_base64", "Field", ptr)))
		} else if err != nil {
			return uploads, err
		}
		uploads = append(uploads, servicedesk.Upload{Key: at.Key, FileName: at.FileName, File: file})
	}
	return uploads, nil
}

// newRequestFields are the members of a new request the service's field
// errors name otherwise.
var newRequestFields = map[string]string{"customer": "/customerId", "billing_account": "/billingAccountId",
	"site": "/siteId", "service_key": "/serviceKey", "file": "/attachments"}

// newRequestPointer names the service's field errors of a new request as
// members of its body: a form answer as /fields/<key>, a file the type
// does not take as its key's member, one it needs and lacks (or one the
// repository refused) as /attachments.
func newRequestPointer(attachments []newAttachment) func(string) string {
	return func(field string) string {
		if key, ok := strings.CutPrefix(field, "fields."); ok {
			return "/fields/" + pointerEscape(key)
		}
		if key, ok := strings.CutPrefix(field, "attachment."); ok {
			for i, at := range attachments {
				if at.Key == key {
					return fmt.Sprintf("/attachments/%d/key", i)
				}
			}
			return "/attachments"
		}
		if ptr, ok := newRequestFields[field]; ok {
			return ptr
		}
		return jsonPointer(field)
	}
}

// pointerEscape escapes a member name for a JSON Pointer (RFC 6901).
func pointerEscape(s string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(s) }

// pointFields returns a refusal of invalid input with its fields named by
// name, as they are then answered, for field names jsonPointer cannot
// derive (keys with underscores inside a member). Other errors pass.
func pointFields(err error, name func(string) string) error {
	var e *enlace.Error
	if !errors.As(err, &e) || e.Code != enlace.EINVALID || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]enlace.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = name(f.Field)
		out.Fields[i] = f
	}
	return &httpError{status: http.StatusUnprocessableEntity, code: enlace.EINVALID, err: &out}
}
