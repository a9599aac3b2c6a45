package enlace

import "context"

// Actor is who is making a request: the signed-in user, the customer they
// act for, and where the request came from. Services read it from the context
// to enforce roles and tenancy and to fill the audit log.
type Actor struct {
	UserID string
	Email  string
	Name   string
	// StaffRole is the provider role of a staff user; empty for customer users.
	StaffRole string
	// CustomerID is the customer (tenant) a customer user is acting for.
	CustomerID   string
	CustomerRole string
	// ReadOnly is set for customer users whose access level only lets them look.
	ReadOnly bool
	// BillingAccountIDs are the billing accounts a customer user may see;
	// customer administrators see all of their customer's accounts.
	BillingAccountIDs []string
	Locale            string
	IP                string
	RequestID         string
}

// IsStaff reports whether the actor is one of the provider's staff.
func (a *Actor) IsStaff() bool { return a != nil && a.StaffRole != "" }

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of the context, or nil for an anonymous request.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

type requestKey struct{}

// RequestOrigin is what is known of an anonymous request: its address and
// id. Signed-in requests carry the same in their Actor.
type RequestOrigin struct {
	IP        string
	RequestID string
}

// WithOrigin returns a context carrying the request's origin.
func WithOrigin(ctx context.Context, o RequestOrigin) context.Context {
	return context.WithValue(ctx, requestKey{}, o)
}

// OriginFrom returns the request's origin, from the actor when there is one.
func OriginFrom(ctx context.Context) RequestOrigin {
	if a := ActorFrom(ctx); a != nil && a.IP != "" {
		return RequestOrigin{IP: a.IP, RequestID: a.RequestID}
	}
	o, _ := ctx.Value(requestKey{}).(RequestOrigin)
	return o
}
