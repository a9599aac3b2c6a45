package importer

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/jobs"
)

// readBatch is how many staged rows the import reads at a time.
const readBatch = 5000

// Run imports the staged rows of a checked file in one transaction through
// inventory.Manager.Import, which checks them all again: rows that became
// wrong since the preview (a key taken meanwhile) fail the import with
// their problems, and nothing is written. Run again after an
// interruption, it recognises an import that was written but not yet
// marked done, and marks it.
func (s *Service) Run(ctx context.Context, id string) error {
	imp, err := s.store.ImportByID(ctx, id)
	if err != nil {
		return jobs.Permanent(err)
	}
	if imp.Status != StatusImporting {
		return nil
	}
	sites, services, lines, err := s.load(ctx, imp)
	if err != nil {
		return err
	}
	written, err := s.written(ctx, sites, services)
	if err != nil {
		return err
	}
	if !written {
		err = s.inv.Import(ctx, imp.CustomerID, sites, services)
	}
	switch {
	case enlace.ErrorCode(err) == enlace.EINVALID:
		return s.refused(ctx, imp, lines, enlace.AsError(err).Fields)
	case enlace.ErrorCode(err) == enlace.EFORBIDDEN:
		imp.Status, imp.ErrorCount = StatusFailed, 1
		imp.Summary.ImportError = &Problem{Key: "importer.error.forbidden"}
		return s.store.FinishImport(ctx, imp)
	case err != nil:
		return err
	}
	imp.Status, imp.ProcessedRows = StatusDone, imp.TotalRows
	return s.store.FinishImport(ctx, imp)
}

// importLines are the file lines of each site and service loaded.
type importLines struct{ sites, services []int }

// load reads the staged rows back, moving the progress as it goes.
func (s *Service) load(ctx context.Context, imp *Import) ([]inventory.Site, []inventory.Service, importLines, error) {
	var (
		sites    []inventory.Site
		services = make([]inventory.Service, 0, imp.TotalRows)
		lines    importLines
		after    int
		n        int
	)
	for {
		rows, err := s.store.ImportRows(ctx, imp.ID, false, after, readBatch)
		if err != nil {
			return nil, nil, lines, err
		}
		for _, r := range rows {
			var d stagedData
			if err := json.Unmarshal([]byte(r.Data), &d); err != nil {
				return nil, nil, lines, jobs.Permanent(fmt.Errorf("import %s line %d: %w", imp.ID, r.Line, err))
			}
			if d.Site != nil {
				sites = append(sites, d.Site.site())
				lines.sites = append(lines.sites, r.Line)
			}
			if d.Service != nil {
				services = append(services, d.Service.service())
				lines.services = append(lines.services, r.Line)
			}
			after = r.Line
		}
		n += len(rows)
		if len(rows) < readBatch {
			return sites, services, lines, nil
		}
		// Loading is the first half of the bar; the write is the rest.
		if err := s.store.SetImportProgress(ctx, imp.ID, n/2); err != nil {
			return nil, nil, lines, err
		}
	}
}

// written reports whether an earlier run wrote these rows and stopped
// before it could say so: the first new site exists, or — when the file
// adds no site — every service key is taken.
func (s *Service) written(ctx context.Context, sites []inventory.Site, services []inventory.Service) (bool, error) {
	if len(sites) > 0 {
		_, err := s.store.SiteByID(ctx, sites[0].ID)
		if enlace.ErrorCode(err) == enlace.ENOTFOUND {
			return false, nil
		}
		return err == nil, err
	}
	if len(services) == 0 {
		return false, nil
	}
	keys := make([]string, len(services))
	for i, v := range services {
		keys[i] = v.Key
	}
	taken, err := s.store.ExistingServiceKeys(ctx, keys)
	return len(taken) == len(keys), err
}

// refused records the problems that stopped an import on their rows.
func (s *Service) refused(ctx context.Context, imp *Import, lines importLines, fields []enlace.FieldError) error {
	b := &batch{siteLine: lines.sites, serviceLine: lines.services, problems: map[int][]Problem{}}
	b.addInventoryErrors(&header{names: map[string]string{}}, fields)
	rows := make([]StagedRow, 0, len(b.problems))
	imp.ErrorCount = 0
	for line, ps := range b.problems {
		rows = append(rows, StagedRow{Line: line, Problems: ps})
		imp.ErrorCount += len(ps)
	}
	if err := s.store.SetImportProblems(ctx, imp.ID, rows); err != nil {
		return err
	}
	imp.Status, imp.ErrorRows = StatusFailed, len(rows)
	imp.Summary.ImportError = &Problem{Key: "importer.error.changed"}
	return s.store.FinishImport(ctx, imp)
}
