package tmf

import (
	"testing"

	"github.com/enlace-portal/enlace/internal/enlace"
	sd "github.com/enlace-portal/enlace/internal/servicedesk"
)

// TestStatusAction maps each TMF621 status, from each phase, onto the
// service desk's action, row by row.
func TestStatusAction(t *testing.T) {
	const conflict, invalid = "conflict", "invalid"
	tests := []struct {
		from, status, want string
	}{
		{sd.PhaseNew, "acknowledged", ""},
		{sd.PhaseNew, "held", sd.ActionAssign},
		{sd.PhaseNew, "inProgress", sd.ActionStart},
		{sd.PhaseNew, "pending", sd.ActionWait},
		{sd.PhaseNew, "resolved", sd.ActionResolve},
		{sd.PhaseNew, "closed", sd.ActionClose},
		{sd.PhaseNew, "cancelled", sd.ActionCancel},
		{sd.PhaseNew, "rejected", invalid},
		{sd.PhaseNew, "nanana", invalid},
		{sd.PhaseAssigned, "acknowledged", sd.ActionAssign},
		{sd.PhaseAssigned, "held", ""},
		{sd.PhaseAssigned, "inProgress", sd.ActionStart},
		{sd.PhaseAssigned, "pending", sd.ActionWait},
		{sd.PhaseInProgress, "acknowledged", conflict},
		{sd.PhaseInProgress, "held", conflict},
		{sd.PhaseInProgress, "inProgress", ""},
		{sd.PhaseInProgress, "pending", sd.ActionWait},
		{sd.PhaseInProgress, "resolved", sd.ActionResolve},
		{sd.PhaseInProgress, "cancelled", sd.ActionCancel},
		{sd.PhaseWaitingCustomer, "inProgress", sd.ActionResume},
		{sd.PhaseWaitingCustomer, "pending", ""},
		{sd.PhaseWaitingCustomer, "held", conflict},
		{sd.PhaseResolved, "inProgress", sd.ActionReopen},
		{sd.PhaseResolved, "closed", sd.ActionClose},
		{sd.PhaseResolved, "acknowledged", conflict},
		{sd.PhaseClosed, "inProgress", conflict},
		{sd.PhaseCancelled, "acknowledged", conflict},
	}
	for _, tc := range tests {
		got, err := statusAction(tc.from, tc.status)
		switch enlace.ErrorCode(err) {
		case enlace.ECONFLICT:
			got = conflict
		case enlace.EINVALID:
			got = invalid
		}
		if got != tc.want {
			t.Errorf("statusAction(%s, %s) = %q (%v), want %q", tc.from, tc.status, got, err, tc.want)
		}
	}
}

// TestTypeKey picks a new ticket's request type by the documented rule.
func TestTypeKey(t *testing.T) {
	tests := []struct {
		name, ticketType, category, service, want string
	}{
		{"a type key", "email_failure", "", "", "email_failure"},
		{"a type key, whatever the category", "general_support", "telco", "TEL-1", "general_support"},
		{"a category in ticketType, with a service", "connectivity", "", "INT-1", "connectivity_support"},
		{"a category in ticketType, without a service", "connectivity", "", "", "general_support"},
		{"the category characteristic, with a service", "device", "telco", "TEL-1", "telco_support"},
		{"the category characteristic, without a service", "device", "it", "", "general_support"},
		{"an unknown category", "device", "plumbing", "", "general_support"},
		{"nothing known", "device", "", "", "general_support"},
	}
	for _, tc := range tests {
		in := ticketInput{TicketType: &tc.ticketType}
		if tc.category != "" {
			in.TroubleTicketCharacteristic = []charInput{{Name: "category", Value: tc.category}}
		}
		if tc.service != "" {
			in.RelatedEntity = []entityInput{{Role: roleAffectedService, Entity: &refInput{ID: "x", Name: tc.service}}}
		}
		if got := in.typeKey(sd.Shipped()); got != tc.want {
			t.Errorf("%s: typeKey(%s, %s, %q) = %s, want %s", tc.name, tc.ticketType, tc.category, tc.service, got, tc.want)
		}
	}
}

// TestPriority maps severities and priorities onto the service desk's
// priorities; a ticket naming neither takes its type's.
func TestPriority(t *testing.T) {
	tests := []struct {
		severity, priority, want string
	}{
		{"Critical", "", sd.PriorityCritical},
		{"Major", "", sd.PriorityHigh},
		{"high", "", sd.PriorityHigh},
		{"Medium", "", sd.PriorityMedium},
		{"Minor", "", sd.PriorityLow},
		{"LOW", "", sd.PriorityLow},
		{"Annoying", "", ""},
		{"Minor", "Critical", sd.PriorityCritical},
		{"", "medium", sd.PriorityMedium},
	}
	for _, tc := range tests {
		var in ticketInput
		if tc.severity != "" {
			in.Severity = &tc.severity
		}
		if tc.priority != "" {
			in.Priority = &tc.priority
		}
		if got := in.priority(); got != tc.want {
			t.Errorf("priority(severity %q, priority %q) = %q, want %q", tc.severity, tc.priority, got, tc.want)
		}
	}
}
