package servicedesk

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// Limits of what a request holds.
const (
	maxSubject     = 200
	maxDescription = 10000
	maxFieldText   = 300
	maxFieldLong   = 4000
	maxFieldCount  = 50
)

// Input is a new request.
type Input struct {
	// CustomerID is the customer staff raise the request for (empty for
	// one of their own); a customer user's requests are always for the
	// customer they act for.
	CustomerID string
	TypeKey    string
	// ServiceKey names the service the request is about; its customer,
	// billing account and site become the request's.
	ServiceKey string
	// BillingAccountID and SiteID place a request without a service.
	BillingAccountID string
	SiteID           string
	Subject          string
	Description      string
	// Priority is empty for the type's.
	Priority string
	// Fields answer the type's form.
	Fields map[string]string
	// Channel is empty for the portal; staff may record a phone call or
	// an e-mail, the API adapters say which API.
	Channel string
	// Severity, TicketType and External are a TMF621 client's.
	Severity, TicketType, External string
}

// Upload is a file given with a new request for one of the attachments
// its type needs (Key), or as a plain attachment (Key empty).
type Upload struct {
	Key      string
	FileName string
	File     *document.File
}

// Create raises a request (E1, E7): it checks the form against the type,
// places the request on its service's account and site, sets its SLA
// targets on the working calendar, gives it a folio and tells the
// requester, all in one transaction with its attachments.
func (s *Service) Create(ctx context.Context, in Input, uploads []Upload) (*View, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !MayRaise(a) {
		return nil, forbidden()
	}
	r, tp, errs := s.build(ctx, a, in)
	if len(uploads) > 0 && s.files == nil {
		return nil, errNoFiles
	}
	if len(uploads) > 0 && r != nil && r.CustomerID == "" {
		errs = append(errs, enlace.Field("attachment", "servicedesk.error.attachment_customer"))
	}
	errs = append(errs, checkUploads(tp, uploads)...)
	if err := enlace.Invalid(errs); err != nil {
		return nil, err
	}
	cal, err := s.calendar.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	r.ID, r.Phase, r.PhaseChangedAt = enlace.NewID(), PhaseNew, now
	s.setTargets(r, cal, now)
	steps := make([]Step, len(tp.Checklist))
	for i, st := range tp.Checklist {
		steps[i] = Step{RequestID: r.ID, Key: st.Key, Seq: i + 1, Label: st.Label, Mandatory: !st.Optional}
	}
	var docs []*document.Document
	discard := func() {
		for _, d := range docs {
			s.files.Discard(ctx, d)
		}
	}
	effects := []enlace.Effect{}
	for _, u := range uploads {
		d, err := s.prepare(ctx, r, tp, u)
		if err != nil {
			discard()
			return nil, err
		}
		docs = append(docs, d)
		effects = append(effects, *d)
	}
	ev := Event{ID: enlace.NewID(), RequestID: r.ID, Phase: PhaseNew, ActorID: a.UserID, ActorName: a.Name}
	effects = append(effects, audit.Record(ctx, "request.create", "request", r.ID, r.CustomerID,
		map[string]string{"type": r.TypeKey, "priority": r.Priority, "channel": r.Channel}))
	effects = append(effects, slaJob(r)...)
	// The folio is given by the store in the transaction; the notice
	// that quotes it is made once it is.
	watched := s.changed(ctx, r, EventCreate)
	notices := func(r *Request) []enlace.Effect {
		if len(watched) > 0 {
			watched = s.changed(ctx, r, EventCreate) // with the folio
		}
		return append(s.receivedNotices(ctx, r), watched...)
	}
	if err := s.store.CreateRequest(ctx, r, steps, ev, notices, effects...); err != nil {
		discard()
		return nil, err
	}
	// A new request is all known: its view needs no reading back.
	ev.At = r.CreatedAt
	v := &View{Request: r, Type: tp, Steps: steps, Comments: []Comment{}, Events: []Event{ev}, Now: now}
	for _, d := range docs {
		v.Documents = append(v.Documents, *d)
	}
	s.allow(a, v)
	return v, nil
}

var errNoFiles = enlace.Errorf(enlace.EINTERNAL, "error.internal")

// errNoCustomerFiles refuses files on a request without a customer:
// attachments are kept with a customer's documents.
var errNoCustomerFiles = enlace.Invalid([]enlace.FieldError{enlace.Field("attachment", "servicedesk.error.attachment_customer")})

// build checks a new request against its type and the actor's reach and
// returns it with its type, or the field errors.
func (s *Service) build(ctx context.Context, a *enlace.Actor, in Input) (*Request, *Type, []enlace.FieldError) {
	var errs []enlace.FieldError
	tp := s.catalog.Type(in.TypeKey)
	if tp == nil {
		return nil, nil, []enlace.FieldError{enlace.Field("type", "servicedesk.error.type")}
	}
	if !a.IsStaff() && !tp.MayRaise(a.CustomerRole) {
		return nil, nil, []enlace.FieldError{enlace.Field("type", "servicedesk.error.type_role")}
	}
	r := &Request{TypeKey: tp.Key, Kind: tp.Kind, Category: tp.RequestCategory(), Incident: tp.Incident,
		Queue: tp.Queue, Priority: tp.Priority, RequesterID: a.UserID, RequesterName: a.Name, RequesterEmail: a.Email,
		CreatedBy: a.UserID, Channel: ChannelPortal, Severity: in.Severity, TicketType: in.TicketType, External: in.External}
	r.CustomerID = in.CustomerID
	if !a.IsStaff() {
		r.CustomerID = a.CustomerID
	}
	errs = append(errs, s.place(ctx, a, r, tp, in)...)

	r.Subject = strings.TrimSpace(in.Subject)
	r.Description = strings.TrimSpace(in.Description)
	if r.Subject == "" {
		r.Subject = tp.Name.In(a.Locale)
		if r.ServiceKey != "" {
			r.Subject += " · " + r.ServiceKey
		}
	}
	if utf8.RuneCountInString(r.Subject) > maxSubject {
		errs = append(errs, enlace.Field("subject", "servicedesk.error.too_long", "Max", maxSubject))
	}
	switch n := utf8.RuneCountInString(r.Description); {
	case n == 0:
		errs = append(errs, enlace.Field("description", "servicedesk.error.description_required"))
	case n > maxDescription:
		errs = append(errs, enlace.Field("description", "servicedesk.error.too_long", "Max", maxDescription))
	}
	if in.Priority != "" {
		if !slices.Contains(Priorities, in.Priority) {
			errs = append(errs, enlace.Field("priority", "servicedesk.error.priority"))
		}
		r.Priority = in.Priority
	}
	if in.Channel != "" {
		if !slices.Contains(Channels, in.Channel) || (!a.IsStaff() && in.Channel != ChannelAPI && in.Channel != ChannelTMF) {
			errs = append(errs, enlace.Field("channel", "servicedesk.error.channel"))
		}
		r.Channel = in.Channel
	}
	fields, ferrs := checkFields(tp, in.Fields)
	r.Fields = fields
	return r, tp, append(errs, ferrs...)
}

// place sets the request's customer, account, site and service from its
// service key or the account and site given, within the actor's reach.
func (s *Service) place(ctx context.Context, a *enlace.Actor, r *Request, tp *Type, in Input) []enlace.FieldError {
	key := strings.ToUpper(strings.TrimSpace(in.ServiceKey))
	if key == "" {
		if tp.Service == ServiceRequired {
			return []enlace.FieldError{enlace.Field("service_key", "servicedesk.error.service_required")}
		}
		return s.placeWithoutService(ctx, a, r, in)
	}
	if tp.Service == ServiceNone {
		return []enlace.FieldError{enlace.Field("service_key", "servicedesk.error.service_none")}
	}
	svc, err := s.store.ServiceByKey(ctx, key)
	if err != nil || (r.CustomerID != "" && svc.CustomerID != r.CustomerID) ||
		(!a.IsStaff() && a.BillingAccountIDs != nil && !slices.Contains(a.BillingAccountIDs, svc.BillingAccountID)) {
		// Another customer's key reads as unknown: nothing says it exists.
		return []enlace.FieldError{enlace.Field("service_key", "servicedesk.error.service_unknown")}
	}
	r.CustomerID, r.ServiceID, r.ServiceKey = svc.CustomerID, svc.ID, svc.Key
	r.BillingAccountID, r.SiteID = svc.BillingAccountID, svc.SiteID
	return nil
}

func (s *Service) placeWithoutService(ctx context.Context, a *enlace.Actor, r *Request, in Input) []enlace.FieldError {
	var errs []enlace.FieldError
	if r.CustomerID == "" {
		if in.BillingAccountID != "" || in.SiteID != "" {
			errs = append(errs, enlace.Field("customer", "servicedesk.error.customer_required"))
		}
		return errs
	}
	account := in.BillingAccountID
	if account == "" && !a.IsStaff() && len(a.BillingAccountIDs) == 1 {
		account = a.BillingAccountIDs[0]
	}
	switch {
	case account != "":
		ba, err := s.store.BillingAccountByID(ctx, account)
		if err != nil || ba.CustomerID != r.CustomerID ||
			(!a.IsStaff() && a.BillingAccountIDs != nil && !slices.Contains(a.BillingAccountIDs, ba.ID)) {
			errs = append(errs, enlace.Field("billing_account", "servicedesk.error.account_unknown"))
		}
		r.BillingAccountID = account
	case !a.IsStaff() && a.BillingAccountIDs != nil:
		// A user who sees some accounts only must say which one, or
		// they could not see their own request.
		errs = append(errs, enlace.Field("billing_account", "servicedesk.error.account_required"))
	}
	if in.SiteID != "" {
		site, err := s.store.SiteByID(ctx, in.SiteID)
		if err != nil || site.CustomerID != r.CustomerID {
			errs = append(errs, enlace.Field("site", "servicedesk.error.site_unknown"))
		}
		r.SiteID = in.SiteID
	}
	return errs
}

// checkFields checks the answers to a type's form and returns them
// normalised (phones in E.164, trimmed text).
func checkFields(tp *Type, in map[string]string) (Fields, []enlace.FieldError) {
	var errs []enlace.FieldError
	out := Fields{}
	if len(in) > maxFieldCount {
		return out, []enlace.FieldError{enlace.Field("fields", "servicedesk.error.fields")}
	}
	for key := range in {
		if tp.Field(key) == nil {
			errs = append(errs, enlace.Field("fields."+key, "servicedesk.error.field_unknown", "Field", key))
		}
	}
	for _, f := range tp.Fields {
		name := "fields." + f.Key
		v := strings.TrimSpace(in[f.Key])
		if v == "" {
			if f.Required {
				errs = append(errs, enlace.Field(name, "servicedesk.error.field_required"))
			}
			continue
		}
		limit := maxFieldText
		if f.Kind == FieldTextarea {
			limit = maxFieldLong
		}
		if f.Max > 0 {
			limit = f.Max
		}
		if utf8.RuneCountInString(v) > limit {
			errs = append(errs, enlace.Field(name, "servicedesk.error.too_long", "Max", limit))
			continue
		}
		switch f.Kind {
		case FieldSelect:
			if !slices.ContainsFunc(f.Options, func(o Option) bool { return o.Key == v }) {
				errs = append(errs, enlace.Field(name, "servicedesk.error.field_option"))
			}
		case FieldDate:
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				errs = append(errs, enlace.Field(name, "servicedesk.error.field_date"))
			}
		case FieldEmail:
			if addr, err := mail.ParseAddress(v); err != nil || addr.Address != v {
				errs = append(errs, enlace.Field(name, "servicedesk.error.field_email"))
			}
		case FieldPhone:
			e164, ok := contact.NormalizePhone(v)
			if !ok {
				errs = append(errs, enlace.Field(name, "servicedesk.error.field_phone"))
			}
			v = e164
		case FieldNumber:
			if n, err := strconv.ParseFloat(v, 64); err != nil || n < 0 {
				errs = append(errs, enlace.Field(name, "servicedesk.error.field_number"))
			}
		}
		out[f.Key] = v
	}
	return out, errs
}

// checkUploads checks that the files given match the type's attachments
// and that none it requires is missing.
func checkUploads(tp *Type, uploads []Upload) []enlace.FieldError {
	if tp == nil {
		return nil
	}
	var errs []enlace.FieldError
	given := map[string]bool{}
	for _, u := range uploads {
		if u.Key != "" && !slices.ContainsFunc(tp.Attachments, func(at Attachment) bool { return at.Key == u.Key }) {
			errs = append(errs, enlace.Field("attachment."+u.Key, "servicedesk.error.attachment_unknown"))
		}
		if u.File != nil {
			given[u.Key] = true
		}
	}
	for _, at := range tp.Attachments {
		if at.Required && !given[at.Key] {
			errs = append(errs, enlace.Field("attachment."+at.Key, "servicedesk.error.attachment_required"))
		}
	}
	return errs
}

// prepare checks and stores a file for a request, returning its document
// for the request's change to store.
func (s *Service) prepare(ctx context.Context, r *Request, tp *Type, u Upload) (*document.Document, error) {
	title := strings.TrimSpace(u.FileName)
	if tp != nil {
		for _, at := range tp.Attachments {
			if at.Key == u.Key {
				title = at.Label.In(localeOf(ctx))
			}
		}
	}
	if utf8.RuneCountInString(title) > 200 {
		title = string([]rune(title)[:200])
	}
	kind := document.KindOther
	if u.Key == "invoice" {
		kind = document.KindInvoice
	}
	d, err := s.files.Prepare(ctx, document.Document{CustomerID: r.CustomerID, BillingAccountID: r.BillingAccountID,
		Kind: kind, Title: title, FileName: u.FileName, RequestID: r.ID}, u.File)
	var e *enlace.Error
	if u.Key != "" && errors.As(err, &e) {
		// Name the attachment the file was given for, so that the form
		// shows the problem next to its input.
		for i := range e.Fields {
			if e.Fields[i].Field == "file" {
				e.Fields[i].Field = "attachment." + u.Key
			}
		}
	}
	return d, err
}

func localeOf(ctx context.Context) string {
	if a := enlace.ActorFrom(ctx); a != nil && a.Locale != "" {
		return a.Locale
	}
	return "es-MX"
}

// Folio formats the folio of the nth request of a year.
func Folio(year int, n int64) string { return fmt.Sprintf("REQ-%d-%06d", year, n) }
