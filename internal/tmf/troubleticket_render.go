package tmf

import (
	"slices"

	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// TroubleTicketPath is the base path of TMF621 Trouble Ticket v5.
const TroubleTicketPath = "/tmf-api/troubleTicket/v5"

var troubleTicketV5 = apiVersion{"v5", TroubleTicketPath}

// severityWords are the severities shown for requests whose client gave
// none (those raised in the portal): the priority's word.
var severityWords = map[string]string{
	servicedesk.PriorityCritical: "Critical", servicedesk.PriorityHigh: "High",
	servicedesk.PriorityMedium: "Medium", servicedesk.PriorityLow: "Low",
}

// ticketDefaults are the kept attributes a ticket shows when its client
// gave none: its type, and the channel the request came by.
func ticketDefaults(channel string) map[string]any {
	return map[string]any{"@type": "TroubleTicket", "channel": map[string]any{"@type": "ChannelRef", "id": channel, "name": channel}}
}

// shownSeverity is a request's severity: the client's word, else its
// priority's.
func shownSeverity(r *servicedesk.Request) string {
	if r.Severity != "" {
		return r.Severity
	}
	return severityWords[r.Priority]
}

// shownTicketType is a request's ticket type: the client's word, else its
// request type's key.
func shownTicketType(r *servicedesk.Request) string {
	if r.TicketType != "" {
		return r.TicketType
	}
	return r.TypeKey
}

func ticketHref(base, id string) string { return base + TroubleTicketPath + "/troubleTicket/" + id }

// renderTicket returns a request as a TMF621 v5 trouble ticket: the
// attributes the client sent that Enlace keeps, and those it maps or
// sets. severity and ticketType are the client's words, or for a request
// raised elsewhere the priority's word and the request type's key. v adds
// the notes (the public thread), attachments and status history when not
// nil; lists leave them out.
func renderTicket(r *servicedesk.Request, v *servicedesk.View, base string) (map[string]any, error) {
	m, err := keptAttributes(r)
	if err != nil {
		return nil, err
	}
	for k, v := range ticketDefaults(r.Channel) {
		setDefault(m, k, v)
	}
	m["id"], m["href"] = r.ID, ticketHref(base, r.ID)
	m["name"], m["description"] = r.Subject, r.Description
	m["severity"], m["ticketType"] = shownSeverity(r), shownTicketType(r)
	m["priority"] = severityWords[r.Priority]
	m["status"], m["statusChangeDate"] = servicedesk.TMFStatus(r.Phase), tmfTime(r.PhaseChangedAt)
	if reason := statusReason(r.Phase, r.PhaseReason, r.Resolution); reason != "" {
		m["statusChangeReason"] = reason
	}
	m["creationDate"], m["lastUpdate"] = tmfTime(r.CreatedAt), tmfTime(r.UpdatedAt)
	m["expectedResolutionDate"] = tmfTime(r.ResolutionDueAt)
	if r.ResolvedAt != nil {
		m["resolutionDate"] = tmfTime(*r.ResolvedAt)
	}
	setList(m, "relatedParty", append(ticketParties(r, base), items(m["relatedParty"])...))
	setList(m, "relatedEntity", append(ticketEntities(r), items(m["relatedEntity"])...))
	if v != nil {
		m["note"], m["attachment"], m["statusChangeHistory"] = notes(v), attachments(v, base), history(v)
	}
	return m, nil
}

// statusReason is why a request is in its phase: the solution while
// resolved, else the reason given.
func statusReason(phase, reason, resolution string) string {
	if phase == servicedesk.PhaseResolved {
		return resolution
	}
	return reason
}

// setList sets an array attribute, or leaves it out when empty.
func setList(m map[string]any, k string, l []any) {
	if len(l) == 0 {
		delete(m, k)
		return
	}
	m[k] = l
}

// items reads a JSON array; nil when x is none.
func items(x any) []any {
	l, _ := x.([]any)
	return l
}

// party is a v5 related party referring to a party by id.
func party(role, id, name, referredType, href string) map[string]any {
	ref := map[string]any{"@type": "PartyRef", "id": id, "@referredType": referredType}
	if name != "" {
		ref["name"] = name
	}
	if href != "" {
		ref["href"] = href
	}
	return map[string]any{"@type": "RelatedPartyRefOrPartyRoleRef", "role": role, "partyOrPartyRole": ref}
}

// ticketParties are the parties Enlace knows of a request: the customer
// (the TMF632 organization), who raised it and the agent who has it.
func ticketParties(r *servicedesk.Request, base string) []any {
	var out []any
	if r.CustomerID != "" {
		out = append(out, party(roleCustomer, r.CustomerID, r.CustomerName, "Organization", base+PartyPath+"/organization/"+r.CustomerID))
	}
	if r.RequesterID != "" {
		out = append(out, party(roleRequester, r.RequesterID, r.RequesterName, "Individual", ""))
	}
	if r.AssigneeID != "" {
		out = append(out, party(roleAssignee, r.AssigneeID, r.AssigneeName, "Individual", ""))
	}
	return out
}

func entity(role, id, name, referredType string) map[string]any {
	ref := map[string]any{"@type": "EntityRef", "id": id, "@referredType": referredType}
	if name != "" {
		ref["name"] = name
	}
	return map[string]any{"@type": "RelatedEntity", "role": role, "entity": ref}
}

// ticketEntities are what a request is about: the service (named by its
// key), its billing account and its site.
func ticketEntities(r *servicedesk.Request) []any {
	var out []any
	if r.ServiceID != "" {
		out = append(out, entity(roleAffectedService, r.ServiceID, r.ServiceKey, "Service"))
	}
	if r.BillingAccountID != "" {
		out = append(out, entity(roleBillingAccount, r.BillingAccountID, "", "BillingAccount"))
	}
	if r.SiteID != "" {
		out = append(out, entity(roleSite, r.SiteID, r.SiteName, "GeographicSite"))
	}
	return out
}

// notes are the request's thread as TMF621 notes; internal notes, which
// only the provider's staff read in the portal, never leave it.
func notes(v *servicedesk.View) []any {
	out := []any{}
	for _, c := range v.Comments {
		if c.Internal {
			continue
		}
		out = append(out, map[string]any{"@type": "Note", "id": c.ID, "author": c.AuthorName, "date": tmfTime(c.CreatedAt), "text": c.Body})
	}
	return out
}

// attachments refer to the request's files, downloaded through
// /api/v1 with the same token.
func attachments(v *servicedesk.View, base string) []any {
	out := []any{}
	for _, d := range v.Documents {
		name := d.Title
		if name == "" {
			name = d.FileName
		}
		out = append(out, map[string]any{"@type": "AttachmentRef", "id": d.ID, "name": name, "@referredType": "Attachment",
			"url": base + "/api/v1/requests/" + v.Request.ID + "/attachments/" + d.ID})
	}
	return out
}

// history is the request's phase changes, oldest first.
func history(v *servicedesk.View) []any {
	events := slices.Clone(v.Events)
	slices.SortStableFunc(events, func(a, b servicedesk.Event) int { return a.At.Compare(b.At) })
	out := make([]any, len(events))
	for i, ev := range events {
		sc := map[string]any{"@type": "StatusChange", "status": servicedesk.TMFStatus(ev.Phase), "statusChangeDate": tmfTime(ev.At)}
		if ev.Reason != "" {
			sc["statusChangeReason"] = ev.Reason
		}
		out[i] = sc
	}
	return out
}

// selectAttributes keeps the attributes of a ticket a fields selection
// names, and id, href and @type unless exact.
func selectAttributes(m map[string]any, fields []string, exact bool) map[string]any {
	if len(fields) == 0 {
		return m
	}
	out := map[string]any{}
	for k, v := range m {
		if slices.Contains(fields, k) || (!exact && (k == "id" || k == "href" || k == "@type")) {
			out[k] = v
		}
	}
	return out
}

// deletedTicket is what an event says of a request that can no longer be
// read: what the change's job carried.
func deletedTicket(id, phase, base string) map[string]any {
	return map[string]any{"@type": "TroubleTicket", "id": id, "href": ticketHref(base, id), "status": servicedesk.TMFStatus(phase)}
}
