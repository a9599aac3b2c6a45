package web

import (
	"net/http"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// registerPage is the self-registration form (A4).
type registerPage struct {
	*Page
	Form identity.Registration
}

func (s *Server) registerForm(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "web.register.title")
	s.render(w, r, http.StatusOK, "register", registerPage{Page: p, Form: identity.Registration{Locale: p.Lang}})
}

// registerSentPage confirms that the request went to the administrator.
type registerSentPage struct {
	*Page
	Email string
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	in := identity.Registration{CustomerNumber: f.Get("customer_number"), AccountNumber: f.Get("account_number"),
		InvoiceNumber: f.Get("invoice_number"), Email: f.Get("email"), FirstName: f.Get("first_name"),
		LastName: f.Get("last_name"), CorporateArea: f.Get("corporate_area"), Locale: f.Get("locale")}
	req, err := s.deps.Identity.Register(r.Context(), in)
	if err != nil {
		p := s.page(w, r, "web.register.title")
		code := enlace.ErrorCode(err)
		if code != enlace.EINVALID && code != enlace.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		formError(p, err)
		p.Summary = p.loc.Error(err)
		s.render(w, r, formStatus(err), "register", registerPage{Page: p, Form: in})
		return
	}
	s.render(w, r, http.StatusOK, "register_sent", registerSentPage{Page: s.page(w, r, "web.register.title"), Email: req.Email})
}
