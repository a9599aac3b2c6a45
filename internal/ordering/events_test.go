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
		if got := wants(tt.query, EventOrderStateChange); got != tt.want {
			t.Errorf("wants(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}
