package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/document/doctest"
)

// TestTaskDocumentOpensTheGate: the customer's administrator uploads the
// mailbox list the Exchange runbook's account-list task waits for; the
// task is done, the document is listed with the project and downloads;
// another customer cannot upload to the task nor fetch the document.
func TestTaskDocumentOpensTheGate(t *testing.T) {
	w := newProjectWorld(t)
	v, err := w.svc.Start(w.pmCtx, activation.StartInput{CustomerID: w.a.customer.ID, BillingAccountID: w.a.account.ID,
		SiteID: w.aSite, Runbook: "hosted-exchange", PMUserID: w.pm.ID})
	must(t, err)
	id := v.Project.ID
	list := w.task(t, id, "account-list")
	path := "/projects/" + id + "/tasks/" + list.ID + "/documents"
	admin, other := w.signedIn(w.a.admin.Email), w.signedIn(w.b.admin.Email)

	admin.get("/projects/"+id).want(t, http.StatusOK, "").contains(t, `id="upload-account-list"`, `enctype="multipart/form-data"`)
	other.uploadTo(path, map[string]string{"kind": "mailbox_list"}, "x.pdf", doctest.PDF("x")).want(t, http.StatusNotFound, "")
	admin.uploadTo(path, map[string]string{"kind": "mailbox_list"}, "", nil).want(t, http.StatusUnprocessableEntity, "")
	admin.uploadTo(path, map[string]string{"kind": "mailbox_list"}, "virus.pdf", doctest.EXE()).want(t, http.StatusUnprocessableEntity, "")
	if got := w.task(t, id, "account-list"); got.Status != activation.TaskReady {
		t.Fatalf("after refused uploads the task is %s", got.Status)
	}
	admin.uploadTo(path, map[string]string{"kind": "mailbox_list"}, "cuentas.pdf", doctest.PDF("Cuentas")).
		want(t, http.StatusSeeOther, "/projects/"+id+"#task-account-list")
	if got := w.task(t, id, "account-list"); got.Status != activation.TaskDone || got.GateMetAt == nil {
		t.Fatalf("after the upload the task is %s, gate %v", got.Status, got.GateMetAt)
	}
	admin.get("/projects/"+id).want(t, http.StatusOK, "").contains(t, `id="project-documents"`, "cuentas.pdf")
	docs, err := w.svc.Documents(w.pmCtx, id)
	must(t, err)
	if len(docs) != 1 {
		t.Fatalf("project documents = %d", len(docs))
	}
	admin.get("/documents/"+docs[0].ID+"/download").want(t, http.StatusOK, "")
	other.get("/documents/"+docs[0].ID+"/download").want(t, http.StatusNotFound, "")
}

// TestMeetingNotesOnThePage: the PM records the kickoff without notes,
// sees them due, publishes them; the customer then reads them; customers
// cannot post notes; the completion report is a PDF for staff only while
// the project runs.
func TestMeetingNotesOnThePage(t *testing.T) {
	w := newProjectWorld(t)
	id := w.aProject.Project.ID
	pm, admin := w.signedIn(w.pm.Email), w.signedIn(w.a.admin.Email)
	pm.post("/projects/"+id+"/notes", url.Values{"kind": {"kickoff"}}).want(t, http.StatusUnprocessableEntity, "")
	pm.post("/projects/"+id+"/notes", url.Values{"kind": {"kickoff"}, "meeting_date": {"2026-03-03"}, "meeting_time": {"10:00"}}).
		want(t, http.StatusSeeOther, "/projects/"+id+"#notes")
	admin.post("/projects/"+id+"/notes", url.Values{"kind": {"note"}, "body": {"hola"}}).want(t, http.StatusForbidden, "")
	notes, err := w.svc.Notes(w.pmCtx, id)
	must(t, err)
	if len(notes) != 1 || notes[0].NotesDueAt == nil {
		t.Fatalf("notes = %+v", notes)
	}
	pm.get("/projects/"+id).want(t, http.StatusOK, "").contains(t, `id="publish-`+notes[0].ID+`"`)
	if strings.Contains(admin.get("/projects/"+id).body, `id="note-`+notes[0].ID+`"`) {
		t.Error("the customer sees a meeting whose notes are not published")
	}
	pm.post("/projects/"+id+"/notes/"+notes[0].ID+"/publish", url.Values{"body": {"Acuerdos de la reunión de inicio"}}).
		want(t, http.StatusSeeOther, "/projects/"+id+"#notes")
	admin.get("/projects/"+id).want(t, http.StatusOK, "").contains(t, "Acuerdos de la reunión de inicio")
	r := pm.get("/projects/" + id + "/report")
	if r.status != http.StatusOK || !strings.HasPrefix(r.body, "%PDF-") {
		t.Errorf("report = %d %.20q", r.status, r.body)
	}
	admin.get("/projects/"+id+"/report").want(t, http.StatusConflict, "")
	w.signedIn(w.b.admin.Email).get("/projects/"+id+"/report").want(t, http.StatusNotFound, "")
}

// TestAssignPM: the PM can be changed on the project page; the
// customer cannot.
func TestAssignPM(t *testing.T) {
	w := newProjectWorld(t)
	id := w.aProject.Project.ID
	pm, admin := w.signedIn(w.pm.Email), w.signedIn(w.a.admin.Email)
	pm.get("/projects/"+id).want(t, http.StatusOK, "").contains(t, `id="project-assign"`)
	if strings.Contains(admin.get("/projects/"+id).body, `id="project-assign"`) {
		t.Error("the customer is offered the assignment form")
	}
	admin.post("/projects/"+id+"/assign", url.Values{"pm_user_id": {""}}).want(t, http.StatusForbidden, "")
	pm.post("/projects/"+id+"/assign", url.Values{"pm_user_id": {w.a.admin.ID}}).want(t, http.StatusUnprocessableEntity, "")
	pm.post("/projects/"+id+"/assign", url.Values{"pm_user_id": {""}, "contact_user_id": {w.a.admin.ID}}).
		want(t, http.StatusSeeOther, "/projects/"+id)
	p, err := w.svc.Project(w.pmCtx, id)
	must(t, err)
	if p.Project.PMUserID != "" || p.Project.ContactUserID != w.a.admin.ID {
		t.Errorf("after unassigning: pm %q contact %q", p.Project.PMUserID, p.Project.ContactUserID)
	}
}
