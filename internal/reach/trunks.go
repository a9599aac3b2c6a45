package reach

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// TrunkInput is a trunk as entered; Version is the version an edit was
// made on.
type TrunkInput struct {
	Name    string
	Ref     string
	Version int
}

func (in *TrunkInput) check() []enlace.FieldError {
	in.Name, in.Ref = strings.TrimSpace(in.Name), strings.TrimSpace(in.Ref)
	var problems []enlace.FieldError
	switch {
	case in.Name == "":
		problems = append(problems, enlace.Field("name", "reach.error.trunk_name"))
	case utf8.RuneCountInString(in.Name) > maxName:
		problems = append(problems, enlace.Field("name", "reach.error.trunk_name_long", "Max", maxName))
	}
	if utf8.RuneCountInString(in.Ref) > maxName {
		problems = append(problems, enlace.Field("ref", "reach.error.trunk_ref_long", "Max", maxName))
	}
	return problems
}

// AddTrunk adds one of the provider's SIP trunks to a project.
func (s *Service) AddTrunk(ctx context.Context, projectID string, in TrunkInput) (*Trunk, error) {
	_, p, err := s.editable(ctx, projectID, CanProvide)
	if err != nil {
		return nil, err
	}
	if problems := in.check(); len(problems) > 0 {
		return nil, enlace.Invalid(problems)
	}
	proj := p.Project.Project
	t := Trunk{ID: enlace.NewID(), CustomerID: proj.CustomerID, ProjectID: proj.ID, Name: in.Name, Ref: in.Ref, Version: 1}
	c := Change{NewTrunks: []Trunk{t}}
	if err := s.save(ctx, p, c, audit.Record(ctx, "reach.trunk.add", "project", p.Project.Project.ID, p.Project.Project.CustomerID, map[string]any{"name": t.Name})); err != nil {
		return nil, err
	}
	return &c.NewTrunks[0], nil
}

// UpdateTrunk renames a trunk or changes its reference.
func (s *Service) UpdateTrunk(ctx context.Context, projectID, trunkID string, in TrunkInput) (*Trunk, error) {
	_, p, err := s.editable(ctx, projectID, CanProvide)
	if err != nil {
		return nil, err
	}
	cur := p.Trunk(trunkID)
	if cur == nil {
		return nil, notFound()
	}
	if problems := in.check(); len(problems) > 0 {
		return nil, enlace.Invalid(problems)
	}
	t := *cur
	t.Name, t.Ref, t.Version = in.Name, in.Ref, in.Version
	c := Change{Trunks: []Trunk{t}}
	if err := s.save(ctx, p, c, audit.Record(ctx, "reach.trunk.update", "project", p.Project.Project.ID, p.Project.Project.CustomerID, map[string]any{"name": t.Name})); err != nil {
		return nil, err
	}
	return &c.Trunks[0], nil
}

// RemoveTrunk removes a trunk nobody calls out on.
func (s *Service) RemoveTrunk(ctx context.Context, projectID, trunkID string, version int) error {
	_, p, err := s.editable(ctx, projectID, CanProvide)
	if err != nil {
		return err
	}
	cur := p.Trunk(trunkID)
	if cur == nil {
		return notFound()
	}
	if cur.Lines > 0 {
		return enlace.Errorf(enlace.EINVALID, "reach.error.trunk_in_use", "Name", cur.Name, "Count", cur.Lines)
	}
	t := *cur
	t.Version = version
	return s.save(ctx, p, Change{RemovedTrunks: []Trunk{t}}, audit.Record(ctx, "reach.trunk.remove", "project", p.Project.Project.ID, p.Project.Project.CustomerID, map[string]any{"name": t.Name}))
}

// PutOnTrunk puts people of the list on a trunk at once and returns how
// many moved; a person moved from another trunk loses the presentation
// recorded there.
func (s *Service) PutOnTrunk(ctx context.Context, projectID, trunkID string, lineIDs []string) (int, error) {
	_, p, err := s.editable(ctx, projectID, CanProvide)
	if err != nil {
		return 0, err
	}
	t := p.Trunk(trunkID)
	if t == nil {
		return 0, notFound()
	}
	if len(lineIDs) == 0 {
		return 0, enlace.Invalid([]enlace.FieldError{enlace.Field("lines", "reach.error.lines_none")})
	}
	idx, err := lineIndex(p, lineIDs)
	if err != nil {
		return 0, err
	}
	var c Change
	for _, i := range idx {
		l := p.Lines[i]
		if l.TrunkID == t.ID {
			continue
		}
		l.TrunkID, l.TrunkName, l.ClipAt, l.ClipBy = t.ID, t.Name, nil, ""
		c.Lines = append(c.Lines, l)
	}
	if len(c.Lines) == 0 {
		return 0, nil
	}
	entry := audit.Record(ctx, "reach.trunk.put", "project", p.Project.Project.ID, p.Project.Project.CustomerID,
		map[string]any{"name": t.Name, "count": len(c.Lines)})
	if err := s.save(ctx, p, c, entry); err != nil {
		return 0, err
	}
	return len(c.Lines), nil
}
