package customer_test

import (
	"context"
	"testing"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

func TestCreateEditRetire(t *testing.T) {
	store := sqlstore.MustOpenTest(t, enlace.SystemClock{})
	svc := customer.NewService(store)
	staff := enlace.WithActor(context.Background(), &enlace.Actor{UserID: "s", StaffRole: "account_exec"})
	c, err := svc.Create(staff, customer.Input{Number: " 1001 ", Name: "Acme"})
	if err != nil || c.Number != "1001" {
		t.Fatalf("Create() = %+v, %v", c, err)
	}
	_, err = svc.Create(staff, customer.Input{Number: "1001", Name: "Otra"})
	if e := enlace.AsError(err); e.Code != enlace.EINVALID || len(e.Fields) != 1 || e.Fields[0].Message != "customers.number_taken" {
		t.Errorf("Create(taken number) = %v, want number_taken on the field", err)
	}
	b, err := svc.CreateBillingAccount(staff, customer.AccountInput{CustomerID: c.ID, Number: "BA-1", Name: "Matriz"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.CreateBillingAccount(staff, customer.AccountInput{CustomerID: c.ID, Number: "BA-1", Name: "Otra"})
	if e := enlace.AsError(err); e.Code != enlace.EINVALID || e.Fields[0].Message != "customers.account_number_taken" {
		t.Errorf("CreateBillingAccount(taken number) = %v", err)
	}
	_, err = svc.CreateBillingAccount(staff, customer.AccountInput{CustomerID: "nope", Number: "BA-2", Name: "X"})
	if e := enlace.AsError(err); e.Code != enlace.EINVALID || e.Fields[0].Field != "customer_id" {
		t.Errorf("CreateBillingAccount(unknown customer) = %v", err)
	}
	// Retire: still readable, marked, out of the picker.
	c, err = svc.Update(staff, c.ID, customer.Input{Number: "1001", Name: "Acme SA", Retired: true})
	if err != nil || !c.Retired || c.RetiredAt == nil || c.Name != "Acme SA" {
		t.Fatalf("Update(retire) = %+v, %v", c, err)
	}
	if cs, _ := svc.List(staff); len(cs) != 0 {
		t.Errorf("List() = %d customers, want the retired one left out", len(cs))
	}
	if cs, total, _ := svc.Find(staff, customer.Filter{}); total != 1 || !cs[0].Retired {
		t.Errorf("Find() = %+v (%d), want the retired customer marked", cs, total)
	}
	c, err = svc.Update(staff, c.ID, customer.Input{Number: "1001", Name: "Acme SA"})
	if err != nil || c.Retired || c.RetiredAt != nil {
		t.Errorf("Update(reinstate) = %+v, %v", c, err)
	}
	b, err = svc.UpdateBillingAccount(staff, b.ID, customer.AccountInput{Number: "BA-1", Name: "Matriz", Retired: true})
	if err != nil || !b.Retired {
		t.Errorf("UpdateBillingAccount(retire) = %+v, %v", b, err)
	}

	// Who may change customers.
	for _, tt := range []struct {
		name  string
		actor *enlace.Actor
		want  string
	}{
		{"staff admin", &enlace.Actor{UserID: "a", StaffRole: "admin"}, ""},
		{"pm", &enlace.Actor{UserID: "p", StaffRole: "pm"}, enlace.EFORBIDDEN},
		{"support", &enlace.Actor{UserID: "p", StaffRole: "support"}, enlace.EFORBIDDEN},
		{"technician", &enlace.Actor{UserID: "p", StaffRole: "technician"}, enlace.EFORBIDDEN},
		{"own customer admin", &enlace.Actor{UserID: "c", CustomerID: c.ID, CustomerRole: "admin"}, enlace.EFORBIDDEN},
		{"other customer admin", &enlace.Actor{UserID: "c", CustomerID: "other", CustomerRole: "admin"}, enlace.ENOTFOUND},
	} {
		ctx := enlace.WithActor(context.Background(), tt.actor)
		_, err := svc.Update(ctx, c.ID, customer.Input{Number: "1001", Name: "Acme"})
		if got := enlace.ErrorCode(err); got != tt.want {
			t.Errorf("%s: Update() error %q, want %q", tt.name, got, tt.want)
		}
		_, err = svc.UpdateBillingAccount(ctx, b.ID, customer.AccountInput{Number: "BA-1", Name: "Matriz"})
		if got := enlace.ErrorCode(err); got != tt.want {
			t.Errorf("%s: UpdateBillingAccount() error %q, want %q", tt.name, got, tt.want)
		}
	}
}
