package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/porting"
)

// portOrder returns a new draft port order of a customer, signed for by
// the desk's customer user.
func (d *desk) portOrder(customerID string) *porting.Order {
	return &porting.Order{CustomerID: customerID, State: porting.StateDraft, SignerUserID: d.uploader,
		RequestedDate: time.Date(2026, 4, 6, 6, 0, 0, 0, time.UTC), AccountName: "Cliente A SA de CV",
		ServiceAddress: "Av. 1, Monterrey", CreatedBy: d.agent.ID}
}

// lines returns pending lines of the numbers given.
func lines(e164s ...string) []porting.Line {
	out := make([]porting.Line, len(e164s))
	for i, e := range e164s {
		out[i] = porting.Line{E164: e, Carrier: "Telmex", AccountNumber: "T-1", Status: porting.LinePending}
	}
	return out
}

// lineNumbers lists the lines' numbers in order.
func lineNumbers(ls []porting.Line) []string {
	out := make([]string, len(ls))
	for i := range ls {
		out[i] = ls[i].E164
	}
	return out
}

// TestPortOrders: orders read back with their names and number count,
// under folios of the year, and are found by every filter.
func TestPortOrders(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	first := d.portOrder(d.a)
	first.ID, first.ProjectID = enlace.NewID(), "prj1"
	entered := lines("+525512340002", "+525512340001")
	portIn := []numbering.Number{number(d.a, "+525512340002"), number(d.a, "+525512340001")}
	for i := range portIn {
		portIn[i].ID, portIn[i].State, portIn[i].PortOrderID = enlace.NewID(), numbering.StatePortingIn, first.ID
		entered[i].NumberID = portIn[i].ID
	}
	mustDo(t, d.s.CreateOrder(ctx, porting.Change{Order: first, Lines: entered, NewNumbers: portIn}, jobs.New("test.created", nil, time.Time{})))
	if first.Folio != "PORT-2026-000001" || first.Version != 1 {
		t.Errorf("first order = %s v%d, want PORT-2026-000001 v1", first.Folio, first.Version)
	}
	held := d.portOrder(d.b)
	err := d.s.CreateOrder(ctx, porting.Change{Order: held, Lines: lines("+525512340001"),
		NewNumbers: []numbering.Number{number(d.b, "+525512340001")}})
	wantConflict(t, "CreateOrder(number held)", err, "numbering.error.held", "+525512340001")
	if _, err := d.s.OrderByID(ctx, held.ID); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("OrderByID(refused order) = %v, want not found", err)
	}
	want := *first
	want.CustomerName, want.SignerName, want.SignerEmail, want.NumberCount = "Cliente A", "Ana Uno", "ana@a.example", 2
	got, err := d.s.OrderByID(ctx, first.ID)
	if diff := cmp.Diff(&want, got); err != nil || diff != "" {
		t.Errorf("OrderByID = %v (-stored +read):\n%s", err, diff)
	}
	ls, err := d.s.OrderLines(ctx, first.ID)
	if err != nil || !slices.Equal(lineNumbers(ls), []string{"+525512340002", "+525512340001"}) || ls[1].Seq != 2 ||
		ls[0].OrderID != first.ID || ls[0].NumberState != numbering.StatePortingIn {
		t.Errorf("OrderLines = %+v, %v; want the numbers porting in, in the order entered", ls, err)
	}
	if _, total, _ := d.s.FindNumbers(ctx, numbering.Filter{PortOrderID: first.ID}); total != 2 {
		t.Errorf("numbers the order brings in = %d, want 2", total)
	}

	d.clock.Advance(time.Minute)
	second := d.portOrder(d.a)
	second.State = porting.StateCompleted
	mustDo(t, d.s.CreateOrder(ctx, porting.Change{Order: second}))
	d.clock.Advance(time.Minute)
	third := d.portOrder(d.b)
	mustDo(t, d.s.CreateOrder(ctx, porting.Change{Order: third, Lines: lines("+528112340001")}))
	d.clock.Advance(365 * 24 * time.Hour)
	next := d.portOrder(d.b)
	mustDo(t, d.s.CreateOrder(ctx, porting.Change{Order: next}))
	for _, tt := range []struct{ got, want string }{
		{second.Folio, "PORT-2026-000002"}, {third.Folio, "PORT-2026-000003"}, {next.Folio, "PORT-2027-000001"},
	} {
		if tt.got != tt.want {
			t.Errorf("folio = %s, want %s", tt.got, tt.want)
		}
	}

	for _, tt := range []struct {
		name  string
		f     porting.Filter
		want  []string
		total int
	}{
		{"every order, newest first", porting.Filter{}, []string{next.ID, third.ID, second.ID, first.ID}, 4},
		{"a page", porting.Filter{Offset: 1, Limit: 2}, []string{third.ID, second.ID}, 4},
		{"customer A", porting.Filter{CustomerID: d.a}, []string{second.ID, first.ID}, 2},
		{"a project", porting.Filter{ProjectID: "prj1"}, []string{first.ID}, 1},
		{"a state", porting.Filter{State: porting.StateCompleted}, []string{second.ID}, 1},
		{"open", porting.Filter{CustomerID: d.a, Open: true}, []string{first.ID}, 1},
		{"none", porting.Filter{CustomerID: d.b, ProjectID: "prj1"}, []string{}, 0},
	} {
		f := tt.f
		if f.Limit == 0 {
			f.Limit = 10
		}
		got, total, err := d.s.FindOrders(ctx, f)
		ids := []string{}
		for _, o := range got {
			ids = append(ids, o.ID)
		}
		if err != nil || !slices.Equal(ids, tt.want) || total != tt.total {
			t.Errorf("FindOrders(%s) = %v (total %d), %v; want %v (total %d)", tt.name, ids, total, err, tt.want, tt.total)
		}
	}
	if got, _, _ := d.s.FindOrders(ctx, porting.Filter{ProjectID: "prj1", Limit: 1}); got[0].NumberCount != 2 || got[0].CustomerName != "Cliente A" {
		t.Errorf("FindOrders row = %+v, want 2 numbers of Cliente A", got[0])
	}
}

// TestSaveOrder: a change writes the order, its signature, lines, new and
// saved numbers and event together; one that fails halfway writes none of
// it; a stale order and an event seen are refused.
func TestSaveOrder(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	o := d.portOrder(d.a)
	mustDo(t, d.s.CreateOrder(ctx, porting.Change{Order: o, Lines: lines("+525512340001", "+525512340002")}))
	test := []numbering.Number{number(d.a, "+525599990001")}
	test[0].State = numbering.StateTest
	mustDo(t, d.s.CreateNumbers(ctx, test))
	read := *o

	d.clock.Advance(time.Hour)
	signed := d.clock.Now()
	o.State = porting.StateSigned
	o.Signature = &porting.Signature{UserID: d.uploader, Name: "Ana Uno", Kind: porting.SignatureTyped, At: signed,
		IP: "203.0.113.7", UserAgent: "Firefox", DocumentSHA256: "abc"}
	accepted := lines("+525512340002", "+525512340003")
	accepted[0].Status = porting.LineAccepted
	fresh := []numbering.Number{number(d.a, "+525512340002")}
	fresh[0].State, fresh[0].PortOrderID = numbering.StatePortingIn, o.ID
	accepted[0].NumberID = enlace.NewID()
	fresh[0].ID = accepted[0].NumberID
	test[0].State = numbering.StateReleased
	ev := &porting.Event{ID: "ev-1", OrderID: o.ID, CarrierRef: "C-9", Kind: porting.EventAccepted,
		OccurredAt: signed.Add(-time.Minute), Payload: `{"id":"ev-1"}`}
	change := porting.Change{Order: o, Lines: accepted, NewNumbers: fresh, Numbers: test, Event: ev}
	mustDo(t, d.s.SaveOrder(ctx, change, jobs.New("test.saved", nil, time.Time{})))
	if o.Version != 2 || !o.UpdatedAt.Equal(signed) || test[0].Version != 2 || fresh[0].Version != 1 {
		t.Errorf("versions after the save = order %d at %v, saved number %d, new number %d; want 2 at %v, 2, 1",
			o.Version, o.UpdatedAt, test[0].Version, fresh[0].Version, signed)
	}
	got, err := d.s.OrderByID(ctx, o.ID)
	if err != nil || got.Version != 2 || got.State != porting.StateSigned || got.NumberCount != 3 {
		t.Errorf("OrderByID after the save = %+v, %v; want signed v2 with 3 numbers", got, err)
	} else if diff := cmp.Diff(o.Signature, got.Signature); diff != "" {
		t.Errorf("signature (-saved +read):\n%s", diff)
	}
	ls, err := d.s.OrderLines(ctx, o.ID)
	if err != nil || !slices.Equal(lineNumbers(ls), []string{"+525512340001", "+525512340002", "+525512340003"}) ||
		ls[1].Status != porting.LineAccepted || ls[1].NumberState != numbering.StatePortingIn || ls[2].Seq != 3 || ls[0].NumberState != "" {
		t.Errorf("OrderLines after the save = %+v, %v; want the accepted line joined with its number and a third line", ls, err)
	}
	if n, err := d.s.NumberByID(ctx, test[0].ID); err != nil || n.State != numbering.StateReleased {
		t.Errorf("saved number = %+v, %v; want released", n, err)
	}
	events, err := d.s.OrderEvents(ctx, o.ID)
	if err != nil || len(events) != 1 || !events[0].Applied || events[0].CarrierRef != "C-9" || !events[0].ReceivedAt.Equal(signed) {
		t.Errorf("OrderEvents = %+v, %v; want the event applied", events, err)
	}

	// A change that fails at its last step (a stale number) writes none
	// of its event, order, lines or new numbers.
	d.clock.Advance(time.Hour)
	o.State, o.Reason = porting.StateConfirmed, "ok"
	stale := test
	stale[0].Version = 1
	stale[0].Note = "otra vez"
	failing := porting.Change{Order: o, Lines: lines("+525512340009"), ReplaceLines: true,
		NewNumbers: []numbering.Number{number(d.a, "+525512340009")}, Numbers: stale,
		Event: &porting.Event{ID: "ev-2", OrderID: o.ID, Kind: porting.EventPorted, OccurredAt: d.clock.Now()}}
	wantConflict(t, "SaveOrder(stale number)", d.s.SaveOrder(ctx, failing), "numbering.error.changed", "+525599990001")
	if got, _ := d.s.OrderByID(ctx, o.ID); got.Version != 2 || got.State != porting.StateSigned || got.NumberCount != 3 {
		t.Errorf("order after the failed change = %s v%d with %d numbers, want signed v2 with 3", got.State, got.Version, got.NumberCount)
	}
	if o.Version != 2 {
		t.Errorf("order's version after the failed change = %d, want 2", o.Version)
	}
	if _, err := d.s.NumberByE164(ctx, "+525512340009"); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("new number of the failed change = %v, want not found", err)
	}
	if seen, err := d.s.EventSeen(ctx, "ev-2"); err != nil || seen {
		t.Errorf("EventSeen(event of the failed change) = %v, %v; want false", seen, err)
	}

	wantConflict(t, "SaveOrder(stale order)", d.s.SaveOrder(ctx, porting.Change{Order: &read}), "porting.error.changed", "")
	wantConflict(t, "SaveOrder(event seen)", d.s.SaveOrder(ctx, porting.Change{Order: o, Event: &porting.Event{ID: "ev-1",
		OrderID: o.ID, Kind: porting.EventAccepted, OccurredAt: signed}}), "porting.error.event_seen", "")
	taken := porting.Change{Order: o, NewNumbers: []numbering.Number{number(d.b, "+525512340002")}}
	wantConflict(t, "SaveOrder(number held)", d.s.SaveOrder(ctx, taken), "numbering.error.held", "+525512340002")

	mustDo(t, d.s.SaveOrder(ctx, porting.Change{Order: o, Lines: lines("+525512340003", "+525512340001"), ReplaceLines: true}))
	if ls, _ := d.s.OrderLines(ctx, o.ID); !slices.Equal(lineNumbers(ls), []string{"+525512340003", "+525512340001"}) || o.Version != 3 {
		t.Errorf("OrderLines after replacing them = %v (order v%d), want the two given in order (v3)", lineNumbers(ls), o.Version)
	}
	if got, _ := d.s.OrderByID(ctx, o.ID); got.Signature == nil || got.Signature.Name != "Ana Uno" {
		t.Errorf("signature after a later change = %+v, want kept", got.Signature)
	}
	// An order saved without its signature (changed, to be signed again)
	// loses it.
	o.Signature = nil
	mustDo(t, d.s.SaveOrder(ctx, porting.Change{Order: o}))
	if got, _ := d.s.OrderByID(ctx, o.ID); got.Signature != nil {
		t.Errorf("signature after a save without it = %+v, want cleared", got.Signature)
	}
}

// TestCarrierEvents: an event not applied is kept once, however often it
// is delivered, and events list in the carrier's order.
func TestCarrierEvents(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	o := d.portOrder(d.a)
	mustDo(t, d.s.CreateOrder(ctx, porting.Change{Order: o}))
	at := d.clock.Now()
	late := &porting.Event{ID: "ev-late", OrderID: o.ID, Kind: porting.EventReceived, OccurredAt: at.Add(-time.Hour), Payload: "{}"}
	later := &porting.Event{ID: "ev-later", OrderID: o.ID, Kind: porting.EventException, OccurredAt: at, Payload: "{}"}
	if seen, err := d.s.EventSeen(ctx, late.ID); err != nil || seen {
		t.Errorf("EventSeen before it came = %v, %v; want false", seen, err)
	}
	for _, ev := range []*porting.Event{later, late, late} {
		mustDo(t, d.s.RecordEvent(ctx, ev))
		d.clock.Advance(time.Minute)
	}
	if seen, err := d.s.EventSeen(ctx, late.ID); err != nil || !seen {
		t.Errorf("EventSeen after it came = %v, %v; want true", seen, err)
	}
	events, err := d.s.OrderEvents(ctx, o.ID)
	want := []porting.Event{
		{ID: "ev-late", OrderID: o.ID, Kind: porting.EventReceived, OccurredAt: at.Add(-time.Hour), Payload: "{}", ReceivedAt: at.Add(time.Minute)},
		{ID: "ev-later", OrderID: o.ID, Kind: porting.EventException, OccurredAt: at, Payload: "{}", ReceivedAt: at},
	}
	if diff := cmp.Diff(want, events); err != nil || diff != "" {
		t.Errorf("OrderEvents = %v (-want +got):\n%s", err, diff)
	}

	// An event kept unapplied is applied later once, keeping the time it
	// came.
	again := *later
	mustDo(t, d.s.SaveOrder(ctx, porting.Change{Order: o, Event: &again}))
	if !again.Applied || !again.ReceivedAt.Equal(at) {
		t.Errorf("event applied = %v, received %v; want applied, received %v", again.Applied, again.ReceivedAt, at)
	}
	wantConflict(t, "SaveOrder(event applied)", d.s.SaveOrder(ctx, porting.Change{Order: o, Event: &again}), "porting.error.event_seen", "")
	mustDo(t, d.s.RecordEvent(ctx, &again))
	want[1].Applied = true
	if events, err := d.s.OrderEvents(ctx, o.ID); err != nil || !cmp.Equal(want, events) {
		t.Errorf("OrderEvents after applying one = %+v, %v; want %+v", events, err, want)
	}
}

// TestPortOrderDocuments: a port order's documents are listed with their
// order only, never in the customer's repository.
func TestPortOrderDocuments(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	o := d.portOrder(d.a)
	mustDo(t, d.s.CreateOrder(ctx, porting.Change{Order: o}))
	doc := func(portOrderID string) document.Document {
		return document.Document{ID: enlace.NewID(), CustomerID: d.a, Kind: "other", Title: "CSR", FileName: "csr.pdf",
			ContentType: "application/pdf", Size: 10, SHA256: "00", UploadedBy: d.uploader, UploaderEmail: "ana@a.example",
			PortOrderID: portOrderID}
	}
	csr, shared := doc(o.ID), doc("")
	mustDo(t, d.s.SaveOrder(ctx, porting.Change{Order: o}, csr))
	mustDo(t, d.s.CreateDocument(ctx, &shared))
	for _, tt := range []struct {
		name string
		f    document.Filter
		want string
	}{
		{"repository", document.Filter{CustomerID: d.a}, shared.ID},
		{"port order", document.Filter{CustomerID: d.a, PortOrderID: &o.ID}, csr.ID},
	} {
		tt.f.Limit = 10
		ds, total, err := d.s.FindDocuments(ctx, tt.f)
		if err != nil || total != 1 || len(ds) != 1 || ds[0].ID != tt.want {
			t.Errorf("FindDocuments(%s) = %+v (total %d), %v; want %s only", tt.name, ds, total, err, tt.want)
		}
	}
	if got, _ := d.s.DocumentByID(ctx, csr.ID); got.PortOrderID != o.ID {
		t.Errorf("document's port order = %q, want %q", got.PortOrderID, o.ID)
	}
}

// TestConcurrentDeliveries: the same carrier event delivered twice at
// once applies once, the other delivery told it was seen; the same number
// created twice at once is held by one, the other told which it is.
func TestConcurrentDeliveries(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	o := d.portOrder(d.a)
	mustDo(t, d.s.CreateOrder(ctx, porting.Change{Order: o}))
	errs := make(chan error, 2)
	for range 2 {
		read := *o
		go func() {
			ev := &porting.Event{ID: "ev-1", OrderID: o.ID, Kind: porting.EventReceived, OccurredAt: d.clock.Now()}
			errs <- d.s.SaveOrder(ctx, porting.Change{Order: &read, Event: ev})
		}()
	}
	if got := oneConflict(<-errs, <-errs); got != "porting.error.event_seen" {
		t.Errorf("concurrent deliveries of one event = %s, want one applied and one porting.error.event_seen", got)
	}
	if got, err := d.s.OrderByID(ctx, o.ID); err != nil || got.Version != 2 {
		t.Errorf("order after both deliveries = %+v, %v; want changed once (v2)", got, err)
	}

	for _, customerID := range []string{d.a, d.b} {
		go func() { errs <- d.s.CreateNumbers(ctx, []numbering.Number{number(customerID, "+525512340001")}) }()
	}
	if got := oneConflict(<-errs, <-errs); got != "numbering.error.held" {
		t.Errorf("concurrent creates of one number = %s, want one created and one numbering.error.held", got)
	}
	if _, total, _ := d.s.FindNumbers(ctx, numbering.Filter{Query: "+525512340001"}); total != 1 {
		t.Errorf("numbers after both creates = %d, want 1", total)
	}
}

// oneConflict returns the message key of the conflict of two results of
// which exactly one must succeed, or what happened instead.
func oneConflict(a, b error) string {
	if a != nil {
		a, b = b, a
	}
	switch {
	case a != nil:
		return fmt.Sprintf("both failed (%v, %v)", a, b)
	case b == nil:
		return "both succeeded"
	case enlace.ErrorCode(b) != enlace.ECONFLICT:
		return b.Error()
	}
	return enlace.AsError(b).Message
}
