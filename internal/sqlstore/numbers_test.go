package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// number returns a new available Mexican number of a customer.
func number(customerID, e164 string) numbering.Number {
	return numbering.Number{CustomerID: customerID, E164: e164, Country: "MX", State: numbering.StateAvailable}
}

// e164s lists the numbers' E.164s in order.
func e164s(ns []numbering.Number) []string {
	out := make([]string, len(ns))
	for i := range ns {
		out[i] = ns[i].E164
	}
	return out
}

// wantConflict fails unless err is ECONFLICT with the message key and,
// when number is not empty, naming that number.
func wantConflict(t *testing.T, call string, err error, key, number string) {
	t.Helper()
	e := enlace.AsError(err)
	if e.Code != enlace.ECONFLICT || e.Message != key || (number != "" && e.Args["Number"] != number) {
		t.Errorf("%s = %v (args %v), want conflict %s naming %q", call, err, e.Args, key, number)
	}
}

// TestNumbers: numbers read back with their names, page in E.164 order
// under every filter and count by state.
func TestNumbers(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	at := d.clock.Now().Add(time.Hour)
	ns := []numbering.Number{
		number(d.a, "+525512340002"), number(d.a, "+525512340001"), number(d.a, "+528112340001"),
		number(d.a, "+525512349999"), number(d.b, "+525512340003"),
	}
	ns[0].SiteID, ns[0].State, ns[0].AssigneeKind = d.aSites[0].ID, numbering.StateAssigned, numbering.AssigneeUser
	ns[0].AssigneeName, ns[0].AssigneeRef, ns[0].CNAM = "Ana López", "ana@a.example", "ANA LOPEZ"
	ns[1].SiteID, ns[1].State, ns[1].PortOrderID, ns[1].AssignableAt = d.aSites[1].ID, numbering.StatePortingIn, "po1", &at
	ns[2].AssigneeKind, ns[2].AssigneeName, ns[2].AssigneeRef = numbering.AssigneeCallQueue, "Ventas", "ventas_100%@a.example"
	ns[3].State, ns[3].Note = numbering.StateTest, "prueba de Teams"
	created := d.clock.Now()
	mustDo(t, d.s.CreateNumbers(ctx, ns, jobs.New("test.numbers", nil, time.Time{})))
	if ns[0].ID == "" || ns[0].Version != 1 || !ns[0].CreatedAt.Equal(created) {
		t.Fatalf("created number = %+v, want an id, version 1 and the time", ns[0])
	}

	want := ns[0]
	want.CustomerName, want.SiteName = "Cliente A", "Matriz"
	for name, read := range map[string]func() (*numbering.Number, error){
		"NumberByID":   func() (*numbering.Number, error) { return d.s.NumberByID(ctx, ns[0].ID) },
		"NumberByE164": func() (*numbering.Number, error) { return d.s.NumberByE164(ctx, ns[0].E164) },
	} {
		got, err := read()
		if diff := cmp.Diff(&want, got); err != nil || diff != "" {
			t.Errorf("%s = %v (-stored +read):\n%s", name, err, diff)
		}
	}
	if got, err := d.s.NumberByID(ctx, ns[1].ID); err != nil || got.AssignableAt == nil || !got.AssignableAt.Equal(at) {
		t.Errorf("NumberByID(porting in) = %+v, %v; want assignable at %v", got, err, at)
	}
	if _, err := d.s.NumberByE164(ctx, "+525500000000"); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("NumberByE164(unknown) = %v, want not found", err)
	}

	for _, tt := range []struct {
		name  string
		f     numbering.Filter
		want  []string
		total int
	}{
		{"every customer's", numbering.Filter{}, []string{"+525512340001", "+525512340002", "+525512340003", "+525512349999", "+528112340001"}, 5},
		{"customer A", numbering.Filter{CustomerID: d.a}, []string{"+525512340001", "+525512340002", "+525512349999", "+528112340001"}, 4},
		{"a page", numbering.Filter{CustomerID: d.a, Offset: 1, Limit: 2}, []string{"+525512340002", "+525512349999"}, 4},
		{"by state", numbering.Filter{CustomerID: d.a, State: numbering.StateAssigned}, []string{"+525512340002"}, 1},
		{"by site", numbering.Filter{CustomerID: d.a, SiteID: d.aSites[1].ID}, []string{"+525512340001"}, 1},
		{"by port order", numbering.Filter{PortOrderID: "po1"}, []string{"+525512340001"}, 1},
		{"digits", numbering.Filter{CustomerID: d.a, Query: "52551234"}, []string{"+525512340001", "+525512340002", "+525512349999"}, 3},
		{"digits as written", numbering.Filter{Query: " +52 55-1234-0 "}, []string{"+525512340001", "+525512340002", "+525512340003"}, 3},
		{"assignee's name in any case", numbering.Filter{CustomerID: d.a, Query: "ANA"}, []string{"+525512340002"}, 1},
		{"assignee's reference", numbering.Filter{CustomerID: d.a, Query: "ventas_100%"}, []string{"+528112340001"}, 1},
		{"wildcards are literal", numbering.Filter{CustomerID: d.a, Query: "v_ntas"}, []string{}, 0},
		{"not the middle of a name", numbering.Filter{CustomerID: d.a, Query: "lópez"}, []string{}, 0},
		{"other customer's number", numbering.Filter{CustomerID: d.b, Query: "+525512340001"}, []string{}, 0},
	} {
		f := tt.f
		if f.Limit == 0 {
			f.Limit = 10
		}
		got, total, err := d.s.FindNumbers(ctx, f)
		if err != nil || !slices.Equal(e164s(got), tt.want) || total != tt.total {
			t.Errorf("FindNumbers(%s) = %v (total %d), %v; want %v (total %d)", tt.name, e164s(got), total, err, tt.want, tt.total)
		}
	}

	for _, tt := range []struct {
		name string
		f    numbering.Filter
		want []numbering.StateCount
	}{
		{"customer A, state ignored", numbering.Filter{CustomerID: d.a, State: numbering.StateAssigned}, []numbering.StateCount{
			{State: numbering.StateAvailable, Count: 1}, {State: numbering.StateTest, Count: 1},
			{State: numbering.StateAssigned, Count: 1}, {State: numbering.StatePortingIn, Count: 1}}},
		{"every customer's", numbering.Filter{}, []numbering.StateCount{
			{State: numbering.StateAvailable, Count: 2}, {State: numbering.StateTest, Count: 1},
			{State: numbering.StateAssigned, Count: 1}, {State: numbering.StatePortingIn, Count: 1}}},
		{"a site", numbering.Filter{SiteID: d.aSites[0].ID}, []numbering.StateCount{{State: numbering.StateAssigned, Count: 1}}},
		{"none", numbering.Filter{CustomerID: d.b, Query: "Ana"}, []numbering.StateCount{}},
	} {
		got, err := d.s.CountNumbers(ctx, tt.f)
		if diff := cmp.Diff(tt.want, got); err != nil || diff != "" {
			t.Errorf("CountNumbers(%s) = %v (-want +got):\n%s", tt.name, err, diff)
		}
	}
}

// TestHeldNumbers: a number held by one customer cannot be created for
// another, nor twice in one call, and the call writes nothing; once
// released it can.
func TestHeldNumbers(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	held := []numbering.Number{number(d.a, "+525512340001")}
	mustDo(t, d.s.CreateNumbers(ctx, held))
	for _, tt := range []struct {
		name string
		ns   []numbering.Number
		held string
	}{
		{"another customer's", []numbering.Number{number(d.b, "+525512340002"), number(d.b, "+525512340001")}, "+525512340001"},
		{"the same customer's", []numbering.Number{number(d.a, "+525512340001")}, "+525512340001"},
		{"twice in one call", []numbering.Number{number(d.b, "+525512340003"), number(d.b, "+525512340003")}, "+525512340003"},
	} {
		wantConflict(t, "CreateNumbers("+tt.name+")", d.s.CreateNumbers(ctx, tt.ns), "numbering.error.held", tt.held)
	}
	if _, total, _ := d.s.FindNumbers(ctx, numbering.Filter{CustomerID: d.b, Limit: 10}); total != 0 {
		t.Errorf("customer B has %d numbers after the refused creates, want none", total)
	}
	got, err := d.s.HeldNumbers(ctx, []string{"+525512340001", "+525512340002"})
	if diff := cmp.Diff(map[string]bool{"+525512340001": true}, got); err != nil || diff != "" {
		t.Errorf("HeldNumbers = %v (-want +got):\n%s", err, diff)
	}

	held[0].State = numbering.StateReleased
	mustDo(t, d.s.SaveNumbers(ctx, held))
	again := []numbering.Number{number(d.b, "+525512340001")}
	mustDo(t, d.s.CreateNumbers(ctx, again))
	if n, err := d.s.NumberByE164(ctx, "+525512340001"); err != nil || n.CustomerID != d.b {
		t.Errorf("NumberByE164 after the release = %+v, %v; want customer B's", n, err)
	}
	if got, _ := d.s.HeldNumbers(ctx, []string{"+525512340001"}); !got["+525512340001"] {
		t.Errorf("HeldNumbers after B took it = %v, want it held", got)
	}
}

// TestSaveNumbers: a save from a stale read is refused and writes none of
// the numbers nor the effects; a good one moves the versions on.
func TestSaveNumbers(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	ns := []numbering.Number{number(d.a, "+525512340001"), number(d.a, "+525512340002")}
	mustDo(t, d.s.CreateNumbers(ctx, ns))
	other, err := d.s.NumberByID(ctx, ns[1].ID)
	mustDo(t, err)
	other.Note = "reservado por otra persona"
	others := []numbering.Number{*other}
	mustDo(t, d.s.SaveNumbers(ctx, others))

	ns[0].State, ns[0].AssigneeKind, ns[0].AssigneeName = numbering.StateAssigned, numbering.AssigneeUser, "Ana"
	ns[1].State = numbering.StateReserved
	wantConflict(t, "SaveNumbers(stale)", d.s.SaveNumbers(ctx, ns, jobs.New("test.saved", nil, time.Time{})),
		"numbering.error.changed", ns[1].E164)
	if ns[0].Version != 1 {
		t.Errorf("version after the refused save = %d, want 1", ns[0].Version)
	}
	if got, _ := d.s.NumberByID(ctx, ns[0].ID); got.State != numbering.StateAvailable || got.Version != 1 {
		t.Errorf("first number after the refused save = %s v%d, want available v1", got.State, got.Version)
	}
	var queued int
	mustDo(t, d.s.db.GetContext(ctx, &queued, `SELECT COUNT(*) FROM jobs WHERE kind = 'test.saved'`))
	if queued != 0 {
		t.Errorf("jobs of the refused save = %d, want none", queued)
	}

	ns[1] = others[0]
	ns[1].State = numbering.StateReserved
	d.clock.Advance(time.Minute)
	mustDo(t, d.s.SaveNumbers(ctx, ns))
	if ns[0].Version != 2 || ns[1].Version != 3 || !ns[0].UpdatedAt.Equal(d.clock.Now()) {
		t.Errorf("versions after the save = %d, %d at %v; want 2, 3 at %v", ns[0].Version, ns[1].Version, ns[0].UpdatedAt, d.clock.Now())
	}
	for _, n := range ns {
		got, err := d.s.NumberByID(ctx, n.ID)
		if err != nil || got.State != n.State || got.Version != n.Version || got.AssigneeName != n.AssigneeName {
			t.Errorf("NumberByID after the save = %+v, %v; want %s v%d", got, err, n.State, n.Version)
		}
	}
}

// TestNumberImport: each batch writes its numbers and the import's
// progress together; a batch with a number held writes neither; the
// import finishes once.
func TestNumberImport(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	imp := &numbering.Import{ID: enlace.NewID(), CustomerID: d.a, FileName: "numeros.csv", Status: numbering.ImportRunning,
		TotalRows: 4, CreatedBy: d.uploader}
	mustDo(t, d.s.CreateNumberImport(ctx, imp, "numero\n+525512340000\n"))
	older := &numbering.Import{ID: enlace.NewID(), CustomerID: d.a, FileName: "viejo.csv", Status: numbering.ImportDone, CreatedBy: d.uploader}
	d.clock.Advance(-time.Minute)
	mustDo(t, d.s.CreateNumberImport(ctx, older, ""))
	d.clock.Advance(2 * time.Minute)

	batch := func(lo, hi int) []numbering.Number {
		var ns []numbering.Number
		for i := lo; i < hi; i++ {
			ns = append(ns, number(d.a, fmt.Sprintf("+52551234%04d", i)))
		}
		return ns
	}
	imp.ProcessedRows, imp.Created = 2, 10
	mustDo(t, d.s.ImportBatch(ctx, imp, batch(0, 10)))
	if !imp.UpdatedAt.Equal(d.clock.Now()) || imp.FinishedAt != nil {
		t.Errorf("import after a batch = updated %v, finished %v; want updated now, not finished", imp.UpdatedAt, imp.FinishedAt)
	}
	if src, err := d.s.NumberImportSource(ctx, imp.ID); err != nil || src != "numero\n+525512340000\n" {
		t.Errorf("NumberImportSource while running = %q, %v; want the file", src, err)
	}

	imp.ProcessedRows, imp.Created, imp.ErrorRows = 4, 14, 1
	imp.Problems = numbering.Problems{{Line: 4, Column: "numero", Key: "numbering.import.bad_number", Args: map[string]string{"value": "55"}}}
	wantConflict(t, "ImportBatch(held)", d.s.ImportBatch(ctx, imp, batch(8, 12)), "numbering.error.held", "+525512340008")
	got, err := d.s.NumberImportByID(ctx, imp.ID)
	if err != nil || got.ProcessedRows != 2 || got.Created != 10 || len(got.Problems) != 0 {
		t.Errorf("import after the refused batch = %+v, %v; want the first batch's progress", got, err)
	}
	if _, total, _ := d.s.FindNumbers(ctx, numbering.Filter{CustomerID: d.a}); total != 10 {
		t.Errorf("numbers after the refused batch = %d, want 10", total)
	}

	mustDo(t, d.s.ImportBatch(ctx, imp, batch(10, 14)))
	imp.Status = numbering.ImportDone
	mustDo(t, d.s.SaveImport(ctx, imp))
	finished := d.clock.Now()
	d.clock.Advance(time.Minute)
	mustDo(t, d.s.SaveImport(ctx, imp))
	got, err = d.s.NumberImportByID(ctx, imp.ID)
	want := *imp
	if diff := cmp.Diff(&want, got); err != nil || diff != "" || !got.FinishedAt.Equal(finished) {
		t.Errorf("NumberImportByID = %v (-saved +read):\n%s; want finished at %v", err, diff, finished)
	}
	if _, total, _ := d.s.FindNumbers(ctx, numbering.Filter{CustomerID: d.a}); total != 14 {
		t.Errorf("numbers after the import = %d, want 14", total)
	}
	if src, err := d.s.NumberImportSource(ctx, imp.ID); err != nil || src != "" {
		t.Errorf("NumberImportSource once done = %q, %v; want none", src, err)
	}
	if _, err := d.s.NumberImportSource(ctx, "missing"); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("NumberImportSource(unknown) = %v, want not found", err)
	}

	list, err := d.s.FindNumberImports(ctx, d.a, 10)
	if err != nil || len(list) != 2 || list[0].ID != imp.ID || list[1].ID != older.ID || list[1].Problems == nil {
		t.Errorf("FindNumberImports = %+v, %v; want the import, then the older one", list, err)
	}
	if list, _ := d.s.FindNumberImports(ctx, d.b, 10); len(list) != 0 {
		t.Errorf("FindNumberImports(B) = %+v, want none", list)
	}
	if err := d.s.SaveImport(ctx, &numbering.Import{ID: "missing", Status: numbering.ImportFailed}); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("SaveImport(unknown) = %v, want not found", err)
	}
}
