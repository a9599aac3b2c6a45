package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/jobs"
)

// stageBatch is how many rows one committed batch stages; each commit
// moves the progress bar.
const stageBatch = 5000

// Register makes runner do the importer's jobs, and lets uploads wake it.
func (s *Service) Register(runner *jobs.Runner) {
	runner.Handle(CheckJob, s.handle(s.Check))
	runner.Handle(ApplyJob, s.handle(s.Run))
	s.wake = runner.Wake
}

// handle reads a job's payload and runs step as the person who asked.
func (s *Service) handle(step func(ctx context.Context, id string) error) jobs.Handler {
	return func(ctx context.Context, j jobs.Job) error {
		var p jobPayload
		if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
			return jobs.Permanent(fmt.Errorf("importer job payload: %w", err))
		}
		ctx = enlace.WithActor(ctx, &enlace.Actor{UserID: p.UserID, Email: p.Email, StaffRole: p.Role})
		return step(ctx, p.ImportID)
	}
}

// Check reads and checks an uploaded file and stages its rows; the
// import ends ready, or failed with its problems. Run again after an
// interruption, it starts over from the file.
func (s *Service) Check(ctx context.Context, id string) error {
	imp, err := s.store.ImportByID(ctx, id)
	if err != nil {
		return jobs.Permanent(err)
	}
	if imp.Status != StatusUploaded && imp.Status != StatusValidating {
		return nil // done by an earlier run
	}
	if err := s.store.MoveImport(ctx, id, []string{StatusUploaded, StatusValidating}, StatusValidating); err != nil {
		return err
	}
	text, err := s.store.ImportSource(ctx, id)
	if err != nil {
		return err
	}
	f, err := Parse(text, s.Limits.MaxRows)
	if err != nil {
		// Upload parsed the same text; only a changed limit gets here.
		return s.failFile(ctx, imp, err)
	}
	bas, err := s.store.BillingAccounts(ctx, imp.CustomerID)
	if err != nil {
		return err
	}
	sites, err := s.store.CustomerSites(ctx, imp.CustomerID)
	if err != nil {
		return err
	}
	b := convert(f, newCustomerData(bas, sites))
	err = s.inv.CheckImport(ctx, imp.CustomerID, b.sites, b.services)
	if enlace.ErrorCode(err) == enlace.EINVALID {
		b.addInventoryErrors(f.header, enlace.AsError(err).Fields)
	} else if err != nil {
		return err
	}
	if err := s.stage(ctx, imp, f, b); err != nil {
		return err
	}
	imp.Summary = b.summary(imp.Summary)
	imp.ProcessedRows = imp.TotalRows
	imp.ErrorRows, imp.ErrorCount = len(b.problems), 0
	for _, ps := range b.problems {
		imp.ErrorCount += len(ps)
	}
	imp.Status = StatusReady
	if imp.ErrorRows > 0 {
		imp.Status = StatusFailed
	}
	return s.store.FinishImport(ctx, imp)
}

// stage writes the rows in committed batches.
func (s *Service) stage(ctx context.Context, imp *Import, f *File, b *batch) error {
	siteAt := make(map[int]int, len(b.sites))
	for i, line := range b.siteLine {
		siteAt[line] = i
	}
	serviceAt := make(map[int]int, len(b.services))
	for i, line := range b.serviceLine {
		serviceAt[line] = i
	}
	rows := make([]StagedRow, 0, stageBatch)
	for n, row := range f.Rows {
		var d stagedData
		if i, ok := siteAt[row.Line]; ok {
			d.Site = stageSite(&b.sites[i])
		}
		if i, ok := serviceAt[row.Line]; ok {
			d.Service = stageService(&b.services[i])
		}
		data, err := json.Marshal(d)
		if err != nil {
			return err
		}
		rows = append(rows, StagedRow{Line: row.Line, Data: string(data), Problems: b.problems[row.Line]})
		if len(rows) == stageBatch || n == len(f.Rows)-1 {
			if err := s.store.StageImportRows(ctx, imp.ID, rows, n+1); err != nil {
				return err
			}
			rows = rows[:0]
		}
	}
	return nil
}

// failFile ends an import whose file as a whole is wrong.
func (s *Service) failFile(ctx context.Context, imp *Import, err error) error {
	imp.Status, imp.ErrorRows, imp.ErrorCount = StatusFailed, 0, 1
	if e := enlace.AsError(err); len(e.Fields) > 0 {
		imp.Summary.FileError = &Problem{Key: e.Fields[0].Message, Args: e.Fields[0].Args}
	}
	return s.store.FinishImport(ctx, imp)
}

// summary counts what the file would add.
func (b *batch) summary(sum Summary) Summary {
	sum.NewSites, sum.ExistingSites, sum.Services = len(b.sites), len(b.existingSites), len(b.services)
	sum.ByCategory = map[string]int{}
	for _, v := range b.services {
		if slices.Contains(inventory.Categories, v.Category) {
			sum.ByCategory[v.Category]++
		}
	}
	return sum
}

// siteColumns and serviceColumns name the file's column of each field
// the inventory reports on.
var (
	siteColumns = map[string]string{"name": ColSite, "address_line1": ColAddress, "address_line2": ColAddress2,
		"city": ColCity, "postal_code": ColPostalCode, "state": ColState, "region": ColRegion, "country": ColCountry,
		"latitude": ColLatitude, "longitude": ColLongitude}
	serviceColumns = map[string]string{"service_key": ColServiceKey, "category": ColCategory, "product": ColProduct,
		"billing_account_id": ColAccount, "site_id": ColSite, "status": ColStatus, "activated_on": ColActivatedOn}
)

// addInventoryErrors files the inventory's findings ("services.41.service_key")
// under the line and column they are about, skipping a column of a line
// the conversion already reported on.
func (b *batch) addInventoryErrors(h *header, fields []enlace.FieldError) {
	for _, fe := range fields {
		kind, rest, _ := strings.Cut(fe.Field, ".")
		num, field, _ := strings.Cut(rest, ".")
		i, err := strconv.Atoi(num)
		var line int
		var col string
		switch {
		case err != nil:
			continue
		case kind == "sites" && i < len(b.siteLine):
			line, col = b.siteLine[i], siteColumns[field]
		case kind == "services" && i < len(b.serviceLine):
			line, col = b.serviceLine[i], serviceColumns[field]
		default:
			continue
		}
		name := h.name(col)
		if col == "" {
			name = field
		}
		if slices.ContainsFunc(b.problems[line], func(p Problem) bool { return p.Column == name }) {
			continue
		}
		p := Problem{Column: name, Key: fe.Message}
		if len(fe.Args) > 0 {
			p.Args = map[string]any{}
			for k, v := range fe.Args {
				p.Args[k] = v
			}
			// A repeated key names the other service by index; say its line.
			if j, ok := fe.Args["Row"].(int); ok && j < len(b.serviceLine) {
				p.Key, p.Args = "importer.error.key_repeated", map[string]any{"Line": b.serviceLine[j]}
			}
		}
		b.problems[line] = append(b.problems[line], p)
	}
}
