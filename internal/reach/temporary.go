package reach

import (
	"context"
	"slices"
	"strings"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// maxCandidates is how many numbers a choice of provisional number offers.
const maxCandidates = 50

// Candidates returns the numbers a person may be given as provisional: the
// customer's test numbers nobody uses, then its available numbers, from
// the local area of the person's old number.
func (s *Service) Candidates(ctx context.Context, projectID, lineID string) ([]numbering.Number, error) {
	_, p, l, err := s.editableLine(ctx, projectID, lineID, CanProvide)
	if err != nil {
		return nil, err
	}
	pool := s.pool(p.Project.Project.CustomerID)
	return pool.free(ctx, numbering.LocalArea(l.OldE164), maxCandidates)
}

// numberPool hands out a customer's free numbers by local area, each
// once, reading the inventory a page at a time as they are needed: the
// free ones hide among numbers already assigned (the provisional numbers
// of other people are test numbers too).
type numberPool struct {
	s          *Service
	customerID string
	areas      map[string]*areaPool
}

// areaPool is what a pool read of one area: the free numbers not handed
// out yet, and where reading goes on — the states left to read, test
// numbers first, and the offset in the first.
type areaPool struct {
	free   []numbering.Number
	states []string
	offset int
}

// poolPage is how many numbers a pool reads at a time.
const poolPage = 500

func (s *Service) pool(customerID string) *numberPool {
	return &numberPool{s: s, customerID: customerID, areas: map[string]*areaPool{}}
}

// free returns up to limit free numbers of an area, test numbers first,
// without those handed out already.
func (p *numberPool) free(ctx context.Context, area string, limit int) ([]numbering.Number, error) {
	ap := p.areas[area]
	if ap == nil {
		ap = &areaPool{states: []string{numbering.StateTest, numbering.StateAvailable}}
		p.areas[area] = ap
	}
	for len(ap.free) < limit && len(ap.states) > 0 {
		found, total, err := p.s.store.FindNumbers(ctx, numbering.Filter{CustomerID: p.customerID, State: ap.states[0],
			Query: area, Offset: ap.offset, Limit: poolPage})
		if err != nil {
			return nil, err
		}
		for _, n := range found {
			if !n.Assigned() && strings.HasPrefix(n.E164, area) {
				ap.free = append(ap.free, n)
			}
		}
		if ap.offset += len(found); len(found) == 0 || ap.offset >= total {
			ap.states, ap.offset = ap.states[1:], 0
		}
	}
	return ap.free[:min(limit, len(ap.free))], nil
}

// take hands out the first free number of an area, or ok false when none
// is left.
func (p *numberPool) take(ctx context.Context, area string) (numbering.Number, bool, error) {
	ns, err := p.free(ctx, area, 1)
	if err != nil || len(ns) == 0 {
		return numbering.Number{}, false, err
	}
	ap := p.areas[area]
	ap.free = ap.free[1:]
	return ns[0], true, nil
}

// AssignTemporary gives a person the provisional number chosen: a number
// of the customer's, available or a test number nobody uses, from the
// local area of the person's old number. It becomes a test number
// assigned to the person; the one they had before stops ringing them.
func (s *Service) AssignTemporary(ctx context.Context, projectID, lineID, numberID string) (*Line, error) {
	_, p, l, err := s.editableLine(ctx, projectID, lineID, CanProvide)
	if err != nil {
		return nil, err
	}
	n, err := s.store.NumberByID(ctx, numberID)
	if err != nil || n.CustomerID != l.CustomerID {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("numberId", "reach.error.temporary_unknown")})
	}
	if n.ID == l.TemporaryNumberID && l.HasTemporary() {
		return &l, nil
	}
	if n.Assigned() || (n.State != numbering.StateAvailable && n.State != numbering.StateTest) {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("numberId", "reach.error.temporary_busy",
			"Number", numbering.Format(n.E164))})
	}
	if area := numbering.LocalArea(l.OldE164); !strings.HasPrefix(n.E164, area) {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("numberId", "reach.error.temporary_area",
			"Number", numbering.Format(n.E164), "Area", area, "Old", numbering.Format(l.OldE164))})
	}
	c := Change{}
	if l.HasTemporary() {
		old, err := s.unassign(ctx, &l)
		if err != nil {
			return nil, err
		}
		if old != nil {
			c.Numbers = append(c.Numbers, *old)
		}
	}
	give(&l, n)
	c.Lines, c.Numbers = []Line{l}, append(c.Numbers, *n)
	entry := audit.Record(ctx, "reach.temporary.assign", "project", p.Project.Project.ID, p.Project.Project.CustomerID,
		map[string]any{"person": l.Person, "number": l.OldE164, "temporary": n.E164})
	if err := s.save(ctx, p, c, entry); err != nil {
		return nil, err
	}
	return &c.Lines[0], nil
}

// give makes n the person's provisional number: a test number (one the
// customer may release) assigned to them.
func give(l *Line, n *numbering.Number) {
	if to, ok := numbering.Next(n.State, numbering.EventMarkTest); ok {
		n.State = to
	}
	n.State, _ = numbering.Next(n.State, numbering.EventAssign)
	n.AssigneeKind, n.AssigneeName, n.AssigneeRef = numbering.AssigneeUser, l.Person, l.Ref
	l.TemporaryNumberID, l.TemporaryE164, l.TemporaryState = n.ID, n.E164, n.State
	// A new number is presented and forwarded to afresh.
	l.ClipAt, l.ClipBy, l.ForwardingAt, l.ForwardingBy = nil, "", nil, ""
}

// unassign returns a person's provisional number no longer ringing them,
// or nil when it already rings someone else (reassigned from the numbers
// page).
func (s *Service) unassign(ctx context.Context, l *Line) (*numbering.Number, error) {
	n, err := s.store.NumberByID(ctx, l.TemporaryNumberID)
	if err != nil {
		return nil, err
	}
	if n.AssigneeName != l.Person || n.AssigneeRef != l.Ref {
		return nil, nil
	}
	to, ok := numbering.Next(n.State, numbering.EventUnassign)
	if !ok {
		return nil, nil
	}
	n.State, n.AssigneeKind, n.AssigneeName, n.AssigneeRef = to, "", "", ""
	return n, nil
}

// Shortfall is what giving everyone a provisional number left undone:
// how many people of a local area still have none because the customer
// has no free number there.
type Shortfall struct {
	Area  string `json:"area"`
	Count int    `json:"count"`
}

// Shortfalls counts, by local area in the order the list meets them, the
// people still without a provisional number.
func Shortfalls(lines []Line) []Shortfall {
	var out []Shortfall
	for i := range lines {
		if lines[i].HasTemporary() {
			continue
		}
		area := numbering.LocalArea(lines[i].OldE164)
		if j := slices.IndexFunc(out, func(sf Shortfall) bool { return sf.Area == area }); j >= 0 {
			out[j].Count++
		} else {
			out = append(out, Shortfall{Area: area, Count: 1})
		}
	}
	return out
}

// AssignTemporaries gives everyone on the list without a provisional
// number one from their old number's local area, test numbers first. It
// returns how many people got one and, by area, those left without.
func (s *Service) AssignTemporaries(ctx context.Context, projectID string) (int, []Shortfall, error) {
	_, p, err := s.editable(ctx, projectID, CanProvide)
	if err != nil {
		return 0, nil, err
	}
	pool := s.pool(p.Project.Project.CustomerID)
	var c Change
	for i := range p.Lines {
		l := &p.Lines[i]
		if l.HasTemporary() {
			continue
		}
		n, ok, err := pool.take(ctx, numbering.LocalArea(l.OldE164))
		if err != nil {
			return 0, nil, err
		}
		if ok {
			give(l, &n)
			c.Lines, c.Numbers = append(c.Lines, *l), append(c.Numbers, n)
		}
	}
	short := Shortfalls(p.Lines)
	if len(c.Lines) == 0 {
		return 0, short, nil
	}
	if err := s.save(ctx, p, c, audit.Record(ctx, "reach.temporary.assign", "project", p.Project.Project.ID, p.Project.Project.CustomerID, map[string]any{"count": len(c.Lines)})); err != nil {
		return 0, nil, err
	}
	return len(c.Lines), short, nil
}

// ReleaseTemporaries gives the provisional numbers up once every old
// number is ported: the people are reached on their own numbers again.
func (s *Service) ReleaseTemporaries(ctx context.Context, projectID string) (int, error) {
	_, p, err := s.editable(ctx, projectID, CanProvide)
	if err != nil {
		return 0, err
	}
	waiting := 0
	for i := range p.Lines {
		if !p.Lines[i].Ported() {
			waiting++
		}
	}
	if waiting > 0 {
		return 0, enlace.Errorf(enlace.EINVALID, "reach.error.not_ported", "Count", waiting)
	}
	var c Change
	for i := range p.Lines {
		l := &p.Lines[i]
		if !l.HasTemporary() {
			continue
		}
		n, err := s.store.NumberByID(ctx, l.TemporaryNumberID)
		if err != nil {
			return 0, err
		}
		if n.AssigneeName != l.Person || n.AssigneeRef != l.Ref {
			continue // someone else uses it now
		}
		to, ok := numbering.Next(n.State, numbering.EventRelease)
		if !ok {
			continue
		}
		n.State, n.AssigneeKind, n.AssigneeName, n.AssigneeRef = to, "", "", ""
		c.Numbers = append(c.Numbers, *n)
	}
	if len(c.Numbers) == 0 {
		return 0, enlace.Errorf(enlace.EINVALID, "reach.error.nothing_to_release")
	}
	if err := s.save(ctx, p, c, audit.Record(ctx, "reach.temporary.release", "project", p.Project.Project.ID, p.Project.Project.CustomerID, map[string]any{"count": len(c.Numbers)})); err != nil {
		return 0, err
	}
	return len(c.Numbers), nil
}
