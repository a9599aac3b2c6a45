package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/ordering"
)

// TestProductOrders: orders round-trip with their items, filters find
// them by tenant, state and date, a stale write is refused, a
// cancellation request commits with the order, and deleting takes the
// requests along.
func TestProductOrders(t *testing.T) {
	ctx := context.Background()
	clock := enlace.NewFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 123456789, time.UTC))
	s := MustOpenTest(t, clock)
	orders := make([]ordering.ProductOrder, 3)
	for i, c := range []struct{ customer, account, state string }{{"A", "A1", ordering.OrderAcknowledged}, {"A", "A2", ordering.OrderInProgress}, {"B", "B1", ordering.OrderAcknowledged}} {
		orders[i] = ordering.ProductOrder{ID: enlace.NewID(), CustomerID: c.customer, BillingAccountID: c.account, State: c.state,
			ExternalID: "X-" + c.account, Document: `{"description":"Pedido"}`, CreatedBy: "u1", CreatedRole: "pm",
			Items: ordering.OrderItems{{ID: "1", Action: "add", Runbook: "hosted-exchange", Options: map[string]bool{"bulk_load": false}, State: ordering.OrderAcknowledged}}}
		if err := s.CreateProductOrder(ctx, &orders[i], jobs.New("test.job", nil, time.Time{})); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Second)
	}
	got, err := s.ProductOrderByID(ctx, orders[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&orders[0], got); diff != "" {
		t.Errorf("ProductOrderByID (-stored +read):\n%s", diff)
	}
	if want := time.Date(2026, 3, 2, 15, 0, 0, 123000000, time.UTC); !got.OrderDate.Equal(want) {
		t.Errorf("order date = %v, want milliseconds only: %v", got.OrderDate, want)
	}
	a := "A"
	for _, tt := range []struct {
		name string
		f    ordering.OrderFilter
		want int
	}{
		{"all", ordering.OrderFilter{}, 3},
		{"customer A", ordering.OrderFilter{CustomerID: &a}, 2},
		{"customer A, account A2", ordering.OrderFilter{CustomerID: &a, Accounts: []string{"A2"}}, 1},
		{"no accounts", ordering.OrderFilter{CustomerID: &a, Accounts: []string{}}, 0},
		{"in progress", ordering.OrderFilter{States: []string{ordering.OrderInProgress}}, 1},
		{"two states", ordering.OrderFilter{States: []string{ordering.OrderInProgress, ordering.OrderAcknowledged}}, 3},
		{"external id", ordering.OrderFilter{ExternalID: &orders[2].ExternalID}, 1},
		{"order date equal", ordering.OrderFilter{OrderDate: []ordering.DateCondition{{Op: "eq", At: orders[1].OrderDate}}}, 1},
		{"after the first", ordering.OrderFilter{OrderDate: []ordering.DateCondition{{Op: "gt", At: orders[0].OrderDate}}}, 2},
		{"between", ordering.OrderFilter{OrderDate: []ordering.DateCondition{{Op: "gte", At: orders[0].OrderDate}, {Op: "lt", At: orders[2].OrderDate}}}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.f.Limit = 10
			list, total, err := s.FindProductOrders(ctx, tt.f)
			if err != nil || total != tt.want || len(list) != tt.want {
				t.Errorf("FindProductOrders = %d (total %d), %v; want %d", len(list), total, err, tt.want)
			}
		})
	}

	read := got.UpdatedAt
	got.State, got.Items[0].ProjectID = ordering.OrderInProgress, "p1"
	cancel := &ordering.CancelRequest{ID: enlace.NewID(), ProductOrderID: got.ID, CustomerID: "A", BillingAccountID: "A1",
		State: ordering.TaskDone, Reason: "ya no", CreatedBy: "u1"}
	if err := s.SaveProductOrder(ctx, got, read, cancel); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveProductOrder(ctx, got, read, nil); enlace.ErrorCode(err) != enlace.ECONFLICT {
		t.Errorf("SaveProductOrder with a stale read = %v, want conflict", err)
	}
	again, _ := s.ProductOrderByID(ctx, got.ID)
	if again.State != ordering.OrderInProgress || again.Items[0].ProjectID != "p1" {
		t.Errorf("saved order = %s %+v", again.State, again.Items)
	}
	cs, total, err := s.FindCancelRequests(ctx, ordering.CancelFilter{ProductOrderID: &got.ID, Limit: 10})
	if err != nil || total != 1 || cs[0].Reason != "ya no" {
		t.Errorf("FindCancelRequests = %+v (%d), %v", cs, total, err)
	}
	if err := s.DeleteProductOrder(ctx, got.ID, read); enlace.ErrorCode(err) != enlace.ECONFLICT {
		t.Errorf("DeleteProductOrder with a stale read = %v, want conflict", err)
	}
	if err := s.DeleteProductOrder(ctx, got.ID, again.UpdatedAt); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ProductOrderByID(ctx, got.ID); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("deleted order = %v, want not found", err)
	}
	if _, err := s.CancelRequestByID(ctx, cancel.ID); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("cancel request of a deleted order = %v, want not found", err)
	}
}

// TestHubs: subscriptions are kept per API and deleted once.
func TestHubs(t *testing.T) {
	ctx := context.Background()
	s := MustOpenTest(t, enlace.SystemClock{})
	h := &ordering.Hub{ID: enlace.NewID(), API: "productOrderingManagement", Version: "v4", Callback: "https://crm.example/listener", CreatedBy: "u"}
	if err := s.CreateHub(ctx, h); err != nil {
		t.Fatal(err)
	}
	if hs, err := s.Hubs(ctx, "productOrderingManagement"); err != nil || len(hs) != 1 || hs[0].Callback != h.Callback {
		t.Errorf("Hubs = %+v, %v", hs, err)
	}
	if hs, _ := s.Hubs(ctx, "troubleTicket"); len(hs) != 0 {
		t.Errorf("another API's hubs = %+v", hs)
	}
	if err := s.DeleteHub(ctx, h.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteHub(ctx, h.ID); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("second DeleteHub = %v, want not found", err)
	}
}
