package tmf

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
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

// Item actions (ItemActionType).
var itemActions = []string{"add", "modify", "delete", "noChange"}

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
	if it == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]OrderItem(it))
	return string(b), err
}

// Scan implements sql.Scanner.
func (it *OrderItems) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		*it = nil
		return nil
	default:
		return errors.New("tmf: order items of unexpected type")
	}
	return json.Unmarshal(b, (*[]OrderItem)(it))
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

// OrderStore is what product ordering needs of the database. Writes commit
// their effects (audit entries, event deliveries) in the same transaction.
type OrderStore interface {
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

// itemState is the state of an item that started a project: its
// project's status, seen as TMF622 names it.
func itemState(projectStatus string) string {
	switch projectStatus {
	case activation.ProjectCompleted:
		return OrderCompleted
	case activation.ProjectCancelled:
		return OrderCancelled
	}
	return OrderInProgress
}

// settleState brings the items' states and the order's in line with the
// projects (statuses by project id), at now:
//
//   - an item that started a project has its project's state; one whose
//     project could not start is failed; one still to start is
//     acknowledged, or cancelled once the order is; an item that maps to
//     no runbook stays acknowledged and does not count;
//   - the order is acknowledged while nothing has started, in progress
//     while a project is active or an item waits to start, and at the end
//     completed (every item completed), cancelled (the order was cancelled,
//     or every item was), failed (none completed) or partial.
func settleState(o *ProductOrder, projects map[string]string, now time.Time) {
	count := map[string]int{}
	counted := 0
	for i := range o.Items {
		it := &o.Items[i]
		switch {
		case it.ProjectID != "":
			if st, ok := projects[it.ProjectID]; ok {
				it.State = itemState(st)
			}
		case it.Problem != nil:
			it.State = OrderFailed
		case it.Runbook != "" && o.CancellationDate != nil:
			it.State = OrderCancelled
		default:
			it.State = OrderAcknowledged
		}
		if it.Runbook != "" {
			counted++
			count[it.State]++
		}
	}
	cancelled := o.CancellationDate != nil
	switch {
	case counted == 0 && cancelled:
		o.State = OrderCancelled
	case counted == 0 || count[OrderAcknowledged] == counted:
		o.State = OrderAcknowledged
	case count[OrderInProgress] > 0 || count[OrderAcknowledged] > 0:
		o.State = OrderInProgress
	case cancelled || count[OrderCancelled] == counted:
		o.State = OrderCancelled
	case count[OrderCompleted] == counted:
		o.State = OrderCompleted
	case count[OrderCompleted] == 0:
		o.State = OrderFailed
	default:
		o.State = OrderPartial
	}
	if final(o.State) && o.CompletionDate == nil {
		o.CompletionDate = &now
	}
	if o.State == OrderCancelled && o.CancellationDate == nil {
		o.CancellationDate = &now
	}
}

// final reports whether an order state is an end: nothing more happens.
func final(state string) bool {
	switch state {
	case OrderCompleted, OrderPartial, OrderFailed, OrderCancelled:
		return true
	}
	return false
}
