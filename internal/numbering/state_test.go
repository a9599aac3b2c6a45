package numbering

import (
	"fmt"
	"testing"
)

// TestTransitions checks the transition table row by row: every event
// from every state, the state it leads to, or its refusal.
func TestTransitions(t *testing.T) {
	const no = "-" // refused
	want := map[string]map[string]string{
		// event:        available      test        reserved       assigned       porting_in      ported        released
		EventReserve:    {StateAvailable: StateReserved},
		EventUnreserve:  {StateReserved: StateAvailable},
		EventAssign:     {StateAvailable: StateAssigned, StateTest: StateTest, StateReserved: StateAssigned, StateAssigned: StateAssigned, StatePortingIn: StatePortingIn, StatePorted: StatePorted},
		EventUnassign:   {StateTest: StateTest, StateAssigned: StateAvailable, StatePortingIn: StatePortingIn, StatePorted: StateAvailable},
		EventMarkTest:   {StateAvailable: StateTest},
		EventRelease:    {StateAvailable: StateReleased, StateTest: StateReleased, StateReserved: StateReleased},
		EventPortIn:     {"": StatePortingIn},
		EventPortDone:   {StatePortingIn: StatePorted},
		EventPortFailed: {StatePortingIn: StateReleased},
	}
	events := []string{EventReserve, EventUnreserve, EventAssign, EventUnassign, EventMarkTest, EventRelease, EventPortIn, EventPortDone, EventPortFailed}
	for _, ev := range events {
		for _, from := range append([]string{""}, States...) {
			t.Run(fmt.Sprintf("%s from %q", ev, from), func(t *testing.T) {
				expected, ok := want[ev][from]
				if !ok {
					expected = no
				}
				got, allowed := Next(from, ev)
				if !allowed {
					got = no
				}
				if got != expected {
					t.Errorf("Next(%q, %s) = %s, want %s", from, ev, got, expected)
				}
			})
		}
	}
	if _, ok := Next(StateAvailable, "paint"); ok {
		t.Error("an unknown event was allowed")
	}
}

// TestParse reads numbers as people write them in the countries Enlace
// serves first.
func TestParse(t *testing.T) {
	for _, tt := range []struct{ in, e164, region string }{
		{"55 1234 5678", "+525512345678", "MX"},
		{"+52 1 81 8123 4000", "+528181234000", "MX"},
		{"0052 (33) 3615-0100", "+523336150100", "MX"},
		{"+49 30 12345678", "+493012345678", "DE"},
		{"0049 89 1234567", "+49891234567", "DE"},
		{"+34 912 345 678", "+34912345678", "ES"},
		{"+1 (212) 555-0147", "+12125550147", "US"},
	} {
		e164, region, ok := Parse(tt.in)
		if !ok || e164 != tt.e164 || region != tt.region {
			t.Errorf("Parse(%q) = %q, %q, %v; want %q, %q", tt.in, e164, region, ok, tt.e164, tt.region)
		}
	}
	for _, bad := range []string{"", "12", "55 1234 567a", "+52 55 1234", "+999 1234 5678"} {
		if _, _, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) accepted it", bad)
		}
	}
	if got := Format("+528181234000"); got != "+52 81 8123 4000" {
		t.Errorf("Format = %q", got)
	}
}

// TestExpand reads ranges: same country and length, in order, bounded.
func TestExpand(t *testing.T) {
	ns, region, fields := expand("+52 81 8123 4000", "+52 81 8123 4009")
	if len(fields) > 0 || len(ns) != 10 || ns[9] != "+528181234009" || region != "MX" {
		t.Fatalf("expand = %v %s %v", ns, region, fields)
	}
	for _, tt := range []struct{ from, to, field, key string }{
		{"x", "", "from", "numbering.error.number"},
		{"+52 81 8123 4000", "+52 81 8123 3999", "to", "numbering.error.range"},
		{"+52 81 8123 4000", "+49 30 12345678", "to", "numbering.error.range"},
		{"+52 81 8120 0000", "+52 81 8129 9999", "to", "numbering.error.range_size"},
	} {
		_, _, fields := expand(tt.from, tt.to)
		if len(fields) != 1 || fields[0].Field != tt.field || fields[0].Message != tt.key {
			t.Errorf("expand(%q, %q) = %v, want %s on %s", tt.from, tt.to, fields, tt.key, tt.field)
		}
	}
}
