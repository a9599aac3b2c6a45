package ordering

import (
	"slices"
	"testing"
	"time"
)

// TestSettleState checks the order's state against its items', row by
// row. Items are written as runbook/project status: "rb:active" started
// a project now active, "rb:" waits to start, "rb:!" could not start,
// "-" maps to no runbook.
func TestSettleState(t *testing.T) {
	now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name      string
		items     []string
		cancelled bool
		want      string
		wantItems []string
	}{
		{"nothing to start", []string{"-", "-"}, false, OrderAcknowledged, []string{OrderAcknowledged, OrderAcknowledged}},
		{"nothing to start, cancelled", []string{"-"}, true, OrderCancelled, []string{OrderAcknowledged}},
		{"waiting to start", []string{"rb:", "-"}, false, OrderAcknowledged, []string{OrderAcknowledged, OrderAcknowledged}},
		{"one active", []string{"rb:active", "-"}, false, OrderInProgress, []string{OrderInProgress, OrderAcknowledged}},
		{"one done, one waiting", []string{"rb:completed", "rb:"}, false, OrderInProgress, []string{OrderCompleted, OrderAcknowledged}},
		{"one done, one active", []string{"rb:completed", "rb:active"}, false, OrderInProgress, []string{OrderCompleted, OrderInProgress}},
		{"all done", []string{"rb:completed", "rb:completed", "-"}, false, OrderCompleted, []string{OrderCompleted, OrderCompleted, OrderAcknowledged}},
		{"all cancelled by the PM", []string{"rb:cancelled"}, false, OrderCancelled, []string{OrderCancelled}},
		{"done and cancelled", []string{"rb:completed", "rb:cancelled"}, false, OrderPartial, []string{OrderCompleted, OrderCancelled}},
		{"done and failed", []string{"rb:completed", "rb:!"}, false, OrderPartial, []string{OrderCompleted, OrderFailed}},
		{"none could start", []string{"rb:!", "rb:!"}, false, OrderFailed, []string{OrderFailed, OrderFailed}},
		{"cancelled order", []string{"rb:cancelled", "rb:"}, true, OrderCancelled, []string{OrderCancelled, OrderCancelled}},
		{"cancelled after a part was done", []string{"rb:completed", "rb:cancelled"}, true, OrderCancelled, []string{OrderCompleted, OrderCancelled}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := &ProductOrder{}
			projects := map[string]string{}
			for i, s := range tt.items {
				it := OrderItem{ID: string(rune('a' + i))}
				switch {
				case s == "-":
				case s == "rb:":
					it.Runbook = "rb"
				case s == "rb:!":
					it.Runbook, it.Problem = "rb", &Problem{Key: "k"}
				default:
					it.Runbook, it.ProjectID = "rb", "p"+it.ID
					projects[it.ProjectID] = s[len("rb:"):]
				}
				o.Items = append(o.Items, it)
			}
			if tt.cancelled {
				o.CancellationDate = &now
			}
			settleState(o, projects, now)
			var items []string
			for _, it := range o.Items {
				items = append(items, it.State)
			}
			if o.State != tt.want || !slices.Equal(items, tt.wantItems) {
				t.Errorf("settleState(%v) = %s %v, want %s %v", tt.items, o.State, items, tt.want, tt.wantItems)
			}
			if final(o.State) != (o.CompletionDate != nil) {
				t.Errorf("state %s with completion date %v", o.State, o.CompletionDate)
			}
		})
	}
}
