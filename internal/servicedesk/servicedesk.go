// Package servicedesk runs the service desk (E1–E7): requests raised by a
// customer's people or the provider's staff, each of a request type that
// carries its procedure — the requester's steps become the form, the
// administrator's steps a checklist the agent works through — moving
// through phases, held to SLA targets on the provider's working calendar,
// with a comment thread, attachments and a satisfaction survey. A change
// and the notifications, jobs and audit entry it causes commit together.
package servicedesk

import (
	"context"
	"database/sql/driver"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// Priorities, most urgent first; catalogue keys servicedesk.priority.<p>.
const (
	PriorityCritical = "critical"
	PriorityHigh     = "high"
	PriorityMedium   = "medium"
	PriorityLow      = "low"
)

// Priorities lists the priorities in the order forms show them.
var Priorities = []string{PriorityCritical, PriorityHigh, PriorityMedium, PriorityLow}

// Channels a request can arrive by; catalogue keys servicedesk.channel.<c>.
const (
	ChannelPortal = "portal"
	ChannelAPI    = "api"
	ChannelTMF    = "tmf"
	ChannelPhone  = "phone"
	ChannelEmail  = "email"
)

// Channels lists the channels staff may record a request as arriving by.
var Channels = []string{ChannelPortal, ChannelPhone, ChannelEmail, ChannelAPI, ChannelTMF}

// Request is a service request: a technical request or incident on a
// service, a mobility request, an administrative request or one of the
// procedures of the provider's manual.
type Request struct {
	ID string `json:"id" db:"id"`
	// Folio is the readable number the requester quotes, unique for the
	// provider and never handed out twice (REQ-2026-000042).
	Folio string `json:"folio" db:"folio"`
	// CustomerID is empty for a request the provider's staff raised for
	// themselves (monitoring, a TMF621 client without a customer): only
	// staff see those.
	CustomerID       string `json:"customerId,omitempty" db:"customer_id"`
	BillingAccountID string `json:"billingAccountId,omitempty" db:"billing_account_id"`
	SiteID           string `json:"siteId,omitempty" db:"site_id"`
	ServiceID        string `json:"serviceId,omitempty" db:"service_id"`
	ServiceKey       string `json:"serviceKey,omitempty" db:"service_key"`
	TypeKey          string `json:"type" db:"type_key"`
	// Kind and Category are the type's, kept so that lists and counts
	// need not read the catalogue.
	Kind     string `json:"kind" db:"kind"`
	Category string `json:"category" db:"category"`
	// Incident marks a failure report: closing one opens the survey.
	Incident    bool   `json:"incident" db:"incident"`
	Subject     string `json:"subject" db:"subject"`
	Description string `json:"description" db:"description"`
	// Fields are the answers to the type's form, by field key.
	Fields   Fields `json:"fields" db:"fields"`
	Priority string `json:"priority" db:"priority"`
	Phase    string `json:"phase" db:"phase"`
	// PhaseReason says why the request is in its phase (what the agent
	// waits on, why it was cancelled or reopened).
	PhaseReason    string    `json:"phaseReason,omitempty" db:"phase_reason"`
	PhaseChangedAt time.Time `json:"phaseChangedAt" db:"phase_changed_at"`
	Queue          string    `json:"queue" db:"queue"`
	AssigneeID     string    `json:"assigneeId,omitempty" db:"assignee_id"`
	RequesterID    string    `json:"requesterId,omitempty" db:"requester_id"`
	RequesterName  string    `json:"requesterName" db:"requester_name"`
	RequesterEmail string    `json:"requesterEmail,omitempty" db:"requester_email"`
	Channel        string    `json:"channel" db:"channel"`
	// Severity and TicketType are a TMF621 client's own words, kept as
	// given; Priority and TypeKey are what Enlace made of them.
	Severity   string `json:"severity,omitempty" db:"severity"`
	TicketType string `json:"ticketType,omitempty" db:"ticket_type"`
	// External holds the TMF621 attributes Enlace keeps for the client
	// without acting on them (external identifiers, related entities,
	// characteristics, relationships, requested resolution date), as JSON.
	External string `json:"-" db:"external"`

	// The SLA: when the first response and the resolution are due on the
	// provider's working calendar, when warnings fall due, and what was
	// already announced. A pause (waiting on the customer) moves them all
	// by the working time it lasted.
	ResponseDueAt    time.Time  `json:"responseDueAt" db:"response_due_at"`
	ResolutionDueAt  time.Time  `json:"resolutionDueAt" db:"resolution_due_at"`
	ResponseWarnAt   time.Time  `json:"-" db:"response_warn_at"`
	ResolutionWarnAt time.Time  `json:"-" db:"resolution_warn_at"`
	FirstResponseAt  *time.Time `json:"firstResponseAt,omitempty" db:"first_response_at"`
	PausedAt         *time.Time `json:"pausedAt,omitempty" db:"paused_at"`
	// SLANotices is the set of SLA notices already sent (bits of Notice).
	SLANotices int `json:"-" db:"sla_notices"`

	Resolution  string     `json:"resolution,omitempty" db:"resolution"`
	ResolvedAt  *time.Time `json:"resolvedAt,omitempty" db:"resolved_at"`
	ClosedAt    *time.Time `json:"closedAt,omitempty" db:"closed_at"`
	CancelledAt *time.Time `json:"cancelledAt,omitempty" db:"cancelled_at"`
	CreatedBy   string     `json:"createdBy" db:"created_by"`
	CreatedAt   time.Time  `json:"createdAt" db:"created_at"`
	UpdatedAt   time.Time  `json:"updatedAt" db:"updated_at"`

	// Filled by the store on reads that join them.
	CustomerName string `json:"customerName,omitempty" db:"customer_name"`
	SiteName     string `json:"siteName,omitempty" db:"site_name"`
	AssigneeName string `json:"assigneeName,omitempty" db:"assignee_name"`
}

// Open reports whether the request still needs work: not resolved,
// closed or cancelled.
func (r *Request) Open() bool {
	return r.Phase != PhaseResolved && r.Phase != PhaseClosed && r.Phase != PhaseCancelled
}

// ResponseBreached reports whether the first response came, or has not
// come, after its due time.
func (r *Request) ResponseBreached(now time.Time) bool {
	if r.FirstResponseAt != nil {
		return r.FirstResponseAt.After(r.ResponseDueAt)
	}
	return r.Open() && r.PausedAt == nil && now.After(r.ResponseDueAt)
}

// ResolutionBreached reports whether the request was resolved, or is
// still open, after its resolution due time.
func (r *Request) ResolutionBreached(now time.Time) bool {
	if r.ResolvedAt != nil {
		return r.ResolvedAt.After(r.ResolutionDueAt)
	}
	return r.Open() && r.PausedAt == nil && now.After(r.ResolutionDueAt)
}

// Fields are a request's answers to its type's form, stored as JSON.
type Fields map[string]string

// Value implements driver.Valuer.
func (f Fields) Value() (driver.Value, error) {
	return enlace.JSONValue(map[string]string(f), f == nil, "{}")
}

// Scan implements sql.Scanner.
func (f *Fields) Scan(src any) error {
	*f = Fields{}
	return enlace.ScanJSON(src, (*map[string]string)(f))
}

// Step is one step of a request's checklist: the administrator's step of
// its type's procedure, copied when the request is raised so that a later
// change to the type leaves the request's record as it was worked.
type Step struct {
	RequestID  string     `json:"-" db:"request_id"`
	Key        string     `json:"key" db:"step_key"`
	Seq        int        `json:"seq" db:"seq"`
	Label      i18n.Text  `json:"label" db:"label"`
	Mandatory  bool       `json:"mandatory" db:"mandatory"`
	DoneAt     *time.Time `json:"doneAt,omitempty" db:"done_at"`
	DoneBy     string     `json:"doneBy,omitempty" db:"done_by"`
	DoneByName string     `json:"doneByName,omitempty" db:"done_by_name"`
}

// Comment is one entry of a request's thread. Internal notes are for the
// provider's staff only.
type Comment struct {
	ID         string `json:"id" db:"id"`
	RequestID  string `json:"requestId" db:"request_id"`
	AuthorID   string `json:"authorId" db:"author_id"`
	AuthorName string `json:"authorName" db:"author_name"`
	// Staff tells whether the author is one of the provider's staff.
	Staff     bool      `json:"staff" db:"staff"`
	Internal  bool      `json:"internal" db:"internal"`
	Body      string    `json:"body" db:"body"`
	CreatedAt time.Time `json:"createdAt" db:"created_at"`
}

// Event is one phase change of a request (TMF621 statusChangeHistory).
type Event struct {
	ID        string    `json:"-" db:"id"`
	RequestID string    `json:"-" db:"request_id"`
	Phase     string    `json:"phase" db:"phase"`
	Reason    string    `json:"reason,omitempty" db:"reason"`
	ActorID   string    `json:"actorId,omitempty" db:"actor_id"`
	ActorName string    `json:"actorName,omitempty" db:"actor_name"`
	At        time.Time `json:"at" db:"at"`
}

// Survey is a requester's answer to the satisfaction survey of a closed
// incident: a score from 1 to 5 and an optional comment. The agent and
// category are the request's when it was answered, for the results.
type Survey struct {
	RequestID  string    `json:"requestId" db:"request_id"`
	Score      int       `json:"score" db:"score"`
	Comment    string    `json:"comment,omitempty" db:"comment"`
	AnsweredBy string    `json:"answeredBy" db:"answered_by"`
	AssigneeID string    `json:"assigneeId,omitempty" db:"assignee_id"`
	Category   string    `json:"category" db:"category"`
	TypeKey    string    `json:"type" db:"type_key"`
	CreatedAt  time.Time `json:"createdAt" db:"created_at"`
}

// SurveyResult sums the surveys of one agent or one category.
type SurveyResult struct {
	// Key is the agent's user id or the category.
	Key     string  `json:"key" db:"key"`
	Name    string  `json:"name,omitempty" db:"name"`
	Answers int     `json:"answers" db:"answers"`
	Average float64 `json:"average" db:"average"`
	// Satisfied counts the answers scoring 4 or 5.
	Satisfied int `json:"satisfied" db:"satisfied"`
}

// Filter selects requests. Empty fields do not filter.
type Filter struct {
	// CustomerID is the customer; empty lists every customer's (staff).
	CustomerID string
	// Accounts, when not nil, limits the requests to these billing
	// accounts; the Service sets it from the actor.
	Accounts []string
	// StaffOnly selects the requests without a customer.
	StaffOnly bool
	Phase     string
	// Open selects the requests not resolved, closed or cancelled.
	Open       bool
	Kind       string
	Category   string
	TypeKey    string
	SiteID     string
	ServiceKey string
	Priority   string
	Queue      string
	AssigneeID string
	// Unassigned selects the requests without an agent.
	Unassigned  bool
	RequesterID string
	// Breached selects open requests past a due time not met.
	Breached bool
	// Severity and TicketType select by the words a TMF621 ticket shows:
	// the client's own, or for a request without them the word of
	// SeverityPriority (the priority Severity names) and the type's key.
	Severity         string
	SeverityPriority string
	TicketType       string
	// Query matches the folio, the service key (prefixes) or words of the
	// subject.
	Query string
	// Since and Until bound the creation time.
	Since, Until *time.Time
	// Now is the time Breached is judged by; the Service sets it.
	Now    time.Time
	Offset int
	Limit  int
}

// TotalPast is the total a filtered list gives when more than 10,000
// requests match and counting them all would read every one.
const TotalPast = 10001

// PhaseCount is how many requests are in a phase.
type PhaseCount struct {
	Phase string `json:"phase" db:"phase"`
	Count int    `json:"count" db:"n"`
}

// SiteCount is how many requests a site has, open and in all.
type SiteCount struct {
	SiteID   string `json:"siteId" db:"site_id"`
	SiteName string `json:"siteName" db:"site_name"`
	State    string `json:"state" db:"state"`
	Open     int    `json:"open" db:"open"`
	Total    int    `json:"total" db:"total"`
}

// Change is one change to a request, written by SaveRequest in one
// transaction: the request itself (if it is still at the version read),
// and what goes with it.
type Change struct {
	Request *Request
	// Read is the request's UpdatedAt when it was read; ECONFLICT when
	// someone else changed it meanwhile.
	Read time.Time
	// FromPhase is the phase the request was read in, so that the counts
	// by phase follow a phase change.
	FromPhase string
	Event     *Event
	Comment   *Comment
	// Steps are the checklist steps that changed.
	Steps  []Step
	Survey *Survey
}

// Store is what the service desk needs of the database. Writes commit
// their effects (audit entries, notifications, messages, jobs, documents)
// in the same transaction.
type Store interface {
	// CreateRequest stores a new request with its checklist and first
	// event, giving it the next folio of the year of its creation in the
	// same transaction (Folio); then, with the folio set, it records the
	// effects notices returns (messages that quote the folio; notices may
	// be nil) and the other effects.
	CreateRequest(ctx context.Context, r *Request, steps []Step, ev Event, notices func(*Request) []enlace.Effect, effects ...enlace.Effect) error
	RequestByID(ctx context.Context, id string) (*Request, error)
	RequestByFolio(ctx context.Context, folio string) (*Request, error)
	// FindRequests returns a page of requests, newest first, and their
	// total. A total past 10,000 under filters the counts by phase cannot
	// answer is given as TotalPast ("more than 10,000").
	FindRequests(ctx context.Context, f Filter) ([]Request, int, error)
	// CountByPhase counts the requests matching f by phase; with only
	// CustomerID and Accounts set it reads the kept counts, not the rows.
	CountByPhase(ctx context.Context, f Filter) ([]PhaseCount, error)
	// CountBySite counts the requests matching f by site, busiest first.
	CountBySite(ctx context.Context, f Filter) ([]SiteCount, error)
	SaveRequest(ctx context.Context, c Change, effects ...enlace.Effect) error
	// DeleteRequest deletes a request and its checklist, thread, events
	// and survey, and retires its attachments (the caller's effects delete
	// their files).
	DeleteRequest(ctx context.Context, id string, effects ...enlace.Effect) error
	RequestSteps(ctx context.Context, requestID string) ([]Step, error)
	// RequestComments returns the thread, oldest first; internal notes only
	// when internal is true.
	RequestComments(ctx context.Context, requestID string, internal bool) ([]Comment, error)
	RequestEvents(ctx context.Context, requestID string) ([]Event, error)
	RequestSurvey(ctx context.Context, requestID string) (*Survey, error)
	// SurveyResults sums the surveys answered since a time, by agent
	// (by "agent") or by category (by "category").
	SurveyResults(ctx context.Context, by string, since time.Time) ([]SurveyResult, error)

	FindDocuments(ctx context.Context, f document.Filter) ([]document.Document, int, error)
	UserByID(ctx context.Context, id string) (*identity.User, error)
	// Agents returns the active staff who work requests (administrators,
	// support agents, technicians), by name.
	Agents(ctx context.Context) ([]identity.User, error)
	CustomerAdmins(ctx context.Context, customerID string) ([]identity.User, error)
	// ServiceByKey returns the service with a key (upper-case), any
	// customer's.
	ServiceByKey(ctx context.Context, key string) (*inventory.Service, error)
	SiteByID(ctx context.Context, id string) (*inventory.Site, error)
	BillingAccountByID(ctx context.Context, id string) (*customer.BillingAccount, error)
}
