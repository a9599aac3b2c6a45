package web

import (
	"net/http"
	"slices"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// userFormPage creates or edits a user of a customer (A5).
type userFormPage struct {
	*Page
	// UserID is empty when creating.
	UserID, CustomerID, CustomerQuery string
	Email, FirstName, LastName        string
	Locale, CorporateArea             string
	Disabled                          bool
	Roles, Access                     []option
	Accounts                          []accountOption
	Member                            *identity.Member
}

// accountOption is a billing-account checkbox.
type accountOption struct {
	ID, Label string
	Checked   bool
}

// userForm fills the choices of the form: roles, access levels, and the
// customer's billing accounts with the chosen ones checked.
func (s *Server) userForm(r *http.Request, p *Page, customerID, role, access string, accounts []string) (userFormPage, error) {
	up := userFormPage{Page: p, CustomerID: customerID,
		CustomerQuery: customerQuery(customerID, visitOf(r).principal.Actor.IsStaff()),
		Roles:         translatedOptions(p, "web.role.", identity.CustomerRoles, role),
		Access:        translatedOptions(p, "web.access.", identity.AccessLevels, access)}
	bas, err := s.deps.Customers.BillingAccounts(r.Context(), customerID)
	if err != nil {
		return up, err
	}
	for _, b := range bas {
		checked := slices.Contains(accounts, b.ID)
		// A retired account is offered no more, but one still assigned stays
		// on the form: hiding it would drop it silently on saving.
		if b.Retired && !checked {
			continue
		}
		label := b.Number + " · " + b.Name
		if b.Retired {
			label += " (" + p.T("web.users.account_retired") + ")"
		}
		up.Accounts = append(up.Accounts, accountOption{ID: b.ID, Label: label, Checked: checked})
	}
	return up, nil
}

func (s *Server) newUserForm(w http.ResponseWriter, r *http.Request) {
	if !canManage(visitOf(r).principal.Actor) {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
		return
	}
	if scopeCustomer(r) == "" {
		http.Redirect(w, r, "/users", http.StatusSeeOther) // staff pick the customer there first
		return
	}
	p := s.page(w, r, "web.users.new")
	up, err := s.userForm(r, p, scopeCustomer(r), identity.RoleUser, identity.AccessReadOnly, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	up.Locale = p.Lang
	s.render(w, r, http.StatusOK, "user_form", up)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	in := identity.NewMember{CustomerID: scopeCustomer(r), Email: f.Get("email"), FirstName: f.Get("first_name"),
		LastName: f.Get("last_name"), Locale: f.Get("locale"), Role: f.Get("role"), AccessLevel: f.Get("access_level"),
		CorporateArea: f.Get("corporate_area"), BillingAccountIDs: formList(f["billing_accounts"])}
	_, err := s.deps.Identity.CreateMember(r.Context(), in)
	if err == nil {
		s.flash(w, "web.flash.user_created")
		http.Redirect(w, r, "/users"+customerQuery(in.CustomerID, visitOf(r).principal.Actor.IsStaff()), http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "web.users.new")
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	up, ferr := s.userForm(r, p, in.CustomerID, in.Role, in.AccessLevel, in.BillingAccountIDs)
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	up.Email, up.FirstName, up.LastName, up.Locale, up.CorporateArea = in.Email, in.FirstName, in.LastName, in.Locale, in.CorporateArea
	s.render(w, r, http.StatusUnprocessableEntity, "user_form", up)
}

func (s *Server) editUserForm(w http.ResponseWriter, r *http.Request) {
	customerID := scopeCustomer(r)
	m, err := s.deps.Identity.Member(r.Context(), customerID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "web.users.edit")
	ms := m.Membership
	up, err := s.userForm(r, p, customerID, ms.Role, ms.AccessLevel, ms.BillingAccountIDs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	up.UserID, up.Member = m.ID, m
	up.Email, up.FirstName, up.LastName, up.CorporateArea, up.Disabled = m.Email, m.FirstName, m.LastName, ms.CorporateArea, ms.Disabled
	s.render(w, r, http.StatusOK, "user_form", up)
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	customerID, userID := scopeCustomer(r), r.PathValue("id")
	disabled, ok := checkbox(f.Get("disabled"))
	if !ok {
		s.badForm(w, r)
		return
	}
	in := identity.MemberUpdate{Email: f.Get("email"), FirstName: f.Get("first_name"), LastName: f.Get("last_name"),
		Role: f.Get("role"), AccessLevel: f.Get("access_level"), CorporateArea: f.Get("corporate_area"),
		BillingAccountIDs: formList(f["billing_accounts"]), Disabled: disabled}
	_, err := s.deps.Identity.UpdateMember(r.Context(), customerID, userID, in)
	if err == nil {
		s.flash(w, "web.flash.user_saved")
		http.Redirect(w, r, "/users"+customerQuery(customerID, visitOf(r).principal.Actor.IsStaff()), http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "web.users.edit")
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	up, ferr := s.userForm(r, p, customerID, in.Role, in.AccessLevel, in.BillingAccountIDs)
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	up.UserID = userID
	up.Email, up.FirstName, up.LastName, up.CorporateArea, up.Disabled = in.Email, in.FirstName, in.LastName, in.CorporateArea, in.Disabled
	s.render(w, r, http.StatusUnprocessableEntity, "user_form", up)
}

// checkbox reads a checkbox: absent is false, "1" is true, anything else
// is a malformed form.
func checkbox(v string) (bool, bool) {
	switch v {
	case "":
		return false, true
	case "1":
		return true, true
	}
	return false, false
}

// staffFormPage creates a provider staff user; Created shows the new
// user's temporary password, once.
type staffFormPage struct {
	*Page
	Email, FirstName, LastName, Locale string
	Roles                              []option
	Created                            *identity.User
	TempPassword                       string
}

func (s *Server) newStaffForm(w http.ResponseWriter, r *http.Request) {
	if visitOf(r).principal.Actor.StaffRole != identity.StaffAdmin {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
		return
	}
	p := s.page(w, r, "web.users.new_staff")
	s.render(w, r, http.StatusOK, "staff_form", staffFormPage{Page: p, Locale: p.Lang,
		Roles: translatedOptions(p, "web.staff_role.", identity.StaffRoles, identity.StaffSupport)})
}

func (s *Server) createStaff(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	in := identity.NewStaffUser{Email: f.Get("email"), FirstName: f.Get("first_name"), LastName: f.Get("last_name"),
		Role: f.Get("role"), Locale: f.Get("locale")}
	u, temp, err := s.deps.Identity.CreateStaffUser(r.Context(), in)
	p := s.page(w, r, "web.users.new_staff")
	sp := staffFormPage{Page: p, Roles: translatedOptions(p, "web.staff_role.", identity.StaffRoles, in.Role)}
	if err != nil {
		if !formError(p, err) {
			s.fail(w, r, err)
			return
		}
		sp.Email, sp.FirstName, sp.LastName, sp.Locale = in.Email, in.FirstName, in.LastName, in.Locale
		s.render(w, r, http.StatusUnprocessableEntity, "staff_form", sp)
		return
	}
	sp.Created, sp.TempPassword = u, temp
	s.render(w, r, http.StatusOK, "staff_form", sp)
}
