package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// Entering a port order is two pages, like raising a request: the
// customer first, then the order — its signer, project and site are the
// customer's, so the form lists them once the customer is known. Editing
// an order is the second page with the order's customer.

// portOrderFormPage is the form of a new or edited port order.
type portOrderFormPage struct {
	*Page
	// Order is the order edited; nil for a new one.
	Order *porting.Order
	// Customer is the customer the order is for; nil while a new order's
	// customer is still to be chosen from Customers.
	Customer                            *customer.Customer
	In                                  portOrderInput
	Customers, Signers, Projects, Sites []option
	// Earliest explains the earliest port date the documents allow.
	Earliest string
	// LineErrors are the problems of the numbers, line by line.
	LineErrors []lineError
	Action     string
}

// portOrderInput is what the form carries, shown again when it fails.
type portOrderInput struct {
	SignerUserID, ProjectID, SiteID, AccountName, ServiceAddress, RequestedDate, Numbers string
}

// lineError is a problem of one of the order's numbers; Field names it
// (lines[i]) for the error summary's link.
type lineError struct{ Field, Message string }

// visibleOrder returns the order at the route's id, or answers the
// request when the reader does not see it. The changes that need the
// project manager's role load the order first, so that another
// customer's order is not found before the reader's role is refused.
func (s *Server) visibleOrder(w http.ResponseWriter, r *http.Request) *porting.View {
	v, err := s.deps.Porting.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	return v
}

// mayManageOrders refuses the pages that enter port orders to whoever
// may not run them, and reports whether the request may go on.
func (s *Server) mayManageOrders(w http.ResponseWriter, r *http.Request) bool {
	if porting.CanManage(visitOf(r).principal.Actor) {
		return true
	}
	s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "porting.error.forbidden"))
	return false
}

func (s *Server) newPortOrderForm(w http.ResponseWriter, r *http.Request) {
	if !s.mayManageOrders(w, r) {
		return
	}
	s.renderPortOrderForm(w, r, s.page(w, r, "portorders.new.title"), http.StatusOK, nil, portOrderInput{})
}

func (s *Server) editPortOrderForm(w http.ResponseWriter, r *http.Request) {
	v := s.visibleOrder(w, r)
	if v == nil || !s.mayManageOrders(w, r) {
		return
	}
	if !editable(v.Order) {
		s.fail(w, r, enlace.Errorf(enlace.ECONFLICT, "portorders.error.not_editable"))
		return
	}
	o := v.Order
	in := portOrderInput{SignerUserID: o.SignerUserID, ProjectID: o.ProjectID, SiteID: o.SiteID, AccountName: o.AccountName,
		ServiceAddress: o.ServiceAddress, RequestedDate: o.RequestedDate.In(s.deps.Porting.Location()).Format(time.DateOnly),
		Numbers: linesText(v.Lines)}
	s.renderPortOrderForm(w, r, s.page(w, r, "portorders.edit.title"), http.StatusOK, v, in)
}

// editable reports whether an order's numbers and details may still be
// changed: a draft, one awaiting its signature (which it then needs
// again) or one the carrier raised an exception on.
func editable(o *porting.Order) bool {
	return o.State == porting.StateDraft || o.State == porting.StateAwaitingSignature || o.State == porting.StateException
}

// linesText writes an order's numbers as the form's text area takes them.
func linesText(lines []porting.Line) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.E164 + ", " + l.Carrier)
		if l.AccountNumber != "" {
			b.WriteString(", " + l.AccountNumber)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// renderPortOrderForm draws the form: for a new order without a customer
// the choice of customer, otherwise the order's fields with the
// customer's signers, active projects and sites. v is the order edited,
// nil for a new one.
func (s *Server) renderPortOrderForm(w http.ResponseWriter, r *http.Request, p *Page, status int, v *porting.View, in portOrderInput) {
	ctx := r.Context()
	fp := portOrderFormPage{Page: p, In: in, LineErrors: lineErrors(p)}
	customerID := r.URL.Query().Get("customer")
	if v != nil {
		fp.Order, customerID = v.Order, v.Order.CustomerID
		fp.Action = orderPath(v.Order.ID) + "/edit"
	}
	if customerID == "" {
		cs, err := s.deps.Customers.List(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		fp.Customers = []option{{Value: "", Label: p.T("numbers.choose_customer")}}
		for _, c := range cs {
			fp.Customers = append(fp.Customers, option{Value: c.ID, Label: c.Name + " (" + c.Number + ")"})
		}
		s.render(w, r, status, "portorders_form", fp)
		return
	}
	c, err := s.deps.Customers.Get(ctx, customerID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fp.Customer = c
	var e porting.Earliest
	if v != nil {
		e = v.Earliest
	} else {
		fp.Action = "/port-orders/new?customer=" + url.QueryEscape(c.ID)
		e, err = s.deps.Porting.EarliestNew(ctx)
	}
	if err == nil {
		err = s.fillOrderChoices(r, &fp)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fp.Earliest = earliestText(p, e)
	s.render(w, r, status, "portorders_form", fp)
}

// fillOrderChoices lists the customer's people who may sign the LOA, its
// active projects (when the server runs projects) and its sites.
func (s *Server) fillOrderChoices(r *http.Request, fp *portOrderFormPage) error {
	ctx, p, c, in := r.Context(), fp.Page, fp.Customer, fp.In
	signers, err := s.deps.Porting.Signers(ctx, c.ID)
	if err != nil {
		return err
	}
	fp.Signers = []option{{Value: "", Label: p.T("portorders.form.choose_signer")}}
	for _, m := range signers {
		fp.Signers = append(fp.Signers, option{Value: m.ID, Label: m.Name() + " · " + m.Email + " · " + p.T("web.role."+m.Membership.Role),
			Selected: m.ID == in.SignerUserID})
	}
	fp.Projects = []option{{Value: "", Label: p.T("portorders.form.no_project")}}
	if s.deps.Projects != nil {
		active := activation.ProjectActive
		projects, _, err := s.deps.Projects.Projects(ctx, activation.ProjectFilter{CustomerID: c.ID, Status: &active, Limit: 100})
		if err != nil {
			return err
		}
		for _, pr := range projects {
			fp.Projects = append(fp.Projects, option{Value: pr.ID, Label: pr.Folio + " · " + pr.Title, Selected: pr.ID == in.ProjectID})
		}
	}
	sites, _, err := s.deps.Inventory.Sites(ctx, inventory.SiteFilter{CustomerID: c.ID, Limit: 200})
	if err != nil {
		return err
	}
	fp.Sites = []option{{Value: "", Label: p.T("portorders.form.no_site")}}
	for _, st := range sites {
		fp.Sites = append(fp.Sites, option{Value: st.ID, Label: st.Name + " · " + st.City, Selected: st.ID == in.SiteID})
	}
	return nil
}

// lineErrors lists the problems of the numbers in line order: the
// service reports them on the fields lines[0], lines[1], …, and on
// "lines" for the list as a whole, which comes first.
func lineErrors(p *Page) []lineError {
	var out []lineError
	at := map[string]int{"lines": -1}
	for field, m := range p.Errors {
		if i, ok := strings.CutPrefix(field, "lines["); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(i, "]"))
			if err != nil {
				continue
			}
			at[field] = n
		} else if field != "lines" {
			continue
		}
		out = append(out, lineError{Field: field, Message: m})
	}
	slices.SortFunc(out, func(a, b lineError) int { return at[a.Field] - at[b.Field] })
	return out
}

// earliestText explains the earliest port date in the reader's language,
// the dates written as the reader writes them and a missing document by
// its name.
func earliestText(p *Page, e porting.Earliest) string {
	args := make(map[string]any, len(e.Args))
	for k, v := range e.Args {
		args[k] = v
	}
	for _, k := range []string{"Date", "Received"} {
		if d, err := schedule.ParseDate(e.Args[k]); err == nil {
			args[k] = p.loc.Date(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
		}
	}
	if kind := e.Args["Missing"]; kind != "" {
		args["Missing"] = p.T("porting.doc." + kind)
	}
	return p.loc.TMap(e.Key, args)
}

// readOrderForm reads the order's fields and numbers from a posted form.
func readOrderForm(f url.Values) (portOrderInput, porting.Input) {
	in := portOrderInput{SignerUserID: f.Get("signerUserId"), ProjectID: f.Get("projectId"), SiteID: f.Get("siteId"),
		AccountName: f.Get("accountName"), ServiceAddress: f.Get("serviceAddress"), RequestedDate: f.Get("requestedDate"),
		Numbers: f.Get("lines")}
	// A date the browser's date input did not write is no date: the
	// service asks for one.
	day, _ := schedule.ParseDate(strings.TrimSpace(in.RequestedDate))
	return in, porting.Input{SiteID: in.SiteID, ProjectID: in.ProjectID, RequestedDate: day, SignerUserID: in.SignerUserID,
		AccountName: in.AccountName, ServiceAddress: in.ServiceAddress, Lines: parseOrderLines(in.Numbers)}
}

// parseOrderLines reads the numbers' text area: one number per line,
// "number, current carrier, account number", separated by commas,
// semicolons or tabs (as a spreadsheet's cells paste). Blank lines are
// skipped.
func parseOrderLines(text string) []porting.LineInput {
	var out []porting.LineInput
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		sep := ","
		switch {
		case strings.Contains(line, "\t"):
			sep = "\t"
		case strings.Contains(line, ";"):
			sep = ";"
		}
		cells := strings.SplitN(line, sep, 3)
		for len(cells) < 3 {
			cells = append(cells, "")
		}
		out = append(out, porting.LineInput{Number: strings.TrimSpace(cells[0]), Carrier: strings.TrimSpace(cells[1]),
			AccountNumber: strings.TrimSpace(cells[2])})
	}
	return out
}

func (s *Server) createPortOrder(w http.ResponseWriter, r *http.Request) {
	if !s.mayManageOrders(w, r) || !s.parseForm(w, r) {
		return
	}
	in, input := readOrderForm(r.PostForm)
	input.CustomerID = r.URL.Query().Get("customer")
	v, err := s.deps.Porting.Create(r.Context(), input)
	if err == nil {
		s.flash(w, "portorders.flash.created")
		http.Redirect(w, r, orderPath(v.Order.ID), http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "portorders.new.title")
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	s.renderPortOrderForm(w, r, p, formStatus(err), nil, in)
}

func (s *Server) updatePortOrder(w http.ResponseWriter, r *http.Request) {
	v := s.visibleOrder(w, r)
	if v == nil || !s.parseForm(w, r) {
		return
	}
	in, input := readOrderForm(r.PostForm)
	_, err := s.deps.Porting.Update(r.Context(), v.Order.ID, input)
	if err == nil {
		s.flash(w, "portorders.flash.updated")
		http.Redirect(w, r, orderPath(v.Order.ID), http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "portorders.edit.title")
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	s.renderPortOrderForm(w, r, p, formStatus(err), v, in)
}

// orderFormLimit is the body limit of the order form: its longest
// numbers list with the longest carrier names and account numbers.
const orderFormLimit = porting.MaxLines*512 + 64<<10
