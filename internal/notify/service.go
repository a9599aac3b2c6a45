package notify

import (
	"context"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Paging bounds of the notification center and the outbox.
const (
	RecentLimit  = 10
	DefaultLimit = 25
	MaxLimit     = 100
)

// Service is the notification center of the signed-in user and the outbox
// view of staff administrators. Every method acts as the actor of ctx.
type Service struct {
	store Store
}

// NewService returns a notification Service.
func NewService(store Store) *Service { return &Service{store: store} }

// Recent returns what the bell shows: the newest notifications and the
// unread count.
func (s *Service) Recent(ctx context.Context) ([]Notification, int, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, 0, err
	}
	return s.store.RecentNotifications(ctx, a.UserID, a.CustomerID, RecentLimit)
}

// List returns a page of the actor's notifications and their total.
func (s *Service) List(ctx context.Context, f NotificationFilter) ([]Notification, int, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, 0, err
	}
	f.Offset, f.Limit = page(f.Offset, f.Limit)
	return s.store.FindNotifications(ctx, a.UserID, a.CustomerID, f)
}

// Get opens one of the actor's notifications, marking it read. Another
// user's notification is not found, so that its existence stays hidden.
func (s *Service) Get(ctx context.Context, id string) (*Notification, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.store.MarkNotificationRead(ctx, a.UserID, a.CustomerID, id); err != nil {
		return nil, err
	}
	return s.store.NotificationByID(ctx, a.UserID, a.CustomerID, id)
}

// MarkRead marks one of the actor's notifications read.
func (s *Service) MarkRead(ctx context.Context, id string) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	return s.store.MarkNotificationRead(ctx, a.UserID, a.CustomerID, id)
}

// MarkAllRead marks every notification the actor sees read.
func (s *Service) MarkAllRead(ctx context.Context) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	return s.store.MarkAllNotificationsRead(ctx, a.UserID, a.CustomerID)
}

// Outbox returns a page of outbox messages, newest first. Messages carry
// login codes and temporary passwords, so only staff administrators see it.
func (s *Service) Outbox(ctx context.Context, f MessageFilter) ([]Message, int, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, 0, err
	}
	if a.StaffRole != "admin" {
		return nil, 0, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	f.Offset, f.Limit = page(f.Offset, f.Limit)
	return s.store.FindMessages(ctx, f)
}

// signedIn returns the actor of ctx, or an unauthorized error.
func signedIn(ctx context.Context) (*enlace.Actor, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil || a.UserID == "" {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	return a, nil
}

// page bounds a requested page.
func page(offset, limit int) (int, int) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	return max(offset, 0), min(limit, MaxLimit)
}
