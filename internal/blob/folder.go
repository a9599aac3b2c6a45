// Package blob keeps files for the document repository: in a folder of
// the data directory (the default) or in S3-compatible object storage.
// Both implement document.BlobStore and pass one conformance test.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// keyPattern is what a key may be: the document ids are UUIDs. Anything
// else — a slash, "..", a user's file name — never reaches a path.
var keyPattern = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z_-]{7,127}$`)

func checkKey(key string) error {
	if !keyPattern.MatchString(key) {
		return fmt.Errorf("blob: invalid key %q", key)
	}
	return nil
}

// Folder stores each blob as a file under Root, in two levels of
// subfolders named after the key's last four characters (the random end
// of a UUIDv7), so that no folder grows past a few thousand files.
type Folder struct {
	Root string
}

// NewFolder returns a Folder rooted at root, creating it.
func NewFolder(root string) (*Folder, error) {
	if err := os.MkdirAll(filepath.Join(root, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("blob folder: %w", err)
	}
	return &Folder{Root: root}, nil
}

func (f *Folder) path(key string) string {
	n := len(key)
	return filepath.Join(f.Root, key[n-2:], key[n-4:n-2], key)
}

// Put writes the blob to a temporary file in the same file system, syncs
// it, and renames it into place, so that a reader never sees half a file
// and a crash leaves at most a stray temporary file.
func (f *Folder) Put(ctx context.Context, key string, r io.Reader, size int64) (int64, string, error) {
	if err := checkKey(key); err != nil {
		return 0, "", err
	}
	tmp, err := os.CreateTemp(filepath.Join(f.Root, "tmp"), key+".*")
	if err != nil {
		return 0, "", fmt.Errorf("blob put %s: %w", key, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), &ctxReader{ctx: ctx, r: io.LimitReader(r, size+1)})
	if err != nil {
		return 0, "", fmt.Errorf("blob put %s: %w", key, err)
	}
	if n != size {
		return 0, "", fmt.Errorf("blob put %s: read %d bytes, want %d", key, n, size)
	}
	if err := tmp.Sync(); err != nil {
		return 0, "", fmt.Errorf("blob put %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return 0, "", fmt.Errorf("blob put %s: %w", key, err)
	}
	dst := f.path(key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return 0, "", fmt.Errorf("blob put %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return 0, "", fmt.Errorf("blob put %s: %w", key, err)
	}
	done = true
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// Get opens the blob's file.
func (f *Folder) Get(ctx context.Context, key string) (io.ReadSeekCloser, int64, error) {
	if err := checkKey(key); err != nil {
		return nil, 0, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	file, err := os.Open(f.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, 0, fmt.Errorf("blob get %s: %w", key, err)
	}
	st, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, 0, fmt.Errorf("blob get %s: %w", key, err)
	}
	return file, st.Size(), nil
}

// Delete removes the blob's file; a missing one is fine.
func (f *Folder) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := os.Remove(f.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob delete %s: %w", key, err)
	}
	return nil
}

// ctxReader stops a long copy when its request is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
