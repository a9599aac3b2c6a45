package activation

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// Files keeps the content of project documents: the document service's
// blob store, checked by content like any upload.
type Files interface {
	Prepare(ctx context.Context, d document.Document, file *document.File) (*document.Document, error)
	Discard(ctx context.Context, d *document.Document)
}

// SetFiles gives the service where project documents are kept; without
// it, attaching a document is an internal error.
func (s *Service) SetFiles(f Files) { s.files = f }

// DocumentInput is what attaching a document to a task says of it.
type DocumentInput struct {
	// Kind is one of the kinds the task needs (runbook.DocumentKinds).
	Kind     string
	Title    string
	FileName string
}

// AttachDocument stores a document given for a task (C8): the customer's
// people for the customer's tasks, the staff who manage projects for any.
// A document of the kind the task's gate waits for opens the gate, and a
// customer's task whose only remaining condition was that document is
// done: uploading the CSR is providing it. The document, the gate and
// what follows commit together.
func (s *Service) AttachDocument(ctx context.Context, projectID, taskID string, in DocumentInput, file *document.File) (*View, *document.Document, error) {
	var doc *document.Document
	v, err := s.change(ctx, projectID, taskID, func(a *enlace.Actor, p *Project, t *Task, now time.Time) (enlace.Effect, error) {
		if p.Status != ProjectActive {
			return nil, enlace.Errorf(enlace.ECONFLICT, "activation.error.project_closed")
		}
		if !CanActOn(a, t.Party) && !CanManage(a) {
			return nil, forbidden(a)
		}
		if t.Closed() {
			return nil, transitionError(t.Status, "attach")
		}
		gate := t.Step.Gate
		wanted := slices.Clone(t.Step.Documents)
		if gate != nil && gate.Kind == runbook.GateDocument {
			wanted = append(wanted, gate.Document)
		}
		title := strings.TrimSpace(in.Title)
		var fields []enlace.FieldError
		if !slices.Contains(wanted, in.Kind) {
			fields = append(fields, enlace.Field("kind", "activation.error.document_kind"))
		}
		if utf8.RuneCountInString(title) > 200 {
			fields = append(fields, enlace.Field("title", "activation.error.too_long"))
		}
		if err := enlace.Invalid(fields); err != nil {
			return nil, err
		}
		if title == "" {
			title = strings.TrimSpace(in.FileName)
		}
		if s.files == nil {
			return nil, errNoFiles
		}
		d, err := s.files.Prepare(ctx, document.Document{CustomerID: p.CustomerID, BillingAccountID: p.BillingAccountID,
			Kind: in.Kind, Title: title, FileName: in.FileName, ProjectID: p.ID, TaskKey: t.Key}, file)
		if err != nil {
			return nil, err
		}
		doc = d
		if gate != nil && gate.Kind == runbook.GateDocument && gate.Document == in.Kind && t.GateMetAt == nil {
			t.GateMetAt, t.GateBy, t.GateDetail = &now, a.UserID, d.FileName
			if t.Party == runbook.PartyCustomer && !a.IsStaff() && (t.Status == TaskReady || t.Status == TaskInProgress) {
				if t.StartedAt == nil {
					t.StartedAt = &now
				}
				t.Status, t.DoneAt, t.DoneBy = TaskDone, &now, a.UserID
			}
		}
		return audit.Record(ctx, "project.gate.document", "project", p.ID, p.CustomerID, map[string]string{
			"task": t.Key, "kind": d.Kind, "fileName": d.FileName, "sha256": d.SHA256, "document": d.ID}), nil
	}, func() []enlace.Effect {
		if doc == nil {
			return nil
		}
		return []enlace.Effect{*doc}
	})
	if err != nil && doc != nil {
		s.files.Discard(context.WithoutCancel(ctx), doc)
	}
	return v, doc, err
}

type internalError string

func (e internalError) Error() string { return string(e) }

const errNoFiles = internalError("activation: no document storage configured")

// Documents returns the documents given for a project's tasks, newest
// first, if the actor may see the project.
func (s *Service) Documents(ctx context.Context, projectID string) ([]document.Document, error) {
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
	docs, _, err := s.store.FindDocuments(ctx, document.Filter{CustomerID: p.CustomerID, ProjectID: &p.ID, Limit: 500})
	return docs, err
}
