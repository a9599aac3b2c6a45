package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/ops"
)

// errorPage is the page of a request that could not be served.
type errorPage struct {
	*Page
	Status  int
	Message string
	Hint    string
	// RequestID is shown on internal errors, for the visitor to quote.
	RequestID string
}

// formStatus is the status of a form re-rendered with an error: 422 for
// input the service refused, the error's own status otherwise.
func formStatus(err error) int { return ops.HTTPStatus(enlace.ErrorCode(err)) }

// fail answers a request whose work failed with a localized error page.
// A lost session sends the visitor to sign in again; internal errors are
// logged once, here, and never shown.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.errorPage(w, r, http.StatusRequestEntityTooLarge, "web.error.too_large", "")
		return
	}
	code := enlace.ErrorCode(err)
	switch code {
	case enlace.EINTERNAL:
		s.internal(w, r, err)
		return
	case enlace.EUNAUTHORIZED:
		if visitOf(r).principal == nil || r.Method == http.MethodGet {
			s.clearCookie(w, sessionCookie)
			http.Redirect(w, r, "/login?next="+url.QueryEscape(localPath(r.URL.RequestURI())), http.StatusSeeOther)
			return
		}
	case enlace.ENOTFOUND:
		s.errorPage(w, r, http.StatusNotFound, "error.not_found", "web.error.not_found_hint")
		return
	}
	e := enlace.AsError(err)
	p := s.page(w, r, "web.error.title")
	s.render(w, r, ops.HTTPStatus(code), "error", errorPage{Page: p, Status: ops.HTTPStatus(code),
		Message: p.loc.TMap(e.Message, e.Args), Hint: hintFor(code)})
}

func hintFor(code string) string {
	switch code {
	case enlace.EFORBIDDEN:
		return "web.error.forbidden_hint"
	case enlace.ETOOMANY:
		return "web.error.too_many_hint"
	}
	return ""
}

// internal logs an unexpected error once and shows a page that says only
// that something went wrong, with the request id to quote to support.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	id := enlace.OriginFrom(r.Context()).RequestID
	s.log.ErrorContext(r.Context(), "web request failed", "err", err, "request_id", id,
		"method", r.Method, "path", r.URL.Path)
	p := s.page(w, r, "web.error.title")
	ep := errorPage{Page: p, Status: http.StatusInternalServerError, Message: p.T("error.internal"), RequestID: id}
	t := s.views.pages["error"]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	if t == nil || t.ExecuteTemplate(w, "layout", ep) != nil {
		_, _ = w.Write([]byte("internal error " + id))
	}
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msgKey, hintKey string) {
	p := s.page(w, r, "web.error.title")
	s.render(w, r, status, "error", errorPage{Page: p, Status: status, Message: p.T(msgKey), Hint: hintKey})
}

// badForm answers a form that arrived broken — unparseable, or with values
// no form of ours sends: 400, since the request itself is wrong.
func (s *Server) badForm(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusBadRequest, "web.error.bad_form", "")
}

// notFound is the page of every path no route matches.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "web.error.page_not_found", "web.error.not_found_hint")
}

// parseForm reads a posted form. An oversized or malformed body gets its
// error page and false.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(w, r, err)
		} else {
			s.badForm(w, r)
		}
		return false
	}
	return true
}

// formError puts a service's validation error on the page: the message
// next to each field and a summary at the top. It reports false for
// errors that are not about the form, which the caller passes to fail.
func formError(p *Page, err error) bool {
	if enlace.ErrorCode(err) != enlace.EINVALID {
		return false
	}
	p.Errors = p.loc.FieldErrors(err)
	p.Summary = p.loc.Error(err)
	return true
}

// pageNumber reads the ?page= parameter; anything unreadable is page 1.
func pageNumber(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}

// formErrors puts a refused change on a page of several forms: the
// message at the top, and each field's next to the field of the form that
// failed, which the page names "<field>-<form>".
func formErrors(p *Page, err error, form string) {
	e := enlace.AsError(err)
	p.Summary = p.loc.Error(err)
	if len(e.Fields) == 0 {
		return
	}
	p.Errors = map[string]string{}
	for _, f := range e.Fields {
		n := f.Field + "-" + form
		if p.Errors[n] != "" {
			p.Errors[n] += " "
		}
		p.Errors[n] += p.loc.TMap(f.Message, f.Args)
	}
}
