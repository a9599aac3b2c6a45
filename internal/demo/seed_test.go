package demo_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/blob"
	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/carrier/fakecarrier"
	"github.com/enlace-portal/enlace/internal/demo"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/reach"
	"github.com/enlace-portal/enlace/internal/report"
	"github.com/enlace-portal/enlace/internal/servicedesk"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// seeded is a database filled by demo.Seed with its documents and
// projects, and the services that wrote them.
type seeded struct {
	store    *sqlstore.Store
	blobs    *blob.Folder
	docs     *document.Service
	projects *activation.Service
	requests *servicedesk.Service
	numbers  *numbering.Service
	porting  *porting.Service
	reach    *reach.Service
}

// seedAll seeds a test database the way `enlace demo` does, with cheap
// password hashing.
func seedAll(t *testing.T) *seeded {
	t.Helper()
	ctx := context.Background()
	// The store runs on the replay clock, as in `enlace demo`, so that the
	// service desk's history is written at the times it replays.
	clock := &enlace.ReplayClock{Base: enlace.NewFakeClock(time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC))}
	s := &seeded{store: sqlstore.MustOpenTest(t, clock)}
	r, err := notify.NewRenderer(i18n.MustLoad())
	if err != nil {
		t.Fatal(err)
	}
	if s.blobs, err = blob.NewFolder(filepath.Join(t.TempDir(), "blobs")); err != nil {
		t.Fatal(err)
	}
	s.docs = document.NewService(s.store, s.blobs, document.Config{TempDir: t.TempDir()})
	catalog := activation.NewCatalog(s.store)
	if err := catalog.SyncShipped(ctx); err != nil {
		t.Fatal(err)
	}
	s.projects = activation.NewService(s.store, catalog, r, clock, activation.Config{})
	s.projects.SetFiles(s.docs)
	s.requests = servicedesk.NewService(s.store, s.projects, nil, clock, servicedesk.Config{Location: s.projects.Location()})
	s.requests.SetFiles(s.docs)
	s.numbers = numbering.NewService(s.store, clock)
	// The fake carrier the demo runs; no job runs here, so it is never called.
	gateway := httptest.NewServer(fakecarrier.New(clock, fakecarrier.Config{Token: "t"}))
	t.Cleanup(gateway.Close)
	s.porting = porting.NewService(s.store, carrier.New(carrier.Config{BaseURL: gateway.URL, Token: "t"}), s.projects,
		report.LOAWriter{Catalog: i18n.MustLoad(), ProviderName: "Enlace", Location: s.projects.Location()}, nil, clock,
		porting.Config{Location: s.projects.Location()})
	s.porting.SetFiles(s.docs)
	s.porting.SetProjects(s.projects)
	s.reach = reach.NewService(s.store, s.projects, clock)
	cheap := identity.HashParams{Time: 1, Memory: 1024, Threads: 1}
	if _, err := demo.Seed(ctx, s.store, identity.NewService(s.store, clock, r, identity.Config{Hash: cheap}), clock, "http://x", cheap,
		demo.WithDocuments(s.docs), demo.WithProjects(s.projects), demo.WithRequests(s.requests, clock),
		demo.WithPorting(s.numbers, s.porting), demo.WithReach(s.reach)); err != nil {
		t.Fatal(err)
	}
	return s
}
