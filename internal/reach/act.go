package reach

import (
	"context"
	"slices"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// Actions on people of the list; catalogue keys reach.action.<action>.
const (
	// The provider records that the old number is presented on the
	// person's outbound calls over their trunk (CLIP-no-screening), or
	// takes it back after a failed test call.
	ActConfirmClip = "confirm_clip"
	ActClearClip   = "clear_clip"
	// The customer (or staff on its behalf) confirms that the old number
	// forwards to the provisional one, or takes it back.
	ActConfirmForwarding = "confirm_forwarding"
	ActClearForwarding   = "clear_forwarding"
)

// Actions lists the actions.
var Actions = []string{ActConfirmClip, ActClearClip, ActConfirmForwarding, ActClearForwarding}

// Act applies an action to people of a project's list at once (a whole
// trunk's, say) and returns how many changed; people who already are as
// asked stay as they are. A person not ready for a confirmation (no
// provisional number; for the presentation, no trunk) refuses the whole
// action, naming them.
func (s *Service) Act(ctx context.Context, projectID, action string, lineIDs []string) (int, error) {
	if !slices.Contains(Actions, action) {
		return 0, enlace.Invalid([]enlace.FieldError{enlace.Field("action", "reach.error.action")})
	}
	allowed := CanKeepList
	if action == ActConfirmClip || action == ActClearClip {
		allowed = CanProvide
	}
	a, p, err := s.editable(ctx, projectID, allowed)
	if err != nil {
		return 0, err
	}
	if len(lineIDs) == 0 {
		return 0, enlace.Invalid([]enlace.FieldError{enlace.Field("lines", "reach.error.lines_none")})
	}
	idx, err := lineIndex(p, lineIDs)
	if err != nil {
		return 0, err
	}
	now := s.clock.Now()
	var c Change
	for _, i := range idx {
		l := p.Lines[i]
		switch action {
		case ActConfirmClip:
			if l.ClipAt != nil {
				continue
			}
			if !l.HasTemporary() || l.TrunkID == "" {
				return 0, enlace.Errorf(enlace.EINVALID, "reach.error.clip_not_ready", "Person", l.Person)
			}
			l.ClipAt, l.ClipBy = &now, by(a)
		case ActClearClip:
			if l.ClipAt == nil {
				continue
			}
			l.ClipAt, l.ClipBy = nil, ""
		case ActConfirmForwarding:
			if l.ForwardingAt != nil {
				continue
			}
			if !l.HasTemporary() {
				return 0, enlace.Errorf(enlace.EINVALID, "reach.error.forwarding_not_ready", "Person", l.Person)
			}
			l.ForwardingAt, l.ForwardingBy = &now, by(a)
		case ActClearForwarding:
			if l.ForwardingAt == nil {
				continue
			}
			l.ForwardingAt, l.ForwardingBy = nil, ""
		}
		c.Lines = append(c.Lines, l)
	}
	if len(c.Lines) == 0 {
		return 0, nil
	}
	proj := p.Project.Project
	if err := s.save(ctx, p, c, actionEntry(ctx, action, proj.ID, proj.CustomerID, map[string]any{"count": len(c.Lines)})); err != nil {
		return 0, err
	}
	return len(c.Lines), nil
}

// actionEntry returns the audit entry of an action; each is spelt out so
// that the audit log's list of actions can be checked against the code.
func actionEntry(ctx context.Context, action, projectID, customerID string, detail map[string]any) audit.Entry {
	switch action {
	case ActConfirmClip:
		return audit.Record(ctx, "reach.clip.confirm", "project", projectID, customerID, detail)
	case ActClearClip:
		return audit.Record(ctx, "reach.clip.clear", "project", projectID, customerID, detail)
	case ActConfirmForwarding:
		return audit.Record(ctx, "reach.forwarding.confirm", "project", projectID, customerID, detail)
	}
	return audit.Record(ctx, "reach.forwarding.clear", "project", projectID, customerID, detail)
}
