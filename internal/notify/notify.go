// Package notify is the notification center (H1) and the outbox of e-mail
// and WhatsApp messages (H2). Services create Notifications and Messages as
// effects of a change; a job delivers each Message after the change commits.
package notify

import (
	"time"
)

// Channels a Message goes out on.
const (
	ChannelEmail    = "email"
	ChannelWhatsApp = "whatsapp"
)

// Message states.
const (
	StatusPending = "pending"
	StatusSent    = "sent"
	StatusFailed  = "failed"
)

// Notification is a message in a user's notification center. Title and
// body are message keys rendered in the reader's language.
type Notification struct {
	ID         string            `json:"id" db:"id"`
	UserID     string            `json:"userId" db:"user_id"`
	CustomerID string            `json:"customerId,omitempty" db:"customer_id"`
	Kind       string            `json:"kind" db:"kind"`
	TitleKey   string            `json:"-" db:"title_key"`
	BodyKey    string            `json:"-" db:"body_key"`
	Args       map[string]string `json:"-" db:"-"`
	Link       string            `json:"link,omitempty" db:"link"`
	CreatedAt  time.Time         `json:"createdAt" db:"created_at"`
	ReadAt     *time.Time        `json:"readAt,omitempty" db:"read_at"`
}

// EffectKind implements enlace.Effect.
func (Notification) EffectKind() string { return "notification" }

// Unread reports whether the user has not opened the notification yet.
func (n Notification) Unread() bool { return n.ReadAt == nil }

// Message is an e-mail or WhatsApp message in the outbox, rendered in the
// recipient's language when the change that causes it is made.
type Message struct {
	ID         string     `json:"id" db:"id"`
	Channel    string     `json:"channel" db:"channel"`
	Recipient  string     `json:"recipient" db:"recipient"`
	UserID     string     `json:"userId,omitempty" db:"user_id"`
	CustomerID string     `json:"customerId,omitempty" db:"customer_id"`
	Purpose    string     `json:"purpose" db:"purpose"`
	Subject    string     `json:"subject,omitempty" db:"subject"`
	BodyText   string     `json:"bodyText" db:"body_text"`
	BodyHTML   string     `json:"-" db:"body_html"`
	Status     string     `json:"status" db:"status"`
	Attempts   int        `json:"attempts" db:"attempts"`
	LastError  string     `json:"lastError,omitempty" db:"last_error"`
	CreatedAt  time.Time  `json:"createdAt" db:"created_at"`
	SentAt     *time.Time `json:"sentAt,omitempty" db:"sent_at"`
	// Code is the one-time code the message carries, if any, for channels
	// that send it apart from the body (WhatsApp authentication templates).
	Code string `json:"-" db:"code"`
}

// EffectKind implements enlace.Effect.
func (Message) EffectKind() string { return "message" }

// DeliverJob is the kind of the job that delivers one Message; the store
// adds it with every Message so that no message waits without one.
const DeliverJob = "notify.deliver"

// DeliverPayload is the payload of a DeliverJob.
type DeliverPayload struct {
	MessageID string `json:"messageId"`
}
