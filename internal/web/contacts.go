package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// contactsPage lists a customer's contacts (B3) in two sections,
// administrative and technical, principal ones first. Customer users see
// their own customer's; staff pick the customer.
type contactsPage struct {
	*Page
	Customer   *customer.Customer
	Customers  []customer.Customer // the staff picker
	CustomerID string
	Sections   []contactSection
	CanEdit    bool
	Choose     bool
}

// Phone shows an E.164 number in its country's usual format.
func (p contactsPage) Phone(e164 string) string { return contact.FormatPhone(e164) }

func (s *Server) contacts(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	p := s.page(w, r, "contacts.web.title")
	cp := contactsPage{Page: p, CustomerID: scopeCustomer(r)}
	if a.IsStaff() {
		cs, err := s.deps.Customers.List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		cp.Customers, cp.Choose = cs, cp.CustomerID == ""
	}
	if !cp.Choose {
		var err error
		if cp.Customer, err = s.deps.Customers.Get(r.Context(), cp.CustomerID); err == nil {
			cp.Sections, err = s.contactsByKind(r, cp.CustomerID)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		cp.CanEdit = contact.CanEdit(a, cp.CustomerID)
	}
	s.render(w, r, http.StatusOK, "contacts", cp)
}

// contactFormPage creates or edits a contact. Required fields are marked
// with * in the form.
type contactFormPage struct {
	*Page
	ID                              string // empty when creating
	Customer                        *customer.Customer
	CustomerQuery                   string
	Kind                            string
	Principal                       bool
	FirstName, LastName, Phone, Ext string
	Mobile, Role, Email, JobTitle   string
	Kinds, Roles                    []option
	Action                          string
}

// contactForm fills the choices of the form.
func (s *Server) contactForm(r *http.Request, p *Page, c *customer.Customer, in contact.Input) contactFormPage {
	cf := contactFormPage{Page: p, Customer: c, CustomerQuery: customerQuery(c.ID, visitOf(r).principal.Actor.IsStaff()),
		Kind: in.Kind, Principal: in.Principal, FirstName: in.FirstName, LastName: in.LastName, Phone: in.Phone,
		Ext: in.Extension, Mobile: in.Mobile, Role: in.Role, Email: in.Email, JobTitle: in.JobTitle,
		Kinds: translatedOptions(p, "contacts.kind.", contact.Kinds, in.Kind),
		Roles: append([]option{{Value: "", Label: p.T("contacts.web.no_role"), Selected: in.Role == ""}},
			translatedOptions(p, "contacts.role.", contact.Roles, in.Role)...)}
	return cf
}

// formContact reads the posted contact form.
func formContact(r *http.Request, customerID string) (contact.Input, bool) {
	f := r.PostForm
	principal, ok := checkbox(f.Get("principal"))
	return contact.Input{CustomerID: customerID, Kind: f.Get("kind"), Principal: principal, FirstName: f.Get("first_name"),
		LastName: f.Get("last_name"), Phone: f.Get("phone"), Extension: f.Get("extension"), Mobile: f.Get("mobile"),
		Role: f.Get("contact_role"), Email: f.Get("email"), JobTitle: f.Get("job_title")}, ok
}

func (s *Server) newContactForm(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	c, err := s.deps.Customers.Get(r.Context(), scopeCustomer(r))
	if err == nil && !contact.CanEdit(a, c.ID) {
		err = enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	kind := r.URL.Query().Get("kind")
	if !slices.Contains(contact.Kinds, kind) {
		kind = contact.KindAdministrative
	}
	p := s.page(w, r, "contacts.web.new")
	cf := s.contactForm(r, p, c, contact.Input{Kind: kind})
	cf.Action = "/contacts/new" + cf.CustomerQuery
	s.render(w, r, http.StatusOK, "contact_form", cf)
}

func (s *Server) createContact(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	in, ok := formContact(r, scopeCustomer(r))
	if !ok {
		s.badForm(w, r)
		return
	}
	_, err := s.deps.Contacts.Create(r.Context(), in)
	back := "/contacts" + customerQuery(in.CustomerID, visitOf(r).principal.Actor.IsStaff())
	if err == nil {
		s.flash(w, "web.flash.contact_created")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	s.contactFormError(w, r, "contacts.web.new", "", in, err)
}

// contactFormError re-renders the form with the service's field errors,
// or fails the request for any other error.
func (s *Server) contactFormError(w http.ResponseWriter, r *http.Request, title, id string, in contact.Input, err error) {
	p := s.page(w, r, title)
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	c, cerr := s.deps.Customers.Get(r.Context(), in.CustomerID)
	if cerr != nil {
		s.fail(w, r, cerr)
		return
	}
	cf := s.contactForm(r, p, c, in)
	cf.ID, cf.Action = id, "/contacts/new"+cf.CustomerQuery
	if id != "" {
		cf.Action = "/contacts/" + url.PathEscape(id)
	}
	s.render(w, r, formStatus(err), "contact_form", cf)
}

func (s *Server) editContactForm(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	k, err := s.deps.Contacts.Get(r.Context(), r.PathValue("id"))
	var c *customer.Customer
	if err == nil {
		c, err = s.contactCustomer(r, k)
	}
	if err == nil && !contact.CanEdit(a, k.CustomerID) {
		err = enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "contacts.web.edit")
	// Phones are edited in the format people read them in.
	cf := s.contactForm(r, p, c, contact.Input{Kind: k.Kind, Principal: k.Principal, FirstName: k.FirstName, LastName: k.LastName,
		Phone: contact.FormatPhone(k.Phone), Extension: k.Extension, Mobile: contact.FormatPhone(k.Mobile), Role: k.Role,
		Email: k.Email, JobTitle: k.JobTitle})
	cf.ID, cf.Action = k.ID, "/contacts/"+url.PathEscape(k.ID)
	s.render(w, r, http.StatusOK, "contact_form", cf)
}

// contactCustomer is the customer a contact belongs to. A party pushed by
// a CRM with no customer has no page here: staff link it through TMF632
// first.
func (s *Server) contactCustomer(r *http.Request, k *contact.Contact) (*customer.Customer, error) {
	if k.CustomerID == "" {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return s.deps.Customers.Get(r.Context(), k.CustomerID)
}

func (s *Server) updateContact(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	cur, err := s.deps.Contacts.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, ok := formContact(r, cur.CustomerID)
	if !ok {
		s.badForm(w, r)
		return
	}
	if _, err = s.deps.Contacts.Update(r.Context(), id, in); err == nil {
		s.flash(w, "web.flash.contact_saved")
		http.Redirect(w, r, "/contacts"+customerQuery(cur.CustomerID, visitOf(r).principal.Actor.IsStaff()), http.StatusSeeOther)
		return
	}
	s.contactFormError(w, r, "contacts.web.edit", id, in, err)
}

func (s *Server) deleteContact(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	cur, err := s.deps.Contacts.Get(r.Context(), id)
	if err == nil {
		err = s.deps.Contacts.Delete(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, "web.flash.contact_deleted")
	http.Redirect(w, r, "/contacts"+customerQuery(cur.CustomerID, visitOf(r).principal.Actor.IsStaff()), http.StatusSeeOther)
}
