package web

import (
	"net/http"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// passwordRule is one rule of A1 as the form lists it; Broken marks the
// rules the last attempt broke.
type passwordRule struct {
	Key    string // the service's message key for a breach of the rule
	Text   string
	Broken bool
}

// passwordRules lists the rules of A1 with the error keys that break them.
func passwordRules(p *Page, err error) []passwordRule {
	rules := []passwordRule{
		{Key: "password.too_short", Text: p.T("web.password.rule_length", "Min", identity.MinPasswordLength)},
		{Key: "password.needs_upper", Text: p.T("web.password.rule_upper")},
		{Key: "password.needs_lower", Text: p.T("web.password.rule_lower")},
		{Key: "password.needs_digit", Text: p.T("web.password.rule_digit")},
		{Key: "password.needs_special", Text: p.T("web.password.rule_special")},
		{Key: "password.no_spaces", Text: p.T("web.password.rule_spaces")},
		{Key: "password.contains_user", Text: p.T("web.password.rule_user")},
		{Key: "password.reused", Text: p.T("web.password.rule_history", "Count", identity.PasswordHistory)},
	}
	if err == nil {
		return rules
	}
	for _, f := range enlace.AsError(err).Fields {
		for i := range rules {
			if f.Field == "password" && f.Message == rules[i].Key {
				rules[i].Broken = true
			}
		}
	}
	return rules
}

// passwordPage changes the password: forced after a temporary or expired
// one, or by choice from the profile.
type passwordPage struct {
	*Page
	Forced bool
	Rules  []passwordRule
	// Token is set when the page resets a password through a recovery link.
	Token string
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "web.password.title")
	s.render(w, r, http.StatusOK, "password", passwordPage{Page: p,
		Forced: visitOf(r).stage() == identity.StagePassword, Rules: passwordRules(p, nil)})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	v := visitOf(r)
	_, err := s.deps.Identity.ChangePassword(r.Context(), v.principal.Session, identity.PasswordChange{
		Current: r.PostForm.Get("current"), New: r.PostForm.Get("password"), Confirm: r.PostForm.Get("confirm")})
	if err != nil {
		p := s.page(w, r, "web.password.title")
		if !formError(p, err) {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "password", passwordPage{Page: p,
			Forced: v.stage() == identity.StagePassword, Rules: passwordRules(p, err)})
		return
	}
	s.flash(w, "web.flash.password_changed")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
