package ordering

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/jobs"
)

// Job kinds of product ordering.
const (
	// StartJob starts, a while after an order was posted, the projects
	// the request did not get to start (the process stopped, the database
	// failed); it finds a project already started by its order reference.
	StartJob = "tmf622.start"
	// DeliverJob posts one event to one hub's callback.
	DeliverJob = "tmf.deliver"
)

// startDelay is how long after an order is posted StartJob looks at it:
// longer than any request takes to start its projects.
const startDelay = 5 * time.Minute

// Renderer shows product ordering's resources in the events sent to the
// hubs, in the version (v4, v5) each hub chose; the API adapter, which
// shows them in its answers, provides it.
type Renderer interface {
	Order(po *ProductOrder, version string) (map[string]any, error)
	Cancel(c *CancelRequest, version string) map[string]any
}

// Deps are what product ordering needs.
type Deps struct {
	Store     Store
	Projects  *activation.Service
	Customers *customer.Service
	Inventory *inventory.Manager
	// Renderer renders the resources events carry.
	Renderer Renderer
	Clock    enlace.Clock
	Logger   *slog.Logger
	// Client posts events to the hubs; nil is a client with timeouts that
	// does not follow redirects.
	Client *http.Client
}

// Service runs TMF622 product orders. It keeps what a CRM orders, starts
// an activation project for each item to add whose product offering a
// runbook lists, keeps the order's state in step with those projects, and
// posts the order's events to the subscribed hubs from the job queue.
//
// Staff see every order; a customer user sees their customer's orders (on
// the billing accounts they may see), and another's are not found. Staff
// who manage projects (administrators and project managers) post, change,
// cancel and delete orders and subscribe hubs; the projects are started as
// them.
type Service struct {
	Deps
	wake func()
}

// NewService returns the product ordering service.
func NewService(d Deps) *Service {
	if d.Clock == nil {
		d.Clock = enlace.SystemClock{}
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Client == nil {
		d.Client = &http.Client{Timeout: 15 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	return &Service{Deps: d, wake: func() {}}
}

// Register adds the jobs of product ordering to the runner: the order's
// state follows its projects' changes (activation.ChangedJob), projects
// left to start are started, events are delivered.
func (o *Service) Register(r *jobs.Runner) {
	r.Handle(activation.ChangedJob, o.projectChanged)
	r.Handle(StartJob, o.startLeft)
	r.Handle(DeliverJob, o.deliver)
	o.wake = r.Wake
}

// CheckWrite returns nil when the actor may post, change, cancel and
// delete orders and manage hubs, else why not (EUNAUTHORIZED, EFORBIDDEN).
// The API asks before it reads a body, so that who may not write hears so
// before what is wrong with what they sent.
func (o *Service) CheckWrite(ctx context.Context) error {
	_, err := writer(ctx)
	return err
}

func signedIn(ctx context.Context) (*enlace.Actor, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	return a, nil
}

// writer returns the actor when they may change orders and hubs.
func writer(ctx context.Context) (*enlace.Actor, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !activation.CanManage(a) {
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	return a, nil
}

// sees reports whether the actor may see an order of a customer and
// billing account.
func sees(a *enlace.Actor, customerID, accountID string) bool {
	if a.IsStaff() {
		return true
	}
	return customerID != "" && customerID == a.CustomerID &&
		(a.BillingAccountIDs == nil || slices.Contains(a.BillingAccountIDs, accountID))
}

// Orders returns a page of the orders the actor may see, and their total.
func (o *Service) Orders(ctx context.Context, f OrderFilter) ([]ProductOrder, int, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, 0, err
	}
	if !a.IsStaff() {
		f.CustomerID, f.Accounts = &a.CustomerID, a.BillingAccountIDs
	}
	return o.Store.FindProductOrders(ctx, f)
}

// Order returns an order the actor may see.
func (o *Service) Order(ctx context.Context, id string) (*ProductOrder, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	po, err := o.Store.ProductOrderByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !sees(a, po.CustomerID, po.BillingAccountID) {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return po, nil
}

// changeable returns an order the actor may see and change.
func (o *Service) changeable(ctx context.Context, id string) (*enlace.Actor, *ProductOrder, error) {
	po, err := o.Order(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	a, err := writer(ctx)
	return a, po, err
}

// Create stores a product order and starts the projects of its items.
// An order whose references Enlace cannot map is kept all the same: the
// items that cannot start say why.
func (o *Service) Create(ctx context.Context, in *OrderInput) (*ProductOrder, error) {
	a, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	po := &ProductOrder{ID: enlace.NewID(), State: OrderAcknowledged, ExternalID: truncate(in.ExternalID, 200),
		Category: truncate(in.Category, 200), Priority: truncate(in.Priority, 50), CreatedBy: a.UserID,
		CreatedRole: a.StaffRole, OrderDate: o.Clock.Now().UTC().Truncate(time.Millisecond)}
	if err := po.setDocument(in.Document); err != nil {
		return nil, err
	}
	if err := o.mapOrder(ctx, in, po); err != nil {
		return nil, err
	}
	effects := []enlace.Effect{audit.Record(ctx, "product_order.create", "product_order", po.ID, po.CustomerID,
		map[string]any{"items": len(po.Items), "external_id": po.ExternalID})}
	if slices.ContainsFunc(po.Items, func(it OrderItem) bool { return it.waiting() }) {
		effects = append(effects, jobs.New(StartJob, startPayload{OrderID: po.ID}, po.OrderDate.Add(startDelay)))
	}
	events, err := o.orderEvents(ctx, EventOrderCreate, po)
	if err != nil {
		return nil, err
	}
	if err := o.Store.CreateProductOrder(ctx, po, append(effects, events...)...); err != nil {
		return nil, err
	}
	o.wake()
	started, err := o.start(ctx, po.ID)
	if err != nil {
		// The order is stored: StartJob will try again; the client must
		// not post it twice.
		o.Logger.ErrorContext(ctx, "start the projects of a product order", "order", po.ID, "err", err)
		return po, nil
	}
	return started, nil
}

// start starts the projects of the order's items that wait for one and
// settles the order. It returns the order as saved; an error of starting
// that retrying may mend comes with it.
func (o *Service) start(ctx context.Context, id string) (*ProductOrder, error) {
	po, err := o.Store.ProductOrderByID(ctx, id)
	if err != nil {
		return nil, err
	}
	started, problems := map[string]string{}, map[string]*Problem{}
	var failed error
	if po.CancellationDate == nil && slices.ContainsFunc(po.Items, func(it OrderItem) bool { return it.waiting() }) {
		failed = o.startWaiting(ctx, po, started, problems)
	}
	po, err = o.update(ctx, id, func(po *ProductOrder) ([]enlace.Effect, *CancelRequest, error) {
		for i := range po.Items {
			it := &po.Items[i]
			if pid, ok := started[it.ID]; ok && it.ProjectID == "" {
				it.ProjectID = pid
			}
			if p, ok := problems[it.ID]; ok && it.ProjectID == "" {
				it.Problem = p
			}
		}
		return nil, nil, nil
	})
	if err != nil {
		return nil, err
	}
	return po, failed
}

// startWaiting starts a project for each item waiting for one, as the
// actor of ctx, unless one with the item's reference exists already.
func (o *Service) startWaiting(ctx context.Context, po *ProductOrder, started map[string]string, problems map[string]*Problem) error {
	existing, err := o.Store.ProductOrderProjects(ctx, po.ID)
	if err != nil {
		return err
	}
	var failed error
	for _, it := range po.Items {
		if !it.waiting() {
			continue
		}
		if i := slices.IndexFunc(existing, func(p OrderProject) bool { return p.OrderRef == it.Ref }); i >= 0 {
			started[it.ID] = existing[i].ID
			continue
		}
		in := activation.StartInput{CustomerID: po.CustomerID, BillingAccountID: it.AccountID, SiteID: it.SiteID,
			OrderRef: it.Ref, Title: it.Title, Runbook: it.Runbook, Options: it.Options, ProductOrderID: po.ID}
		if it.StartAt != nil {
			in.StartAt = *it.StartAt
		}
		v, err := o.Projects.Start(ctx, in)
		switch enlace.ErrorCode(err) {
		case "":
			started[it.ID] = v.Project.ID
		case enlace.EINVALID, enlace.EFORBIDDEN, enlace.ENOTFOUND:
			problems[it.ID] = problemOf(err)
		default:
			failed = err
		}
	}
	return failed
}

// problemOf keeps why a project could not start: the first field's
// message, or the error's.
func problemOf(err error) *Problem {
	e := enlace.AsError(err)
	if len(e.Fields) > 0 {
		return &Problem{Key: e.Fields[0].Message, Args: e.Fields[0].Args}
	}
	return &Problem{Key: e.Message, Args: e.Args}
}

// update loads an order, settles its state on its projects', lets fn
// change it, settles it again and saves it with fn's effects, the state
// change's events and cancel (when fn returns one), retrying when someone
// changed the order meanwhile. An order nothing changed is not written.
func (o *Service) update(ctx context.Context, id string,
	fn func(po *ProductOrder) ([]enlace.Effect, *CancelRequest, error)) (*ProductOrder, error) {
	for attempt := 1; ; attempt++ {
		po, err := o.Store.ProductOrderByID(ctx, id)
		if err != nil {
			return nil, err
		}
		read, was := po.UpdatedAt, po.State
		before, err := json.Marshal(po)
		if err != nil {
			return nil, err
		}
		status, err := o.projectStatus(ctx, id)
		if err != nil {
			return nil, err
		}
		now := o.Clock.Now().UTC().Truncate(time.Millisecond)
		settleState(po, status, now) // fn sees the order as its projects stand
		effects, cancel, err := fn(po)
		if err != nil {
			return nil, err
		}
		settleState(po, status, now)
		if po.State != was {
			events, err := o.orderEvents(ctx, EventOrderStateChange, po)
			if err != nil {
				return nil, err
			}
			effects = append(effects, events...)
		}
		if after, err := json.Marshal(po); err == nil && len(effects) == 0 && cancel == nil && string(after) == string(before) {
			return po, nil // nothing changed: nothing to write
		}
		err = o.Store.SaveProductOrder(ctx, po, read, cancel, effects...)
		if enlace.ErrorCode(err) == enlace.ECONFLICT && attempt < 5 {
			continue
		}
		if err != nil {
			return nil, err
		}
		o.wake()
		return po, nil
	}
}

// projectStatus returns the status of each project an order started.
func (o *Service) projectStatus(ctx context.Context, orderID string) (map[string]string, error) {
	projects, err := o.Store.ProductOrderProjects(ctx, orderID)
	if err != nil {
		return nil, err
	}
	status := make(map[string]string, len(projects))
	for _, p := range projects {
		status[p.ID] = p.Status
	}
	return status, nil
}

// Patch changes an order's attributes by a JSON merge patch (RFC 7386).
// What decides the projects (items, parties, billing account) and what
// Enlace sets (id, state, dates) cannot change; id and href may be sent
// when they name the order. read reads and checks the patched document,
// as the API reads a posted order.
func (o *Service) Patch(ctx context.Context, id string, patch map[string]any, read func(doc []byte) (*OrderInput, error)) (*ProductOrder, error) {
	if _, _, err := o.changeable(ctx, id); err != nil {
		return nil, err
	}
	var errs []enlace.FieldError
	for k, v := range patch {
		switch {
		case k == "id" && v == id, k == "href" && isString(v):
		case slices.Contains(serverAttributes, k) || slices.Contains(fixedAttributes, k):
			errs = append(errs, enlace.Field(k, "tmf.not_patchable"))
		}
	}
	if err := enlace.Invalid(errs); err != nil {
		return nil, err
	}
	delete(patch, "id")
	delete(patch, "href")
	return o.update(ctx, id, func(po *ProductOrder) ([]enlace.Effect, *CancelRequest, error) {
		doc, err := po.Attributes()
		if err != nil {
			return nil, nil, err
		}
		merged := mergePatch(doc, patch).(map[string]any)
		b, err := json.Marshal(merged)
		if err != nil {
			return nil, nil, err
		}
		in, err := read(b)
		if err != nil {
			return nil, nil, err
		}
		po.Document, po.ExternalID = string(b), truncate(in.ExternalID, 200)
		po.Category, po.Priority = truncate(in.Category, 200), truncate(in.Priority, 50)
		keys := slices.Sorted(maps.Keys(patch))
		events, err := o.orderEvents(ctx, EventOrderAttributeChange, po)
		if err != nil {
			return nil, nil, err
		}
		return append([]enlace.Effect{audit.Record(ctx, "product_order.update", "product_order", po.ID, po.CustomerID,
			map[string]any{"attributes": keys})}, events...), nil, nil
	})
}

// Delete deletes an order that has no project in progress: one where
// nothing has started, or that has ended. An order in progress must be
// cancelled first; its projects stay, for the record.
func (o *Service) Delete(ctx context.Context, id string) error {
	_, po, err := o.changeable(ctx, id)
	if err != nil {
		return err
	}
	if po.State == OrderInProgress {
		return enlace.Errorf(enlace.ECONFLICT, "tmf622.delete_in_progress")
	}
	events, err := o.orderEvents(ctx, EventOrderDelete, po)
	if err != nil {
		return err
	}
	effects := append([]enlace.Effect{audit.Record(ctx, "product_order.delete", "product_order", po.ID, po.CustomerID, nil)}, events...)
	if err := o.Store.DeleteProductOrder(ctx, po.ID, po.UpdatedAt, effects...); err != nil {
		return err
	}
	o.wake()
	return nil
}

type startPayload struct {
	OrderID string `json:"order_id"`
}

// startLeft is the handler of StartJob: it starts, as the staff user who
// posted the order, the projects that the request did not.
func (o *Service) startLeft(ctx context.Context, j jobs.Job) error {
	var pl startPayload
	if err := json.Unmarshal([]byte(j.Payload), &pl); err != nil || pl.OrderID == "" {
		return jobs.Permanent(fmt.Errorf("decode %s payload: %v", StartJob, err))
	}
	po, err := o.Store.ProductOrderByID(ctx, pl.OrderID)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if po.CancellationDate != nil || !slices.ContainsFunc(po.Items, func(it OrderItem) bool { return it.waiting() }) {
		return nil
	}
	ctx = enlace.WithActor(ctx, &enlace.Actor{UserID: po.CreatedBy, StaffRole: po.CreatedRole})
	_, err = o.start(ctx, po.ID)
	return err
}

// projectChanged is the handler of activation.ChangedJob: the order of a
// project that changed status settles its state, and its subscribers hear
// of a change.
func (o *Service) projectChanged(ctx context.Context, j jobs.Job) error {
	var pl activation.ChangedPayload
	if err := json.Unmarshal([]byte(j.Payload), &pl); err != nil {
		return jobs.Permanent(fmt.Errorf("decode %s payload: %v", activation.ChangedJob, err))
	}
	if pl.ProductOrderID == "" {
		return nil
	}
	_, err := o.update(ctx, pl.ProductOrderID, func(*ProductOrder) ([]enlace.Effect, *CancelRequest, error) { return nil, nil, nil })
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil // the order was deleted; its projects live on
	}
	return err
}
