package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// BenchmarkImportInventory writes 20,000 services of one customer in one
// bulk import, the store's part of a CSV import.
func BenchmarkImportInventory(b *testing.B) {
	ctx := context.Background()
	const rows = 20000
	for b.Loop() {
		b.StopTimer()
		s := sqlstore.MustOpenTest(b, enlace.SystemClock{})
		c := customer.Customer{ID: enlace.NewID(), Number: "1", Name: "c"}
		s.CreateCustomer(ctx, &c)
		ba := customer.BillingAccount{ID: enlace.NewID(), CustomerID: c.ID, Number: "b", Name: "b"}
		s.CreateBillingAccount(ctx, &ba)
		site := inventory.Site{ID: enlace.NewID(), Name: "s", AddressLine1: "a", City: "c", PostalCode: "64000", State: "NLE", Country: "MX"}
		day := time.Now()
		var svcs []inventory.Service
		for i := range rows {
			svcs = append(svcs, inventory.Service{ID: enlace.NewID(), Key: fmt.Sprintf("K-%06d", i), Category: "telco", Product: "p",
				SiteID: site.ID, BillingAccountID: ba.ID, Status: "active", State: "NLE", ActivatedOn: &day})
		}
		b.StartTimer()
		if err := s.ImportInventory(ctx, c.ID, []inventory.Site{site}, svcs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
