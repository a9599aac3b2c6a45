package web

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"
	"strings"

	"github.com/pquerna/otp"

	"github.com/enlace-portal/enlace/internal/identity"
)

// profilePage shows the signed-in user's details, their second factor,
// the authenticator app and their API tokens.
type profilePage struct {
	*Page
	LanguageName string
	Tokens       []identity.APIToken
	// NewToken and NewSecret show a token just created, once.
	NewToken  *identity.APIToken
	NewSecret string
	TokenName string
	// Enrollment is an authenticator app being set up; QRCode is its
	// address as a picture the app scans.
	Enrollment *identity.TOTPEnrollment
	QRCode     template.URL
	// Prefs is the preferences form: as stored, or as typed when refused.
	Prefs identity.ProfileUpdate
}

func (s *Server) profilePage(w http.ResponseWriter, r *http.Request, p *Page) (profilePage, error) {
	pp := profilePage{Page: p, Prefs: identity.ProfileUpdate{Locale: p.User.Locale, RecoveryEmail: p.User.RecoveryEmail}}
	for _, o := range languageOptions(p.User.Locale) {
		if o.Selected {
			pp.LanguageName = o.Label
		}
	}
	tokens, err := s.deps.Identity.APITokens(r.Context())
	pp.Tokens = tokens
	return pp, err
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	s.showProfile(w, r, http.StatusOK, s.page(w, r, "web.profile.title"), func(*profilePage) {})
}

// showProfile renders the profile after fill has added what the action
// produced: a new secret, an enrollment, or form errors.
func (s *Server) showProfile(w http.ResponseWriter, r *http.Request, status int, p *Page, fill func(*profilePage)) {
	pp, err := s.profilePage(w, r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fill(&pp)
	if pp.Enrollment != nil && pp.Enrollment.URL != "" {
		pp.QRCode = qrCode(pp.Enrollment.URL)
	}
	s.render(w, r, status, "profile", pp)
}

// savePreferences stores the language and the recovery address. The
// language also becomes the browser's choice, which otherwise would win
// over the saved preference.
func (s *Server) savePreferences(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	in := identity.ProfileUpdate{Locale: r.PostForm.Get("locale"), RecoveryEmail: r.PostForm.Get("recovery_email")}
	err := s.deps.Identity.UpdateProfile(r.Context(), in)
	if err == nil {
		s.setCookie(w, langCookie, in.Locale, 365*24*3600)
		s.flash(w, "web.flash.preferences_saved")
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "web.profile.title")
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	s.showProfile(w, r, http.StatusUnprocessableEntity, p, func(pp *profilePage) { pp.Prefs = in })
}

// qrCode draws an otpauth:// address as a PNG data URL; on failure the
// page still shows the secret to type.
func qrCode(otpauthURL string) template.URL {
	key, err := otp.NewKeyFromURL(otpauthURL)
	if err != nil {
		return ""
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return ""
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return ""
	}
	// The data URL is built here from our own PNG, never from user input.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
}

func (s *Server) beginTOTP(w http.ResponseWriter, r *http.Request) {
	en, err := s.deps.Identity.BeginTOTP(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showProfile(w, r, http.StatusOK, s.page(w, r, "web.profile.title"), func(pp *profilePage) { pp.Enrollment = en })
}

func (s *Server) confirmTOTP(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	err := s.deps.Identity.ConfirmTOTP(r.Context(), f.Get("secret"), f.Get("code"))
	if err == nil {
		s.flash(w, "web.flash.totp_enabled")
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "web.profile.title")
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	en := &identity.TOTPEnrollment{Secret: f.Get("secret")}
	if strings.HasPrefix(f.Get("url"), "otpauth://") {
		en.URL = f.Get("url")
	}
	s.showProfile(w, r, http.StatusUnprocessableEntity, p, func(pp *profilePage) { pp.Enrollment = en })
}

func (s *Server) disableTOTP(w http.ResponseWriter, r *http.Request) {
	if err := s.deps.Identity.DisableTOTP(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, "web.flash.totp_disabled")
	http.Redirect(w, r, "/profile", http.StatusSeeOther)
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	name := r.PostForm.Get("name")
	t, secret, err := s.deps.Identity.CreateAPIToken(r.Context(), name)
	p := s.page(w, r, "web.profile.title")
	if err != nil {
		if !formError(p, err) {
			s.fail(w, r, err)
			return
		}
		s.showProfile(w, r, http.StatusUnprocessableEntity, p, func(pp *profilePage) { pp.TokenName = name })
		return
	}
	s.showProfile(w, r, http.StatusOK, p, func(pp *profilePage) { pp.NewToken, pp.NewSecret = t, secret })
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	if err := s.deps.Identity.RevokeAPIToken(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, "web.flash.token_revoked")
	http.Redirect(w, r, "/profile", http.StatusSeeOther)
}
