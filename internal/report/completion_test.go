package report

import (
	"bytes"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/runbook"
)

func TestCompletionListsServicesAndFirstInvoice(t *testing.T) {
	all, err := runbook.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	var tp *runbook.Template
	for _, x := range all {
		if x.Key == "teams-cloud-voice" {
			tp = x
		}
	}
	done := time.Date(2026, 3, 20, 18, 0, 0, 0, time.UTC)
	invoice := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	var tasks []activation.Task
	for _, pt := range tp.Order() {
		tasks = append(tasks, activation.Task{Key: pt.Task.Key, Phase: pt.Phase.Key, Party: pt.Task.Party,
			Status: activation.TaskDone, DoneAt: &done, Step: pt.Task})
	}
	r := &activation.Report{
		Project: &activation.Project{Folio: "PRJ-2026-00007", Title: "Voz en la nube — Matriz", Status: activation.ProjectCompleted,
			CustomerName: "Grupo Aurora", SiteName: "Matriz Monterrey", OrderRef: "OC-4410", StartAt: done.AddDate(0, 0, -30),
			CompletedAt: &done, BillingStart: &invoice, PMName: "Paula Méndez"},
		Template: tp, Tasks: tasks, FirstInvoice: &invoice, Generated: done, Location: time.UTC,
		Services: []inventory.Service{{Key: "TEAMS-0001", Category: "colaboracion", Product: "Teams Phone", Status: "active", ActivatedOn: &done}},
	}
	for _, lang := range []string{"es-MX", "en", "de"} {
		var out bytes.Buffer
		if err := Completion(&out, r, i18n.MustLoad().Localizer(lang)); err != nil {
			t.Fatalf("Completion(%s): %v", lang, err)
		}
		b := out.Bytes()
		if !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Fatalf("Completion(%s) is not a PDF", lang)
		}
		for _, want := range []string{"PRJ-2026-00007", "TEAMS-0001", "2026-04-01", "Grupo Aurora", "Paula Méndez"} {
			enc, _ := charmap.Windows1252.NewEncoder().String(want)
			if !bytes.Contains(b, []byte(enc)) {
				t.Errorf("Completion(%s) lacks %q", lang, want)
			}
		}
	}
}
