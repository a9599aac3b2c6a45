package web

import (
	"net/http"

	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// deskWidget is the home page's service desk widget: for a customer the
// open requests by phase and the latest of them; for staff the requests
// that need someone: without an agent, past a target, and the reader's own.
type deskWidget struct {
	Staff, Agent, MayRaise bool
	Open                   int
	Phases                 []deskPhaseCount
	Latest                 []deskRow
	Unassigned, Breached   int
	Mine                   int
}

// deskPhaseCount is one open phase and its requests.
type deskPhaseCount struct {
	Phase, URL string
	Count      int
}

// homeRequests is how many open requests the customer's widget lists.
const homeRequests = 5

// fillDesk builds the service desk widget; a server without the service
// desk has none. The counts come from the kept counts by phase (a
// customer's) or from totals of one-row pages (staff's).
func (s *Server) fillDesk(r *http.Request, hp *homePage) error {
	if s.deps.Requests == nil {
		return nil
	}
	ctx, a := r.Context(), hp.Actor
	dw := &deskWidget{Staff: a.IsStaff(), Agent: servicedesk.IsAgent(a), MayRaise: servicedesk.MayRaise(a)}
	hp.Desk = dw
	if dw.Staff {
		for _, c := range []struct {
			n  *int
			f  servicedesk.Filter
			ok bool
		}{
			{&dw.Unassigned, servicedesk.Filter{Unassigned: true, Open: true, Limit: 1}, true},
			{&dw.Breached, servicedesk.Filter{Breached: true, Limit: 1}, true},
			{&dw.Mine, servicedesk.Filter{AssigneeID: a.UserID, Open: true, Limit: 1}, dw.Agent},
		} {
			if !c.ok {
				continue
			}
			_, n, err := s.deps.Requests.List(ctx, c.f)
			if err != nil {
				return err
			}
			*c.n = n
		}
		return nil
	}
	counts, err := s.deps.Requests.Chart(ctx, servicedesk.Filter{})
	if err != nil {
		return err
	}
	for _, c := range counts {
		if (&servicedesk.Request{Phase: c.Phase}).Open() {
			dw.Open += c.Count
			dw.Phases = append(dw.Phases, deskPhaseCount{Phase: c.Phase, Count: c.Count, URL: deskQuery{Phase: c.Phase}.link("", "", "")})
		}
	}
	latest, _, err := s.deps.Requests.List(ctx, servicedesk.Filter{Open: true, Limit: homeRequests})
	if err != nil {
		return err
	}
	now := s.deps.Requests.Now()
	for i := range latest {
		dw.Latest = append(dw.Latest, s.deskRowOf(hp.Page, &latest[i], now))
	}
	return nil
}
