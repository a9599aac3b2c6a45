package tmf

import (
	"net/http"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// RelatedParty is a reference to another party (TMF632 v4).
type RelatedParty struct {
	ID           string `json:"id"`
	Href         string `json:"href,omitempty"`
	Name         string `json:"name,omitempty"`
	Role         string `json:"role,omitempty"`
	ReferredType string `json:"@referredType"`
}

// ContactMedium is one way to reach a party; Enlace keeps an e-mail, a
// phone and a mobile per contact.
type ContactMedium struct {
	MediumType     string               `json:"mediumType"`
	Preferred      bool                 `json:"preferred,omitempty"`
	Characteristic MediumCharacteristic `json:"characteristic"`
}

// MediumCharacteristic holds the address of a contact medium.
type MediumCharacteristic struct {
	EmailAddress string `json:"emailAddress,omitempty"`
	PhoneNumber  string `json:"phoneNumber,omitempty"`
}

// Characteristic is a named value (partyCharacteristic).
type Characteristic struct {
	Name      string `json:"name"`
	ValueType string `json:"valueType,omitempty"`
	Value     any    `json:"value"`
}

// ExternalReference names a party in another system; Enlace uses the type
// "customerNumber" for the number printed on the customer's invoices.
type ExternalReference struct {
	Name                  string `json:"name"`
	ExternalReferenceType string `json:"externalReferenceType"`
}

// Individual is a contact seen as a TMF632 v4 Individual.
type Individual struct {
	ID                  string           `json:"id"`
	Href                string           `json:"href"`
	Type                string           `json:"@type"`
	BaseType            string           `json:"@baseType"`
	GivenName           string           `json:"givenName"`
	FamilyName          string           `json:"familyName"`
	FullName            string           `json:"fullName"`
	ContactMedium       []ContactMedium  `json:"contactMedium"`
	PartyCharacteristic []Characteristic `json:"partyCharacteristic"`
	RelatedParty        []RelatedParty   `json:"relatedParty"`
}

// Organization is a customer seen as a TMF632 v4 Organization.
type Organization struct {
	ID                string              `json:"id"`
	Href              string              `json:"href"`
	Type              string              `json:"@type"`
	BaseType          string              `json:"@baseType"`
	Name              string              `json:"name"`
	TradingName       string              `json:"tradingName"`
	IsLegalEntity     bool                `json:"isLegalEntity"`
	Status            string              `json:"status"`
	ExternalReference []ExternalReference `json:"externalReference"`
	ExistsDuring      *TimePeriod         `json:"existsDuring,omitempty"`
}

// TimePeriod is a span of time; an open end is left out.
type TimePeriod struct {
	StartDateTime time.Time  `json:"startDateTime"`
	EndDateTime   *time.Time `json:"endDateTime,omitempty"`
}

// Characteristic names of a contact.
const (
	charKind      = "contactKind"
	charPrincipal = "principal"
	charRole      = "contactRole"
	charJobTitle  = "jobTitle"
	charExtension = "phoneExtension"
)

// Organization status values: an active customer is validated, a retired
// one closed.
const (
	orgValidated = "validated"
	orgClosed    = "closed"
	refNumber    = "customerNumber"
)

func (s *Server) individual(r *http.Request, c *contact.Contact) Individual {
	base := s.base(r)
	in := Individual{ID: c.ID, Href: base + PartyPath + "/individual/" + c.ID, Type: "Individual", BaseType: "Party",
		GivenName: c.FirstName, FamilyName: c.LastName, FullName: c.Name(),
		ContactMedium: []ContactMedium{}, RelatedParty: []RelatedParty{},
		PartyCharacteristic: []Characteristic{{Name: charKind, ValueType: "string", Value: c.Kind},
			{Name: charPrincipal, ValueType: "boolean", Value: c.Principal}}}
	if c.Email != "" {
		in.ContactMedium = append(in.ContactMedium, ContactMedium{MediumType: "email", Preferred: true,
			Characteristic: MediumCharacteristic{EmailAddress: c.Email}})
	}
	if c.Phone != "" {
		in.ContactMedium = append(in.ContactMedium, ContactMedium{MediumType: "phone", Characteristic: MediumCharacteristic{PhoneNumber: c.Phone}})
	}
	if c.Mobile != "" {
		in.ContactMedium = append(in.ContactMedium, ContactMedium{MediumType: "mobile", Characteristic: MediumCharacteristic{PhoneNumber: c.Mobile}})
	}
	for _, ch := range []struct{ name, value string }{{charRole, c.Role}, {charJobTitle, c.JobTitle}, {charExtension, c.Extension}} {
		if ch.value != "" {
			in.PartyCharacteristic = append(in.PartyCharacteristic, Characteristic{Name: ch.name, ValueType: "string", Value: ch.value})
		}
	}
	if c.CustomerID != "" {
		in.RelatedParty = append(in.RelatedParty, RelatedParty{ID: c.CustomerID, Href: base + PartyPath + "/organization/" + c.CustomerID,
			Role: "employer", ReferredType: "Organization"})
	}
	return in
}

func (s *Server) organization(r *http.Request, c *customer.Customer) Organization {
	o := Organization{ID: c.ID, Href: s.base(r) + PartyPath + "/organization/" + c.ID, Type: "Organization", BaseType: "Party",
		Name: c.Name, TradingName: c.Name, IsLegalEntity: true, Status: orgValidated,
		ExternalReference: []ExternalReference{{Name: c.Number, ExternalReferenceType: refNumber}},
		ExistsDuring:      &TimePeriod{StartDateTime: c.CreatedAt, EndDateTime: c.RetiredAt}}
	if c.Retired {
		o.Status = orgClosed
	}
	return o
}

// individualInput is the body of POST and PATCH individual. Members left
// out keep their value (merge patch); arrays given replace the whole.
type individualInput struct {
	GivenName           *string           `json:"givenName"`
	FamilyName          *string           `json:"familyName"`
	ContactMedium       *[]ContactMedium  `json:"contactMedium"`
	PartyCharacteristic *[]Characteristic `json:"partyCharacteristic"`
	RelatedParty        *[]RelatedParty   `json:"relatedParty"`
}

// apply lays the body over a contact form.
func (b individualInput) apply(in *contact.Input) error {
	if b.GivenName != nil {
		in.FirstName = *b.GivenName
	}
	if b.FamilyName != nil {
		in.LastName = *b.FamilyName
	}
	if b.ContactMedium != nil {
		in.Email, in.Phone, in.Mobile = "", "", ""
		for _, m := range *b.ContactMedium {
			switch strings.ToLower(m.MediumType) {
			case "email":
				in.Email = m.Characteristic.EmailAddress
			case "phone", "telephone", "fixedline":
				in.Phone = m.Characteristic.PhoneNumber
			case "mobile", "cellphone":
				in.Mobile = m.Characteristic.PhoneNumber
			}
		}
	}
	if b.PartyCharacteristic != nil {
		in.Kind, in.Principal, in.Role, in.JobTitle, in.Extension = "", false, "", "", ""
		for _, c := range *b.PartyCharacteristic {
			str, _ := c.Value.(string)
			switch c.Name {
			case charKind:
				in.Kind = str
			case charPrincipal:
				p, ok := c.Value.(bool)
				if !ok {
					return statusError(http.StatusBadRequest, "tmf.wrong_type", "Field", "partyCharacteristic.principal")
				}
				in.Principal = p
			case charRole:
				in.Role = str
			case charJobTitle:
				in.JobTitle = str
			case charExtension:
				in.Extension = str
			}
		}
	}
	if b.RelatedParty != nil {
		in.CustomerID = ""
		for _, p := range *b.RelatedParty {
			if strings.EqualFold(p.ReferredType, "Organization") {
				if p.ID == "" {
					return enlace.Invalid([]enlace.FieldError{enlace.Field("customer_id", "tmf.related_party_id")})
				}
				in.CustomerID = p.ID
				break
			}
		}
	}
	return nil
}

func (s *Server) listIndividuals(w http.ResponseWriter, r *http.Request) error {
	l, err := readList(r)
	if err != nil {
		return err
	}
	f := contact.Filter{ID: filter(r, "id"), FirstName: filter(r, "givenName"), LastName: filter(r, "familyName"),
		Offset: l.offset, Limit: l.limit}
	if org := filter(r, "relatedParty.id"); org != nil {
		f.CustomerID = org
	}
	cs, total, err := s.Contacts.Find(r.Context(), f)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		cs, total, err = nil, 0, nil // another tenant's organization: nothing matches
	}
	if err != nil {
		return err
	}
	out := make([]Individual, len(cs))
	for i := range cs {
		out[i] = s.individual(r, &cs[i])
	}
	return writeCollection(w, out, total, l)
}

func (s *Server) getIndividual(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Contacts.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, s.individual(r, c))
}

func (s *Server) createIndividual(w http.ResponseWriter, r *http.Request) error {
	var body individualInput
	if err := s.decode(w, r, &body); err != nil {
		return err
	}
	var in contact.Input
	if err := body.apply(&in); err != nil {
		return err
	}
	c, err := s.Contacts.CreateParty(r.Context(), in)
	if err != nil {
		return err
	}
	ind := s.individual(r, c)
	w.Header().Set("Location", ind.Href)
	return writeOne(w, r, http.StatusCreated, ind)
}

func (s *Server) patchIndividual(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.Contacts.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	var body individualInput
	if err := s.decode(w, r, &body); err != nil {
		return err
	}
	in := contact.Input{CustomerID: cur.CustomerID, Kind: cur.Kind, Principal: cur.Principal, FirstName: cur.FirstName,
		LastName: cur.LastName, Phone: cur.Phone, Extension: cur.Extension, Mobile: cur.Mobile, Role: cur.Role,
		Email: cur.Email, JobTitle: cur.JobTitle}
	if err := body.apply(&in); err != nil {
		return err
	}
	c, err := s.Contacts.UpdateParty(r.Context(), cur.ID, in)
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, s.individual(r, c))
}

func (s *Server) deleteIndividual(w http.ResponseWriter, r *http.Request) error {
	if err := s.Contacts.Delete(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// activeCustomer returns a customer that is not retired: a retired
// (deleted) one is not found on the TM Forum surfaces, though the portal
// still shows it, marked.
func (s *Server) activeCustomer(r *http.Request, id string) (*customer.Customer, error) {
	c, err := s.Customers.Get(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if c.Retired {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return c, nil
}

// findCustomers lists the active customers matching the filters shared
// by organization and customer.
func (s *Server) findCustomers(r *http.Request, l list, nameAttrs ...string) ([]customer.Customer, int, error) {
	active := false
	f := customer.Filter{ID: filter(r, "id"), Retired: &active, Offset: l.offset, Limit: l.limit}
	for _, a := range nameAttrs {
		if v := filter(r, a); v != nil {
			f.Name = v
		}
	}
	return s.Customers.Find(r.Context(), f)
}

func (s *Server) listOrganizations(w http.ResponseWriter, r *http.Request) error {
	return listCustomersAs(s, w, r, s.organization, "name", "tradingName")
}

// listCustomersAs answers a list of Enlace customers seen as a TMF
// resource — TMF629 customers or TMF632 organizations — filtered by the
// resource's name attributes.
func listCustomersAs[T any](s *Server, w http.ResponseWriter, r *http.Request,
	as func(*http.Request, *customer.Customer) T, nameAttrs ...string) error {
	l, err := readList(r)
	if err != nil {
		return err
	}
	cs, total, err := s.findCustomers(r, l, nameAttrs...)
	if err != nil {
		return err
	}
	out := make([]T, len(cs))
	for i := range cs {
		out[i] = as(r, &cs[i])
	}
	return writeCollection(w, out, total, l)
}

func (s *Server) getOrganization(w http.ResponseWriter, r *http.Request) error {
	c, err := s.activeCustomer(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, s.organization(r, c))
}

// organizationInput is the body of POST and PATCH organization.
type organizationInput struct {
	Name              *string              `json:"name"`
	TradingName       *string              `json:"tradingName"`
	Status            *string              `json:"status"`
	ExternalReference *[]ExternalReference `json:"externalReference"`
}

// apply lays the body over a customer form; tradingName wins over name,
// since Enlace keeps one name.
func (b organizationInput) apply(in *customer.Input) error {
	if b.Name != nil {
		in.Name = *b.Name
	}
	if b.TradingName != nil {
		in.Name = *b.TradingName
	}
	if b.ExternalReference != nil {
		for _, ref := range *b.ExternalReference {
			if ref.ExternalReferenceType == refNumber {
				in.Number = ref.Name
			}
		}
	}
	if b.Status != nil {
		switch *b.Status {
		case orgClosed:
			in.Retired = true
		case orgValidated, "initialized":
			in.Retired = false
		default:
			return enlace.Invalid([]enlace.FieldError{enlace.Field("status", "tmf.status_invalid", "Choices", "initialized, validated, closed")})
		}
	}
	return nil
}

func (s *Server) createOrganization(w http.ResponseWriter, r *http.Request) error {
	var body organizationInput
	if err := s.decode(w, r, &body); err != nil {
		return err
	}
	var in customer.Input
	if err := body.apply(&in); err != nil {
		return err
	}
	c, err := s.newCustomer(r, in)
	if err != nil {
		return err
	}
	o := s.organization(r, c)
	w.Header().Set("Location", o.Href)
	return writeOne(w, r, http.StatusCreated, o)
}

// newCustomer adds a customer; a CRM that sends no customer number
// gets one made up by Enlace ("T-" and eight characters of the id), which
// staff can change later.
func (s *Server) newCustomer(r *http.Request, in customer.Input) (*customer.Customer, error) {
	generated := in.Number == ""
	for range 3 {
		if generated {
			id := enlace.NewID()
			in.Number = "T-" + strings.ToUpper(id[len(id)-8:])
		}
		c, err := s.Customers.Create(r.Context(), in)
		if generated && isNumberTaken(err) {
			continue
		}
		return c, err
	}
	return nil, enlace.Errorf(enlace.ECONFLICT, "error.conflict")
}

func isNumberTaken(err error) bool {
	e := enlace.AsError(err)
	return e.Code == enlace.EINVALID && len(e.Fields) == 1 && e.Fields[0].Field == "number" &&
		e.Fields[0].Message == "customers.number_taken"
}

func (s *Server) patchOrganization(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.activeCustomer(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	var body organizationInput
	if err := s.decode(w, r, &body); err != nil {
		return err
	}
	in := customer.Input{Number: cur.Number, Name: cur.Name, Retired: cur.Retired}
	if err := body.apply(&in); err != nil {
		return err
	}
	c, err := s.Customers.Update(r.Context(), cur.ID, in)
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, s.organization(r, c))
}

// deleteOrganization retires the customer: Enlace never deletes a
// customer, whose bills and history stay; the TM Forum surfaces no longer
// show it.
func (s *Server) deleteOrganization(w http.ResponseWriter, r *http.Request) error {
	return s.retire(w, r)
}

func (s *Server) retire(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.activeCustomer(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	if _, err := s.Customers.Update(r.Context(), cur.ID, customer.Input{Number: cur.Number, Name: cur.Name, Retired: true}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
