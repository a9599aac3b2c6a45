// Package activation runs activation and migration projects (C2–C8): a
// project instantiates a runbook for a customer, billing account, site and
// order; its tasks are planned on the provider's working calendar, move
// through a state machine, wait at gates until their condition holds, and
// name who must act next and by when. A change and the notifications it
// causes commit together.
package activation

import (
	"context"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// Project statuses.
const (
	ProjectActive    = "active"
	ProjectCompleted = "completed"
	ProjectCancelled = "cancelled"
)

// ProjectStatuses lists the project statuses; catalogue keys
// activation.project_status.<status>.
var ProjectStatuses = []string{ProjectActive, ProjectCompleted, ProjectCancelled}

// Project is one runbook carried out for a customer.
type Project struct {
	ID               string `json:"id" db:"id"`
	Folio            string `json:"folio" db:"folio"`
	CustomerID       string `json:"customerId" db:"customer_id"`
	BillingAccountID string `json:"billingAccountId" db:"billing_account_id"`
	SiteID           string `json:"siteId" db:"site_id"`
	// OrderRef is the customer's order the project delivers.
	OrderRef string `json:"orderRef" db:"order_ref"`
	// ProductOrderID is the TMF622 product order that started the
	// project, if one did.
	ProductOrderID  string `json:"productOrderId,omitempty" db:"product_order_id"`
	TemplateKey     string `json:"runbook" db:"template_key"`
	TemplateVersion int    `json:"runbookVersion" db:"template_version"`
	Title           string `json:"title" db:"title"`
	// Options are the runbook options chosen when the project started.
	Options Options `json:"options" db:"options"`
	Status  string  `json:"status" db:"status"`
	// PMUserID is the provider's project manager, once assigned.
	PMUserID string `json:"pmUserId,omitempty" db:"pm_user_id"`
	// ContactUserID is the customer's principal point of contact.
	ContactUserID string    `json:"contactUserId,omitempty" db:"contact_user_id"`
	StartAt       time.Time `json:"startAt" db:"start_at"`
	PlannedEnd    time.Time `json:"plannedEnd" db:"planned_end"`
	// AnnouncedEnd is the planned end people were last told of; a replan
	// that moves the end a day or more from it tells them again.
	AnnouncedEnd time.Time `json:"-" db:"announced_end"`
	// BillingStart is the day billing starts, set by the runbook's rule.
	BillingStart *time.Time `json:"billingStart,omitempty" db:"billing_start"`
	CompletedAt  *time.Time `json:"completedAt,omitempty" db:"completed_at"`
	CancelledAt  *time.Time `json:"cancelledAt,omitempty" db:"cancelled_at"`
	CreatedBy    string     `json:"createdBy" db:"created_by"`
	CreatedAt    time.Time  `json:"createdAt" db:"created_at"`
	UpdatedAt    time.Time  `json:"updatedAt" db:"updated_at"`

	// Filled by the store on reads that join them.
	CustomerName string `json:"customerName,omitempty" db:"customer_name"`
	// TasksTotal and TasksClosed count the tasks the reader sees, and
	// those done or not applicable: the progress lists show. Filled by
	// FindProjects only.
	TasksTotal  int    `json:"-" db:"tasks_total"`
	TasksClosed int    `json:"-" db:"tasks_closed"`
	SiteName    string `json:"siteName,omitempty" db:"site_name"`
	PMName      string `json:"pmName,omitempty" db:"pm_name"`
}

// Task is a task of a project: the runbook's step with its state, plan
// and actuals. Its texts (name, note) are the runbook version's.
type Task struct {
	ID        string `json:"id" db:"id"`
	ProjectID string `json:"projectId" db:"project_id"`
	Key       string `json:"key" db:"task_key"`
	// Seq orders the tasks so that every task follows those it waits for.
	Seq      int      `json:"seq" db:"seq"`
	Phase    string   `json:"phase" db:"phase"`
	Party    string   `json:"party" db:"party"`
	Internal bool     `json:"-" db:"internal"`
	Status   string   `json:"status" db:"status"`
	After    []string `json:"after" db:"-"`
	// BlockedReason says why a blocked task waits; BlockedFrom is the
	// status it returns to.
	BlockedReason string     `json:"blockedReason,omitempty" db:"blocked_reason"`
	BlockedFrom   string     `json:"-" db:"blocked_from"`
	PlannedStart  time.Time  `json:"plannedStart" db:"planned_start"`
	PlannedEnd    time.Time  `json:"plannedEnd" db:"planned_end"`
	Critical      bool       `json:"critical" db:"critical"`
	NotBefore     *time.Time `json:"notBefore,omitempty" db:"not_before"`
	StartedAt     *time.Time `json:"startedAt,omitempty" db:"started_at"`
	DoneAt        *time.Time `json:"doneAt,omitempty" db:"done_at"`
	DoneBy        string     `json:"doneBy,omitempty" db:"done_by"`
	// GateMetAt is when the task's gate condition came to hold, GateBy
	// who made it so and GateDetail what they gave (payment reference,
	// signer or confirmer's name, the confirmed date).
	GateMetAt  *time.Time `json:"gateMetAt,omitempty" db:"gate_met_at"`
	GateBy     string     `json:"gateBy,omitempty" db:"gate_by"`
	GateDetail string     `json:"gateDetail,omitempty" db:"gate_detail"`
	// DueAt is the date the responsible party is held to: the planned end
	// when the task became ready, moved only by a reschedule.
	DueAt *time.Time `json:"dueAt,omitempty" db:"due_at"`
	// OverdueNoticeAt is when the responsible party was told the task is
	// late, so that they are told once per due date.
	OverdueNoticeAt *time.Time `json:"-" db:"overdue_notice_at"`
	UpdatedAt       time.Time  `json:"updatedAt" db:"updated_at"`

	// Step is the runbook step, filled by the Service.
	Step *runbook.Task `json:"-" db:"-"`
}

// Due returns the date the task is expected done by: its due date once it
// is ready, its planned end before.
func (t *Task) Due() time.Time {
	if t.DueAt != nil {
		return *t.DueAt
	}
	return t.PlannedEnd
}

// Overdue reports whether an unfinished task has passed its due date.
func (t *Task) Overdue(now time.Time) bool {
	return !t.Closed() && t.DueAt != nil && now.After(*t.DueAt)
}

// Closed reports whether the task needs nothing more: done or not
// applicable.
func (t *Task) Closed() bool { return t.Status == TaskDone || t.Status == TaskNotApplicable }

// ProjectFilter selects projects. Nil fields do not filter.
type ProjectFilter struct {
	// CustomerID is the customer; empty lists every customer's (staff).
	CustomerID string
	// Accounts, when not nil, limits the projects to these billing
	// accounts; the Service sets it from the actor.
	Accounts    []string
	SiteID      *string
	Status      *string
	TemplateKey *string
	PMUserID    *string
	// Internal counts the provider's internal tasks in TasksTotal and
	// TasksClosed; the Service sets it for staff.
	Internal bool
	Offset   int
	Limit    int
}

// Store is what the activation module needs of the database. Writes
// commit their effects (audit entries, notifications, messages, jobs) in
// the same transaction.
type Store interface {
	RunbookVersions(ctx context.Context) ([]RunbookVersion, error)
	RunbookVersion(ctx context.Context, key string, version int) (*RunbookVersion, error)
	// AddRunbookVersion stores a new version; ECONFLICT when it exists.
	AddRunbookVersion(ctx context.Context, v *RunbookVersion, effects ...enlace.Effect) error

	// NextNumber takes the next number of a series, never handed out twice.
	NextNumber(ctx context.Context, series string) (int64, error)
	// CreateProject stores a project and its tasks.
	CreateProject(ctx context.Context, p *Project, tasks []Task, effects ...enlace.Effect) error
	ProjectByID(ctx context.Context, id string) (*Project, error)
	FindProjects(ctx context.Context, f ProjectFilter) ([]Project, int, error)
	ProjectTasks(ctx context.Context, projectID string) ([]Task, error)
	// SaveProject writes the project and those of its tasks that changed,
	// if the project is still at the version read (UpdatedAt); ECONFLICT
	// when someone else changed it meanwhile.
	SaveProject(ctx context.Context, p *Project, read time.Time, changed []Task, effects ...enlace.Effect) error
	// OpenTasks returns the tasks not closed of the active projects
	// matching f, with their projects, by planned end: next actions.
	OpenTasks(ctx context.Context, f ProjectFilter) ([]ProjectTask, error)
	// ProjectPhases returns the phase of the first open task of every
	// active project matching f.
	ProjectPhases(ctx context.Context, f ProjectFilter) ([]PhaseCount, error)
	// ActiveProjectIDs returns the ids of every active project.
	ActiveProjectIDs(ctx context.Context) ([]string, error)

	// CalendarDays returns the provider's calendar overrides.
	CalendarDays(ctx context.Context) ([]CalendarDay, error)
	SetCalendarDay(ctx context.Context, d CalendarDay, effects ...enlace.Effect) error
	DeleteCalendarDay(ctx context.Context, day string, effects ...enlace.Effect) error

	FindDocuments(ctx context.Context, f document.Filter) ([]document.Document, int, error)

	CreateNote(ctx context.Context, n *Note, effects ...enlace.Effect) error
	UpdateNote(ctx context.Context, n *Note, effects ...enlace.Effect) error
	NoteByID(ctx context.Context, id string) (*Note, error)
	// ProjectNotes returns a project's notes, newest first.
	ProjectNotes(ctx context.Context, projectID string) ([]Note, error)

	UserByID(ctx context.Context, id string) (*identity.User, error)
	// ProjectManagers returns the active staff with the PM or
	// administrator role, by name.
	ProjectManagers(ctx context.Context) ([]identity.User, error)
	CustomerAdmins(ctx context.Context, customerID string) ([]identity.User, error)
	MembershipOf(ctx context.Context, userID, customerID string) (*identity.Membership, error)
	SiteByID(ctx context.Context, id string) (*inventory.Site, error)
	FindServices(ctx context.Context, f inventory.ServiceFilter) ([]inventory.Service, error)
	BillingAccounts(ctx context.Context, customerID string) ([]customer.BillingAccount, error)
}

// ProjectTask is an open task with its project, for next-action lists.
type ProjectTask struct {
	Task
	ProjectTitle string `db:"project_title"`
	ProjectFolio string `db:"project_folio"`
	CustomerID   string `db:"customer_id"`
	CustomerName string `db:"customer_name"`
	SiteName     string `db:"site_name"`
	TemplateKey  string `db:"template_key"`
	TemplateVer  int    `db:"template_version"`
	PMUserID     string `db:"pm_user_id"`
}

// RunbookVersion is a version of a runbook as stored: its YAML source.
type RunbookVersion struct {
	Key       string    `json:"key" db:"template_key"`
	Version   int       `json:"version" db:"version"`
	Source    string    `json:"-" db:"source"`
	CreatedBy string    `json:"createdBy" db:"created_by"`
	CreatedAt time.Time `json:"createdAt" db:"created_at"`
}

// CalendarDay overrides the default calendar for one day: a holiday
// added (the company's own), or a default holiday worked.
type CalendarDay struct {
	Day  string `json:"day" db:"day"` // YYYY-MM-DD
	Kind string `json:"kind" db:"kind"`
	Name string `json:"name" db:"name"`
}

// Calendar day kinds.
const (
	DayHoliday = "holiday"
	DayWorked  = "worked"
)
