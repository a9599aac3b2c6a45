package api

import (
	"testing"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/document/doctest"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// TestTenancyDocuments crosses tenants on every document route: B's
// documents, and A's documents of a billing account A's end user is not
// assigned, are not found; uploading and retiring are refused to every
// role but staff administrators and account executives.
func TestTenancyDocuments(t *testing.T) {
	f := newFixture(t)
	docs := f.withDocuments()
	whole := f.share(docs, document.Input{CustomerID: f.a.customer.ID, Kind: "contract", Title: "A entero"})
	ofA1 := f.share(docs, document.Input{CustomerID: f.a.customer.ID, BillingAccountID: f.a.accounts[0].ID, Kind: "invoice", Title: "A1"})
	ofB := f.share(docs, document.Input{CustomerID: f.b.customer.ID, Kind: "contract", Title: "B"})
	upload := func(customerID string) call {
		return multipartBody([][2]string{{"customerId", customerID}, {"kind", "other"}, {"title", "x"}, {"file", ""}}, "x.pdf", doctest.PDF("x"))
	}
	tests := []struct {
		as, method, path string
		c                *call
		want             int
	}{
		{aAdmin, "GET", "/documents/" + ofB.ID, nil, 404},
		{aAdmin, "GET", "/documents/" + ofB.ID + "/content", nil, 404},
		{aAdmin, "DELETE", "/documents/" + ofB.ID, nil, 404},
		{aAdmin, "GET", "/documents?customerId=" + f.b.customer.ID, nil, 404},
		{aAdmin, "GET", "/documents/" + ofA1.ID + "/content", nil, 200},
		{aAdmin, "DELETE", "/documents/" + whole.ID, nil, 403},
		{aAdmin, "POST", "", ptr(upload(f.a.customer.ID)), 403},
		{aAdmin, "POST", "", ptr(upload(f.b.customer.ID)), 403},

		{aUser, "GET", "/documents/" + ofA1.ID, nil, 404},
		{aUser, "GET", "/documents/" + ofA1.ID + "/content", nil, 404},
		{aUser, "GET", "/documents?billingAccountId=" + f.a.accounts[0].ID, nil, 404},
		{aUser, "DELETE", "/documents/" + ofA1.ID, nil, 404},
		{aUser, "GET", "/documents/" + ofB.ID + "/content", nil, 404},
		{aUser, "GET", "/documents/" + whole.ID + "/content", nil, 200},
		{aUser, "DELETE", "/documents/" + whole.ID, nil, 403},

		{bAdmin, "GET", "/documents/" + whole.ID + "/content", nil, 404},
		{bAdmin, "GET", "/documents/" + ofA1.ID, nil, 404},

		{staffTech, "GET", "/documents/" + ofB.ID + "/content", nil, 200},
		{staffTech, "DELETE", "/documents/" + ofB.ID, nil, 403},
		{staffTech, "POST", "", ptr(upload(f.a.customer.ID)), 403},
		{staffExec, "GET", "/documents/" + enlace.NewID() + "/content", nil, 404},
		{"", "GET", "/documents/" + whole.ID + "/content", nil, 401},
		{"", "GET", "/documents", nil, 401},
	}
	for _, tt := range tests {
		c := call{method: tt.method, path: tt.path}
		if tt.c != nil {
			c = *tt.c
		}
		c.as = tt.as
		t.Run(tt.as+" "+c.method+" "+c.path, func(t *testing.T) {
			res, body := f.do(c)
			if res.StatusCode != tt.want {
				t.Errorf("%s %s as %q = %d %s, want %d", c.method, c.path, tt.as, res.StatusCode, body, tt.want)
			}
		})
	}
	// Lists never cross: A's end user sees the whole-customer document only.
	var l list[documentJSON]
	f.doJSON(call{as: aUser, method: "GET", path: "/documents"}, 200, &l)
	if l.Total != 1 || l.Items[0].ID != whole.ID {
		t.Errorf("A's end user lists %+v", l.Items)
	}
	f.doJSON(call{as: bAdmin, method: "GET", path: "/documents"}, 200, &l)
	if l.Total != 1 || l.Items[0].ID != ofB.ID {
		t.Errorf("B's administrator lists %+v", l.Items)
	}
	for _, d := range []*document.Document{whole, ofA1, ofB} {
		if _, err := docs.Get(f.staffCtx, d.ID); err != nil {
			t.Errorf("%s: %v", d.Title, err)
		}
	}
}
