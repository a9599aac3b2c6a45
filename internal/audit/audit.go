// Package audit records who changed what, when and from where (A7). Every
// service that changes data hands an Entry to its store with the change.
package audit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Entry is one line of the audit log.
type Entry struct {
	ID         string    `json:"id" db:"id"`
	CustomerID string    `json:"customerId,omitempty" db:"customer_id"`
	ActorID    string    `json:"actorId,omitempty" db:"actor_id"`
	ActorEmail string    `json:"actorEmail,omitempty" db:"actor_email"`
	Action     string    `json:"action" db:"action"`
	ObjectType string    `json:"objectType" db:"object_type"`
	ObjectID   string    `json:"objectId,omitempty" db:"object_id"`
	Detail     string    `json:"detail,omitempty" db:"detail"`
	IP         string    `json:"ip,omitempty" db:"ip"`
	RequestID  string    `json:"requestId,omitempty" db:"request_id"`
	CreatedAt  time.Time `json:"createdAt" db:"created_at"`
}

// EffectKind implements enlace.Effect.
func (Entry) EffectKind() string { return "audit" }

// Actions lists every action Enlace records, so that screens can offer
// them as a filter and name them in the reader's language
// (catalogue keys audit.action.<action>). A test keeps it complete.
var Actions = []string{
	"user.login", "user.password_change", "user.create", "user.update", "user.profile_update",
	"user.recovery_sent", "user.totp_enable", "user.totp_disable", "membership.create",
	"access_request.create", "access_request.approve", "access_request.reject",
	"api_token.create", "api_token.revoke",
	"site.create", "site.update", "site.retire", "service.create", "service.update", "service.status", "inventory.import", "import.upload", "import.apply",
	"customer.create", "customer.update", "customer.retire", "customer.reinstate",
	"billing_account.create", "billing_account.update", "billing_account.retire", "billing_account.reinstate",
	"contact.create", "contact.update", "contact.delete",
	"document.upload", "document.download", "document.retire",
	"runbook.publish", "project.create", "project.complete", "project.cancel", "project.reschedule",
	"project.task.start", "project.task.complete", "project.task.block", "project.task.unblock",
	"project.task.skip", "project.task.include", "project.gate.payment",
	"project.gate.signature", "project.gate.date", "project.gate.confirmation", "project.gate.document", "project.note", "project.assign", "calendar.set", "calendar.delete",
	"product_order.create", "product_order.update", "product_order.delete", "product_order.cancel", "hub.create", "hub.delete",
	"request.create", "request.act", "request.checklist", "request.comment", "request.attach", "request.update",
	"request.delete", "request.survey", "request.sla",
	"project.task.follow",
	"number.add", "number.import", "number.update", "number.reserve", "number.unreserve", "number.assign",
	"number.unassign", "number.mark_test", "number.release",
	"port_order.create", "port_order.update", "port_order.attach", "port_order.send_loa", "port_order.sign",
	"port_order.submit", "port_order.refused", "port_order.carrier_received", "port_order.carrier_accepted",
	"port_order.carrier_exception", "port_order.carrier_rejected", "port_order.carrier_ported",
	"port_order.visible", "port_order.confirm_assigned", "port_order.complete", "port_order.cancel",
	"licensing.import",
	"reach.line.add", "reach.line.update", "reach.line.remove", "reach.trunk.add", "reach.trunk.update",
	"reach.trunk.remove", "reach.trunk.put", "reach.temporary.assign", "reach.temporary.release", "reach.clip.confirm",
	"reach.clip.clear", "reach.forwarding.confirm", "reach.forwarding.clear",
}

// Record returns the entry for an action on an object, taking who and from
// where out of the context. detail is marshalled to JSON; pass nil for none.
// customerID is the tenant the object belongs to, empty for provider objects.
func Record(ctx context.Context, action, objectType, objectID, customerID string, detail any) Entry {
	e := Entry{Action: action, ObjectType: objectType, ObjectID: objectID, CustomerID: customerID}
	if a := enlace.ActorFrom(ctx); a != nil {
		e.ActorID, e.ActorEmail = a.UserID, a.Email
	}
	o := enlace.OriginFrom(ctx)
	e.IP, e.RequestID = o.IP, o.RequestID
	if detail != nil {
		if b, err := json.Marshal(detail); err == nil {
			e.Detail = string(b)
		}
	}
	return e
}

// Filter selects audit entries. Nil fields do not filter.
type Filter struct {
	CustomerID *string
	ActorEmail *string
	Action     *string
	ObjectType *string
	ObjectID   *string
	Since      *time.Time
	Until      *time.Time
	Offset     int
	Limit      int
}

// Store reads the audit log; entries are written by other stores as effects.
type Store interface {
	FindAuditEntries(ctx context.Context, f Filter) ([]Entry, int, error)
}

// Service lets staff read the audit log.
type Service struct {
	store Store
}

// NewService returns an audit Service.
func NewService(store Store) *Service { return &Service{store: store} }

// Find returns the entries matching f, newest first. Only staff
// administrators and support agents may read the whole log; customer
// administrators read their own customer's.
func (s *Service) Find(ctx context.Context, f Filter) ([]Entry, int, error) {
	a := enlace.ActorFrom(ctx)
	switch {
	case a == nil:
		return nil, 0, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	case a.StaffRole == "admin" || a.StaffRole == "support":
	case !a.IsStaff() && a.CustomerRole == "admin":
		f.CustomerID = &a.CustomerID
	default:
		return nil, 0, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return s.store.FindAuditEntries(ctx, f)
}
