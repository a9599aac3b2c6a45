package ordering

import (
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
)

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
