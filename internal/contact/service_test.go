package contact_test

import (
	"context"
	"testing"

	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

type fixture struct {
	store *sqlstore.Store
	svc   *contact.Service
	a, b  string // customer ids
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	store := sqlstore.MustOpenTest(t, enlace.NewFakeClock(enlace.SystemClock{}.Now()))
	f := &fixture{store: store, svc: contact.NewService(store, store)}
	for i, name := range []string{"Acme", "Bolsa"} {
		c := customer.Customer{ID: enlace.NewID(), Number: name, Name: name}
		if err := store.CreateCustomer(context.Background(), &c); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.a = c.ID
		} else {
			f.b = c.ID
		}
	}
	return f
}

func as(a *enlace.Actor) context.Context { return enlace.WithActor(context.Background(), a) }

var (
	staffAdmin = &enlace.Actor{UserID: "s", StaffRole: "admin"}
	staffTech  = &enlace.Actor{UserID: "t", StaffRole: "technician"}
)

func valid(customerID, kind string, principal bool) contact.Input {
	return contact.Input{CustomerID: customerID, Kind: kind, Principal: principal, FirstName: "Ana", LastName: "López",
		Phone: "55 1234 5678", Email: "ana@acme.mx"}
}

func TestNormalizePhone(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"55 1234 5678", "+525512345678"},
		{"(55) 1234-5678", "+525512345678"},
		{"+52 1 55 1234 5678", "+525512345678"}, // the old mobile prefix
		{"+521 81 1234 5678", "+528112345678"},
		{"0052 55 1234 5678", "+525512345678"},
		{"044 55 1234 5678", "+525512345678"},
		{"+49 30 1234567", "+49301234567"},
		{"12345", ""},
		{"55 1234 567x", ""},
		{"", ""},
	} {
		got, ok := contact.NormalizePhone(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	if got := contact.FormatPhone("+525512345678"); got != "55 1234 5678" {
		t.Errorf("FormatPhone(MX) = %q, want 55 1234 5678", got)
	}
	if got := contact.FormatPhone("+49301234567"); got != "+49 30 1234567" {
		t.Errorf("FormatPhone(DE) = %q, want +49 30 1234567", got)
	}
}

// TestOnePrincipalPerKind: a new principal takes the flag from the old one
// of the same kind, in the same customer only.
func TestOnePrincipalPerKind(t *testing.T) {
	f := newFixture(t)
	ctx := as(staffAdmin)
	first, err := f.svc.Create(ctx, valid(f.a, contact.KindAdministrative, true))
	if err != nil {
		t.Fatal(err)
	}
	tech, err := f.svc.Create(ctx, valid(f.a, contact.KindTechnical, true))
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.svc.Create(ctx, valid(f.b, contact.KindAdministrative, true))
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.svc.Create(ctx, valid(f.a, contact.KindAdministrative, true))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id   string
		want bool
	}{{first.ID, false}, {second.ID, true}, {tech.ID, true}, {other.ID, true}} {
		c, err := f.svc.Get(ctx, tt.id)
		if err != nil || c.Principal != tt.want {
			t.Errorf("contact %s principal = %v, %v; want %v", tt.id, c.Principal, err, tt.want)
		}
	}
	// Editing the first back to principal moves the flag again.
	in := valid(f.a, contact.KindAdministrative, true)
	if _, err := f.svc.Update(ctx, first.ID, in); err != nil {
		t.Fatal(err)
	}
	if c, _ := f.svc.Get(ctx, second.ID); c.Principal {
		t.Error("the second contact kept the principal flag")
	}
	// The store moves the flag even when the service is bypassed.
	bad := &contact.Contact{ID: enlace.NewID(), CustomerID: f.a, Kind: contact.KindAdministrative, Principal: true,
		FirstName: "X", LastName: "Y"}
	if err := f.store.CreateContact(context.Background(), bad); err != nil {
		t.Fatalf("store refused a principal it should have moved: %v", err)
	}
	if c, _ := f.svc.Get(ctx, first.ID); c.Principal {
		t.Error("the store did not move the flag")
	}
}

func TestValidation(t *testing.T) {
	f := newFixture(t)
	ctx := as(staffAdmin)
	for _, tt := range []struct {
		name   string
		edit   func(*contact.Input)
		fields []string
	}{
		{"empty", func(in *contact.Input) { *in = contact.Input{CustomerID: f.a} }, []string{"kind", "first_name", "last_name", "email", "phone"}},
		{"bad phone", func(in *contact.Input) { in.Phone = "123" }, []string{"phone"}},
		{"bad mobile", func(in *contact.Input) { in.Mobile = "55-12" }, []string{"mobile"}},
		{"bad e-mail", func(in *contact.Input) { in.Email = "ana@" }, []string{"email"}},
		{"bad extension", func(in *contact.Input) { in.Extension = "12a" }, []string{"extension"}},
		{"bad role", func(in *contact.Input) { in.Role = "boss" }, []string{"contact_role"}},
		{"bad kind", func(in *contact.Input) { in.Kind = "sales" }, []string{"kind"}},
		{"no customer", func(in *contact.Input) { in.CustomerID = "" }, []string{"customer_id"}},
		{"unknown customer", func(in *contact.Input) { in.CustomerID = "nope" }, []string{"customer_id"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := valid(f.a, contact.KindTechnical, false)
			tt.edit(&in)
			_, err := f.svc.Create(ctx, in)
			e := enlace.AsError(err)
			var got []string
			for _, fe := range e.Fields {
				got = append(got, fe.Field)
			}
			if e.Code != enlace.EINVALID || len(got) != len(tt.fields) {
				t.Fatalf("Create() = %v fields %v, want invalid %v", err, got, tt.fields)
			}
			for i := range got {
				if got[i] != tt.fields[i] {
					t.Errorf("field %d = %s, want %s", i, got[i], tt.fields[i])
				}
			}
		})
	}
	_, total, _ := f.svc.Find(ctx, contact.Filter{})
	if total != 0 {
		t.Errorf("%d contacts stored by refused requests", total)
	}
}

// TestRolesAndTenancy: who may read and edit whose contacts.
func TestRolesAndTenancy(t *testing.T) {
	f := newFixture(t)
	bContact, err := f.svc.Create(as(staffAdmin), valid(f.b, contact.KindAdministrative, false))
	if err != nil {
		t.Fatal(err)
	}
	party, err := f.svc.CreateParty(as(staffAdmin), contact.Input{FirstName: "Jane", LastName: "Doe"})
	if err != nil {
		t.Fatal(err)
	}
	aAdmin := &enlace.Actor{UserID: "a", CustomerID: f.a, CustomerRole: "admin"}
	aReadOnly := &enlace.Actor{UserID: "r", CustomerID: f.a, CustomerRole: "admin", ReadOnly: true}
	aUser := &enlace.Actor{UserID: "u", CustomerID: f.a, CustomerRole: "technical"}
	exec := &enlace.Actor{UserID: "e", StaffRole: "account_exec"}
	for _, tt := range []struct {
		name       string
		actor      *enlace.Actor
		createA    string // error code creating a contact in A
		createB    string
		readB      string
		readParty  string
		updateB    string
		deleteB    string
		findOthers string
	}{
		{"staff admin", staffAdmin, "", "", "", "", "", "", ""},
		{"account executive", exec, "", "", "", "", "", "", ""},
		{"technician", staffTech, enlace.EFORBIDDEN, enlace.EFORBIDDEN, "", "", enlace.EFORBIDDEN, enlace.EFORBIDDEN, ""},
		{"A admin", aAdmin, "", enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND},
		{"A read-only admin", aReadOnly, enlace.EFORBIDDEN, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND},
		{"A technical user", aUser, enlace.EFORBIDDEN, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND, enlace.ENOTFOUND},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := as(tt.actor)
			check := func(what string, err error, want string) {
				t.Helper()
				if got := enlace.ErrorCode(err); got != want {
					t.Errorf("%s: error code %q, want %q (%v)", what, got, want, err)
				}
			}
			_, err := f.svc.Create(ctx, valid(f.a, contact.KindTechnical, false))
			check("create in A", err, tt.createA)
			_, err = f.svc.Create(ctx, valid(f.b, contact.KindTechnical, false))
			check("create in B", err, tt.createB)
			_, err = f.svc.Get(ctx, bContact.ID)
			check("read B", err, tt.readB)
			_, err = f.svc.Get(ctx, party.ID)
			check("read unassigned party", err, tt.readParty)
			_, err = f.svc.Update(ctx, bContact.ID, valid(f.b, contact.KindAdministrative, false))
			check("update B", err, tt.updateB)
			if tt.deleteB != "" {
				check("delete B", f.svc.Delete(ctx, bContact.ID), tt.deleteB)
			}
			b := f.b
			_, _, err = f.svc.Find(ctx, contact.Filter{CustomerID: &b})
			check("list B", err, tt.findOthers)
		})
	}
	// A customer user may not move a contact into their customer, nor
	// link a party to it.
	aCtx := as(aAdmin)
	in := valid(f.a, contact.KindTechnical, false)
	if _, err := f.svc.UpdateParty(aCtx, party.ID, in); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("A admin linked an unassigned party: %v", err)
	}
	// Staff link the party to A; A then sees it.
	if _, err := f.svc.UpdateParty(as(staffAdmin), party.ID, contact.Input{CustomerID: f.a, FirstName: "Jane", LastName: "Doe"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Get(aCtx, party.ID); err != nil {
		t.Errorf("A admin cannot read the party linked to A: %v", err)
	}
}
