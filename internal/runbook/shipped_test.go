package runbook

import (
	"strings"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/i18n"
)

// ancestors returns the keys of every task key waits for, directly or
// through other tasks.
func ancestors(tp *Template, key string) map[string]bool {
	seen := map[string]bool{}
	var walk func(k string)
	walk = func(k string) {
		t := tp.Task(k)
		if t == nil {
			return
		}
		for _, a := range t.After {
			if !seen[a] {
				seen[a] = true
				walk(a)
			}
		}
	}
	walk(key)
	return seen
}

// mustTask returns the task with key or stops the test.
func mustTask(t *testing.T, tp *Template, key string) *Task {
	t.Helper()
	task := tp.Task(key)
	if task == nil {
		t.Fatalf("%s: no task %s", tp.Key, key)
	}
	return task
}

// withMilestone returns the tasks that mark milestone m.
func withMilestone(tp *Template, m string) []*Task {
	var out []*Task
	for _, pt := range tp.Tasks() {
		if pt.Task.Milestone == m {
			out = append(out, pt.Task)
		}
	}
	return out
}

// phase returns the phase with key or stops the test.
func phase(t *testing.T, tp *Template, key string) *Phase {
	t.Helper()
	for i := range tp.Phases {
		if tp.Phases[i].Key == key {
			return &tp.Phases[i]
		}
	}
	t.Fatalf("%s: no phase %s", tp.Key, key)
	return nil
}

// says reports whether a text holds every fragment in the language.
func says(tx i18n.Text, lang string, fragments ...string) bool {
	for _, f := range fragments {
		if !strings.Contains(tx[lang], f) {
			return false
		}
	}
	return true
}

func TestTeamsCloudVoiceFigures(t *testing.T) {
	tp := shippedTemplate(t, "teams-cloud-voice")

	// Onboarding: about 15 minutes, once, five customer steps and the
	// "ready" checkpoint; the window is the onboarding.
	for _, key := range []string{"login-invite-admin", "onboarding-step-1", "onboarding-step-2",
		"onboarding-step-3", "onboarding-step-4", "ready-to-add-numbers"} {
		if task := mustTask(t, tp, key); !task.Window || task.Party != PartyCustomer {
			t.Errorf("onboarding task %s: party %s, window %v; want a customer's window task", key, task.Party, task.Window)
		}
	}
	if w := tp.Window(tp.DefaultOptions(), 9*time.Hour); w != 15*time.Minute {
		t.Errorf("onboarding window = %v, want 15 minutes", w)
	}
	if n := mustTask(t, tp, "login-invite-admin").Note; !says(n, "es-MX", "15 minutos", "solo una vez", "Administrador Global", "contrato firmado") {
		t.Errorf("login note = %q, want 15 minutes, once, the global admin and the signed contract", n["es-MX"])
	}
	if g := mustTask(t, tp, "onboarding-step-1").Gate; g == nil || g.Kind != GateConfirmation || !says(g.Label, "es-MX", "licencia") {
		t.Errorf("step 1 gate = %+v, want a confirmation that a licence is available", g)
	}
	ready := mustTask(t, tp, "ready-to-add-numbers")
	if ready.Milestone != MilestoneInService || !says(ready.Note, "es-MX", "1º del mes siguiente", "«liberarlos»") {
		t.Errorf("ready-to-add-numbers: milestone %q, note %q; want in_service with the billing and test-number release comment", ready.Milestone, ready.Note["es-MX"])
	}

	// Licence requirements are the customer's.
	for _, task := range phase(t, tp, "licensing").Tasks {
		if task.Party != PartyCustomer || !task.Duration.Variable {
			t.Errorf("licence task %s: party %s, duration %s, want a customer's variable task", task.Key, task.Party, task.Duration)
		}
	}
	if n := mustTask(t, tp, "remove-calling-plan").Note; !says(n, "es-MX", "eliminar la licencia del plan de llamadas", "Teams Phone Standard") {
		t.Errorf("calling-plan note = %q", n["es-MX"])
	}
	if n := mustTask(t, tp, "license-resource-accounts").Note; !says(n, "es-MX", "gratuitas", "Asistentes Automáticos", "Colas de Llamadas") {
		t.Errorf("resource-account note = %q", n["es-MX"])
	}

	// Programming: 1–2 one-hour sessions; training: 30 minutes each.
	if d := mustTask(t, tp, "program-teams").Duration.String(); d != "1-2h" {
		t.Errorf("programming = %s, want 1-2h", d)
	}
	for _, key := range []string{"training-end-users", "training-admins", "training-support"} {
		if d := mustTask(t, tp, key).Duration.String(); d != "30m" {
			t.Errorf("%s = %s, want 30m", key, d)
		}
	}

	// Porting: documents 3 weeks before the port date, only when porting.
	for _, task := range phase(t, tp, "porting").Tasks {
		if task.When != "porting" {
			t.Errorf("porting task %s applies without the porting option", task.Key)
		}
	}
	port := mustTask(t, tp, "port-date")
	if port.Lead == nil || port.Lead.String() != "3w" || port.Gate == nil || port.Gate.Kind != GateDate {
		t.Errorf("port-date: lead %v, gate %+v; want a 3-week lead and a date gate", port.Lead, port.Gate)
	}
	if port.Applies(map[string]bool{"porting": false}) || !port.Applies(tp.DefaultOptions()) {
		t.Error("port-date must apply by default and only with porting")
	}
	for key, doc := range map[string]string{"porting-csr": "csr", "porting-phone-bill": "phone_bill", "porting-number-list": "number_list"} {
		task := mustTask(t, tp, key)
		if task.Gate == nil || task.Gate.Kind != GateDocument || task.Gate.Document != doc || task.Party != PartyCustomer {
			t.Errorf("%s gate = %+v, want the customer's %s", key, task.Gate, doc)
		}
		if !strings.Contains(task.Note["es-MX"], "3 semanas") {
			t.Errorf("%s note does not say 3 weeks", key)
		}
		if !ancestors(tp, "port-date")[key] {
			t.Errorf("port-date does not wait for %s", key)
		}
	}
	// The lead counts from the latest predecessor: only documents lead in.
	for _, a := range port.After {
		if mustTask(t, tp, a).Gate == nil || mustTask(t, tp, a).Gate.Kind != GateDocument {
			t.Errorf("port-date leads 3 weeks from %s, which is not a document", a)
		}
	}
	if g := mustTask(t, tp, "sign-loa").Gate; g == nil || g.Kind != GateSignature {
		t.Errorf("sign-loa gate = %+v, want a signature", g)
	}
	if !ancestors(tp, "sign-loa")["enter-port-order"] || mustTask(t, tp, "enter-port-order").Party != PartyPM {
		t.Error("the LOA is signed after the PM enters the numbers")
	}
	if g := mustTask(t, tp, "confirm-foc").Gate; g == nil || g.Kind != GateDate {
		t.Errorf("confirm-foc gate = %+v, want a date", g)
	}
	appear := mustTask(t, tp, "numbers-appear")
	if appear.Duration.String() != "24h" || !appear.Elapsed || !ancestors(tp, "numbers-appear")["confirm-foc"] {
		t.Errorf("numbers-appear: %s, elapsed %v, after %v; want 24h elapsed after the FOC", appear.Duration, appear.Elapsed, appear.After)
	}
	if a := ancestors(tp, "confirm-numbers-assigned"); !a["assign-numbers"] || !a["numbers-appear"] {
		t.Error("the PM confirms the assignment after the customer assigns the ported numbers")
	}
	if a := ancestors(tp, "porting-complete"); !a["port-date"] || !a["confirm-numbers-assigned"] {
		t.Error("porting completes after the port date and the confirmed assignment")
	}

	// Billing from the 1st of the following month.
	if tp.Billing.Rule != BillFirstOfNextMonth {
		t.Errorf("billing rule = %s, want %s", tp.Billing.Rule, BillFirstOfNextMonth)
	}

	// Meetings: kickoff notes within 24 h; the completion report.
	kick := withMilestone(tp, MilestoneKickoff)
	if len(kick) != 1 || kick[0].Party != PartyPM || !says(kick[0].Note, "es-MX", "24 horas") ||
		!says(kick[0].Note, "en", "24 hours") || !says(kick[0].Note, "de", "24 Stunden") {
		t.Errorf("kickoff milestones = %d, want one PM meeting whose notes go out within 24 h", len(kick))
	} else if strings.Join(kick[0].With, ",") != "customer,partner" {
		t.Errorf("kickoff with %v, want customer and partner", kick[0].With)
	}
	if len(withMilestone(tp, MilestoneWeeklyStatus)) != 1 {
		t.Error("no weekly status call")
	}
	report := withMilestone(tp, MilestoneCompletionReport)
	if len(report) != 1 || !says(report[0].Note, "es-MX", "servicios implementados", "primera factura") ||
		len(report[0].Documents) != 1 || report[0].Documents[0] != "completion_report" {
		t.Errorf("completion report milestones = %d, want one with the services implemented, the first invoice date and the report document", len(report))
	}
}

func TestOfficeConnectFigures(t *testing.T) {
	tp := shippedTemplate(t, "officeconnect-ucaas")
	if tp.DefaultOptions()["provider_circuit"] || !tp.DefaultOptions()["porting"] {
		t.Errorf("default options = %v, want no provider circuit and porting", tp.DefaultOptions())
	}

	// Each stage lists the customer's and the provider's responsibilities.
	for _, key := range []string{"discovery", "subscription", "kickoff", "provisioning", "circuit", "hardware",
		"site-activation", "activation-complete", "admin-training", "porting"} {
		var customer, provider bool
		for _, task := range phase(t, tp, key).Tasks {
			customer = customer || task.Party == PartyCustomer
			provider = provider || IsProvider(task.Party)
		}
		if !customer || !provider {
			t.Errorf("stage %s: customer tasks %v, provider tasks %v, want both", key, customer, provider)
		}
	}

	// The PM is assigned only after the signed agreement and the NRC.
	if g := mustTask(t, tp, "sign-agreement").Gate; g == nil || g.Kind != GateSignature {
		t.Errorf("sign-agreement gate = %+v, want a signature", g)
	}
	if g := mustTask(t, tp, "pay-nrc").Gate; g == nil || g.Kind != GatePayment {
		t.Errorf("pay-nrc gate = %+v, want a payment", g)
	}
	pm := mustTask(t, tp, "introduce-pm")
	if a := ancestors(tp, "introduce-pm"); pm.Party != PartyPM || !a["pay-nrc"] || !a["sign-agreement"] {
		t.Errorf("introduce-pm: party %s, waits for %v; want the PM after the payment and the signature", pm.Party, a)
	}
	// Everything from the kickoff on comes after the PM is assigned.
	for _, key := range []string{"kickoff", "provisioning", "site-activation"} {
		for _, task := range phase(t, tp, key).Tasks {
			if !ancestors(tp, task.Key)["introduce-pm"] {
				t.Errorf("%s does not wait for the PM", task.Key)
			}
		}
	}

	// Circuit: FOC about 30 days, activation about 45, only with the
	// provider's circuit.
	for _, task := range phase(t, tp, "circuit").Tasks {
		if task.When != "provider_circuit" || task.Applies(tp.DefaultOptions()) {
			t.Errorf("circuit task %s applies without the provider's circuit", task.Key)
		}
	}
	loop := mustTask(t, tp, "loop-access")
	if loop.Lead == nil || loop.Lead.String() != "30d" || loop.Gate == nil || loop.Gate.Kind != GateDate || loop.Party != PartyCustomer {
		t.Errorf("loop-access: party %s, lead %v, gate %+v; want the customer's access 30d on, gated by the FOC date", loop.Party, loop.Lead, loop.Gate)
	}
	if c := mustTask(t, tp, "circuit-activation"); c.Duration.String() != "45d" || !c.Elapsed {
		t.Errorf("circuit-activation: %s, elapsed %v; want 45d elapsed", c.Duration, c.Elapsed)
	}
	if !mustTask(t, tp, "access-equipment-install").Applies(map[string]bool{"provider_circuit": true}) ||
		mustTask(t, tp, "access-equipment-install").Applies(map[string]bool{}) {
		t.Error("the technician connects T1/e-line/MPLS equipment only with the provider's circuit")
	}

	// Site access and activation.
	for key, doc := range map[string]string{"config-worksheet": "config_worksheet", "provide-coi": "coi", "aa-script": "auto_attendant_script"} {
		if g := mustTask(t, tp, key).Gate; g == nil || g.Kind != GateDocument || g.Document != doc {
			t.Errorf("%s gate = %+v, want document %s", key, g, doc)
		}
	}
	classes := mustTask(t, tp, "end-user-classes")
	if classes.Duration.String() != "15m" || classes.Party != PartyTechnician ||
		!says(classes.Name, "es-MX", "6 personas", "15 minutos") || !says(classes.Note, "en", "6 people") {
		t.Errorf("end-user classes: %s by %s, name %q; want the technician's 15m classes of 6 people", classes.Duration, classes.Party, classes.Name["es-MX"])
	}

	// Activation complete: the principal contact signs; billing starts.
	if tp.Billing.Rule != BillAtTask || tp.Billing.Task != "activation-signoff" {
		t.Errorf("billing = %+v, want at the activation sign-off", tp.Billing)
	}
	signoff := mustTask(t, tp, "activation-signoff")
	if signoff.Gate == nil || signoff.Gate.Kind != GateSignature || signoff.Party != PartyCustomer ||
		len(signoff.Documents) != 1 || signoff.Documents[0] != "activation_signoff" || !says(signoff.Note, "es-MX", "facturación") {
		t.Errorf("activation-signoff: party %s, gate %+v, documents %v; want the customer's signed activation document starting billing", signoff.Party, signoff.Gate, signoff.Documents)
	}
	// Post-activation work follows the signature.
	for _, key := range []string{"admin-training", "request-port", "introduce-support"} {
		if !ancestors(tp, key)["activation-signoff"] {
			t.Errorf("%s does not follow the activation sign-off", key)
		}
	}

	// Porting, only when numbers are reused: temporary DIDs, documents 3
	// weeks before the port date, cancel the old service at the end.
	for _, task := range phase(t, tp, "porting").Tasks {
		if task.When != "porting" {
			t.Errorf("porting task %s applies without the porting option", task.Key)
		}
	}
	if g := mustTask(t, tp, "port-loa").Gate; g == nil || g.Kind != GateSignature {
		t.Errorf("port-loa gate = %+v, want a signature", g)
	}
	for key, doc := range map[string]string{"port-csr": "csr", "port-phone-bill": "phone_bill"} {
		if g := mustTask(t, tp, key).Gate; g == nil || g.Kind != GateDocument || g.Document != doc {
			t.Errorf("%s gate = %+v, want document %s", key, g, doc)
		}
	}
	port := mustTask(t, tp, "complete-port")
	if port.Lead == nil || port.Lead.String() != "3w" || port.Gate == nil || port.Gate.Kind != GateDate {
		t.Errorf("complete-port: lead %v, gate %+v; want a 3-week lead and a date gate", port.Lead, port.Gate)
	}
	if a := ancestors(tp, "cancel-old-service"); !a["complete-port"] || !a["verify-routing"] {
		t.Error("the old service is cancelled only after the port is verified")
	}
	if a := ancestors(tp, "call-forwarding"); !a["temporary-dids"] {
		t.Error("forwarding to the temporary numbers before they exist")
	}

	if k := withMilestone(tp, MilestoneKickoff); len(k) != 1 || k[0].Key != "kickoff-call" {
		t.Errorf("kickoff milestone on %v, want kickoff-call", k)
	}
}

func TestIPCentrexFigures(t *testing.T) {
	tp := shippedTemplate(t, "ip-centrex")
	if len(tp.Options) != 0 {
		t.Errorf("options = %v, want none", tp.Options)
	}

	// Provisional numbers with CLIP-no-screening both ways and forwarding
	// from the old numbers.
	clip := mustTask(t, tp, "clip-no-screening")
	if !says(clip.Name, "de", "CLIP-no-screening", "SIP-Trunk", "ankommende", "ausgehende") ||
		!says(clip.Name, "es-MX", "entrantes", "salientes") || !says(clip.Name, "en", "inbound", "outbound") {
		t.Errorf("clip-no-screening name = %v, want inbound and outbound in every language", clip.Name)
	}
	if !ancestors(tp, "clip-no-screening")["provisional-numbers"] || !ancestors(tp, "call-forwarding")["provisional-numbers"] {
		t.Error("CLIP-no-screening and forwarding come after the provisional numbers")
	}
	if !says(mustTask(t, tp, "provisional-numbers").Note, "de", "Ortsnetz", "endgültigen Rufnummernportierung") {
		t.Error("provisional numbers: not from the local area until the final porting")
	}
	if !says(mustTask(t, tp, "call-forwarding").Note, "de", "Inbound Calls", "keinen Unterschied") {
		t.Error("forwarding note lacks the inbound calls")
	}

	// Parallel operation: billing usually starts there.
	par := withMilestone(tp, MilestoneParallelOperation)
	if len(par) != 1 {
		t.Fatalf("parallel operation milestones = %d, want 1", len(par))
	}
	if tp.Billing.Rule != BillAtTask || tp.Billing.Task != par[0].Key {
		t.Errorf("billing = %+v, want at task %s", tp.Billing, par[0].Key)
	}
	if a := ancestors(tp, par[0].Key); !a["staff-training"] || !a["clip-no-screening"] || !a["call-forwarding"] {
		t.Error("parallel operation starts before implementation and reachability are done")
	}
	run := mustTask(t, tp, "parallel-operation")
	if !ancestors(tp, "parallel-operation")[par[0].Key] || !says(run.Note, "de", "Roll-out", "alle Tests", "alte Anlage") {
		t.Errorf("parallel-operation note = %q, want it to follow the handover and last until the roll-out and all tests", run.Note["de"])
	}

	// The point of no return: shutdown only after porting, confirmed.
	pnr := withMilestone(tp, MilestonePointOfNoReturn)
	if len(pnr) != 1 {
		t.Fatalf("point-of-no-return milestones = %d, want 1", len(pnr))
	}
	shut := pnr[0]
	if shut.Gate == nil || shut.Gate.Kind != GateConfirmation {
		t.Errorf("%s gate = %+v, want a confirmation", shut.Key, shut.Gate)
	} else if !says(shut.Gate.Label, "de", "portiert", "Zurück") || !says(shut.Note, "de", "Point of no return", "kein (schnelles) Zurück") {
		t.Errorf("%s does not explain there is no quick way back: %v / %v", shut.Key, shut.Gate.Label, shut.Note)
	}
	if a := ancestors(tp, shut.Key); !a["port-numbers"] || !a["parallel-operation"] {
		t.Errorf("%s before the numbers are ported", shut.Key)
	}
	if !ancestors(tp, "port-numbers")["parallel-operation"] {
		t.Error("porting before the parallel operation's tests pass")
	}
}

// The activation service closes a project when its activation_complete
// task is done, so that task must wait for every other one; and the order
// tasks are instantiated in must put each after what it waits for.
func TestShippedActivationCompleteIsLast(t *testing.T) {
	all, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range all {
		done := withMilestone(tp, MilestoneActivationComplete)
		if len(done) != 1 {
			t.Errorf("%s: %d activation_complete milestones, want 1", tp.Key, len(done))
			continue
		}
		before := ancestors(tp, done[0].Key)
		for _, pt := range tp.Tasks() {
			if k := pt.Task.Key; k != done[0].Key && !before[k] {
				t.Errorf("%s: %s does not wait for %s", tp.Key, done[0].Key, k)
			}
		}
		order := tp.Order()
		if len(order) != len(tp.Tasks()) {
			t.Errorf("%s: Order() has %d tasks, want %d", tp.Key, len(order), len(tp.Tasks()))
		}
		placed := map[string]bool{}
		for _, pt := range order {
			if placed[pt.Task.Key] {
				t.Errorf("%s: Order() repeats %s", tp.Key, pt.Task.Key)
			}
			for _, a := range pt.Task.After {
				if !placed[a] {
					t.Errorf("%s: Order() puts %s before %s, which it waits for", tp.Key, pt.Task.Key, a)
				}
			}
			placed[pt.Task.Key] = true
		}
		if last := order[len(order)-1].Task; last.Key != done[0].Key {
			t.Errorf("%s: Order() ends with %s, want %s", tp.Key, last.Key, done[0].Key)
		}
	}
}
