package web

import (
	"net/http"

	"github.com/enlace-portal/enlace/internal/identity"
)

// fillAssign offers the project's managers the PM and principal-contact
// choices: some runbooks assign the PM only after a gate.
func (s *Server) fillAssign(r *http.Request, pp *projectPage) error {
	if !pp.CanManage || !pp.Active {
		return nil
	}
	pms, err := s.projectManagers(r)
	if err != nil {
		return err
	}
	pp.PMs = []option{{Value: "", Label: pp.T("projects.new.no_pm")}}
	for _, u := range pms {
		pp.PMs = append(pp.PMs, option{Value: u.ID, Label: u.Name(), Selected: u.ID == pp.Project.PMUserID})
	}
	members, _, err := s.deps.Identity.FindMembers(r.Context(), identity.MemberFilter{CustomerID: pp.Project.CustomerID, Limit: 200})
	if err != nil {
		return err
	}
	pp.Contacts = []option{{Value: "", Label: pp.T("projects.new.no_contact")}}
	for _, m := range members {
		if !m.Membership.Disabled {
			pp.Contacts = append(pp.Contacts, option{Value: m.ID, Label: m.Name() + " · " + m.Email, Selected: m.ID == pp.Project.ContactUserID})
		}
	}
	return nil
}

func (s *Server) assignProject(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	v, err := s.deps.Projects.Assign(r.Context(), r.PathValue("id"), r.PostForm.Get("pm_user_id"), r.PostForm.Get("contact_user_id"))
	s.projectChanged(w, r, v, err, "projects.flash.assigned", projectFields(map[string]string{"pm_user_id": "assign_pm", "contact_user_id": "assign_contact"}))
}
