package inventory

import "slices"

// Service statuses.
const (
	StatusActivating = "activating" // ordered, being activated
	StatusActive     = "active"
	StatusSuspended  = "suspended"
	StatusRetired    = "retired" // cancelled or removed; final
)

// Statuses lists the statuses in the order screens show them; their names
// are the catalogue keys inventory.status.<code>.
var Statuses = []string{StatusActivating, StatusActive, StatusSuspended, StatusRetired}

// InitialStatuses are the statuses a service may be created in: being
// activated, or already active (an existing service being recorded).
var InitialStatuses = []string{StatusActivating, StatusActive}

// transitions is the state machine of a service: from a status, the
// statuses it may move to.
var transitions = map[string][]string{
	StatusActivating: {StatusActive, StatusRetired},
	StatusActive:     {StatusSuspended, StatusRetired},
	StatusSuspended:  {StatusActive, StatusRetired},
	StatusRetired:    {},
}

// CanTransition reports whether a service may move from one status to another.
func CanTransition(from, to string) bool { return slices.Contains(transitions[from], to) }

// NextStatuses returns the statuses a service in status may move to.
func NextStatuses(status string) []string { return slices.Clone(transitions[status]) }
