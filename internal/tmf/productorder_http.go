package tmf

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/ordering"
)

// versioned is a handler of an API served in several versions.
type versioned func(*Server, http.ResponseWriter, *http.Request, apiVersion) error

func (v apiVersion) route(method, path string, h versioned) route {
	return route{method, v.path + path, func(s *Server, w http.ResponseWriter, r *http.Request) error {
		if s.Ordering == nil {
			return statusError(http.StatusNotFound, "tmf.route_not_found")
		}
		return h(s, w, r, v)
	}}
}

// productOrderRoutes are the routes of TMF622, in v4 and v5.
func productOrderRoutes() []route {
	var rs []route
	for _, v := range []apiVersion{orderingV4, orderingV5} {
		rs = append(rs,
			v.route("GET", "/productOrder", (*Server).listProductOrders),
			v.route("POST", "/productOrder", (*Server).createProductOrder),
			v.route("GET", "/productOrder/{id}", (*Server).getProductOrder),
			v.route("PATCH", "/productOrder/{id}", (*Server).patchProductOrder),
			v.route("DELETE", "/productOrder/{id}", (*Server).deleteProductOrder),
			v.route("GET", "/cancelProductOrder", (*Server).listCancelProductOrders),
			v.route("POST", "/cancelProductOrder", (*Server).createCancelProductOrder),
			v.route("GET", "/cancelProductOrder/{id}", (*Server).getCancelProductOrder),
			v.route("POST", "/hub", (*Server).createHub),
			v.route("DELETE", "/hub/{id}", (*Server).deleteHub),
		)
	}
	return append(rs, orderingV5.route("GET", "/hub/{id}", (*Server).getHub))
}

func (s *Server) localizer(r *http.Request) *i18n.Localizer {
	return s.Catalog.Localizer(s.Catalog.Match(r.Header.Get("Accept-Language")))
}

// body reads a JSON object body, kept raw for the service to read.
func (s *Server) body(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	var raw json.RawMessage
	if err := s.decode(w, r, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

func (s *Server) listProductOrders(w http.ResponseWriter, r *http.Request, v apiVersion) error {
	l, err := readList(r)
	if err != nil {
		return err
	}
	f := ordering.OrderFilter{ID: filter(r, "id"), ExternalID: filter(r, "externalId"), Category: filter(r, "category"),
		Priority: filter(r, "priority"), States: states(r), Offset: l.offset, Limit: l.limit}
	if f.OrderDate, err = dateConditions(r, "orderDate", "creationDate"); err != nil {
		return err
	}
	orders, total, err := s.Ordering.Orders(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(orders))
	loc := s.localizer(r)
	for i := range orders {
		if out[i], err = renderOrder(&orders[i], v, s.base(r), loc); err != nil {
			return err
		}
	}
	return writeCollection(w, out, total, l)
}

// states reads a state filter: state=a,b or state=a&state=b; nil when
// absent.
func states(r *http.Request) []string {
	var out []string
	for _, v := range r.URL.Query()["state"] {
		for st := range strings.SplitSeq(v, ",") {
			if st = strings.TrimSpace(st); st != "" {
				out = append(out, st)
			}
		}
	}
	return out
}

// dateConditions reads the filters on a date attribute, under any of its
// names: attr=…, attr.gt=…, .gte, .lt, .lte, .eq.
func dateConditions(r *http.Request, names ...string) ([]ordering.DateCondition, error) {
	var out []ordering.DateCondition
	q := r.URL.Query()
	for _, name := range names {
		for _, op := range []string{"", "eq", "gt", "gte", "lt", "lte"} {
			key := name
			if op != "" {
				key += "." + op
			} else {
				op = "eq"
			}
			for _, val := range q[key] {
				at, err := parseDate(val)
				if err != nil || at.IsZero() {
					return nil, statusError(http.StatusBadRequest, "tmf622.date_filter", "Name", key)
				}
				out = append(out, ordering.DateCondition{Op: op, At: at})
			}
		}
	}
	return out, nil
}

func (s *Server) writeOrder(w http.ResponseWriter, r *http.Request, status int, po *ordering.ProductOrder, v apiVersion) error {
	out, err := renderOrder(po, v, s.base(r), s.localizer(r))
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", out["href"].(string))
	}
	return writeOne(w, r, status, out)
}

func (s *Server) getProductOrder(w http.ResponseWriter, r *http.Request, v apiVersion) error {
	po, err := s.Ordering.Order(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.writeOrder(w, r, http.StatusOK, po, v)
}

func (s *Server) createProductOrder(w http.ResponseWriter, r *http.Request, v apiVersion) error {
	raw, err := s.body(w, r)
	if err != nil {
		return err
	}
	if err := s.Ordering.CheckWrite(r.Context()); err != nil {
		return err
	}
	in, err := parseOrder(raw)
	if err != nil {
		return err
	}
	po, err := s.Ordering.Create(r.Context(), in)
	if err != nil {
		return err
	}
	return s.writeOrder(w, r, http.StatusCreated, po, v)
}

func (s *Server) patchProductOrder(w http.ResponseWriter, r *http.Request, v apiVersion) error {
	raw, err := s.body(w, r)
	if err != nil {
		return err
	}
	patch, err := decodeObject(raw)
	if err != nil {
		return err
	}
	po, err := s.Ordering.Patch(r.Context(), r.PathValue("id"), patch, parseOrder)
	if err != nil {
		return err
	}
	return s.writeOrder(w, r, http.StatusOK, po, v)
}

func (s *Server) deleteProductOrder(w http.ResponseWriter, r *http.Request, _ apiVersion) error {
	if err := s.Ordering.Delete(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listCancelProductOrders(w http.ResponseWriter, r *http.Request, v apiVersion) error {
	l, err := readList(r)
	if err != nil {
		return err
	}
	f := ordering.CancelFilter{ID: filter(r, "id"), ProductOrderID: filter(r, "productOrder.id"), States: states(r),
		Offset: l.offset, Limit: l.limit}
	cs, total, err := s.Ordering.CancelRequests(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(cs))
	for i := range cs {
		out[i] = renderCancel(&cs[i], v, s.base(r))
	}
	return writeCollection(w, out, total, l)
}

func (s *Server) getCancelProductOrder(w http.ResponseWriter, r *http.Request, v apiVersion) error {
	c, err := s.Ordering.CancelRequest(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, renderCancel(c, v, s.base(r)))
}

func (s *Server) createCancelProductOrder(w http.ResponseWriter, r *http.Request, v apiVersion) error {
	raw, err := s.body(w, r)
	if err != nil {
		return err
	}
	in, err := parseCancel(raw)
	if err != nil {
		return err
	}
	c, err := s.Ordering.Cancel(r.Context(), in)
	if err != nil {
		return err
	}
	out := renderCancel(c, v, s.base(r))
	w.Header().Set("Location", out["href"].(string))
	return writeOne(w, r, http.StatusCreated, out)
}

func (s *Server) createHub(w http.ResponseWriter, r *http.Request, v apiVersion) error {
	raw, err := s.body(w, r)
	if err != nil {
		return err
	}
	if err := s.Ordering.CheckWrite(r.Context()); err != nil {
		return err
	}
	in, err := parseHub(raw, v)
	if err != nil {
		return err
	}
	h, err := s.Ordering.CreateHub(r.Context(), in)
	if err != nil {
		return err
	}
	out := renderHub(h, v, s.base(r))
	w.Header().Set("Location", out["href"].(string))
	return writeJSON(w, http.StatusCreated, out)
}

func (s *Server) getHub(w http.ResponseWriter, r *http.Request, v apiVersion) error {
	h, err := s.Ordering.Hub(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, renderHub(h, v, s.base(r)))
}

func (s *Server) deleteHub(w http.ResponseWriter, r *http.Request, _ apiVersion) error {
	if err := s.Ordering.DeleteHub(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
