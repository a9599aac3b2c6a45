package contact

import (
	"context"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// Customers is what the service needs to know of customers: that the one
// a contact is for exists.
type Customers interface {
	CustomerByID(ctx context.Context, id string) (*customer.Customer, error)
}

// Service reads and changes contacts within the actor's reach. Everybody
// signed in reads their own customer's contacts (staff: any customer's);
// customer administrators with full access edit their own customer's,
// staff administrators and account executives any customer's.
type Service struct {
	store     Store
	customers Customers
}

// NewService returns a contact Service.
func NewService(store Store, customers Customers) *Service {
	return &Service{store: store, customers: customers}
}

// CanEdit reports whether the actor may create and edit the contacts of
// customerID ("" for the parties that belong to no customer: staff only).
func CanEdit(a *enlace.Actor, customerID string) bool {
	switch {
	case a == nil:
		return false
	case a.StaffRole == "admin" || a.StaffRole == "account_exec":
		return true
	}
	return !a.IsStaff() && customerID != "" && a.CustomerID == customerID && a.CustomerRole == "admin" && !a.ReadOnly
}

func canRead(a *enlace.Actor, customerID string) bool {
	return a.IsStaff() || customerID != "" && a.CustomerID == customerID
}

// Input is the contact form (B3). Phone and Mobile are read as typed and
// stored in E.164.
type Input struct {
	CustomerID string
	Kind       string
	Principal  bool
	FirstName  string
	LastName   string
	Phone      string
	Extension  string
	Mobile     string
	Role       string
	Email      string
	JobTitle   string
}

// Find pages through the contacts the actor may see, by kind and name. A
// customer user's search is pinned to their own customer.
func (s *Service) Find(ctx context.Context, f Filter) ([]Contact, int, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, 0, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	if !a.IsStaff() {
		if f.CustomerID != nil && *f.CustomerID != a.CustomerID || f.Unassigned {
			return nil, 0, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		f.CustomerID = &a.CustomerID
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	return s.store.FindContacts(ctx, f)
}

// Get returns a contact; another tenant's is not found.
func (s *Service) Get(ctx context.Context, id string) (*Contact, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	c, err := s.store.ContactByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canRead(a, c.CustomerID) {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return c, nil
}

// Create adds a contact to a customer; every field marked required in the
// form must be there. A principal contact takes the flag from the
// customer's previous principal of the same kind.
func (s *Service) Create(ctx context.Context, in Input) (*Contact, error) {
	return s.create(ctx, in, true)
}

// CreateParty adds a person pushed by another system (TMF632): only the
// names are required, and staff may leave the customer empty, making a
// party no customer sees until it is linked to one.
func (s *Service) CreateParty(ctx context.Context, in Input) (*Contact, error) {
	return s.create(ctx, in, false)
}

func (s *Service) create(ctx context.Context, in Input, strict bool) (*Contact, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	if !a.IsStaff() && in.CustomerID == "" {
		in.CustomerID = a.CustomerID
	}
	if err := s.mayEdit(ctx, a, in.CustomerID, strict); err != nil {
		return nil, err
	}
	c := &Contact{ID: enlace.NewID()}
	if err := fill(c, in, strict); err != nil {
		return nil, err
	}
	if err := s.store.CreateContact(ctx, c, audit.Record(ctx, "contact.create", "contact", c.ID, c.CustomerID, detail(c))); err != nil {
		return nil, err
	}
	return s.store.ContactByID(ctx, c.ID)
}

// Update edits a contact of the customer it belongs to.
func (s *Service) Update(ctx context.Context, id string, in Input) (*Contact, error) {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	in.CustomerID = cur.CustomerID
	return s.update(ctx, cur, in, true)
}

// UpdateParty edits a person through TMF632: only the names are required,
// and the customer may change (a party is linked to, or moved between,
// customers the actor may edit).
func (s *Service) UpdateParty(ctx context.Context, id string, in Input) (*Contact, error) {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.update(ctx, cur, in, false)
}

func (s *Service) update(ctx context.Context, cur *Contact, in Input, strict bool) (*Contact, error) {
	a := enlace.ActorFrom(ctx)
	if err := s.mayEdit(ctx, a, cur.CustomerID, strict); err != nil {
		return nil, err
	}
	if in.CustomerID != cur.CustomerID {
		if err := s.mayEdit(ctx, a, in.CustomerID, strict); err != nil {
			return nil, err
		}
	}
	c := *cur
	if err := fill(&c, in, strict); err != nil {
		return nil, err
	}
	if err := s.store.UpdateContact(ctx, &c, audit.Record(ctx, "contact.update", "contact", c.ID, c.CustomerID, detail(&c))); err != nil {
		return nil, err
	}
	return s.store.ContactByID(ctx, c.ID)
}

// Delete removes a contact.
func (s *Service) Delete(ctx context.Context, id string) error {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if err := s.mayEdit(ctx, enlace.ActorFrom(ctx), cur.CustomerID, false); err != nil {
		return err
	}
	return s.store.DeleteContact(ctx, id, audit.Record(ctx, "contact.delete", "contact", id, cur.CustomerID, detail(cur)))
}

// mayEdit checks the actor may change the contacts of customerID, which
// must exist. A customer user naming another customer is told it does
// not exist. Only a party pushed by another system may have no customer.
func (s *Service) mayEdit(ctx context.Context, a *enlace.Actor, customerID string, strict bool) error {
	if !a.IsStaff() && customerID != a.CustomerID {
		return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	if customerID == "" && strict {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("customer_id", "contacts.customer_required")})
	}
	if !CanEdit(a, customerID) {
		return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	if customerID == "" {
		return nil
	}
	if _, err := s.customers.CustomerByID(ctx, customerID); enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("customer_id", "contacts.customer_unknown")})
	} else if err != nil {
		return err
	}
	return nil
}

// Longest text fields accepted.
const (
	maxName      = 100
	maxEmail     = 254
	maxExtension = 10
)

// fill validates in and copies it onto c. strict is the portal's form,
// where the fields marked * are required: kind, names, e-mail and phone;
// otherwise (a party pushed by another system) only the names are.
func fill(c *Contact, in Input, strict bool) error {
	trim := func(s string) string { return strings.TrimSpace(s) }
	in.Kind, in.FirstName, in.LastName, in.Email = trim(in.Kind), trim(in.FirstName), trim(in.LastName), strings.ToLower(trim(in.Email))
	in.Extension, in.Role, in.JobTitle, in.Phone, in.Mobile = trim(in.Extension), trim(in.Role), trim(in.JobTitle), trim(in.Phone), trim(in.Mobile)
	var errs []enlace.FieldError
	if in.Kind == "" && !strict {
		in.Kind = KindAdministrative
	}
	if !slices.Contains(Kinds, in.Kind) {
		errs = append(errs, enlace.Field("kind", "contacts.kind_invalid"))
	}
	for _, f := range []struct{ name, value string }{{"first_name", in.FirstName}, {"last_name", in.LastName}} {
		switch {
		case f.value == "":
			errs = append(errs, enlace.Field(f.name, "contacts.required"))
		case utf8.RuneCountInString(f.value) > maxName:
			errs = append(errs, enlace.Field(f.name, "contacts.too_long", "Max", maxName))
		}
	}
	switch {
	case in.Email == "" && strict:
		errs = append(errs, enlace.Field("email", "contacts.required"))
	case in.Email != "" && !validEmail(in.Email):
		errs = append(errs, enlace.Field("email", "contacts.email_invalid"))
	}
	phone, mobile := "", ""
	switch {
	case in.Phone == "" && strict:
		errs = append(errs, enlace.Field("phone", "contacts.required"))
	case in.Phone != "":
		var ok bool
		if phone, ok = NormalizePhone(in.Phone); !ok {
			errs = append(errs, enlace.Field("phone", "contacts.phone_invalid"))
		}
	}
	if in.Mobile != "" {
		var ok bool
		if mobile, ok = NormalizePhone(in.Mobile); !ok {
			errs = append(errs, enlace.Field("mobile", "contacts.phone_invalid"))
		}
	}
	if in.Extension != "" && (len(in.Extension) > maxExtension || strings.Trim(in.Extension, "0123456789") != "") {
		errs = append(errs, enlace.Field("extension", "contacts.extension_invalid", "Max", maxExtension))
	}
	if in.Role != "" && !slices.Contains(Roles, in.Role) {
		errs = append(errs, enlace.Field("contact_role", "contacts.role_invalid"))
	}
	if utf8.RuneCountInString(in.JobTitle) > maxName {
		errs = append(errs, enlace.Field("job_title", "contacts.too_long", "Max", maxName))
	}
	if in.Principal && in.CustomerID == "" {
		errs = append(errs, enlace.Field("principal", "contacts.principal_needs_customer"))
	}
	if err := enlace.Invalid(errs); err != nil {
		return err
	}
	c.CustomerID, c.Kind, c.Principal = in.CustomerID, in.Kind, in.Principal
	c.FirstName, c.LastName, c.Phone, c.Extension, c.Mobile = in.FirstName, in.LastName, phone, in.Extension, mobile
	c.Role, c.Email, c.JobTitle = in.Role, in.Email, in.JobTitle
	return nil
}

func validEmail(s string) bool {
	if len(s) > maxEmail {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

func detail(c *Contact) map[string]any {
	return map[string]any{"kind": c.Kind, "principal": c.Principal, "name": c.Name(), "email": c.Email}
}
