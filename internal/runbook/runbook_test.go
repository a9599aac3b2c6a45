package runbook

import (
	"strings"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want Duration
		len  time.Duration
	}{
		{"30m", Duration{Amount: 30, Unit: UnitMinute}, 30 * time.Minute},
		{"2h", Duration{Amount: 2, Unit: UnitHour}, 2 * time.Hour},
		{"3d", Duration{Amount: 3, Unit: UnitDay}, 72 * time.Hour},
		{"5bd", Duration{Amount: 5, Unit: UnitBusinessDay}, 45 * time.Hour},
		{"3w", Duration{Amount: 3, Unit: UnitWeek}, 21 * 24 * time.Hour},
		{"24-48h", Duration{Min: 24, Amount: 48, Unit: UnitHour}, 48 * time.Hour},
		{"variable", Duration{Variable: true}, 0},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDuration(%q) = %+v, %v, want %+v", tt.in, got, err, tt.want)
		}
		if l := got.Length(9 * time.Hour); l != tt.len {
			t.Errorf("ParseDuration(%q).Length = %v, want %v", tt.in, l, tt.len)
		}
		if got.String() != tt.in {
			t.Errorf("ParseDuration(%q).String() = %q", tt.in, got.String())
		}
	}
	for _, bad := range []string{"", "30", "m", "30 minutes", "-3d", "48-24h", "3x", "1.5h"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

// minimal is a valid template that the rejection cases break one way each.
const minimal = `
key: sample
version: 1
name: {es-MX: Ejemplo}
billing: {rule: on_completion}
options:
  - {key: porting, label: {es-MX: Portabilidad}}
phases:
  - key: one
    name: {es-MX: Uno}
    tasks:
      - {key: a, name: {es-MX: A}, party: customer, duration: 1bd}
      - {key: b, name: {es-MX: B}, party: provider_pm, duration: 2h, after: [a]}
      - {key: c, name: {es-MX: C}, party: technician, duration: 30m, after: [b], when: porting}
`

func TestParseRejects(t *testing.T) {
	if _, err := Parse([]byte(minimal)); err != nil {
		t.Fatalf("Parse(minimal) = %v", err)
	}
	tests := []struct {
		name, from, to string
		field, key     string
		task           string
	}{
		{"cycle", "after: [a]}", "after: [a, c]}", "phases", "runbook.error.cycle", "b"},
		{"self dependency", "after: [b], when", "after: [c], when", "phases.0.tasks.2.after", "runbook.error.cycle", "c"},
		{"unknown party", "party: technician", "party: janitor", "phases.0.tasks.2.party", "runbook.error.unknown_party", "c"},
		{"unknown dependency", "after: [b]", "after: [z]", "phases.0.tasks.2.after", "runbook.error.unknown_dependency", "c"},
		{"gate without document", "duration: 2h,", "duration: 2h, gate: {kind: document},", "phases.0.tasks.1.gate.document", "runbook.error.gate_document", "b"},
		{"gate of unknown kind", "duration: 2h,", "duration: 2h, gate: {kind: weather},", "phases.0.tasks.1.gate.kind", "runbook.error.gate_kind", "b"},
		{"gate on unknown document", "duration: 2h,", "duration: 2h, gate: {kind: document, document: poem},", "phases.0.tasks.1.gate.document", "runbook.error.gate_document", "b"},
		{"unknown option", "when: porting", "when: lync", "phases.0.tasks.2.when", "runbook.error.unknown_option", "c"},
		{"no duration", "duration: 1bd", "duration: variable, estimate: variable", "phases.0.tasks.0.estimate", "runbook.error.estimate", "a"},
		{"duplicate task", "{key: c,", "{key: b,", "phases.0.tasks.2.key", "runbook.error.duplicate_task", "b"},
		{"unknown milestone", "duration: 30m", "duration: 30m, milestone: party", "phases.0.tasks.2.milestone", "runbook.error.milestone", "c"},
		{"lead without dependency", "duration: 1bd}", "duration: 1bd, lead: 3w}", "phases.0.tasks.0.lead", "runbook.error.lead_without_after", "a"},
		{"billing on unknown task", "rule: on_completion", "rule: at_task, task: zz", "billing.task", "runbook.error.unknown_task", "zz"},
		{"spanish name missing", "name: {es-MX: B}", "name: {en: B}", "phases.0.tasks.1.name", "runbook.error.text_required", ""},
		{"unknown field", "after: [a]}", "afterr: [a]}", "body", "runbook.error.syntax", ""},
		{"bad duration", "duration: 2h", "duration: 2 hours", "body", "runbook.error.syntax", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(minimal, tt.from, tt.to, 1)
			if src == minimal {
				t.Fatalf("replacement %q not found", tt.from)
			}
			_, err := Parse([]byte(src))
			e := enlace.AsError(err)
			if e.Code != enlace.EINVALID {
				t.Fatalf("Parse = %v, want invalid", err)
			}
			for _, f := range e.Fields {
				if f.Field == tt.field && f.Message == tt.key {
					if tt.task != "" && f.Args["task"] != tt.task {
						t.Errorf("error names task %v, want %q", f.Args["task"], tt.task)
					}
					return
				}
			}
			t.Errorf("Parse errors = %+v, want %s on %s", e.Fields, tt.key, tt.field)
		})
	}
}

func TestParseSizeAndEmpty(t *testing.T) {
	if _, err := Parse(nil); enlace.ErrorCode(err) != enlace.EINVALID {
		t.Errorf("Parse(empty) = %v, want invalid", err)
	}
	if _, err := Parse([]byte(strings.Repeat("#", MaxSize+1))); enlace.ErrorCode(err) != enlace.EINVALID {
		t.Errorf("Parse(too large) = %v, want invalid", err)
	}
}

func TestOrderPutsDependenciesFirst(t *testing.T) {
	tp, err := Parse([]byte(strings.Replace(minimal, "after: [a]}", "after: [a, c]}", 0)))
	if err != nil {
		t.Fatal(err)
	}
	// c is written last but a is first; reorder to put b's dependency later.
	tp.Phases[0].Tasks[0].After = []string{"c"}
	tp.Phases[0].Tasks[2].After = nil
	var keys []string
	for _, pt := range tp.Order() {
		keys = append(keys, pt.Task.Key)
	}
	if got := strings.Join(keys, ","); got != "c,a,b" {
		t.Errorf("Order() = %s, want c,a,b", got)
	}
}

func TestTextFallsBackToSpanish(t *testing.T) {
	tx := i18n.Text{"es-MX": "Hola", "en": "Hello"}
	for lang, want := range map[string]string{"en": "Hello", "en-US": "Hello", "de": "Hola", "es-MX": "Hola"} {
		if got := tx.In(lang); got != want {
			t.Errorf("In(%q) = %q, want %q", lang, got, want)
		}
	}
}

// shippedTemplate returns a shipped runbook by key.
func shippedTemplate(t *testing.T, key string) *Template {
	t.Helper()
	all, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range all {
		if tp.Key == key {
			return tp
		}
	}
	t.Fatalf("runbook %q not shipped", key)
	return nil
}

func TestShippedAreCompleteInEveryLanguage(t *testing.T) {
	all, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range all {
		check := func(where string, tx i18n.Text) {
			for _, lang := range Languages {
				if strings.TrimSpace(tx[lang]) == "" {
					t.Errorf("%s %s: no %s text", tp.Key, where, lang)
				}
			}
		}
		check("name", tp.Name)
		check("summary", tp.Summary)
		for _, o := range tp.Options {
			check("option "+o.Key, o.Label)
		}
		for _, ph := range tp.Phases {
			check("phase "+ph.Key, ph.Name)
		}
		for _, pt := range tp.Tasks() {
			check("task "+pt.Task.Key, pt.Task.Name)
			if pt.Task.Note != nil {
				check("note of "+pt.Task.Key, pt.Task.Note)
			}
		}
	}
}

func TestHostedExchangeFigures(t *testing.T) {
	tp := shippedTemplate(t, "hosted-exchange")
	steps := []struct {
		key  string
		want string
	}{
		{"dns-provisioning", "30m"}, {"customer-panel", "30m"}, {"antispam-and-load", "140m"}, {"owa-tests", "40m"},
	}
	for _, s := range steps {
		task := tp.Task(s.key)
		if task == nil || task.Duration.String() != s.want || !task.Window {
			t.Errorf("task %s = %+v, want a window step of %s", s.key, task, s.want)
		}
	}
	if w := tp.Window(tp.DefaultOptions(), 9*time.Hour); w != 240*time.Minute {
		t.Errorf("window = %v, want 240 minutes", w)
	}
	d := tp.Task("nic-delegation")
	if d.Party != PartyCustomer || d.Duration.String() != "24-48h" || !d.Elapsed || d.Window {
		t.Errorf("nic-delegation = %+v, want a customer's elapsed 24-48h outside the window", d)
	}
	// The delegation runs in parallel: it waits for nothing in the window.
	for _, a := range d.After {
		if tp.Task(a).Window {
			t.Errorf("nic-delegation waits for window task %s", a)
		}
	}
	if !strings.Contains(tp.Task("antispam-and-load").Note["es-MX"], "60 minutos") {
		t.Error("antispam step does not say provider changes take about 60 minutes")
	}
	if lync := tp.Task("sharepoint-lync"); lync.Applies(map[string]bool{"lync_sharepoint": false}) {
		t.Error("SharePoint/Lync applies without the option")
	}
	if tp.Task("owa-tests").Gate == nil {
		t.Error("OWA tests have no gate on the NIC change being visible")
	}
	notes := ""
	for _, n := range tp.Notes {
		notes += n["es-MX"]
	}
	for _, fact := range []string{"110", "2525", "POP a Exchange", "Exchange a Exchange"} {
		if !strings.Contains(notes, fact) {
			t.Errorf("notes lack %q", fact)
		}
	}
	if !strings.Contains(tp.Advice["es-MX"], "respaldar") {
		t.Error("no back-up advice")
	}
}
