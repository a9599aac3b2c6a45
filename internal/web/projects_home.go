package web

import (
	"net/http"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/identity"
)

// projectsWidget is the home page's projects widget: for a customer the
// projects in progress and what they must do next; for staff how many of
// the tasks they follow are overdue and how many come next.
type projectsWidget struct {
	Staff   bool
	Active  int
	Overdue int
	Open    int
	Next    []workItem
}

// homeProjectActions is how many next actions the customer's widget lists.
const homeProjectActions = 5

// fillProjects builds the projects widget; a server without projects has
// none.
func (s *Server) fillProjects(r *http.Request, hp *homePage) error {
	if s.deps.Projects == nil {
		return nil
	}
	ctx, a := r.Context(), hp.Actor
	pw := &projectsWidget{Staff: a.IsStaff()}
	f := activation.ProjectFilter{Limit: 500}
	if a.StaffRole == identity.StaffPM {
		f.PMUserID = &a.UserID
	}
	if !a.IsStaff() {
		active := activation.ProjectActive
		_, n, err := s.deps.Projects.Projects(ctx, activation.ProjectFilter{Status: &active, Limit: 1})
		if err != nil {
			return err
		}
		pw.Active, f.Limit = n, homeProjectActions
	}
	actions, err := s.deps.Projects.NextActions(ctx, f)
	if err != nil {
		return err
	}
	now := s.deps.Projects.Now()
	for _, na := range actions {
		it := workItemOf(hp.Page, na, now)
		if it.Overdue {
			pw.Overdue++
		}
		if !a.IsStaff() {
			pw.Next = append(pw.Next, it)
		}
	}
	pw.Open = len(actions)
	hp.Projects = pw
	return nil
}
