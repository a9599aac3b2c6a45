package main

import (
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/blob"
)

func TestParseConfigDocuments(t *testing.T) {
	c, err := parse(nil, map[string]string{"ENLACE_DATA_DIR": "/var/lib/enlace"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Blob.Store != "folder" || c.BlobDir() != "/var/lib/enlace/blobs" || c.DocumentMaxBytes != 20<<20 {
		t.Errorf("defaults: store %q dir %q max %d", c.Blob.Store, c.BlobDir(), c.DocumentMaxBytes)
	}
	c, err = parse([]string{"--s3-bucket", "docs-flag"}, map[string]string{
		"ENLACE_BLOB_STORE": "s3", "ENLACE_S3_ENDPOINT": "https://s3.example.com", "ENLACE_S3_BUCKET": "docs",
		"ENLACE_S3_REGION": "mx-central-1", "ENLACE_S3_ACCESS_KEY": "AKIA", "ENLACE_S3_SECRET_KEY": "secreto",
		"ENLACE_S3_PATH_STYLE": "true", "ENLACE_S3_PREFIX": "documents/", "ENLACE_DOCUMENT_MAX_BYTES": "5242880"})
	if err != nil {
		t.Fatal(err)
	}
	want := blob.S3Config{Endpoint: "https://s3.example.com", Bucket: "docs-flag", Region: "mx-central-1", AccessKey: "AKIA",
		SecretKey: "secreto", PathStyle: true, Prefix: "documents/"}
	if c.Blob.Store != "s3" || c.Blob.S3 != want || c.DocumentMaxBytes != 5<<20 {
		t.Errorf("s3: %+v max %d", c.Blob, c.DocumentMaxBytes)
	}
}

func TestParseConfigDocumentErrors(t *testing.T) {
	s3 := map[string]string{"ENLACE_BLOB_STORE": "s3", "ENLACE_S3_ENDPOINT": "https://s3.example.com",
		"ENLACE_S3_BUCKET": "docs", "ENLACE_S3_ACCESS_KEY": "AKIA", "ENLACE_S3_SECRET_KEY": "secreto"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for kk, vv := range s3 {
			m[kk] = vv
		}
		m[k] = v
		return m
	}
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown store", nil, map[string]string{"ENLACE_BLOB_STORE": "ftp"}, "ENLACE_BLOB_STORE"},
		{"s3 without secret", nil, with("ENLACE_S3_SECRET_KEY", ""), "secret key"},
		{"s3 without bucket", nil, with("ENLACE_S3_BUCKET", ""), "no bucket"},
		{"s3 endpoint not a URL", nil, with("ENLACE_S3_ENDPOINT", "s3.example.com"), "endpoint"},
		{"the secret is no flag", []string{"--s3-secret-key", "x"}, s3, "flag provided but not defined"},
		{"tiny document limit", nil, map[string]string{"ENLACE_DOCUMENT_MAX_BYTES": "10"}, "ENLACE_DOCUMENT_MAX_BYTES"},
		{"huge document limit", []string{"--document-max-bytes", "10000000000"}, nil, "ENLACE_DOCUMENT_MAX_BYTES"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(tt.args, tt.env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseConfig = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
}
