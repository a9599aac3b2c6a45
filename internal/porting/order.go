package porting

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// Document kinds an order needs from the customer before the port date
// (the same kinds the Teams runbook's porting tasks ask for).
const (
	DocCSR       = "csr"
	DocPhoneBill = "phone_bill"
)

// RequiredDocs are the documents the lead time runs from.
var RequiredDocs = []string{DocCSR, DocPhoneBill}

// Limits of an order.
const (
	MaxLines = 5000
	maxText  = 200
	maxLong  = 500
)

// Input is what the PM enters for an order.
type Input struct {
	CustomerID       string
	BillingAccountID string
	SiteID           string
	ProjectID        string
	// RequestedDate is the port date asked for, a day.
	RequestedDate  schedule.Date
	SignerUserID   string
	AccountName    string
	ServiceAddress string
	Lines          []LineInput
}

// LineInput is one number as the PM enters it.
type LineInput struct {
	Number        string
	Carrier       string
	AccountNumber string
}

// Create stores a draft order and brings its numbers into the customer's
// inventory as porting in (so no other order or customer can take them).
func (s *Service) Create(ctx context.Context, in Input) (*View, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !CanManage(a) {
		return nil, forbidden()
	}
	now := s.clock.Now()
	o := &Order{ID: enlace.NewID(), State: StateDraft, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
	lines, fields, err := s.checkInput(ctx, o, in)
	if err != nil {
		return nil, err
	}
	if len(fields) > 0 {
		return nil, enlace.Invalid(fields)
	}
	c := Change{Order: o, Lines: lines, NewNumbers: s.portIn(o, lines, now)}
	entry := audit.Record(ctx, "port_order.create", "port_order", o.ID, o.CustomerID,
		map[string]any{"numbers": len(lines), "requested": o.RequestedDate.Format(time.DateOnly)})
	if err := s.store.CreateOrder(ctx, c, entry); err != nil {
		return nil, err
	}
	return s.view(ctx, a, o)
}

// Update changes an order not yet with the carrier — a draft, one
// awaiting its signature or signed — or one the carrier raised an
// exception on. The LOA no longer says what the order does, so the order
// goes back to draft and must be signed again.
func (s *Service) Update(ctx context.Context, id string, in Input) (*View, error) {
	a, o, err := s.managed(ctx, id)
	if err != nil {
		return nil, err
	}
	switch o.State {
	case StateDraft, StateAwaitingSignature, StateSigned, StateException:
	default:
		return nil, stateError(o)
	}
	in.CustomerID = o.CustomerID
	old, err := s.store.OrderLines(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	lines, fields, err := s.checkInput(ctx, o, in)
	if err != nil {
		return nil, err
	}
	if len(fields) > 0 {
		return nil, enlace.Invalid(fields)
	}
	now := s.clock.Now()
	c := Change{Order: o, ReplaceLines: true}
	kept := map[string]string{}
	for _, l := range old {
		kept[l.E164] = l.NumberID
	}
	var fresh []Line
	for i := range lines {
		if id, ok := kept[lines[i].E164]; ok {
			lines[i].NumberID = id
			delete(kept, lines[i].E164)
		} else {
			fresh = append(fresh, lines[i])
		}
	}
	c.NewNumbers = s.portIn(o, fresh, now)
	for i := range lines {
		for _, f := range fresh {
			if f.E164 == lines[i].E164 {
				lines[i].NumberID = f.NumberID
			}
		}
	}
	// Numbers taken off the order are given up: they were never ours.
	for _, numberID := range kept {
		n, err := s.store.NumberByID(ctx, numberID)
		if err != nil {
			return nil, err
		}
		if err := release(n, now); err != nil {
			return nil, err
		}
		c.Numbers = append(c.Numbers, *n)
	}
	c.Lines = lines
	if o.State != StateDraft {
		o.State, o.LOADocumentID, o.LOASHA256, o.SignedDocumentID, o.Signature = StateDraft, "", "", "", nil
	}
	o.UpdatedAt = now
	entry := audit.Record(ctx, "port_order.update", "port_order", o.ID, o.CustomerID,
		map[string]any{"numbers": len(lines), "requested": o.RequestedDate.Format(time.DateOnly)})
	if err := s.store.SaveOrder(ctx, c, entry); err != nil {
		return nil, err
	}
	return s.view(ctx, a, o)
}

// release gives up a number porting in.
func release(n *numbering.Number, now time.Time) error {
	to, ok := numbering.Next(n.State, numbering.EventPortFailed)
	if !ok {
		return enlace.Errorf(enlace.ECONFLICT, "numbering.error.transition", "from", n.State, "event", numbering.EventPortFailed)
	}
	n.State, n.AssigneeKind, n.AssigneeName, n.AssigneeRef, n.UpdatedAt = to, "", "", "", now
	return nil
}

// portIn makes the inventory numbers of new lines, porting in, and sets
// each line's NumberID.
func (s *Service) portIn(o *Order, lines []Line, now time.Time) []numbering.Number {
	ns := make([]numbering.Number, len(lines))
	for i := range lines {
		_, region, _ := numbering.Parse(lines[i].E164)
		ns[i] = numbering.Number{ID: enlace.NewID(), CustomerID: o.CustomerID, SiteID: o.SiteID, E164: lines[i].E164,
			Country: region, State: numbering.StatePortingIn, PortOrderID: o.ID, Carrier: lines[i].Carrier,
			Version: 1, CreatedAt: now, UpdatedAt: now}
		lines[i].NumberID = ns[i].ID
	}
	return ns
}

// checkInput checks what the PM entered and copies it onto the order;
// it returns the lines and the problems by field. Numbers are read in any
// common writing and kept in E.164; a number twice in the order, or held
// already by any customer other than through this order, is refused on
// its line.
func (s *Service) checkInput(ctx context.Context, o *Order, in Input) ([]Line, []enlace.FieldError, error) {
	var fields []enlace.FieldError
	if _, err := s.store.CustomerByID(ctx, in.CustomerID); err != nil {
		if enlace.ErrorCode(err) != enlace.ENOTFOUND {
			return nil, nil, err
		}
		fields = append(fields, enlace.Field("customerId", "porting.error.customer"))
	}
	o.CustomerID, o.BillingAccountID, o.SiteID, o.ProjectID = in.CustomerID, in.BillingAccountID, in.SiteID, in.ProjectID
	owned, err := s.checkOwned(ctx, in)
	if err != nil {
		return nil, nil, err
	}
	fields = append(fields, owned...)
	o.AccountName, o.ServiceAddress = strings.TrimSpace(in.AccountName), strings.TrimSpace(in.ServiceAddress)
	if o.AccountName == "" || utf8.RuneCountInString(o.AccountName) > maxText {
		fields = append(fields, enlace.Field("accountName", "porting.error.account_name"))
	}
	if o.ServiceAddress == "" || utf8.RuneCountInString(o.ServiceAddress) > maxLong {
		fields = append(fields, enlace.Field("serviceAddress", "porting.error.service_address"))
	}
	if in.RequestedDate.IsZero() {
		fields = append(fields, enlace.Field("requestedDate", "porting.error.requested_date"))
	} else {
		o.RequestedDate = dayStart(in.RequestedDate, s.cfg.Location)
		if !o.RequestedDate.After(s.clock.Now()) {
			fields = append(fields, enlace.Field("requestedDate", "porting.error.past_date"))
		}
	}
	if len(fields) == 0 {
		if m, err := s.store.MembershipOf(ctx, in.SignerUserID, in.CustomerID); err != nil || !mayBeSigner(m) {
			if err != nil && enlace.ErrorCode(err) != enlace.ENOTFOUND {
				return nil, nil, err
			}
			fields = append(fields, enlace.Field("signerUserId", "porting.error.signer"))
		}
	}
	o.SignerUserID = in.SignerUserID
	lines, lineFields, err := s.checkLines(ctx, o, in.Lines)
	if err != nil {
		return nil, nil, err
	}
	return lines, append(fields, lineFields...), nil
}

// checkOwned checks that the billing account, site and project an order
// names are its customer's: a project of another customer would see its
// tasks moved by this order.
func (s *Service) checkOwned(ctx context.Context, in Input) ([]enlace.FieldError, error) {
	owners := []struct {
		field, id string
		owner     func(id string) (string, error)
	}{
		{"billingAccountId", in.BillingAccountID, func(id string) (string, error) {
			b, err := s.store.BillingAccountByID(ctx, id)
			if err != nil {
				return "", err
			}
			return b.CustomerID, nil
		}},
		{"siteId", in.SiteID, func(id string) (string, error) {
			site, err := s.store.SiteByID(ctx, id)
			if err != nil {
				return "", err
			}
			return site.CustomerID, nil
		}},
		{"projectId", in.ProjectID, func(id string) (string, error) {
			p, err := s.store.ProjectByID(ctx, id)
			if err != nil {
				return "", err
			}
			return p.CustomerID, nil
		}},
	}
	var fields []enlace.FieldError
	for _, o := range owners {
		if o.id == "" {
			continue
		}
		customerID, err := o.owner(o.id)
		switch {
		case enlace.ErrorCode(err) == enlace.ENOTFOUND || err == nil && customerID != in.CustomerID:
			fields = append(fields, enlace.Field(o.field, "porting.error.not_customers"))
		case err != nil:
			return nil, err
		}
	}
	return fields, nil
}

// checkLines reads an order's numbers.
func (s *Service) checkLines(ctx context.Context, o *Order, in []LineInput) ([]Line, []enlace.FieldError, error) {
	if len(in) == 0 {
		return nil, []enlace.FieldError{enlace.Field("lines", "porting.error.no_numbers")}, nil
	}
	if len(in) > MaxLines {
		return nil, []enlace.FieldError{enlace.Field("lines", "porting.error.too_many_numbers", "Max", MaxLines)}, nil
	}
	var fields []enlace.FieldError
	lines := make([]Line, 0, len(in))
	seen := map[string]bool{}
	for i, li := range in {
		field := fmt.Sprintf("lines[%d]", i)
		e164, _, ok := numbering.Parse(li.Number)
		carrier, account := strings.TrimSpace(li.Carrier), strings.TrimSpace(li.AccountNumber)
		switch {
		case !ok:
			fields = append(fields, enlace.Field(field, "porting.error.number", "Line", i+1, "Number", li.Number))
			continue
		case seen[e164]:
			fields = append(fields, enlace.Field(field, "porting.error.number_twice", "Line", i+1, "Number", e164))
			continue
		case carrier == "" || utf8.RuneCountInString(carrier) > maxText:
			fields = append(fields, enlace.Field(field, "porting.error.carrier", "Line", i+1))
			continue
		case utf8.RuneCountInString(account) > maxText:
			fields = append(fields, enlace.Field(field, "porting.error.account_number", "Line", i+1))
			continue
		}
		seen[e164] = true
		lines = append(lines, Line{OrderID: o.ID, E164: e164, Carrier: carrier, AccountNumber: account, Status: LinePending, Seq: i + 1})
	}
	all := make([]string, len(lines))
	for i := range lines {
		all[i] = lines[i].E164
	}
	held, err := s.store.HeldNumbers(ctx, all)
	if err != nil {
		return nil, nil, err
	}
	if len(held) > 0 {
		mine, err := s.store.OrderLines(ctx, o.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, l := range mine {
			delete(held, l.E164)
		}
		for i, l := range lines {
			if held[l.E164] {
				fields = append(fields, enlace.Field(fmt.Sprintf("lines[%d]", i), "porting.error.number_held", "Line", l.Seq, "Number", l.E164))
			}
		}
	}
	return lines, fields, nil
}

// dayStart is 00:00 of a day in the provider's time zone, in UTC.
func dayStart(d schedule.Date, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc).UTC()
}

// Earliest is the earliest port date an order's documents allow, and why.
type Earliest struct {
	Date schedule.Date
	// Key explains the date (porting.earliest.<why>), with Args.
	Key  string
	Args map[string]string
	// Missing lists the required documents not given yet.
	Missing []string
	// DocsAt is when the last required document came, if all did.
	DocsAt *time.Time
}

// Allows reports whether a requested port date keeps the lead time.
func (e Earliest) Allows(requested time.Time, loc *time.Location) bool {
	return schedule.DateOf(requested.In(loc)).Compare(e.Date) >= 0
}

// earliest computes the earliest port date: LeadTime after the later of
// the CSR and the current phone bill (after today when either is still
// missing: they cannot come sooner than now), on the next working day.
func (s *Service) earliest(ctx context.Context, o *Order, docs []document.Document) (Earliest, error) {
	e := Earliest{Args: map[string]string{}}
	var last time.Time
	for _, kind := range RequiredDocs {
		at := firstOf(docs, kind)
		if at == nil {
			e.Missing = append(e.Missing, kind)
			continue
		}
		if at.After(last) {
			last = *at
		}
	}
	from := last
	if len(e.Missing) > 0 || o.State == StateDraft && from.IsZero() {
		from = s.clock.Now()
	}
	if len(e.Missing) == 0 {
		e.DocsAt = &last
	}
	cal, err := s.calendar.Calendar(ctx)
	if err != nil {
		return e, err
	}
	loc := s.cfg.Location
	day := schedule.DateOf(from.Add(LeadTime).In(loc))
	for !cal.IsWorkday(day) {
		day = day.AddDays(1)
	}
	e.Date = day
	e.Args["Date"] = day.String()
	e.Args["Weeks"] = "3"
	switch {
	case len(e.Missing) == len(RequiredDocs):
		e.Key = "porting.earliest.no_documents"
	case len(e.Missing) > 0:
		e.Key = "porting.earliest.missing"
		e.Args["Missing"] = e.Missing[0]
	default:
		e.Key = "porting.earliest.documents_in"
		e.Args["Received"] = last.In(loc).Format(time.DateOnly)
	}
	return e, nil
}

// firstOf returns when the first document of a kind came.
func firstOf(docs []document.Document, kind string) *time.Time {
	var first *time.Time
	for i := range docs {
		if docs[i].Kind == kind && (first == nil || docs[i].CreatedAt.Before(*first)) {
			first = &docs[i].CreatedAt
		}
	}
	return first
}

// documents returns an order's documents: its own, and the CSR and phone
// bill given on its project's porting tasks, so that a document given
// either way counts.
func (s *Service) documents(ctx context.Context, o *Order) ([]document.Document, error) {
	own, _, err := s.store.FindDocuments(ctx, document.Filter{CustomerID: o.CustomerID, PortOrderID: &o.ID, Limit: 200})
	if err != nil || o.ProjectID == "" {
		return own, err
	}
	project, _, err := s.store.FindDocuments(ctx, document.Filter{CustomerID: o.CustomerID, ProjectID: &o.ProjectID, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, d := range project {
		if d.Kind == DocCSR || d.Kind == DocPhoneBill {
			own = append(own, d)
		}
	}
	return own, nil
}

// Upload is a file given for an order.
type Upload struct {
	// Kind is csr or phone_bill.
	Kind     string
	FileName string
	File     *document.File
}

// Attach stores the CSR or the current phone bill of an open order not
// yet submitted, given by the customer or the PM.
func (s *Service) Attach(ctx context.Context, id string, u Upload) (*View, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	o, err := s.load(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !CanProvide(a) {
		return nil, forbidden()
	}
	if u.Kind != DocCSR && u.Kind != DocPhoneBill {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("kind", "porting.error.document_kind")})
	}
	switch o.State {
	case StateDraft, StateAwaitingSignature, StateSigned, StateException:
	default:
		return nil, stateError(o)
	}
	if s.files == nil {
		return nil, enlace.Errorf(enlace.EINTERNAL, "error.internal")
	}
	d, err := s.files.Prepare(ctx, document.Document{CustomerID: o.CustomerID, BillingAccountID: o.BillingAccountID,
		Kind: u.Kind, Title: u.FileName, FileName: u.FileName, PortOrderID: o.ID}, u.File)
	if err != nil {
		return nil, err
	}
	o.UpdatedAt = s.clock.Now()
	effects := []enlace.Effect{*d, audit.Record(ctx, "port_order.attach", "port_order", o.ID, o.CustomerID,
		map[string]string{"document": d.ID, "kind": u.Kind})}
	effects = append(effects, s.follow(o)...)
	if err := s.store.SaveOrder(ctx, Change{Order: o}, effects...); err != nil {
		s.files.Discard(ctx, d)
		return nil, err
	}
	return s.view(ctx, a, o)
}

// stateError refuses an action the order's state does not allow.
func stateError(o *Order) error {
	return enlace.Errorf(enlace.ECONFLICT, "porting.error.state_action", "State", o.State)
}

// job returns a job of the porting's kinds for an order.
func job(kind string, orderID string, due time.Time) jobs.Job {
	return jobs.New(kind, jobPayload{OrderID: orderID}, due)
}

// jobPayload names the order a job is about.
type jobPayload struct {
	OrderID string `json:"orderId"`
}

// EarliestNew is the earliest port date of an order not entered yet: its
// documents cannot come before today.
func (s *Service) EarliestNew(ctx context.Context) (Earliest, error) {
	if _, err := actor(ctx); err != nil {
		return Earliest{}, err
	}
	return s.earliest(ctx, &Order{State: StateDraft}, nil)
}
