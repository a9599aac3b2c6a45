package importer_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/importer"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// fixture is an importer on a fresh database with one customer that has
// two billing accounts, 100200300 and 100200301, and one existing site.
type fixture struct {
	tb       testing.TB
	ctx      context.Context
	clock    *enlace.FakeClock
	url      string
	store    *sqlstore.Store
	inv      *inventory.Manager
	svc      *importer.Service
	runner   *jobs.Runner
	customer customer.Customer
	account  customer.BillingAccount
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	clock := enlace.NewFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
	f := &fixture{tb: tb, clock: clock, url: sqlstore.TestURL(tb)}
	f.ctx = enlace.WithActor(context.Background(), &enlace.Actor{UserID: enlace.NewID(), Email: "pm@proveedor.mx", StaffRole: "pm"})
	f.open()
	f.customer = customer.Customer{ID: enlace.NewID(), Number: "C-100", Name: "Alfa"}
	must(tb, f.store.CreateCustomer(f.ctx, &f.customer))
	f.account = customer.BillingAccount{ID: enlace.NewID(), CustomerID: f.customer.ID, Number: "100200300", Name: "HQ"}
	must(tb, f.store.CreateBillingAccount(f.ctx, &f.account))
	other := customer.BillingAccount{ID: enlace.NewID(), CustomerID: f.customer.ID, Number: "100200301", Name: "Sur"}
	must(tb, f.store.CreateBillingAccount(f.ctx, &other))
	site := inventory.Site{CustomerID: f.customer.ID, Name: "Bodega Existente", AddressLine1: "Calle 1", City: "Puebla", PostalCode: "72000", State: "PUE"}
	must(tb, f.inv.CreateSite(f.ctx, &site))
	return f
}

// open opens the database and builds the services, as a new process would.
func (f *fixture) open() {
	store, err := sqlstore.Open(context.Background(), f.url, f.clock)
	must(f.tb, err)
	f.tb.Cleanup(func() { store.Close() })
	must(f.tb, store.Migrate(context.Background()))
	f.store = store
	f.inv = inventory.NewManager(store, f.clock)
	f.svc = importer.NewService(store, f.inv, f.clock)
	f.runner = jobs.NewRunner(store, f.clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.svc.Register(f.runner)
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// counts returns the customer's sites and services.
func (f *fixture) counts() (int, int) {
	f.tb.Helper()
	sites, err := f.store.CustomerSites(f.ctx, f.customer.ID)
	must(f.tb, err)
	n, err := f.store.CountServices(f.ctx, inventory.ServiceFilter{CustomerID: f.customer.ID})
	must(f.tb, err)
	return len(sites), n
}

// run runs the due jobs and returns the import as they left it.
func (f *fixture) run(id string) *importer.Import {
	f.tb.Helper()
	if _, err := f.runner.RunDue(context.Background()); err != nil {
		f.tb.Fatal(err)
	}
	imp, err := f.svc.Get(f.ctx, id)
	must(f.tb, err)
	return imp
}

const header = "sitio,direccion,ciudad,codigo_postal,estado,pais,region,latitud,longitud,llave_de_servicio,categoria,producto,cuenta_facturacion,estatus,fecha_activacion\n"

const goodFile = header +
	"Matriz Monterrey,Av. Constitución 100,Monterrey,64000,Nuevo León,,,25.6866,-100.3161,MTY-0001,Conectividad,Internet 1 Gbps,100200300,Activo,2024-05-17\n" +
	"Matriz Monterrey,,,,,,,,,MTY-0002,telco,Troncal SIP,100200301,activo,17/05/2024\n" +
	"bodega existente,,,,,,,,,PUE-0001,TI,Mesa de ayuda,100200300,,2024-01-01\n" +
	"Oficina Austin,Congress Ave 1,Austin,78701,,US,Texas,,,AUS-0001,Ciberseguridad,Firewall,100200300,En activación,\n"

func TestCheckThenImport(t *testing.T) {
	f := newFixture(t)
	imp, err := f.svc.Upload(f.ctx, f.customer.ID, "C:\\Users\\ana\\inventario.csv", []byte(goodFile))
	must(t, err)
	if imp.FileName != "inventario.csv" || imp.TotalRows != 4 {
		t.Fatalf("Upload = %+v", imp)
	}
	imp = f.run(imp.ID)
	want := importer.Summary{Encoding: "UTF-8", Delimiter: ",", NewSites: 2, ExistingSites: 1, Services: 4,
		ByCategory: map[string]int{"connectivity": 1, "telco": 1, "it": 1, "cybersecurity": 1}}
	if imp.Status != importer.StatusReady || imp.ErrorRows != 0 || fmt.Sprint(imp.Summary) != fmt.Sprint(want) {
		t.Fatalf("after check: %s errors %d summary %+v", imp.Status, imp.ErrorRows, imp.Summary)
	}
	if s, v := f.counts(); s != 1 || v != 0 {
		t.Fatalf("the check wrote %d sites, %d services", s, v)
	}
	_, err = f.svc.Apply(f.ctx, imp.ID)
	must(t, err)
	if _, err := f.svc.Apply(f.ctx, imp.ID); enlace.ErrorCode(err) != enlace.ECONFLICT {
		t.Errorf("second Apply = %v, want conflict", err)
	}
	imp = f.run(imp.ID)
	if imp.Status != importer.StatusDone || imp.ProcessedRows != 4 {
		t.Fatalf("after import: %+v", imp)
	}
	if s, v := f.counts(); s != 3 || v != 4 {
		t.Fatalf("imported %d sites, %d services; want 3, 4", s, v)
	}
}

func TestBadInputWritesNothing(t *testing.T) {
	garbage := make([]byte, 10<<20)
	rand.Read(garbage)
	row := func(key, extra string) string {
		return "Matriz,Av 1,Monterrey,64000,NLE,,,,," + key + ",telco,P,100200300,activo,2024-01-01" + extra + "\n"
	}
	tests := []struct {
		name string
		file string
		// fileKey is the error of a file refused at upload; otherwise
		// wantRows are the lines with problems and a problem key on each.
		fileKey string
		want    map[int]string
	}{
		{name: "empty", file: "", fileKey: "importer.error.empty"},
		{name: "10 MB of garbage", file: string(garbage), fileKey: "importer.error.binary"},
		{name: "missing columns", file: "sitio,llave_de_servicio\nA,B\n", fileKey: "importer.error.columns_missing"},
		{name: "invalid UTF-16", file: "\xFF\xFEa\x00\x00\xD8", fileKey: "importer.error.encoding"},
		{name: "cells", file: header +
			row("OK-0001", "") +
			"Matriz,Av 1,Monterrey,64000,NLE,,,,,OK-0002,Telefonía,P,100200300,activo,2024-01-01\n" +
			"Matriz,Av 1,Monterrey,64000,NLE,,,,,OK-0003,telco,P,999,activo,2024-01-01\n" +
			"Matriz,Av 1,Monterrey,64000,NLE,,,,,OK-0004,telco,P,100200300,vigente,2024-01-01\n" +
			"Matriz,Av 1,Monterrey,64000,NLE,,,,,OK-0005,telco,P,100200300,activo,31/02/2024\n" +
			"Otro,Av 2,Monterrey,64000,Texcoco,,,,,OK-0006,telco,P,100200300,activo,2024-01-01\n" +
			"Lejos,Av 3,Monterrey,64000,NLE,,,95,abc,OK-0007,telco,P,100200300,activo,2024-01-01\n" +
			"Lejos2,Av 3,Monterrey,64000,NLE,,,95,10,OK-0008,telco,P,100200300,activo,2024-01-01\n" +
			row("OK-0001", "") +
			row("TAKEN-0001", "") +
			"Matriz,Av 1,Monterrey\n" +
			row("OK-0012", ",extra"),
			want: map[int]string{3: "inventory.error.category", 4: "importer.error.account_unknown", 5: "importer.error.status",
				6: "importer.error.date", 7: "inventory.error.state_unknown", 8: "importer.error.number", 9: "inventory.error.latitude",
				10: "importer.error.key_repeated", 11: "inventory.error.key_taken", 12: "importer.error.field_count",
				13: "importer.error.field_count"}},
		{name: "broken quote", file: header + row("OK-0001", "") + "\"Matriz,Av 1\n", want: map[int]string{3: "importer.error.quotes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			must(t, f.inv.CreateService(f.ctx, &inventory.Service{CustomerID: f.customer.ID, Key: "TAKEN-0001", Category: "telco", Product: "P",
				SiteID: f.firstSite(), BillingAccountID: f.account.ID, Status: "activating"}))
			sites0, services0 := f.counts()
			imp, err := f.svc.Upload(f.ctx, f.customer.ID, "x.csv", []byte(tt.file))
			if tt.fileKey != "" {
				e := enlace.AsError(err)
				if len(e.Fields) != 1 || e.Fields[0].Message != tt.fileKey {
					t.Fatalf("Upload = %v, want %s", err, tt.fileKey)
				}
				if _, n, _ := f.store.FindImports(f.ctx, f.customer.ID, 0, 10); n != 0 {
					t.Errorf("a refused file left %d imports", n)
				}
			} else {
				must(t, err)
				imp = f.run(imp.ID)
				if imp.Status != importer.StatusFailed {
					t.Fatalf("status %s, want failed", imp.Status)
				}
				rows, err := f.svc.Problems(f.ctx, imp.ID, 0, 100)
				must(t, err)
				got := map[int]string{}
				for _, r := range rows {
					got[r.Line] = r.Problems[0].Key
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("problems by line:\n got %v\nwant %v", got, tt.want)
				}
				if _, err := f.svc.Apply(f.ctx, imp.ID); enlace.ErrorCode(err) != enlace.ECONFLICT {
					t.Errorf("Apply of a failed import = %v, want conflict", err)
				}
				f.run(imp.ID)
			}
			if s, v := f.counts(); s != sites0 || v != services0 {
				t.Errorf("sites %d -> %d, services %d -> %d", sites0, s, services0, v)
			}
		})
	}
}

func (f *fixture) firstSite() string {
	sites, err := f.store.CustomerSites(f.ctx, f.customer.ID)
	must(f.tb, err)
	return sites[0].ID
}

// TestImportSurvivesRestart closes the store between the check and the
// import, and between the import's write and its being marked done: a
// new process on the same database finishes the work.
func TestImportSurvivesRestart(t *testing.T) {
	f := newFixture(t)
	imp, err := f.svc.Upload(f.ctx, f.customer.ID, "x.csv", []byte(goodFile))
	must(t, err)
	imp = f.run(imp.ID)
	_, err = f.svc.Apply(f.ctx, imp.ID)
	must(t, err)

	// The write commits, then the process dies before the import is marked done.
	sites, services, err := f.svc.Staged(f.ctx, imp)
	must(t, err)
	must(t, f.inv.Import(f.ctx, f.customer.ID, sites, services))
	must(t, f.store.Close())

	// A new process opens the database and its runner takes the job up.
	f.open()
	imp = f.run(imp.ID)
	if imp.Status != importer.StatusDone {
		t.Fatalf("after restart: %s", imp.Status)
	}
	if s, v := f.counts(); s != 3 || v != 4 {
		t.Fatalf("imported %d sites, %d services; want 3, 4", s, v)
	}
}

// generate writes a deterministic file of n services on n/10 sites across
// the states, categories and both billing accounts.
func generate(n int) []byte {
	r := mrand.New(mrand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString(header)
	cats := []string{"Telco", "Colaboración", "Conectividad", "TI", "Ciberseguridad", "Movilidad"}
	for i := range n {
		site := i / 10
		st := inventory.States[site%len(inventory.States)]
		fmt.Fprintf(&b, "Sitio %05d,Av. Reforma %d,Ciudad %d,%05d,%s,MX,,%.4f,%.4f,SVC-%07d,%s,Producto %d,1002003%02d,Activo,2024-%02d-%02d\n",
			site, site, site%97, 10000+site%89999, st.Name, 14+r.Float64()*18, -117+r.Float64()*30, i, cats[i%6], i%40, i%2, 1+i%12, 1+i%28)
	}
	return []byte(b.String())
}

func BenchmarkImport50k(b *testing.B) {
	data := generate(50_000)
	for b.Loop() {
		b.StopTimer()
		f := newFixture(b)
		b.StartTimer()
		imp, err := f.svc.Upload(f.ctx, f.customer.ID, "bench.csv", data)
		must(b, err)
		imp = f.run(imp.ID)
		if imp.Status != importer.StatusReady {
			b.Fatalf("check: %s, %d rows with problems", imp.Status, imp.ErrorRows)
		}
		_, err = f.svc.Apply(f.ctx, imp.ID)
		must(b, err)
		if imp = f.run(imp.ID); imp.Status != importer.StatusDone {
			b.Fatalf("import: %s", imp.Status)
		}
	}
	b.ReportMetric(float64(50_000*b.N)/b.Elapsed().Seconds(), "rows/s")
}
