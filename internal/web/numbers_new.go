package web

import (
	"net/http"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// numbersFormPage is the form staff add a number or a range of numbers
// with: the customer, the first and last number, the state they start in,
// and the caller name, emergency location and remark they share.
type numbersFormPage struct {
	*Page
	In                numbering.AddInput
	Customers, States []option
	Max               int
}

// addStates are the states numbers can be added in, as the form offers
// them.
var addStates = []string{numbering.StateAvailable, numbering.StateTest, numbering.StateReserved}

// mayManageNumbers refuses the staff's pages that add and import numbers
// to whoever may not keep the inventory, and reports whether the request
// may go on.
func (s *Server) mayManageNumbers(w http.ResponseWriter, r *http.Request) bool {
	if numbering.CanManage(visitOf(r).principal.Actor) {
		return true
	}
	s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
	return false
}

func (s *Server) newNumbersForm(w http.ResponseWriter, r *http.Request) {
	if !s.mayManageNumbers(w, r) {
		return
	}
	in := numbering.AddInput{CustomerID: r.URL.Query().Get("customer"), State: numbering.StateAvailable}
	s.renderNumbersForm(w, r, s.page(w, r, "numbers.new.title"), http.StatusOK, in)
}

func (s *Server) renderNumbersForm(w http.ResponseWriter, r *http.Request, p *Page, status int, in numbering.AddInput) {
	cs, err := s.deps.Customers.List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fp := numbersFormPage{Page: p, In: in, States: translatedOptions(p, "numbering.state.", addStates, in.State),
		Max: numbering.MaxRange}
	fp.Customers = []option{{Value: "", Label: p.T("numbers.choose_customer")}}
	for _, c := range cs {
		fp.Customers = append(fp.Customers, option{Value: c.ID, Label: c.Name + " (" + c.Number + ")", Selected: c.ID == in.CustomerID})
	}
	s.render(w, r, status, "numbers_new", fp)
}

// addNumbers adds the number or range; the list of the customer's numbers
// greets the reader with how many. A number another customer holds is
// refused with the form kept.
func (s *Server) addNumbers(w http.ResponseWriter, r *http.Request) {
	if !s.mayManageNumbers(w, r) || !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	in := numbering.AddInput{CustomerID: f.Get("customerId"), From: f.Get("from"), To: f.Get("to"), State: f.Get("state"),
		Details: numbering.Details{CNAM: f.Get("cnam"), Location: f.Get("location"), Note: f.Get("note")}}
	ns, err := s.deps.Numbers.Add(r.Context(), in)
	if err == nil {
		flash := "numbers.flash.added"
		if len(ns) > 1 {
			flash = "numbers.flash.added_range"
		}
		s.flash(w, flash)
		http.Redirect(w, r, "/numbers"+customerQuery(in.CustomerID, true), http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "numbers.new.title")
	if !formError(p, err) {
		if enlace.ErrorCode(err) != enlace.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		p.Summary = p.loc.Error(err)
	}
	s.renderNumbersForm(w, r, p, formStatus(err), in)
}
