package customer

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// Filter selects customers. Nil fields do not filter.
type Filter struct {
	ID      *string
	Query   *string // matches the number or the name
	Number  *string // exact
	Name    *string // exact
	Retired *bool
	Offset  int
	Limit   int
}

// AccountFilter selects billing accounts. Nil fields do not filter; IDs,
// when not nil, keeps only those accounts (none when empty).
type AccountFilter struct {
	CustomerID *string
	IDs        []string
	Query      *string // matches the number or the name
	Retired    *bool
	Offset     int
	Limit      int
}

// Input is the form that creates or edits a customer (B1).
type Input struct {
	Number  string
	Name    string
	Retired bool
}

// AccountInput is the form that creates or edits a billing account (B1).
// CustomerID is fixed once the account exists.
type AccountInput struct {
	CustomerID string
	Number     string
	Name       string
	Retired    bool
}

// Longest number and name accepted.
const (
	maxNumber = 40
	maxName   = 200
)

func validateNumberName(number, name string) []enlace.FieldError {
	var errs []enlace.FieldError
	switch {
	case number == "":
		errs = append(errs, enlace.Field("number", "customers.number_required"))
	case utf8.RuneCountInString(number) > maxNumber || strings.ContainsAny(number, " \t\r\n"):
		errs = append(errs, enlace.Field("number", "customers.number_invalid", "Max", maxNumber))
	}
	switch {
	case name == "":
		errs = append(errs, enlace.Field("name", "customers.name_required"))
	case utf8.RuneCountInString(name) > maxName:
		errs = append(errs, enlace.Field("name", "customers.name_too_long", "Max", maxName))
	}
	return errs
}

// Create adds a customer.
func (s *Service) Create(ctx context.Context, in Input) (*Customer, error) {
	if err := manager(ctx, ""); err != nil {
		return nil, err
	}
	in.Number, in.Name = strings.TrimSpace(in.Number), strings.TrimSpace(in.Name)
	if err := enlace.Invalid(validateNumberName(in.Number, in.Name)); err != nil {
		return nil, err
	}
	c := &Customer{ID: enlace.NewID(), Number: in.Number, Name: in.Name}
	err := s.store.CreateCustomer(ctx, c, audit.Record(ctx, "customer.create", "customer", c.ID, c.ID,
		map[string]any{"number": c.Number, "name": c.Name}))
	if err != nil {
		return nil, numberTaken(err, "customers.number_taken")
	}
	return c, nil
}

// Update edits a customer; setting Retired retires it (and clearing it
// brings it back).
func (s *Service) Update(ctx context.Context, id string, in Input) (*Customer, error) {
	if err := manager(ctx, id); err != nil {
		return nil, err
	}
	c, err := s.store.CustomerByID(ctx, id)
	if err != nil {
		return nil, err
	}
	in.Number, in.Name = strings.TrimSpace(in.Number), strings.TrimSpace(in.Name)
	if err := enlace.Invalid(validateNumberName(in.Number, in.Name)); err != nil {
		return nil, err
	}
	d := map[string]any{"number": in.Number, "name": in.Name}
	entry := audit.Record(ctx, "customer.update", "customer", c.ID, c.ID, d)
	switch {
	case in.Retired && !c.Retired:
		entry = audit.Record(ctx, "customer.retire", "customer", c.ID, c.ID, d)
	case !in.Retired && c.Retired:
		entry = audit.Record(ctx, "customer.reinstate", "customer", c.ID, c.ID, d)
	}
	c.Number, c.Name, c.Retired = in.Number, in.Name, in.Retired
	if err := s.store.UpdateCustomer(ctx, c, entry); err != nil {
		return nil, numberTaken(err, "customers.number_taken")
	}
	return s.store.CustomerByID(ctx, id)
}

// CreateBillingAccount adds a billing account to a customer.
func (s *Service) CreateBillingAccount(ctx context.Context, in AccountInput) (*BillingAccount, error) {
	if err := manager(ctx, in.CustomerID); err != nil {
		return nil, err
	}
	in.Number, in.Name = strings.TrimSpace(in.Number), strings.TrimSpace(in.Name)
	errs := validateNumberName(in.Number, in.Name)
	if in.CustomerID == "" {
		errs = append(errs, enlace.Field("customer_id", "customers.customer_required"))
	} else if _, err := s.store.CustomerByID(ctx, in.CustomerID); enlace.ErrorCode(err) == enlace.ENOTFOUND {
		errs = append(errs, enlace.Field("customer_id", "customers.customer_unknown"))
	} else if err != nil {
		return nil, err
	}
	if err := enlace.Invalid(errs); err != nil {
		return nil, err
	}
	b := &BillingAccount{ID: enlace.NewID(), CustomerID: in.CustomerID, Number: in.Number, Name: in.Name}
	err := s.store.CreateBillingAccount(ctx, b, audit.Record(ctx, "billing_account.create", "billing_account", b.ID,
		b.CustomerID, map[string]any{"number": b.Number, "name": b.Name}))
	if err != nil {
		return nil, numberTaken(err, "customers.account_number_taken")
	}
	return b, nil
}

// UpdateBillingAccount edits a billing account's number and name and
// retires or reinstates it; its customer does not change.
func (s *Service) UpdateBillingAccount(ctx context.Context, id string, in AccountInput) (*BillingAccount, error) {
	if enlace.ActorFrom(ctx) == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	b, err := s.store.BillingAccountByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := manager(ctx, b.CustomerID); err != nil {
		return nil, err
	}
	in.Number, in.Name = strings.TrimSpace(in.Number), strings.TrimSpace(in.Name)
	if err := enlace.Invalid(validateNumberName(in.Number, in.Name)); err != nil {
		return nil, err
	}
	d := map[string]any{"number": in.Number, "name": in.Name}
	entry := audit.Record(ctx, "billing_account.update", "billing_account", b.ID, b.CustomerID, d)
	switch {
	case in.Retired && !b.Retired:
		entry = audit.Record(ctx, "billing_account.retire", "billing_account", b.ID, b.CustomerID, d)
	case !in.Retired && b.Retired:
		entry = audit.Record(ctx, "billing_account.reinstate", "billing_account", b.ID, b.CustomerID, d)
	}
	b.Number, b.Name, b.Retired = in.Number, in.Name, in.Retired
	err = s.store.UpdateBillingAccount(ctx, b, entry)
	if err != nil {
		return nil, numberTaken(err, "customers.account_number_taken")
	}
	return s.store.BillingAccountByID(ctx, id)
}

// numberTaken turns the store's uniqueness conflict into a message on the
// number field, where the person typing can fix it.
func numberTaken(err error, key string) error {
	if enlace.ErrorCode(err) == enlace.ECONFLICT {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("number", key)})
	}
	return err
}
