package numbering_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// BenchmarkImport100k loads a CSV of 100,000 numbers from upload to the
// last batch written: decoding, parsing, reading every number with
// libphonenumber, checking who holds them and writing them, as the
// import job does (set ENLACE_TEST_DATABASE_URL for PostgreSQL).
func BenchmarkImport100k(b *testing.B) {
	const rows = 100000
	var csv strings.Builder
	csv.WriteString("numero,estado,cnam,ubicacion\n")
	for i := range rows {
		fmt.Fprintf(&csv, "+52 81 %04d %04d,disponible,AURORA,\"Av. Constitución 400, Monterrey\"\n", 8100+i/10000, i%10000)
	}
	data := []byte(csv.String())
	for b.Loop() {
		b.StopTimer()
		store := sqlstore.MustOpenTest(b, enlace.SystemClock{})
		svc := numbering.NewService(store, enlace.SystemClock{})
		c := customer.Customer{ID: enlace.NewID(), Number: "1", Name: "c"}
		if err := store.CreateCustomer(context.Background(), &c); err != nil {
			b.Fatal(err)
		}
		ctx := enlace.WithActor(context.Background(), &enlace.Actor{UserID: "u", StaffRole: "admin"})
		b.StartTimer()
		imp, err := svc.StartImport(ctx, c.ID, "numeros.csv", data)
		if err != nil {
			b.Fatal(err)
		}
		if err := svc.RunImport(ctx, imp.ID); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if imp, err = svc.GetImport(ctx, imp.ID); err != nil || imp.Created != rows || imp.ErrorRows != 0 {
			b.Fatalf("import = %+v, %v; want %d numbers", imp, err, rows)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
