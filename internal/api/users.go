package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// userJSON is a user as one customer sees them (with their membership
// there), or a staff user (without one).
type userJSON struct {
	ID          string          `json:"id"`
	Email       string          `json:"email"`
	FirstName   string          `json:"firstName"`
	LastName    string          `json:"lastName"`
	Locale      string          `json:"locale"`
	StaffRole   string          `json:"staffRole,omitempty"`
	Disabled    bool            `json:"disabled"`
	LastLoginAt *time.Time      `json:"lastLoginAt,omitempty"`
	CreatedAt   time.Time       `json:"createdAt"`
	UpdatedAt   time.Time       `json:"updatedAt"`
	Membership  *membershipJSON `json:"membership,omitempty"`
}

func toUser(m *identity.Member) userJSON {
	u := userJSON{ID: m.ID, Email: m.Email, FirstName: m.FirstName, LastName: m.LastName, Locale: m.Locale,
		StaffRole: m.StaffRole, Disabled: m.Disabled, LastLoginAt: m.LastLoginAt, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
	if m.Membership.ID != "" {
		ms := toMembership(&m.Membership)
		u.Membership = &ms
	}
	return u
}

// customerOf returns the customer a users request is about: the one a
// staff member names ("" for the staff themselves), and always the
// token's own for a customer user, who is told another one is not found,
// as the services do, so that nothing is learnt about other tenants.
func customerOf(r *http.Request, named *string) (string, error) {
	a := enlace.ActorFrom(r.Context())
	if a.IsStaff() {
		if named == nil {
			return "", nil
		}
		return *named, nil
	}
	if named != nil && *named != a.CustomerID {
		return "", enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return a.CustomerID, nil
}

// listUsers lists a customer's users; staff naming no customer list the
// staff.
func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	p := q.page(MaxLimit)
	f := identity.MemberFilter{Query: q.str("q"), Role: q.oneOf("role", identity.CustomerRoles),
		Disabled: q.boolean("disabled"), Offset: p.Offset, Limit: p.Limit}
	named := q.str("customerId")
	if err := q.err(); err != nil {
		return err
	}
	cid, err := customerOf(r, named)
	if err != nil {
		return err
	}
	f.CustomerID, f.Staff = cid, cid == ""
	ms, total, err := a.Identity.FindMembers(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, mapItems(ms, toUser), total, p)
}

// newUserRequest is the body of POST /users.
type newUserRequest struct {
	CustomerID        string   `json:"customerId"`
	Email             string   `json:"email"`
	FirstName         string   `json:"firstName"`
	LastName          string   `json:"lastName"`
	Locale            string   `json:"locale"`
	Role              string   `json:"role"`
	AccessLevel       string   `json:"accessLevel"`
	CorporateArea     string   `json:"corporateArea"`
	BillingAccountIDs []string `json:"billingAccountIds"`
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	var in newUserRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	var named *string
	if in.CustomerID != "" {
		named = &in.CustomerID
	}
	cid, err := customerOf(r, named)
	if err != nil {
		return err
	}
	if cid == "" {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("customer_id", "api.customer_required")})
	}
	m, err := a.Identity.CreateMember(r.Context(), identity.NewMember{CustomerID: cid, Email: in.Email,
		FirstName: in.FirstName, LastName: in.LastName, Locale: in.Locale, Role: in.Role, AccessLevel: in.AccessLevel,
		CorporateArea: in.CorporateArea, BillingAccountIDs: in.BillingAccountIDs})
	if err != nil {
		return err
	}
	w.Header().Set("Location", userLocation(r, m))
	return writeJSON(w, http.StatusCreated, toUser(m))
}

// userLocation is the URL of a user in a customer; staff need the
// customer named to reach it.
func userLocation(r *http.Request, m *identity.Member) string {
	loc := Prefix + "/users/" + url.PathEscape(m.ID)
	if enlace.ActorFrom(r.Context()).IsStaff() {
		loc += "?customerId=" + url.QueryEscape(m.Membership.CustomerID)
	}
	return loc
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) error {
	cid, err := customerOf(r, newQuery(r).str("customerId"))
	if err != nil {
		return err
	}
	m, err := a.Identity.Member(r.Context(), cid, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toUser(m))
}

// userPatch is the body of PATCH /users/{id}: members left out (or null)
// keep their value.
type userPatch struct {
	Email             *string   `json:"email"`
	FirstName         *string   `json:"firstName"`
	LastName          *string   `json:"lastName"`
	Role              *string   `json:"role"`
	AccessLevel       *string   `json:"accessLevel"`
	CorporateArea     *string   `json:"corporateArea"`
	BillingAccountIDs *[]string `json:"billingAccountIds"`
	Disabled          *bool     `json:"disabled"`
}

// updateUser applies a partial update. The service takes the whole
// membership, so the current one is read and the given members laid over
// it.
func (a *API) updateUser(w http.ResponseWriter, r *http.Request) error {
	var in userPatch
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	cid, err := customerOf(r, newQuery(r).str("customerId"))
	if err != nil {
		return err
	}
	if cid == "" {
		return badInput(fieldError("api.query_invalid", enlace.Field("customerId", "api.customer_required")))
	}
	cur, err := a.Identity.Member(r.Context(), cid, r.PathValue("id"))
	if err != nil {
		return err
	}
	u := identity.MemberUpdate{Email: cur.Email, FirstName: cur.FirstName, LastName: cur.LastName,
		Role: cur.Membership.Role, AccessLevel: cur.Membership.AccessLevel, CorporateArea: cur.Membership.CorporateArea,
		BillingAccountIDs: cur.Membership.BillingAccountIDs, Disabled: cur.Membership.Disabled}
	set(&u.Email, in.Email)
	set(&u.FirstName, in.FirstName)
	set(&u.LastName, in.LastName)
	set(&u.Role, in.Role)
	set(&u.AccessLevel, in.AccessLevel)
	set(&u.CorporateArea, in.CorporateArea)
	set(&u.BillingAccountIDs, in.BillingAccountIDs)
	set(&u.Disabled, in.Disabled)
	m, err := a.Identity.UpdateMember(r.Context(), cid, cur.ID, u)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toUser(m))
}

// set overwrites *dst with *v when the client gave v.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
