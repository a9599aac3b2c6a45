package numbering

import "slices"

// Events that move a number; catalogue keys numbering.event.<event>.
const (
	EventReserve    = "reserve"   // hold an available number for someone
	EventUnreserve  = "unreserve" // give a reserved number back
	EventAssign     = "assign"    // ring a user, resource account or device
	EventUnassign   = "unassign"  // stop ringing it; the number stays the customer's
	EventMarkTest   = "mark_test" // use an available number as a test or temporary one
	EventRelease    = "release"   // give the number up
	EventPortIn     = "port_in"   // a port order brings the number in (set by porting)
	EventPortDone   = "port_done" // the port completed (set by porting)
	EventPortFailed = "port_fail" // the carrier rejected the number or the order was cancelled (set by porting)
)

// transitions says, per event, which states a number may be in and the
// state it moves to. Assigning a number porting in keeps it porting in:
// it rings its assignee from the port date. A test or temporary number
// stays one while it rings someone (Teams onboarding assigns the test
// number to a licensed user), so the customer can still release it.
// Reassigning an assigned or ported number keeps its state.
var transitions = map[string]struct {
	from []string
	to   string // empty: the state does not change
}{
	EventReserve:    {from: []string{StateAvailable}, to: StateReserved},
	EventUnreserve:  {from: []string{StateReserved}, to: StateAvailable},
	EventAssign:     {from: []string{StateAvailable, StateReserved, StateTest, StateAssigned, StatePortingIn, StatePorted}},
	EventUnassign:   {from: []string{StateAssigned, StatePorted, StatePortingIn, StateTest}},
	EventMarkTest:   {from: []string{StateAvailable}, to: StateTest},
	EventRelease:    {from: []string{StateAvailable, StateTest, StateReserved}, to: StateReleased},
	EventPortIn:     {from: []string{""}, to: StatePortingIn},
	EventPortDone:   {from: []string{StatePortingIn}, to: StatePorted},
	EventPortFailed: {from: []string{StatePortingIn}, to: StateReleased},
}

// Next returns the state an event moves a number in state from to, or ok
// false when the event is not allowed there.
func Next(from, event string) (to string, ok bool) {
	t, known := transitions[event]
	if !known || !slices.Contains(t.from, from) {
		return "", false
	}
	if t.to != "" {
		return t.to, true
	}
	switch {
	case event == EventAssign && (from == StateAvailable || from == StateReserved):
		return StateAssigned, true
	case event == EventUnassign && (from == StateAssigned || from == StatePorted):
		return StateAvailable, true
	}
	return from, true
}
