package identity_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
)

func registration(f *fixture, invoice string) identity.Registration {
	return identity.Registration{CustomerNumber: "C-A", AccountNumber: "BA-A-1", InvoiceNumber: invoice,
		Email: "Nueva.Persona@Acme.example", FirstName: "Nueva", LastName: "Persona", Locale: "es-MX"}
}

func TestRegisterAcceptsOnlyTheLastThreeInvoices(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(*identity.Registration)
		want string
	}{
		{"newest invoice", func(r *identity.Registration) { r.InvoiceNumber = "F-A-4" }, ""},
		{"third newest invoice", func(r *identity.Registration) { r.InvoiceNumber = "F-A-2" }, ""},
		{"fourth newest invoice", func(r *identity.Registration) { r.InvoiceNumber = "F-A-1" }, "register.no_match"},
		{"another customer's invoice", func(r *identity.Registration) { r.InvoiceNumber = "F-B-4" }, "register.no_match"},
		{"account of another customer", func(r *identity.Registration) { r.AccountNumber = "BA-B-1" }, "register.no_match"},
		{"unknown customer", func(r *identity.Registration) { r.CustomerNumber = "C-Z" }, "register.no_match"},
		{"missing number", func(r *identity.Registration) { r.CustomerNumber = " " }, "register.number_required"},
		{"bad e-mail", func(r *identity.Registration) { r.Email = "nope" }, "users.email_invalid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			r := registration(f, "F-A-3")
			tt.edit(&r)
			_, err := f.svc.Register(f.ctx, r)
			if tt.want == "" {
				must(t, err)
				return
			}
			wantCode(t, err, enlace.EINVALID, tt.want)
		})
	}
}

func TestRegisterRefusesRetiredAccounts(t *testing.T) {
	f := newFixture(t)
	b := f.a.accounts[0]
	b.Retired = true
	must(t, f.store.UpdateBillingAccount(f.ctx, &b))
	_, err := f.svc.Register(f.ctx, registration(f, "F-A-4"))
	wantCode(t, err, enlace.EINVALID, "register.no_match")
}

func TestRegistrationApprovedByCustomerAdmin(t *testing.T) {
	f := newFixture(t)
	req, err := f.svc.Register(f.ctx, registration(f, "F-A-4"))
	must(t, err)
	_, err = f.svc.Register(f.ctx, registration(f, "F-A-4"))
	wantCode(t, err, enlace.ECONFLICT, "register.already_pending")

	// The administrator is told, in the bell and by e-mail.
	ns, _, err := f.store.RecentNotifications(f.ctx, f.a.adminID, f.a.customer.ID, 10)
	must(t, err)
	if len(ns) == 0 || ns[0].Kind != "access_request" {
		t.Fatalf("admin notifications = %+v, want an access request", ns)
	}
	if got := f.sent.last(t, "access_request_received")["to"]; got != f.a.admin {
		t.Errorf("request e-mail to %v, want %s", got, f.a.admin)
	}

	// Customer B's administrator cannot see or decide it.
	_, err = f.svc.AccessRequest(f.asAdmin(f.b), req.ID)
	wantCode(t, err, enlace.ENOTFOUND, "")
	_, err = f.svc.DecideAccessRequest(f.asAdmin(f.b), req.ID, identity.Decision{Approve: true})
	wantCode(t, err, enlace.ENOTFOUND, "")

	got, err := f.svc.DecideAccessRequest(f.asAdmin(f.a), req.ID, identity.Decision{Approve: true, Role: identity.RoleTechnical, AccessLevel: identity.AccessFull})
	must(t, err)
	if got.Status != identity.RequestApproved || got.UserID == "" {
		t.Fatalf("decided request = %+v, want approved with a user", got)
	}
	_, err = f.svc.DecideAccessRequest(f.asAdmin(f.a), req.ID, identity.Decision{Approve: false, Reason: "no"})
	wantCode(t, err, enlace.ECONFLICT, "access_request.already_decided")

	// The new user signs in with the mailed temporary password and sees
	// only the request's billing account.
	token, sess := f.signIn("nueva.persona@acme.example", f.password("nueva.persona@acme.example"))
	if sess.Stage != identity.StagePassword {
		t.Errorf("new user's stage = %q, want password", sess.Stage)
	}
	p, err := f.svc.Authenticate(f.ctx, token)
	must(t, err)
	if p.Actor.CustomerID != f.a.customer.ID || len(p.Actor.BillingAccountIDs) != 1 || p.Actor.BillingAccountIDs[0] != f.a.accounts[0].ID {
		t.Errorf("actor = %+v, want customer A with account %s only", p.Actor, f.a.accounts[0].ID)
	}
}

func TestRejectionNeedsAReasonAndTellsTheRequester(t *testing.T) {
	f := newFixture(t)
	req, err := f.svc.Register(f.ctx, registration(f, "F-A-4"))
	must(t, err)
	_, err = f.svc.DecideAccessRequest(f.asAdmin(f.a), req.ID, identity.Decision{Reason: "  "})
	wantCode(t, err, enlace.EINVALID, "access_request.reason_required")
	_, err = f.svc.DecideAccessRequest(f.asAdmin(f.a), req.ID, identity.Decision{Reason: "No trabaja aquí"})
	must(t, err)
	sent := f.sent.last(t, "access_request_rejected")
	if sent["to"] != "nueva.persona@acme.example" || sent["Reason"] != "No trabaja aquí" {
		t.Errorf("rejection e-mail = %v, want to the requester with the reason", sent)
	}
	msgs, _, err := f.store.FindMessages(f.ctx, notify.MessageFilter{Limit: 50})
	must(t, err)
	var found bool
	for _, m := range msgs {
		found = found || m.Purpose == "access_request_rejected" && m.Recipient == "nueva.persona@acme.example"
	}
	if !found {
		t.Errorf("no rejection message in the outbox")
	}
}

func TestCustomersNeedingAttention(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Register(f.ctx, registration(f, "F-A-4"))
	must(t, err)
	// B loses its only administrator.
	_, err = f.svc.UpdateMember(f.asStaff(), f.b.customer.ID, f.b.adminID, identity.MemberUpdate{Email: f.b.admin,
		FirstName: "Admin", LastName: "Bolsa", Role: identity.RoleAdmin, AccessLevel: identity.AccessFull, Disabled: true})
	must(t, err)
	got, err := f.svc.CustomersNeedingAttention(f.asStaff())
	must(t, err)
	want := []identity.Attention{
		{CustomerID: f.a.customer.ID, CustomerName: "Acme", PendingRequests: 1},
		{CustomerID: f.b.customer.ID, CustomerName: "Bolsa", NoAdmin: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CustomersNeedingAttention() (-want +got):\n%s", diff)
	}
	_, err = f.svc.CustomersNeedingAttention(f.asAdmin(f.a))
	wantCode(t, err, enlace.EFORBIDDEN, "")
}
