package identity

import (
	"context"
	"slices"
	"strings"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/notify"
)

// MemberFilter selects the users of one customer, or provider staff when
// Staff is set.
type MemberFilter struct {
	CustomerID string
	Staff      bool
	Query      *string // matches e-mail and names
	Role       *string
	Disabled   *bool
	Offset     int
	Limit      int
}

// canManageUsers: staff administrators anywhere; a customer administrator
// with full access, in their own customer.
func canManageUsers(a *enlace.Actor, customerID string) bool {
	if a.StaffRole == StaffAdmin {
		return true
	}
	return !a.IsStaff() && a.CustomerRole == RoleAdmin && !a.ReadOnly && a.CustomerID == customerID
}

// canViewUsers: staff who serve customers, and customer administrators of
// their own customer.
func canViewUsers(a *enlace.Actor, customerID string) bool {
	switch a.StaffRole {
	case StaffAdmin, StaffSupport, StaffPM, StaffAccountExec:
		return true
	case "":
		return a.CustomerRole == RoleAdmin && a.CustomerID == customerID
	}
	return false
}

// FindMembers lists users. Customer users always see their own customer's;
// staff name the customer, or ask for staff. Seeing no permission answers
// "not found" rather than "forbidden" when the customer is another tenant's,
// so that nobody learns what exists elsewhere.
func (s *Service) FindMembers(ctx context.Context, f MemberFilter) ([]Member, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if !a.IsStaff() {
		if f.CustomerID != "" && f.CustomerID != a.CustomerID {
			return nil, 0, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		f.CustomerID, f.Staff = a.CustomerID, false
	}
	if f.Staff && a.StaffRole != StaffAdmin || !f.Staff && !canViewUsers(a, f.CustomerID) {
		return nil, 0, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return s.store.FindMembers(ctx, f)
}

// Member returns one user as seen by customerID (staff: any customer, or ""
// for a staff user).
func (s *Service) Member(ctx context.Context, customerID, userID string) (*Member, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsStaff() {
		customerID = a.CustomerID
	}
	if !canViewUsers(a, customerID) && !(a.IsStaff() && customerID == "" && a.StaffRole == StaffAdmin) {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return s.store.Member(ctx, customerID, userID)
}

// NewMember is the form that adds a user to a customer (A5).
type NewMember struct {
	CustomerID        string
	Email             string
	FirstName         string
	LastName          string
	Locale            string
	Role              string
	AccessLevel       string
	CorporateArea     string
	BillingAccountIDs []string
}

// CreateMember adds a person to a customer. A new person gets a temporary
// password by e-mail; a person who already uses Enlace for another customer
// gets a membership and a notification, and keeps their password.
func (s *Service) CreateMember(ctx context.Context, in NewMember) (*Member, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsStaff() {
		in.CustomerID = a.CustomerID
	}
	if !canManageUsers(a, in.CustomerID) {
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	in.Email = NormalizeEmail(in.Email)
	if in.Locale == "" {
		in.Locale = "es-MX"
	}
	errs := append(validateProfile(in.Email, in.FirstName, in.LastName, in.Locale),
		validateMembership(in.Role, in.AccessLevel, in.CorporateArea)...)
	accountErrs, err := s.checkAccounts(ctx, in.CustomerID, in.BillingAccountIDs)
	if err != nil {
		return nil, err
	}
	if err := enlace.Invalid(append(errs, accountErrs...)); err != nil {
		return nil, err
	}
	m := &Membership{ID: enlace.NewID(), CustomerID: in.CustomerID, Role: in.Role, AccessLevel: in.AccessLevel,
		CorporateArea: strings.TrimSpace(in.CorporateArea), BillingAccountIDs: in.BillingAccountIDs}
	existing, err := s.store.UserByEmail(ctx, in.Email)
	if err != nil && enlace.ErrorCode(err) != enlace.ENOTFOUND {
		return nil, err
	}
	if existing != nil {
		return s.addMembership(ctx, existing, m)
	}
	u := &User{ID: enlace.NewID(), Email: in.Email, FirstName: strings.TrimSpace(in.FirstName),
		LastName: strings.TrimSpace(in.LastName), Locale: in.Locale}
	temp := TemporaryPassword()
	m.UserID = u.ID
	effects := append([]enlace.Effect{audit.Record(ctx, "user.create", "user", u.ID, in.CustomerID,
		map[string]any{"email": u.Email, "role": m.Role, "accessLevel": m.AccessLevel})},
		s.email(u.Locale, "welcome_user", u.Email, map[string]any{"Name": u.FirstName,
			"Email": u.Email, "Password": temp, "URL": s.cfg.BaseURL + "/login"})...)
	if err := s.store.CreateUser(ctx, u, HashPassword(temp, s.cfg.Hash), true, m, effects...); err != nil {
		return nil, err
	}
	return s.store.Member(ctx, in.CustomerID, u.ID)
}

func (s *Service) addMembership(ctx context.Context, u *User, m *Membership) (*Member, error) {
	if u.IsStaff() {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("email", "users.email_is_staff")})
	}
	m.UserID = u.ID
	effects := []enlace.Effect{
		audit.Record(ctx, "membership.create", "user", u.ID, m.CustomerID, map[string]any{"role": m.Role}),
		notify.Notification{UserID: u.ID, CustomerID: m.CustomerID, Kind: "access",
			TitleKey: "identity.notice.membership_added.title", BodyKey: "identity.notice.membership_added.body"},
	}
	if err := s.store.CreateMembership(ctx, m, effects...); err != nil {
		if enlace.ErrorCode(err) == enlace.ECONFLICT {
			return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("email", "users.already_member")})
		}
		return nil, err
	}
	return s.store.Member(ctx, m.CustomerID, u.ID)
}

// checkAccounts reports the billing accounts that are not the customer's.
func (s *Service) checkAccounts(ctx context.Context, customerID string, ids []string) ([]enlace.FieldError, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	owned, err := s.store.BillingAccounts(ctx, customerID)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if !slices.ContainsFunc(owned, func(b customer.BillingAccount) bool { return b.ID == id }) {
			return []enlace.FieldError{enlace.Field("billing_accounts", "users.account_unknown")}, nil
		}
	}
	return nil, nil
}

// MemberUpdate is the form that edits a user in a customer (A5): names,
// e-mail, role, access level, corporate area and billing accounts.
type MemberUpdate struct {
	Email             string
	FirstName         string
	LastName          string
	Role              string
	AccessLevel       string
	CorporateArea     string
	BillingAccountIDs []string
	Disabled          bool
}

// UpdateMember edits a user of a customer. The person's e-mail and names
// belong to them, not to one customer: they change only while the person
// belongs to no other customer.
func (s *Service) UpdateMember(ctx context.Context, customerID, userID string, in MemberUpdate) (*Member, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsStaff() {
		customerID = a.CustomerID
	}
	cur, err := s.Member(ctx, customerID, userID)
	if err != nil {
		return nil, err
	}
	if !canManageUsers(a, customerID) {
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	in.Email = NormalizeEmail(in.Email)
	errs := append(validateProfile(in.Email, in.FirstName, in.LastName, ""),
		validateMembership(in.Role, in.AccessLevel, in.CorporateArea)...)
	if userID == a.UserID && (in.Disabled || in.Role != RoleAdmin) && !a.IsStaff() {
		errs = append(errs, enlace.Field("role", "users.cannot_demote_self"))
	}
	accountErrs, err := s.checkAccounts(ctx, customerID, in.BillingAccountIDs)
	if err != nil {
		return nil, err
	}
	errs = append(errs, accountErrs...)
	profileChanged := in.Email != cur.Email || strings.TrimSpace(in.FirstName) != cur.FirstName || strings.TrimSpace(in.LastName) != cur.LastName
	if profileChanged {
		ms, err := s.store.Memberships(ctx, userID)
		if err != nil {
			return nil, err
		}
		if len(ms) > 1 {
			errs = append(errs, enlace.Field("email", "users.profile_shared"))
		}
	}
	if err := enlace.Invalid(errs); err != nil {
		return nil, err
	}
	u := cur.User
	u.Email, u.FirstName, u.LastName = in.Email, strings.TrimSpace(in.FirstName), strings.TrimSpace(in.LastName)
	m := cur.Membership
	m.Role, m.AccessLevel, m.CorporateArea = in.Role, in.AccessLevel, strings.TrimSpace(in.CorporateArea)
	m.BillingAccountIDs, m.Disabled = in.BillingAccountIDs, in.Disabled
	entry := audit.Record(ctx, "user.update", "user", userID, customerID, map[string]any{
		"email": u.Email, "role": m.Role, "accessLevel": m.AccessLevel, "disabled": m.Disabled})
	if err := s.store.UpdateMember(ctx, &u, &m, entry); err != nil {
		if enlace.ErrorCode(err) == enlace.ECONFLICT {
			return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("email", "users.email_taken")})
		}
		return nil, err
	}
	return s.store.Member(ctx, customerID, userID)
}

// NewStaffUser is a provider staff member to create.
type NewStaffUser struct {
	Email     string
	FirstName string
	LastName  string
	Role      string
	Locale    string
}

// CreateStaffUser creates a provider staff member with a temporary
// password, which it returns. With no actor in the context it is the
// bootstrap path of `enlace user create-admin`; otherwise only a staff
// administrator may call it.
func (s *Service) CreateStaffUser(ctx context.Context, in NewStaffUser) (*User, string, error) {
	if a := enlace.ActorFrom(ctx); a != nil && a.StaffRole != StaffAdmin {
		return nil, "", enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	in.Email = NormalizeEmail(in.Email)
	if in.Locale == "" {
		in.Locale = "es-MX"
	}
	errs := validateProfile(in.Email, in.FirstName, in.LastName, in.Locale)
	if !slices.Contains(StaffRoles, in.Role) {
		errs = append(errs, enlace.Field("role", "users.role_invalid"))
	}
	if err := enlace.Invalid(errs); err != nil {
		return nil, "", err
	}
	u := &User{ID: enlace.NewID(), Email: in.Email, FirstName: strings.TrimSpace(in.FirstName),
		LastName: strings.TrimSpace(in.LastName), Locale: in.Locale, StaffRole: in.Role}
	temp := TemporaryPassword()
	entry := audit.Record(ctx, "user.create", "user", u.ID, "", map[string]any{"email": u.Email, "staffRole": u.StaffRole})
	if err := s.store.CreateUser(ctx, u, HashPassword(temp, s.cfg.Hash), true, nil, entry); err != nil {
		if enlace.ErrorCode(err) == enlace.ECONFLICT {
			return nil, "", enlace.Invalid([]enlace.FieldError{enlace.Field("email", "users.email_taken")})
		}
		return nil, "", err
	}
	return u, temp, nil
}

// ProfileUpdate is what people change about themselves: the language
// Enlace speaks to them, and a second address that can receive a password
// reset link (A3).
type ProfileUpdate struct {
	Locale        string
	RecoveryEmail string
}

// UpdateProfile saves the signed-in user's language and recovery address.
func (s *Service) UpdateProfile(ctx context.Context, in ProfileUpdate) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	in.RecoveryEmail = NormalizeEmail(in.RecoveryEmail)
	var errs []enlace.FieldError
	if !slices.Contains([]string{"es-MX", "en", "de"}, in.Locale) {
		errs = append(errs, enlace.Field("locale", "users.locale_invalid"))
	}
	if in.RecoveryEmail != "" && (!validEmail(in.RecoveryEmail) || in.RecoveryEmail == a.Email) {
		errs = append(errs, enlace.Field("recovery_email", "users.recovery_email_invalid"))
	}
	if err := enlace.Invalid(errs); err != nil {
		return err
	}
	entry := audit.Record(ctx, "user.profile_update", "user", a.UserID, a.CustomerID,
		map[string]string{"locale": in.Locale, "recoveryEmail": MaskDestination(in.RecoveryEmail)})
	return s.store.UpdateProfile(ctx, a.UserID, in, entry)
}
