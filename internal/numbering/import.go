package numbering

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/importer"
	"github.com/enlace-portal/enlace/internal/jobs"
)

// ImportJob is the job kind that reads an import's file.
const ImportJob = "numbering.import"

// Columns of a numbers file. A row is one number, or a range when "hasta"
// is given; state, caller name, location and remark are optional.
const (
	ColNumber   = "numero"
	ColTo       = "hasta"
	ColState    = "estado"
	ColCNAM     = "cnam"
	ColLocation = "ubicacion"
	ColNote     = "nota"
)

// Columns lists the columns of a numbers file in the template's order.
var Columns = []importer.Column{
	{Name: ColNumber, Required: true, Aliases: []string{"number", "numero_telefonico", "telefono", "desde", "from", "did", "nummer", "rufnummer", "von"}},
	{Name: ColTo, Aliases: []string{"to", "until", "numero_final", "bis"}},
	{Name: ColState, Aliases: []string{"state", "status", "estatus", "zustand"}},
	{Name: ColCNAM, Aliases: []string{"caller_name", "nombre", "nombre_de_llamada", "anrufername"}},
	{Name: ColLocation, Aliases: []string{"location", "emergency_address", "direccion_de_emergencia", "ubicacion_de_emergencia", "notfalladresse", "standort"}},
	{Name: ColNote, Aliases: []string{"note", "notas", "comentario", "notiz"}},
}

// Limits of an import file.
const (
	MaxImportBytes = 20 << 20
	MaxImportRows  = 200000
	// importBatch is how many rows a batch writes: each batch commits the
	// numbers and the progress together.
	importBatch = 1000
)

// stateNames are the words a file may give a state in, folded.
var stateNames = map[string]string{
	"available": StateAvailable, "disponible": StateAvailable, "verfugbar": StateAvailable, "frei": StateAvailable,
	"test": StateTest, "prueba": StateTest, "temporal": StateTest, "temporary": StateTest, "provisorisch": StateTest,
	"reserved": StateReserved, "reservado": StateReserved, "reserviert": StateReserved,
}

// StartImport takes a file of numbers for a customer. What is wrong with
// the file as a whole (too large, not text, no "numero" column, too many
// rows) is refused at once on the field "file"; otherwise the import is
// stored with its text and a job that reads it in the background.
func (s *Service) StartImport(ctx context.Context, customerID, fileName string, data []byte) (*Import, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !CanManage(a) {
		return nil, forbidden()
	}
	if fields, err := s.checkCustomer(ctx, customerID); err != nil || len(fields) > 0 {
		if err == nil {
			err = enlace.Invalid(fields)
		}
		return nil, err
	}
	if len(data) > MaxImportBytes {
		return nil, fileError("importer.error.too_large", "MaxMiB", MaxImportBytes>>20)
	}
	text, _, err := importer.Decode(data)
	if err != nil {
		return nil, err
	}
	f, err := importer.ParseColumns(text, MaxImportRows, Columns)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	imp := &Import{ID: enlace.NewID(), CustomerID: customerID, FileName: importer.CleanName(fileName), Status: ImportRunning,
		TotalRows: len(f.Rows), CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now}
	entry := audit.Record(ctx, "number.import", "customer", customerID, customerID,
		map[string]any{"file": imp.FileName, "rows": imp.TotalRows, "import": imp.ID})
	job := jobs.New(ImportJob, importPayload{ImportID: imp.ID, UserID: a.UserID, Email: a.Email, Role: a.StaffRole}, time.Time{})
	if err := s.store.CreateNumberImport(ctx, imp, text, entry, job); err != nil {
		return nil, err
	}
	if s.wake != nil {
		s.wake()
	}
	return imp, nil
}

// fileError is a problem with an import file as a whole.
func fileError(key string, args ...any) error {
	return enlace.Invalid([]enlace.FieldError{enlace.Field("file", key, args...)})
}

// GetImport returns an import, to staff who manage numbers.
func (s *Service) GetImport(ctx context.Context, id string) (*Import, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !CanManage(a) {
		return nil, notFound()
	}
	return s.store.NumberImportByID(ctx, id)
}

// Imports returns a customer's latest imports, newest first.
func (s *Service) Imports(ctx context.Context, customerID string) ([]Import, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !CanManage(a) {
		return nil, forbidden()
	}
	return s.store.FindNumberImports(ctx, customerID, 20)
}

// importPayload names the import and who started it: the job acts as them.
type importPayload struct {
	ImportID string `json:"importId"`
	UserID   string `json:"userId"`
	Email    string `json:"email"`
	Role     string `json:"role"`
}

// Register makes runner do the numbering's jobs, and lets imports wake it.
func (s *Service) Register(runner *jobs.Runner) {
	runner.Handle(ImportJob, s.runImport)
	s.wake = runner.Wake
}

func (s *Service) runImport(ctx context.Context, j jobs.Job) error {
	var p importPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return jobs.Permanent(fmt.Errorf("numbering import payload: %w", err))
	}
	ctx = enlace.WithActor(ctx, &enlace.Actor{UserID: p.UserID, Email: p.Email, StaffRole: p.Role})
	return s.RunImport(ctx, p.ImportID)
}

// RunImport reads an import's file after the rows already done, in
// batches: each batch writes its good rows' numbers and the import's
// progress in one transaction, so a restart continues where the last
// batch ended and writes nothing twice.
func (s *Service) RunImport(ctx context.Context, id string) error {
	imp, err := s.store.NumberImportByID(ctx, id)
	if err != nil {
		return jobs.Permanent(err)
	}
	if imp.Status != ImportRunning {
		return nil
	}
	text, err := s.store.NumberImportSource(ctx, id)
	if err != nil {
		return err
	}
	f, err := importer.ParseColumns(text, MaxImportRows, Columns)
	if err != nil {
		// StartImport parsed the same text; only changed limits get here.
		imp.Status, imp.FileError = ImportFailed, "numbering.error.file"
		if e := enlace.AsError(err); e != nil && len(e.Fields) > 0 {
			imp.FileError = e.Fields[0].Message
		}
		return s.finish(ctx, imp, nil)
	}
	for imp.ProcessedRows < len(f.Rows) {
		end := min(imp.ProcessedRows+importBatch, len(f.Rows))
		ns, err := s.readBatch(ctx, imp, f, f.Rows[imp.ProcessedRows:end])
		if err != nil {
			return err
		}
		imp.ProcessedRows = end
		if end == len(f.Rows) {
			return s.finish(ctx, imp, ns)
		}
		imp.UpdatedAt = s.clock.Now()
		if err := s.store.ImportBatch(ctx, imp, ns); err != nil {
			return err
		}
		imp.Created += len(ns)
	}
	return s.finish(ctx, imp, nil)
}

// finish writes the last batch and ends the import.
func (s *Service) finish(ctx context.Context, imp *Import, ns []Number) error {
	now := s.clock.Now()
	if imp.Status == ImportRunning {
		imp.Status = ImportDone
	}
	imp.Created += len(ns)
	imp.UpdatedAt, imp.FinishedAt = now, &now
	return s.store.ImportBatch(ctx, imp, ns)
}

// readBatch converts a batch of rows into numbers, adding the problems of
// the rows refused to the import. A number repeated within the batch, or
// held already (by an earlier batch, another row or another customer), is
// refused on its row.
func (s *Service) readBatch(ctx context.Context, imp *Import, f *importer.File, rows []importer.Row) ([]Number, error) {
	type read struct {
		line   int
		e164s  []string
		region string
		state  string
		d      Details
	}
	// Problems are found in two passes (the rows, then who holds their
	// numbers); the batch's are put back in file order at the end.
	first := len(imp.Problems)
	defer func() {
		slices.SortStableFunc(imp.Problems[first:], func(a, b Problem) int { return a.Line - b.Line })
	}()
	var good []read
	var all []string
	for _, row := range rows {
		problems := rowProblems(f, row)
		var r read
		if len(problems) == 0 {
			var fields []enlace.FieldError
			r = read{line: row.Line, d: Details{CNAM: f.Cell(row, ColCNAM), Location: f.Cell(row, ColLocation), Note: f.Cell(row, ColNote)}}
			r.e164s, r.region, fields = expand(f.Cell(row, ColNumber), f.Cell(row, ColTo))
			r.state = StateAvailable
			if st := f.Cell(row, ColState); st != "" {
				var ok bool
				if r.state, ok = stateNames[i18n.Fold(st)]; !ok {
					fields = append(fields, enlace.Field("state", "numbering.error.state"))
				}
			}
			fields = append(fields, checkDetails(r.d)...)
			for _, fe := range fields {
				problems = append(problems, fieldProblem(f, row.Line, fe))
			}
		}
		if len(problems) > 0 {
			imp.addProblems(problems)
			continue
		}
		good = append(good, r)
		all = append(all, r.e164s...)
	}
	held, err := s.store.HeldNumbers(ctx, all)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	seen := make(map[string]bool, len(all))
	var ns []Number
	for _, r := range good {
		var bad string
		for _, e := range r.e164s {
			if held[e] || seen[e] {
				bad = e
				break
			}
		}
		if bad != "" {
			key := "numbering.error.held"
			if seen[bad] {
				key = "numbering.error.repeated"
			}
			imp.addProblems([]Problem{{Line: r.line, Column: f.ColumnName(ColNumber), Key: key, Args: map[string]string{"Number": bad}}})
			continue
		}
		for _, e := range r.e164s {
			seen[e] = true
			ns = append(ns, Number{ID: enlace.NewID(), CustomerID: imp.CustomerID, E164: e, Country: r.region, State: r.state,
				CNAM: r.d.CNAM, Location: r.d.Location, Note: r.d.Note, Version: 1, CreatedAt: now, UpdatedAt: now})
		}
	}
	return ns, nil
}

// rowProblems reports a row the CSV reader could not read as a whole.
func rowProblems(f *importer.File, row importer.Row) []Problem {
	if row.Err == nil {
		return nil
	}
	args := map[string]string{}
	for k, v := range row.Err.Args {
		args[k] = fmt.Sprint(v)
	}
	return []Problem{{Line: row.Line, Key: row.Err.Key, Args: args}}
}

// fieldColumns maps the fields expand and checkDetails report on to the
// file's columns.
var fieldColumns = map[string]string{"from": ColNumber, "to": ColTo, "state": ColState, "cnam": ColCNAM, "location": ColLocation, "note": ColNote}

// fieldProblem turns a field error into a row problem on its column.
func fieldProblem(f *importer.File, line int, fe enlace.FieldError) Problem {
	p := Problem{Line: line, Column: f.ColumnName(fieldColumns[fe.Field]), Key: fe.Message}
	if len(fe.Args) > 0 {
		p.Args = map[string]string{}
		for k, v := range fe.Args {
			p.Args[k] = fmt.Sprint(v)
		}
	}
	return p
}

// addProblems counts a refused row and keeps its problems while fewer
// than MaxProblems are kept.
func (imp *Import) addProblems(ps []Problem) {
	imp.ErrorRows++
	for _, p := range ps {
		if len(imp.Problems) < MaxProblems {
			imp.Problems = append(imp.Problems, p)
		}
	}
}
