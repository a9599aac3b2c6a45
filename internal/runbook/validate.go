package runbook

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
)

// keyPattern is what template, phase, task and option keys look like:
// they end up in URLs, catalogue-like references and the database.
var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)

// Validate checks a template and returns an EINVALID error whose field
// errors name the task at fault: an unknown party, a dependency on a task
// that does not exist or that closes a cycle, a gate whose condition is
// missing. Texts need Spanish; the other languages fall back to it.
func (tp *Template) Validate() error {
	v := validator{}
	if !keyPattern.MatchString(tp.Key) {
		v.add("key", "runbook.error.key")
	}
	if tp.Version < 1 {
		v.add("version", "runbook.error.version")
	}
	v.text("name", tp.Name)
	for i, o := range tp.Options {
		path := fmt.Sprintf("options.%d", i)
		if !keyPattern.MatchString(o.Key) {
			v.add(path+".key", "runbook.error.key")
		} else if slices.IndexFunc(tp.Options[:i], func(p Option) bool { return p.Key == o.Key }) >= 0 {
			v.add(path+".key", "runbook.error.duplicate_option", "option", o.Key)
		}
		v.text(path+".label", o.Label)
	}
	if len(tp.Phases) == 0 {
		v.add("phases", "runbook.error.no_phases")
	}
	seen := map[string]bool{}
	for i := range tp.Phases {
		ph := &tp.Phases[i]
		path := fmt.Sprintf("phases.%d", i)
		if !keyPattern.MatchString(ph.Key) {
			v.add(path+".key", "runbook.error.key")
		}
		v.text(path+".name", ph.Name)
		if len(ph.Tasks) == 0 {
			v.add(path+".tasks", "runbook.error.empty_phase", "phase", ph.Key)
		}
		for j := range ph.Tasks {
			t := &ph.Tasks[j]
			tpath := fmt.Sprintf("%s.tasks.%d", path, j)
			if !keyPattern.MatchString(t.Key) {
				v.add(tpath+".key", "runbook.error.task_key", "task", t.Key)
			} else if seen[t.Key] {
				v.add(tpath+".key", "runbook.error.duplicate_task", "task", t.Key)
			}
			seen[t.Key] = true
		}
	}
	for i := range tp.Phases {
		for j := range tp.Phases[i].Tasks {
			v.task(tp, fmt.Sprintf("phases.%d.tasks.%d", i, j), &tp.Phases[i].Tasks[j])
		}
	}
	if cycle := tp.cycle(); cycle != nil {
		v.add("phases", "runbook.error.cycle", "task", cycle[0], "cycle", strings.Join(cycle, " → "))
	}
	switch tp.Billing.Rule {
	case BillOnCompletion, BillFirstOfNextMonth:
	case BillAtTask:
		if tp.Task(tp.Billing.Task) == nil {
			v.add("billing.task", "runbook.error.unknown_task", "task", tp.Billing.Task)
		}
	default:
		v.add("billing.rule", "runbook.error.billing_rule", "rule", tp.Billing.Rule)
	}
	return enlace.Invalid(v.errs)
}

type validator struct{ errs []enlace.FieldError }

func (v *validator) add(field, key string, args ...any) {
	v.errs = append(v.errs, enlace.Field(field, key, args...))
}

func (v *validator) text(field string, t i18n.Text) {
	if strings.TrimSpace(t["es-MX"]) == "" {
		v.add(field, "runbook.error.text_required")
	}
	for lang := range t {
		if !slices.Contains(Languages, lang) {
			v.add(field, "runbook.error.language", "language", lang)
		}
	}
}

func (v *validator) task(tp *Template, path string, t *Task) {
	v.text(path+".name", t.Name)
	if !slices.Contains(Parties, t.Party) {
		v.add(path+".party", "runbook.error.unknown_party", "task", t.Key, "party", t.Party)
	}
	for _, p := range t.With {
		if !slices.Contains(Parties, p) || p == t.Party {
			v.add(path+".with", "runbook.error.unknown_party", "task", t.Key, "party", p)
		}
	}
	switch {
	case t.Duration.IsZero():
		v.add(path+".duration", "runbook.error.duration_required", "task", t.Key)
	case t.Estimate != nil && !t.Duration.Variable:
		v.add(path+".estimate", "runbook.error.estimate_fixed", "task", t.Key)
	case t.Estimate != nil && (t.Estimate.Variable || t.Estimate.IsZero()):
		v.add(path+".estimate", "runbook.error.estimate", "task", t.Key)
	}
	if t.Lead != nil && (t.Lead.Variable || t.Lead.IsZero()) {
		v.add(path+".lead", "runbook.error.lead", "task", t.Key)
	}
	if t.Lead != nil && len(t.After) == 0 {
		v.add(path+".lead", "runbook.error.lead_without_after", "task", t.Key)
	}
	for _, a := range t.After {
		if a == t.Key {
			v.add(path+".after", "runbook.error.cycle", "task", t.Key, "cycle", t.Key+" → "+t.Key)
		} else if tp.Task(a) == nil {
			v.add(path+".after", "runbook.error.unknown_dependency", "task", t.Key, "dependency", a)
		}
	}
	if t.When != "" && !tp.HasOption(strings.TrimPrefix(t.When, "!")) {
		v.add(path+".when", "runbook.error.unknown_option", "task", t.Key, "option", t.When)
	}
	if g := t.Gate; g != nil {
		switch {
		case !slices.Contains(GateKinds, g.Kind):
			v.add(path+".gate.kind", "runbook.error.gate_kind", "task", t.Key, "kind", g.Kind)
		case g.Kind == GateDocument && !slices.Contains(DocumentKinds, g.Document):
			v.add(path+".gate.document", "runbook.error.gate_document", "task", t.Key, "document", g.Document)
		case g.Kind != GateDocument && g.Document != "":
			v.add(path+".gate.document", "runbook.error.gate_document_unused", "task", t.Key)
		}
	}
	for _, d := range t.Documents {
		if !slices.Contains(DocumentKinds, d) {
			v.add(path+".documents", "runbook.error.document_kind", "task", t.Key, "document", d)
		}
	}
	if t.Follows != "" && !slices.Contains(Follows, t.Follows) {
		v.add(path+".follows", "runbook.error.follows", "task", t.Key, "step", t.Follows)
	}
	if t.Milestone != "" && !slices.Contains(Milestones, t.Milestone) {
		v.add(path+".milestone", "runbook.error.milestone", "task", t.Key, "milestone", t.Milestone)
	}
}

// cycle returns the keys of a dependency cycle, first repeated last, or
// nil when the dependencies form a DAG. Unknown dependencies are ignored
// here; the task check reports them.
func (tp *Template) cycle() []string {
	const (
		unseen = iota
		onPath
		finished
	)
	state := map[string]int{}
	var path []string
	var visit func(key string) []string
	visit = func(key string) []string {
		t := tp.Task(key)
		if t == nil {
			return nil
		}
		switch state[key] {
		case onPath:
			i := slices.Index(path, key)
			return append(slices.Clone(path[i:]), key)
		case finished:
			return nil
		}
		state[key] = onPath
		path = append(path, key)
		for _, a := range t.After {
			if a == key {
				continue // reported by the task check
			}
			if c := visit(a); c != nil {
				return c
			}
		}
		path = path[:len(path)-1]
		state[key] = finished
		return nil
	}
	for _, pt := range tp.Tasks() {
		if c := visit(pt.Task.Key); c != nil {
			return c
		}
	}
	return nil
}

// Order returns the tasks in an order where every task comes after the
// tasks it waits for, keeping the written order otherwise. The template
// must be valid.
func (tp *Template) Order() []PhasedTask {
	all := tp.Tasks()
	placed := make(map[string]bool, len(all))
	out := make([]PhasedTask, 0, len(all))
	for len(out) < len(all) {
		progress := false
		for _, pt := range all {
			if placed[pt.Task.Key] {
				continue
			}
			ready := true
			for _, a := range pt.Task.After {
				if !placed[a] {
					ready = false
					break
				}
			}
			if ready {
				placed[pt.Task.Key] = true
				out = append(out, pt)
				progress = true
			}
		}
		if !progress {
			panic("runbook: Order on a template with a cycle")
		}
	}
	return out
}
