package ordering

import "testing"

// TestWants reads the eventType condition of hub queries.
func TestWants(t *testing.T) {
	for _, tt := range []struct {
		query string
		want  bool
	}{
		{"", true},
		{"eventType=ProductOrderStateChangeEvent", true},
		{"?eventType=productOrderStateChangeEvent", true},
		{"eventType=ProductOrderCreateEvent,ProductOrderStateChangeEvent", true},
		{"eventType=ProductOrderCreateEvent", false},
		{"state=completed", true},
		{"state=completed&eventType=ProductOrderCreateEvent", false},
	} {
		if got := Wants(tt.query, EventOrderStateChange); got != tt.want {
			t.Errorf("Wants(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}
