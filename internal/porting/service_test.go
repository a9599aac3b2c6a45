package porting_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/blob"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/report"
	"github.com/enlace-portal/enlace/internal/schedule"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// world is customer A (an administrator, an authorized signer) and
// customer B (an administrator), a PM, the porting and numbering
// services over the real store, and a scripted carrier.
type world struct {
	t        *testing.T
	store    *sqlstore.Store
	clock    *enlace.FakeClock
	svc      *porting.Service
	numbers  *numbering.Service
	projects *activation.Service
	docs     *document.Service
	carrier  *scriptCarrier
	runner   *jobs.Runner
	a, b     customer.Customer

	pm, aAdmin, aSigner, bAdmin context.Context
	signerID                    string
}

// monday10 is Monday 2 November 2026, 10:00 in Mexico City.
var monday10 = time.Date(2026, 11, 2, 16, 0, 0, 0, time.UTC)

func newWorld(t *testing.T) *world {
	t.Helper()
	clock := enlace.NewFakeClock(monday10)
	store := sqlstore.MustOpenTest(t, clock)
	catalog := i18n.MustLoad()
	renderer, err := notify.NewRenderer(catalog)
	must(t, err)
	ctx := context.Background()
	runbooks := activation.NewCatalog(store)
	must(t, runbooks.SyncShipped(ctx))
	projects := activation.NewService(store, runbooks, renderer, clock, activation.Config{})
	folder, err := blob.NewFolder(t.TempDir())
	must(t, err)
	docs := document.NewService(store, folder, document.Config{TempDir: t.TempDir()})
	w := &world{t: t, store: store, clock: clock, projects: projects, docs: docs, carrier: &scriptCarrier{orders: map[string]string{}}}
	loa := report.LOAWriter{Catalog: catalog, ProviderName: "Enlace Telecom", Location: projects.Location()}
	w.svc = porting.NewService(store, w.carrier, projects, loa, renderer, clock,
		porting.Config{BaseURL: "https://portal.example", Location: projects.Location()})
	w.svc.SetFiles(docs)
	w.svc.SetProjects(projects)
	w.numbers = numbering.NewService(store, clock)
	w.runner = jobs.NewRunner(store, clock, slog.New(slog.DiscardHandler))
	w.svc.Register(w.runner)
	for i, c := range []*customer.Customer{&w.a, &w.b} {
		*c = customer.Customer{ID: enlace.NewID(), Number: fmt.Sprint("C", i), Name: fmt.Sprint("Cliente ", i)}
		must(t, store.CreateCustomer(ctx, c))
	}
	user := func(email, staffRole string, m *identity.Membership) string {
		u := identity.User{ID: enlace.NewID(), Email: email, FirstName: "N", LastName: email, Locale: "es-MX", StaffRole: staffRole}
		if m != nil {
			m.ID, m.UserID = enlace.NewID(), u.ID
		}
		must(t, store.CreateUser(ctx, &u, "x", false, m))
		return u.ID
	}
	pmID := user("pm@p.example", "pm", nil)
	aAdminID := user("admin@a.example", "", &identity.Membership{CustomerID: w.a.ID, Role: "admin", AccessLevel: "full"})
	w.signerID = user("firma@a.example", "", &identity.Membership{CustomerID: w.a.ID, Role: "signer", AccessLevel: "full"})
	bAdminID := user("admin@b.example", "", &identity.Membership{CustomerID: w.b.ID, Role: "admin", AccessLevel: "full"})
	as := func(a *enlace.Actor) context.Context { return enlace.WithActor(ctx, a) }
	w.pm = as(&enlace.Actor{UserID: pmID, Email: "pm@p.example", Name: "PM", StaffRole: "pm"})
	w.aAdmin = as(&enlace.Actor{UserID: aAdminID, Email: "admin@a.example", CustomerID: w.a.ID, CustomerRole: "admin"})
	w.aSigner = as(&enlace.Actor{UserID: w.signerID, Email: "firma@a.example", CustomerID: w.a.ID, CustomerRole: "signer",
		IP: "203.0.113.7"})
	w.bAdmin = as(&enlace.Actor{UserID: bAdminID, CustomerID: w.b.ID, CustomerRole: "admin"})
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err is an *enlace.Error with the code and, when
// given, the message key (of the error or of its first field).
func wantCode(t *testing.T, err error, code, key string) {
	t.Helper()
	e := enlace.AsError(err)
	if e == nil || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	if key != "" && e.Message != key && (len(e.Fields) == 0 || e.Fields[0].Message != key) {
		t.Fatalf("error = %v, want key %s", err, key)
	}
}

// scriptCarrier is a carrier gateway behind the same interface as the
// real one: it keeps one order per idempotency key, fails the first
// submissions it is told to (a timeout), and refuses what it is told to.
type scriptCarrier struct {
	mu       sync.Mutex
	timeouts int
	refuse   string
	orders   map[string]string // key → carrier reference
	calls    int
}

func (c *scriptCarrier) Submit(_ context.Context, s porting.Submission) (porting.Receipt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if len(s.LOA) == 0 || !bytes.HasPrefix(s.LOA, []byte("%PDF")) {
		return porting.Receipt{}, errors.New("submission without its LOA")
	}
	if c.refuse != "" {
		return porting.Receipt{}, enlace.Errorf(enlace.EINVALID, "porting.error.carrier_refused", "reason", c.refuse)
	}
	// The carrier gets the order even when its answer is lost on the way.
	ref, ok := c.orders[s.Key]
	if !ok {
		ref = fmt.Sprint("CR-", len(c.orders)+1)
		c.orders[s.Key] = ref
	}
	if c.timeouts > 0 {
		c.timeouts--
		return porting.Receipt{}, context.DeadlineExceeded
	}
	return porting.Receipt{CarrierRef: ref}, nil
}

func (c *scriptCarrier) Events(context.Context, string, string) ([]porting.Event, error) {
	return nil, nil
}

func (c *scriptCarrier) Cancel(context.Context, string, string) error { return nil }

// date is a day in Mexico City.
func date(t time.Time) schedule.Date {
	return schedule.DateOf(t.In(time.FixedZone("CST", -6*3600)))
}

// order enters a draft order for A with two numbers at two carriers.
func (w *world) order(requested time.Time) *porting.View {
	w.t.Helper()
	v, err := w.svc.Create(w.pm, porting.Input{CustomerID: w.a.ID, RequestedDate: date(requested), SignerUserID: w.signerID,
		AccountName: "Grupo A S.A. de C.V.", ServiceAddress: "Av. Reforma 1, CDMX",
		Lines: []porting.LineInput{{Number: "55 1234 0001", Carrier: "Telmex", AccountNumber: "T-1"},
			{Number: "+52 81 8000 0002", Carrier: "Totalplay", AccountNumber: "TP-2"}}})
	must(w.t, err)
	return v
}

// pdf is the smallest file the document store takes as a PDF.
var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func (w *world) attach(ctx context.Context, id, kind string) {
	w.t.Helper()
	f, err := w.docs.Receive(bytes.NewReader(pdf))
	must(w.t, err)
	defer f.Close()
	_, err = w.svc.Attach(ctx, id, porting.Upload{Kind: kind, FileName: kind + ".pdf", File: f})
	must(w.t, err)
}

// signed takes an order through the documents, the LOA and its typed
// signature.
func (w *world) signed(requested time.Time) *porting.View {
	w.t.Helper()
	v := w.order(requested)
	w.attach(w.aAdmin, v.Order.ID, porting.DocCSR)
	w.attach(w.aAdmin, v.Order.ID, porting.DocPhoneBill)
	v, err := w.svc.SendForSignature(w.pm, v.Order.ID)
	must(w.t, err)
	v, err = w.svc.Sign(w.aSigner, v.Order.ID, porting.SignInput{Name: "Diana Firma", Kind: porting.SignatureTyped,
		Agree: true, SHA256: v.Order.LOASHA256, UserAgent: "test"})
	must(w.t, err)
	return v
}

func (w *world) run() {
	w.t.Helper()
	_, err := w.runner.RunDue(context.Background())
	must(w.t, err)
}

func (w *world) get(id string) *porting.View {
	w.t.Helper()
	v, err := w.svc.Get(w.pm, id)
	must(w.t, err)
	return v
}

// event delivers a carrier event about an order, occurring at the clock's
// now plus skew.
func (w *world) event(id, evID, kind string, skew time.Duration, change func(*porting.Event)) error {
	ev := porting.Event{ID: evID, OrderID: id, Kind: kind, OccurredAt: w.clock.Now().Add(skew)}
	if change != nil {
		change(&ev)
	}
	return w.svc.CarrierEvent(context.Background(), ev)
}

func accepted(foc time.Time, rejected ...string) func(*porting.Event) {
	return func(ev *porting.Event) {
		ev.FOCDate = &foc
		for _, n := range rejected {
			ev.Numbers = append(ev.Numbers, porting.EventNumber{E164: n, Status: porting.LineRejected, Reason: "No está en el CSR"})
		}
	}
}

// TestLeadTime: the CSR and the phone bill must be in three weeks before
// the requested date; the earliest date is computed from the later of
// them, on a working day, and explained; a submission too soon is refused.
func TestLeadTime(t *testing.T) {
	w := newWorld(t)
	v := w.order(monday10.AddDate(0, 0, 22))
	if v.Earliest.Key != "porting.earliest.no_documents" || len(v.Earliest.Missing) != 2 {
		t.Fatalf("earliest = %+v, want both documents missing", v.Earliest)
	}
	// 21 days after Monday 2 November is Monday 23 November, a working day.
	if got := v.Earliest.Date.String(); got != "2026-11-23" {
		t.Fatalf("earliest = %s, want 2026-11-23", got)
	}
	w.attach(w.aAdmin, v.Order.ID, porting.DocCSR)
	// The bill comes on Thursday 5 November: 21 days on is Thursday 26
	// November.
	w.clock.Advance(3 * 24 * time.Hour)
	w.attach(w.aAdmin, v.Order.ID, porting.DocPhoneBill)
	v = w.get(v.Order.ID)
	if v.Earliest.Key != "porting.earliest.documents_in" || v.Earliest.Date.String() != "2026-11-26" {
		t.Fatalf("earliest = %+v, want 2026-11-26 from the documents", v.Earliest)
	}
	_, err := w.svc.SendForSignature(w.pm, v.Order.ID)
	must(t, err)
	v = w.get(v.Order.ID)
	_, err = w.svc.Sign(w.aSigner, v.Order.ID, porting.SignInput{Name: "Diana Firma", Kind: porting.SignatureTyped, Agree: true,
		SHA256: v.Order.LOASHA256})
	must(t, err)
	// Requested Tuesday 24 November: too soon.
	_, err = w.svc.Submit(w.pm, v.Order.ID)
	wantCode(t, err, enlace.ECONFLICT, "porting.error.too_soon")
	if e := enlace.AsError(err); e.Args["Date"] != "2026-11-26" {
		t.Fatalf("too soon names %v, want 2026-11-26", e.Args)
	}
	if w.carrier.calls != 0 || w.get(v.Order.ID).Order.State != porting.StateSigned {
		t.Fatal("a refused submission changed the order or reached the carrier")
	}
	// A new date means a new LOA to sign; then the submission goes.
	in := porting.Input{RequestedDate: schedule.Date{Year: 2026, Month: 11, Day: 26}, SignerUserID: w.signerID,
		AccountName: v.Order.AccountName, ServiceAddress: v.Order.ServiceAddress}
	for _, l := range v.Lines {
		in.Lines = append(in.Lines, porting.LineInput{Number: l.E164, Carrier: l.Carrier, AccountNumber: l.AccountNumber})
	}
	v, err = w.svc.Update(w.pm, v.Order.ID, in)
	must(t, err)
	if v.Order.State != porting.StateDraft || v.Order.LOASHA256 != "" || w.get(v.Order.ID).Order.Signature != nil {
		t.Fatalf("after a change the order is %s with LOA %q, want draft without LOA nor signature", v.Order.State, v.Order.LOASHA256)
	}
	v, err = w.svc.SendForSignature(w.pm, v.Order.ID)
	must(t, err)
	v, err = w.svc.Sign(w.aSigner, v.Order.ID, porting.SignInput{Name: "Diana Firma", Kind: porting.SignatureTyped, Agree: true,
		SHA256: v.Order.LOASHA256})
	must(t, err)
	v, err = w.svc.Submit(w.pm, v.Order.ID)
	must(t, err)
	if v.Order.State != porting.StateSubmitted {
		t.Fatalf("state = %s, want submitted", v.Order.State)
	}
}

// TestSubmitTimeout: a carrier that times out gets the same submission
// again with the same idempotency key, and ends with one order.
func TestSubmitTimeout(t *testing.T) {
	w := newWorld(t)
	v := w.signed(monday10.AddDate(0, 1, 0))
	w.carrier.timeouts = 2
	_, err := w.svc.Submit(w.pm, v.Order.ID)
	must(t, err)
	for range 5 {
		w.run()
		w.clock.Advance(10 * time.Minute)
	}
	v = w.get(v.Order.ID)
	if w.carrier.calls != 3 || len(w.carrier.orders) != 1 {
		t.Fatalf("carrier saw %d calls for %d orders, want 3 calls for 1 order", w.carrier.calls, len(w.carrier.orders))
	}
	if v.Order.CarrierRef != "CR-1" || v.Order.State != porting.StateSubmitted {
		t.Fatalf("order = %s ref %q, want submitted with CR-1", v.Order.State, v.Order.CarrierRef)
	}
}

// TestCarrierRefusal: a carrier refusing the request puts the order in
// exception with its reason; the PM may submit again.
func TestCarrierRefusal(t *testing.T) {
	w := newWorld(t)
	v := w.signed(monday10.AddDate(0, 1, 0))
	w.carrier.refuse = "Falta el RFC"
	_, err := w.svc.Submit(w.pm, v.Order.ID)
	must(t, err)
	w.run()
	v = w.get(v.Order.ID)
	if v.Order.State != porting.StateException || v.Order.Reason != "Falta el RFC" {
		t.Fatalf("order = %s %q, want exception with the carrier's reason", v.Order.State, v.Order.Reason)
	}
	// The customer sees the reason.
	cv, err := w.svc.Get(w.aAdmin, v.Order.ID)
	must(t, err)
	if cv.Order.Reason != "Falta el RFC" {
		t.Fatal("the customer does not see the carrier's reason")
	}
	w.carrier.refuse = ""
	v, err = w.svc.Submit(w.pm, v.Order.ID)
	must(t, err)
	w.run()
	if v = w.get(v.Order.ID); v.Order.Submissions != 2 || v.Order.CarrierRef == "" {
		t.Fatalf("resubmission: %d submissions, ref %q", v.Order.Submissions, v.Order.CarrierRef)
	}
}

// TestEventsOnceAndInOrder: the same event twice applies once; an event
// older than the last applied is kept but not applied; an event that
// comes before the one it follows waits for it.
func TestEventsOnceAndInOrder(t *testing.T) {
	w := newWorld(t)
	v := w.signed(monday10.AddDate(0, 1, 0))
	_, err := w.svc.Submit(w.pm, v.Order.ID)
	must(t, err)
	w.run()
	id := v.Order.ID
	foc := monday10.AddDate(0, 1, 0)
	// The carrier's "ported" (later) arrives before its "accepted".
	must(t, w.event(id, "ev-3", porting.EventPorted, 2*time.Hour, nil))
	if got := w.get(id).Order.State; got != porting.StateSubmitted {
		t.Fatalf("a ported event before the acceptance moved the order to %s", got)
	}
	must(t, w.event(id, "ev-2", porting.EventAccepted, time.Hour, accepted(foc)))
	v = w.get(id)
	if v.Order.State != porting.StatePorted || v.Order.FOCDate == nil {
		t.Fatalf("after the acceptance came, state = %s, want ported (the early event applied)", v.Order.State)
	}
	// The acceptance again, and an exception older than both: nothing moves.
	before := v.Order.Version
	must(t, w.event(id, "ev-2", porting.EventAccepted, time.Hour, accepted(foc)))
	must(t, w.event(id, "ev-1", porting.EventException, 0, func(ev *porting.Event) { ev.Reason = "tarde" }))
	v = w.get(id)
	if v.Order.State != porting.StatePorted || v.Order.Version != before || v.Order.Reason != "" {
		t.Fatalf("a duplicate or stale event changed the order: %s v%d %q", v.Order.State, v.Order.Version, v.Order.Reason)
	}
	applied := 0
	for _, ev := range v.Events {
		if ev.Applied {
			applied++
		}
	}
	if len(v.Events) != 3 || applied != 2 {
		t.Fatalf("events kept = %d (%d applied), want 3 kept, 2 applied", len(v.Events), applied)
	}
	// The customer heard of the FOC once.
	ns, _, err := w.store.FindNotifications(context.Background(), w.signerID, w.a.ID, notify.NotificationFilter{Limit: 50})
	must(t, err)
	n := 0
	for _, x := range ns {
		if x.TitleKey == "porting.notice.accepted.title" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the signer was told of the FOC %d times, want 1", n)
	}
}

// TestVisibleWithin24h: the numbers of an accepted order appear for
// assignment 24 hours after the FOC arrived at the latest, not before
// (unless the PM publishes them); until then they cannot be assigned.
func TestVisibleWithin24h(t *testing.T) {
	w := newWorld(t)
	v := w.signed(monday10.AddDate(0, 1, 0))
	_, err := w.svc.Submit(w.pm, v.Order.ID)
	must(t, err)
	w.run()
	must(t, w.event(v.Order.ID, "ev-1", porting.EventAccepted, 0, accepted(monday10.AddDate(0, 1, 0))))
	numberID := w.get(v.Order.ID).Lines[0].NumberID
	assign := func() error {
		_, err := w.numbers.Act(w.aAdmin, numberID, numbering.Action{Event: numbering.EventAssign,
			Assignee: numbering.Assignee{Kind: numbering.AssigneeUser, Name: "Ana", Ref: "ana@a.example"}})
		return err
	}
	wantCode(t, assign(), enlace.ECONFLICT, "numbering.error.not_yet_assignable")
	w.clock.Advance(porting.VisibleWithin - time.Minute)
	w.run()
	if w.get(v.Order.ID).Order.VisibleAt != nil {
		t.Fatal("the numbers appeared before 24 hours")
	}
	wantCode(t, assign(), enlace.ECONFLICT, "numbering.error.not_yet_assignable")
	w.clock.Advance(time.Minute)
	w.run()
	v = w.get(v.Order.ID)
	if v.Order.VisibleAt == nil || !v.Order.VisibleAt.Equal(v.Order.FOCReceivedAt.Add(porting.VisibleWithin)) {
		t.Fatalf("visible at %v, want FOC + 24 h", v.Order.VisibleAt)
	}
	must(t, assign())
	n, err := w.numbers.Get(w.aAdmin, numberID)
	must(t, err)
	if n.State != numbering.StatePortingIn || n.AssigneeName != "Ana" {
		t.Fatalf("number %s assigned to %q, want porting in, assigned ahead of the port", n.State, n.AssigneeName)
	}
}

// TestNeverCompletedUnassigned: an order cannot complete while one of its
// accepted numbers is unassigned; a number the carrier rejected does not
// count, and is given up.
func TestNeverCompletedUnassigned(t *testing.T) {
	w := newWorld(t)
	v := w.signed(monday10.AddDate(0, 1, 0))
	_, err := w.svc.Submit(w.pm, v.Order.ID)
	must(t, err)
	w.run()
	id := v.Order.ID
	foc := monday10.AddDate(0, 1, 0)
	rejected := v.Lines[1].E164
	must(t, w.event(id, "ev-1", porting.EventAccepted, 0, accepted(foc, rejected)))
	v, err = w.svc.Publish(w.pm, id)
	must(t, err)
	if v.Lines[1].Status != porting.LineRejected || v.Lines[1].NumberState != numbering.StateReleased {
		t.Fatalf("rejected line = %s, number %s; want rejected and released", v.Lines[1].Status, v.Lines[1].NumberState)
	}
	must(t, w.event(id, "ev-2", porting.EventPorted, time.Hour, nil))
	_, err = w.svc.Complete(w.pm, id)
	wantCode(t, err, enlace.ECONFLICT, "porting.error.unassigned")
	_, err = w.svc.ConfirmAssigned(w.pm, id)
	wantCode(t, err, enlace.ECONFLICT, "porting.error.unassigned")
	if got := w.get(id).Order.State; got != porting.StatePorted {
		t.Fatalf("a refused completion left the order %s", got)
	}
	_, err = w.numbers.Act(w.aAdmin, v.Lines[0].NumberID, numbering.Action{Event: numbering.EventAssign,
		Assignee: numbering.Assignee{Kind: numbering.AssigneeAutoAttendant, Name: "Conmutador", Ref: "aa@a.example"}})
	must(t, err)
	v, err = w.svc.Complete(w.pm, id)
	must(t, err)
	if v.Order.State != porting.StateCompleted || v.Lines[0].NumberState != numbering.StatePorted {
		t.Fatalf("completed order %s with number %s, want completed and ported", v.Order.State, v.Lines[0].NumberState)
	}
	// Every later word of the carrier is kept, not applied.
	must(t, w.event(id, "ev-3", porting.EventException, 2*time.Hour, func(ev *porting.Event) { ev.Reason = "x" }))
	if got := w.get(id).Order.State; got != porting.StateCompleted {
		t.Fatalf("an event after completion moved the order to %s", got)
	}
}

// TestSignature: only the signer the order names signs, the LOA they saw;
// the evidence is kept and the signed PDF carries it.
func TestSignature(t *testing.T) {
	w := newWorld(t)
	v := w.order(monday10.AddDate(0, 1, 0))
	v, err := w.svc.SendForSignature(w.pm, v.Order.ID)
	must(t, err)
	id, sum := v.Order.ID, v.Order.LOASHA256
	good := porting.SignInput{Name: "Diana Firma", Kind: porting.SignatureDrawn, Image: signaturePNG(t), Agree: true, SHA256: sum,
		UserAgent: "Mozilla/5.0"}
	_, err = w.svc.Sign(w.aAdmin, id, good)
	wantCode(t, err, enlace.EFORBIDDEN, "porting.error.not_signer")
	_, err = w.svc.Sign(w.bAdmin, id, good)
	wantCode(t, err, enlace.ENOTFOUND, "")
	stale := good
	stale.SHA256 = strings.Repeat("0", 64)
	_, err = w.svc.Sign(w.aSigner, id, stale)
	wantCode(t, err, enlace.ECONFLICT, "porting.error.loa_changed")
	bad := good
	bad.Image, bad.Agree = base64.StdEncoding.EncodeToString([]byte("not a png")), false
	_, err = w.svc.Sign(w.aSigner, id, bad)
	e := enlace.AsError(err)
	if e == nil || e.Code != enlace.EINVALID || len(e.Fields) != 2 {
		t.Fatalf("bad signature: %v, want two field errors", err)
	}
	v, err = w.svc.Sign(w.aSigner, id, good)
	must(t, err)
	sig := v.Order.Signature
	if v.Order.State != porting.StateSigned || sig == nil || sig.IP != "203.0.113.7" || sig.DocumentSHA256 != sum ||
		sig.Name != "Diana Firma" || !sig.At.Equal(w.clock.Now()) || sig.UserAgent != "Mozilla/5.0" {
		t.Fatalf("signed order = %s, signature %+v", v.Order.State, sig)
	}
	d, content, err := w.docs.Open(w.aAdmin, v.Order.SignedDocumentID)
	must(t, err)
	defer content.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(content)
	must(t, err)
	if d.PortOrderID != id || !bytes.Contains(b.Bytes(), []byte(sum)) || !bytes.Contains(b.Bytes(), []byte("203.0.113.7")) {
		t.Fatal("the signed LOA does not carry the evidence")
	}
	// The PM is told the order is ready to submit.
	ns, _, err := w.store.FindNotifications(context.Background(), enlace.ActorFrom(w.pm).UserID, "", notify.NotificationFilter{Limit: 10})
	must(t, err)
	if !slices.ContainsFunc(ns, func(n notify.Notification) bool { return n.TitleKey == "porting.notice.signed.title" }) {
		t.Fatal("the PM was not told the LOA was signed")
	}
}

// signaturePNG is a drawn signature: a line across a white canvas.
func signaturePNG(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 300, 100))
	for x := range 300 {
		for y := range 100 {
			img.Set(x, y, color.White)
		}
		img.Set(x, 50+x%7, color.Black)
	}
	var b bytes.Buffer
	must(t, png.Encode(&b, img))
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())
}

// TestTenancyAndRoles: another customer's order is not found; customers
// cannot run orders; a number held by anyone cannot be ported again.
func TestTenancyAndRoles(t *testing.T) {
	w := newWorld(t)
	v := w.order(monday10.AddDate(0, 1, 0))
	_, err := w.svc.Get(w.bAdmin, v.Order.ID)
	wantCode(t, err, enlace.ENOTFOUND, "")
	list, total, err := w.svc.List(w.bAdmin, porting.Filter{CustomerID: w.a.ID})
	must(t, err)
	if len(list) != 0 || total != 0 {
		t.Fatal("B sees A's orders")
	}
	_, err = w.svc.SendForSignature(w.aAdmin, v.Order.ID)
	wantCode(t, err, enlace.EFORBIDDEN, "")
	_, err = w.svc.Create(w.pm, porting.Input{CustomerID: w.b.ID, RequestedDate: date(monday10.AddDate(0, 1, 0)),
		SignerUserID: w.signerID, AccountName: "B", ServiceAddress: "x",
		Lines: []porting.LineInput{{Number: "5512340001", Carrier: "Telmex"}}})
	e := enlace.AsError(err)
	if e == nil || e.Code != enlace.EINVALID {
		t.Fatalf("porting a held number with another customer's signer: %v", err)
	}
	keys := []string{}
	for _, f := range e.Fields {
		keys = append(keys, f.Message)
	}
	if !slices.Contains(keys, "porting.error.number_held") || !slices.Contains(keys, "porting.error.signer") {
		t.Fatalf("refusal keys = %v, want number_held and signer", keys)
	}
}
