package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/reach"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// projectPage is one project (C2–C5): its header, what comes next, the
// timeline, the tasks by phase with what the reader may do on each, and
// the runbook's notes.
type projectPage struct {
	*Page
	Project      *activation.Project
	Runbook      *runbook.Template
	RunbookName  string
	Account      string
	Contact      string
	Window       string
	Billing      string
	BillingNote  string
	BillingStart string
	StartAt      string
	PlannedEnd   string
	Advice       string
	Progress     progress
	Next         []nextItem
	Timeline     template.HTML
	Phases       []phaseBlock
	Notes        []string
	Staff        bool
	CanManage    bool
	Active       bool
	StartDate    string
	StartTime    string
	// Open is the key of the task whose form failed, kept open, and
	// Form what was posted, shown again.
	Open string
	Form url.Values
	// The project's records (projects_records.go).
	Documents []projectDoc
	Meetings  []noteRow
	NoteKinds []option
	// Report tells whether the reader may download the completion report.
	Report        bool
	Accept, Limit string
	// PMs and Contacts are the assignment choices (projects_assign.go).
	PMs, Contacts []option
	// ReachURL is the project's list of people during the migration,
	// when its runbook keeps one (reach.go).
	ReachURL string
}

// Kept returns what was typed in a task's field when its form failed.
func (p *projectPage) Kept(field, taskKey string) string {
	if p.Form == nil || p.Open != taskKey {
		return ""
	}
	return p.Form.Get(field)
}

// nextItem is one entry of the "what's next" box.
type nextItem struct {
	Key, Name, Note, Due, Start, Status, Party, Gate string
	Overdue, Pending                                 bool
}

// phaseBlock is a phase and its tasks as the reader sees them.
type phaseBlock struct {
	Key, Name string
	Tasks     []taskView
}

// taskView is what the "task" template draws: a task and its page.
type taskView struct {
	Page *projectPage
	Task taskBlock
}

// taskBlock is one task with its plan, gate and the actions the reader
// may take.
type taskBlock struct {
	ID, Key, Name, Party, Status, Note, BlockedReason, Milestone string
	With, Documents, After                                       []string
	PlannedStart, PlannedEnd, Due, Duration, Lead, NotBefore     string
	Done                                                         string
	Overdue, Critical, Internal, Window                          bool
	Gate                                                         *gateBlock
	// Actions the reader may take without input: start, complete,
	// unblock, include.
	Actions []string
	// CanBlock, CanSkip and CanReschedule show the forms that need input.
	CanBlock, CanSkip, CanReschedule bool
	// GateForm is the gate kind whose form is shown, "" for none.
	GateForm string
	// NoReturn marks a point-of-no-return confirmation, drawn as a warning.
	NoReturn bool
	// Files are the documents given for the task; Upload the kinds the
	// reader may give now (none: no form).
	Files  []projectDoc
	Upload []option
}

// gateBlock is a task's gate and whether it is met.
type gateBlock struct {
	Kind, Label, Document, MetAt, Detail string
	Met                                  bool
}

func (s *Server) project(w http.ResponseWriter, r *http.Request) {
	v, err := s.deps.Projects.Project(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "projects.project.title")
	s.renderProject(w, r, p, http.StatusOK, v, "")
}

// renderProject draws the project page; open names a task whose form is
// shown again with its errors.
func (s *Server) renderProject(w http.ResponseWriter, r *http.Request, p *Page, status int, v *activation.View, open string) {
	a, pr, tp := p.Actor, v.Project, v.Template
	pp := &projectPage{Page: p, Project: pr, Runbook: tp, RunbookName: tp.Name.In(p.Lang), Advice: tp.Advice.In(p.Lang),
		StartAt: p.DateTime(pr.StartAt), PlannedEnd: p.DateTime(pr.PlannedEnd), Progress: progressOf(v.Tasks),
		Staff: a.IsStaff(), CanManage: activation.CanManage(a), Active: pr.Status == activation.ProjectActive, Open: open}
	if r.Method == http.MethodPost {
		pp.Form = r.PostForm
	}
	p.Title = pr.Folio + " · " + pr.Title
	pp.StartDate, pp.StartTime = startOf(pr.StartAt, s.deps.Location)
	if v.Window > 0 {
		pp.Window = span(v.Window)
	}
	pp.Billing = p.T("runbook.billing."+tp.Billing.Rule, "task", billingTask(tp, p.Lang))
	pp.BillingNote = tp.Billing.Note.In(p.Lang)
	if pr.BillingStart != nil {
		pp.BillingStart = p.loc.Date(*pr.BillingStart)
	}
	for _, n := range tp.Notes {
		pp.Notes = append(pp.Notes, n.In(p.Lang))
	}
	if accounts, err := s.deps.Customers.BillingAccounts(r.Context(), pr.CustomerID); err == nil {
		for _, b := range accounts {
			if b.ID == pr.BillingAccountID {
				pp.Account = b.Number + " · " + b.Name
			}
		}
	}
	if pr.ContactUserID != "" {
		// Only those who may see the customer's users learn the name.
		if m, err := s.deps.Identity.Member(r.Context(), pr.CustomerID, pr.ContactUserID); err == nil {
			pp.Contact = m.Name()
		}
	}
	if s.deps.Reach != nil && reach.Supports(tp) {
		pp.ReachURL = reachPath(pr.ID)
	}
	pp.Next = nextItems(p, v)
	pp.Phases = phaseBlocks(pp, v)
	tl, err := renderTimeline(timelineFor(p, v))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	pp.Timeline = tl
	if err := s.fillAssign(r, pp); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.fillRecords(r, pp, v); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "project", pp)
}

// billingTask names the task whose completion starts billing, if any.
func billingTask(tp *runbook.Template, lang string) string {
	if t := tp.Task(tp.Billing.Task); t != nil {
		return t.Name.In(lang)
	}
	return tp.Billing.Task
}

// nextItems is the "what's next" box: for a customer what is expected of
// them and by when, for staff the provider's next tasks.
func nextItems(p *Page, v *activation.View) []nextItem {
	var out []nextItem
	for _, t := range v.Next {
		it := nextItem{Key: t.Key, Name: t.Step.Name.In(p.Lang), Note: t.Step.Note.In(p.Lang), Due: p.DateTime(t.Due()),
			Start: p.DateTime(t.PlannedStart), Status: t.Status, Party: t.Party, Overdue: t.Overdue(v.Now),
			Pending: t.Status == activation.TaskPending}
		if g := t.Step.Gate; g != nil && t.GateMetAt == nil {
			it.Gate = gateText(p, g)
		}
		out = append(out, it)
	}
	return out
}

// gateText says what a gate waits for: its label, or its kind.
func gateText(p *Page, g *runbook.Gate) string {
	if l := g.Label.In(p.Lang); l != "" {
		return l
	}
	if g.Kind == runbook.GateDocument {
		return p.T("runbook.document." + g.Document)
	}
	return p.T("runbook.gate." + g.Kind)
}

// phaseBlocks groups the reader's tasks by the runbook's phases, in the
// runbook's order.
func phaseBlocks(pp *projectPage, v *activation.View) []phaseBlock {
	var out []phaseBlock
	for _, ph := range tasksByPhase(v) {
		pb := phaseBlock{Key: ph.key, Name: ph.name.In(pp.Lang)}
		for _, t := range ph.tasks {
			pb.Tasks = append(pb.Tasks, taskView{Page: pp, Task: taskBlockOf(pp.Page, v, t)})
		}
		out = append(out, pb)
	}
	return out
}

func taskBlockOf(p *Page, v *activation.View, t *activation.Task) taskBlock {
	st := t.Step
	tb := taskBlock{ID: t.ID, Key: t.Key, Name: st.Name.In(p.Lang), Party: t.Party, Status: t.Status,
		Note: st.Note.In(p.Lang), BlockedReason: t.BlockedReason, Milestone: st.Milestone, Internal: t.Internal,
		Duration: p.Duration(st.Duration), Lead: p.DurationPtr(st.Lead), Critical: t.Critical && !t.Closed(),
		Overdue: t.Overdue(v.Now), Window: st.Window, With: st.With, Documents: st.Documents}
	if !t.PlannedStart.IsZero() && t.Status != activation.TaskNotApplicable {
		tb.PlannedStart, tb.PlannedEnd = p.DateTime(t.PlannedStart), p.DateTime(t.PlannedEnd)
	}
	if t.DueAt != nil {
		tb.Due = p.DateTime(*t.DueAt)
	}
	if t.NotBefore != nil {
		tb.NotBefore = p.DateTime(*t.NotBefore)
	}
	if t.DoneAt != nil {
		tb.Done = p.DateTime(*t.DoneAt)
	}
	// The view's dependencies, not the runbook's: a customer's leave out
	// the provider's internal steps.
	for _, a := range t.After {
		if at := v.Template.Task(a); at != nil {
			tb.After = append(tb.After, at.Name.In(p.Lang))
		}
	}
	if g := st.Gate; g != nil {
		tb.Gate = &gateBlock{Kind: g.Kind, Label: g.Label.In(p.Lang), Document: g.Document, Met: t.GateMetAt != nil,
			Detail: t.GateDetail}
		if t.GateMetAt != nil {
			tb.Gate.MetAt = p.DateTime(*t.GateMetAt)
		}
	}
	fillTaskActions(p.Actor, v.Project, t, &tb)
	return tb
}

// fillTaskActions decides which buttons and forms a task shows: only what
// the reader may do (the service checks again).
func fillTaskActions(a *enlace.Actor, pr *activation.Project, t *activation.Task, tb *taskBlock) {
	if pr.Status != activation.ProjectActive {
		return
	}
	act, manage := activation.CanActOn(a, t.Party), activation.CanManage(a)
	g := t.Step.Gate
	gateOpen := g == nil || t.GateMetAt != nil
	if act {
		switch t.Status {
		case activation.TaskReady:
			tb.Actions = append(tb.Actions, activation.ActStart)
			if gateOpen {
				tb.Actions = append(tb.Actions, activation.ActComplete)
			}
		case activation.TaskInProgress:
			if gateOpen {
				tb.Actions = append(tb.Actions, activation.ActComplete)
			}
		case activation.TaskBlocked:
			tb.Actions = append(tb.Actions, activation.ActUnblock)
		}
		tb.CanBlock = slices.Contains([]string{activation.TaskPending, activation.TaskReady, activation.TaskInProgress}, t.Status)
	}
	if manage {
		if t.Status == activation.TaskNotApplicable {
			tb.Actions = append(tb.Actions, activation.ActInclude)
		}
		tb.CanSkip = activation.CanTransition(t.Status, activation.TaskNotApplicable)
		tb.CanReschedule = !t.Closed() && t.StartedAt == nil
	}
	if g != nil && g.Kind != runbook.GateDocument && t.GateMetAt == nil && !t.Closed() {
		may := act
		if g.Kind == runbook.GatePayment {
			may = manage || a.StaffRole == identity.StaffAccountExec
		}
		if may {
			tb.GateForm = g.Kind
			tb.NoReturn = g.Kind == runbook.GateConfirmation && t.Step.Milestone == runbook.MilestonePointOfNoReturn
		}
	}
}

// timelineFor is the timeline of the tasks the reader sees, by phase.
func timelineFor(p *Page, v *activation.View) timelineInput {
	in := timelineInput{Title: p.T("projects.timeline.title", "Folio", v.Project.Folio),
		Desc: p.T("projects.timeline.desc"), TodayLabel: p.T("projects.timeline.today"), Now: v.Now, Lang: p.Lang, Loc: p.zone}
	for _, ph := range tasksByPhase(v) {
		for _, t := range ph.tasks {
			if t.Status == activation.TaskNotApplicable {
				continue
			}
			in.Tasks = append(in.Tasks, timelineTask{Key: t.Key, Name: t.Step.Name.In(p.Lang), Phase: ph.name.In(p.Lang),
				Start: t.PlannedStart, End: t.PlannedEnd, Critical: t.Critical, Status: t.Status})
		}
	}
	return in
}

// phaseTasks is a phase of the runbook and the reader's tasks in it.
type phaseTasks struct {
	key   string
	name  i18n.Text
	tasks []*activation.Task
}

// tasksByPhase groups the view's tasks by phase in the runbook's order,
// leaving out phases with none the reader sees.
func tasksByPhase(v *activation.View) []phaseTasks {
	byKey := make(map[string]*activation.Task, len(v.Tasks))
	for i := range v.Tasks {
		byKey[v.Tasks[i].Key] = &v.Tasks[i]
	}
	var out []phaseTasks
	for _, ph := range v.Template.Phases {
		pt := phaseTasks{key: ph.Key, name: ph.Name}
		for _, step := range ph.Tasks {
			if t := byKey[step.Key]; t != nil && t.Step != nil {
				pt.tasks = append(pt.tasks, t)
			}
		}
		if len(pt.tasks) > 0 {
			out = append(out, pt)
		}
	}
	return out
}
