package sqlstore_test

import (
	"context"
	"testing"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

func TestMigrateTwiceThenReady(t *testing.T) {
	ctx := context.Background()
	s := sqlstore.MustOpenTest(t, enlace.SystemClock{})
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate() = %v, want nil", err)
	}
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("Ready() = %v, want nil", err)
	}
}

func TestReadyReportsPendingMigrations(t *testing.T) {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, sqlstore.TestURL(t), enlace.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ready(ctx); err == nil {
		t.Fatalf("Ready() on an unmigrated database = nil, want an error")
	}
}
