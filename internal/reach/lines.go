package reach

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// Limits of what a list keeps.
const (
	MaxRows   = 2000 // people added at once
	maxPerson = 200
	maxRef    = 200
	maxName   = 100
)

// Row is one person to add: their name, current number and, optionally,
// sign-in name or e-mail. N is the row's number where it came from (the
// line of pasted text, the item of a request, from 1): problems name it.
type Row struct {
	N      int
	Person string
	Number string
	Ref    string
}

// ParseRows reads pasted text into rows, one person per line: name,
// current number and, optionally, sign-in name or e-mail, separated by
// tabs (cells copied from a spreadsheet), semicolons or commas. Empty
// lines are skipped, and a first line without a number is taken for a
// header.
func ParseRows(text string) []Row {
	var out []Row
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		sep := ","
		for _, s := range []string{"\t", ";"} {
			if strings.Contains(raw, s) {
				sep = s
				break
			}
		}
		cells := strings.Split(raw, sep)
		for len(cells) < 3 {
			cells = append(cells, "")
		}
		r := Row{N: i + 1, Person: cells[0], Number: cells[1], Ref: strings.Join(cells[2:], sep)}
		if len(out) == 0 && !strings.ContainsAny(r.Number, "0123456789") {
			continue
		}
		out = append(out, r)
	}
	return out
}

// AddLines adds people to a project's list. Every row is checked first;
// if any is wrong, nothing is added and each problem (field "lines")
// names its row.
func (s *Service) AddLines(ctx context.Context, projectID string, rows []Row) ([]Line, error) {
	_, p, err := s.editable(ctx, projectID, CanKeepList)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("lines", "reach.error.lines_required")})
	}
	if len(rows) > MaxRows {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("lines", "reach.error.lines_too_many", "Max", MaxRows)})
	}
	taken := map[string]int{} // old number → row, or 0 when already on the list
	for _, l := range p.Lines {
		taken[l.OldE164] = 0
	}
	proj := p.Project.Project
	var lines []Line
	var problems []enlace.FieldError
	for _, r := range rows {
		l := Line{ID: enlace.NewID(), CustomerID: proj.CustomerID, ProjectID: proj.ID, Version: 1,
			Person: strings.TrimSpace(r.Person), Ref: strings.TrimSpace(r.Ref)}
		ok := true
		problem := func(key string, args ...any) {
			problems = append(problems, enlace.Field("lines", key, append([]any{"Row", r.N}, args...)...))
			ok = false
		}
		if l.Person == "" {
			problem("reach.error.row_person")
		} else if utf8.RuneCountInString(l.Person) > maxPerson {
			problem("reach.error.row_person_long", "Max", maxPerson)
		}
		number := strings.TrimSpace(r.Number)
		if e164, valid := contact.NormalizePhone(number); !valid {
			problem("reach.error.row_number", "Value", number)
		} else if first, dup := taken[e164]; dup && first == 0 {
			problem("reach.error.row_listed", "Number", numbering.Format(e164))
		} else if dup {
			problem("reach.error.row_repeated", "Number", numbering.Format(e164), "First", first)
		} else {
			l.OldE164 = e164
			taken[e164] = r.N
		}
		switch checkRef(l.Ref) {
		case "reach.error.ref":
			problem("reach.error.row_ref")
		case "reach.error.ref_long":
			problem("reach.error.row_ref_long", "Max", maxRef)
		}
		if ok {
			lines = append(lines, l)
		}
	}
	if len(problems) > 0 {
		return nil, enlace.Invalid(problems)
	}
	entry := audit.Record(ctx, "reach.line.add", "project", proj.ID, proj.CustomerID, map[string]any{"count": len(lines)})
	if err := s.save(ctx, p, Change{NewLines: lines}, entry); err != nil {
		return nil, err
	}
	return lines, nil
}

// checkRef returns the catalogue key of what is wrong with a sign-in
// name, or "".
func checkRef(ref string) string {
	switch {
	case ref == "":
		return ""
	case utf8.RuneCountInString(ref) > maxRef:
		return "reach.error.ref_long"
	case !strings.Contains(ref, "@") || strings.ContainsAny(ref, " \t<>"):
		return "reach.error.ref"
	}
	return ""
}

// LineInput is a change of one person on the list. TrunkID nil leaves the
// trunk as it is (only the provider's staff choose trunks); Version is the
// version the change was made on.
type LineInput struct {
	Person    string
	Ref       string
	OldNumber string
	TrunkID   *string
	Version   int
}

// UpdateLine changes a person on the list. A new old number or a new
// trunk clears what was confirmed about the old ones (the presentation,
// the forwarding); a new name or sign-in name follows to the provisional
// number's assignment.
func (s *Service) UpdateLine(ctx context.Context, projectID, lineID string, in LineInput) (*Line, error) {
	a, p, l, err := s.editableLine(ctx, projectID, lineID, CanKeepList)
	if err != nil {
		return nil, err
	}
	l.Version = in.Version
	in.Person, in.Ref = strings.TrimSpace(in.Person), strings.TrimSpace(in.Ref)
	var problems []enlace.FieldError
	switch {
	case in.Person == "":
		problems = append(problems, enlace.Field("person", "reach.error.person"))
	case utf8.RuneCountInString(in.Person) > maxPerson:
		problems = append(problems, enlace.Field("person", "reach.error.person_long", "Max", maxPerson))
	}
	if msg := checkRef(in.Ref); msg != "" {
		problems = append(problems, enlace.Field("ref", msg, "Max", maxRef))
	}
	e164, valid := contact.NormalizePhone(in.OldNumber)
	if !valid {
		problems = append(problems, enlace.Field("oldNumber", "reach.error.number"))
	} else if e164 != l.OldE164 && p.line164(e164) {
		problems = append(problems, enlace.Field("oldNumber", "reach.error.duplicate", "Number", numbering.Format(e164)))
	}
	if in.TrunkID != nil && *in.TrunkID != l.TrunkID {
		if !CanProvide(a) {
			return nil, forbidden()
		}
		if *in.TrunkID != "" && p.Trunk(*in.TrunkID) == nil {
			problems = append(problems, enlace.Field("trunkId", "reach.error.trunk"))
		}
	}
	if len(problems) > 0 {
		return nil, enlace.Invalid(problems)
	}
	if e164 != l.OldE164 {
		l.OldE164 = e164
		l.ClipAt, l.ClipBy, l.ForwardingAt, l.ForwardingBy = nil, "", nil, ""
	}
	if in.TrunkID != nil && *in.TrunkID != l.TrunkID {
		l.TrunkID = *in.TrunkID
		l.ClipAt, l.ClipBy = nil, ""
	}
	var c Change
	if (in.Person != l.Person || in.Ref != l.Ref) && l.HasTemporary() {
		n, err := s.store.NumberByID(ctx, l.TemporaryNumberID)
		if err != nil {
			return nil, err
		}
		if n.Assigned() && n.AssigneeRef == l.Ref && n.AssigneeName == l.Person {
			n.AssigneeName, n.AssigneeRef = in.Person, in.Ref
			c.Numbers = append(c.Numbers, *n)
		}
	}
	l.Person, l.Ref = in.Person, in.Ref
	c.Lines = []Line{l}
	if err := s.save(ctx, p, c, audit.Record(ctx, "reach.line.update", "project", p.Project.Project.ID, p.Project.Project.CustomerID, map[string]any{"person": l.Person})); err != nil {
		return nil, err
	}
	return &c.Lines[0], nil
}

// line164 reports whether an old number is on the list.
func (p *Plan) line164(e164 string) bool {
	for i := range p.Lines {
		if p.Lines[i].OldE164 == e164 {
			return true
		}
	}
	return false
}

// RemoveLine takes a person off the list. Their provisional number stops
// ringing them and stays a test number of the customer's, free for
// someone else.
func (s *Service) RemoveLine(ctx context.Context, projectID, lineID string, version int) error {
	_, p, l, err := s.editableLine(ctx, projectID, lineID, CanKeepList)
	if err != nil {
		return err
	}
	l.Version = version
	c := Change{RemovedLines: []Line{l}}
	if l.HasTemporary() {
		n, err := s.unassign(ctx, &l)
		if err != nil {
			return err
		}
		if n != nil {
			c.Numbers = append(c.Numbers, *n)
		}
	}
	return s.save(ctx, p, c, audit.Record(ctx, "reach.line.remove", "project", p.Project.Project.ID, p.Project.Project.CustomerID, map[string]any{"person": l.Person, "number": l.OldE164}))
}
