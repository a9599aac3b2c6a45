// Package runbook holds activation and migration runbooks as data (C1):
// the phases and tasks of a kind of project, who is responsible for each
// task, how long it takes, what it waits for, the gates it cannot pass
// before a condition holds, and what it teaches the customer. Runbooks ship
// as YAML files embedded in the binary (templates/) and staff
// administrators may publish new versions; a project copies the tasks of
// the version it was started from, so later edits never rewrite a project
// under way.
package runbook

import (
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/i18n"
)

// Parties responsible for a task.
const (
	PartyCustomer   = "customer"
	PartyPM         = "provider_pm"
	PartySupport    = "provider_support"
	PartyTechnician = "technician"
	PartyPartner    = "partner"
)

// Parties lists every party, customer first; catalogue keys
// runbook.party.<party>.
var Parties = []string{PartyCustomer, PartyPM, PartySupport, PartyTechnician, PartyPartner}

// IsProvider reports whether a party is one of the provider's people:
// staff act on these tasks, customers do not.
func IsProvider(party string) bool {
	return party == PartyPM || party == PartySupport || party == PartyTechnician
}

// Gate kinds: the condition a gated task needs before it can be done.
const (
	GateDocument     = "document"     // a document of the named kind received
	GatePayment      = "payment"      // a payment recorded (e.g. the NRC)
	GateSignature    = "signature"    // an agreement signed by a named person
	GateDate         = "date"         // a date confirmed (e.g. the FOC, the port date)
	GateConfirmation = "confirmation" // an explicit confirmation by a named person (point of no return)
)

// GateKinds lists the gate kinds; catalogue keys runbook.gate.<kind>.
var GateKinds = []string{GateDocument, GatePayment, GateSignature, GateDate, GateConfirmation}

// Kinds of project document a task may need (C8); catalogue keys
// runbook.document.<kind>.
var DocumentKinds = []string{
	"csr", "phone_bill", "number_list", "loa", "coi", "config_worksheet",
	"subscription_agreement", "nrc_receipt", "mailbox_list", "dns_records",
	"discovery_lists", "auto_attendant_script", "activation_signoff", "completion_report",
}

// Milestones a task may mark; the project reacts to them (billing start,
// meetings, the completion report). Catalogue keys runbook.milestone.<m>.
const (
	MilestoneKickoff            = "kickoff"             // the kickoff meeting; notes due within 24 h
	MilestoneWeeklyStatus       = "weekly_status"       // weekly status calls
	MilestoneInService          = "in_service"          // the service is in use
	MilestoneParallelOperation  = "parallel_operation"  // old and new systems run side by side
	MilestonePointOfNoReturn    = "point_of_no_return"  // nothing goes back after this
	MilestoneActivationComplete = "activation_complete" // the customer signs off; the project is done
	MilestoneCompletionReport   = "completion_report"   // the report listing the services
)

// Milestones lists every milestone.
var Milestones = []string{MilestoneKickoff, MilestoneWeeklyStatus, MilestoneInService,
	MilestoneParallelOperation, MilestonePointOfNoReturn, MilestoneActivationComplete, MilestoneCompletionReport}

// Steps of a port order a task may follow: the task is done by the order
// reaching the step, not by a person (package porting).
const (
	FollowPortCSR       = "port.csr"        // the CSR given for the order
	FollowPortPhoneBill = "port.phone_bill" // the current phone bill given
	FollowPortEntered   = "port.entered"    // numbers entered and the LOA sent to the signer
	FollowPortSigned    = "port.signed"     // the LOA signed
	FollowPortSubmitted = "port.submitted"  // the order sent to the carrier
	FollowPortFOC       = "port.foc"        // the carrier's FOC date confirmed
	FollowPortVisible   = "port.visible"    // the numbers appeared for assignment
	FollowPortAssigned  = "port.assigned"   // the PM confirmed every number assigned
	FollowPortPorted    = "port.ported"     // the numbers moved on the port date
	FollowPortCompleted = "port.completed"  // the port confirmed complete
)

// Steps of a migration without loss of reach a task may follow (package
// reach): each is reached when every person of the project's list has it.
const (
	FollowReachTemporary  = "reach.temporary"  // a provisional number for everyone
	FollowReachClip       = "reach.clip"       // everyone's old number presented on their trunk (CLIP-no-screening)
	FollowReachForwarding = "reach.forwarding" // everyone's old number forwarded to the provisional one
)

// Follows lists the steps a task may follow.
var Follows = []string{FollowPortCSR, FollowPortPhoneBill, FollowPortEntered, FollowPortSigned, FollowPortSubmitted,
	FollowPortFOC, FollowPortVisible, FollowPortAssigned, FollowPortPorted, FollowPortCompleted,
	FollowReachTemporary, FollowReachClip, FollowReachForwarding}

// Billing rules: when the contract's billing starts (C7).
const (
	BillOnCompletion     = "on_completion"       // the day activation completes
	BillFirstOfNextMonth = "first_of_next_month" // the 1st of the month after completion (Teams numbers)
	BillAtTask           = "at_task"             // when a named task is done (IP-Centrex: parallel operation)
)

// BillingRules lists the billing rules.
var BillingRules = []string{BillOnCompletion, BillFirstOfNextMonth, BillAtTask}

// Languages every text of a shipped runbook is written in; es-MX is the
// one a missing translation falls back to.
var Languages = []string{"es-MX", "en", "de"}

// Template is one version of a runbook.
type Template struct {
	Key     string    `yaml:"key" json:"key"`
	Version int       `yaml:"version" json:"version"`
	Name    i18n.Text `yaml:"name" json:"name"`
	Summary i18n.Text `yaml:"summary" json:"summary"`
	// Offerings are the product offering ids (TMF622) that start this
	// runbook when ordered.
	Offerings []string `yaml:"offerings,omitempty" json:"offerings,omitempty"`
	// Advice is what the customer should know before anything starts
	// (e.g. back up the mailboxes).
	Advice  i18n.Text `yaml:"advice,omitempty" json:"advice,omitempty"`
	Billing Billing   `yaml:"billing" json:"billing"`
	Options []Option  `yaml:"options,omitempty" json:"options,omitempty"`
	Phases  []Phase   `yaml:"phases" json:"phases"`
	// Notes are further facts of the runbook that belong to no single task.
	Notes []i18n.Text `yaml:"notes,omitempty" json:"notes,omitempty"`
}

// Billing says when the services of a project start being billed.
type Billing struct {
	Rule string `yaml:"rule" json:"rule"`
	// Task is the task whose completion starts billing (rule at_task).
	Task string    `yaml:"task,omitempty" json:"task,omitempty"`
	Note i18n.Text `yaml:"note,omitempty" json:"note,omitempty"`
}

// Option is a choice made when a project starts (Lync contracted, circuit
// supplied by the provider, numbers ported) that decides whether some
// tasks apply.
type Option struct {
	Key     string    `yaml:"key" json:"key"`
	Label   i18n.Text `yaml:"label" json:"label"`
	Default bool      `yaml:"default" json:"default"`
}

// Phase is a stage of a runbook.
type Phase struct {
	Key   string    `yaml:"key" json:"key"`
	Name  i18n.Text `yaml:"name" json:"name"`
	Tasks []Task    `yaml:"tasks" json:"tasks"`
}

// Task is one step of a runbook.
type Task struct {
	Key  string    `yaml:"key" json:"key"`
	Name i18n.Text `yaml:"name" json:"name"`
	// Party is responsible for the task; With lists the other parties
	// taking part (a kickoff call: PM with customer and partner).
	Party string   `yaml:"party" json:"party"`
	With  []string `yaml:"with,omitempty" json:"with,omitempty"`
	// Duration is how long the task takes: "30m", "2h", "3d", "5bd", "1w",
	// a range "24-48h", or "variable" (planned with Estimate).
	Duration Duration `yaml:"duration" json:"duration"`
	// Estimate is the planning figure of a variable task; default 1bd.
	Estimate *Duration `yaml:"estimate,omitempty" json:"estimate,omitempty"`
	// Elapsed marks a task that runs on its own (propagation, shipping, a
	// carrier's lead time): its hours count on the clock, not in working
	// hours.
	Elapsed bool `yaml:"elapsed,omitempty" json:"elapsed,omitempty"`
	// After lists the tasks that must be done (or not apply) first.
	After []string `yaml:"after,omitempty" json:"after,omitempty"`
	// Lead is the least time between the end of the tasks After and this
	// task's start (documents 3 weeks before the port date).
	Lead *Duration `yaml:"lead,omitempty" json:"lead,omitempty"`
	// When names an option the task depends on: "porting" applies only if
	// the option is chosen, "!porting" only if it is not.
	When string `yaml:"when,omitempty" json:"when,omitempty"`
	Gate *Gate  `yaml:"gate,omitempty" json:"gate,omitempty"`
	// Documents are the kinds of document the task needs or produces.
	Documents []string `yaml:"documents,omitempty" json:"documents,omitempty"`
	// Note is what the task teaches the customer (the seeds' comments).
	Note i18n.Text `yaml:"note,omitempty" json:"note,omitempty"`
	// Window marks the tasks of the provider's work window; their
	// durations add up to the window the customer is told about.
	Window    bool   `yaml:"window,omitempty" json:"window,omitempty"`
	Milestone string `yaml:"milestone,omitempty" json:"milestone,omitempty"`
	// Internal marks a task the customer does not see (provider chores).
	Internal bool `yaml:"internal,omitempty" json:"internal,omitempty"`
	// Follows names the step that does the task (Follows): of a port order,
	// done when the project's port order reaches it, with its gate met by
	// what the order keeps (the signer's name, the FOC date); of the
	// migration's reach, done when every person on the project's list has
	// it.
	Follows string `yaml:"follows,omitempty" json:"follows,omitempty"`
}

// Gate is the condition a task needs before it is done.
type Gate struct {
	Kind string `yaml:"kind" json:"kind"`
	// Document is the kind of document a document gate waits for.
	Document string `yaml:"document,omitempty" json:"document,omitempty"`
	// Label says what the condition is, for people.
	Label i18n.Text `yaml:"label,omitempty" json:"label,omitempty"`
}

// Applies reports whether a task applies under the chosen options.
func (t *Task) Applies(options map[string]bool) bool {
	if t.When == "" {
		return true
	}
	if name, ok := strings.CutPrefix(t.When, "!"); ok {
		return !options[name]
	}
	return options[t.When]
}

// Planned returns the duration a plan counts for the task: the duration,
// or its estimate when variable.
func (t *Task) Planned() Duration {
	if t.Duration.Variable {
		if t.Estimate != nil {
			return *t.Estimate
		}
		return Duration{Amount: 1, Unit: UnitBusinessDay}
	}
	return t.Duration
}

// Tasks returns every task of the template in phase order, with the
// phase each belongs to.
func (tp *Template) Tasks() []PhasedTask {
	var out []PhasedTask
	for i := range tp.Phases {
		for j := range tp.Phases[i].Tasks {
			out = append(out, PhasedTask{Phase: &tp.Phases[i], Task: &tp.Phases[i].Tasks[j]})
		}
	}
	return out
}

// PhasedTask is a task and its phase.
type PhasedTask struct {
	Phase *Phase
	Task  *Task
}

// Task returns the task with key, or nil.
func (tp *Template) Task(key string) *Task {
	for _, pt := range tp.Tasks() {
		if pt.Task.Key == key {
			return pt.Task
		}
	}
	return nil
}

// DefaultOptions returns the options' defaults.
func (tp *Template) DefaultOptions() map[string]bool {
	m := make(map[string]bool, len(tp.Options))
	for _, o := range tp.Options {
		m[o.Key] = o.Default
	}
	return m
}

// Window returns the sum of the durations of the window tasks that apply
// under options: the work window the customer plans for. A business day
// counts as workday.
func (tp *Template) Window(options map[string]bool, workday time.Duration) time.Duration {
	var d time.Duration
	for _, pt := range tp.Tasks() {
		if pt.Task.Window && pt.Task.Applies(options) {
			d += pt.Task.Planned().Length(workday)
		}
	}
	return d
}

// HasOption reports whether the template declares an option.
func (tp *Template) HasOption(key string) bool {
	return slices.ContainsFunc(tp.Options, func(o Option) bool { return o.Key == key })
}
