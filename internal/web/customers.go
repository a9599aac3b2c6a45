package web

import (
	"net/http"
	"net/url"

	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// customersPage is the staff list of customers (B1), searchable by number
// and name, retired ones marked.
type customersPage struct {
	*Page
	Customers []customer.Customer
	Pager     *pager
	Query     string
	Show      string
	Shows     []option
	CanManage bool
}

// staffOnly answers a customer user on a staff page: forbidden, as every
// page their role does not reach.
func staffOnly(a *enlace.Actor) error {
	if a.IsStaff() {
		return nil
	}
	return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
}

func (s *Server) customers(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	if err := staffOnly(a); err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	p := s.page(w, r, "customers.web.title")
	cp := customersPage{Page: p, Query: q.Get("q"), Show: q.Get("show"), CanManage: customer.CanManage(a)}
	f := customer.Filter{}
	switch cp.Show {
	case "", "active":
		cp.Show, f.Retired = "active", new(bool)
	case "retired":
		retired := true
		f.Retired = &retired
	case "all":
	default:
		s.badForm(w, r)
		return
	}
	cp.Shows = translatedOptions(p, "customers.web.show_", []string{"active", "retired", "all"}, cp.Show)
	if cp.Query != "" {
		f.Query = &cp.Query
	}
	page := pageNumber(r)
	f.Offset, f.Limit = (page-1)*listLimit, listLimit
	cs, total, err := s.deps.Customers.Find(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cp.Customers, cp.Pager = cs, newPager(p, r, page, listLimit, total)
	s.render(w, r, http.StatusOK, "customers", cp)
}

// customerPage is one customer for staff: its billing accounts, its
// contacts of both kinds, and links to its users.
type customerPage struct {
	*Page
	Customer  *customer.Customer
	Accounts  []customer.BillingAccount
	Sections  []contactSection
	CanManage bool
	CanEdit   bool
}

// Phone shows an E.164 number in its country's usual format.
func (p customerPage) Phone(e164 string) string { return contact.FormatPhone(e164) }

func (s *Server) customer(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	c, err := s.deps.Customers.Get(r.Context(), r.PathValue("id"))
	if err == nil {
		err = staffOnly(a)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "customers.web.title")
	p.Title = c.Name
	cp := customerPage{Page: p, Customer: c, CanManage: customer.CanManage(a), CanEdit: contact.CanEdit(a, c.ID)}
	if cp.Accounts, err = s.deps.Customers.BillingAccounts(r.Context(), c.ID); err == nil {
		cp.Sections, err = s.contactsByKind(r, c.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "customer", cp)
}

// contactSection is one kind of contact with the customer's contacts of
// that kind: a section of the contacts and customer pages.
type contactSection struct {
	Kind     string
	Contacts []contact.Contact
}

// contactsByKind reads a customer's contacts, one section per kind in the
// order screens show them, principal ones first.
func (s *Server) contactsByKind(r *http.Request, customerID string) ([]contactSection, error) {
	sections := make([]contactSection, 0, len(contact.Kinds))
	for _, kind := range contact.Kinds {
		cs, _, err := s.deps.Contacts.Find(r.Context(), contact.Filter{CustomerID: &customerID, Kind: &kind, Limit: 200})
		if err != nil {
			return nil, err
		}
		sections = append(sections, contactSection{Kind: kind, Contacts: cs})
	}
	return sections, nil
}

// customerFormPage creates or edits a customer.
type customerFormPage struct {
	*Page
	ID                    string // empty when creating
	Number, Name          string
	Retired               bool
	Action, Cancel, Label string
}

func (s *Server) newCustomerForm(w http.ResponseWriter, r *http.Request) {
	if !customer.CanManage(visitOf(r).principal.Actor) {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
		return
	}
	p := s.page(w, r, "customers.web.new")
	s.render(w, r, http.StatusOK, "customer_form", customerFormPage{Page: p, Action: "/customers/new", Cancel: "/customers"})
}

func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	in := customer.Input{Number: r.PostForm.Get("number"), Name: r.PostForm.Get("name")}
	c, err := s.deps.Customers.Create(r.Context(), in)
	if err == nil {
		s.flash(w, "web.flash.customer_created")
		http.Redirect(w, r, "/customers/"+url.PathEscape(c.ID), http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "customers.web.new")
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, formStatus(err), "customer_form", customerFormPage{Page: p, Number: in.Number, Name: in.Name,
		Action: "/customers/new", Cancel: "/customers"})
}

func (s *Server) editCustomerForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.deps.Customers.Get(r.Context(), r.PathValue("id"))
	if err == nil && !customer.CanManage(visitOf(r).principal.Actor) {
		err = enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "customers.web.edit")
	link := "/customers/" + url.PathEscape(c.ID)
	s.render(w, r, http.StatusOK, "customer_form", customerFormPage{Page: p, ID: c.ID, Number: c.Number, Name: c.Name,
		Retired: c.Retired, Action: link + "/edit", Cancel: link})
}

func (s *Server) updateCustomer(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	retired, ok := checkbox(r.PostForm.Get("retired"))
	if !ok {
		s.badForm(w, r)
		return
	}
	id := r.PathValue("id")
	in := customer.Input{Number: r.PostForm.Get("number"), Name: r.PostForm.Get("name"), Retired: retired}
	_, err := s.deps.Customers.Update(r.Context(), id, in)
	link := "/customers/" + url.PathEscape(id)
	if err == nil {
		s.flash(w, "web.flash.customer_saved")
		http.Redirect(w, r, link, http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "customers.web.edit")
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, formStatus(err), "customer_form", customerFormPage{Page: p, ID: id, Number: in.Number, Name: in.Name,
		Retired: in.Retired, Action: link + "/edit", Cancel: link})
}

// accountFormPage creates or edits a billing account of a customer.
type accountFormPage struct {
	*Page
	ID             string // empty when creating
	Customer       *customer.Customer
	Number, Name   string
	Retired        bool
	Action, Cancel string
}

func (s *Server) newAccountForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.deps.Customers.Get(r.Context(), r.PathValue("id"))
	if err == nil && !customer.CanManage(visitOf(r).principal.Actor) {
		err = enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "customers.web.account_new")
	link := "/customers/" + url.PathEscape(c.ID)
	s.render(w, r, http.StatusOK, "customer_account_form", accountFormPage{Page: p, Customer: c,
		Action: link + "/accounts/new", Cancel: link})
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	in := customer.AccountInput{CustomerID: r.PathValue("id"), Number: r.PostForm.Get("number"), Name: r.PostForm.Get("name")}
	_, err := s.deps.Customers.CreateBillingAccount(r.Context(), in)
	link := "/customers/" + url.PathEscape(in.CustomerID)
	if err == nil {
		s.flash(w, "web.flash.account_created")
		http.Redirect(w, r, link, http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "customers.web.account_new")
	c, cerr := s.deps.Customers.Get(r.Context(), in.CustomerID)
	if cerr != nil || !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, formStatus(err), "customer_account_form", accountFormPage{Page: p, Customer: c, Number: in.Number,
		Name: in.Name, Action: link + "/accounts/new", Cancel: link})
}

func (s *Server) editAccountForm(w http.ResponseWriter, r *http.Request) {
	b, err := s.deps.Customers.BillingAccount(r.Context(), r.PathValue("id"))
	var c *customer.Customer
	if err == nil {
		c, err = s.deps.Customers.Get(r.Context(), b.CustomerID)
	}
	if err == nil && !customer.CanManage(visitOf(r).principal.Actor) {
		err = enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "customers.web.account_edit")
	s.render(w, r, http.StatusOK, "customer_account_form", accountFormPage{Page: p, ID: b.ID, Customer: c, Number: b.Number,
		Name: b.Name, Retired: b.Retired, Action: "/billing-accounts/" + url.PathEscape(b.ID) + "/edit",
		Cancel: "/customers/" + url.PathEscape(c.ID)})
}

func (s *Server) updateAccount(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	retired, ok := checkbox(r.PostForm.Get("retired"))
	if !ok {
		s.badForm(w, r)
		return
	}
	id := r.PathValue("id")
	in := customer.AccountInput{Number: r.PostForm.Get("number"), Name: r.PostForm.Get("name"), Retired: retired}
	b, err := s.deps.Customers.UpdateBillingAccount(r.Context(), id, in)
	if err == nil {
		s.flash(w, "web.flash.account_saved")
		http.Redirect(w, r, "/customers/"+url.PathEscape(b.CustomerID), http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "customers.web.account_edit")
	cur, berr := s.deps.Customers.BillingAccount(r.Context(), id)
	if berr != nil || !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	c, cerr := s.deps.Customers.Get(r.Context(), cur.CustomerID)
	if cerr != nil {
		s.fail(w, r, cerr)
		return
	}
	s.render(w, r, formStatus(err), "customer_account_form", accountFormPage{Page: p, ID: id, Customer: c, Number: in.Number,
		Name: in.Name, Retired: in.Retired, Action: "/billing-accounts/" + url.PathEscape(id) + "/edit",
		Cancel: "/customers/" + url.PathEscape(c.ID)})
}

// accountInfoPage is "Account information" (B4): the billing accounts the
// signed-in customer user can see.
type accountInfoPage struct {
	*Page
	Customer *customer.Customer
	Accounts []customer.BillingAccount
}

func (s *Server) accountInfo(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	if a.IsStaff() {
		http.Redirect(w, r, "/customers", http.StatusSeeOther) // staff see every customer there
		return
	}
	c, err := s.deps.Customers.Get(r.Context(), a.CustomerID)
	var bs []customer.BillingAccount
	if err == nil {
		bs, err = s.deps.Customers.BillingAccounts(r.Context(), a.CustomerID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "customers.info.title")
	s.render(w, r, http.StatusOK, "customer_info", accountInfoPage{Page: p, Customer: c, Accounts: bs})
}
