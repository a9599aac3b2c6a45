package web

import (
	"net/http"

	"github.com/enlace-portal/enlace/internal/identity"
)

// homePage is the start page (B5): a greeting, the customer switcher, and
// the widgets and shortcuts the user's role reaches.
type homePage struct {
	*Page
	Memberships     []identity.Membership
	PendingRequests int
	ShowRequests    bool
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "web.home.title")
	hp := homePage{Page: p}
	if !p.Actor.IsStaff() {
		ms, err := s.deps.Identity.Memberships(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		hp.Memberships = ms
	}
	if p.Nav.Requests {
		pending := identity.RequestPending
		_, total, err := s.deps.Identity.FindAccessRequests(r.Context(), identity.AccessRequestFilter{
			CustomerID: p.Actor.CustomerID, Status: &pending, Limit: 1})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		hp.PendingRequests, hp.ShowRequests = total, true
	}
	s.render(w, r, http.StatusOK, "home", hp)
}

// switchCustomer makes the session act for another of the user's customers.
func (s *Server) switchCustomer(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	if err := s.deps.Identity.SwitchCustomer(r.Context(), visitOf(r).principal.Session, r.PostForm.Get("customer_id")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, "web.flash.customer_switched")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

