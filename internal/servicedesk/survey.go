package servicedesk

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// SurveyInput is an answer to the satisfaction survey.
type SurveyInput struct {
	// Score is from 1 (very dissatisfied) to 5 (very satisfied).
	Score   int
	Comment string
}

// Answer records the requester's answer to the survey of a closed
// incident (E5), once.
func (s *Service) Answer(ctx context.Context, id string, in SurveyInput) (*View, error) {
	a, r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayAnswer(a, r) {
		if a.UserID == r.RequesterID && r.Incident {
			return nil, phaseError()
		}
		return nil, forbidden()
	}
	comment := strings.TrimSpace(in.Comment)
	var errs []enlace.FieldError
	if in.Score < 1 || in.Score > 5 {
		errs = append(errs, enlace.Field("score", "servicedesk.error.score"))
	}
	if utf8.RuneCountInString(comment) > maxReason {
		errs = append(errs, enlace.Field("comment", "servicedesk.error.too_long", "Max", maxReason))
	}
	if err := enlace.Invalid(errs); err != nil {
		return nil, err
	}
	sv := &Survey{RequestID: r.ID, Score: in.Score, Comment: comment, AnsweredBy: a.UserID, AssigneeID: r.AssigneeID,
		Category: r.Category, TypeKey: r.TypeKey}
	err = s.store.SaveRequest(ctx, Change{Request: r, Read: r.UpdatedAt, FromPhase: r.Phase, Survey: sv},
		audit.Record(ctx, "request.survey", "request", r.ID, r.CustomerID, map[string]int{"score": in.Score}))
	if err != nil {
		return nil, err
	}
	return s.view(ctx, a, r)
}

// Survey groupings.
const (
	ByAgent    = "agent"
	ByCategory = "category"
)

// SurveyResults sums the surveys answered since a time by agent or by
// category (E5); staff only.
func (s *Service) SurveyResults(ctx context.Context, by string, since time.Time) ([]SurveyResult, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsStaff() {
		return nil, forbidden()
	}
	if !slices.Contains([]string{ByAgent, ByCategory}, by) {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("by", "servicedesk.error.survey_by")})
	}
	return s.store.SurveyResults(ctx, by, since)
}
