package activation

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/notify"
)

// Note kinds (C5); catalogue keys activation.note_kind.<kind>.
const (
	NoteKickoff = "kickoff"       // the kickoff meeting; its notes are due within 24 h
	NoteWeekly  = "weekly_status" // a weekly status call
	NoteGeneral = "note"          // anything else worth recording
)

// NoteKinds lists the note kinds.
var NoteKinds = []string{NoteKickoff, NoteWeekly, NoteGeneral}

// KickoffNotesDue is how long after the kickoff meeting its notes are due
// (seed 001: the PM e-mails them within 24 hours).
const KickoffNotesDue = 24 * time.Hour

// Note is a meeting or a status note of a project. A meeting may be
// recorded before its notes are written; publishing the notes tells the
// customer, unless the note is internal.
type Note struct {
	ID          string     `json:"id" db:"id"`
	ProjectID   string     `json:"projectId" db:"project_id"`
	Kind        string     `json:"kind" db:"kind"`
	Internal    bool       `json:"internal" db:"internal"`
	MeetingAt   *time.Time `json:"meetingAt,omitempty" db:"meeting_at"`
	Body        string     `json:"body" db:"body"`
	NotesDueAt  *time.Time `json:"notesDueAt,omitempty" db:"notes_due_at"`
	PublishedAt *time.Time `json:"publishedAt,omitempty" db:"published_at"`
	AuthorID    string     `json:"authorId" db:"author_id"`
	AuthorName  string     `json:"authorName" db:"author_name"`
	CreatedAt   time.Time  `json:"createdAt" db:"created_at"`
	UpdatedAt   time.Time  `json:"updatedAt" db:"updated_at"`
}

// NotesLate reports whether a meeting's notes are past due and unpublished.
func (n *Note) NotesLate(now time.Time) bool {
	return n.PublishedAt == nil && n.NotesDueAt != nil && now.After(*n.NotesDueAt)
}

// NoteInput is a meeting or note as a PM writes it; an empty Body records
// a meeting whose notes come later.
type NoteInput struct {
	Kind      string
	MeetingAt time.Time
	Body      string
	Internal  bool
}

// MaxNoteLength bounds a note's text.
const MaxNoteLength = 20000

// AddNote records a meeting or a note on a project (staff who manage
// projects). With a body it is published at once.
func (s *Service) AddNote(ctx context.Context, projectID string, in NoteInput) (*Note, error) {
	a, p, err := s.manageable(ctx, projectID)
	if err != nil {
		return nil, err
	}
	in.Body = strings.TrimSpace(in.Body)
	var fields []enlace.FieldError
	if !slices.Contains(NoteKinds, in.Kind) {
		fields = append(fields, enlace.Field("kind", "activation.error.note_kind"))
	}
	if in.Kind != NoteGeneral && in.MeetingAt.IsZero() {
		fields = append(fields, enlace.Field("meeting_at", "activation.error.date"))
	}
	if in.Kind == NoteGeneral && in.Body == "" {
		fields = append(fields, enlace.Field("body", "activation.error.note_body"))
	}
	if utf8.RuneCountInString(in.Body) > MaxNoteLength {
		fields = append(fields, enlace.Field("body", "activation.error.too_long"))
	}
	if err := enlace.Invalid(fields); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	n := &Note{ID: enlace.NewID(), ProjectID: p.ID, Kind: in.Kind, Internal: in.Internal, Body: in.Body,
		AuthorID: a.UserID, AuthorName: a.Name}
	if !in.MeetingAt.IsZero() {
		m := in.MeetingAt.UTC()
		n.MeetingAt = &m
		if in.Kind == NoteKickoff {
			due := m.Add(KickoffNotesDue)
			n.NotesDueAt = &due
		}
	}
	effects := []enlace.Effect{audit.Record(ctx, "project.note", "project", p.ID, p.CustomerID,
		map[string]string{"kind": n.Kind, "note": n.ID})}
	if n.Body != "" {
		n.PublishedAt = &now
		tell, err := s.noteNotices(ctx, p, n)
		if err != nil {
			return nil, err
		}
		effects = append(effects, tell...)
	}
	if err := s.store.CreateNote(ctx, n, effects...); err != nil {
		return nil, err
	}
	return n, nil
}

// PublishNotes writes the notes of a recorded meeting and tells the
// customer (kickoff notes: within 24 hours of the meeting).
func (s *Service) PublishNotes(ctx context.Context, projectID, noteID, body string) (*Note, error) {
	_, p, err := s.manageable(ctx, projectID)
	if err != nil {
		return nil, err
	}
	n, err := s.store.NoteByID(ctx, noteID)
	if err != nil || n.ProjectID != p.ID {
		return nil, notFound()
	}
	body = strings.TrimSpace(body)
	switch {
	case n.PublishedAt != nil:
		return nil, enlace.Errorf(enlace.ECONFLICT, "activation.error.note_published")
	case body == "":
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("body", "activation.error.note_body")})
	case utf8.RuneCountInString(body) > MaxNoteLength:
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("body", "activation.error.too_long")})
	}
	now := s.clock.Now()
	n.Body, n.PublishedAt = body, &now
	effects, err := s.noteNotices(ctx, p, n)
	if err != nil {
		return nil, err
	}
	effects = append(effects, audit.Record(ctx, "project.note", "project", p.ID, p.CustomerID,
		map[string]string{"kind": n.Kind, "note": n.ID, "published": "true"}))
	if err := s.store.UpdateNote(ctx, n, effects...); err != nil {
		return nil, err
	}
	return n, nil
}

// Notes returns a project's meetings and notes, newest first; customers
// do not see internal ones nor meetings whose notes are not published.
func (s *Service) Notes(ctx context.Context, projectID string) ([]Note, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.store.ProjectByID(ctx, projectID)
	if err != nil {
		return nil, err
	}
	if !visible(a, p) {
		return nil, notFound()
	}
	notes, err := s.store.ProjectNotes(ctx, projectID)
	if err != nil || a.IsStaff() {
		return notes, err
	}
	return slices.DeleteFunc(notes, func(n Note) bool { return n.Internal || n.PublishedAt == nil }), nil
}

// manageable returns a project the actor may manage.
func (s *Service) manageable(ctx context.Context, projectID string) (*enlace.Actor, *Project, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.store.ProjectByID(ctx, projectID)
	if err != nil {
		return nil, nil, err
	}
	if !visible(a, p) {
		return nil, nil, notFound()
	}
	if !CanManage(a) {
		return nil, nil, forbidden(a)
	}
	return a, p, nil
}

// noteNotices tells the customer's people of published notes that are
// not internal.
func (s *Service) noteNotices(ctx context.Context, p *Project, n *Note) ([]enlace.Effect, error) {
	if n.Internal {
		return nil, nil
	}
	people, err := s.responsible(ctx, p, "customer")
	if err != nil {
		return nil, err
	}
	var effects []enlace.Effect
	for _, u := range people {
		link := "/projects/" + p.ID + "#notes"
		args := map[string]string{"Project": p.Title, "Folio": p.Folio}
		effects = append(effects, notify.Notification{UserID: u.ID, CustomerID: p.CustomerID, Kind: "project",
			TitleKey: "activation.notice.notes.title", BodyKey: "activation.notice.notes.body", Args: args, Link: link})
		if s.renderer == nil {
			continue
		}
		m, err := s.renderer.EmailMessage(u.Locale, "project_notes", u.Email, map[string]any{"Name": u.FirstName,
			"Project": p.Title, "Folio": p.Folio, "Kind": "activation.note_kind." + n.Kind, "Body": n.Body,
			"URL": s.cfg.BaseURL + link})
		if err != nil {
			return nil, err
		}
		m.UserID = u.ID
		effects = append(effects, m)
	}
	return effects, nil
}
