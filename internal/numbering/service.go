package numbering

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// Licences tells whether a person of a customer's Microsoft 365 tenant may
// be given a number: what licences they lack, by catalogue key. A customer
// that has not loaded its tenant's users is not checked (ok true).
type Licences interface {
	Missing(ctx context.Context, customerID, ref string) (missing []string, checked bool, err error)
}

// Service keeps the customers' numbers.
type Service struct {
	store    Store
	licences Licences
	clock    enlace.Clock
	log      *slog.Logger
	// wake tells the job runner new work is due (an import started).
	wake func()
}

// NewService returns a numbering Service.
func NewService(store Store, clock enlace.Clock) *Service {
	if clock == nil {
		clock = enlace.SystemClock{}
	}
	return &Service{store: store, clock: clock, log: slog.Default()}
}

// SetLicences makes assigning a number to a user check the user's
// licences.
func (s *Service) SetLicences(l Licences) { s.licences = l }

// CanManage reports whether an actor keeps the inventory of numbers: adds
// and imports them, reserves, marks test numbers, releases any. The
// provider's administrators, project managers and support agents.
func CanManage(a *enlace.Actor) bool {
	return a != nil && slices.Contains([]string{identity.StaffAdmin, identity.StaffPM, identity.StaffSupport}, a.StaffRole)
}

// CanAssign reports whether an actor may assign the numbers it sees and
// edit their caller name and location: staff who manage numbers, and a
// customer's administrators and technical contacts.
func CanAssign(a *enlace.Actor) bool {
	if a == nil || a.ReadOnly {
		return false
	}
	if a.IsStaff() {
		return CanManage(a)
	}
	return a.CustomerRole == identity.RoleAdmin || a.CustomerRole == identity.RoleTechnical
}

func actor(ctx context.Context) (*enlace.Actor, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	return a, nil
}

func notFound() error { return enlace.Errorf(enlace.ENOTFOUND, "error.not_found") }

func forbidden() error { return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden") }

// visible reports whether a sees the number: staff see every customer's,
// customer users their own customer's.
func visible(a *enlace.Actor, n *Number) bool {
	return a.IsStaff() || (a.CustomerID != "" && a.CustomerID == n.CustomerID)
}

// scope limits a filter to what the actor may see.
func scope(a *enlace.Actor, customerID string) string {
	if a.IsStaff() {
		return customerID
	}
	return a.CustomerID
}

// List returns a page of numbers and the total. Customer users always see
// only their customer's.
func (s *Service) List(ctx context.Context, f Filter) ([]Number, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	f.CustomerID = scope(a, f.CustomerID)
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	f.Query = strings.TrimSpace(f.Query)
	if f.State != "" && !slices.Contains(States, f.State) {
		return nil, 0, enlace.Invalid([]enlace.FieldError{enlace.Field("state", "numbering.error.state")})
	}
	ns, total, err := s.store.FindNumbers(ctx, f)
	for i := range ns {
		hideOrder(a, &ns[i])
	}
	return ns, total, err
}

// hideOrder blanks the port order's folio for a customer user limited to
// billing accounts other than the order's: its page would not open.
func hideOrder(a *enlace.Actor, n *Number) {
	if a.IsStaff() || a.CustomerRole == identity.RoleAdmin || n.PortOrderAccount == "" ||
		slices.Contains(a.BillingAccountIDs, n.PortOrderAccount) {
		return
	}
	n.PortOrderFolio = ""
}

// Counts counts a customer's numbers (every customer's for staff, when
// customerID is empty) by state, in the order of States, zeros included.
func (s *Service) Counts(ctx context.Context, customerID string) ([]StateCount, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	found, err := s.store.CountNumbers(ctx, Filter{CustomerID: scope(a, customerID)})
	if err != nil {
		return nil, err
	}
	counts := make([]StateCount, len(States))
	for i, st := range States {
		counts[i].State = st
		for _, c := range found {
			if c.State == st {
				counts[i].Count = c.Count
			}
		}
	}
	return counts, nil
}

// Get returns a number the actor sees.
func (s *Service) Get(ctx context.Context, id string) (*Number, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	n, err := s.store.NumberByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !visible(a, n) {
		return nil, notFound()
	}
	hideOrder(a, n)
	return n, nil
}

// Action is a change of state asked for by a person: an event of the
// transition table and what it needs (the assignee of an assignment, a
// remark).
type Action struct {
	Event    string
	Assignee Assignee
	Note     string
}

// Assignee is who or what a number is assigned to.
type Assignee struct {
	Kind string
	Name string
	// Ref is the person's or resource account's sign-in name (UPN); it
	// is what the licence check looks up.
	Ref string
}

// Limits of the texts a number keeps.
const (
	maxName     = 200
	maxCNAM     = 15
	maxLocation = 500
	maxNote     = 500
)

// Act applies an event to a number. Customers may assign and unassign
// their numbers (administrators and technical contacts) and release their
// test numbers; everything else is the staff's who manage numbers. Events
// that belong to porting are refused here.
func (s *Service) Act(ctx context.Context, id string, act Action) (*Number, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	n, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := mayAct(a, n, act.Event); err != nil {
		return nil, err
	}
	to, ok := Next(n.State, act.Event)
	if !ok {
		return nil, enlace.Errorf(enlace.ECONFLICT, "numbering.error.transition", "from", n.State, "event", act.Event)
	}
	detail := map[string]string{"number": n.E164, "event": act.Event, "from": n.State, "to": to}
	switch act.Event {
	case EventAssign:
		if err := s.checkAssignee(ctx, n, act.Assignee); err != nil {
			return nil, err
		}
		if n.State == StatePortingIn && n.AssignableAt == nil {
			return nil, enlace.Errorf(enlace.ECONFLICT, "numbering.error.not_yet_assignable")
		}
		n.AssigneeKind, n.AssigneeName, n.AssigneeRef = act.Assignee.Kind, strings.TrimSpace(act.Assignee.Name), strings.TrimSpace(act.Assignee.Ref)
		detail["assignee"] = n.AssigneeName
	case EventUnassign, EventRelease:
		n.AssigneeKind, n.AssigneeName, n.AssigneeRef = "", "", ""
	}
	if note := strings.TrimSpace(act.Note); note != "" {
		if utf8.RuneCountInString(note) > maxNote {
			return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("note", "numbering.error.too_long", "Max", maxNote)})
		}
		n.Note = note
	}
	n.State = to
	if err := s.store.SaveNumbers(ctx, []Number{*n}, actionEntry(ctx, act.Event, n, detail)); err != nil {
		return nil, err
	}
	n.Version++
	return n, nil
}

// actionEntry returns the audit entry of an event a person applied to a
// number; each is spelt out so that the audit log's list of actions can
// be checked against the code.
func actionEntry(ctx context.Context, event string, n *Number, detail map[string]string) audit.Entry {
	switch event {
	case EventReserve:
		return audit.Record(ctx, "number.reserve", "number", n.ID, n.CustomerID, detail)
	case EventUnreserve:
		return audit.Record(ctx, "number.unreserve", "number", n.ID, n.CustomerID, detail)
	case EventAssign:
		return audit.Record(ctx, "number.assign", "number", n.ID, n.CustomerID, detail)
	case EventUnassign:
		return audit.Record(ctx, "number.unassign", "number", n.ID, n.CustomerID, detail)
	case EventMarkTest:
		return audit.Record(ctx, "number.mark_test", "number", n.ID, n.CustomerID, detail)
	}
	return audit.Record(ctx, "number.release", "number", n.ID, n.CustomerID, detail)
}

// Offers reports whether a person may apply an event to a number now: the
// transition table allows it, their role does, and the number is ready
// for it (a number porting in is assigned once it appeared; only an
// assigned number is unassigned). Pages offer exactly these actions.
func Offers(a *enlace.Actor, n *Number, event string) bool {
	if _, ok := Next(n.State, event); !ok || mayAct(a, n, event) != nil {
		return false
	}
	switch event {
	case EventAssign:
		return n.State != StatePortingIn || n.AssignableAt != nil
	case EventUnassign:
		return n.Assigned()
	}
	return true
}

// mayAct checks the actor's right to an event on a number it sees.
func mayAct(a *enlace.Actor, n *Number, event string) error {
	switch event {
	case EventPortIn, EventPortDone, EventPortFailed:
		return enlace.Errorf(enlace.ECONFLICT, "numbering.error.porting_event")
	case EventAssign, EventUnassign:
		if !CanAssign(a) {
			return forbidden()
		}
	case EventRelease:
		if CanManage(a) || (CanAssign(a) && !a.IsStaff() && n.State == StateTest) {
			return nil
		}
		return forbidden()
	case EventReserve, EventUnreserve, EventMarkTest:
		if !CanManage(a) {
			return forbidden()
		}
	default:
		return enlace.Invalid([]enlace.FieldError{enlace.Field("event", "numbering.error.event")})
	}
	return nil
}

// checkAssignee checks an assignment: a kind, a name, a sign-in name for
// people and resource accounts, and, when the customer loaded its tenant's
// users, the licences a user needs to be given a number.
func (s *Service) checkAssignee(ctx context.Context, n *Number, as Assignee) error {
	var fields []enlace.FieldError
	if !slices.Contains(AssigneeKinds, as.Kind) {
		fields = append(fields, enlace.Field("assigneeKind", "numbering.error.assignee_kind"))
	}
	name, ref := strings.TrimSpace(as.Name), strings.TrimSpace(as.Ref)
	if name == "" || utf8.RuneCountInString(name) > maxName {
		fields = append(fields, enlace.Field("assigneeName", "numbering.error.assignee_name"))
	}
	if as.Kind != AssigneeCommonArea && (ref == "" || utf8.RuneCountInString(ref) > maxName || strings.ContainsAny(ref, " \t\r\n")) {
		fields = append(fields, enlace.Field("assigneeRef", "numbering.error.assignee_ref"))
	}
	if len(fields) > 0 {
		return enlace.Invalid(fields)
	}
	if s.licences == nil || as.Kind == AssigneeCommonArea {
		return nil
	}
	missing, checked, err := s.licences.Missing(ctx, n.CustomerID, ref)
	if err != nil {
		return err
	}
	if checked && len(missing) > 0 {
		// The sentence, then each missing item (licensing.missing.*) as a
		// message of its own, so every reader gets them in their language.
		fields := []enlace.FieldError{enlace.Field("assigneeRef", "numbering.error.licences")}
		for _, m := range missing {
			fields = append(fields, enlace.Field("assigneeRef", m))
		}
		return enlace.Invalid(fields)
	}
	return nil
}

// Details are a number's editable particulars.
type Details struct {
	SiteID   string
	CNAM     string
	Location string
	Note     string
}

// Update changes a number's caller name, emergency location, site and
// remark. Customers may change them on their numbers (administrators and
// technical contacts).
func (s *Service) Update(ctx context.Context, id string, d Details) (*Number, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	n, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanAssign(a) {
		return nil, forbidden()
	}
	if n.State == StateReleased {
		return nil, enlace.Errorf(enlace.ECONFLICT, "numbering.error.released")
	}
	d.CNAM, d.Location, d.Note = strings.TrimSpace(d.CNAM), strings.TrimSpace(d.Location), strings.TrimSpace(d.Note)
	fields := checkDetails(d)
	site, err := s.checkSite(ctx, n.CustomerID, d.SiteID)
	if err != nil {
		return nil, err
	}
	if fields = append(fields, site...); len(fields) > 0 {
		return nil, enlace.Invalid(fields)
	}
	n.SiteID, n.CNAM, n.Location, n.Note = d.SiteID, d.CNAM, d.Location, d.Note
	entry := audit.Record(ctx, "number.update", "number", n.ID, n.CustomerID,
		map[string]string{"number": n.E164, "cnam": n.CNAM, "location": n.Location})
	if err := s.store.SaveNumbers(ctx, []Number{*n}, entry); err != nil {
		return nil, err
	}
	n.Version++
	return n, nil
}

// checkSite checks that a site, if one is named, is the customer's.
func (s *Service) checkSite(ctx context.Context, customerID, siteID string) ([]enlace.FieldError, error) {
	if siteID == "" {
		return nil, nil
	}
	site, err := s.store.SiteByID(ctx, siteID)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND || err == nil && site.CustomerID != customerID {
		return []enlace.FieldError{enlace.Field("siteId", "numbering.error.site")}, nil
	}
	return nil, err
}

// checkCustomer checks that a customer exists.
func (s *Service) checkCustomer(ctx context.Context, customerID string) ([]enlace.FieldError, error) {
	if customerID == "" {
		return []enlace.FieldError{enlace.Field("customerId", "numbering.error.customer")}, nil
	}
	_, err := s.store.CustomerByID(ctx, customerID)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return []enlace.FieldError{enlace.Field("customerId", "numbering.error.customer")}, nil
	}
	return nil, err
}

// checkDetails checks the particulars of a number: a caller name carriers
// keep (15 letters, digits, spaces and simple punctuation) and texts of
// bounded length.
func checkDetails(d Details) []enlace.FieldError {
	var fields []enlace.FieldError
	if utf8.RuneCountInString(d.CNAM) > maxCNAM || strings.ContainsFunc(d.CNAM, func(r rune) bool {
		return r < ' ' || r > '~'
	}) {
		fields = append(fields, enlace.Field("cnam", "numbering.error.cnam", "Max", maxCNAM))
	}
	if utf8.RuneCountInString(d.Location) > maxLocation {
		fields = append(fields, enlace.Field("location", "numbering.error.too_long", "Max", maxLocation))
	}
	if utf8.RuneCountInString(d.Note) > maxNote {
		fields = append(fields, enlace.Field("note", "numbering.error.too_long", "Max", maxNote))
	}
	return fields
}

// Parse reads a phone number as people write it (contact.ParsePhone:
// spaces, dashes, a leading + or 00, Mexican numbers without a country
// code) and returns it in E.164 with its ISO region, or ok false when it
// is not a valid number of any country libphonenumber knows.
func Parse(s string) (e164, region string, ok bool) {
	num, ok := contact.ParsePhone(s)
	if !ok {
		return "", "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), phonenumbers.GetRegionCodeForNumber(num), true
}

// Format shows an E.164 number in international format (+52 55 1234 5678),
// as a number of a customer anywhere is written in its inventory.
func Format(e164 string) string {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}
