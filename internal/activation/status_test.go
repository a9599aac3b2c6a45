package activation

import "testing"

func TestTaskTransitions(t *testing.T) {
	// Every pair of statuses, row by row: the table below is the whole
	// state machine of C3, allowed moves marked true.
	allowed := map[[2]string]bool{
		{TaskPending, TaskReady}:         true,
		{TaskPending, TaskBlocked}:       true,
		{TaskPending, TaskNotApplicable}: true,
		{TaskReady, TaskInProgress}:      true,
		{TaskReady, TaskDone}:            true,
		{TaskReady, TaskBlocked}:         true,
		{TaskReady, TaskNotApplicable}:   true,
		{TaskReady, TaskPending}:         true,
		{TaskInProgress, TaskDone}:       true,
		{TaskInProgress, TaskBlocked}:    true,
		{TaskBlocked, TaskPending}:       true,
		{TaskBlocked, TaskReady}:         true,
		{TaskBlocked, TaskInProgress}:    true,
		{TaskBlocked, TaskNotApplicable}: true,
		{TaskNotApplicable, TaskPending}: true,
	}
	for _, from := range TaskStatuses {
		for _, to := range TaskStatuses {
			if got := CanTransition(from, to); got != allowed[[2]string{from, to}] {
				t.Errorf("CanTransition(%s, %s) = %v, want %v", from, to, got, !got)
			}
		}
	}
}

func TestOptionsRoundTrip(t *testing.T) {
	in := Options{"porting": true, "lync": false}
	v, err := in.Value()
	if err != nil {
		t.Fatal(err)
	}
	var out Options
	if err := out.Scan(v); err != nil || len(out) != 2 || !out["porting"] || out["lync"] {
		t.Errorf("Scan(Value(%v)) = %v, %v", in, out, err)
	}
}
