// Package ordering runs TMF622 product orders: it keeps what a CRM
// orders, maps each item onto Enlace (customer, billing account, site,
// runbook), starts an activation project for each item it delivers, keeps
// the order's state in step with those projects, carries out
// cancellations, and posts the order's events to the subscribed hubs from
// the job queue.
//
// It serves no HTTP request: the TM Forum API adapter (internal/tmf) reads
// the JSON a client sends into an OrderInput, and renders orders,
// cancellation requests and hubs in the shapes of TMF622 v4 and v5, for
// its answers and, through a Renderer, for the events this package sends.
package ordering

import (
	"context"
	"database/sql/driver"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Product order states (TMF622 ProductOrderStateType) that Enlace uses.
// An order is acknowledged when stored; it is in progress while one of its
// projects is active, and ends completed, partial (some items completed,
// others not), failed (no item could be delivered) or cancelled.
const (
	OrderAcknowledged = "acknowledged"
	OrderInProgress   = "inProgress"
	OrderCompleted    = "completed"
	OrderPartial      = "partial"
	OrderFailed       = "failed"
	OrderCancelled    = "cancelled"
)

// Task states of a cancelProductOrder (TMF622 TaskStateType).
const (
	TaskAcknowledged        = "acknowledged"
	TaskDone                = "done"
	TaskTerminatedWithError = "terminatedWithError"
)

// ProductOrder is a TMF622 product order as Enlace keeps it: the attributes
// the CRM sent (Document, returned as sent), what Enlace made of each item,
// and the state that follows the projects the items started.
type ProductOrder struct {
	ID string `db:"id"`
	// CustomerID is the Enlace customer the order is for; empty when no
	// related party or billing account names one (then only staff see it).
	CustomerID       string `db:"customer_id"`
	BillingAccountID string `db:"billing_account_id"`
	State            string `db:"state"`
	// ExternalID, Category and Priority are copies of the document's, for
	// filtering.
	ExternalID         string     `db:"external_id"`
	Category           string     `db:"category"`
	Priority           string     `db:"priority"`
	OrderDate          time.Time  `db:"order_date"`
	CompletionDate     *time.Time `db:"completion_date"`
	CancellationDate   *time.Time `db:"cancellation_date"`
	CancellationReason string     `db:"cancellation_reason"`
	// Document is the JSON object of the attributes the client sent,
	// without those the server sets (id, href, state, dates).
	Document string     `db:"document"`
	Items    OrderItems `db:"items"`
	// CreatedBy and CreatedRole are the staff user whose token posted the
	// order, who the projects are started as.
	CreatedBy   string    `db:"created_by"`
	CreatedRole string    `db:"created_role"`
	UpdatedAt   time.Time `db:"updated_at"`
}

// OrderItem is what Enlace made of one productOrderItem.
type OrderItem struct {
	ID     string `json:"id"`
	Action string `json:"action"`
	// Runbook is the runbook whose offerings list the item's product
	// offering; empty when none does (Enlace keeps the item, acknowledged).
	Runbook   string          `json:"runbook,omitempty"`
	AccountID string          `json:"accountId,omitempty"`
	SiteID    string          `json:"siteId,omitempty"`
	Options   map[string]bool `json:"options,omitempty"`
	Title     string          `json:"title,omitempty"`
	StartAt   *time.Time      `json:"startAt,omitempty"`
	// Ref is the order reference of the item's project, by which a
	// project started before a crash is found again.
	Ref       string `json:"ref,omitempty"`
	ProjectID string `json:"projectId,omitempty"`
	State     string `json:"state"`
	// Problem says why an item with a runbook could not start a project.
	Problem *Problem `json:"problem,omitempty"`
}

// Problem is a message key and its arguments, shown in the reader's
// language as a productOrderErrorMessage.
type Problem struct {
	Key  string         `json:"key"`
	Args map[string]any `json:"args,omitempty"`
}

// waiting reports whether the item should start a project and has not.
func (it *OrderItem) waiting() bool {
	return it.Runbook != "" && it.ProjectID == "" && it.Problem == nil
}

// OrderItems are stored as a JSON array.
type OrderItems []OrderItem

// Value implements driver.Valuer.
func (it OrderItems) Value() (driver.Value, error) {
	return enlace.JSONValue([]OrderItem(it), it == nil, "[]")
}

// Scan implements sql.Scanner.
func (it *OrderItems) Scan(src any) error {
	*it = nil
	return enlace.ScanJSON(src, (*[]OrderItem)(it))
}

// CancelRequest is a cancelProductOrder: the request to cancel an order and
// what became of it.
type CancelRequest struct {
	ID               string     `db:"id"`
	ProductOrderID   string     `db:"product_order_id"`
	CustomerID       string     `db:"customer_id"`
	BillingAccountID string     `db:"billing_account_id"`
	State            string     `db:"state"`
	Reason           string     `db:"cancellation_reason"`
	RequestedDate    *time.Time `db:"requested_cancellation_date"`
	EffectiveDate    *time.Time `db:"effective_cancellation_date"`
	CreationDate     time.Time  `db:"creation_date"`
	CreatedBy        string     `db:"created_by"`
	// ProblemKey says why a request ended terminatedWithError.
	ProblemKey string `db:"problem"`
}

// Hub is a subscription to a TM Forum API's events: they are posted to
// Callback. Query narrows them (eventType=…).
type Hub struct {
	ID        string    `db:"id"`
	API       string    `db:"api"`
	Version   string    `db:"version"`
	Callback  string    `db:"callback"`
	Query     string    `db:"query"`
	CreatedBy string    `db:"created_by"`
	CreatedAt time.Time `db:"created_at"`
}

// OrderProject is a project started by a product order, as the order's
// state needs it.
type OrderProject struct {
	ID       string `db:"id"`
	Status   string `db:"status"`
	OrderRef string `db:"order_ref"`
}

// DateCondition compares a date attribute: Op is eq, gt, gte, lt or lte.
type DateCondition struct {
	Op string
	At time.Time
}

// OrderFilter selects product orders. Nil fields do not filter.
type OrderFilter struct {
	ID         *string
	States     []string
	ExternalID *string
	Category   *string
	Priority   *string
	OrderDate  []DateCondition
	// CustomerID, when set, limits the orders to one customer's; Accounts,
	// when not nil, to those billing accounts.
	CustomerID *string
	Accounts   []string
	Offset     int
	Limit      int
}

// CancelFilter selects cancelProductOrder requests.
type CancelFilter struct {
	ID             *string
	ProductOrderID *string
	States         []string
	CustomerID     *string
	Accounts       []string
	Offset         int
	Limit          int
}

// Store is what product ordering needs of the database. Writes commit
// their effects (audit entries, event deliveries) in the same transaction.
type Store interface {
	// CreateProductOrder stores a new order (OrderDate, when zero, is the
	// transaction's time); it sets UpdatedAt.
	CreateProductOrder(ctx context.Context, o *ProductOrder, effects ...enlace.Effect) error
	ProductOrderByID(ctx context.Context, id string) (*ProductOrder, error)
	FindProductOrders(ctx context.Context, f OrderFilter) ([]ProductOrder, int, error)
	// SaveProductOrder writes the order if it is still at the version read
	// (UpdatedAt), and cancel when not nil; ECONFLICT when someone changed
	// the order meanwhile.
	SaveProductOrder(ctx context.Context, o *ProductOrder, read time.Time, cancel *CancelRequest, effects ...enlace.Effect) error
	// DeleteProductOrder deletes the order and its cancellation requests
	// if it is still at the version read.
	DeleteProductOrder(ctx context.Context, id string, read time.Time, effects ...enlace.Effect) error
	// ProductOrderProjects returns the projects started for an order.
	ProductOrderProjects(ctx context.Context, orderID string) ([]OrderProject, error)
	CancelRequestByID(ctx context.Context, id string) (*CancelRequest, error)
	FindCancelRequests(ctx context.Context, f CancelFilter) ([]CancelRequest, int, error)

	CreateHub(ctx context.Context, h *Hub, effects ...enlace.Effect) error
	HubByID(ctx context.Context, id string) (*Hub, error)
	Hubs(ctx context.Context, api string) ([]Hub, error)
	DeleteHub(ctx context.Context, id string, effects ...enlace.Effect) error
}
