package notify

import "context"

// NotificationFilter pages through a user's notifications, newest first.
type NotificationFilter struct {
	UnreadOnly bool
	Offset     int
	Limit      int
}

// MessageFilter selects outbox messages, newest first. Nil fields do not
// filter.
type MessageFilter struct {
	Channel   *string
	Status    *string
	Purpose   *string
	Recipient *string
	Offset    int
	Limit     int
}

// Store keeps notifications and the outbox. Notifications are always read
// as one user acting for one customer: customerID selects that customer's
// notifications plus the user's personal ones (customer_id ”); staff pass
// "". A notification outside that scope is not found.
type Store interface {
	// RecentNotifications returns the newest limit notifications and how
	// many of the user's notifications in scope are unread.
	RecentNotifications(ctx context.Context, userID, customerID string, limit int) ([]Notification, int, error)
	// FindNotifications returns a page of notifications and their total.
	FindNotifications(ctx context.Context, userID, customerID string, f NotificationFilter) ([]Notification, int, error)
	// NotificationByID returns one notification in scope.
	NotificationByID(ctx context.Context, userID, customerID, id string) (*Notification, error)
	// MarkNotificationRead marks one notification in scope read, once.
	MarkNotificationRead(ctx context.Context, userID, customerID, id string) error
	// MarkAllNotificationsRead marks every notification in scope read.
	MarkAllNotificationsRead(ctx context.Context, userID, customerID string) error

	// MessageByID returns one outbox message.
	MessageByID(ctx context.Context, id string) (*Message, error)
	// FindMessages returns a page of outbox messages and their total.
	FindMessages(ctx context.Context, f MessageFilter) ([]Message, int, error)
	// MarkMessageSent records a successful delivery attempt.
	MarkMessageSent(ctx context.Context, id string) error
	// MarkMessageAttempt records a failed delivery attempt; failed ends the
	// message's delivery for good.
	MarkMessageAttempt(ctx context.Context, id, errText string, failed bool) error
	// OutboxDepth counts the messages waiting to be sent.
	OutboxDepth(ctx context.Context) (int, error)
}
