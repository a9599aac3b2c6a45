package web_test

import (
	"testing"

	"github.com/enlace-portal/enlace/internal/identity"
)

func TestHomeChartsActiveServicesByCategory(t *testing.T) {
	e, inv := newInventoryEnv(t)
	a := e.newTenant("Alfa")
	e.stock(inv, a, "ALF", 12) // a third of them active, spread over the categories
	c := e.signedIn(a.admin.Email)
	c.get("/").want(t, 200, "").contains(t, `id="widget-services"`, `<svg class="chart"`,
		`href="/services?status=active&amp;category=`, ">4<")
	// A customer with no services is told why that may be.
	b := e.newTenant("Beta")
	e.signedIn(b.admin.Email).get("/").want(t, 200, "").contains(t, `id="widget-services"`, `href="/help/empty-account"`)
}

func TestStaffHomeListsCustomersNeedingAttention(t *testing.T) {
	e := newEnv(t)
	a := e.newTenant("Alfa")
	b := e.newTenant("Beta")
	_, err := e.id.Register(e.staffCtx(), identity.Registration{CustomerNumber: a.customer.Number,
		AccountNumber: a.account.Number, InvoiceNumber: a.invoiceNumbs[0], Email: "nuevo@alfa.mx", FirstName: "N", LastName: "A"})
	must(t, err)
	_, err = e.id.UpdateMember(e.staffCtx(), b.customer.ID, b.admin.ID, identity.MemberUpdate{Email: b.admin.Email,
		FirstName: b.admin.FirstName, LastName: b.admin.LastName, Role: identity.RoleAdmin,
		AccessLevel: identity.AccessFull, Disabled: true})
	must(t, err)
	c := e.signedIn(e.admin.Email)
	c.get("/").want(t, 200, "").contains(t, `id="widget-attention"`, "Alfa", "Beta",
		`href="/access-requests?customer=`+a.customer.ID+`&amp;status=pending"`, `href="/users?customer=`+b.customer.ID+`"`)
	// A technician serves no customer's users: no such widget.
	tech := e.newStaff(identity.StaffTechnician)
	r := e.signedIn(tech).get("/").want(t, 200, "")
	if contains(r.body, `id="widget-attention"`) {
		t.Error("a technician's home lists customers needing attention")
	}
}
