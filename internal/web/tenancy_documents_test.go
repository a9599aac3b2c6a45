package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/document/doctest"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// TestTenancyDocuments walks every document route as users who must not
// reach the object: another tenant's document is 404, so is a document of
// a billing account the user is not assigned; what a role may not do is
// 403. Downloads are checked like any other route.
func TestTenancyDocuments(t *testing.T) {
	e, docs := newDocEnv(t)
	a, b := e.newTenant("Alfa"), e.newTenant("Beta")
	// A second account of A that A's end user is not assigned.
	a2 := customer.BillingAccount{ID: enlace.NewID(), CustomerID: a.customer.ID, Number: "A2-alfa", Name: "Alfa Sucursal"}
	must(t, e.store.CreateBillingAccount(context.Background(), &a2))
	pdf := doctest.PDF("x")
	whole := e.share(docs, document.Input{CustomerID: a.customer.ID, Kind: "contract", Title: "A entero"}, pdf)
	ofA1 := e.share(docs, document.Input{CustomerID: a.customer.ID, BillingAccountID: a.account.ID, Kind: "invoice", Title: "A1"}, pdf)
	ofA2 := e.share(docs, document.Input{CustomerID: a.customer.ID, BillingAccountID: a2.ID, Kind: "invoice", Title: "A2"}, pdf)
	ofB := e.share(docs, document.Input{CustomerID: b.customer.ID, Kind: "contract", Title: "B"}, pdf)

	clients := map[string]*client{
		"A admin":    e.signedIn(a.admin.Email),
		"A user":     e.signedIn(a.user.Email),
		"technician": e.signedIn(e.newStaff(identity.StaffTechnician)),
		"support":    e.signedIn(e.newStaff(identity.StaffSupport)),
	}
	dl := func(d *document.Document) string { return "/documents/" + d.ID + "/download" }
	retire := func(d *document.Document) string { return "/documents/" + d.ID + "/retire" }
	tests := []struct {
		who, method, path string
		want              int
	}{
		{"A admin", "GET", dl(ofB), 404},
		{"A admin", "POST", retire(ofB), 404},
		{"A admin", "GET", "/documents?customer=" + b.customer.ID, 200}, // the parameter is ignored: their own customer
		{"A admin", "GET", dl(whole), 200},
		{"A admin", "GET", dl(ofA2), 200},
		{"A admin", "POST", retire(whole), 403},
		{"A admin", "GET", "/documents/new?customer=" + a.customer.ID, 403},
		{"A admin", "POST", "/documents/new?customer=" + a.customer.ID, 403},

		{"A user", "GET", dl(ofB), 404},
		{"A user", "GET", dl(ofA2), 404},
		{"A user", "POST", retire(ofA2), 404},
		{"A user", "POST", retire(ofB), 404},
		{"A user", "GET", "/documents?account=" + a2.ID, 404},
		{"A user", "GET", dl(whole), 200},
		{"A user", "GET", dl(ofA1), 200},
		{"A user", "POST", retire(ofA1), 403},
		{"A user", "GET", "/documents/new?customer=" + b.customer.ID, 403},

		{"technician", "GET", "/documents?customer=" + b.customer.ID, 200},
		{"technician", "GET", dl(ofB), 200},
		{"technician", "GET", "/documents/new?customer=" + a.customer.ID, 403},
		{"technician", "POST", "/documents/new?customer=" + a.customer.ID, 403},
		{"technician", "POST", retire(ofB), 403},
		{"support", "POST", retire(whole), 403},
		{"support", "GET", dl(ofA2), 200},
		{"support", "GET", "/documents/" + enlace.NewID() + "/download", 404},
	}
	for _, tt := range tests {
		t.Run(tt.who+" "+tt.method+" "+tt.path, func(t *testing.T) {
			c := clients[tt.who]
			var r resp
			if tt.method == http.MethodPost {
				r = c.post(tt.path, url.Values{})
			} else {
				r = c.get(tt.path)
			}
			if r.status != tt.want {
				t.Errorf("%s %s as %s = %d, want %d", tt.method, tt.path, tt.who, r.status, tt.want)
			}
		})
	}
	// A's administrator sees only A's documents in the list.
	r := clients["A admin"].get("/documents?customer=" + b.customer.ID)
	r.contains(t, whole.ID, ofA1.ID, ofA2.ID)
	if strings.Contains(r.body, ofB.ID) {
		t.Error("A's administrator sees B's document")
	}
	r = clients["A user"].get("/documents")
	if strings.Contains(r.body, ofA2.ID) || strings.Contains(r.body, ofB.ID) {
		t.Error("A's user sees a document of an account they are not assigned, or of B")
	}
	// Nothing was retired; anonymous visitors are sent to sign in.
	for _, d := range []*document.Document{whole, ofA1, ofA2, ofB} {
		if _, err := docs.Get(e.staffCtx(), d.ID); err != nil {
			t.Errorf("%s: %v", d.Title, err)
		}
	}
	e.client().get(dl(whole)).want(t, 303, "/login?next=%2Fdocuments%2F"+whole.ID+"%2Fdownload")
}
