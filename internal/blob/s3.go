package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// S3Config reaches a bucket of S3-compatible object storage (AWS S3,
// MinIO, Garage, SeaweedFS, Ceph RGW, …).
type S3Config struct {
	// Endpoint is the service's URL: https://s3.us-east-1.amazonaws.com,
	// http://127.0.0.1:9000. The scheme decides TLS.
	Endpoint  string
	Bucket    string
	Region    string
	AccessKey string
	SecretKey string
	// PathStyle addresses the bucket in the path (host/bucket/key), as most
	// self-hosted servers want, instead of a virtual host (bucket.host/key).
	PathStyle bool
	// Prefix is put before every key, e.g. "documents/"; it may be empty.
	Prefix string
}

// Validate reports the first setting that cannot work.
func (c S3Config) Validate() error {
	u, err := url.Parse(c.Endpoint)
	switch {
	case c.Endpoint == "":
		return fmt.Errorf("no endpoint")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("endpoint %q: want http:// or https:// and a host", c.Endpoint)
	case u.Path != "" && u.Path != "/":
		return fmt.Errorf("endpoint %q: want no path (the bucket is set on its own)", c.Endpoint)
	case c.Bucket == "":
		return fmt.Errorf("no bucket")
	case c.AccessKey == "" || c.SecretKey == "":
		return fmt.Errorf("access key and secret key are both needed")
	case strings.HasPrefix(c.Prefix, "/"):
		return fmt.Errorf("prefix %q: must not start with /", c.Prefix)
	}
	return nil
}

// S3 stores blobs as objects of one bucket.
type S3 struct {
	client *minio.Client
	cfg    S3Config
}

// NewS3 returns an S3 store for cfg. It does not connect; Check does.
func NewS3(cfg S3Config) (*S3, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("s3: %w", err)
	}
	u, _ := url.Parse(cfg.Endpoint)
	lookup := minio.BucketLookupDNS
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       u.Scheme == "https",
		Region:       cfg.Region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, fmt.Errorf("s3: %w", err)
	}
	return &S3{client: c, cfg: cfg}, nil
}

// Check reports whether the bucket can be reached, for start-up.
func (s *S3) Check(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.cfg.Bucket)
	if err != nil {
		return fmt.Errorf("s3 bucket %s at %s: %w", s.cfg.Bucket, s.cfg.Endpoint, err)
	}
	if !ok {
		return fmt.Errorf("s3 bucket %s at %s does not exist", s.cfg.Bucket, s.cfg.Endpoint)
	}
	return nil
}

// MakeBucket creates the bucket, for tests and a first set-up.
func (s *S3) MakeBucket(ctx context.Context) error {
	return s.client.MakeBucket(ctx, s.cfg.Bucket, minio.MakeBucketOptions{Region: s.cfg.Region})
}

func (s *S3) object(key string) string { return s.cfg.Prefix + key }

// Put uploads the blob as one object of known size in a single PUT; S3
// makes it visible whole or not at all.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64) (int64, string, error) {
	if err := checkKey(key); err != nil {
		return 0, "", err
	}
	if size < 0 {
		return 0, "", fmt.Errorf("blob put %s: size unknown", key)
	}
	h := sha256.New()
	info, err := s.client.PutObject(ctx, s.cfg.Bucket, s.object(key), io.TeeReader(r, h), size,
		// One PUT (up to 5 GiB, far above any upload limit): no multipart
		// upload left behind by a failure.
		minio.PutObjectOptions{ContentType: "application/octet-stream", DisableMultipart: true})
	if err != nil {
		return 0, "", fmt.Errorf("blob put %s: %w", key, err)
	}
	// The client reads exactly size bytes; more left in r means the size
	// was wrong, and the object is not what the caller holds.
	if n, _ := r.Read(make([]byte, 1)); n > 0 || info.Size != size {
		s.Delete(context.WithoutCancel(ctx), key)
		return 0, "", fmt.Errorf("blob put %s: content longer than %d bytes", key, size)
	}
	return info.Size, hex.EncodeToString(h.Sum(nil)), nil
}

// Get opens the object; reads and seeks become ranged GETs.
func (s *S3) Get(ctx context.Context, key string) (io.ReadSeekCloser, int64, error) {
	if err := checkKey(key); err != nil {
		return nil, 0, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	obj, err := s.client.GetObject(ctx, s.cfg.Bucket, s.object(key), minio.GetObjectOptions{})
	if err != nil {
		return nil, 0, fmt.Errorf("blob get %s: %w", key, err)
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil, 0, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		return nil, 0, fmt.Errorf("blob get %s: %w", key, err)
	}
	return obj, st.Size, nil
}

// Delete removes the object; S3 answers a missing one as deleted.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.cfg.Bucket, s.object(key), minio.RemoveObjectOptions{}); err != nil {
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil
		}
		return fmt.Errorf("blob delete %s: %w", key, err)
	}
	return nil
}
