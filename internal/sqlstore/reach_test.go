package sqlstore

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/reach"
)

// reachProject stores an active project of a customer of the desk (A or
// B) and returns its id.
func (d *desk) reachProject(t *testing.T, customerID string) string {
	t.Helper()
	ctx := context.Background()
	v := &activation.RunbookVersion{Key: "migration", Version: 1, Source: "key: migration", CreatedBy: d.agent.ID}
	if err := d.s.AddRunbookVersion(ctx, v); err != nil && enlace.ErrorCode(err) != enlace.ECONFLICT {
		t.Fatal(err)
	}
	account, site := d.aAcc[0], d.aSites[0].ID
	if customerID == d.b {
		account, site = d.bAcc, d.bSite.ID
	}
	now := d.clock.Now()
	p := &activation.Project{ID: enlace.NewID(), Folio: "PRJ-" + enlace.NewID(), CustomerID: customerID,
		BillingAccountID: account, SiteID: site, TemplateKey: v.Key, TemplateVersion: v.Version, Title: "Migración",
		Status: activation.ProjectActive, StartAt: now, PlannedEnd: now.AddDate(0, 1, 0), AnnouncedEnd: now.AddDate(0, 1, 0),
		CreatedBy: d.agent.ID}
	mustDo(t, d.s.CreateProject(ctx, p, nil))
	return p.ID
}

// reachLine returns a new person of a project with their old number.
func reachLine(customerID, projectID, person, old string) reach.Line {
	return reach.Line{ID: enlace.NewID(), CustomerID: customerID, ProjectID: projectID, Person: person, OldE164: old, Version: 1}
}

// reachTrunk returns a new trunk of a project.
func reachTrunk(customerID, projectID, name string) reach.Trunk {
	return reach.Trunk{ID: enlace.NewID(), CustomerID: customerID, ProjectID: projectID, Name: name, Ref: "sip:" + name, Version: 1}
}

// persons lists the lines' people in order.
func persons(ls []reach.Line) []string {
	out := make([]string, len(ls))
	for i := range ls {
		out[i] = ls[i].Person
	}
	return out
}

// queued counts the jobs of a kind.
func (d *desk) queued(t *testing.T, kind string) int {
	t.Helper()
	var n int
	mustDo(t, d.s.db.GetContext(context.Background(), &n, `SELECT COUNT(*) FROM jobs WHERE kind = $1`, kind))
	return n
}

// TestReachLists: lines and trunks read back as stored with the
// provisional number, the trunk and the old number joined; lines keep
// their order per project; trunks count their people.
func TestReachLists(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	prj := d.reachProject(t, d.a)
	ns := []numbering.Number{number(d.a, "+528112345001"), number(d.a, "+528112340001"), number(d.a, "+528112340003"),
		number(d.b, "+528112340004")}
	ns[0].State, ns[0].AssigneeKind, ns[0].AssigneeName = numbering.StateTest, numbering.AssigneeUser, "Ana"
	ns[1].State, ns[1].PortOrderID = numbering.StatePortingIn, "po1"
	// The customer's old number released once is not the one it has now;
	// another customer's is not the customer's.
	ns[2].State = numbering.StateReleased
	mustDo(t, d.s.CreateNumbers(ctx, ns))

	mty, gdl := reachTrunk(d.a, prj, "SIP Monterrey"), reachTrunk(d.a, prj, "SIP Guadalajara")
	clip := d.clock.Now().Add(-time.Hour)
	lines := []reach.Line{
		reachLine(d.a, prj, "Ana", "+528112340001"), reachLine(d.a, prj, "Bruno", "+528112340002"),
		reachLine(d.a, prj, "Carla", "+528112340003"), reachLine(d.a, prj, "Dora", "+528112340004"),
	}
	lines[0].Ref, lines[0].TemporaryNumberID, lines[0].TrunkID = "ana@a.example", ns[0].ID, mty.ID
	lines[0].ClipAt, lines[0].ClipBy, lines[0].ForwardingAt, lines[0].ForwardingBy = &clip, "Agente", &clip, "Ana"
	lines[1].TrunkID = mty.ID
	lines[2].TrunkID = gdl.ID
	created := d.clock.Now()
	mustDo(t, d.s.SaveReach(ctx, reach.Change{NewTrunks: []reach.Trunk{mty, gdl}, NewLines: lines},
		jobs.New("test.reach", nil, time.Time{})))
	for i, l := range lines {
		if l.Seq != i+1 || l.Version != 1 || !l.CreatedAt.Equal(created) || !l.UpdatedAt.Equal(created) {
			t.Errorf("new line %d = seq %d v%d at %v/%v, want seq %d v1 at %v", i, l.Seq, l.Version, l.CreatedAt, l.UpdatedAt, i+1, created)
		}
	}
	if d.queued(t, "test.reach") != 1 {
		t.Errorf("jobs of the change = %d, want 1", d.queued(t, "test.reach"))
	}

	want := slices.Clone(lines)
	want[0].TemporaryE164, want[0].TemporaryState, want[0].TrunkName = "+528112345001", numbering.StateTest, "SIP Monterrey"
	want[0].OldState, want[0].OldPortOrderID = numbering.StatePortingIn, "po1"
	want[1].TrunkName, want[2].TrunkName = "SIP Monterrey", "SIP Guadalajara"
	got, err := d.s.ReachLines(ctx, prj)
	if diff := cmp.Diff(want, got); err != nil || diff != "" {
		t.Errorf("ReachLines = %v (-stored +read):\n%s", err, diff)
	}

	// More people go after the last, whatever the other projects hold.
	other := d.reachProject(t, d.a)
	elsewhere := []reach.Line{reachLine(d.a, other, "Eva", "+528112340001")}
	mustDo(t, d.s.SaveReach(ctx, reach.Change{NewLines: elsewhere}))
	more := []reach.Line{reachLine(d.a, prj, "Fito", "+528112340005"), reachLine(d.a, prj, "Gala", "+528112340006")}
	mustDo(t, d.s.SaveReach(ctx, reach.Change{NewLines: more}))
	if elsewhere[0].Seq != 1 || more[0].Seq != 5 || more[1].Seq != 6 {
		t.Errorf("places of the lines added = %d in the other project, %d, %d; want 1, 5, 6", elsewhere[0].Seq, more[0].Seq, more[1].Seq)
	}
	if got, err := d.s.ReachLines(ctx, prj); err != nil || !slices.Equal(persons(got), []string{"Ana", "Bruno", "Carla", "Dora", "Fito", "Gala"}) {
		t.Errorf("ReachLines after adding = %v, %v; want the people in the order entered", persons(got), err)
	}

	wantTrunks := []reach.Trunk{gdl, mty}
	wantTrunks[0].CreatedAt, wantTrunks[0].UpdatedAt, wantTrunks[0].Lines = created, created, 1
	wantTrunks[1].CreatedAt, wantTrunks[1].UpdatedAt, wantTrunks[1].Lines, wantTrunks[1].Presented = created, created, 2, 1
	trunks, err := d.s.ReachTrunks(ctx, prj)
	if diff := cmp.Diff(wantTrunks, trunks); err != nil || diff != "" {
		t.Errorf("ReachTrunks = %v (-stored +read):\n%s", err, diff)
	}
	if got, err := d.s.ReachLines(ctx, enlace.NewID()); err != nil || got == nil || len(got) != 0 {
		t.Errorf("ReachLines(unknown project) = %v, %v; want an empty list", got, err)
	}
}

// TestSaveReach: a change updates and removes lines and trunks by version
// with the numbers it saves; a stale line or trunk refuses the whole
// change, numbers and effects included.
func TestSaveReach(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	prj := d.reachProject(t, d.a)
	ns := []numbering.Number{number(d.a, "+528112345001")}
	ns[0].State = numbering.StateTest
	mustDo(t, d.s.CreateNumbers(ctx, ns))
	mty, gdl := reachTrunk(d.a, prj, "SIP Monterrey"), reachTrunk(d.a, prj, "SIP Guadalajara")
	lines := []reach.Line{reachLine(d.a, prj, "Ana", "+528112340001"), reachLine(d.a, prj, "Bruno", "+528112340002")}
	mustDo(t, d.s.SaveReach(ctx, reach.Change{NewTrunks: []reach.Trunk{mty, gdl}, NewLines: lines}))
	read := lines[0]
	readTrunk := mty

	d.clock.Advance(time.Hour)
	saved := d.clock.Now()
	lines[0].TemporaryNumberID, lines[0].TrunkID = ns[0].ID, mty.ID
	ns[0].AssigneeKind, ns[0].AssigneeName = numbering.AssigneeUser, "Ana"
	mty.Name = "SIP Monterrey 2"
	c := reach.Change{Lines: lines[:1], Trunks: []reach.Trunk{mty}, RemovedTrunks: []reach.Trunk{gdl},
		RemovedLines: lines[1:], Numbers: ns}
	mustDo(t, d.s.SaveReach(ctx, c, jobs.New("test.saved", nil, time.Time{})))
	if lines[0].Version != 2 || !lines[0].UpdatedAt.Equal(saved) || c.Trunks[0].Version != 2 || !c.Trunks[0].UpdatedAt.Equal(saved) ||
		ns[0].Version != 2 {
		t.Errorf("versions after the save = line %d at %v, trunk %d at %v, number %d; want 2 at %v, 2, 2",
			lines[0].Version, lines[0].UpdatedAt, c.Trunks[0].Version, c.Trunks[0].UpdatedAt, ns[0].Version, saved)
	}
	got, err := d.s.ReachLines(ctx, prj)
	if err != nil || len(got) != 1 || got[0].Version != 2 || got[0].TrunkName != "SIP Monterrey 2" ||
		got[0].TemporaryE164 != "+528112345001" || !got[0].UpdatedAt.Equal(saved) || !got[0].CreatedAt.Equal(read.CreatedAt) {
		t.Errorf("ReachLines after the save = %+v, %v; want Ana v2 on the renamed trunk with her provisional number", got, err)
	}
	if trunks, err := d.s.ReachTrunks(ctx, prj); err != nil || len(trunks) != 1 || trunks[0].Version != 2 || trunks[0].Lines != 1 {
		t.Errorf("ReachTrunks after the save = %+v, %v; want the renamed trunk v2 with one person", trunks, err)
	}
	if n, err := d.s.NumberByID(ctx, ns[0].ID); err != nil || n.Version != 2 || n.AssigneeName != "Ana" {
		t.Errorf("number after the save = %+v, %v; want v2 assigned to Ana", n, err)
	}

	// Each stale row refuses the change it is in: nothing of it is
	// written, the number saved with it keeps its version and the job is
	// not queued.
	d.clock.Advance(time.Hour)
	ns[0].AssigneeName = "Ana López"
	staleTrunk := readTrunk
	staleTrunk.Name = "SIP Norte"
	for _, tt := range []struct {
		name string
		c    reach.Change
	}{
		{"line updated", reach.Change{Lines: []reach.Line{read}}},
		{"line removed", reach.Change{RemovedLines: []reach.Line{read}}},
		{"line already removed", reach.Change{RemovedLines: lines[1:]}},
		{"trunk updated", reach.Change{Trunks: []reach.Trunk{staleTrunk}}},
		{"trunk removed", reach.Change{RemovedTrunks: []reach.Trunk{readTrunk}}},
	} {
		c := tt.c
		c.NewLines = []reach.Line{reachLine(d.a, prj, "Carla", "+528112340003")}
		c.Numbers = slices.Clone(ns)
		wantConflict(t, "SaveReach(stale "+tt.name+")", d.s.SaveReach(ctx, c, jobs.New("test.refused", nil, time.Time{})),
			"reach.error.changed", "")
		if c.Numbers[0].Version != 2 || c.NewLines[0].Seq != 0 {
			t.Errorf("%s: refused change's number v%d, new line at %d; want v2 and no place", tt.name, c.Numbers[0].Version, c.NewLines[0].Seq)
		}
	}
	if n, err := d.s.NumberByID(ctx, ns[0].ID); err != nil || n.Version != 2 || n.AssigneeName != "Ana" {
		t.Errorf("number after the refused changes = %+v, %v; want v2 assigned to Ana", n, err)
	}
	if got, err := d.s.ReachLines(ctx, prj); err != nil || !slices.Equal(persons(got), []string{"Ana"}) || got[0].Version != 2 {
		t.Errorf("ReachLines after the refused changes = %v, %v; want Ana v2 alone", persons(got), err)
	}
	if trunks, err := d.s.ReachTrunks(ctx, prj); err != nil || len(trunks) != 1 || trunks[0].Name != "SIP Monterrey 2" {
		t.Errorf("ReachTrunks after the refused changes = %+v, %v; want the renamed trunk", trunks, err)
	}
	if n := d.queued(t, "test.refused"); n != 0 {
		t.Errorf("jobs of the refused changes = %d, want none", n)
	}
	if n := d.queued(t, "test.saved"); n != 1 {
		t.Errorf("jobs of the saved change = %d, want 1", n)
	}

	// A stale number refuses the change too, with numbering's message.
	stale := ns[0]
	stale.Version = 1
	wantConflict(t, "SaveReach(stale number)", d.s.SaveReach(ctx, reach.Change{Lines: lines[:1], Numbers: []numbering.Number{stale}}),
		"numbering.error.changed", "+528112345001")
	if got, _ := d.s.ReachLines(ctx, prj); got[0].Version != 2 {
		t.Errorf("line after the change with a stale number = v%d, want v2", got[0].Version)
	}
}

// TestReachUnique: an old number is on a project's list once, a trunk
// name is the project's once and a number stands in for one person; a
// change breaking one is refused naming it, writing nothing. Tenancy is
// the service's: the store keeps only these keys.
func TestReachUnique(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	prj, other := d.reachProject(t, d.a), d.reachProject(t, d.a)
	ns := []numbering.Number{number(d.a, "+528112345001"), number(d.a, "+528112345002")}
	mustDo(t, d.s.CreateNumbers(ctx, ns))
	mty := reachTrunk(d.a, prj, "SIP Monterrey")
	lines := []reach.Line{reachLine(d.a, prj, "Ana", "+528112340001"), reachLine(d.a, prj, "Bruno", "+528112340002")}
	lines[0].TemporaryNumberID, lines[0].TemporaryE164 = ns[0].ID, ns[0].E164
	mustDo(t, d.s.SaveReach(ctx, reach.Change{NewTrunks: []reach.Trunk{mty}, NewLines: lines}))

	// The same old number, trunk name and even provisional number are
	// free in another project, as long as the first is gone.
	mustDo(t, d.s.SaveReach(ctx, reach.Change{NewLines: []reach.Line{reachLine(d.a, other, "Ana", "+528112340001")},
		NewTrunks: []reach.Trunk{reachTrunk(d.a, other, "SIP Monterrey")}}))
	// Removing a person frees their old number for the same change.
	again := reachLine(d.a, prj, "Bruno Díaz", "+528112340002")
	mustDo(t, d.s.SaveReach(ctx, reach.Change{RemovedLines: lines[1:], NewLines: []reach.Line{again}}))

	moved := again
	moved.OldE164 = "+528112340001"
	renamed := reachTrunk(d.a, prj, "SIP Norte")
	given := reachLine(d.a, other, "Carla", "+528112340003")
	given.TemporaryNumberID = ns[0].ID
	givenTwice := []reach.Line{reachLine(d.a, other, "Dora", "+528112340004"), reachLine(d.a, other, "Eva", "+528112340005")}
	givenTwice[0].TemporaryNumberID, givenTwice[1].TemporaryNumberID = ns[1].ID, ns[1].ID
	for _, tt := range []struct {
		name      string
		c         reach.Change
		key       string
		arg, want string
	}{
		{"old number on the list", reach.Change{NewLines: []reach.Line{reachLine(d.a, prj, "Fito", "+528112340001")}},
			"reach.error.duplicate", "Number", numbering.Format("+528112340001")},
		{"old number twice in the change", reach.Change{NewLines: []reach.Line{reachLine(d.a, prj, "Fito", "+528112340009"),
			reachLine(d.a, prj, "Gala", "+528112340009")}}, "reach.error.duplicate", "Number", numbering.Format("+528112340009")},
		{"old number changed to another's", reach.Change{Lines: []reach.Line{moved}},
			"reach.error.duplicate", "Number", numbering.Format("+528112340001")},
		{"trunk name", reach.Change{NewTrunks: []reach.Trunk{reachTrunk(d.a, prj, "SIP Monterrey")}},
			"reach.error.trunk_taken", "Name", "SIP Monterrey"},
		{"trunk renamed to another's", reach.Change{NewTrunks: []reach.Trunk{renamed}, Trunks: []reach.Trunk{{ID: mty.ID,
			ProjectID: prj, Name: "SIP Norte", Version: 1}}}, "reach.error.trunk_taken", "Name", "SIP Norte"},
		{"provisional number of someone in another project", reach.Change{NewLines: []reach.Line{given}},
			"reach.error.temporary_taken", "Number", numbering.Format("+528112345001")},
		{"provisional number twice in the change", reach.Change{NewLines: givenTwice},
			"reach.error.temporary_taken", "Number", numbering.Format("+528112345002")},
	} {
		c := tt.c
		c.NewTrunks = append(c.NewTrunks, reachTrunk(d.a, prj, "SIP "+tt.name))
		err := d.s.SaveReach(ctx, c, jobs.New("test.refused", nil, time.Time{}))
		if e := enlace.AsError(err); e.Code != enlace.ECONFLICT || e.Message != tt.key || e.Args[tt.arg] != tt.want {
			t.Errorf("SaveReach(%s) = %v (args %v), want conflict %s with %s %q", tt.name, err, e.Args, tt.key, tt.arg, tt.want)
		}
	}
	if got, err := d.s.ReachLines(ctx, prj); err != nil || !slices.Equal(persons(got), []string{"Ana", "Bruno Díaz"}) ||
		got[1].OldE164 != "+528112340002" || got[1].Seq != 2 {
		t.Errorf("ReachLines after the refused changes = %+v, %v; want Ana and Bruno Díaz (second, after the last) as saved", got, err)
	}
	if got, err := d.s.ReachLines(ctx, other); err != nil || !slices.Equal(persons(got), []string{"Ana"}) {
		t.Errorf("ReachLines(other project) after the refused changes = %v, %v; want Ana alone", persons(got), err)
	}
	if trunks, err := d.s.ReachTrunks(ctx, prj); err != nil || len(trunks) != 1 || trunks[0].Name != "SIP Monterrey" || trunks[0].Version != 1 {
		t.Errorf("ReachTrunks after the refused changes = %+v, %v; want SIP Monterrey v1 alone", trunks, err)
	}
	if n := d.queued(t, "test.refused"); n != 0 {
		t.Errorf("jobs of the refused changes = %d, want none", n)
	}

	// Once the person is off the list, their provisional number is free.
	mustDo(t, d.s.SaveReach(ctx, reach.Change{RemovedLines: lines[:1], NewLines: []reach.Line{given}}))
	if got, err := d.s.ReachLines(ctx, other); err != nil || len(got) != 2 || got[1].TemporaryE164 != "+528112345001" {
		t.Errorf("ReachLines(other project) = %+v, %v; want Carla with the number Ana had", got, err)
	}
}
