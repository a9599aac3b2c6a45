package demo_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// TestSeedDocuments: each demo customer gets the shared documents, stored
// in the blob store as real PDFs, one of them for a billing account only.
func TestSeedDocuments(t *testing.T) {
	ctx := context.Background()
	s := seedAll(t)
	store, docs, blobs := s.store, s.docs, s.blobs
	cs, err := store.Customers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	staff := enlace.WithActor(ctx, &enlace.Actor{UserID: "x", StaffRole: identity.StaffAdmin})
	for _, c := range cs {
		ds, total, err := docs.List(staff, document.Filter{CustomerID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		if total < 4 {
			t.Errorf("%s has %d documents, want at least 4", c.Name, total)
		}
		perAccount := 0
		for _, d := range ds {
			if d.BillingAccountID != "" {
				perAccount++
			}
			rc, size, err := blobs.Get(ctx, d.ID)
			if err != nil {
				t.Fatalf("%s: %v", d.Title, err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if typ, ok := document.Detect(bytes.NewReader(b), size); !ok || typ.Name != "PDF" || !bytes.Contains(b, []byte("/Type /Page")) {
				t.Errorf("%s is not a one-page PDF", d.Title)
			}
		}
		if perAccount == 0 {
			t.Errorf("%s has no document of a billing account", c.Name)
		}
	}
}
