package web

import (
	"net/http"
	"slices"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// requestStatuses are the filter tabs; pending comes first because it is
// what an administrator has to act on.
var requestStatuses = []string{identity.RequestPending, identity.RequestApproved, identity.RequestRejected, "all"}

// requestsPage lists access requests (A4).
type requestsPage struct {
	*Page
	Requests   []identity.AccessRequest
	Pager      *pager
	Status     string
	Statuses   []option
	Customers  []customer.Customer
	CustomerID string
}

func (s *Server) accessRequests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := s.page(w, r, "web.requests.title")
	rp := requestsPage{Page: p, Status: q.Get("status"), CustomerID: scopeCustomer(r)}
	if rp.Status == "" {
		rp.Status = identity.RequestPending
	} else if !slices.Contains(requestStatuses, rp.Status) {
		p.Summary, rp.Status = p.T("web.error.bad_filter"), identity.RequestPending
	}
	rp.Statuses = translatedOptions(p, "web.requests.status_", requestStatuses, rp.Status)
	if visitOf(r).principal.Actor.IsStaff() {
		cs, err := s.deps.Customers.List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rp.Customers = cs
	}
	page := pageNumber(r)
	f := identity.AccessRequestFilter{CustomerID: rp.CustomerID, Offset: (page - 1) * listLimit, Limit: listLimit}
	if rp.Status != "all" {
		f.Status = &rp.Status
	}
	reqs, total, err := s.deps.Identity.FindAccessRequests(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rp.Requests, rp.Pager = reqs, newPager(p, r, page, listLimit, total)
	s.render(w, r, http.StatusOK, "requests", rp)
}

// requestPage shows one access request with the approve and reject forms.
type requestPage struct {
	*Page
	Request   *identity.AccessRequest
	CanDecide bool
	Roles     []option
	Access    []option
	Reason    string
}

func (s *Server) accessRequest(w http.ResponseWriter, r *http.Request) {
	req, err := s.deps.Identity.AccessRequest(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderRequest(w, r, http.StatusOK, s.page(w, r, "web.requests.title"), req, identity.Decision{})
}

func (s *Server) renderRequest(w http.ResponseWriter, r *http.Request, status int, p *Page, req *identity.AccessRequest, d identity.Decision) {
	a := visitOf(r).principal.Actor
	role, access := d.Role, d.AccessLevel
	if role == "" {
		role, access = identity.RoleUser, identity.AccessReadOnly
	}
	s.render(w, r, status, "request", requestPage{Page: p, Request: req, Reason: d.Reason,
		CanDecide: req.Status == identity.RequestPending && canManage(a),
		Roles:     translatedOptions(p, "web.role.", identity.CustomerRoles, role),
		Access:    translatedOptions(p, "web.access.", identity.AccessLevels, access)})
}

func (s *Server) approveRequest(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	s.decide(w, r, identity.Decision{Approve: true, Role: r.PostForm.Get("role"), AccessLevel: r.PostForm.Get("access_level")})
}

func (s *Server) rejectRequest(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	s.decide(w, r, identity.Decision{Reason: r.PostForm.Get("reason")})
}

// decide records the decision; a form error or a request someone else
// decided meanwhile re-renders the request with the message.
func (s *Server) decide(w http.ResponseWriter, r *http.Request, d identity.Decision) {
	id := r.PathValue("id")
	_, err := s.deps.Identity.DecideAccessRequest(r.Context(), id, d)
	if err == nil {
		s.flash(w, map[bool]string{true: "web.flash.request_approved", false: "web.flash.request_rejected"}[d.Approve])
		http.Redirect(w, r, "/access-requests/"+id, http.StatusSeeOther)
		return
	}
	code := enlace.ErrorCode(err)
	if code != enlace.EINVALID && code != enlace.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	req, gerr := s.deps.Identity.AccessRequest(r.Context(), id)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	p := s.page(w, r, "web.requests.title")
	formError(p, err)
	p.Summary = p.loc.Error(err)
	s.renderRequest(w, r, formStatus(err), p, req, d)
}
