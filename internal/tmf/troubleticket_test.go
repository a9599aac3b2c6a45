package tmf_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// TestTicketMandatoryOnPost: TMF621's conformance profile makes
// description, severity and ticketType mandatory on POST, and a note
// needs its text; a status posted is not the client's to set.
func TestTicketMandatoryOnPost(t *testing.T) {
	f := newTickets(t)
	tests := []struct {
		name, body string
		status     int
		attribute  string
	}{
		{"no description", `{"severity":"High","ticketType":"incident",` + answers + `}`, 400, "description"},
		{"no severity", `{"description":"x","ticketType":"incident",` + answers + `}`, 400, "severity"},
		{"no ticketType", `{"description":"x","severity":"High",` + answers + `}`, 400, "ticketType"},
		{"blank description", `{"description":" ","severity":"High","ticketType":"incident",` + answers + `}`, 400, "description"},
		{"a note without text", `{"description":"x","severity":"High","ticketType":"incident","note":[{"author":"a"}],` + answers + `}`, 400, "note.text"},
		{"a note as an object", `{"description":"x","severity":"High","ticketType":"incident","note":{"author":"a"}}`, 400, "note"},
		{"severity not a string", `{"description":"x","severity":3,"ticketType":"incident"}`, 400, "severity"},
		{"an unknown priority", `{"description":"x","severity":"High","ticketType":"incident","priority":"urgentísimo",` + answers + `}`, 400, "priority"},
		{"a related party without a role", `{"description":"x","severity":"High","ticketType":"incident","relatedParty":[{"partyOrPartyRole":{"id":"1"}}],` + answers + `}`, 400, "relatedParty.role"},
		{"a relationship without a type", `{"description":"x","severity":"High","ticketType":"incident","troubleTicketRelationship":[{"id":"1"}],` + answers + `}`, 400, "troubleTicketRelationship"},
		{"an unknown customer", `{"description":"x","severity":"High","ticketType":"incident","relatedParty":[{"role":"customer","partyOrPartyRole":{"id":"C-999"}}],` + answers + `}`, 400, "relatedParty"},
		{"a procedure without its answers", `{"description":"x","severity":"High","ticketType":"email_failure"}`, 400, "troubleTicketCharacteristic.address"},
	}
	for _, tc := range tests {
		r := f.do(staffAdmin, "POST", tt+"/troubleTicket", tc.body)
		var e struct{ Code, Message string }
		r.decode(t, &e)
		if r.status != tc.status || !strings.Contains(e.Message, tc.attribute) {
			t.Errorf("%s: POST = %d %s, want %d naming %s", tc.name, r.status, r.body, tc.status, tc.attribute)
		}
	}
	if r := f.do(staffAdmin, "GET", tt+"/troubleTicket", ""); r.body != "[]\n" {
		t.Errorf("after refused posts, the list = %s, want none", r.body)
	}
	// The R18 kit posts an unknown status, to the collection with a
	// trailing slash: the server sets the status.
	r := f.do(staffAdmin, "POST", tt+"/troubleTicket/", `{"description":"nanana","severity":"Low","ticketType":"connectivity",
		"status":"nanana","externalId":"123",`+answers+`}`)
	var tk ticket
	r.decode(t, &tk)
	if r.status != http.StatusCreated || tk.Status != "acknowledged" || r.header.Get("Location") != tk.Href {
		t.Errorf("POST with status nanana = %d %s, Location %q", r.status, r.body, r.header.Get("Location"))
	}
}

// TestTicketMapping: a staff ticket for customer A's service becomes a
// request of that service's category, at the priority its severity says,
// with its notes as comments; what Enlace does not map comes back as
// sent.
func TestTicketMapping(t *testing.T) {
	f := newTickets(t)
	tk := f.post(staffAdmin, `,"name":"Enlace caído","severity":"Major","ticketType":"outage",
		"relatedParty":[{"role":"customer","partyOrPartyRole":{"id":"`+f.a.ID+`","@type":"PartyRef"}},
			{"role":"reporter","partyOrPartyRole":{"id":"NOC-7","@type":"PartyRef"}}],
		"relatedEntity":[{"role":"affectedService","entity":{"id":"svc","name":"int-100"}}],
		"externalIdentifier":[{"id":"INC-42","owner":"NOC"}],
		"troubleTicketRelationship":[{"id":"T-1","relationshipType":"isDuplicateOf"}],
		"requestedResolutionDate":"2026-03-03T18:00:00Z",
		"note":[{"author":"NOC","text":"Se cayó a las 8:55"}],
		"troubleTicketCharacteristic":[{"name":"category","value":"connectivity"},{"name":"impact","value":"one_user"},
			{"name":"contact_phone","value":"+52 55 1234 5678"}]`)
	v := f.request(tk.ID)
	r := v.Request
	got := []string{r.TypeKey, r.Priority, r.Severity, r.TicketType, r.CustomerID, r.ServiceKey, r.Channel, r.Subject, r.Fields["impact"]}
	want := []string{"connectivity_support", servicedesk.PriorityHigh, "Major", "outage", f.a.ID, f.aKey, servicedesk.ChannelTMF,
		"Enlace caído", "one_user"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	if len(v.Comments) != 1 || v.Comments[0].Body != "Se cayó a las 8:55" {
		t.Errorf("comments = %+v, want the note", v.Comments)
	}
	tk = f.get(tk.ID)
	if tk.Severity != "Major" || tk.Priority != "High" || tk.TicketType != "outage" || tk.Status != "acknowledged" ||
		tk.Type != "TroubleTicket" || tk.CreationDate == "" || tk.Channel["name"] != servicedesk.ChannelTMF {
		t.Errorf("ticket = %+v", tk)
	}
	if diff := cmp.Diff(map[string]any{"customer": f.a.ID, "requester": r.RequesterID, "reporter": "NOC-7"}, tk.roles()); diff != "" {
		t.Errorf("related parties (-want +got):\n%s", diff)
	}
	if len(tk.RelatedEntity) != 3 || tk.RelatedEntity[0]["role"] != "affectedService" {
		t.Errorf("related entities = %v, want the service, its account and its site", tk.RelatedEntity)
	}
	if len(tk.Note) != 1 || tk.Note[0]["text"] != "Se cayó a las 8:55" || len(tk.StatusChangeHistory) != 1 ||
		tk.StatusChangeHistory[0]["status"] != "acknowledged" {
		t.Errorf("notes %v, history %v", tk.Note, tk.StatusChangeHistory)
	}
	raw := f.do(staffAdmin, "GET", tt+"/troubleTicket/"+tk.ID, "").body
	for _, kept := range []string{`"externalIdentifier":[{"id":"INC-42","owner":"NOC"}]`,
		`"troubleTicketRelationship":[{"id":"T-1","relationshipType":"isDuplicateOf"}]`, `"requestedResolutionDate":"2026-03-03T18:00:00Z"`} {
		if !strings.Contains(raw, kept) {
			t.Errorf("ticket %s does not return %s", raw, kept)
		}
	}
	// An internal note never leaves the portal.
	if _, err := f.desk.Comment(f.agent, tk.ID, servicedesk.CommentInput{Body: "cliente difícil", Internal: true}); err != nil {
		t.Fatal(err)
	}
	if raw := f.do(staffAdmin, "GET", tt+"/troubleTicket/"+tk.ID, "").body; strings.Contains(raw, "difícil") {
		t.Errorf("ticket shows an internal note: %s", raw)
	}
}

// TestTicketPortalRequest: a request raised in the portal reads as a
// ticket with the words derived from its priority and type.
func TestTicketPortalRequest(t *testing.T) {
	f := newTickets(t)
	v, err := f.desk.Create(f.agent, servicedesk.Input{CustomerID: f.a.ID, TypeKey: "connectivity_support", ServiceKey: f.aKey,
		Description: "Lento", Priority: servicedesk.PriorityMedium, Fields: map[string]string{"impact": "whole_site", "contact_phone": "+52 55 1234 5678"}}, nil)
	must(t, err)
	tk := f.get(v.Request.ID)
	if tk.Severity != "Medium" || tk.TicketType != "connectivity_support" || tk.Channel["name"] != servicedesk.ChannelPortal {
		t.Errorf("portal request as a ticket: severity %q, ticketType %q, channel %v", tk.Severity, tk.TicketType, tk.Channel)
	}
}

// TestTicketPatch: the profile's patchable attributes change, the
// others are refused with nothing changed; statuses move the request
// through the service desk's actions.
func TestTicketPatch(t *testing.T) {
	f := newTickets(t)
	tk := f.post(staffAdmin, `,"externalIdentifier":[{"id":"INC-1"}]`)
	path := tt + "/troubleTicket/" + tk.ID
	for _, body := range []string{`{"creationDate":"2020-01-01T00:00:00Z","name":"x"}`, `{"statusChangeDate":"2020-01-01T00:00:00Z"}`,
		`{"id":"otro"}`, `{"href":"https://elsewhere.example/t/1"}`, `{"description":""}`, `{"status":"rejected"}`,
		`{"status":"pending"}`} {
		if r := f.do(staffAgent, "PATCH", path, body); r.status != http.StatusBadRequest {
			t.Errorf("PATCH %s = %d %s, want 400", body, r.status, r.body)
		}
	}
	if got := f.get(tk.ID); got.Name != tk.Name || got.Status != "acknowledged" {
		t.Errorf("refused patches changed the ticket: %+v", got)
	}
	r := f.do(staffAgent, "PATCH", path, `{"id":"`+tk.ID+`","name":"Sin internet","description":"Desde las 8","severity":"Critical",
		"ticketType":"outage","externalIdentifier":[{"id":"INC-2"}],"channel":{"id":"noc","name":"NOC"},
		"lastUpdate":"2020-01-01T00:00:00Z","note":[{"text":"Revisando"}],"status":"inProgress"}`)
	var got ticket
	r.decode(t, &got)
	if r.status != http.StatusOK || got.Name != "Sin internet" || got.Description != "Desde las 8" || got.Priority != "Critical" ||
		got.TicketType != "outage" || got.Status != "inProgress" || got.Channel["name"] != "NOC" || len(got.Note) != 1 ||
		len(got.ExternalIdentifier) != 1 || got.ExternalIdentifier[0]["id"] != "INC-2" {
		t.Fatalf("PATCH = %d %s", r.status, r.body)
	}
	steps := []struct {
		body, status string
	}{
		{`{"status":"pending","statusChangeReason":"¿Qué luces tiene el equipo?"}`, "pending"},
		{`{"status":"inProgress"}`, "inProgress"},
		{`{"status":"resolved","statusChangeReason":"Se cambió el equipo"}`, "resolved"},
		{`{"status":"closed"}`, "closed"},
	}
	for _, st := range steps {
		got = ticket{}
		if st.status == "resolved" {
			for _, step := range f.request(tk.ID).Steps {
				_, err := f.desk.Tick(f.agent, tk.ID, step.Key, true)
				must(t, err)
			}
		}
		r := f.do(staffAgent, "PATCH", path, st.body)
		r.decode(t, &got)
		if r.status != http.StatusOK || got.Status != st.status {
			t.Fatalf("PATCH %s = %d %s", st.body, r.status, r.body)
		}
	}
	if got.StatusChangeReason != "" || len(got.StatusChangeHistory) != 6 || got.StatusChangeHistory[4]["statusChangeReason"] != "Se cambió el equipo" {
		t.Errorf("history = %v", got.StatusChangeHistory)
	}
	if r := f.do(staffAgent, "PATCH", path, `{"status":"inProgress","statusChangeReason":"otra vez"}`); r.status != http.StatusConflict {
		t.Errorf("reopening a closed ticket = %d %s, want 409", r.status, r.body)
	}
}

// TestTicketPatchSentBack: a customer, who may change little once an
// agent works the ticket, accepts the resolution by sending back the
// ticket it read with the status closed.
func TestTicketPatchSentBack(t *testing.T) {
	f := newTickets(t)
	tk := f.post(aAdmin, `,"externalIdentifier":[{"id":"MESA-9"}]`)
	path := tt + "/troubleTicket/" + tk.ID
	f.do(staffAgent, "PATCH", path, `{"status":"inProgress"}`)
	for _, step := range f.request(tk.ID).Steps {
		_, err := f.desk.Tick(f.agent, tk.ID, step.Key, true)
		must(t, err)
	}
	if r := f.do(staffAgent, "PATCH", path, `{"status":"resolved","statusChangeReason":"Listo"}`); r.status != http.StatusOK {
		t.Fatalf("resolve = %d %s", r.status, r.body)
	}
	var read map[string]any
	f.do(aAdmin, "GET", path, "").decode(t, &read)
	if r := f.do(aAdmin, "PATCH", path, `{"name":"otro"}`); r.status != http.StatusForbidden {
		t.Errorf("A renaming a ticket an agent works = %d %s, want 403", r.status, r.body)
	}
	read["status"] = "closed"
	b, err := json.Marshal(read)
	must(t, err)
	r := f.do(aAdmin, "PATCH", path, string(b))
	var got ticket
	r.decode(t, &got)
	if r.status != http.StatusOK || got.Status != "closed" {
		t.Errorf("A sending the ticket back closed = %d %s", r.status, r.body)
	}
}

// TestTicketResolveNeedsChecklist: a ticket is resolved only once its
// checklist is done, and the patch's other changes wait for that.
func TestTicketResolveNeedsChecklist(t *testing.T) {
	f := newTickets(t)
	tk := f.post(staffAdmin, ``)
	r := f.do(staffAgent, "PATCH", tt+"/troubleTicket/"+tk.ID, `{"status":"inProgress"}`)
	if r.status != http.StatusOK {
		t.Fatalf("start = %d %s", r.status, r.body)
	}
	r = f.do(staffAgent, "PATCH", tt+"/troubleTicket/"+tk.ID, `{"status":"resolved","note":[{"text":"Reinicio del equipo"}]}`)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "status") {
		t.Errorf("resolving with the checklist open = %d %s, want 400", r.status, r.body)
	}
	if got := f.get(tk.ID); got.Status != "inProgress" || len(got.Note) != 0 {
		t.Errorf("after the refused resolution: status %s, notes %v, want inProgress and none", got.Status, got.Note)
	}
}

// TestTicketFields: a fields selection keeps the attributes named, with
// id, href and @type, or exactly those (ExactFields, the R18 kit's rule).
func TestTicketFields(t *testing.T) {
	f := newTickets(t)
	tk := f.post(staffAdmin, ``)
	tests := []struct {
		srv   *httptest.Server
		query string
		want  []string
	}{
		{f.srv, "?fields=description", []string{"@type", "description", "href", "id"}},
		{f.exact, "?fields=description", []string{"description"}},
		{f.exact, "?fields=severity,status", []string{"severity", "status"}},
		{f.exact, "?fields=id,note", []string{"id", "note"}},
	}
	for _, tc := range tests {
		for _, path := range []string{"/troubleTicket/" + tk.ID, "/troubleTicket"} {
			r := f.call(tc.srv, staffAdmin, "GET", tt+path+tc.query, "")
			var m map[string]any
			if path == "/troubleTicket" {
				var l []map[string]any
				r.decode(t, &l)
				m = l[0]
			} else {
				r.decode(t, &m)
			}
			var keys []string
			for k := range m {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if diff := cmp.Diff(tc.want, keys); diff != "" && !(path == "/troubleTicket" && tc.query == "?fields=id,note") {
				t.Errorf("GET %s%s: keys (-want +got):\n%s", path, tc.query, diff)
			}
		}
	}
}

// TestTicketFilters: a list holds only the tickets matching its filters,
// and counts them.
func TestTicketFilters(t *testing.T) {
	f := newTickets(t)
	high := f.post(staffAdmin, ``)
	low := f.do(staffAdmin, "POST", tt+"/troubleTicket", `{"description":"x","severity":"Low","ticketType":"connectivity",`+answers+`}`)
	var lowT ticket
	low.decode(t, &lowT)
	f.clock.Advance(3600e9)
	if r := f.do(staffAgent, "PATCH", tt+"/troubleTicket/"+lowT.ID, `{"status":"inProgress"}`); r.status != http.StatusOK {
		t.Fatalf("start = %d %s", r.status, r.body)
	}
	later := f.post(staffAdmin, `,"priority":"Critical"`)
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{later.ID, lowT.ID, high.ID}},
		{"?severity=High", []string{later.ID, high.ID}},
		{"?ticketType=connectivity", []string{lowT.ID}},
		{"?ticketType=connectivity&severity=High", nil},
		{"?status=inProgress", []string{lowT.ID}},
		{"?status=rejected", nil},
		{"?priority=critical", []string{later.ID}},
		{"?priority=nope", nil},
		{"?creationDate.gt=" + high.CreationDate, []string{later.ID}},
		{"?creationDate.lte=" + high.CreationDate, []string{lowT.ID, high.ID}},
		{"?limit=1&offset=1", []string{lowT.ID}},
		{"?severity=High&limit=1&offset=1", []string{high.ID}},
	}
	for _, tc := range tests {
		r := f.do(staffAdmin, "GET", tt+"/troubleTicket"+tc.query, "")
		var l []ticket
		r.decode(t, &l)
		var ids []string
		for _, tk := range l {
			ids = append(ids, tk.ID)
		}
		if diff := cmp.Diff(tc.want, ids); diff != "" {
			t.Errorf("GET troubleTicket%s (-want +got):\n%s", tc.query, diff)
		}
		if tc.query == "?severity=High&limit=1&offset=1" && (r.header.Get("X-Total-Count") != "2" || r.header.Get("X-Result-Count") != "1") {
			t.Errorf("GET troubleTicket%s counts: total %s, result %s", tc.query, r.header.Get("X-Total-Count"), r.header.Get("X-Result-Count"))
		}
	}
}

// TestTicketTenancy: a customer's token raises tickets for its own
// customer, lists only those, and finds another customer's not.
func TestTicketTenancy(t *testing.T) {
	f := newTickets(t)
	staffOnly := f.post(staffAdmin, ``)
	// A names customer B: its tickets are its own customer's all the same.
	mine := f.post(aAdmin, `,"relatedParty":[{"role":"customer","partyOrPartyRole":{"id":"`+f.b.ID+`"}}]`)
	if got := f.request(mine.ID).Request.CustomerID; got != f.a.ID {
		t.Errorf("A's ticket naming B is for %s, want A %s", got, f.a.ID)
	}
	// Staff name B by its customer number.
	bs := f.post(staffAdmin, `,"relatedParty":[{"role":"customer","partyOrPartyRole":{"id":"C-200"}}]`)
	if got := f.request(bs.ID).Request.CustomerID; got != f.b.ID {
		t.Errorf("a staff ticket for customer number C-200 is for %s, want B %s", got, f.b.ID)
	}
	r := f.do(aAdmin, "GET", tt+"/troubleTicket", "")
	var l []ticket
	r.decode(t, &l)
	if len(l) != 1 || l[0].ID != mine.ID || r.header.Get("X-Total-Count") != "1" {
		t.Errorf("A's list = %s", r.body)
	}
	for _, c := range []struct{ as, method, id, body string }{
		{aAdmin, "GET", staffOnly.ID, ""},
		{bAdmin, "GET", mine.ID, ""},
		{bAdmin, "PATCH", mine.ID, `{"name":"mío"}`},
		{bAdmin, "DELETE", mine.ID, ""},
		{staffAdmin, "GET", "46846846846", ""},
	} {
		if r := f.do(c.as, c.method, tt+"/troubleTicket/"+c.id, c.body); r.status != http.StatusNotFound || !strings.Contains(r.body, `"code":"ERR404"`) {
			t.Errorf("%s %s %s = %d %s, want 404", c.as, c.method, c.id, r.status, r.body)
		}
	}
	if got := f.get(mine.ID); got.Name != mine.Name {
		t.Errorf("B's refused patch changed A's ticket: %q", got.Name)
	}
}

// TestTicketDelete: staff administrators delete a new ticket; others may
// not, and a ticket someone worked stays.
func TestTicketDelete(t *testing.T) {
	f := newTickets(t)
	tk := f.post(staffAdmin, ``)
	worked := f.post(staffAdmin, ``)
	f.do(staffAgent, "PATCH", tt+"/troubleTicket/"+worked.ID, `{"status":"inProgress"}`)
	for _, c := range []struct {
		as, id string
		want   int
	}{
		{staffAgent, tk.ID, http.StatusForbidden},
		{staffAdmin, worked.ID, http.StatusConflict},
		{staffAdmin, tk.ID, http.StatusNoContent},
		{staffAdmin, tk.ID, http.StatusNotFound},
	} {
		if r := f.do(c.as, "DELETE", tt+"/troubleTicket/"+c.id, ""); r.status != c.want {
			t.Errorf("%s DELETE = %d %s, want %d", c.as, r.status, r.body, c.want)
		}
	}
}

// TestTicketHubEvents: an agent subscribes a callback; the changes to
// tickets reach it from the job queue as the events its query asks for;
// a deleted hub hears nothing more.
func TestTicketHubEvents(t *testing.T) {
	f := newTickets(t)
	all, status := &listener{}, &listener{}
	allSrv, statusSrv := httptest.NewServer(all), httptest.NewServer(status)
	t.Cleanup(allSrv.Close)
	t.Cleanup(statusSrv.Close)
	for _, as := range []string{aAdmin, pmRole} {
		if r := f.do(as, "POST", tt+"/hub", `{"callback":"`+allSrv.URL+`"}`); r.status != http.StatusForbidden {
			t.Errorf("%s POST hub = %d %s, want 403", as, r.status, r.body)
		}
	}
	if r := f.do(staffAgent, "POST", tt+"/hub", `{"callback":"ftp://x"}`); r.status != http.StatusBadRequest {
		t.Errorf("POST hub with an ftp callback = %d, want 400", r.status)
	}
	var hub map[string]any
	r := f.do(staffAgent, "POST", tt+"/hub", `{"callback":"`+allSrv.URL+`"}`)
	r.decode(t, &hub)
	if r.status != http.StatusCreated || hub["@type"] != "Hub" || r.header.Get("Location") != hub["href"] {
		t.Fatalf("POST hub = %d %s", r.status, r.body)
	}
	r = f.do(staffAgent, "POST", tt+"/hub", `{"callback":"`+statusSrv.URL+`","query":"eventType=TroubleTicketStatusChangeEvent,TroubleTicketResolvedEvent"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("POST hub = %d %s", r.status, r.body)
	}
	tk := f.post(aAdmin, ``)
	path := tt + "/troubleTicket/" + tk.ID
	f.do(staffAgent, "PATCH", path, `{"status":"inProgress"}`)
	f.do(staffAgent, "PATCH", path, `{"status":"pending","statusChangeReason":"¿Desde cuándo?"}`)
	f.do(staffAgent, "PATCH", path, `{"name":"Sin enlace"}`)
	f.runJobs()
	want := []string{"TroubleTicketCreateEvent", "TroubleTicketStatusChangeEvent", "TroubleTicketStatusChangeEvent",
		"TroubleTicketInformationRequiredEvent", "TroubleTicketAttributeValueChangeEvent"}
	if diff := cmp.Diff(want, all.types()); diff != "" {
		t.Errorf("events to the hub of every event (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[1:3], status.types()); diff != "" {
		t.Errorf("events to the hub of status changes (-want +got):\n%s", diff)
	}
	ev := all.events[2]
	var got ticket
	b, _ := json.Marshal(ev.Event["troubleTicket"])
	must(t, json.Unmarshal(b, &got))
	if ev.Domain != "troubleTicket" || got.ID != tk.ID || got.Name != "Sin enlace" || got.Href != "https://enlace.example"+path {
		t.Errorf("status change event = %+v, ticket %+v", ev, got)
	}
	if r := f.do(aAdmin, "GET", tt+"/hub/"+hub["id"].(string), ""); r.status != http.StatusForbidden {
		t.Errorf("A GET hub = %d, want 403", r.status)
	}
	if r := f.do(staffAgent, "DELETE", tt+"/hub/"+hub["id"].(string), ""); r.status != http.StatusNoContent {
		t.Errorf("DELETE hub = %d %s", r.status, r.body)
	}
	if r := f.do(staffAgent, "GET", tt+"/hub/"+hub["id"].(string), ""); r.status != http.StatusNotFound {
		t.Errorf("GET deleted hub = %d, want 404", r.status)
	}
	f.do(staffAgent, "PATCH", path, `{"status":"inProgress"}`)
	f.runJobs()
	if n := len(all.types()); n != len(want) {
		t.Errorf("the deleted hub got %d events, want %d", n, len(want))
	}
	if got := status.types(); len(got) != 3 {
		t.Errorf("the remaining hub's events = %v, want one more status change", got)
	}
}
