package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/ops"
)

// problemBase prefixes the type URI of problems that carry an error code.
const problemBase = "https://enlace.dev/problems/"

// problem is an RFC 9457 problem document, extended with our error code
// and the field errors of a request that failed validation.
type problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail"`
	Instance string         `json:"instance"`
	Code     string         `json:"code,omitempty"`
	Errors   []fieldProblem `json:"errors,omitempty"`
}

// fieldProblem names one bad input: a JSON Pointer into the body ("/email")
// or the name of a query parameter ("limit").
type fieldProblem struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// httpError is a failure of the request itself rather than of the
// operation: malformed JSON or query parameters (400), a body too large
// (413), a wrong media type (415), an unknown route (404, 405). Its field
// names are already pointers or parameter names.
type httpError struct {
	status int
	code   string // an enlace code, or "" for a plain HTTP status
	err    *enlace.Error
}

func (e *httpError) Error() string { return e.err.Error() }
func (e *httpError) Unwrap() error { return e.err }

// badInput returns e as a malformed request: 400 rather than 422.
func badInput(e *enlace.Error) error {
	return &httpError{status: http.StatusBadRequest, code: enlace.EINVALID, err: e}
}

// fieldError returns an invalid-input error whose message is key and
// whose message arguments are those of its first field, so that the
// detail can name the field.
func fieldError(key string, fields ...enlace.FieldError) *enlace.Error {
	e := &enlace.Error{Code: enlace.EINVALID, Message: key, Fields: fields}
	if len(fields) > 0 {
		e.Args = fields[0].Args
	}
	return e
}

// plain returns an error answered with a bare HTTP status (type
// "about:blank"); args are key, value pairs for the message.
func plain(status int, key string, args ...any) error {
	return &httpError{status: status, err: enlace.Errorf(enlace.EINVALID, key, args...)}
}

// fail answers err as a problem document in the reader's language. An
// internal error is logged here, once, and its text never leaves the server.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	var p problem
	loc := a.localizer(r)
	if he := (*httpError)(nil); errors.As(err, &he) {
		p = problem{Status: he.status, Code: he.code}
		p.Detail, p.Errors = loc.TMap(he.err.Message, he.err.Args), fieldProblems(loc, he.err.Fields, nil)
	} else {
		e := enlace.AsError(err)
		p = problem{Status: ops.HTTPStatus(e.Code), Code: e.Code}
		p.Detail, p.Errors = loc.TMap(e.Message, e.Args), fieldProblems(loc, e.Fields, jsonPointer)
	}
	if p.Status == http.StatusInternalServerError {
		a.Logger.ErrorContext(r.Context(), "api request failed", "request_id", enlace.OriginFrom(r.Context()).RequestID,
			"method", r.Method, "route", r.Pattern, "err", err)
		p.Code, p.Detail, p.Errors = enlace.EINTERNAL, loc.T("error.internal"), nil
	}
	if p.Status == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="enlace"`)
	}
	writeProblem(w, r, loc.Lang, p)
}

// writeProblem fills the type, title and instance of p and sends it.
func writeProblem(w http.ResponseWriter, r *http.Request, lang string, p problem) {
	p.Type, p.Title, p.Instance = "about:blank", http.StatusText(p.Status), r.URL.Path
	if p.Code != "" {
		p.Type = problemBase + p.Code
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Language", lang)
	h.Add("Vary", "Accept-Language")
	w.WriteHeader(p.Status)
	// The status is sent; a failed write means the client went away.
	_ = json.NewEncoder(w).Encode(p)
}

// fieldProblems localizes field errors, renaming each field with name
// when given.
func fieldProblems(loc *i18n.Localizer, fields []enlace.FieldError, name func(string) string) []fieldProblem {
	out := make([]fieldProblem, 0, len(fields))
	for _, f := range fields {
		field := f.Field
		if name != nil {
			field = name(field)
		}
		out = append(out, fieldProblem{Field: field, Detail: loc.TMap(f.Message, f.Args)})
	}
	return out
}

// renamedFields are the service field names whose JSON name is not simply
// their camelCase form.
var renamedFields = map[string]string{"billing_accounts": "billingAccountIds"}

// jsonPointer turns a service's form field name (first_name) into the
// JSON Pointer of the body member it came from (/firstName).
func jsonPointer(field string) string {
	if n, ok := renamedFields[field]; ok {
		return "/" + n
	}
	parts := strings.Split(field, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return "/" + strings.Join(parts, "")
}
