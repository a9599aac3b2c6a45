package web

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// TestTaskButtons checks, row by row, which buttons and forms a task
// offers to whom: only what the reader may do.
func TestTaskButtons(t *testing.T) {
	customer := &enlace.Actor{UserID: "c", CustomerID: "A", CustomerRole: "admin"}
	readOnly := &enlace.Actor{UserID: "r", CustomerID: "A", CustomerRole: "user", ReadOnly: true}
	pm := &enlace.Actor{UserID: "p", StaffRole: "pm"}
	account := &enlace.Actor{UserID: "x", StaffRole: "account_exec"}
	tech := &enlace.Actor{UserID: "t", StaffRole: "technician"}
	noReturn := &runbook.Task{Key: "shutdown", Party: runbook.PartyCustomer, Milestone: runbook.MilestonePointOfNoReturn,
		Gate: &runbook.Gate{Kind: runbook.GateConfirmation}}
	payment := &runbook.Task{Key: "pay", Party: runbook.PartyCustomer, Gate: &runbook.Gate{Kind: runbook.GatePayment}}
	install := &runbook.Task{Key: "install", Party: runbook.PartyTechnician}
	docs := &runbook.Task{Key: "csr", Party: runbook.PartyCustomer, Gate: &runbook.Gate{Kind: runbook.GateDocument, Document: "csr"}}
	active := &activation.Project{Status: activation.ProjectActive}
	tests := []struct {
		name    string
		actor   *enlace.Actor
		project *activation.Project
		step    *runbook.Task
		status  string
		want    taskBlock
	}{
		{"customer at the point of no return", customer, active, noReturn, activation.TaskReady,
			taskBlock{Actions: []string{"start"}, CanBlock: true, GateForm: "confirmation", NoReturn: true}},
		{"read-only customer", readOnly, active, noReturn, activation.TaskReady, taskBlock{}},
		{"PM on the customer's task", pm, active, noReturn, activation.TaskReady,
			taskBlock{CanSkip: true, CanReschedule: true}},
		{"PM records a payment", pm, active, payment, activation.TaskReady,
			taskBlock{CanSkip: true, CanReschedule: true, GateForm: "payment"}},
		{"account executive records a payment", account, active, payment, activation.TaskReady, taskBlock{GateForm: "payment"}},
		{"customer cannot record their payment", customer, active, payment, activation.TaskReady,
			taskBlock{Actions: []string{"start"}, CanBlock: true}},
		{"document gates open with the document only", customer, active, docs, activation.TaskInProgress, taskBlock{CanBlock: true}},
		{"technician on an installation", tech, active, install, activation.TaskInProgress,
			taskBlock{Actions: []string{"complete"}, CanBlock: true}},
		{"PM includes a skipped task", pm, active, install, activation.TaskNotApplicable,
			taskBlock{Actions: []string{"include"}, CanReschedule: false}},
		{"blocked task", tech, active, install, activation.TaskBlocked, taskBlock{Actions: []string{"unblock"}}},
		{"closed project", pm, &activation.Project{Status: activation.ProjectCompleted}, install, activation.TaskReady, taskBlock{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := &activation.Task{Key: tt.step.Key, Party: tt.step.Party, Status: tt.status, Step: tt.step}
			var got taskBlock
			fillTaskActions(tt.actor, tt.project, task, &got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("buttons (-want +got):\n%s", diff)
			}
		})
	}
}
