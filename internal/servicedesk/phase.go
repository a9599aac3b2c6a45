package servicedesk

import "slices"

// Phases of a request (E3); catalogue keys servicedesk.phase.<phase>.
const (
	PhaseNew             = "new"
	PhaseAssigned        = "assigned"
	PhaseInProgress      = "in_progress"
	PhaseWaitingCustomer = "waiting_customer"
	PhaseResolved        = "resolved"
	PhaseClosed          = "closed"
	PhaseCancelled       = "cancelled"
)

// Phases lists the phases in the order the chart shows them.
var Phases = []string{PhaseNew, PhaseAssigned, PhaseInProgress, PhaseWaitingCustomer, PhaseResolved, PhaseClosed, PhaseCancelled}

// phaseTransitions is the phase state machine: from a phase, the phases
// it may move to. Closed and cancelled are final.
var phaseTransitions = map[string][]string{
	PhaseNew:             {PhaseAssigned, PhaseInProgress, PhaseCancelled},
	PhaseAssigned:        {PhaseNew, PhaseInProgress, PhaseWaitingCustomer, PhaseResolved, PhaseCancelled},
	PhaseInProgress:      {PhaseAssigned, PhaseWaitingCustomer, PhaseResolved, PhaseCancelled},
	PhaseWaitingCustomer: {PhaseInProgress, PhaseResolved, PhaseCancelled},
	PhaseResolved:        {PhaseClosed, PhaseInProgress},
	PhaseClosed:          {},
	PhaseCancelled:       {},
}

// CanTransition reports whether a request may move from one phase to
// another.
func CanTransition(from, to string) bool { return slices.Contains(phaseTransitions[from], to) }

// tmfStatuses maps each phase one-to-one onto a TMF621 trouble ticket
// status. An assigned request is "held": in an agent's queue, not yet
// being worked. TMF621's "rejected" has no phase: Enlace cancels, with a
// reason, what it will not do.
var tmfStatuses = map[string]string{
	PhaseNew:             "acknowledged",
	PhaseAssigned:        "held",
	PhaseInProgress:      "inProgress",
	PhaseWaitingCustomer: "pending",
	PhaseResolved:        "resolved",
	PhaseClosed:          "closed",
	PhaseCancelled:       "cancelled",
}

// TMFStatus returns the TMF621 status of a phase.
func TMFStatus(phase string) string { return tmfStatuses[phase] }

// PhaseOfTMF returns the phase of a TMF621 status, and false for a status
// that has none.
func PhaseOfTMF(status string) (string, bool) {
	for phase, s := range tmfStatuses {
		if s == status {
			return phase, true
		}
	}
	return "", false
}

// Actions on a request; catalogue keys servicedesk.action.<action>.
const (
	// ActionAssign gives the request to a queue and an agent (or takes
	// it back from the agent): new becomes assigned.
	ActionAssign = "assign"
	// ActionStart puts the request in progress.
	ActionStart = "start"
	// ActionWait waits on the customer, with what is needed of them: the
	// SLA clock stops.
	ActionWait = "wait"
	// ActionResume takes the request back in progress after the wait.
	ActionResume = "resume"
	// ActionResolve resolves the request with the solution given; every
	// mandatory step of the checklist must be done.
	ActionResolve = "resolve"
	// ActionClose accepts the resolution: the requester's, or the job's
	// after the days the requester has to object.
	ActionClose = "close"
	// ActionReopen rejects the resolution, with why: back in progress.
	ActionReopen = "reopen"
	// ActionCancel cancels the request, with why.
	ActionCancel = "cancel"
)

// actionTargets is the phase each action moves a request to; assign
// keeps the phase of a request already past new.
var actionTargets = map[string]string{
	ActionAssign:  PhaseAssigned,
	ActionStart:   PhaseInProgress,
	ActionWait:    PhaseWaitingCustomer,
	ActionResume:  PhaseInProgress,
	ActionResolve: PhaseResolved,
	ActionClose:   PhaseClosed,
	ActionReopen:  PhaseInProgress,
	ActionCancel:  PhaseCancelled,
}

// Actions lists the actions in the order pages offer them.
var Actions = []string{ActionAssign, ActionStart, ActionWait, ActionResume, ActionResolve, ActionClose, ActionReopen, ActionCancel}
