package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// BenchmarkImportNumbers writes 100,000 numbers of one customer through
// ImportBatch in batches of 1,000, the store's part of a CSV import of
// numbers.
func BenchmarkImportNumbers(b *testing.B) {
	ctx := context.Background()
	const rows, batch = 100000, 1000
	for b.Loop() {
		b.StopTimer()
		s := sqlstore.MustOpenTest(b, enlace.SystemClock{})
		c := customer.Customer{ID: enlace.NewID(), Number: "1", Name: "c"}
		if err := s.CreateCustomer(ctx, &c); err != nil {
			b.Fatal(err)
		}
		imp := &numbering.Import{ID: enlace.NewID(), CustomerID: c.ID, FileName: "numeros.csv",
			Status: numbering.ImportRunning, TotalRows: rows, CreatedBy: "u"}
		if err := s.CreateNumberImport(ctx, imp, ""); err != nil {
			b.Fatal(err)
		}
		ns := make([]numbering.Number, rows)
		for i := range ns {
			ns[i] = numbering.Number{ID: enlace.NewID(), CustomerID: c.ID, E164: fmt.Sprintf("+5255%08d", i),
				Country: "MX", State: numbering.StateAvailable}
		}
		b.StartTimer()
		for lo := 0; lo < rows; lo += batch {
			imp.ProcessedRows, imp.Created = lo+batch, lo+batch
			if err := s.ImportBatch(ctx, imp, ns[lo:lo+batch]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
