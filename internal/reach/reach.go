// Package reach keeps people reachable while a customer's telephony moves
// to the provider (D3, seed 003 "Sicherungsseil für den Cloud-Umstieg"):
// until the numbers are ported, each person of the customer gets a
// provisional number from the company's local area, the provider presents
// the person's old number on their outbound calls through its SIP trunk
// (CLIP-no-screening, recorded per person on each trunk) and the customer
// forwards the old number to the provisional one, so callers dial the
// number they know and see it when called. A project keeps the list of
// people; the runbook's tasks that follow the list's steps
// (runbook.FollowReach*) are done when everyone on it has reached them.
// Once every old number is ported the provisional numbers are released.
// The parallel operation and the point of no return before the old system
// is shut down are runbook tasks with confirmation gates; the list shows
// them beside the people so the whole migration reads on one page.
package reach

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// Line is one person of the customer during the migration: the number
// they are known by, the provisional number they are reached on meanwhile,
// the trunk that presents their old number, and whether their old number
// forwards to the provisional one.
type Line struct {
	ID         string `json:"id" db:"id"`
	CustomerID string `json:"customerId" db:"customer_id"`
	ProjectID  string `json:"projectId" db:"project_id"`
	// Seq orders the list as it was entered.
	Seq    int    `json:"seq" db:"seq"`
	Person string `json:"person" db:"person"`
	// Ref is the person's sign-in name or e-mail, given to the
	// provisional number's assignment; may be empty.
	Ref string `json:"ref,omitempty" db:"ref"`
	// OldE164 is the number the person is known by, in E.164; unique in
	// the project.
	OldE164 string `json:"oldNumber" db:"old_e164"`
	// TemporaryNumberID is the customer's inventory number (state test,
	// assigned to the person) that rings them until the port; '' before
	// one is given.
	TemporaryNumberID string `json:"temporaryNumberId,omitempty" db:"temporary_number_id"`
	// TrunkID is the provider's SIP trunk the person's calls go out on;
	// '' before one is chosen.
	TrunkID string `json:"trunkId,omitempty" db:"trunk_id"`
	// ClipAt is when the provider recorded that the old number is
	// presented on the person's outbound calls over the trunk
	// (CLIP-no-screening), ClipBy who.
	ClipAt *time.Time `json:"clipAt,omitempty" db:"clip_at"`
	ClipBy string     `json:"clipBy,omitempty" db:"clip_by"`
	// ForwardingAt is when it was confirmed that the old number forwards
	// to the provisional one (the customer orders it from the old
	// carrier), ForwardingBy who.
	ForwardingAt *time.Time `json:"forwardingAt,omitempty" db:"forwarding_at"`
	ForwardingBy string     `json:"forwardingBy,omitempty" db:"forwarding_by"`
	Version      int        `json:"version" db:"version"`
	CreatedAt    time.Time  `json:"createdAt" db:"created_at"`
	UpdatedAt    time.Time  `json:"updatedAt" db:"updated_at"`

	// Filled by the store's reads.
	// TemporaryE164 and TemporaryState are the provisional number's.
	TemporaryE164  string `json:"temporaryNumber,omitempty" db:"temporary_e164"`
	TemporaryState string `json:"temporaryState,omitempty" db:"temporary_state"`
	TrunkName      string `json:"trunkName,omitempty" db:"trunk_name"`
	// OldState is the state of the old number in the customer's inventory
	// (porting_in, ported, …), '' while no port order brought it in;
	// OldPortOrderID the order bringing it.
	OldState       string `json:"oldState,omitempty" db:"old_state"`
	OldPortOrderID string `json:"oldPortOrderId,omitempty" db:"old_port_order_id"`
}

// HasTemporary reports whether the person has a provisional number still
// in use (one the customer released no longer rings them).
func (l *Line) HasTemporary() bool {
	return l.TemporaryNumberID != "" && l.TemporaryState != numbering.StateReleased
}

// Ported reports whether the person's old number is ported: from then on
// it rings them at the provider and the provisional number is spare.
func (l *Line) Ported() bool { return l.OldState == numbering.StatePorted }

// Trunk is one of the provider's SIP trunks the project's people call
// out on; CLIP-no-screening is recorded per person on it.
type Trunk struct {
	ID         string `json:"id" db:"id"`
	CustomerID string `json:"customerId" db:"customer_id"`
	ProjectID  string `json:"projectId" db:"project_id"`
	// Name is how people call it ("SIP trunk Monterrey"); unique in the
	// project.
	Name string `json:"name" db:"name"`
	// Ref is the trunk's identifier at the provider (its pilot number or
	// SIP account).
	Ref       string    `json:"ref,omitempty" db:"ref"`
	Version   int       `json:"version" db:"version"`
	CreatedAt time.Time `json:"createdAt" db:"created_at"`
	UpdatedAt time.Time `json:"updatedAt" db:"updated_at"`

	// Filled by the store's reads: the people on the trunk, and those
	// whose old number it presents.
	Lines     int `json:"lines" db:"lines"`
	Presented int `json:"presented" db:"presented"`
}

// Change is what one action writes, in one transaction.
type Change struct {
	// NewLines are inserted after the project's last (Seq given by the
	// store); Lines are updated and RemovedLines deleted, each only if
	// its version is still the one read.
	NewLines     []Line
	Lines        []Line
	RemovedLines []Line
	// Trunks likewise.
	NewTrunks     []Trunk
	Trunks        []Trunk
	RemovedTrunks []Trunk
	// Numbers are inventory numbers saved by version (numbering's rules).
	Numbers []numbering.Number
}

// Store is what reach needs of the database.
type Store interface {
	// ReachLines returns a project's people in the order entered, with
	// the joined fields.
	ReachLines(ctx context.Context, projectID string) ([]Line, error)
	// ReachTrunks returns a project's trunks by name, with their counts.
	ReachTrunks(ctx context.Context, projectID string) ([]Trunk, error)
	// SaveReach writes a change with its effects in one transaction. A
	// stale version fails it with ECONFLICT reach.error.changed (numbers:
	// numbering.error.changed), an old number already on the project's
	// list with ECONFLICT reach.error.duplicate (argument Number), a
	// trunk name taken with ECONFLICT reach.error.trunk_taken (Name), a
	// number already provisional for someone with ECONFLICT
	// reach.error.temporary_taken (Number); nothing is written then.
	SaveReach(ctx context.Context, c Change, effects ...enlace.Effect) error
	// NumberByID and FindNumbers are the numbering store's.
	NumberByID(ctx context.Context, id string) (*numbering.Number, error)
	FindNumbers(ctx context.Context, f numbering.Filter) ([]numbering.Number, int, error)
}

// Projects gives the project a list belongs to, as the reader may see it,
// and moves the tasks that follow the list (activation.Service).
type Projects interface {
	Project(ctx context.Context, id string) (*activation.View, error)
	Follow(ctx context.Context, projectID string, reached map[string]string) error
}

// Supports reports whether a runbook keeps a list of people: some task of
// it follows a step of the list.
func Supports(tp *runbook.Template) bool {
	for _, ph := range tp.Phases {
		for _, t := range ph.Tasks {
			if slices.Contains(steps, t.Follows) {
				return true
			}
		}
	}
	return false
}

var steps = []string{runbook.FollowReachTemporary, runbook.FollowReachClip, runbook.FollowReachForwarding}

// Reached names the list's steps everyone on it has reached, each with
// what a task following it keeps as evidence (how many people). An empty
// list reaches nothing.
func Reached(lines []Line) map[string]string {
	r := map[string]string{}
	if len(lines) == 0 {
		return r
	}
	counts := map[string]int{}
	for i := range lines {
		l := &lines[i]
		if l.HasTemporary() {
			counts[runbook.FollowReachTemporary]++
		}
		if l.ClipAt != nil {
			counts[runbook.FollowReachClip]++
		}
		if l.ForwardingAt != nil {
			counts[runbook.FollowReachForwarding]++
		}
	}
	for _, st := range steps {
		if counts[st] == len(lines) {
			r[st] = strconv.Itoa(len(lines))
		}
	}
	return r
}

// CanProvide reports whether an actor does the provider's part: the
// trunks, the provisional numbers, CLIP-no-screening and releasing the
// provisional numbers. The staff who keep the number inventory.
func CanProvide(a *enlace.Actor) bool { return numbering.CanManage(a) }

// CanKeepList reports whether an actor may keep the list of people and
// confirm that old numbers forward: the provider's staff who provide, and
// the customer's administrators and technical contacts (they know their
// people and order the forwarding from their old carrier).
func CanKeepList(a *enlace.Actor) bool {
	if a == nil || a.ReadOnly {
		return false
	}
	if a.IsStaff() {
		return CanProvide(a)
	}
	return a.CustomerRole == identity.RoleAdmin || a.CustomerRole == identity.RoleTechnical
}
