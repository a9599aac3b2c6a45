package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/porting"
)

// numberPage is one number: its particulars, and the forms of the changes
// the reader may make in its state — assign, unassign, reserve, mark as
// a test number, release — and of its details.
type numberPage struct {
	*Page
	Number    *numbering.Number
	Formatted string
	Staff     bool
	// Events are the events the reader may apply now, besides assign,
	// whose form has fields of its own.
	Events    []string
	MayAssign bool
	// Waiting tells a number porting in is not assignable yet, and When
	// says when it will be.
	Waiting    bool
	When       string
	MayDetails bool
	// Folio is the port order bringing the number in, when the reader
	// sees it.
	Folio                             string
	AssigneeKinds, Sites              []option
	UpdatedAt, AssignableAt, Assignee string
	// Open names the form that failed ("act-assign", "details"), Form
	// what it posted, shown again.
	Open string
	Form url.Values
}

// Kept returns what was typed in a field of the form that failed, or
// value when that form did not fail.
func (p *numberPage) Kept(form, field, value string) string {
	if p.Form == nil || p.Open != form {
		return value
	}
	return p.Form.Get(field)
}

// numberEvents are the events a number's page offers as buttons, in the
// order it shows them; assigning has a form of its own.
var numberEvents = []string{numbering.EventUnassign, numbering.EventReserve, numbering.EventUnreserve,
	numbering.EventMarkTest, numbering.EventRelease}

func (s *Server) number(w http.ResponseWriter, r *http.Request) {
	n, err := s.deps.Numbers.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderNumber(w, r, s.page(w, r, "numbers.number.title"), http.StatusOK, n, "")
}

// renderNumber draws a number's page; open names the form that failed,
// shown again with what was typed.
func (s *Server) renderNumber(w http.ResponseWriter, r *http.Request, p *Page, status int, n *numbering.Number, open string) {
	a := p.Actor
	np := &numberPage{Page: p, Number: n, Formatted: numbering.Format(n.E164), Staff: a.IsStaff(),
		MayAssign: numbering.Offers(a, n, numbering.EventAssign), UpdatedAt: p.DateTime(n.UpdatedAt), AssignableAt: p.DateTimePtr(n.AssignableAt),
		MayDetails: numbering.CanAssign(a) && n.State != numbering.StateReleased, Open: open}
	p.Title = np.Formatted
	if r.Method == http.MethodPost {
		np.Form = r.PostForm
	}
	for _, ev := range numberEvents {
		if numbering.Offers(a, n, ev) {
			np.Events = append(np.Events, ev)
		}
	}
	if n.AssigneeKind != "" {
		np.Assignee = p.T("numbering.assignee."+n.AssigneeKind) + " · " + n.AssigneeName
	}
	np.AssigneeKinds = translatedOptions(p, "numbering.assignee.", numbering.AssigneeKinds,
		np.Kept("act-assign", "assigneeKind", n.AssigneeKind))
	if err := s.fillNumberOrder(r, np); err != nil {
		s.fail(w, r, err)
		return
	}
	if np.MayDetails {
		if err := s.fillNumberSites(r, np); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "numbers_number", np)
}

// fillNumberOrder names the port order bringing the number in and, for a
// number porting in that cannot be assigned yet, says when it can: 24
// hours after the carrier's FOC at the latest.
func (s *Server) fillNumberOrder(r *http.Request, np *numberPage) error {
	n, p := np.Number, np.Page
	np.Waiting = n.State == numbering.StatePortingIn && n.AssignableAt == nil
	if n.PortOrderID == "" || s.deps.Porting == nil {
		return nil
	}
	v, err := s.deps.Porting.Get(r.Context(), n.PortOrderID)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	np.Folio = v.Order.Folio
	if np.Waiting {
		if at := v.Order.FOCReceivedAt; at != nil {
			np.When = p.T("numbers.number.assignable_by", "Date", p.DateTime(at.Add(porting.VisibleWithin)))
		} else {
			np.When = p.T("numbers.number.assignable_after_foc", "Folio", v.Order.Folio)
		}
	}
	return nil
}

// fillNumberSites lists the customer's sites for the details form; the
// number's own site stays offered if the reader no longer sees it.
func (s *Server) fillNumberSites(r *http.Request, np *numberPage) error {
	n, p := np.Number, np.Page
	sites, _, err := s.deps.Inventory.Sites(r.Context(), inventory.SiteFilter{CustomerID: n.CustomerID, Limit: 200})
	if err != nil {
		return err
	}
	selected := np.Kept("details", "siteId", n.SiteID)
	np.Sites = []option{{Value: "", Label: p.T("numbers.number.no_site")}}
	for _, st := range sites {
		np.Sites = append(np.Sites, option{Value: st.ID, Label: st.Name + " · " + st.City, Selected: st.ID == selected})
	}
	if n.SiteID != "" && !slices.ContainsFunc(sites, func(st inventory.Site) bool { return st.ID == n.SiteID }) {
		np.Sites = append(np.Sites, option{Value: n.SiteID, Label: n.SiteName, Selected: n.SiteID == selected})
	}
	return nil
}

// numberFlash is the message after each change of a number's state.
var numberFlash = map[string]string{
	numbering.EventAssign:    "numbers.flash.assigned",
	numbering.EventUnassign:  "numbers.flash.unassigned",
	numbering.EventReserve:   "numbers.flash.reserved",
	numbering.EventUnreserve: "numbers.flash.unreserved",
	numbering.EventMarkTest:  "numbers.flash.marked_test",
	numbering.EventRelease:   "numbers.flash.released",
}

func (s *Server) actOnNumber(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	event := f.Get("event")
	flash, ok := numberFlash[event]
	if !ok {
		s.badForm(w, r)
		return
	}
	_, err := s.deps.Numbers.Act(r.Context(), r.PathValue("id"), numbering.Action{Event: event,
		Assignee: numbering.Assignee{Kind: f.Get("assigneeKind"), Name: f.Get("assigneeName"), Ref: f.Get("assigneeRef")}})
	s.numberChanged(w, r, err, "act-"+event, flash)
}

func (s *Server) updateNumber(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	_, err := s.deps.Numbers.Update(r.Context(), r.PathValue("id"), numbering.Details{SiteID: f.Get("siteId"),
		CNAM: f.Get("cnam"), Location: f.Get("location"), Note: f.Get("note")})
	s.numberChanged(w, r, err, "details", "numbers.flash.updated")
}

// numberChanged answers a change to a number: back to its page with a
// message; or, when the change was refused for a reason the reader can
// act on, the page again with the form that failed, what was typed and
// the messages next to its fields, which the page names "<field>-<form>".
func (s *Server) numberChanged(w http.ResponseWriter, r *http.Request, err error, form, flash string) {
	id := r.PathValue("id")
	if err == nil {
		s.flash(w, flash)
		http.Redirect(w, r, "/numbers/"+url.PathEscape(id), http.StatusSeeOther)
		return
	}
	if !changeFailed(err) {
		s.fail(w, r, err)
		return
	}
	n, lerr := s.deps.Numbers.Get(r.Context(), id)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	p := s.page(w, r, "numbers.number.title")
	formErrors(p, err, form)
	s.renderNumber(w, r, p, formStatus(err), n, form)
}
