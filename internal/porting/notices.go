package porting

import (
	"context"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
)

// Notices an order causes; catalogue keys porting.notice.<notice>.title
// and .body (in-app) and .subject (e-mail, purpose port_order).
const (
	NoticeLOAReady   = "loa_ready"  // to the signer: review and sign the LOA
	NoticeSigned     = "signed"     // to the PM: ready to submit
	NoticeAccepted   = "accepted"   // to the customer and the PM: the FOC date
	NoticePartial    = "partial"    // to the customer and the PM: some numbers rejected
	NoticeException  = "exception"  // to the customer and the PM: the carrier's problem
	NoticeRejected   = "rejected"   // to the customer and the PM
	NoticeVisible    = "visible"    // to the customer: numbers ready for assignment
	NoticeUnassigned = "unassigned" // to the PM: the port date is near, numbers unassigned
	NoticePorted     = "ported"     // to the PM: confirm completion
	NoticeCompleted  = "completed"  // to the customer: cancel the old service
	NoticeRefused    = "refused"    // to the PM: the carrier refused the submission
	NoticeCancelled  = "cancelled"  // to the customer
)

// tell returns the in-app notification and the e-mail of one notice about
// an order to one person.
func (s *Service) tell(o *Order, u identity.User, notice string, args map[string]string) []enlace.Effect {
	link := "/port-orders/" + o.ID
	if notice == NoticeLOAReady {
		link += "/sign"
	}
	all := map[string]string{"Folio": o.Folio}
	if o.FOCDate != nil {
		all["FOC"] = o.FOCDate.In(s.cfg.Location).Format(time.DateOnly)
	}
	all["Requested"] = o.RequestedDate.In(s.cfg.Location).Format(time.DateOnly)
	if o.Reason != "" {
		all["Reason"] = o.Reason
	}
	for k, v := range args {
		all[k] = v
	}
	customerID := o.CustomerID
	if u.IsStaff() {
		customerID = ""
	}
	effects := []enlace.Effect{notify.Notification{UserID: u.ID, CustomerID: customerID, Kind: "port_order",
		TitleKey: "porting.notice." + notice + ".title", BodyKey: "porting.notice." + notice + ".body",
		Args: all, Link: link}}
	if s.renderer == nil || u.Email == "" {
		return effects
	}
	data := map[string]any{"Name": u.FirstName, "URL": s.cfg.BaseURL + link, "Notice": notice}
	for k, v := range all {
		data[k] = v
	}
	m, err := s.renderer.EmailMessage(u.Locale, notify.PurposePortOrder, u.Email, data)
	if err != nil {
		s.log.Error("render e-mail", "purpose", notify.PurposePortOrder, "err", err)
		return effects
	}
	m.UserID, m.CustomerID = u.ID, o.CustomerID
	return append(effects, m)
}

// tellSigner tells the order's authorized signer.
func (s *Service) tellSigner(ctx context.Context, o *Order, notice string) []enlace.Effect {
	u, err := s.store.UserByID(ctx, o.SignerUserID)
	if err != nil || u.Disabled {
		return nil
	}
	return s.tell(o, *u, notice, nil)
}

// tellManagers tells the PM who entered the order.
func (s *Service) tellManagers(ctx context.Context, o *Order, notice string, args ...string) []enlace.Effect {
	u, err := s.store.UserByID(ctx, o.CreatedBy)
	if err != nil || u.Disabled {
		return nil
	}
	return s.tell(o, *u, notice, pairs(args))
}

// tellCustomer tells the customer's administrators and the order's signer.
func (s *Service) tellCustomer(ctx context.Context, o *Order, notice string, args ...string) []enlace.Effect {
	admins, err := s.store.CustomerAdmins(ctx, o.CustomerID)
	if err != nil {
		s.log.Error("port order recipients", "order", o.ID, "err", err)
		return nil
	}
	if u, err := s.store.UserByID(ctx, o.SignerUserID); err == nil && !u.Disabled {
		admins = append(admins, *u)
	}
	var effects []enlace.Effect
	told := map[string]bool{}
	for _, u := range admins {
		if !told[u.ID] {
			told[u.ID] = true
			effects = append(effects, s.tell(o, u, notice, pairs(args))...)
		}
	}
	return effects
}

// tellBoth tells the customer and the PM.
func (s *Service) tellBoth(ctx context.Context, o *Order, notice string, args ...string) []enlace.Effect {
	return append(s.tellCustomer(ctx, o, notice, args...), s.tellManagers(ctx, o, notice, args...)...)
}

func pairs(kv []string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}
