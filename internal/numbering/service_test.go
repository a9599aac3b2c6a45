package numbering_test

import (
	"context"
	"testing"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

type world struct {
	svc                 *numbering.Service
	a, b                customer.Customer
	staff, aAdmin, aRO  context.Context
	bAdmin, aTechnician context.Context
}

func newWorld(t *testing.T) *world {
	t.Helper()
	store := sqlstore.MustOpenTest(t, enlace.NewFakeClock(enlace.SystemClock{}.Now()))
	w := &world{svc: numbering.NewService(store, nil)}
	ctx := context.Background()
	for i, c := range []*customer.Customer{&w.a, &w.b} {
		*c = customer.Customer{ID: enlace.NewID(), Number: string(rune('1' + i)), Name: "C"}
		if err := store.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	as := func(a enlace.Actor) context.Context { return enlace.WithActor(ctx, &a) }
	w.staff = as(enlace.Actor{UserID: "s", StaffRole: "support"})
	w.aAdmin = as(enlace.Actor{UserID: "a", CustomerID: w.a.ID, CustomerRole: "admin"})
	w.aTechnician = as(enlace.Actor{UserID: "t", CustomerID: w.a.ID, CustomerRole: "technical"})
	w.aRO = as(enlace.Actor{UserID: "r", CustomerID: w.a.ID, CustomerRole: "user", ReadOnly: true})
	w.bAdmin = as(enlace.Actor{UserID: "b", CustomerID: w.b.ID, CustomerRole: "admin"})
	return w
}

func code(err error) string { return enlace.ErrorCode(err) }

// TestImportReportsRowsAndLoadsTheRest: a file of numbers and ranges
// loads its good rows and reports each bad one by line and column.
func TestImportReportsRowsAndLoadsTheRest(t *testing.T) {
	w := newWorld(t)
	if _, err := w.svc.Add(w.staff, numbering.AddInput{CustomerID: w.b.ID, From: "+52 81 8000 0005"}); err != nil {
		t.Fatal(err)
	}
	file := "numero;hasta;estado;cnam\n" +
		"+52 81 8000 0000;+52 81 8000 0003;;AURORA\n" + // line 2: a range of 4
		"81 8000 0004;;prueba;\n" + // line 3: a test number
		"81 8000 0005;;;\n" + // line 4: B holds it
		"no es numero;;;\n" + // line 5
		"+52 81 8000 0006;;perdido;\n" + // line 6: unknown state
		"+52 81 8000 0000;;;\n" + // line 7: repeats line 2
		"+49 30 12345678;;reservado;DEMASIADO LARGO PARA CNAM\n" // line 8
	imp, err := w.svc.StartImport(w.staff, w.a.ID, "numeros.csv", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.RunImport(w.staff, imp.ID); err != nil {
		t.Fatal(err)
	}
	imp, err = w.svc.GetImport(w.staff, imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Status != numbering.ImportDone || imp.Created != 5 || imp.ErrorRows != 5 || imp.ProcessedRows != 7 {
		t.Fatalf("import = %s, %d created, %d refused of %d; want done, 5, 5 of 7", imp.Status, imp.Created, imp.ErrorRows, imp.ProcessedRows)
	}
	want := map[int]string{4: "numbering.error.held", 5: "numbering.error.number", 6: "numbering.error.state",
		7: "numbering.error.repeated", 8: "numbering.error.cnam"}
	for _, p := range imp.Problems {
		if want[p.Line] != p.Key {
			t.Errorf("line %d: %s on %q, want %s", p.Line, p.Key, p.Column, want[p.Line])
		}
		delete(want, p.Line)
	}
	if len(want) > 0 {
		t.Errorf("lines not reported: %v", want)
	}
	counts, err := w.svc.Counts(w.aAdmin, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		if c.State == numbering.StateAvailable && c.Count != 4 || c.State == numbering.StateTest && c.Count != 1 {
			t.Errorf("%s = %d", c.State, c.Count)
		}
	}
	// A file that is no CSV of numbers is refused whole, and a customer
	// cannot import.
	if _, err := w.svc.StartImport(w.staff, w.a.ID, "x.csv", []byte("nombre\nAna\n")); code(err) != enlace.EINVALID {
		t.Errorf("a file without the number column: %v", err)
	}
	if _, err := w.svc.StartImport(w.aAdmin, w.a.ID, "x.csv", []byte(file)); code(err) != enlace.EFORBIDDEN {
		t.Errorf("a customer importing: %v", err)
	}
	if _, err := w.svc.StartImport(w.staff, "nadie", "x.csv", []byte(file)); code(err) != enlace.EINVALID {
		t.Errorf("an unknown customer: %v", err)
	}
}

// TestCustomersOwnNumbers: a customer sees and assigns its own numbers,
// releases its test numbers only, and never reaches another customer's.
func TestCustomersOwnNumbers(t *testing.T) {
	w := newWorld(t)
	ns, err := w.svc.Add(w.staff, numbering.AddInput{CustomerID: w.a.ID, From: "+52 55 1000 0000", To: "+52 55 1000 0001"})
	if err != nil {
		t.Fatal(err)
	}
	test, plain := ns[0].ID, ns[1].ID
	if _, err := w.svc.Act(w.staff, test, numbering.Action{Event: numbering.EventMarkTest}); err != nil {
		t.Fatal(err)
	}
	user := numbering.Assignee{Kind: numbering.AssigneeUser, Name: "Ana", Ref: "ana@a.example"}
	for _, tt := range []struct {
		name string
		ctx  context.Context
		id   string
		act  numbering.Action
		want string
	}{
		{"B cannot see A's number", w.bAdmin, plain, numbering.Action{Event: numbering.EventAssign, Assignee: user}, enlace.ENOTFOUND},
		{"read-only cannot assign", w.aRO, plain, numbering.Action{Event: numbering.EventAssign, Assignee: user}, enlace.EFORBIDDEN},
		{"a customer cannot reserve", w.aAdmin, plain, numbering.Action{Event: numbering.EventReserve}, enlace.EFORBIDDEN},
		{"a customer cannot release a number that is no test number", w.aAdmin, plain, numbering.Action{Event: numbering.EventRelease}, enlace.EFORBIDDEN},
		{"a user needs a sign-in name", w.aTechnician, plain, numbering.Action{Event: numbering.EventAssign,
			Assignee: numbering.Assignee{Kind: numbering.AssigneeUser, Name: "Ana"}}, enlace.EINVALID},
		{"porting is not done by hand", w.staff, plain, numbering.Action{Event: numbering.EventPortDone}, enlace.ECONFLICT},
		{"the technician assigns", w.aTechnician, plain, numbering.Action{Event: numbering.EventAssign, Assignee: user}, ""},
		{"the administrator releases a test number", w.aAdmin, test, numbering.Action{Event: numbering.EventRelease}, ""},
		{"a released number stays released", w.staff, test, numbering.Action{Event: numbering.EventMarkTest}, enlace.ECONFLICT},
	} {
		_, err := w.svc.Act(tt.ctx, tt.id, tt.act)
		if got := code(err); err == nil && tt.want != "" || err != nil && got != tt.want {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	list, total, err := w.svc.List(w.bAdmin, numbering.Filter{CustomerID: w.a.ID})
	if err != nil || total != 0 || len(list) != 0 {
		t.Errorf("B lists A's numbers: %d, %v", total, err)
	}
	if _, err := w.svc.Update(w.aAdmin, plain, numbering.Details{CNAM: "AURORA", SiteID: "sitio-de-otro"}); code(err) != enlace.EINVALID {
		t.Errorf("a site not the customer's: %v", err)
	}
	n, err := w.svc.Update(w.aAdmin, plain, numbering.Details{CNAM: "AURORA", Location: "Av. 1, Monterrey"})
	if err != nil || n.CNAM != "AURORA" || n.State != numbering.StateAssigned {
		t.Errorf("update = %+v, %v", n, err)
	}
	// A number freed by release may be held again.
	if _, err := w.svc.Add(w.staff, numbering.AddInput{CustomerID: w.b.ID, From: "+52 55 1000 0000"}); err != nil {
		t.Errorf("a released number could not be added again: %v", err)
	}
	if _, err := w.svc.Add(w.staff, numbering.AddInput{CustomerID: w.b.ID, From: "+52 55 1000 0001"}); code(err) != enlace.ECONFLICT {
		t.Errorf("a number A holds was added for B: %v", err)
	}
}
