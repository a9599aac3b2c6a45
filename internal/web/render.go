package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
)

//go:embed templates
var templateFS embed.FS

// views holds one parsed template set per page: the layout and partials,
// plus the page's own "content".
type views struct {
	pages map[string]*template.Template
}

func parseViews(st *staticFiles) (*views, error) {
	funcs := template.FuncMap{"static": st.path, "field": field}
	base, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		v.pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return v, nil
}

// Page is what every view receives: the language, who is signed in, the
// header's bell, a flash message and the form errors. Each page's own
// struct embeds it.
type Page struct {
	Lang    string
	Title   string
	Path    string
	Demo    bool
	Flash   string
	User    *identity.User
	Actor   *enlace.Actor
	Member  *identity.Membership
	Nav     nav
	Bell    bell
	Errors  map[string]string
	Summary string
	loc     *i18n.Localizer
	zone    *time.Location
}

// nav says which menu entries the signed-in user's role reaches. The
// services enforce the same rules; this only avoids showing dead links.
type nav struct {
	Active, Users, Requests, Audit, Outbox, StaffUsers bool
}

// bell is the header's notification dropdown (H1).
type bell struct {
	Unread int
	Items  []bellItem
}

type bellItem struct {
	ID, Title string
	Unread    bool
	When      string
}

// T translates a message key; args are key, value pairs.
func (p *Page) T(key string, args ...any) string { return p.loc.T(key, args...) }

// DateTime formats a time in the page's language and zone.
func (p *Page) DateTime(t time.Time) string { return p.loc.DateTime(t, p.zone) }

// DateTimePtr formats an optional time, empty when unset.
func (p *Page) DateTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return p.DateTime(*t)
}

// Number formats an integer with the language's grouping.
func (p *Page) Number(n int) string { return p.loc.Number(n) }

// Err returns the message for a form field, empty when it is fine.
func (p *Page) Err(field string) string { return p.Errors[field] }

// Invalid reports whether the form field has an error, for aria-invalid.
func (p *Page) Invalid(field string) bool { return p.Errors[field] != "" }

// page builds the common part of a page for the request.
func (s *Server) page(w http.ResponseWriter, r *http.Request, titleKey string) *Page {
	v := visitOf(r)
	p := &Page{Lang: v.loc.Lang, Path: returnPath(r), Demo: s.deps.Demo, loc: v.loc, zone: s.deps.Location}
	p.Title = p.T(titleKey)
	p.Flash = s.takeFlash(w, r)
	if v.principal == nil {
		return p
	}
	p.User, p.Actor, p.Member = v.principal.User, v.principal.Actor, v.principal.Membership
	if v.stage() != identity.StageActive {
		return p
	}
	p.Nav = navFor(p.Actor)
	s.fillBell(r, p)
	return p
}

// returnPath is where the language switch brings the visitor back to: the
// page itself, or for a page answering a POST (which has no GET of its
// own) the page the form was on.
func returnPath(r *http.Request) string {
	if r.Method == http.MethodGet {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Path != "" {
		return localPath(ref.RequestURI())
	}
	return "/"
}

func navFor(a *enlace.Actor) nav {
	n := nav{Active: true}
	switch a.StaffRole {
	case identity.StaffAdmin:
		n.Users, n.Requests, n.Audit, n.Outbox, n.StaffUsers = true, true, true, true, true
	case identity.StaffSupport:
		n.Users, n.Requests, n.Audit = true, true, true
	case identity.StaffPM, identity.StaffAccountExec:
		n.Users, n.Requests = true, true
	case "":
		admin := a.CustomerRole == identity.RoleAdmin
		n.Users, n.Requests, n.Audit = admin, admin, admin
	}
	return n
}

// fillBell loads the header's notifications. A failure leaves the bell
// empty rather than failing the page it sits on.
func (s *Server) fillBell(r *http.Request, p *Page) {
	items, unread, err := s.deps.Notify.Recent(r.Context())
	if err != nil {
		s.log.ErrorContext(r.Context(), "load notification bell", "err", err,
			"request_id", enlace.OriginFrom(r.Context()).RequestID)
		return
	}
	p.Bell.Unread = unread
	for _, n := range items {
		p.Bell.Items = append(p.Bell.Items, bellItem{ID: n.ID, Title: p.loc.TMap(n.TitleKey, notifyArgs(n)),
			Unread: n.Unread(), When: p.DateTime(n.CreatedAt)})
	}
}

func notifyArgs(n notify.Notification) map[string]any {
	m := make(map[string]any, len(n.Args))
	for k, v := range n.Args {
		m[k] = v
	}
	return m
}

// render executes a page into a buffer first, so that a template failure
// becomes a clean error page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t, ok := s.views.pages[name]
	if !ok {
		s.internal(w, r, fmt.Errorf("render: no view %q", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.internal(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
