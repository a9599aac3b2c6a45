// Package porting carries a customer's numbers over from their current
// carriers (D2): the project manager enters the numbers and the order,
// the customer's CSR and a current phone bill must be in three weeks
// before the requested port date, Enlace writes the letter of
// authorization (LOA) and the customer's authorized signer signs it in the
// portal, the signed order goes to the carrier through a Carrier, and the
// carrier's answers — accepted with a firm order commitment (FOC) date, an
// exception with its reason, rejected, ported — move the order. Within
// 24 hours of the FOC the numbers appear for assignment; the order
// completes only with every ported number assigned, and the customer is
// then told to cancel the old service.
package porting

import (
	"context"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// States of a port order; catalogue keys porting.state.<state>.
const (
	// StateDraft: the PM is entering the numbers and the documents are
	// being gathered.
	StateDraft = "draft"
	// StateAwaitingSignature: the LOA was written and sent to the signer.
	StateAwaitingSignature = "awaiting_signature"
	// StateSigned: the signer signed; the PM may submit it to the carrier.
	StateSigned = "signed"
	// StateSubmitted: sent to the carrier (or being sent: the job retries
	// until the carrier has it), waiting for its answer.
	StateSubmitted = "submitted"
	// StateException: the carrier found a problem it names; the PM
	// corrects and submits again.
	StateException = "exception"
	// StateConfirmed: the carrier accepted the numbers (all or some) for
	// the FOC date.
	StateConfirmed = "confirmed"
	// StatePorted: the carrier reports the numbers moved; the order waits
	// for the PM to confirm completion.
	StatePorted    = "ported"
	StateCompleted = "completed"
	StateRejected  = "rejected"
	StateCancelled = "cancelled"
)

// States lists the states in the order of a port's life.
var States = []string{StateDraft, StateAwaitingSignature, StateSigned, StateSubmitted, StateException,
	StateConfirmed, StatePorted, StateCompleted, StateRejected, StateCancelled}

// Line states: how the carrier answered for one number.
const (
	LinePending  = "pending"
	LineAccepted = "accepted"
	LineRejected = "rejected"
)

// LeadTime is how long before the requested port date the CSR and the
// current phone bill must be in (seed 001: "3 semanas antes de la fecha
// de portabilidad solicitada").
const LeadTime = 21 * 24 * time.Hour

// VisibleWithin is how soon after the carrier's FOC the numbers appear
// for assignment (seed 001: "dentro de las 24 horas posteriores a la
// recepción de la fecha FOC").
const VisibleWithin = 24 * time.Hour

// Order is a port order: numbers a customer brings over from their
// current carriers, for a requested date.
type Order struct {
	ID string `json:"id" db:"id"`
	// Folio is the readable number (PORT-2026-000042).
	Folio            string `json:"folio" db:"folio"`
	CustomerID       string `json:"customerId" db:"customer_id"`
	BillingAccountID string `json:"billingAccountId,omitempty" db:"billing_account_id"`
	SiteID           string `json:"siteId,omitempty" db:"site_id"`
	// ProjectID is the activation project whose porting tasks follow the
	// order, if any.
	ProjectID string `json:"projectId,omitempty" db:"project_id"`
	State     string `json:"state" db:"state"`
	// RequestedDate is the port date asked for (a day, at 00:00 in the
	// provider's time zone); FOCDate the carrier's firm commitment.
	RequestedDate time.Time  `json:"requestedDate" db:"requested_date"`
	FOCDate       *time.Time `json:"focDate,omitempty" db:"foc_date"`
	// FOCReceivedAt is when the carrier's acceptance arrived; the numbers
	// appear for assignment by FOCReceivedAt + VisibleWithin.
	FOCReceivedAt *time.Time `json:"focReceivedAt,omitempty" db:"foc_received_at"`
	VisibleAt     *time.Time `json:"visibleAt,omitempty" db:"visible_at"`
	// SignerUserID is the customer's authorized signer the LOA goes to.
	SignerUserID string `json:"signerUserId" db:"signer_user_id"`
	// The customer's details the LOA states: the name on the current
	// carrier's account and its service address.
	AccountName    string `json:"accountName" db:"account_name"`
	ServiceAddress string `json:"serviceAddress" db:"service_address"`
	// Reason is the carrier's latest exception or rejection, as given.
	Reason string `json:"reason,omitempty" db:"reason"`
	// Carrier side: the reference the carrier gave, the idempotency key
	// of the current submission and how many submissions were made.
	CarrierRef    string     `json:"carrierRef,omitempty" db:"carrier_ref"`
	SubmissionKey string     `json:"-" db:"submission_key"`
	Submissions   int        `json:"submissions" db:"submissions"`
	SubmittedAt   *time.Time `json:"submittedAt,omitempty" db:"submitted_at"`
	// LastEventAt is when the latest carrier event applied happened (the
	// carrier's clock): an older event arriving late is kept, not applied.
	LastEventAt *time.Time `json:"-" db:"last_event_at"`
	// The LOA: the unsigned document and its SHA-256, then the signature's
	// evidence and the signed document.
	LOADocumentID    string     `json:"loaDocumentId,omitempty" db:"loa_document_id"`
	LOASHA256        string     `json:"loaSha256,omitempty" db:"loa_sha256"`
	SignedDocumentID string     `json:"signedDocumentId,omitempty" db:"signed_document_id"`
	Signature        *Signature `json:"signature,omitempty" db:"-"`
	// AssignedConfirmedAt is when the PM confirmed every accepted number
	// is assigned, ahead of the port date.
	AssignedConfirmedAt *time.Time `json:"assignedConfirmedAt,omitempty" db:"assigned_confirmed_at"`
	AssignedConfirmedBy string     `json:"assignedConfirmedBy,omitempty" db:"assigned_confirmed_by"`
	PortedAt            *time.Time `json:"portedAt,omitempty" db:"ported_at"`
	CompletedAt         *time.Time `json:"completedAt,omitempty" db:"completed_at"`
	CompletedBy         string     `json:"completedBy,omitempty" db:"completed_by"`
	CancelledAt         *time.Time `json:"cancelledAt,omitempty" db:"cancelled_at"`
	CreatedBy           string     `json:"createdBy" db:"created_by"`
	CreatedAt           time.Time  `json:"createdAt" db:"created_at"`
	UpdatedAt           time.Time  `json:"updatedAt" db:"updated_at"`
	// Version counts the changes; a save names the version it read.
	Version int `json:"version" db:"version"`

	// Filled by the store on reads that join them.
	CustomerName string `json:"customerName,omitempty" db:"customer_name"`
	SignerName   string `json:"signerName,omitempty" db:"signer_name"`
	SignerEmail  string `json:"signerEmail,omitempty" db:"signer_email"`
	NumberCount  int    `json:"numberCount" db:"number_count"`
}

// Open reports whether the order still has work ahead.
func (o *Order) Open() bool {
	return o.State != StateCompleted && o.State != StateRejected && o.State != StateCancelled
}

// Signature is the evidence of the signer's e-signature of the LOA.
type Signature struct {
	UserID string `json:"userId" db:"signed_by"`
	// Name is the full name the signer typed.
	Name string `json:"name" db:"signed_name"`
	// Kind is "typed" (the name written as the signature) or "drawn".
	Kind string `json:"kind" db:"signature_kind"`
	// Image is the drawn signature, a PNG in base64; empty for a typed one.
	Image string    `json:"-" db:"signature_image"`
	At    time.Time `json:"at" db:"signed_at"`
	// IP and UserAgent are where the signature came from.
	IP        string `json:"ip" db:"signed_ip"`
	UserAgent string `json:"userAgent" db:"signed_user_agent"`
	// DocumentSHA256 is the SHA-256 of the LOA the signer was shown and
	// signed; the signed PDF states it.
	DocumentSHA256 string `json:"documentSha256" db:"signed_sha256"`
}

// Signature kinds.
const (
	SignatureTyped = "typed"
	SignatureDrawn = "drawn"
)

// Line is one number of a port order.
type Line struct {
	OrderID string `json:"-" db:"order_id"`
	// E164 is the number being ported.
	E164 string `json:"number" db:"e164"`
	// Carrier is the number's current carrier and AccountNumber the
	// customer's account number there, as the CSR shows them.
	Carrier       string `json:"carrier" db:"carrier"`
	AccountNumber string `json:"accountNumber,omitempty" db:"account_number"`
	Status        string `json:"status" db:"status"`
	// Reason is why the carrier rejected the number.
	Reason string `json:"reason,omitempty" db:"reason"`
	// NumberID is the inventory number created for the line (porting in).
	NumberID string `json:"numberId,omitempty" db:"number_id"`
	Seq      int    `json:"-" db:"seq"`

	// Filled by the store from the inventory number.
	NumberState  string `json:"numberState,omitempty" db:"number_state"`
	AssigneeName string `json:"assigneeName,omitempty" db:"assignee_name"`
}

// Event kinds a carrier reports; catalogue keys porting.event.<kind>.
const (
	EventReceived  = "received"  // the carrier has the order (its reference)
	EventAccepted  = "accepted"  // FOC date given, per number accepted or rejected
	EventException = "exception" // a problem to correct, with its reason
	EventRejected  = "rejected"  // the whole order refused, with its reason
	EventPorted    = "ported"    // the numbers moved on the port date
)

// Event is an answer from the carrier, by webhook or by polling.
type Event struct {
	// ID is the carrier's id of the event: the same event delivered twice
	// has the same id and is applied once.
	ID string `json:"id" db:"event_id"`
	// OrderID is Enlace's order id, which the submission gave the carrier
	// as its reference; CarrierRef the carrier's own.
	OrderID    string `json:"orderId" db:"order_id"`
	CarrierRef string `json:"carrierRef" db:"carrier_ref"`
	Kind       string `json:"kind" db:"kind"`
	// OccurredAt is the carrier's time of the event: events apply in that
	// order, and one older than the last applied is kept but not applied.
	OccurredAt time.Time  `json:"occurredAt" db:"occurred_at"`
	FOCDate    *time.Time `json:"focDate,omitempty" db:"-"`
	Reason     string     `json:"reason,omitempty" db:"-"`
	// Numbers are the per-number answers of an acceptance; numbers not
	// named are accepted.
	Numbers []EventNumber `json:"numbers,omitempty" db:"-"`
	// Payload is the event as received, kept for the record.
	Payload    string    `json:"-" db:"payload"`
	ReceivedAt time.Time `json:"receivedAt" db:"received_at"`
	// Applied is false for a stale or out-of-place event kept only for
	// the record.
	Applied bool `json:"applied" db:"applied"`
}

// EventNumber is the carrier's answer for one number.
type EventNumber struct {
	E164   string `json:"number"`
	Status string `json:"status"` // accepted or rejected
	Reason string `json:"reason,omitempty"`
}

// Submission is what is sent to the carrier.
type Submission struct {
	// Key is the idempotency key: the same submission sent again (after a
	// timeout) has the same key, and the carrier answers it once.
	Key           string
	OrderID       string
	RequestedDate time.Time
	AccountName   string
	Address       string
	Numbers       []Line
	// LOA is the signed LOA as a PDF and its SHA-256.
	LOA       []byte
	LOASHA256 string
}

// Receipt is the carrier's acknowledgement of a submission.
type Receipt struct {
	CarrierRef string
}

// Carrier is the gateway of the carrier that ports the numbers in. One
// implementation speaks HTTP and JSON to a carrier gateway
// (internal/carrier); tests use a fake behind the same interface.
type Carrier interface {
	// Submit sends a signed order. It is idempotent by Submission.Key.
	// A timeout or a 5xx is an error to retry with the same key; a
	// refusal of the request itself is an *enlace.Error with
	// EINVALID/ECONFLICT, not retried.
	Submit(ctx context.Context, s Submission) (Receipt, error)
	// Events returns the carrier's events on an order after the event
	// with id after ("" for all), oldest first: polling, for when a
	// webhook was lost.
	Events(ctx context.Context, carrierRef, after string) ([]Event, error)
	// Cancel withdraws a submitted order, idempotent by key.
	Cancel(ctx context.Context, carrierRef, key string) error
}

// Filter selects port orders. Empty fields do not filter.
type Filter struct {
	CustomerID string
	ProjectID  string
	State      string
	// Open lists only the orders with work ahead.
	Open   bool
	Offset int
	Limit  int
}

// Change is a port order's change for the store: the order as it should
// be (its Version the one read), the lines that changed, the inventory
// numbers to create or save, and an event to record.
type Change struct {
	Order *Order
	// Lines are written by number (inserted or updated); with
	// ReplaceLines, the order's other lines are deleted.
	Lines        []Line
	ReplaceLines bool
	NewNumbers   []numbering.Number
	Numbers      []numbering.Number
	Event        *Event
}

// Store is what porting needs of the database.
type Store interface {
	// CreateOrder stores a new order (c.Order), its lines (c.Lines) and
	// the inventory numbers it brings in (c.NewNumbers), giving it the
	// next folio of the year (PORT-2026-000042), with the effects, in one
	// transaction.
	CreateOrder(ctx context.Context, c Change, effects ...enlace.Effect) error
	OrderByID(ctx context.Context, id string) (*Order, error)
	// OrderLines returns an order's numbers in the order entered, with
	// their inventory numbers' state and assignee.
	OrderLines(ctx context.Context, orderID string) ([]Line, error)
	FindOrders(ctx context.Context, f Filter) ([]Order, int, error)
	// SaveOrder writes a change in one transaction with its effects: the
	// order (only if its version is still the one read, then incremented;
	// ECONFLICT otherwise), its lines (replaced when ReplaceLines), the
	// numbers (created, or saved by version), the event (inserted as
	// applied, or marked applied when it was kept unapplied before; one
	// already applied fails with ECONFLICT porting.error.event_seen). The
	// signature is written when the order has one.
	SaveOrder(ctx context.Context, c Change, effects ...enlace.Effect) error
	// RecordEffects commits effects that change no order: a notice, the
	// next poll.
	RecordEffects(ctx context.Context, effects ...enlace.Effect) error
	// RecordEvent keeps a carrier event that is not applied (stale, or
	// for an order in no state to take it), ignoring one already kept.
	RecordEvent(ctx context.Context, ev *Event) error
	// EventSeen reports whether an event with that id was kept already.
	EventSeen(ctx context.Context, eventID string) (bool, error)
	OrderEvents(ctx context.Context, orderID string) ([]Event, error)

	FindDocuments(ctx context.Context, f document.Filter) ([]document.Document, int, error)
	CustomerByID(ctx context.Context, id string) (*customer.Customer, error)
	BillingAccountByID(ctx context.Context, id string) (*customer.BillingAccount, error)
	SiteByID(ctx context.Context, id string) (*inventory.Site, error)
	ProjectByID(ctx context.Context, id string) (*activation.Project, error)
	UserByID(ctx context.Context, id string) (*identity.User, error)
	MembershipOf(ctx context.Context, userID, customerID string) (*identity.Membership, error)
	FindMembers(ctx context.Context, f identity.MemberFilter) ([]identity.Member, int, error)
	CustomerAdmins(ctx context.Context, customerID string) ([]identity.User, error)
	// HeldNumbers and NumberByID are the numbering store's.
	HeldNumbers(ctx context.Context, e164s []string) (map[string]bool, error)
	NumberByID(ctx context.Context, id string) (*numbering.Number, error)
}
