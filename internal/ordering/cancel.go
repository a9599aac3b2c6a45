package ordering

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// Cancel carries out a cancelProductOrder: the order's active projects are
// cancelled, the order ends cancelled (items not started never start) and
// the request is done. An order that has already ended cannot be
// cancelled: the request is kept, terminatedWithError.
func (o *Service) Cancel(ctx context.Context, in CancelInput) (*CancelRequest, error) {
	a, po, err := o.changeable(ctx, in.OrderID)
	if err != nil {
		return nil, err
	}
	now := o.Clock.Now().UTC().Truncate(time.Millisecond)
	reason := truncate(strings.TrimSpace(in.Reason), 500)
	c := &CancelRequest{ID: enlace.NewID(), ProductOrderID: po.ID, CustomerID: po.CustomerID, BillingAccountID: po.BillingAccountID,
		State: TaskAcknowledged, Reason: reason, CreatedBy: a.UserID, CreationDate: now}
	if requested := in.RequestedDate; !requested.IsZero() {
		c.RequestedDate = &requested
	}
	// The order as its projects stand, which its stored state may not
	// show yet.
	ended, err := o.ended(ctx, po)
	if err != nil {
		return nil, err
	}
	if ended {
		c.State, c.ProblemKey = TaskTerminatedWithError, "tmf622.cancel_final"
	} else {
		if err := o.cancelProjects(ctx, po.ID, reason); err != nil {
			return nil, err
		}
		c.State, c.EffectiveDate = TaskDone, &now
	}
	_, err = o.update(ctx, po.ID, func(po *ProductOrder) ([]enlace.Effect, *CancelRequest, error) {
		if !ended {
			po.CancellationDate, po.CancellationReason = &now, reason
		}
		created := *c
		created.State, created.EffectiveDate = TaskAcknowledged, nil
		effects := []enlace.Effect{audit.Record(ctx, "product_order.cancel", "product_order", po.ID, po.CustomerID,
			map[string]string{"reason": reason, "result": c.State})}
		for _, ev := range []struct {
			kind string
			c    CancelRequest
		}{{EventCancelCreate, created}, {EventCancelStateChange, *c}} {
			evs, err := o.cancelEvents(ctx, ev.kind, ev.c)
			if err != nil {
				return nil, nil, err
			}
			effects = append(effects, evs...)
		}
		return effects, c, nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ended reports whether an order has reached its end, as its projects
// stand now.
func (o *Service) ended(ctx context.Context, po *ProductOrder) (bool, error) {
	status, err := o.projectStatus(ctx, po.ID)
	if err != nil {
		return false, err
	}
	current := *po
	current.Items = slices.Clone(po.Items)
	settleState(&current, status, o.Clock.Now())
	return final(current.State), nil
}

// cancelProjects cancels the order's active projects as the actor. One
// that closed meanwhile is left as it is; one changed meanwhile is tried
// again.
func (o *Service) cancelProjects(ctx context.Context, orderID, reason string) error {
	projects, err := o.Store.ProductOrderProjects(ctx, orderID)
	if err != nil {
		return err
	}
	for _, p := range projects {
		if p.Status != activation.ProjectActive {
			continue
		}
		for attempt := 1; ; attempt++ {
			_, err := o.Projects.Cancel(ctx, p.ID, reason)
			e := enlace.AsError(err)
			if err == nil || e.Code == enlace.ENOTFOUND || e.Message == "activation.error.project_closed" {
				break
			}
			if e.Code != enlace.ECONFLICT || attempt == 3 {
				return err
			}
		}
	}
	return nil
}

// CancelRequests returns a page of the cancellation requests of the orders
// the actor may see, and their total.
func (o *Service) CancelRequests(ctx context.Context, f CancelFilter) ([]CancelRequest, int, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, 0, err
	}
	if !a.IsStaff() {
		f.CustomerID, f.Accounts = &a.CustomerID, a.BillingAccountIDs
	}
	return o.Store.FindCancelRequests(ctx, f)
}

// CancelRequest returns a cancellation request of an order the actor may
// see.
func (o *Service) CancelRequest(ctx context.Context, id string) (*CancelRequest, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	c, err := o.Store.CancelRequestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !sees(a, c.CustomerID, c.BillingAccountID) {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return c, nil
}
