package inventory_test

import (
	"testing"

	"github.com/enlace-portal/enlace/internal/inventory"
)

// TestTransitions checks the service state machine row by row: every
// pair of statuses, allowed or not.
func TestTransitions(t *testing.T) {
	allowed := map[[2]string]bool{
		{inventory.StatusActivating, inventory.StatusActive}:  true,
		{inventory.StatusActivating, inventory.StatusRetired}: true,
		{inventory.StatusActive, inventory.StatusSuspended}:   true,
		{inventory.StatusActive, inventory.StatusRetired}:     true,
		{inventory.StatusSuspended, inventory.StatusActive}:   true,
		{inventory.StatusSuspended, inventory.StatusRetired}:  true,
	}
	for _, from := range inventory.Statuses {
		for _, to := range append(inventory.Statuses, "unknown") {
			t.Run(from+"->"+to, func(t *testing.T) {
				if got, want := inventory.CanTransition(from, to), allowed[[2]string{from, to}]; got != want {
					t.Errorf("CanTransition(%q, %q) = %v, want %v", from, to, got, want)
				}
			})
		}
	}
	if got := inventory.NextStatuses(inventory.StatusRetired); len(got) != 0 {
		t.Errorf("NextStatuses(retired) = %v, want none", got)
	}
}

func TestParseStateAndCategory(t *testing.T) {
	for in, want := range map[string]string{"NLE": "NLE", "nuevo leon": "NLE", " Nuevo  León ": "NLE", "CDMX": "CMX",
		"Ciudad de México": "CMX", "querétaro": "QUE", "yucatan": "YUC", "Estado de México": "MEX"} {
		if got, ok := inventory.ParseState(in); !ok || got != want {
			t.Errorf("ParseState(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := inventory.ParseState("Texas"); ok {
		t.Error("ParseState(Texas) succeeded")
	}
	if len(inventory.States) != 32 {
		t.Errorf("%d states, want 32", len(inventory.States))
	}
	for in, want := range map[string]string{"Colaboración": "collaboration", "TI": "it", "movilidad": "mobility",
		"Ciberseguridad": "cybersecurity", "Telco": "telco", "Conectividad": "connectivity"} {
		if got, ok := inventory.ParseCategory(in); !ok || got != want {
			t.Errorf("ParseCategory(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
