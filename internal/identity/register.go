package identity

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/notify"
)

// Access request states.
const (
	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestRejected = "rejected"
)

// AccessRequest is a self-registration waiting for the customer
// administrator (A4).
type AccessRequest struct {
	ID               string     `json:"id" db:"id"`
	CustomerID       string     `json:"customerId" db:"customer_id"`
	BillingAccountID string     `json:"billingAccountId" db:"billing_account_id"`
	AccountNumber    string     `json:"accountNumber" db:"account_number"`
	InvoiceNumber    string     `json:"invoiceNumber" db:"invoice_number"`
	Email            string     `json:"email" db:"email"`
	FirstName        string     `json:"firstName" db:"first_name"`
	LastName         string     `json:"lastName" db:"last_name"`
	CorporateArea    string     `json:"corporateArea,omitempty" db:"corporate_area"`
	Locale           string     `json:"locale" db:"locale"`
	Status           string     `json:"status" db:"status"`
	DecidedBy        string     `json:"decidedBy,omitempty" db:"decided_by"`
	DecidedAt        *time.Time `json:"decidedAt,omitempty" db:"decided_at"`
	Reason           string     `json:"reason,omitempty" db:"reason"`
	UserID           string     `json:"userId,omitempty" db:"user_id"`
	CreatedAt        time.Time  `json:"createdAt" db:"created_at"`
}

// Registration is the self-registration form: the three numbers printed on
// an invoice, and who is asking.
type Registration struct {
	CustomerNumber string
	AccountNumber  string
	InvoiceNumber  string
	Email          string
	FirstName      string
	LastName       string
	CorporateArea  string
	Locale         string
}

// Register turns a valid form into an access request and tells the
// customer's administrators. The invoice must be one of the account's last
// three. A mismatch says only that the numbers do not match, whichever of
// them is wrong, so the form cannot be used to probe customer numbers.
func (s *Service) Register(ctx context.Context, in Registration) (*AccessRequest, error) {
	in.Email = NormalizeEmail(in.Email)
	if in.Locale == "" {
		in.Locale = "es-MX"
	}
	errs := validateProfile(in.Email, in.FirstName, in.LastName, in.Locale)
	for field, v := range map[string]string{"customer_number": in.CustomerNumber, "account_number": in.AccountNumber, "invoice_number": in.InvoiceNumber} {
		if v = strings.TrimSpace(v); v == "" || len(v) > 40 {
			errs = append(errs, enlace.Field(field, "register.number_required"))
		}
	}
	if len(in.CorporateArea) > 100 {
		errs = append(errs, enlace.Field("corporate_area", "users.area_too_long"))
	}
	if err := enlace.Invalid(errs); err != nil {
		return nil, err
	}
	acct, err := s.store.BillingAccountByNumbers(ctx, strings.TrimSpace(in.CustomerNumber), strings.TrimSpace(in.AccountNumber))
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil, enlace.Errorf(enlace.EINVALID, "register.no_match")
	} else if err != nil {
		return nil, err
	}
	invoices, err := s.store.LatestInvoiceNumbers(ctx, acct.ID, 3)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(invoices, strings.TrimSpace(in.InvoiceNumber)) {
		return nil, enlace.Errorf(enlace.EINVALID, "register.no_match")
	}
	r := &AccessRequest{ID: enlace.NewID(), CustomerID: acct.CustomerID, BillingAccountID: acct.ID,
		AccountNumber: acct.Number, InvoiceNumber: strings.TrimSpace(in.InvoiceNumber), Email: in.Email,
		FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName),
		CorporateArea: strings.TrimSpace(in.CorporateArea), Locale: in.Locale, Status: RequestPending}
	effects, err := s.requestReceivedEffects(ctx, r)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateAccessRequest(ctx, r, effects...); err != nil {
		if enlace.ErrorCode(err) == enlace.ECONFLICT {
			return nil, enlace.Errorf(enlace.ECONFLICT, "register.already_pending")
		}
		return nil, err
	}
	return r, nil
}

func (s *Service) requestReceivedEffects(ctx context.Context, r *AccessRequest) ([]enlace.Effect, error) {
	admins, err := s.store.CustomerAdmins(ctx, r.CustomerID)
	if err != nil {
		return nil, err
	}
	c, err := s.store.CustomerByID(ctx, r.CustomerID)
	if err != nil {
		return nil, err
	}
	args := map[string]string{"Name": r.FirstName + " " + r.LastName, "Email": r.Email}
	effects := []enlace.Effect{audit.Record(ctx, "access_request.create", "access_request", r.ID, r.CustomerID,
		map[string]string{"email": r.Email, "account": r.AccountNumber})}
	for _, a := range admins {
		effects = append(effects, notify.Notification{UserID: a.ID, CustomerID: r.CustomerID, Kind: "access_request",
			TitleKey: "identity.notice.access_request.title", BodyKey: "identity.notice.access_request.body",
			Args: args, Link: "/access-requests/" + r.ID})
		effects = append(effects, s.email(a.Locale, "access_request_received", a.Email, map[string]any{
			"Name": a.FirstName, "RequesterName": args["Name"], "RequesterEmail": r.Email,
			"CustomerName": c.Name, "URL": s.cfg.BaseURL + "/access-requests/" + r.ID})...)
	}
	return effects, nil
}

// AccessRequestFilter selects access requests of one customer.
type AccessRequestFilter struct {
	CustomerID string
	Status     *string
	Offset     int
	Limit      int
}

// canDecideRequests: staff administrators, and a customer administrator
// with full access for their own customer.
func canDecideRequests(a *enlace.Actor, customerID string) bool { return canManageUsers(a, customerID) }

// FindAccessRequests lists the access requests a user may decide or see.
func (s *Service) FindAccessRequests(ctx context.Context, f AccessRequestFilter) ([]AccessRequest, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if !a.IsStaff() {
		f.CustomerID = a.CustomerID
	}
	if !canViewUsers(a, f.CustomerID) {
		return nil, 0, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return s.store.FindAccessRequests(ctx, f)
}

// AccessRequest returns one access request, not found outside the actor's
// customer.
func (s *Service) AccessRequest(ctx context.Context, id string) (*AccessRequest, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.store.AccessRequestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canViewUsers(a, r.CustomerID) {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return r, nil
}

// Decision is the administrator's answer to an access request.
type Decision struct {
	Approve     bool
	Role        string // on approval; default end user
	AccessLevel string // on approval; default read-only
	Reason      string // on rejection, told to the requester
}

// DecideAccessRequest approves or rejects a pending request. Approval makes
// the requester a user of the customer with the request's billing account —
// a new person receives a temporary password, a known one a new membership —
// and either way the requester is told by e-mail.
func (s *Service) DecideAccessRequest(ctx context.Context, id string, d Decision) (*AccessRequest, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.AccessRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canDecideRequests(a, r.CustomerID) {
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	if r.Status != RequestPending {
		return nil, enlace.Errorf(enlace.ECONFLICT, "access_request.already_decided")
	}
	now := s.clock.Now()
	r.DecidedBy, r.DecidedAt = a.Email, &now
	if !d.Approve {
		return s.reject(ctx, r, strings.TrimSpace(d.Reason))
	}
	return s.approve(ctx, r, d)
}

func (s *Service) reject(ctx context.Context, r *AccessRequest, reason string) (*AccessRequest, error) {
	if reason == "" || len(reason) > 500 {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("reason", "access_request.reason_required")})
	}
	c, err := s.store.CustomerByID(ctx, r.CustomerID)
	if err != nil {
		return nil, err
	}
	r.Status, r.Reason = RequestRejected, reason
	effects := append([]enlace.Effect{audit.Record(ctx, "access_request.reject", "access_request", r.ID, r.CustomerID,
		map[string]string{"reason": reason})},
		s.email(r.Locale, "access_request_rejected", r.Email, map[string]any{"Name": r.FirstName,
			"CustomerName": c.Name, "Reason": reason})...)
	if err := s.store.DecideAccessRequest(ctx, r, nil, "", nil, effects...); err != nil {
		return nil, err
	}
	return r, nil
}

func (s *Service) approve(ctx context.Context, r *AccessRequest, d Decision) (*AccessRequest, error) {
	if d.Role == "" {
		d.Role = RoleUser
	}
	if d.AccessLevel == "" {
		d.AccessLevel = AccessReadOnly
	}
	if err := enlace.Invalid(validateMembership(d.Role, d.AccessLevel, r.CorporateArea)); err != nil {
		return nil, err
	}
	m := &Membership{ID: enlace.NewID(), CustomerID: r.CustomerID, Role: d.Role, AccessLevel: d.AccessLevel,
		CorporateArea: r.CorporateArea, BillingAccountIDs: []string{r.BillingAccountID}}
	u, err := s.store.UserByEmail(ctx, r.Email)
	if err != nil && enlace.ErrorCode(err) != enlace.ENOTFOUND {
		return nil, err
	}
	c, err := s.store.CustomerByID(ctx, r.CustomerID)
	if err != nil {
		return nil, err
	}
	var newUser *User
	var hash string
	// A person who already signs in keeps their password: the e-mail then
	// carries no new one.
	data := map[string]any{"Name": r.FirstName, "CustomerName": c.Name, "Email": r.Email,
		"Password": "", "URL": s.cfg.BaseURL + "/login"}
	if u == nil {
		newUser = &User{ID: enlace.NewID(), Email: r.Email, FirstName: r.FirstName, LastName: r.LastName, Locale: r.Locale}
		temp := TemporaryPassword()
		hash, data["Password"] = HashPassword(temp, s.cfg.Hash), temp
		u = newUser
	} else if u.IsStaff() {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("email", "users.email_is_staff")})
	}
	m.UserID, r.UserID, r.Status = u.ID, u.ID, RequestApproved
	effects := append([]enlace.Effect{
		audit.Record(ctx, "access_request.approve", "access_request", r.ID, r.CustomerID,
			map[string]string{"role": m.Role, "accessLevel": m.AccessLevel, "userId": u.ID}),
		notify.Notification{UserID: u.ID, CustomerID: r.CustomerID, Kind: "access",
			TitleKey: "identity.notice.membership_added.title", BodyKey: "identity.notice.membership_added.body"},
	}, s.email(r.Locale, "access_request_approved", r.Email, data)...)
	if err := s.store.DecideAccessRequest(ctx, r, newUser, hash, m, effects...); err != nil {
		if enlace.ErrorCode(err) == enlace.ECONFLICT {
			return nil, enlace.Errorf(enlace.ECONFLICT, "users.already_member")
		}
		return nil, err
	}
	return r, nil
}
