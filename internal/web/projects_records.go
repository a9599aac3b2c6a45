package web

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/report"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// The records of a project (C5, C8) on its page: the documents given for
// its tasks, its meetings and notes, and the completion report.

// projectDoc is a project document as the page lists it.
type projectDoc struct {
	ID, Title, Kind, FileName, Size, Uploaded, Task, TaskKey string
}

// noteRow is a meeting or note as the page shows it.
type noteRow struct {
	ID, Kind, Body, Meeting, Due, Published, Author string
	Internal, Late, Unpublished                     bool
}

// fillRecords adds the project's documents, notes and report link to its
// page, and to each task the documents given for it and the upload form
// the reader may use.
func (s *Server) fillRecords(r *http.Request, pp *projectPage, v *activation.View) error {
	docs, err := s.deps.Projects.Documents(r.Context(), v.Project.ID)
	if err != nil {
		return err
	}
	for _, d := range docs {
		pd := projectDoc{ID: d.ID, Title: d.Title, Kind: pp.T("runbook.document." + d.Kind), FileName: d.FileName,
			Size: pp.Bytes(d.Size), Uploaded: pp.DateTime(d.CreatedAt), TaskKey: d.TaskKey}
		if t := v.Template.Task(d.TaskKey); t != nil {
			pd.Task = t.Name.In(pp.Lang)
		}
		pp.Documents = append(pp.Documents, pd)
	}
	for i := range pp.Phases {
		for j := range pp.Phases[i].Tasks {
			tb := &pp.Phases[i].Tasks[j].Task
			for _, d := range pp.Documents {
				if d.TaskKey == tb.Key {
					tb.Files = append(tb.Files, d)
				}
			}
			if s.deps.Documents != nil {
				tb.Upload = uploadKinds(pp, v, tb.ID)
			}
		}
	}
	notes, err := s.deps.Projects.Notes(r.Context(), v.Project.ID)
	if err != nil {
		return err
	}
	for _, n := range notes {
		pp.Meetings = append(pp.Meetings, noteRow{ID: n.ID, Kind: pp.T("activation.note_kind." + n.Kind), Body: n.Body,
			Meeting: pp.DateTimePtr(n.MeetingAt), Due: pp.DateTimePtr(n.NotesDueAt), Published: pp.DateTimePtr(n.PublishedAt),
			Author: n.AuthorName, Internal: n.Internal, Late: n.NotesLate(v.Now), Unpublished: n.PublishedAt == nil})
	}
	pp.NoteKinds = translatedOptions(pp.Page, "activation.note_kind.", activation.NoteKinds, pp.Kept("kind", "note"))
	pp.Report = pp.Staff || v.Project.Status == activation.ProjectCompleted
	if s.deps.Documents != nil {
		pp.Accept, pp.Limit = acceptedExtensions(), pp.Bytes(s.deps.Documents.MaxBytes())
	}
	return nil
}

// uploadKinds are the kinds of document the reader may give for a task:
// those it needs, when the reader acts on it or manages the project and
// it is still open.
func uploadKinds(pp *projectPage, v *activation.View, taskID string) []option {
	t := v.Task(taskID)
	if t == nil || t.Closed() || v.Project.Status != activation.ProjectActive {
		return nil
	}
	a := pp.Actor
	if !activation.CanActOn(a, t.Party) && !activation.CanManage(a) {
		return nil
	}
	kinds := slices.Clone(t.Step.Documents)
	if g := t.Step.Gate; g != nil && g.Kind == runbook.GateDocument && !slices.Contains(kinds, g.Document) {
		kinds = append([]string{g.Document}, kinds...)
	}
	return translatedOptions(pp.Page, "runbook.document.", kinds, "")
}

// acceptedExtensions is the file input's accept list.
func acceptedExtensions() string {
	var exts []string
	for _, t := range document.Types {
		exts = append(exts, t.Exts...)
	}
	return strings.Join(exts, ",")
}

// uploadTaskDocument takes the document a task needs; the customer's
// upload of the document its gate waits for completes the task.
func (s *Server) uploadTaskDocument(w http.ResponseWriter, r *http.Request) {
	var in activation.DocumentInput
	up, ok := s.readUpload(w, r, map[string]*string{"kind": &in.Kind, "title": &in.Title})
	if !ok {
		return
	}
	defer up.file.Close()
	in.FileName = up.fileName
	var v *activation.View
	var err error
	if up.file == nil {
		err = enlace.Invalid([]enlace.FieldError{enlace.Field("file", "documents.error.file_required")})
	} else {
		v, _, err = s.deps.Projects.AttachDocument(r.Context(), r.PathValue("id"), r.PathValue("taskID"), in, up.file)
	}
	s.projectChanged(w, r, v, err, "projects.flash.document_attached", taskFields(nil))
}

// addNote records a meeting or a note (PM).
func (s *Server) addNote(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	in := activation.NoteInput{Kind: f.Get("kind"), Body: f.Get("body"), Internal: f.Get("internal") == "yes"}
	var v *activation.View
	var err error
	if d := strings.TrimSpace(f.Get("meeting_date")); d != "" {
		at, ok := localTime(d, strings.TrimSpace(f.Get("meeting_time")), s.deps.Location)
		if !ok {
			err = enlace.Invalid([]enlace.FieldError{enlace.Field("meeting_at", "activation.error.date")})
		}
		in.MeetingAt = at
	}
	if err == nil {
		_, err = s.deps.Projects.AddNote(r.Context(), r.PathValue("id"), in)
	}
	s.projectChanged(w, r, v, err, "projects.flash.note_added", noteFields)
}

// publishNotes writes the notes of a recorded meeting (PM).
func (s *Server) publishNotes(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.deps.Projects.PublishNotes(r.Context(), r.PathValue("id"), r.PathValue("noteID"), r.PostForm.Get("body"))
	noteID := r.PathValue("noteID")
	s.projectChanged(w, r, nil, err, "projects.flash.notes_published", func(field, _ string) string { return field + "-" + noteID })
}

// noteFields names the inputs of the new-note form.
func noteFields(field, _ string) string { return "note_" + field }

// completionReport sends the completion report as a PDF: a draft for
// staff while the project runs, the report for everyone once complete.
func (s *Server) completionReport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.deps.Projects.CompletionReport(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := report.Completion(&b, rep, s.page(w, r, "projects.project.title").loc); err != nil {
		s.internal(w, r, err)
		return
	}
	name := rep.Project.Folio + ".pdf"
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "attachment; filename="+url.PathEscape(name))
	w.Write(b.Bytes())
}
