package importer

import (
	"context"

	"github.com/enlace-portal/enlace/internal/inventory"
)

// Staged reads an import's staged rows the way the import job does, for
// tests that stop a process half way.
func (s *Service) Staged(ctx context.Context, imp *Import) ([]inventory.Site, []inventory.Service, error) {
	sites, services, _, err := s.load(ctx, imp)
	return sites, services, err
}
