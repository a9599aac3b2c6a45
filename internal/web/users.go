package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// usersPage lists the users of a customer (A5), or the provider's staff on
// the staff tab of staff administrators.
type usersPage struct {
	*Page
	Members     []identity.Member
	Pager       *pager
	Query       string
	Role        string
	RoleOptions []option
	// Customers is the picker staff choose a customer with.
	Customers  []customer.Customer
	CustomerID string
	StaffTab   bool
	CanManage  bool
	// Choose is set when staff have not picked a customer yet.
	Choose bool
}

// canManage mirrors identity's rule for the buttons it shows: staff
// administrators, and customer administrators with full access.
func canManage(a *enlace.Actor) bool {
	return a.StaffRole == identity.StaffAdmin || !a.IsStaff() && a.CustomerRole == identity.RoleAdmin && !a.ReadOnly
}

// scopeCustomer is the customer a users page works on: the actor's own for
// customer users, the ?customer= choice for staff.
func scopeCustomer(r *http.Request) string {
	a := visitOf(r).principal.Actor
	if !a.IsStaff() {
		return a.CustomerID
	}
	return r.URL.Query().Get("customer")
}

func (s *Server) users(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	q := r.URL.Query()
	p := s.page(w, r, "web.users.title")
	up := usersPage{Page: p, Query: q.Get("q"), Role: q.Get("role"), CustomerID: scopeCustomer(r),
		StaffTab: q.Get("tab") == "staff" && a.StaffRole == identity.StaffAdmin, CanManage: canManage(a)}
	roles := identity.CustomerRoles
	prefix := "web.role."
	if up.StaffTab {
		roles, prefix, up.CustomerID = identity.StaffRoles, "web.staff_role.", ""
	}
	if up.Role != "" && !slices.Contains(roles, up.Role) {
		p.Summary, up.Role = p.T("web.error.bad_filter"), ""
	}
	up.RoleOptions = append([]option{{Value: "", Label: p.T("web.users.all_roles")}}, translatedOptions(p, prefix, roles, up.Role)...)
	if a.IsStaff() {
		cs, err := s.deps.Customers.List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		up.Customers = cs
		// Still ask FindMembers below: it decides whether this staff role
		// may list users at all.
		up.Choose = up.CustomerID == "" && !up.StaffTab
	}
	page := pageNumber(r)
	f := identity.MemberFilter{CustomerID: up.CustomerID, Staff: up.StaffTab, Offset: (page - 1) * listLimit, Limit: listLimit}
	if up.Query != "" {
		f.Query = &up.Query
	}
	if up.Role != "" {
		f.Role = &up.Role
	}
	members, total, err := s.deps.Identity.FindMembers(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	up.Members, up.Pager = members, newPager(p, r, page, listLimit, total)
	s.render(w, r, http.StatusOK, "users", up)
}

// customerQuery is the ?customer= suffix staff links carry.
func customerQuery(customerID string, staff bool) string {
	if !staff || customerID == "" {
		return ""
	}
	return "?customer=" + url.QueryEscape(customerID)
}

// formList returns the non-empty values of a repeated form field.
func formList(vals []string) []string {
	out := []string{}
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
