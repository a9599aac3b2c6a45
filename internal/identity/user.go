// Package identity is who may use Enlace and how they prove it: users and
// their memberships in customers, passwords, two-factor login, sessions,
// API tokens, recovery and self-registration (PRODUCT.md A1–A7).
package identity

import (
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Provider staff roles (A6).
const (
	StaffAdmin       = "admin"
	StaffPM          = "pm"
	StaffSupport     = "support"
	StaffTechnician  = "technician"
	StaffAccountExec = "account_exec"
)

// StaffRoles lists the provider roles in the order forms show them.
var StaffRoles = []string{StaffAdmin, StaffPM, StaffSupport, StaffTechnician, StaffAccountExec}

// Customer roles: what a person does for their company.
const (
	RoleAdmin     = "admin"     // the customer's administrator ("global admin")
	RoleTechnical = "technical" // technical contact
	RoleBilling   = "billing"   // billing contact
	RoleSigner    = "signer"    // authorized signer of LOAs and agreements
	RoleUser      = "user"      // end user
)

// CustomerRoles lists the customer roles in the order forms show them.
var CustomerRoles = []string{RoleAdmin, RoleTechnical, RoleBilling, RoleSigner, RoleUser}

// Access levels of a membership.
const (
	AccessFull     = "full"
	AccessReadOnly = "read_only"
)

// AccessLevels lists the access levels in the order forms show them.
var AccessLevels = []string{AccessFull, AccessReadOnly}

// Second-factor channels.
const (
	ChannelEmail    = "email"
	ChannelWhatsApp = "whatsapp"
	ChannelTOTP     = "totp"
)

// User is a person who signs in. Staff users carry a StaffRole; customer
// users have one Membership per customer they work for.
type User struct {
	ID                string     `json:"id" db:"id"`
	Email             string     `json:"email" db:"email"`
	RecoveryEmail     string     `json:"recoveryEmail,omitempty" db:"recovery_email"`
	FirstName         string     `json:"firstName" db:"first_name"`
	LastName          string     `json:"lastName" db:"last_name"`
	Locale            string     `json:"locale" db:"locale"`
	StaffRole         string     `json:"staffRole,omitempty" db:"staff_role"`
	PasswordHash      string     `json:"-" db:"password_hash"`
	PasswordChangedAt time.Time  `json:"passwordChangedAt" db:"password_changed_at"`
	PasswordTemporary bool       `json:"passwordTemporary" db:"password_temporary"`
	MFAChannel        string     `json:"mfaChannel,omitempty" db:"mfa_channel"`
	Mobile            string     `json:"mobile,omitempty" db:"mobile"`
	TOTPSecret        string     `json:"-" db:"totp_secret"`
	TOTPEnabled       bool       `json:"totpEnabled" db:"totp_enabled"`
	Disabled          bool       `json:"disabled" db:"disabled"`
	LastLoginAt       *time.Time `json:"lastLoginAt,omitempty" db:"last_login_at"`
	LastCustomerID    string     `json:"-" db:"last_customer_id"`
	CreatedAt         time.Time  `json:"createdAt" db:"created_at"`
	UpdatedAt         time.Time  `json:"updatedAt" db:"updated_at"`
}

// Name returns the user's full name.
func (u *User) Name() string { return strings.TrimSpace(u.FirstName + " " + u.LastName) }

// IsStaff reports whether the user is one of the provider's staff.
func (u *User) IsStaff() bool { return u.StaffRole != "" }

// Membership makes a user a member of one customer.
type Membership struct {
	ID                string    `json:"id" db:"id"`
	UserID            string    `json:"userId" db:"user_id"`
	CustomerID        string    `json:"customerId" db:"customer_id"`
	CustomerName      string    `json:"customerName" db:"customer_name"`
	Role              string    `json:"role" db:"role"`
	AccessLevel       string    `json:"accessLevel" db:"access_level"`
	CorporateArea     string    `json:"corporateArea,omitempty" db:"corporate_area"`
	Disabled          bool      `json:"disabled" db:"disabled"`
	BillingAccountIDs []string  `json:"billingAccountIds" db:"-"`
	CreatedAt         time.Time `json:"createdAt" db:"created_at"`
	UpdatedAt         time.Time `json:"updatedAt" db:"updated_at"`
}

// Member is a user seen through one customer's membership: what a customer
// administrator's user list shows.
type Member struct {
	User
	Membership Membership `json:"membership"`
}

// NormalizeEmail trims and lower-cases an address, so that one person has
// one account whatever case they type.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254
}

// validateProfile checks the fields a person's profile shares everywhere.
func validateProfile(email, first, last, locale string) []enlace.FieldError {
	var errs []enlace.FieldError
	if !validEmail(email) {
		errs = append(errs, enlace.Field("email", "users.email_invalid"))
	}
	if n := len(strings.TrimSpace(first)); n == 0 || n > 100 {
		errs = append(errs, enlace.Field("first_name", "users.name_required"))
	}
	if n := len(strings.TrimSpace(last)); n == 0 || n > 100 {
		errs = append(errs, enlace.Field("last_name", "users.name_required"))
	}
	if locale != "" && !slices.Contains([]string{"es-MX", "en", "de"}, locale) {
		errs = append(errs, enlace.Field("locale", "users.locale_invalid"))
	}
	return errs
}

// validateMembership checks the fields of a membership.
func validateMembership(role, access, area string) []enlace.FieldError {
	var errs []enlace.FieldError
	if !slices.Contains(CustomerRoles, role) {
		errs = append(errs, enlace.Field("role", "users.role_invalid"))
	}
	if !slices.Contains(AccessLevels, access) {
		errs = append(errs, enlace.Field("access_level", "users.access_invalid"))
	}
	if len(area) > 100 {
		errs = append(errs, enlace.Field("corporate_area", "users.area_too_long"))
	}
	return errs
}
