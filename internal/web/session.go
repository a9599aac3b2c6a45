package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/ops"
)

// Cookie names.
const (
	sessionCookie = "enlace_session"
	langCookie    = "lang"
	flashCookie   = "enlace_flash"
)

// visit is what the web layer knows about one request: who is signed in
// (nil when nobody), with which token, and in which language to answer.
type visit struct {
	principal *identity.Principal
	token     string
	loc       *i18n.Localizer
}

type visitKey struct{}

func visitOf(r *http.Request) *visit {
	v, _ := r.Context().Value(visitKey{}).(*visit)
	if v == nil {
		return &visit{}
	}
	return v
}

// stage returns the session stage of the request, "" when anonymous.
func (v *visit) stage() string {
	if v.principal == nil {
		return ""
	}
	return v.principal.Session.Stage
}

// authenticate resolves the session cookie, if any, and the language of
// every request. A session that is gone is forgotten quietly: the route's
// own gate decides whether the visitor must sign in.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if enlace.OriginFrom(ctx).IP == "" {
			// Mounted without the ops middleware (tests, tools): take the peer.
			ctx = enlace.WithOrigin(ctx, enlace.RequestOrigin{IP: ops.ClientIP(r, false)})
			r = r.WithContext(ctx)
		}
		v := &visit{}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			p, err := s.deps.Identity.Authenticate(ctx, c.Value)
			switch enlace.ErrorCode(err) {
			case "":
				v.principal, v.token = p, c.Value
				r = ops.WithActor(r, p.Actor)
			case enlace.EUNAUTHORIZED:
				s.clearCookie(w, sessionCookie)
			default:
				v.loc = s.localizer(r, nil)
				r = r.WithContext(context.WithValue(r.Context(), visitKey{}, v))
				s.fail(w, r, err)
				return
			}
		}
		v.loc = s.localizer(r, v.principal)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), visitKey{}, v)))
	})
}

// localizer picks the language: the visitor's explicit choice (the lang
// cookie), then the signed-in user's preference, then the browser's.
func (s *Server) localizer(r *http.Request, p *identity.Principal) *i18n.Localizer {
	var prefs []string
	if c, err := r.Cookie(langCookie); err == nil && supportedLang(c.Value) {
		prefs = append(prefs, c.Value)
	}
	if p != nil && p.User.Locale != "" {
		prefs = append(prefs, p.User.Locale)
	}
	prefs = append(prefs, r.Header.Get("Accept-Language"))
	return s.deps.Catalog.Localizer(s.deps.Catalog.Match(prefs...))
}

func supportedLang(s string) bool { return s == "es-MX" || s == "en" || s == "de" }

// anonymous gates the pages of people who are not signed in: a signed-in
// visitor goes on to where their session stands.
func (s *Server) anonymous(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if st := visitOf(r).stage(); st != "" {
			http.Redirect(w, r, stageHome(st), http.StatusSeeOther)
			return
		}
		h(w, r)
	}
}

// secondFactor gates the second-factor pages to sessions that owe it.
func (s *Server) secondFactor(h http.HandlerFunc) http.HandlerFunc {
	return s.gate(h, identity.StageCode)
}

// passwordStage gates the password change: forced at the password stage,
// by choice when fully signed in.
func (s *Server) passwordStage(h http.HandlerFunc) http.HandlerFunc {
	return s.gate(h, identity.StagePassword, identity.StageActive)
}

// active gates every other page to fully signed-in sessions.
func (s *Server) active(h http.HandlerFunc) http.HandlerFunc {
	return s.gate(h, identity.StageActive)
}

func (s *Server) gate(h http.HandlerFunc, stages ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st := visitOf(r).stage()
		if st == "" {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		for _, allowed := range stages {
			if st == allowed {
				h(w, r)
				return
			}
		}
		http.Redirect(w, r, stageHome(st), http.StatusSeeOther)
	}
}

// stageHome is the page where a session of the stage continues.
func stageHome(stage string) string {
	switch stage {
	case identity.StageCode:
		return "/login/code"
	case identity.StagePassword:
		return "/password/change"
	}
	return "/"
}

// localPath returns next when it is a path on this site, "/" otherwise, so
// that ?next= cannot send anybody to another site.
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.deps.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) { s.setCookie(w, name, "", -1) }

// flash leaves a message key for the next page the visitor sees.
func (s *Server) flash(w http.ResponseWriter, key string) { s.setCookie(w, flashCookie, key, 60) }

// takeFlash returns and clears the pending message key. Only flash keys
// (<module>.flash.<name>) are honoured, so a forged cookie cannot put any
// other text of the catalogue on a page.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	s.clearCookie(w, flashCookie)
	if module, name, _ := strings.Cut(c.Value, ".flash."); module == "" || name == "" || strings.Contains(module, ".") {
		return ""
	}
	return c.Value
}

// setLanguage stores the visitor's choice of language and returns them to
// the page they were on.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	lang := r.PostForm.Get("lang")
	if !supportedLang(lang) {
		s.badForm(w, r)
		return
	}
	s.setCookie(w, langCookie, lang, 365*24*3600)
	http.Redirect(w, r, localPath(r.PostForm.Get("next")), http.StatusSeeOther)
}
