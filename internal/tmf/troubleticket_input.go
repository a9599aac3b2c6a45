package tmf

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// generalType is the request type of a ticket that names no type or
// category Enlace knows: a general incident, with or without a service.
const generalType = "general_support"

// Roles of the related parties and entities Enlace sets from the request
// itself; the client's entries with other roles are kept as sent.
const (
	roleCustomer        = "customer"
	roleRequester       = "requester"
	roleAssignee        = "assignee"
	roleAffectedService = "affectedService"
	roleBillingAccount  = "billingAccount"
	roleSite            = "site"
)

// ticketAttributes are the attributes Enlace maps onto a request's own
// columns or sets itself; every other attribute a client sends is kept
// in Request.External and returned as sent. Those Enlace sets itself that
// TMF621's conformance profile lists as patchable (lastUpdate,
// statusChangeHistory, the resolution dates, attachment) a PATCH may
// carry, but they do not change.
var ticketAttributes = []string{"id", "href", "name", "description", "severity", "ticketType", "priority", "status",
	"statusChangeReason", "statusChangeDate", "statusChangeHistory", "creationDate", "lastUpdate",
	"expectedResolutionDate", "resolutionDate", "note", "attachment"}

// ticketInput is what Enlace reads of a trouble ticket body. Pointers
// tell a PATCH's absent attributes from empty ones.
type ticketInput struct {
	Name                        *string        `json:"name"`
	Description                 *string        `json:"description"`
	Severity                    *string        `json:"severity"`
	TicketType                  *string        `json:"ticketType"`
	Priority                    *string        `json:"priority"`
	Status                      *string        `json:"status"`
	StatusChangeReason          string         `json:"statusChangeReason"`
	Note                        []ticketNote   `json:"note"`
	RelatedParty                []partyInput   `json:"relatedParty"`
	RelatedEntity               []entityInput  `json:"relatedEntity"`
	TroubleTicketCharacteristic []charInput    `json:"troubleTicketCharacteristic"`
	ExternalIdentifier          []refInput     `json:"externalIdentifier"`
	TroubleTicketRelationship   []relationship `json:"troubleTicketRelationship"`
	RequestedResolutionDate     string         `json:"requestedResolutionDate"`
}

type ticketNote struct {
	ID   string  `json:"id"`
	Text *string `json:"text"`
}

type entityInput struct {
	Role   string    `json:"role"`
	Entity *refInput `json:"entity"`
}

type relationship struct {
	ID               string `json:"id"`
	RelationshipType string `json:"relationshipType"`
}

// parseTicket reads a trouble ticket body: the attributes Enlace reads,
// checked (create: a new ticket, whose description, severity and
// ticketType are mandatory), and the body as a document.
func parseTicket(raw []byte, create bool) (*ticketInput, map[string]any, error) {
	var in ticketInput
	if err := unmarshal(raw, &in); err != nil {
		return nil, nil, err
	}
	doc, err := decodeObject(raw)
	if err != nil {
		return nil, nil, err
	}
	if err := in.validate(create); err != nil {
		return nil, nil, err
	}
	return &in, doc, nil
}

func (in *ticketInput) validate(create bool) error {
	var errs []enlace.FieldError
	for _, m := range []struct {
		name string
		v    *string
	}{{"description", in.Description}, {"severity", in.Severity}, {"ticketType", in.TicketType}} {
		if (create && m.v == nil) || (m.v != nil && strings.TrimSpace(*m.v) == "") {
			errs = append(errs, enlace.Field(m.name, "tmf.required"))
		}
	}
	if in.Priority != nil {
		if _, ok := priorityOf(*in.Priority); !ok {
			errs = append(errs, enlace.Field("priority", "tmf621.priority"))
		}
	}
	if slices.ContainsFunc(in.Note, func(n ticketNote) bool { return n.Text == nil || strings.TrimSpace(*n.Text) == "" }) {
		errs = append(errs, enlace.Field("note.text", "tmf.required"))
	}
	if slices.ContainsFunc(in.RelatedParty, func(p partyInput) bool { return p.Role == "" }) {
		errs = append(errs, enlace.Field("relatedParty.role", "tmf.required"))
	}
	if slices.ContainsFunc(in.RelatedEntity, func(e entityInput) bool { return e.Role == "" }) {
		errs = append(errs, enlace.Field("relatedEntity.role", "tmf.required"))
	}
	if slices.ContainsFunc(in.RelatedEntity, func(e entityInput) bool { return e.Entity == nil || e.Entity.ID == "" }) {
		errs = append(errs, enlace.Field("relatedEntity.entity.id", "tmf.required"))
	}
	if slices.ContainsFunc(in.ExternalIdentifier, func(e refInput) bool { return e.ID == "" }) {
		errs = append(errs, enlace.Field("externalIdentifier.id", "tmf.required"))
	}
	if slices.ContainsFunc(in.TroubleTicketRelationship, func(r relationship) bool { return r.ID == "" || r.RelationshipType == "" }) {
		errs = append(errs, enlace.Field("troubleTicketRelationship", "tmf621.relationship"))
	}
	if slices.ContainsFunc(in.TroubleTicketCharacteristic, func(c charInput) bool { return c.Name == "" }) {
		errs = append(errs, enlace.Field("troubleTicketCharacteristic.name", "tmf.required"))
	}
	if _, err := parseDate(in.RequestedResolutionDate); err != nil {
		errs = append(errs, enlace.Field("requestedResolutionDate", "tmf622.date_invalid"))
	}
	return enlace.Invalid(errs)
}

// severityPriorities map the severities TMF621 clients use onto
// priorities; the words are compared without regard to case.
var severityPriorities = map[string]string{
	"critical": servicedesk.PriorityCritical,
	"major":    servicedesk.PriorityHigh, "high": servicedesk.PriorityHigh,
	"medium": servicedesk.PriorityMedium,
	"minor":  servicedesk.PriorityLow, "low": servicedesk.PriorityLow,
}

// priorityOf reads a TMF621 priority: Critical, High, Medium or Low, in
// any case.
func priorityOf(s string) (string, bool) {
	p := strings.ToLower(strings.TrimSpace(s))
	return p, slices.Contains(servicedesk.Priorities, p)
}

// priority is the request priority a ticket asks for: its priority, else
// the one its severity maps to, else "" (the request type's).
func (in *ticketInput) priority() string {
	if in.Priority != nil {
		p, _ := priorityOf(*in.Priority) // checked
		return p
	}
	if in.Severity != nil {
		return severityPriorities[strings.ToLower(strings.TrimSpace(*in.Severity))]
	}
	return ""
}

// characteristic returns the value of the named troubleTicketCharacteristic
// as text, and whether there is one.
func (in *ticketInput) characteristic(name string) (string, bool) {
	for _, c := range in.TroubleTicketCharacteristic {
		if c.Name == name && c.Value != nil {
			if s, ok := c.Value.(string); ok {
				return s, true
			}
			return fmt.Sprint(c.Value), true
		}
	}
	return "", false
}

// entity returns the id of the related entity with a role (the service:
// its name, which is its key, else its id), "" when there is none.
func (in *ticketInput) entity(role string) string {
	for _, e := range in.RelatedEntity {
		if strings.EqualFold(e.Role, role) && e.Entity != nil {
			if role == roleAffectedService && e.Entity.Name != "" {
				return e.Entity.Name
			}
			return e.Entity.ID
		}
	}
	return ""
}

// typeKey picks the request type of a new ticket: the type its ticketType
// names, if that is a type key; else the first technical incident type of
// the category named by the characteristic "category" (or by ticketType)
// whose need of a service the ticket meets; else the general incident.
func (in *ticketInput) typeKey(c *servicedesk.Catalog) string {
	ticketType := strings.TrimSpace(*in.TicketType)
	if tp := c.Type(ticketType); tp != nil {
		return tp.Key
	}
	category, ok := in.characteristic("category")
	if !ok {
		category = ticketType
	}
	withService := in.entity(roleAffectedService) != ""
	for _, tp := range c.TypesOf(servicedesk.KindTechnical, category) {
		if tp.Incident && (tp.Service == servicedesk.ServiceOptional || (tp.Service == servicedesk.ServiceRequired) == withService) {
			return tp.Key
		}
	}
	return generalType
}

// request returns the new request a checked ticket asks for.
func (in *ticketInput) request(c *servicedesk.Catalog, doc map[string]any) (servicedesk.Input, error) {
	out := servicedesk.Input{TypeKey: in.typeKey(c), ServiceKey: in.entity(roleAffectedService),
		BillingAccountID: in.entity(roleBillingAccount), SiteID: in.entity(roleSite),
		Description: *in.Description, Priority: in.priority(), Channel: servicedesk.ChannelTMF,
		Severity: strings.TrimSpace(*in.Severity), TicketType: strings.TrimSpace(*in.TicketType)}
	if in.Name != nil {
		out.Subject = *in.Name
	}
	for _, p := range in.RelatedParty {
		if strings.EqualFold(p.Role, roleCustomer) {
			out.CustomerID = p.ref().ID
		}
	}
	// The characteristics named like a field of the type's form answer it.
	if tp := c.Type(out.TypeKey); tp != nil {
		for _, f := range tp.Fields {
			if v, ok := in.characteristic(f.Key); ok {
				if out.Fields == nil {
					out.Fields = map[string]string{}
				}
				out.Fields[f.Key] = v
			}
		}
	}
	ext, err := external(nil, doc, ticketDefaults(out.Channel))
	if err != nil {
		return out, err
	}
	out.External = ext
	return out, nil
}

// external returns the kept attributes (Request.External) of a ticket
// whose kept attributes were old once doc is merged in: the attributes
// Enlace does not map, each replaced whole (null, or the value Enlace
// shows by default, removes it), and the related parties and entities
// other than those Enlace sets.
func external(old, doc, defaults map[string]any) (string, error) {
	kept := maps.Clone(old)
	if kept == nil {
		kept = map[string]any{}
	}
	for k, v := range doc {
		if slices.Contains(ticketAttributes, k) {
			continue
		}
		switch k {
		case "relatedParty":
			v = othersThan(v, roleCustomer, roleRequester, roleAssignee)
		case "relatedEntity":
			v = othersThan(v, roleAffectedService, roleBillingAccount, roleSite)
		}
		if v == nil || reflect.DeepEqual(v, defaults[k]) {
			delete(kept, k)
		} else {
			kept[k] = v
		}
	}
	if len(kept) == 0 {
		return "", nil
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return "", fmt.Errorf("encode kept attributes: %w", err)
	}
	return string(b), nil
}

// othersThan returns the entries of a list of related parties or entities
// whose role is none of roles; nil when none is left.
func othersThan(x any, roles ...string) any {
	list, _ := x.([]any)
	var out []any
	for _, e := range list {
		m, _ := e.(map[string]any)
		role, _ := m["role"].(string)
		if !slices.ContainsFunc(roles, func(r string) bool { return strings.EqualFold(r, role) }) {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// keptAttributes reads a request's kept attributes.
func keptAttributes(r *servicedesk.Request) (map[string]any, error) {
	if r.External == "" {
		return map[string]any{}, nil
	}
	m, err := decodeObject([]byte(r.External))
	if err != nil {
		return nil, fmt.Errorf("request %s: kept attributes: %w", r.ID, err)
	}
	return m, nil
}

// checkPatchable refuses a patch of what no client may change: the id,
// href, creationDate and statusChangeDate, which a patch may only send
// back as they are.
func checkPatchable(patch map[string]any, r *servicedesk.Request, href string) error {
	fixed := map[string]string{"id": r.ID, "href": href, "creationDate": tmfTime(r.CreatedAt),
		"statusChangeDate": tmfTime(r.PhaseChangedAt)}
	var errs []enlace.FieldError
	for k, v := range patch {
		if now, ok := fixed[k]; ok && v != now {
			errs = append(errs, enlace.Field(k, "tmf.not_patchable"))
		}
	}
	return enlace.Invalid(errs)
}

// update returns what a patch changes of a request's own attributes; nil
// when it changes none of them, as when a client sends back what it read
// (which a customer, who may change little, must be able to do).
func (in *ticketInput) update(r *servicedesk.Request, patch map[string]any) (*servicedesk.UpdateInput, error) {
	var u servicedesk.UpdateInput
	changed := false
	set := func(dst **string, v *string, shown string) {
		if v != nil && strings.TrimSpace(*v) != shown {
			t := strings.TrimSpace(*v)
			*dst, changed = &t, true
		}
	}
	set(&u.Subject, in.Name, r.Subject)
	set(&u.Description, in.Description, r.Description)
	set(&u.Severity, in.Severity, shownSeverity(r))
	set(&u.TicketType, in.TicketType, shownTicketType(r))
	if p := in.priority(); p != "" && p != r.Priority {
		u.Priority, changed = &p, true
	}
	old, err := keptAttributes(r)
	if err != nil {
		return nil, err
	}
	ext, err := external(old, patch, ticketDefaults(r.Channel))
	if err != nil {
		return nil, err
	}
	if ext != r.External {
		u.External, changed = &ext, true
	}
	if !changed {
		return nil, nil
	}
	return &u, nil
}

// newNotes returns the texts of a patch's notes that are not yet in the
// ticket's thread: those without an id, or with one no comment has.
func (in *ticketInput) newNotes(v *servicedesk.View) []string {
	var out []string
	for _, n := range in.Note {
		if n.ID == "" || !slices.ContainsFunc(v.Comments, func(c servicedesk.Comment) bool { return c.ID == n.ID }) {
			out = append(out, strings.TrimSpace(*n.Text))
		}
	}
	return out
}

// statusAction returns the action that takes a request in phase from to
// the phase of a TMF621 status; "" when it is there already. A status
// with no phase is invalid; one no action reaches from there is a
// conflict.
func statusAction(from, status string) (string, error) {
	to, ok := servicedesk.PhaseOfTMF(status)
	if !ok {
		return "", enlace.Invalid([]enlace.FieldError{enlace.Field("status", "tmf.status_invalid",
			"Choices", strings.Join(tmfStatuses(), ", "))})
	}
	if to == from {
		return "", nil
	}
	switch to {
	case servicedesk.PhaseNew:
		if from == servicedesk.PhaseAssigned {
			return servicedesk.ActionAssign, nil // without an agent
		}
	case servicedesk.PhaseAssigned:
		if from == servicedesk.PhaseNew {
			return servicedesk.ActionAssign, nil
		}
	case servicedesk.PhaseInProgress:
		switch from {
		case servicedesk.PhaseNew, servicedesk.PhaseAssigned:
			return servicedesk.ActionStart, nil
		case servicedesk.PhaseWaitingCustomer:
			return servicedesk.ActionResume, nil
		case servicedesk.PhaseResolved:
			return servicedesk.ActionReopen, nil
		}
	case servicedesk.PhaseWaitingCustomer:
		return servicedesk.ActionWait, nil
	case servicedesk.PhaseResolved:
		return servicedesk.ActionResolve, nil
	case servicedesk.PhaseClosed:
		return servicedesk.ActionClose, nil
	case servicedesk.PhaseCancelled:
		return servicedesk.ActionCancel, nil
	}
	return "", enlace.Errorf(enlace.ECONFLICT, "tmf621.transition", "From", servicedesk.TMFStatus(from), "To", status)
}

// tmfStatuses lists the TMF621 statuses a ticket can take, in the order
// of the phases.
func tmfStatuses() []string {
	out := make([]string, len(servicedesk.Phases))
	for i, p := range servicedesk.Phases {
		out[i] = servicedesk.TMFStatus(p)
	}
	return out
}

// actInput returns the action a patch's status asks for, with what it
// needs: statusChangeReason as the reason to wait, reopen or cancel and
// as the solution (else the patch's last new note); the actor as the
// agent a held ticket is assigned to. nil when the status does not
// change.
func (in *ticketInput) actInput(r *servicedesk.Request, notes []string, a *enlace.Actor) (*servicedesk.ActInput, error) {
	if in.Status == nil {
		return nil, nil
	}
	action, err := statusAction(r.Phase, *in.Status)
	if err != nil || action == "" {
		return nil, err
	}
	act := &servicedesk.ActInput{Action: action, Reason: strings.TrimSpace(in.StatusChangeReason)}
	switch action {
	case servicedesk.ActionAssign:
		if r.Phase == servicedesk.PhaseNew {
			act.AssigneeID = a.UserID
		}
	case servicedesk.ActionResolve:
		act.Resolution, act.Reason = act.Reason, ""
		if act.Resolution == "" && len(notes) > 0 {
			act.Resolution = notes[len(notes)-1]
		}
		if act.Resolution == "" {
			return nil, reasonRequired()
		}
	case servicedesk.ActionWait, servicedesk.ActionReopen, servicedesk.ActionCancel:
		if act.Reason == "" {
			return nil, reasonRequired()
		}
	}
	return act, nil
}

func reasonRequired() error {
	return enlace.Invalid([]enlace.FieldError{enlace.Field("statusChangeReason", "tmf621.reason_required")})
}
