package tmf

import (
	"net/http"
	"strings"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// Customer is an Enlace customer seen as a TMF629 v4 Customer: the
// customer role of the organization with the same id.
type Customer struct {
	ID             string           `json:"id"`
	Href           string           `json:"href"`
	Type           string           `json:"@type"`
	Name           string           `json:"name"`
	Status         string           `json:"status"`
	EngagedParty   RelatedParty     `json:"engagedParty"`
	Characteristic []Characteristic `json:"characteristic"`
	// Account lists the billing accounts; collections leave it out.
	Account  []AccountRef `json:"account,omitempty"`
	ValidFor *TimePeriod  `json:"validFor,omitempty"`
}

// AccountRef refers to a billing account.
type AccountRef struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ReferredType string `json:"@referredType"`
}

// Customer status values.
const (
	customerActive  = "active"
	customerRetired = "retired"
)

func (s *Server) customer(r *http.Request, c *customer.Customer) Customer {
	base := s.base(r)
	out := Customer{ID: c.ID, Href: base + CustomerPath + "/customer/" + c.ID, Type: "Customer", Name: c.Name,
		Status: customerActive, EngagedParty: RelatedParty{ID: c.ID, Href: base + PartyPath + "/organization/" + c.ID,
			Name: c.Name, ReferredType: "Organization"},
		Characteristic: []Characteristic{{Name: refNumber, ValueType: "string", Value: c.Number}},
		ValidFor:       &TimePeriod{StartDateTime: c.CreatedAt, EndDateTime: c.RetiredAt}}
	if c.Retired {
		out.Status = customerRetired
	}
	return out
}

// customerWithAccounts adds the billing accounts to a single customer.
func (s *Server) customerWithAccounts(r *http.Request, c *customer.Customer) (Customer, error) {
	out := s.customer(r, c)
	bs, err := s.Customers.BillingAccounts(r.Context(), c.ID)
	if err != nil {
		return out, err
	}
	out.Account = []AccountRef{}
	for _, b := range bs {
		if !b.Retired {
			out.Account = append(out.Account, AccountRef{ID: b.ID, Name: b.Number + " " + b.Name, ReferredType: "BillingAccount"})
		}
	}
	return out, nil
}

// customerInput is the body of POST and PATCH customer.
type customerInput struct {
	Name           *string           `json:"name"`
	Status         *string           `json:"status"`
	EngagedParty   *RelatedParty     `json:"engagedParty"`
	Characteristic *[]Characteristic `json:"characteristic"`
}

func (b customerInput) apply(in *customer.Input) error {
	if b.Name != nil {
		in.Name = *b.Name
	}
	if b.Characteristic != nil {
		for _, c := range *b.Characteristic {
			if v, ok := c.Value.(string); ok && c.Name == refNumber {
				in.Number = v
			}
		}
	}
	if b.Status != nil {
		switch strings.ToLower(*b.Status) {
		case customerRetired, "inactive", "closed":
			in.Retired = true
		case customerActive, "approved", "validated", "initialized":
			in.Retired = false
		default:
			return enlace.Invalid([]enlace.FieldError{enlace.Field("status", "tmf.status_invalid", "Choices", "active, retired")})
		}
	}
	return nil
}

func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request) error {
	return listCustomersAs(s, w, r, s.customer, "name")
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) error {
	c, err := s.activeCustomer(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	out, err := s.customerWithAccounts(r, c)
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, out)
}

// createCustomer makes an organization a customer. Enlace keeps one
// record for both, so:
//   - an engagedParty naming an organization Enlace holds answers that
//     customer, with the name given (Enlace keeps one name);
//   - an engagedParty Enlace does not hold (an organization known only to
//     the CRM) is created with the customer, under Enlace's id, which the
//     response's engagedParty carries.
func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) error {
	var body customerInput
	if err := s.decode(w, r, &body); err != nil {
		return err
	}
	var errs []enlace.FieldError
	if body.Name == nil || strings.TrimSpace(*body.Name) == "" {
		errs = append(errs, enlace.Field("name", "tmf.required"))
	}
	if body.EngagedParty == nil {
		errs = append(errs, enlace.Field("engagedParty", "tmf.required"))
	} else if rt := body.EngagedParty.ReferredType; rt != "" && !strings.EqualFold(rt, "Organization") {
		errs = append(errs, enlace.Field("engagedParty", "tmf.engaged_party_organization"))
	}
	if err := enlace.Invalid(errs); err != nil {
		return err
	}
	var in customer.Input
	if err := body.apply(&in); err != nil {
		return err
	}
	var c *customer.Customer
	existing, err := s.activeCustomer(r, body.EngagedParty.ID)
	switch {
	case err == nil:
		in.Retired = false
		if in.Number == "" {
			in.Number = existing.Number
		}
		c, err = s.Customers.Update(r.Context(), existing.ID, in)
	case enlace.ErrorCode(err) == enlace.ENOTFOUND:
		c, err = s.newCustomer(r, in)
	}
	if err != nil {
		return err
	}
	out, err := s.customerWithAccounts(r, c)
	if err != nil {
		return err
	}
	w.Header().Set("Location", out.Href)
	return writeOne(w, r, http.StatusCreated, out)
}

func (s *Server) patchCustomer(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.activeCustomer(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	var body customerInput
	if err := s.decode(w, r, &body); err != nil {
		return err
	}
	if body.EngagedParty != nil && body.EngagedParty.ID != cur.ID {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("engagedParty", "tmf.not_patchable")})
	}
	in := customer.Input{Number: cur.Number, Name: cur.Name, Retired: cur.Retired}
	if err := body.apply(&in); err != nil {
		return err
	}
	c, err := s.Customers.Update(r.Context(), cur.ID, in)
	if err != nil {
		return err
	}
	out, err := s.customerWithAccounts(r, c)
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, out)
}

// deleteCustomer retires the customer, as deleting its organization does.
func (s *Server) deleteCustomer(w http.ResponseWriter, r *http.Request) error {
	return s.retire(w, r)
}
