package servicedesk

import (
	"context"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
)

// Purposes of the e-mails the service desk sends (templates in notify).
const (
	purposeReceived = notify.PurposeRequestReceived
	purposePhase    = notify.PurposeRequestPhase
	purposeAssigned = notify.PurposeRequestAssigned
	purposeComment  = notify.PurposeRequestComment
	purposeSLA      = notify.PurposeRequestSLA
)

// recipient is who a notice goes to.
type recipient struct {
	UserID, Name, Email, Locale string
	// Staff read their notifications outside any customer.
	Staff bool
}

func recipientOf(u identity.User) recipient {
	return recipient{UserID: u.ID, Name: u.FirstName, Email: u.Email, Locale: u.Locale, Staff: u.IsStaff()}
}

// tell returns the in-app notification (title and body keys
// servicedesk.notice.<notice>.title/.body) and, for a purpose, the e-mail
// of one notice about a request to one person.
func (s *Service) tell(r *Request, to recipient, notice, purpose string, args map[string]string) []enlace.Effect {
	link := "/requests/" + r.ID
	all := map[string]string{"Folio": r.Folio, "Subject": r.Subject}
	for k, v := range args {
		all[k] = v
	}
	customerID := r.CustomerID
	if to.Staff {
		customerID = ""
	}
	effects := []enlace.Effect{notify.Notification{UserID: to.UserID, CustomerID: customerID, Kind: "request",
		TitleKey: "servicedesk.notice." + notice + ".title", BodyKey: "servicedesk.notice." + notice + ".body",
		Args: all, Link: link}}
	if purpose == "" || s.renderer == nil || to.Email == "" {
		return effects
	}
	data := map[string]any{"Name": to.Name, "URL": s.cfg.BaseURL + link}
	for k, v := range all {
		data[k] = v
	}
	m, err := s.renderer.EmailMessage(to.Locale, purpose, to.Email, data)
	if err != nil {
		s.log.Error("render e-mail", "purpose", purpose, "err", err)
		return effects
	}
	m.UserID, m.CustomerID = to.UserID, r.CustomerID
	return append(effects, m)
}

// requester returns the request's requester as a recipient, if they have
// an account still in use.
func (s *Service) requester(ctx context.Context, r *Request) (recipient, bool) {
	if r.RequesterID == "" {
		return recipient{}, false
	}
	u, err := s.store.UserByID(ctx, r.RequesterID)
	if err != nil || u.Disabled {
		return recipient{}, false
	}
	return recipientOf(*u), true
}

// receivedNotices tells the requester, who is the actor raising the
// request, its folio. It runs inside the store's transaction and so reads
// nothing.
func (s *Service) receivedNotices(ctx context.Context, r *Request) []enlace.Effect {
	a := enlace.ActorFrom(ctx)
	if a == nil || a.UserID == "" {
		return nil
	}
	return s.tell(r, recipient{UserID: a.UserID, Name: a.Name, Email: a.Email, Locale: a.Locale, Staff: a.IsStaff()},
		"received", purposeReceived, nil)
}

// phaseNotices tells the requester of the request's new phase (E7),
// unless they moved it themselves. A closed incident's notice invites
// them to the survey.
func (s *Service) phaseNotices(ctx context.Context, a *enlace.Actor, r *Request) []enlace.Effect {
	to, ok := s.requester(ctx, r)
	if !ok || (a != nil && a.UserID == to.UserID && r.Phase != PhaseClosed) {
		return nil
	}
	survey := ""
	if r.Incident && r.Phase == PhaseClosed {
		survey = "yes"
	}
	return s.tell(r, to, "phase."+r.Phase, purposePhase, map[string]string{"Phase": r.Phase, "Reason": r.PhaseReason,
		"Resolution": r.Resolution, "Survey": survey})
}

// assignedNotices tells an agent a request is theirs.
func (s *Service) assignedNotices(ctx context.Context, r *Request) []enlace.Effect {
	u, err := s.store.UserByID(ctx, r.AssigneeID)
	if err != nil || u.Disabled {
		return nil
	}
	return s.tell(r, recipientOf(*u), "assigned", purposeAssigned, map[string]string{"Priority": r.Priority,
		"Customer": r.CustomerName})
}

// commentNotices tells the other side of a new reply: the agent (in the
// portal) of a customer's, the requester (in the portal and by e-mail) of
// an agent's.
func (s *Service) commentNotices(ctx context.Context, r *Request, c *Comment, toAgent bool) []enlace.Effect {
	args := map[string]string{"Author": c.AuthorName, "Body": c.Body}
	if toAgent {
		if r.AssigneeID == "" {
			return nil
		}
		u, err := s.store.UserByID(ctx, r.AssigneeID)
		if err != nil || u.Disabled {
			return nil
		}
		return s.tell(r, recipientOf(*u), "comment", "", args)
	}
	to, ok := s.requester(ctx, r)
	if !ok || to.UserID == c.AuthorID {
		return nil
	}
	return s.tell(r, to, "comment", purposeComment, args)
}

// slaNotices tells the agent of the SLA notices that fell due, or the
// administrators when no agent has the request; breaches go to the
// administrators too.
func (s *Service) slaNotices(ctx context.Context, r *Request, sent []Notice) ([]enlace.Effect, error) {
	agents, err := s.store.Agents(ctx)
	if err != nil {
		return nil, err
	}
	var effects []enlace.Effect
	for _, n := range sent {
		breach := n == NoticeResponseBreach || n == NoticeResolutionBreach
		target, due := "resolution", r.ResolutionDueAt
		if n == NoticeResponseWarning || n == NoticeResponseBreach {
			target, due = "response", r.ResponseDueAt
		}
		kind := "warning"
		if breach {
			kind = "breach"
		}
		args := map[string]string{"Target": target, "Kind": kind, "Due": due.In(s.cfg.Location).Format("2006-01-02 15:04")}
		for _, u := range agents {
			mine := u.ID == r.AssigneeID
			admin := u.StaffRole == identity.StaffAdmin && (breach || r.AssigneeID == "")
			if mine || admin {
				effects = append(effects, s.tell(r, recipientOf(u), "sla."+kind, purposeSLA, args)...)
			}
		}
	}
	if len(effects) == 0 {
		s.log.Warn("SLA notice with nobody to tell", "request", r.ID)
	}
	return effects, nil
}
