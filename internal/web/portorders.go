package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/porting"
)

// portOrdersLimit is the page size of the port order list.
const portOrdersLimit = 50

// portOrderRoutes are the pages of port orders (D2); they exist when the
// server has a porting service. The upload of an order's documents needs
// the document repository too.
func (s *Server) portOrderRoutes(mux router) {
	if s.deps.Porting == nil {
		return
	}
	mux.HandleFunc("GET /port-orders", s.active(s.portOrders))
	mux.HandleFunc("GET /port-orders/new", s.active(s.newPortOrderForm))
	mux.HandleFunc("POST /port-orders/new", s.active(s.createPortOrder))
	mux.HandleFunc("GET /port-orders/{id}", s.active(s.portOrder))
	mux.HandleFunc("GET /port-orders/{id}/edit", s.active(s.editPortOrderForm))
	mux.HandleFunc("POST /port-orders/{id}/edit", s.active(s.updatePortOrder))
	mux.HandleFunc("POST /port-orders/{id}/act", s.active(s.actOnPortOrder))
	mux.HandleFunc("GET /port-orders/{id}/sign", s.active(s.signForm))
	mux.HandleFunc("POST /port-orders/{id}/sign", s.active(s.signPortOrder))
	if s.deps.Documents != nil {
		mux.HandleFunc("POST /port-orders/{id}/documents", s.active(s.attachToPortOrder))
	}
}

// portOrdersPage lists port orders, newest first: staff see every
// customer's and filter by customer and state, customer users their own.
type portOrdersPage struct {
	*Page
	Staff, CanManage  bool
	Customer, State   string
	Customers, States []option
	Rows              []portOrderRow
	Pager             *pager
}

// portOrderRow is an order as the list shows it.
type portOrderRow struct {
	ID, Folio, Customer, State, Requested, FOC string
	Numbers                                    int
}

func (s *Server) portOrders(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	p := s.page(w, r, "portorders.list.title")
	q := r.URL.Query()
	lp := portOrdersPage{Page: p, Staff: a.IsStaff(), CanManage: porting.CanManage(a), State: q.Get("state")}
	if lp.State != "" && !slices.Contains(porting.States, lp.State) {
		p.Summary, lp.State = p.T("web.error.bad_filter"), ""
	}
	lp.States = append([]option{{Value: "", Label: p.T("portorders.list.all_states")}},
		translatedOptions(p, "porting.state.", porting.States, lp.State)...)
	if lp.Staff {
		lp.Customer = q.Get("customer")
		if len(lp.Customer) > 64 {
			p.Summary, lp.Customer = p.T("web.error.bad_filter"), ""
		}
		cs, err := s.deps.Customers.List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		lp.Customers = customerOptions(p, cs, lp.Customer)
	}
	page := pageNumber(r)
	list, total, err := s.deps.Porting.List(r.Context(), porting.Filter{CustomerID: lp.Customer, State: lp.State,
		Offset: (page - 1) * portOrdersLimit, Limit: portOrdersLimit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, o := range list {
		lp.Rows = append(lp.Rows, portOrderRow{ID: o.ID, Folio: o.Folio, Customer: o.CustomerName, State: o.State,
			Requested: s.portDate(p, o.RequestedDate), FOC: s.portDatePtr(p, o.FOCDate), Numbers: o.NumberCount})
	}
	lp.Pager = newPager(p, r, page, portOrdersLimit, total)
	s.render(w, r, http.StatusOK, "portorders_list", lp)
}

// portDate writes a port date — a day in the provider's time zone, kept
// as its first instant — in the page's language.
func (s *Server) portDate(p *Page, t time.Time) string {
	return p.loc.Date(t.In(s.deps.Porting.Location()))
}

// portDatePtr is portDate of an optional date, empty when unset.
func (s *Server) portDatePtr(p *Page, t *time.Time) string {
	if t == nil {
		return ""
	}
	return s.portDate(p, *t)
}

// orderPath is the page of a port order.
func orderPath(id string) string { return "/port-orders/" + url.PathEscape(id) }
