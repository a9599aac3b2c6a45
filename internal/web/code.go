package web

import (
	"net/http"
	"net/url"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// codePage is the second factor (A2): choose where the code goes, then
// type it; or type the authenticator app's code.
type codePage struct {
	*Page
	Next         string
	Sent         string // masked destination of the code just sent
	MobileMasked string // the registered WhatsApp number, masked
	TOTP         bool
	Mobile       string
	MobileAgain  string
	Hint         string
	Seconds      int
}

func (s *Server) newCodePage(w http.ResponseWriter, r *http.Request, next string) codePage {
	u := visitOf(r).principal.User
	cp := codePage{Page: s.page(w, r, "web.code.title"), Next: localPath(next), TOTP: u.TOTPEnabled,
		Seconds: int(s.deps.Identity.Config().CodeTTL.Seconds())}
	if u.Mobile != "" {
		cp.MobileMasked = identity.MaskDestination(u.Mobile)
	}
	return cp
}

func (s *Server) codeForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "code", s.newCodePage(w, r, r.URL.Query().Get("next")))
}

// sendCode sends a code by the chosen channel and shows where it went.
func (s *Server) sendCode(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	cp := s.newCodePage(w, r, f.Get("next"))
	if f.Get("use_registered") == "" {
		cp.Mobile, cp.MobileAgain = f.Get("mobile"), f.Get("mobile_again")
	}
	sent, err := s.deps.Identity.SendCode(r.Context(), visitOf(r).principal.Session, f.Get("channel"), cp.Mobile, cp.MobileAgain)
	if err != nil {
		s.codeError(w, r, cp, err)
		return
	}
	cp.Sent = sent
	cp.Mobile, cp.MobileAgain = "", ""
	s.render(w, r, http.StatusOK, "code", cp)
}

// verifyCode checks the code typed, from a message or the app, and sends
// the session on to a password change or into the portal.
func (s *Server) verifyCode(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	sess := visitOf(r).principal.Session
	var next *identity.Session
	var err error
	if f.Get("method") == identity.ChannelTOTP {
		next, err = s.deps.Identity.VerifyTOTP(r.Context(), sess, f.Get("code"))
	} else {
		next, err = s.deps.Identity.VerifyCode(r.Context(), sess, f.Get("code"))
	}
	if err != nil {
		cp := s.newCodePage(w, r, f.Get("next"))
		cp.Sent = f.Get("sent")
		s.codeError(w, r, cp, err)
		return
	}
	target := stageHome(next.Stage)
	if next.Stage == identity.StageActive {
		target = localPath(f.Get("next"))
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// codeError re-renders the code page with what went wrong and what to do
// next: a wrong code may be retried; an expired or spent one needs a new
// code; too many requests need a fresh sign-in.
func (s *Server) codeError(w http.ResponseWriter, r *http.Request, cp codePage, err error) {
	switch enlace.ErrorCode(err) {
	case enlace.EINVALID:
		formError(cp.Page, err)
		for _, f := range enlace.AsError(err).Fields {
			switch f.Message {
			case "login.code_expired", "login.code_tries_exhausted", "login.code_missing":
				cp.Hint = "web.code.hint_new_code"
			}
		}
		s.render(w, r, http.StatusUnprocessableEntity, "code", cp)
	case enlace.ETOOMANY:
		cp.Summary = cp.loc.Error(err)
		if enlace.AsError(err).Message == "login.code_limit" {
			cp.Hint = "web.code.hint_start_over"
		}
		s.render(w, r, http.StatusTooManyRequests, "code", cp)
	default:
		s.fail(w, r, err)
	}
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
