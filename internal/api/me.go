package api

import (
	"net/http"
	"time"

	"github.com/enlace-portal/enlace/internal/identity"
)

// meJSON is who the token belongs to and where it acts.
type meJSON struct {
	ID          string           `json:"id"`
	Email       string           `json:"email"`
	FirstName   string           `json:"firstName"`
	LastName    string           `json:"lastName"`
	Locale      string           `json:"locale"`
	StaffRole   string           `json:"staffRole,omitempty"`
	LastLoginAt *time.Time       `json:"lastLoginAt,omitempty"`
	Customer    *membershipJSON  `json:"customer"` // the customer the token acts for; null for staff
	Memberships []membershipJSON `json:"memberships"`
}

// membershipJSON is a user's place in one customer.
type membershipJSON struct {
	CustomerID        string   `json:"customerId"`
	CustomerName      string   `json:"customerName"`
	Role              string   `json:"role"`
	AccessLevel       string   `json:"accessLevel"`
	CorporateArea     string   `json:"corporateArea"`
	BillingAccountIDs []string `json:"billingAccountIds"`
	Disabled          bool     `json:"disabled"`
}

func toMembership(m *identity.Membership) membershipJSON {
	ids := m.BillingAccountIDs
	if ids == nil {
		ids = []string{}
	}
	return membershipJSON{CustomerID: m.CustomerID, CustomerName: m.CustomerName, Role: m.Role,
		AccessLevel: m.AccessLevel, CorporateArea: m.CorporateArea, BillingAccountIDs: ids, Disabled: m.Disabled}
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	ms, err := a.Identity.Memberships(r.Context())
	if err != nil {
		return err
	}
	u := p.User
	out := meJSON{ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, Locale: u.Locale,
		StaffRole: u.StaffRole, LastLoginAt: u.LastLoginAt, Memberships: mapItems(ms, toMembership)}
	if p.Membership != nil {
		m := toMembership(p.Membership)
		out.Customer = &m
	}
	return writeJSON(w, http.StatusOK, out)
}
