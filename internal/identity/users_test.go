package identity_test

import (
	"context"
	"testing"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

func newMember(f *fixture, tn tenant, email, role string) identity.NewMember {
	return identity.NewMember{CustomerID: tn.customer.ID, Email: email, FirstName: "Luis", LastName: "Pérez",
		Role: role, AccessLevel: identity.AccessFull, BillingAccountIDs: []string{tn.accounts[1].ID}}
}

func TestCustomerAdminManagesOnlyOwnUsers(t *testing.T) {
	f := newFixture(t)
	m, err := f.svc.CreateMember(f.asAdmin(f.a), newMember(f, f.a, "luis@acme.example", identity.RoleUser))
	must(t, err)
	if m.Membership.CustomerID != f.a.customer.ID || len(m.Membership.BillingAccountIDs) != 1 {
		t.Fatalf("member = %+v, want in customer A with one account", m.Membership)
	}
	// B's administrator: not found everywhere, even when naming A's customer.
	b := f.asAdmin(f.b)
	_, err = f.svc.Member(b, f.a.customer.ID, m.ID)
	wantCode(t, err, enlace.ENOTFOUND, "")
	_, err = f.svc.UpdateMember(b, f.a.customer.ID, m.ID, identity.MemberUpdate{Email: "x@x.example", FirstName: "X", LastName: "Y",
		Role: identity.RoleUser, AccessLevel: identity.AccessFull})
	wantCode(t, err, enlace.ENOTFOUND, "")
	_, _, err = f.svc.FindMembers(b, identity.MemberFilter{CustomerID: f.a.customer.ID})
	wantCode(t, err, enlace.ENOTFOUND, "")
	members, total, err := f.svc.FindMembers(b, identity.MemberFilter{})
	must(t, err)
	if total != 1 || members[0].Email != f.b.admin {
		t.Errorf("B's user list = %d users, want only B's admin", total)
	}
	// Another customer's billing account cannot be assigned.
	bad := newMember(f, f.a, "otro@acme.example", identity.RoleUser)
	bad.BillingAccountIDs = []string{f.b.accounts[0].ID}
	_, err = f.svc.CreateMember(f.asAdmin(f.a), bad)
	wantCode(t, err, enlace.EINVALID, "users.account_unknown")
}

func TestNonAdminsCannotManageUsers(t *testing.T) {
	f := newFixture(t)
	m, err := f.svc.CreateMember(f.asAdmin(f.a), newMember(f, f.a, "luis@acme.example", identity.RoleUser))
	must(t, err)
	for _, tt := range []struct {
		name  string
		actor *enlace.Actor
	}{
		{"customer end user", &enlace.Actor{UserID: m.ID, CustomerID: f.a.customer.ID, CustomerRole: identity.RoleUser}},
		{"read-only customer admin", &enlace.Actor{UserID: f.a.adminID, CustomerID: f.a.customer.ID, CustomerRole: identity.RoleAdmin, ReadOnly: true}},
		{"staff technician", &enlace.Actor{UserID: f.staffID, StaffRole: identity.StaffTechnician}},
		{"staff support", &enlace.Actor{UserID: f.staffID, StaffRole: identity.StaffSupport}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := enlace.WithActor(f.ctx, tt.actor)
			_, err := f.svc.CreateMember(ctx, newMember(f, f.a, "nuevo@acme.example", identity.RoleUser))
			if code := enlace.ErrorCode(err); code != enlace.EFORBIDDEN {
				t.Errorf("CreateMember = %v, want forbidden", err)
			}
		})
	}
}

func TestOnePersonInSeveralCustomers(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.CreateMember(f.asAdmin(f.a), newMember(f, f.a, "luis@acme.example", identity.RoleAdmin))
	must(t, err)
	pw := f.password("luis@acme.example")
	// B's administrator adds the same person: no second account, no new password.
	_, err = f.svc.CreateMember(f.asAdmin(f.b), newMember(f, f.b, "LUIS@acme.example", identity.RoleUser))
	must(t, err)
	if got := f.password("luis@acme.example"); got != pw {
		t.Errorf("a second password was mailed")
	}
	_, err = f.svc.CreateMember(f.asAdmin(f.b), newMember(f, f.b, "luis@acme.example", identity.RoleUser))
	wantCode(t, err, enlace.EINVALID, "users.already_member")

	token, _ := f.signIn("luis@acme.example", pw)
	p, err := f.svc.Authenticate(f.ctx, token)
	must(t, err)
	if p.Actor.CustomerID != f.a.customer.ID {
		t.Errorf("first sign-in acts for %s, want customer A, where Luis administers", p.Actor.CustomerID)
	}
	ms, err := f.svc.Memberships(enlace.WithActor(context.Background(), p.Actor))
	must(t, err)
	if len(ms) != 2 {
		t.Fatalf("memberships = %d, want 2", len(ms))
	}
	must(t, f.svc.SwitchCustomer(f.ctx, p.Session, f.b.customer.ID))
	p, err = f.svc.Authenticate(f.ctx, token)
	must(t, err)
	if p.Actor.CustomerID != f.b.customer.ID || p.Actor.CustomerRole != identity.RoleUser {
		t.Errorf("after switch actor = %+v, want end user of B", p.Actor)
	}
	// The next sign-in returns to the customer used last.
	token2, _ := f.signIn("luis@acme.example", pw)
	p2, err := f.svc.Authenticate(f.ctx, token2)
	must(t, err)
	if p2.Actor.CustomerID != f.b.customer.ID {
		t.Errorf("next sign-in acts for %s, want customer B, used last", p2.Actor.CustomerID)
	}
	// Not a member of a third customer: cannot switch to it.
	wantCode(t, f.svc.SwitchCustomer(f.ctx, p.Session, enlace.NewID()), enlace.ENOTFOUND, "")

	// Editing the shared person's e-mail from one customer is refused.
	_, err = f.svc.UpdateMember(f.asAdmin(f.b), "", p.User.ID, identity.MemberUpdate{Email: "otro@acme.example",
		FirstName: "Luis", LastName: "Pérez", Role: identity.RoleUser, AccessLevel: identity.AccessFull})
	wantCode(t, err, enlace.EINVALID, "users.profile_shared")
}

func TestDisablingAMemberEndsTheirSessions(t *testing.T) {
	f := newFixture(t)
	m, err := f.svc.CreateMember(f.asAdmin(f.a), newMember(f, f.a, "luis@acme.example", identity.RoleUser))
	must(t, err)
	token, _ := f.signIn("luis@acme.example", f.password("luis@acme.example"))
	_, err = f.svc.UpdateMember(f.asAdmin(f.a), "", m.ID, identity.MemberUpdate{Email: m.Email, FirstName: m.FirstName,
		LastName: m.LastName, Role: identity.RoleUser, AccessLevel: identity.AccessFull, Disabled: true})
	must(t, err)
	_, err = f.svc.Authenticate(f.ctx, token)
	wantCode(t, err, enlace.EUNAUTHORIZED, "")
	_, _, err = f.svc.Login(f.ctx, "luis@acme.example", f.password("luis@acme.example"), "test")
	wantCode(t, err, enlace.EUNAUTHORIZED, "login.invalid_credentials")
}

func TestAPITokens(t *testing.T) {
	f := newFixture(t)
	ctx := f.asAdmin(f.a)
	tok, secret, err := f.svc.CreateAPIToken(ctx, "CRM")
	must(t, err)
	p, err := f.svc.AuthenticateToken(f.ctx, secret)
	must(t, err)
	if p.Actor.UserID != f.a.adminID || p.Actor.CustomerID != f.a.customer.ID {
		t.Errorf("token actor = %+v, want A's admin", p.Actor)
	}
	// Another user cannot revoke it; its owner can.
	wantCode(t, f.svc.RevokeAPIToken(f.asAdmin(f.b), tok.ID), enlace.ENOTFOUND, "")
	must(t, f.svc.RevokeAPIToken(ctx, tok.ID))
	_, err = f.svc.AuthenticateToken(f.ctx, secret)
	wantCode(t, err, enlace.EUNAUTHORIZED, "api.token_invalid")
	_, err = f.svc.AuthenticateToken(f.ctx, "enl_forged")
	wantCode(t, err, enlace.EUNAUTHORIZED, "api.token_invalid")
}
