package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// auditPage is the audit log (A7) with its filters.
type auditPage struct {
	*Page
	Entries               []audit.Entry
	Pager                 *pager
	Actor, Action, Object string
	From, To              string
}

// ActionField is the action filter: every recorded action, by its label.
func (ap auditPage) ActionField() formField {
	f := field(ap, "action", "web.audit.action", ap.Action, "")
	f.Options = append([]option{{Value: "", Label: ap.T("web.audit.any_action")}},
		translatedOptions(ap.Page, "audit.action.", audit.Actions, ap.Action)...)
	return f
}

// ActionLabel names an action in the reader's language; an action without
// a label shows its code.
func (ap auditPage) ActionLabel(action string) string { return ap.T("audit.action." + action) }

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := s.page(w, r, "web.audit.title")
	ap := auditPage{Page: p, Actor: q.Get("actor"), Action: q.Get("action"), Object: q.Get("object"), From: q.Get("from"), To: q.Get("to")}
	f, ferrs := s.auditFilter(ap)
	if len(ferrs) > 0 {
		formError(p, enlace.Invalid(ferrs))
		s.render(w, r, http.StatusUnprocessableEntity, "audit", ap)
		return
	}
	page := pageNumber(r)
	f.Offset, f.Limit = (page-1)*listLimit, listLimit
	entries, total, err := s.deps.Audit.Find(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ap.Entries, ap.Pager = entries, newPager(p, r, page, listLimit, total)
	s.render(w, r, http.StatusOK, "audit", ap)
}

// auditFilter turns the filter form into an audit.Filter. Dates are whole
// days in the display zone; "to" includes its day.
func (s *Server) auditFilter(ap auditPage) (audit.Filter, []enlace.FieldError) {
	var f audit.Filter
	var errs []enlace.FieldError
	set := func(v string) *string {
		if v = strings.TrimSpace(v); v != "" {
			return &v
		}
		return nil
	}
	f.ActorEmail, f.Action, f.ObjectType = set(strings.ToLower(ap.Actor)), set(ap.Action), set(ap.Object)
	day := func(field, v string) *time.Time {
		if v == "" {
			return nil
		}
		t, err := time.ParseInLocation("2006-01-02", v, s.deps.Location)
		if err != nil {
			errs = append(errs, enlace.Field(field, "web.audit.date_invalid"))
			return nil
		}
		return &t
	}
	f.Since = day("from", ap.From)
	if until := day("to", ap.To); until != nil {
		end := until.AddDate(0, 0, 1)
		f.Until = &end
	}
	if f.Since != nil && f.Until != nil && !f.Since.Before(*f.Until) {
		errs = append(errs, enlace.Field("to", "web.audit.range_invalid"))
	}
	return f, errs
}
