package web

import (
	"net/http"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// loginPage is the sign-in form (A1).
type loginPage struct {
	*Page
	Email string
	Next  string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "web.login.title")
	s.render(w, r, http.StatusOK, "login", loginPage{Page: p, Next: localPath(r.URL.Query().Get("next"))})
}

// login checks the password and opens a session that still owes the
// second factor.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	email, next := r.PostForm.Get("email"), localPath(r.PostForm.Get("next"))
	token, _, err := s.deps.Identity.Login(r.Context(), email, r.PostForm.Get("password"), r.UserAgent())
	if err != nil {
		code := enlace.ErrorCode(err)
		if code != enlace.EUNAUTHORIZED && code != enlace.ETOOMANY && code != enlace.EINVALID {
			s.fail(w, r, err)
			return
		}
		p := s.page(w, r, "web.login.title")
		formError(p, err)
		p.Summary = p.loc.Error(err)
		s.render(w, r, formStatus(err), "login", loginPage{Page: p, Email: email, Next: next})
		return
	}
	s.setCookie(w, sessionCookie, token, 0)
	target := "/login/code"
	if next != "/" {
		target += "?next=" + urlQueryEscape(next)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// logoutPage offers the sign-out button to someone who typed /logout.
type logoutPage struct{ *Page }

func (s *Server) logoutForm(w http.ResponseWriter, r *http.Request) {
	if visitOf(r).principal == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "logout", logoutPage{s.page(w, r, "web.logout.title")})
}

// logout revokes the session on the server, not just the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if v := visitOf(r); v.token != "" {
		if err := s.deps.Identity.Logout(r.Context(), v.token); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.clearCookie(w, sessionCookie)
	s.flash(w, "web.flash.logged_out")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
