package activation_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/blob"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/document/doctest"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/notify"
)

func (w *world) files(t *testing.T) *document.Service {
	t.Helper()
	folder, err := blob.NewFolder(t.TempDir())
	must(t, err)
	docs := document.NewService(w.store, folder, document.Config{})
	w.svc.SetFiles(docs)
	return docs
}

func receive(t *testing.T, docs *document.Service, content []byte) *document.File {
	t.Helper()
	f, err := docs.Receive(bytes.NewReader(content))
	must(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// TestCustomerDocumentOpensTheGate: the customer uploads the mailbox list
// the account-list task waits for; the gate opens, the task is done, the
// provider's next step comes closer, and the document is the project's.
func TestCustomerDocumentOpensTheGate(t *testing.T) {
	w := newWorld(t)
	docs := w.files(t)
	v := w.startExchange(t, nil)
	list := task(t, v, "account-list")
	in := activation.DocumentInput{Kind: "mailbox_list", FileName: "cuentas.pdf"}

	if _, _, err := w.svc.AttachDocument(w.aAdmin, v.Project.ID, list.ID, activation.DocumentInput{Kind: "csr", FileName: "x.pdf"},
		receive(t, docs, doctest.PDF("x"))); enlace.ErrorCode(err) != enlace.EINVALID {
		t.Errorf("a document the task does not ask for = %v, want invalid", err)
	}
	if _, _, err := w.svc.AttachDocument(w.bAdmin, v.Project.ID, list.ID, in, receive(t, docs, doctest.PDF("x"))); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("another tenant attaching = %v, want not found", err)
	}
	if _, _, err := w.svc.AttachDocument(w.aAdmin, v.Project.ID, list.ID, in, receive(t, docs, []byte("MZ not a pdf"))); enlace.ErrorCode(err) != enlace.EINVALID {
		t.Errorf("a file of a refused type = %v, want invalid", err)
	}
	v, doc, err := w.svc.AttachDocument(w.aAdmin, v.Project.ID, list.ID, in, receive(t, docs, doctest.PDF("Cuentas de correo")))
	must(t, err)
	got := task(t, v, "account-list")
	if got.Status != activation.TaskDone || got.GateMetAt == nil || got.GateDetail != doc.FileName {
		t.Errorf("account-list after the upload = %s gate %v %q, want done with the gate met", got.Status, got.GateMetAt, got.GateDetail)
	}
	list2, err := w.svc.Documents(w.pm, v.Project.ID)
	must(t, err)
	if len(list2) != 1 || list2[0].ProjectID != v.Project.ID || list2[0].TaskKey != "account-list" {
		t.Errorf("project documents = %+v", list2)
	}
	// Project documents stay out of the repository the executives share.
	repo, _, err := docs.List(w.aAdmin, document.Filter{})
	must(t, err)
	if len(repo) != 0 {
		t.Errorf("repository lists %d project documents", len(repo))
	}
	// The customer downloads it through the documents service, audited.
	if _, rc, err := docs.Open(w.aAdmin, doc.ID); err != nil {
		t.Errorf("customer opening the project document: %v", err)
	} else {
		rc.Close()
	}
	if _, err := w.svc.Documents(w.bAdmin, v.Project.ID); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("another tenant listing the documents = %v", err)
	}
}

func TestKickoffNotesDueAndPublished(t *testing.T) {
	w := newWorld(t)
	v := w.startExchange(t, nil)
	meeting := w.clock.Now().Add(time.Hour)
	n, err := w.svc.AddNote(w.pm, v.Project.ID, activation.NoteInput{Kind: activation.NoteKickoff, MeetingAt: meeting})
	must(t, err)
	if n.NotesDueAt == nil || !n.NotesDueAt.Equal(meeting.Add(24*time.Hour)) {
		t.Errorf("kickoff notes due %v, want 24 h after the meeting", n.NotesDueAt)
	}
	if _, err := w.svc.AddNote(w.aAdmin, v.Project.ID, activation.NoteInput{Kind: activation.NoteGeneral, Body: "x"}); enlace.ErrorCode(err) != enlace.EFORBIDDEN {
		t.Errorf("customer adding a note = %v, want forbidden", err)
	}
	_, err = w.svc.AddNote(w.pm, v.Project.ID, activation.NoteInput{Kind: activation.NoteGeneral, Body: "Sólo para el equipo", Internal: true})
	must(t, err)
	seen, err := w.svc.Notes(w.aAdmin, v.Project.ID)
	must(t, err)
	if len(seen) != 0 {
		t.Errorf("customer sees %d notes before publication, want none (internal and unpublished)", len(seen))
	}
	w.clock.Advance(26 * time.Hour) // an hour past the notes' due time
	all, err := w.svc.Notes(w.pm, v.Project.ID)
	must(t, err)
	late := 0
	for _, x := range all {
		if x.NotesLate(w.clock.Now()) {
			late++
		}
	}
	if late != 1 {
		t.Errorf("late notes = %d, want the kickoff's", late)
	}
	_, err = w.svc.PublishNotes(w.pm, v.Project.ID, n.ID, "Acuerdos: portabilidad el 15.")
	must(t, err)
	seen, err = w.svc.Notes(w.aAdmin, v.Project.ID)
	must(t, err)
	if len(seen) != 1 || seen[0].Body != "Acuerdos: portabilidad el 15." {
		t.Errorf("customer sees %+v after publication", seen)
	}
	purpose := "project_notes"
	msgs, _, err := w.store.FindMessages(context.Background(), notify.MessageFilter{Purpose: &purpose, Limit: 5})
	must(t, err)
	if len(msgs) != 1 || msgs[0].Recipient != "admin@a.example" {
		t.Errorf("notes e-mails = %+v, want one to the customer's admin", msgs)
	}
	if _, err := w.svc.PublishNotes(w.pm, v.Project.ID, n.ID, "otra vez"); enlace.ErrorCode(err) != enlace.ECONFLICT {
		t.Errorf("publishing twice = %v, want conflict", err)
	}
}

func TestCompletionReportWaitsForCompletion(t *testing.T) {
	w := newWorld(t)
	v := w.startExchange(t, nil)
	if _, err := w.svc.CompletionReport(w.aAdmin, v.Project.ID); enlace.ErrorCode(err) != enlace.ECONFLICT {
		t.Errorf("customer report before completion = %v, want conflict", err)
	}
	r, err := w.svc.CompletionReport(w.pm, v.Project.ID)
	must(t, err)
	if r.Project.Folio == "" || r.FirstInvoice != nil || len(r.Tasks) == 0 {
		t.Errorf("draft report = %+v", r)
	}
	if _, err := w.svc.CompletionReport(w.bAdmin, v.Project.ID); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("another tenant's report = %v", err)
	}
}
