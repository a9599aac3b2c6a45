package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/enlace-portal/enlace/internal/blob"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
)

var (
	_ document.BlobStore = (*blob.Folder)(nil)
	_ document.BlobStore = (*blob.S3)(nil)
)

// newFakeS3 starts an in-process S3-compatible server (gofakes3, over
// real HTTP with V4 signatures) with an empty bucket, and returns a store
// on it.
func newFakeS3(t *testing.T) *blob.S3 {
	t.Helper()
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(srv.Close)
	s, err := blob.NewS3(blob.S3Config{Endpoint: srv.URL, Bucket: "enlace-docs", Region: "us-east-1",
		AccessKey: "enlace", SecretKey: "secreto-de-prueba", PathStyle: true, Prefix: "documents/"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(t.Context()); err == nil {
		t.Fatal("Check passed on a missing bucket")
	}
	if err := s.MakeBucket(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	return s
}

// stores are the implementations the conformance test runs on.
func stores(t *testing.T) map[string]document.BlobStore {
	folder, err := blob.NewFolder(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]document.BlobStore{"folder": folder, "s3": newFakeS3(t)}
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestConformance(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			key := enlace.NewID()
			// Larger than the S3 client's 16 MiB part size, to prove one PUT.
			big := bytes.Repeat([]byte("Enlace ñ 0123456789\n"), 17<<20/20)
			for _, content := range [][]byte{[]byte("%PDF-1.4 hola"), big} {
				n, got, err := st.Put(ctx, key, bytes.NewReader(content), int64(len(content)))
				if err != nil {
					t.Fatalf("Put: %v", err)
				}
				if n != int64(len(content)) || got != sum(content) {
					t.Fatalf("Put = %d %s, want %d %s", n, got, len(content), sum(content))
				}
				rc, size, err := st.Get(ctx, key)
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
				if size != int64(len(content)) {
					t.Errorf("Get size = %d, want %d", size, len(content))
				}
				b, err := io.ReadAll(rc)
				if err != nil || !bytes.Equal(b, content) {
					t.Fatalf("Get read %d bytes (err %v), want the %d put (replacing what was there)", len(b), err, len(content))
				}
				// Seek and read a range, as a Range request does.
				if _, err := rc.Seek(7, io.SeekStart); err != nil {
					t.Fatal(err)
				}
				part := make([]byte, 5)
				if _, err := io.ReadFull(rc, part); err != nil || !bytes.Equal(part, content[7:12]) {
					t.Errorf("range read = %q (%v), want %q", part, err, content[7:12])
				}
				rc.Close()
			}

			if err := st.Delete(ctx, key); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if _, _, err := st.Get(ctx, key); enlace.ErrorCode(err) != enlace.ENOTFOUND {
				t.Errorf("Get after Delete: %v, want not found", err)
			}
			if err := st.Delete(ctx, key); err != nil {
				t.Errorf("second Delete: %v, want nil", err)
			}
			if _, _, err := st.Get(ctx, enlace.NewID()); enlace.ErrorCode(err) != enlace.ENOTFOUND {
				t.Errorf("Get of a key never put: %v, want not found", err)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			for _, key := range []string{"", "../../etc/passwd", "a/b/c/d/e/f/g", "..........", "con tenido.pdf", strings.Repeat("a", 200)} {
				if _, _, err := st.Put(ctx, key, strings.NewReader("x"), 1); err == nil {
					t.Errorf("Put(%q) stored it", key)
				}
			}
			key := enlace.NewID()
			if _, _, err := st.Put(ctx, key, strings.NewReader("short"), 10); err == nil {
				t.Error("Put of a reader shorter than its size succeeded")
			}
			if _, _, err := st.Put(ctx, key, strings.NewReader("longer than said"), 4); err == nil {
				t.Error("Put of a reader longer than its size succeeded")
			}
			if _, _, err := st.Get(ctx, key); enlace.ErrorCode(err) != enlace.ENOTFOUND {
				t.Errorf("a failed Put left a blob: %v", err)
			}
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			if _, _, err := st.Put(cancelled, enlace.NewID(), strings.NewReader("x"), 1); err == nil {
				t.Error("Put with a cancelled context succeeded")
			}
		})
	}
}

// TestFolderLayout checks the folder store shards by the key's random
// end and leaves no temporary file behind.
func TestFolderLayout(t *testing.T) {
	root := t.TempDir()
	f, err := blob.NewFolder(root)
	if err != nil {
		t.Fatal(err)
	}
	key := "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
	if _, _, err := f.Put(t.Context(), key, strings.NewReader("x"), 1); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "5b", "4a", key)); err != nil {
		t.Errorf("blob not at 5b/4a/<key>: %v", err)
	}
	if _, _, err := f.Put(t.Context(), key, strings.NewReader("short"), 9); err == nil {
		t.Fatal("short Put succeeded")
	}
	tmp, _ := os.ReadDir(filepath.Join(root, "tmp"))
	if len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	rc, _, err := f.Get(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if b, _ := io.ReadAll(rc); string(b) != "x" {
		t.Errorf("a failed Put replaced the blob: %q", b)
	}
}

func TestS3ConfigValidate(t *testing.T) {
	good := blob.S3Config{Endpoint: "https://s3.example.com", Bucket: "b", AccessKey: "a", SecretKey: "s"}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*blob.S3Config){
		"no endpoint":   func(c *blob.S3Config) { c.Endpoint = "" },
		"ftp endpoint":  func(c *blob.S3Config) { c.Endpoint = "ftp://x" },
		"endpoint path": func(c *blob.S3Config) { c.Endpoint = "https://s3.example.com/bucket" },
		"no bucket":     func(c *blob.S3Config) { c.Bucket = "" },
		"no secret":     func(c *blob.S3Config) { c.SecretKey = "" },
		"slash prefix":  func(c *blob.S3Config) { c.Prefix = "/docs" },
	} {
		c := good
		mod(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: Validate passed", name)
		}
	}
}
