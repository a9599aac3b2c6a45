package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/enlace-portal/enlace/internal/blob"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document/doctest"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// TestDocumentsOnS3 runs the whole program with ENLACE_BLOB_STORE=s3
// against an in-process S3-compatible server: a 3 MiB PDF (over the 1 MiB
// default body limit) uploads through the API's own route limit, lands in
// the bucket, and downloads back byte for byte.
func TestDocumentsOnS3(t *testing.T) {
	s3srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(s3srv.Close)
	s3cfg := blob.S3Config{Endpoint: s3srv.URL, Bucket: "enlace", Region: "us-east-1", AccessKey: "k", SecretKey: "s", PathStyle: true}

	cfg := DefaultConfig()
	cfg.Addr, cfg.DataDir, cfg.DatabaseURL = "127.0.0.1:0", t.TempDir(), sqlstore.TestURL(t)
	cfg.Blob = BlobConfig{Store: "s3", S3: s3cfg}
	m := NewMain(cfg, slog.New(slog.DiscardHandler))
	if err := m.Run(context.Background()); err == nil {
		m.Close()
		t.Fatal("Run started without the bucket")
	}
	m.Close()
	bucket, err := blob.NewS3(s3cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := bucket.MakeBucket(t.Context()); err != nil {
		t.Fatal(err)
	}
	m = NewMain(cfg, slog.New(slog.DiscardHandler))
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })

	ctx := context.Background()
	c := customer.Customer{ID: enlace.NewID(), Number: "100", Name: "Acme"}
	if err := m.Store.CreateCustomer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	exec, _, err := m.Identity.CreateStaffUser(ctx, identity.NewStaffUser{Email: "ae@proveedor.example",
		FirstName: "Eva", LastName: "Ejecutiva", Role: identity.StaffAccountExec})
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := m.Identity.CreateAPIToken(enlace.WithActor(ctx, &enlace.Actor{UserID: exec.ID}), "test")
	if err != nil {
		t.Fatal(err)
	}

	pdf := doctest.PDF("Contrato")
	pdf = append(pdf[:len(pdf)-6], append(bytes.Repeat([]byte("%relleno de prueba\n"), 3<<20/19), []byte("%%EOF\n")...)...)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("customerId", c.ID)
	mw.WriteField("kind", "contract")
	mw.WriteField("title", "Contrato marco")
	fw, _ := mw.CreateFormFile("file", "contrato.pdf")
	fw.Write(pdf)
	mw.Close()
	req, _ := http.NewRequest("POST", m.BaseURL()+"/api/v1/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("upload of %d bytes = %d %s", body.Len(), res.StatusCode, b)
	}
	var d struct{ ID, ContentURL string }
	json.Unmarshal(b, &d)

	rc, size, err := bucket.Get(ctx, d.ID)
	if err != nil {
		t.Fatalf("object not in the bucket: %v", err)
	}
	rc.Close()
	if size != int64(len(pdf)) {
		t.Errorf("object of %d bytes, want %d", size, len(pdf))
	}
	req, _ = http.NewRequest("GET", m.BaseURL()+d.ContentURL, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Range", "bytes=1000-1999")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusPartialContent || !bytes.Equal(b, pdf[1000:2000]) {
		t.Errorf("ranged download = %d, %d bytes", res.StatusCode, len(b))
	}
}
