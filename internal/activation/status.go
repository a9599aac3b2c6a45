package activation

import (
	"database/sql/driver"
	"slices"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Task statuses (C3).
const (
	TaskPending       = "pending"     // waiting for the tasks before it
	TaskReady         = "ready"       // every task before it is done: it can start
	TaskInProgress    = "in_progress" // someone is on it
	TaskBlocked       = "blocked"     // cannot go on, with a reason
	TaskDone          = "done"
	TaskNotApplicable = "not_applicable" // does not apply to this project; kept, not deleted
)

// TaskStatuses lists the task statuses; catalogue keys
// activation.task_status.<status>.
var TaskStatuses = []string{TaskPending, TaskReady, TaskInProgress, TaskBlocked, TaskDone, TaskNotApplicable}

// taskTransitions is the task state machine: from a status, the statuses
// it may move to. Pending becomes ready by itself when the tasks before
// it close; blocked returns to the status it was blocked from.
var taskTransitions = map[string][]string{
	TaskPending:       {TaskReady, TaskBlocked, TaskNotApplicable},
	TaskReady:         {TaskInProgress, TaskDone, TaskBlocked, TaskNotApplicable, TaskPending},
	TaskInProgress:    {TaskDone, TaskBlocked},
	TaskBlocked:       {TaskPending, TaskReady, TaskInProgress, TaskNotApplicable},
	TaskDone:          {},
	TaskNotApplicable: {TaskPending},
}

// CanTransition reports whether a task may move from one status to another.
func CanTransition(from, to string) bool { return slices.Contains(taskTransitions[from], to) }

// Options are the runbook options chosen for a project, stored as JSON.
type Options map[string]bool

// Value implements driver.Valuer.
func (o Options) Value() (driver.Value, error) {
	return enlace.JSONValue(map[string]bool(o), o == nil, "{}")
}

// Scan implements sql.Scanner.
func (o *Options) Scan(src any) error {
	*o = Options{}
	return enlace.ScanJSON(src, (*map[string]bool)(o))
}
