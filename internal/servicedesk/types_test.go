package servicedesk

import (
	"strings"
	"testing"
	"time"
)

func TestShippedCatalog(t *testing.T) {
	c := Shipped()
	// The eight procedures of the manual (seed 002), creation and deletion
	// of an e-mail account counted as one.
	procedures := map[string][]string{
		"email_account_create":    {"Obtener datos", "Cargo o área", "Verificación y autenticación", "Creación de la cuenta", "Entrega de cuenta y contraseña"},
		"email_account_delete":    {"Motivo de eliminación", "Notificación al área correspondiente y al usuario", "Baja"},
		"email_failure":           {"Recepción de reporte", "Verificación de usuario y contraseña", "Verificación de conexión", "servidor de correo", "Entrega de solución"},
		"internet_failure":        {"Recepción de reporte de falla", "Verificación física", "Verificación lógica", "Detección de la falla", "Solución del problema"},
		"ftp_failure":             {"Recepción", "física", "lógica", "cuenta y password de cliente FTP", "Detección", "Solución"},
		"phone_failure":           {"Recepción", "física", "lógica", "Detección", "Solución"},
		"internet_new_connection": {"Analizar solicitud", "Verificación de requerimientos", "Enviar un memo", "Realizar la conexión"},
		"network_change":          {"dispositivos a modificar", "motivos de la modificación", "Reportar al área correspondiente", "Realizar la modificación"},
		"equipment_assessment":    {"Recepción de solicitud", "Gestión con proveedores", "Resolución al dictamen"},
	}
	for key, steps := range procedures {
		tp := c.Type(key)
		if tp == nil || !tp.Procedure {
			t.Errorf("Type(%q) = %v, want a procedure", key, tp)
			continue
		}
		if len(tp.Checklist) != len(steps) {
			t.Errorf("%s: %d steps, want %d", key, len(tp.Checklist), len(steps))
			continue
		}
		for i, want := range steps {
			if got := tp.Checklist[i].Label.In("es-MX"); !strings.Contains(got, want) {
				t.Errorf("%s step %d = %q, want it to say %q", key, i+1, got, want)
			}
		}
	}
	for _, category := range []string{"telco", "collaboration", "connectivity", "it", "cybersecurity"} {
		if len(c.TypesOf(KindTechnical, category)) == 0 {
			t.Errorf("no technical type in %s", category)
		}
	}
	if len(c.TypesOf(KindMobility, "")) != 1 {
		t.Errorf("want one mobility form")
	}
	for _, tp := range c.TypesOf(KindAdministrative, "") {
		if tp.Key != "contract_copy" && len(tp.Attachments) == 0 {
			t.Errorf("administrative %s names no attachment", tp.Key)
		}
	}
}

func TestTargets(t *testing.T) {
	c := Shipped()
	day := 9 * time.Hour
	tests := []struct {
		category, priority   string
		response, resolution time.Duration
	}{
		{"connectivity", PriorityCritical, 30 * time.Minute, 4 * time.Hour},
		{"connectivity", PriorityMedium, 4 * time.Hour, 3 * day},
		{"cybersecurity", PriorityCritical, 15 * time.Minute, 2 * time.Hour},
		{"cybersecurity", PriorityLow, day, 5 * day},
		{"administrative", PriorityMedium, day, 5 * day},
	}
	for _, tt := range tests {
		got := c.Target(tt.category, tt.priority)
		if got.Response.Work(day) != tt.response || got.Resolution.Work(day) != tt.resolution {
			t.Errorf("Target(%s, %s) = %v/%v, want %v/%v", tt.category, tt.priority, got.Response, got.Resolution, tt.response, tt.resolution)
		}
	}
}

func TestParseCatalogRefuses(t *testing.T) {
	tests := map[string]string{
		"unknown field": "queues: []\nsla: {warn: 0.8}\ntypes: []\nextra: 1\n",
		"bad span":      "sla: {warn: 0.8, close_after: 3x}\n",
		"no targets":    "sla: {warn: 0.8}\n",
	}
	for name, src := range tests {
		if _, err := ParseCatalog([]byte(src)); err == nil {
			t.Errorf("%s: ParseCatalog = nil error, want one", name)
		}
	}
}

func TestTransitions(t *testing.T) {
	allowed := map[[2]string]bool{}
	for _, p := range [][2]string{
		{PhaseNew, PhaseAssigned}, {PhaseNew, PhaseInProgress}, {PhaseNew, PhaseCancelled},
		{PhaseAssigned, PhaseNew}, {PhaseAssigned, PhaseInProgress}, {PhaseAssigned, PhaseWaitingCustomer},
		{PhaseAssigned, PhaseResolved}, {PhaseAssigned, PhaseCancelled},
		{PhaseInProgress, PhaseAssigned}, {PhaseInProgress, PhaseWaitingCustomer}, {PhaseInProgress, PhaseResolved},
		{PhaseInProgress, PhaseCancelled},
		{PhaseWaitingCustomer, PhaseInProgress}, {PhaseWaitingCustomer, PhaseResolved}, {PhaseWaitingCustomer, PhaseCancelled},
		{PhaseResolved, PhaseClosed}, {PhaseResolved, PhaseInProgress},
	} {
		allowed[p] = true
	}
	for _, from := range Phases {
		for _, to := range Phases {
			if got := CanTransition(from, to); got != allowed[[2]string{from, to}] {
				t.Errorf("CanTransition(%s, %s) = %v, want %v", from, to, got, !got)
			}
		}
	}
}

func TestTMFStatusOneToOne(t *testing.T) {
	seen := map[string]string{}
	for _, p := range Phases {
		s := TMFStatus(p)
		if s == "" || seen[s] != "" {
			t.Errorf("TMFStatus(%s) = %q, taken by %q", p, s, seen[s])
		}
		seen[s] = p
		if back, ok := PhaseOfTMF(s); !ok || back != p {
			t.Errorf("PhaseOfTMF(%s) = %s, %v, want %s", s, back, ok, p)
		}
	}
	if _, ok := PhaseOfTMF("rejected"); ok {
		t.Errorf("PhaseOfTMF(rejected) found a phase")
	}
}
