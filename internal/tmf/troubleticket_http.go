package tmf

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// ticketRoute is a TMF621 route, served when Deps.Requests is set (and,
// for the hub, Deps.TroubleTicketHubs).
func ticketRoute(method, path string, h handler) route {
	return route{method, TroubleTicketPath + path, func(s *Server, w http.ResponseWriter, r *http.Request) error {
		if s.Requests == nil || (strings.HasPrefix(path, "/hub") && s.TroubleTicketHubs == nil) {
			return statusError(http.StatusNotFound, "tmf.route_not_found")
		}
		return h(s, w, r)
	}}
}

// troubleTicketRoutes are the routes of TMF621. The collection also
// answers with a trailing slash, which the R18 conformance kit posts to.
func troubleTicketRoutes() []route {
	return []route{
		ticketRoute("GET", "/troubleTicket", (*Server).listTroubleTickets),
		ticketRoute("GET", "/troubleTicket/{$}", (*Server).listTroubleTickets),
		ticketRoute("POST", "/troubleTicket", (*Server).createTroubleTicket),
		ticketRoute("POST", "/troubleTicket/{$}", (*Server).createTroubleTicket),
		ticketRoute("GET", "/troubleTicket/{id}", (*Server).getTroubleTicket),
		ticketRoute("PATCH", "/troubleTicket/{id}", (*Server).patchTroubleTicket),
		ticketRoute("DELETE", "/troubleTicket/{id}", (*Server).deleteTroubleTicket),
		ticketRoute("POST", "/hub", (*Server).createTicketHub),
		ticketRoute("GET", "/hub/{id}", (*Server).getTicketHub),
		ticketRoute("DELETE", "/hub/{id}", (*Server).deleteTicketHub),
	}
}

// maxTickets is the most tickets a page holds: the service desk's limit.
const maxTickets = 500

func (s *Server) listTroubleTickets(w http.ResponseWriter, r *http.Request) error {
	l, err := readList(r)
	if err != nil {
		return err
	}
	// A page is as long as the service desk allows unless the client
	// says otherwise: conformance kits want the whole list (200), not a
	// first page (206).
	if r.URL.Query().Get("limit") == "" {
		l.limit = maxTickets
	}
	l.limit = min(l.limit, maxTickets)
	f, none, err := ticketFilter(r)
	if err != nil {
		return err
	}
	var reqs []servicedesk.Request
	total := 0
	if !none {
		f.Offset, f.Limit = l.offset, l.limit
		if reqs, total, err = s.findTickets(r, f); err != nil {
			return err
		}
	}
	out := make([]map[string]any, len(reqs))
	for i := range reqs {
		m, err := renderTicket(&reqs[i], nil, s.base(r))
		if err != nil {
			return err
		}
		out[i] = selectAttributes(m, l.fields, s.ExactFields)
	}
	// The attributes are selected already.
	return writeCollection(w, out, total, list{offset: l.offset, limit: l.limit})
}

// ticketFilter reads a list's filters: status (one), priority and the
// creation date (creationDate, .gt, .gte, .lt, .lte). none is true when a
// filter can match no ticket (a status without a phase, an unknown
// priority).
func ticketFilter(r *http.Request) (f servicedesk.Filter, none bool, err error) {
	if st := filter(r, "status"); st != nil {
		phase, ok := servicedesk.PhaseOfTMF(*st)
		f.Phase, none = phase, !ok
	}
	if pr := filter(r, "priority"); pr != nil {
		p, ok := priorityOf(*pr)
		f.Priority, none = p, none || !ok
	}
	conds, err := dateConditions(r, "creationDate")
	if err != nil {
		return f, false, err
	}
	for _, c := range conds {
		// Dates compare to the millisecond, as tickets show them: a date
		// is the millisecond that starts there. Since is inclusive and
		// Until exclusive.
		from, until := c.At, c.At
		switch c.Op {
		case "gt":
			from = c.At.Add(time.Millisecond)
		case "lte", "eq":
			until = c.At.Add(time.Millisecond)
		}
		if c.Op != "lt" && c.Op != "lte" && (f.Since == nil || from.After(*f.Since)) {
			f.Since = &from
		}
		if c.Op != "gt" && c.Op != "gte" && (f.Until == nil || until.Before(*f.Until)) {
			f.Until = &until
		}
	}
	return f, none, nil
}

// findTickets returns a page of the tickets the reader may see under f
// and the severity and ticketType filters, which match the words a ticket
// shows (a portal request's derived ones too), and their total.
func (s *Server) findTickets(r *http.Request, f servicedesk.Filter) ([]servicedesk.Request, int, error) {
	if sv := filter(r, "severity"); sv != nil {
		f.Severity = *sv
		// A portal request shows its priority's word: Medium is medium.
		for p, word := range severityWords {
			if word == *sv {
				f.SeverityPriority = p
			}
		}
	}
	if tt := filter(r, "ticketType"); tt != nil {
		f.TicketType = *tt
	}
	return s.Requests.List(r.Context(), f)
}

func (s *Server) writeTicket(w http.ResponseWriter, r *http.Request, status int, v *servicedesk.View) error {
	m, err := renderTicket(v.Request, v, s.base(r))
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", m["href"].(string))
	}
	return writeJSON(w, status, selectAttributes(m, selectedFields(r), s.ExactFields))
}

func (s *Server) getTroubleTicket(w http.ResponseWriter, r *http.Request) error {
	v, err := s.Requests.Request(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.writeTicket(w, r, http.StatusOK, v)
}

// createTroubleTicket raises a request from a ticket, then adds its notes
// to the thread.
func (s *Server) createTroubleTicket(w http.ResponseWriter, r *http.Request) error {
	raw, err := s.body(w, r)
	if err != nil {
		return err
	}
	if !servicedesk.MayRaise(actorOf(r.Context())) {
		return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	in, doc, err := parseTicket(raw, true)
	if err != nil {
		return err
	}
	req, err := in.request(s.Requests.Catalog(), doc)
	if err != nil {
		return err
	}
	if req.CustomerID != "" && actorOf(r.Context()).IsStaff() {
		if req.CustomerID, err = s.ticketCustomer(r.Context(), req.CustomerID); err != nil {
			return err
		}
	}
	v, err := s.Requests.Create(r.Context(), req, nil)
	if err != nil {
		return err
	}
	for _, n := range in.Note {
		if v, err = s.Requests.Comment(r.Context(), v.Request.ID, servicedesk.CommentInput{Body: *n.Text}); err != nil {
			return err
		}
	}
	return s.writeTicket(w, r, http.StatusCreated, v)
}

// ticketCustomer returns the id of the customer a staff ticket names by
// its id or its customer number (as TMF622 does).
func (s *Server) ticketCustomer(ctx context.Context, idOrNumber string) (string, error) {
	c, err := s.Customers.Get(ctx, idOrNumber)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		var cs []customer.Customer
		if cs, _, err = s.Customers.Find(ctx, customer.Filter{Number: &idOrNumber, Limit: 1}); err == nil && len(cs) > 0 {
			c = &cs[0]
		}
	}
	if err != nil && enlace.ErrorCode(err) != enlace.ENOTFOUND {
		return "", err
	}
	if c == nil || c.Retired {
		return "", enlace.Invalid([]enlace.FieldError{enlace.Field("relatedParty", "tmf621.customer_unknown")})
	}
	return c.ID, nil
}

// patchTroubleTicket applies a merge patch: the request's attributes,
// then the new notes, then the status, each through the service desk.
// Whether the status may change (phase, role, reason, a resolved
// ticket's checklist) is checked before anything is written.
func (s *Server) patchTroubleTicket(w http.ResponseWriter, r *http.Request) error {
	raw, err := s.body(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v, err := s.Requests.Request(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	in, patch, err := parseTicket(raw, false)
	if err != nil {
		return err
	}
	id := v.Request.ID
	if err := checkPatchable(patch, v.Request, ticketHref(s.base(r), id)); err != nil {
		return err
	}
	notes := in.newNotes(v)
	act, err := in.actInput(v.Request, notes, actorOf(ctx))
	if err != nil {
		return err
	}
	if act != nil && !slices.Contains(v.Actions, act.Action) {
		// The service says why not: the phase, or the reader's role.
		_, err := s.Requests.Act(ctx, id, *act)
		return err
	}
	if act != nil && act.Action == servicedesk.ActionResolve &&
		slices.ContainsFunc(v.Steps, func(st servicedesk.Step) bool { return st.Mandatory && st.DoneAt == nil }) {
		// The service's own rule, asked first so that the patch's other
		// changes are not written when it refuses.
		return enlace.Invalid([]enlace.FieldError{enlace.Field("checklist", "servicedesk.error.checklist_open")})
	}
	u, err := in.update(v.Request, patch)
	if err != nil {
		return err
	}
	if u != nil {
		if v, err = s.Requests.Update(ctx, id, *u); err != nil {
			return err
		}
	}
	for _, n := range notes {
		if v, err = s.Requests.Comment(ctx, id, servicedesk.CommentInput{Body: n}); err != nil {
			return err
		}
	}
	if act != nil {
		if v, err = s.Requests.Act(ctx, id, *act); err != nil {
			return err
		}
	}
	return s.writeTicket(w, r, http.StatusOK, v)
}

func (s *Server) deleteTroubleTicket(w http.ResponseWriter, r *http.Request) error {
	if err := s.Requests.Delete(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) createTicketHub(w http.ResponseWriter, r *http.Request) error {
	raw, err := s.body(w, r)
	if err != nil {
		return err
	}
	in, err := parseHub(raw, troubleTicketV5)
	if err != nil {
		return err
	}
	h, err := s.TroubleTicketHubs.CreateHub(r.Context(), in)
	if err != nil {
		return err
	}
	out := renderHub(h, troubleTicketV5, s.base(r))
	w.Header().Set("Location", out["href"].(string))
	return writeJSON(w, http.StatusCreated, out)
}

func (s *Server) getTicketHub(w http.ResponseWriter, r *http.Request) error {
	h, err := s.TroubleTicketHubs.Hub(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, renderHub(h, troubleTicketV5, s.base(r)))
}

func (s *Server) deleteTicketHub(w http.ResponseWriter, r *http.Request) error {
	if err := s.TroubleTicketHubs.DeleteHub(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
