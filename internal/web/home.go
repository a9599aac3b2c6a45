package web

import (
	"net/http"
	"net/url"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// homePage is the start page (B5): a greeting, the customer switcher, and
// the widgets and shortcuts the user's role reaches.
type homePage struct {
	*Page
	Memberships     []identity.Membership
	PendingRequests int
	ShowRequests    bool
	// Services counts a customer's active services by category.
	Services      *barChart
	ServicesTotal int
	// Attention lists, for staff, the customers to look at.
	Attention     []identity.Attention
	ShowAttention bool
	// Projects is the projects widget (C4), nil without projects.
	Projects *projectsWidget
	// Desk is the service desk widget (E3), nil without the service desk.
	Desk *deskWidget
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
	var err error
	if p.Actor.IsStaff() {
		err = s.fillAttention(r, &hp)
	} else {
		err = s.fillServices(r, &hp)
	}
	if err == nil {
		err = s.fillProjects(r, &hp)
	}
	if err == nil {
		err = s.fillDesk(r, &hp)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", hp)
}

// fillAttention lists the customers staff should look at; roles that do
// not serve customers' users see no such widget.
func (s *Server) fillAttention(r *http.Request, hp *homePage) error {
	as, err := s.deps.Identity.CustomersNeedingAttention(r.Context())
	if enlace.ErrorCode(err) == enlace.EFORBIDDEN {
		return nil
	}
	hp.Attention, hp.ShowAttention = as, true
	return err
}

// fillServices charts the customer's active services by category, each
// bar opening the services list filtered to it.
func (s *Server) fillServices(r *http.Request, hp *homePage) error {
	active := inventory.StatusActive
	o, err := s.deps.Inventory.Overview(r.Context(), inventory.ServiceFilter{Status: &active, Limit: 1})
	if err != nil {
		return err
	}
	bars := make([]bar, 0, len(o.ByCategory))
	for _, c := range o.ByCategory {
		bars = append(bars, bar{Label: hp.T("inventory.category." + c.Key), N: c.N, Value: hp.Number(c.N),
			URL: "/services?status=" + active + "&category=" + url.QueryEscape(c.Key)})
	}
	hp.Services, hp.ServicesTotal = newBarChart(hp.T("web.home.services"), bars), o.Total
	return nil
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
