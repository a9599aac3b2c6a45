package tmf_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/ordering"
)

// TestOrderStartsProjects: an item to add whose offering a runbook lists
// starts a project for the customer, account and site the order names;
// other items are kept, acknowledged.
func TestOrderStartsProjects(t *testing.T) {
	f := newOrders(t)
	o := f.post(f.exchangeOrder("OC-1"))
	if o.State != ordering.OrderInProgress || o.OrderDate == "" || o.CreationDate != o.OrderDate || o.Type != "ProductOrder" {
		t.Errorf("order = %s, orderDate %q, creationDate %q, @type %q", o.State, o.OrderDate, o.CreationDate, o.Type)
	}
	if diff := cmp.Diff(map[string]any{"1": ordering.OrderInProgress, "2": ordering.OrderAcknowledged}, o.itemStates()); diff != "" {
		t.Errorf("item states (-want +got):\n%s", diff)
	}
	ps := f.projectsOf(o.ID)
	if len(ps) != 1 || ps[0].OrderRef != "OC-1 #1" {
		t.Fatalf("projects of the order = %+v, want one with reference OC-1 #1", ps)
	}
	v, err := f.projects.Project(f.pm, ps[0].ID)
	must(t, err)
	p := v.Project
	want := activation.Project{CustomerID: f.a.ID, BillingAccountID: f.aAccount.ID, SiteID: f.aSite, ProductOrderID: o.ID,
		TemplateKey: "hosted-exchange", Title: "Correo Hosted Exchange", Options: activation.Options{"bulk_load": false, "lync_sharepoint": false}}
	got := activation.Project{CustomerID: p.CustomerID, BillingAccountID: p.BillingAccountID, SiteID: p.SiteID, ProductOrderID: p.ProductOrderID,
		TemplateKey: p.TemplateKey, Title: p.Title, Options: p.Options}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("project (-want +got):\n%s", diff)
	}
	// The same order in v5's shapes; the references as posted in v4.
	o5 := f.get(v5, o.ID)
	party := o5.RelatedParty[0]
	inner, _ := party["partyOrPartyRole"].(map[string]any)
	if party["role"] != "customer" || inner["id"] != "C-100" || party["@type"] != "RelatedPartyRefOrPartyRoleRef" ||
		o5.ProductOrderItem[0]["@type"] != "ProductOrderItem" || !strings.HasPrefix(o5.Href, f.srv.URL+v5+"/productOrder/") ||
		string(o5.ExternalID) != `[{"@type":"ExternalIdentifier","id":"OC-1"}]` {
		t.Errorf("v5 order: party %v, item %v, href %s, externalId %s", party, o5.ProductOrderItem[0], o5.Href, o5.ExternalID)
	}
	// A v5 order: the customer by id in v5's party shape, the site by place.
	r := f.do(pmRole, "POST", v5+"/productOrder", `{"@type":"ProductOrder","externalId":[{"id":"CRM-9","@type":"ExternalIdentifier"}],
		"relatedParty":[{"role":"customer","@type":"RelatedPartyRefOrPartyRoleRef","partyOrPartyRole":{"id":"`+f.b.ID+`","@type":"PartyRef","@referredType":"Organization"}}],
		"productOrderItem":[{"id":"a","action":"add","@type":"ProductOrderItem","productOffering":{"id":"ip-centrex","@type":"ProductOfferingRef"},
		"product":{"@type":"Product","place":[{"role":"installation","place":{"id":"`+f.bSites[1]+`","@type":"PlaceRef"}}]}}]}`)
	var b order
	r.decode(t, &b)
	ps = f.projectsOf(b.ID)
	if r.status != http.StatusCreated || b.State != ordering.OrderInProgress || len(ps) != 1 {
		t.Fatalf("v5 POST = %d %s", r.status, r.body)
	}
	if v, err := f.projects.Project(f.pm, ps[0].ID); err != nil || v.Project.SiteID != f.bSites[1] || v.Project.OrderRef != "CRM-9 #a" {
		t.Errorf("v5 order's project = %+v, %v", v.Project, err)
	}
	if v4 := f.get(v4, b.ID); string(v4.ExternalID) != `"CRM-9"` || v4.RelatedParty[0]["id"] != f.b.ID {
		t.Errorf("v5 order read in v4: externalId %s, party %v", v4.ExternalID, v4.RelatedParty)
	}
}

// TestUnmappableOrderIsKept: an order Enlace cannot map is stored and
// answered 201; an item with a runbook that cannot start says why.
func TestUnmappableOrderIsKept(t *testing.T) {
	f := newOrders(t)
	// The conformance kit's order: an individual Enlace does not know and
	// an item without an offering.
	o := f.post(`{"productOrderItem":[{"id":"123","action":"add"}],"relatedParty":[{"id":"456-dd-df45","@referredType":"Individual"}]}`)
	if o.State != ordering.OrderAcknowledged || len(f.projectsOf(o.ID)) != 0 || len(o.RelatedParty) != 1 || o.ProductOrderErrorMessage != nil {
		t.Errorf("kit's order = %+v", o)
	}
	for _, tt := range []struct {
		name, body, message string
	}{
		{"no customer", `{"relatedParty":[{"id":"nobody","role":"customer","@referredType":"Organization"}],
			"productOrderItem":[{"id":"1","action":"add","productOffering":{"id":"hosted-exchange"}}]}`, "customer"},
		{"B has two sites and the order names none", `{"relatedParty":[{"id":"C-200","role":"customer","@referredType":"Organization"}],
			"productOrderItem":[{"id":"1","action":"add","productOffering":{"id":"hosted-exchange"}}]}`, "site"},
		{"A's site for B", `{"relatedParty":[{"id":"C-200","role":"customer","@referredType":"Organization"}],
			"productOrderItem":[{"id":"1","action":"add","productOffering":{"id":"hosted-exchange"},"product":{"place":[{"id":"` + f.aSite + `","role":"site"}]}}]}`, "site"},
		{"another customer's account", `{"relatedParty":[{"id":"C-100","role":"customer","@referredType":"Organization"}],"billingAccount":{"id":"BA-C-200"},
			"productOrderItem":[{"id":"1","action":"add","productOffering":{"id":"hosted-exchange"}}]}`, "billing account"},
		{"B's only account is not the one named", `{"relatedParty":[{"id":"C-200","role":"customer","@referredType":"Organization"}],"billingAccount":{"id":"BA-C-100"},
			"productOrderItem":[{"id":"1","action":"add","productOffering":{"id":"hosted-exchange"},"product":{"place":[{"id":"` + f.bSites[0] + `","role":"site"}]}}]}`, "billing account"},
		{"a place Enlace does not know", `{"relatedParty":[{"id":"C-200","role":"customer","@referredType":"Organization"}],
			"productOrderItem":[{"id":"1","action":"add","productOffering":{"id":"hosted-exchange"},"product":{"place":[{"id":"nope","role":"site"}]}}]}`, "site"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := f.post(tt.body)
			if o.State != ordering.OrderFailed || o.itemStates()["1"] != ordering.OrderFailed || len(f.projectsOf(o.ID)) != 0 {
				t.Fatalf("order = %s %v, want failed with no project", o.State, o.itemStates())
			}
			if len(o.ProductOrderErrorMessage) != 1 || !strings.Contains(o.ProductOrderErrorMessage[0]["message"].(string), tt.message) {
				t.Errorf("productOrderErrorMessage = %v, want one mentioning %q", o.ProductOrderErrorMessage, tt.message)
			}
		})
	}
}

// TestOrderFollowsProjects: the order completes when its project does,
// and is cancelled when the PM cancels its project.
func TestOrderFollowsProjects(t *testing.T) {
	f := newOrders(t)
	o := f.post(f.exchangeOrder("OC-2"))
	f.finishProject(f.projectsOf(o.ID)[0].ID)
	if got := f.get(v4, o.ID).State; got != ordering.OrderInProgress {
		t.Errorf("before the job runs the order is %s", got)
	}
	f.runJobs()
	done := f.get(v4, o.ID)
	if done.State != ordering.OrderCompleted || done.CompletionDate == "" || done.itemStates()["1"] != ordering.OrderCompleted {
		t.Errorf("after the project completed: %s, completion %q, items %v", done.State, done.CompletionDate, done.itemStates())
	}

	o = f.post(f.exchangeOrder("OC-3"))
	_, err := f.projects.Cancel(f.pm, f.projectsOf(o.ID)[0].ID, "el cliente desistió")
	must(t, err)
	f.runJobs()
	if got := f.get(v4, o.ID); got.State != ordering.OrderCancelled || got.CancellationDate == "" {
		t.Errorf("after the PM cancelled the project: %s, cancellation %q", got.State, got.CancellationDate)
	}
}

// TestCancelProductOrder: the request cancels the order's projects and
// is done; a second one finds the order ended.
func TestCancelProductOrder(t *testing.T) {
	f := newOrders(t)
	o := f.post(f.exchangeOrder("OC-4"))
	r := f.do(pmRole, "POST", v4+"/cancelProductOrder", `{"productOrder":{"id":"`+o.ID+`"},"cancellationReason":"Cambio de proveedor"}`)
	var c map[string]any
	r.decode(t, &c)
	if r.status != http.StatusCreated || c["state"] != ordering.TaskDone || c["effectiveCancellationDate"] == nil || r.header.Get("Location") != c["href"] {
		t.Fatalf("POST cancelProductOrder = %d %s", r.status, r.body)
	}
	if ps := f.projectsOf(o.ID); ps[0].Status != activation.ProjectCancelled {
		t.Errorf("project after the cancellation = %s", ps[0].Status)
	}
	got := f.get(v4, o.ID)
	if got.State != ordering.OrderCancelled || got.itemStates()["1"] != ordering.OrderCancelled || got.CancellationDate == "" {
		t.Errorf("order after the cancellation = %s %v", got.State, got.itemStates())
	}
	f.runJobs() // the project's change finds the order as it is
	if got := f.get(v4, o.ID); got.State != ordering.OrderCancelled {
		t.Errorf("order after the project's job = %s", got.State)
	}
	r = f.do(staffAdmin, "POST", v5+"/cancelProductOrder", `{"@type":"CancelProductOrder","productOrder":{"id":"`+o.ID+`","@type":"ProductOrderRef"}}`)
	var again map[string]any
	r.decode(t, &again)
	if r.status != http.StatusCreated || again["state"] != ordering.TaskTerminatedWithError {
		t.Errorf("second cancellation = %d %s", r.status, r.body)
	}
	for _, path := range []string{v4 + "/cancelProductOrder", v4 + "/cancelProductOrder?productOrder.id=" + o.ID, v4 + "/cancelProductOrder?state=done"} {
		if r := f.do(staffAdmin, "GET", path, ""); r.header.Get("X-Total-Count") != map[bool]string{true: "1", false: "2"}[strings.Contains(path, "state=")] {
			t.Errorf("GET %s: X-Total-Count %s, %s", path, r.header.Get("X-Total-Count"), r.body)
		}
	}
	if r := f.do(staffAdmin, "GET", v4+"/cancelProductOrder/"+c["id"].(string), ""); r.status != http.StatusOK || !strings.Contains(r.body, `"cancellationReason":"Cambio de proveedor"`) {
		t.Errorf("GET cancelProductOrder/{id} = %d %s", r.status, r.body)
	}
	// An order with nothing to start is cancelled all the same.
	kit := f.post(`{"productOrderItem":[{"id":"1","action":"add"}]}`)
	if r := f.do(staffAdmin, "POST", v4+"/cancelProductOrder", `{"productOrder":{"id":"`+kit.ID+`"}}`); r.status != http.StatusCreated ||
		f.get(v4, kit.ID).State != ordering.OrderCancelled {
		t.Errorf("cancelling an order with nothing started = %d %s", r.status, r.body)
	}
}

// listener is a hub's callback: it records the events it is sent and
// answers each with the next status of statuses (204 when none is left).
type listener struct {
	mu       sync.Mutex
	events   []ordering.Event
	statuses []int
}

func (l *listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var ev ordering.Event
	b, _ := io.ReadAll(r.Body)
	if r.Header.Get("Content-Type") != "application/json" || json.Unmarshal(b, &ev) != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	l.events = append(l.events, ev)
	status := http.StatusNoContent
	if len(l.statuses) > 0 {
		status, l.statuses = l.statuses[0], l.statuses[1:]
	}
	w.WriteHeader(status)
}

func (l *listener) types() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, ev := range l.events {
		out = append(out, ev.EventType)
	}
	return out
}

// TestHubDelivery: subscribed hubs receive the events from the job queue;
// a callback that fails is tried again later, one that refuses is not; a
// deleted hub gets nothing more.
func TestHubDelivery(t *testing.T) {
	f := newOrders(t)
	all := &listener{statuses: []int{http.StatusInternalServerError}}
	states := &listener{}
	gone := &listener{statuses: []int{http.StatusGone}}
	var hubs []map[string]any
	for _, h := range []struct {
		base, body string
		l          *listener
	}{
		{v4, `{"callback":"%s"}`, all},
		{v5, `{"callback":"%s","query":"eventType=ProductOrderStateChangeEvent"}`, states},
		{v4, `{"callback":"%s","query":"eventType=ProductOrderCreateEvent"}`, gone},
	} {
		srv := httptest.NewServer(h.l)
		t.Cleanup(srv.Close)
		r := f.do(pmRole, "POST", h.base+"/hub", strings.Replace(h.body, "%s", srv.URL+"/listener", 1))
		var hub map[string]any
		r.decode(t, &hub)
		if r.status != http.StatusCreated || hub["callback"] != srv.URL+"/listener" || r.header.Get("Location") == "" {
			t.Fatalf("POST hub = %d %s", r.status, r.body)
		}
		hubs = append(hubs, hub)
	}
	o := f.post(f.exchangeOrder("OC-5"))
	f.runJobs()
	if got := all.types(); !cmp.Equal(got, []string{ordering.EventOrderCreate, ordering.EventOrderStateChange}) {
		t.Fatalf("first deliveries to the v4 hub = %v, want the create event (answered 500) and the state change", got)
	}
	// The v5 hub hears of the state change only, in v5's shape.
	if len(states.events) != 1 || states.events[0].EventType != ordering.EventOrderStateChange {
		t.Fatalf("v5 hub events = %v", states.types())
	}
	ev := states.events[0]
	po, _ := ev.Event["productOrder"].(map[string]any)
	if po["id"] != o.ID || po["state"] != ordering.OrderInProgress || !strings.Contains(po["href"].(string), "https://enlace.example"+v5) || ev.EventID == "" || ev.EventTime == "" {
		t.Errorf("state change event = %+v", ev)
	}
	// An hour later the failed delivery is tried again; the refused one is not.
	f.clock.Advance(time.Hour)
	f.runJobs()
	if got := all.types(); !cmp.Equal(got, []string{ordering.EventOrderCreate, ordering.EventOrderStateChange, ordering.EventOrderCreate}) {
		t.Errorf("v4 hub events after the retry = %v", got)
	}
	if len(gone.events) != 1 {
		t.Errorf("hub that answered 410 was sent %d events, want 1", len(gone.events))
	}
	// Deleting the v5 hub stops its events.
	id := hubs[1]["id"].(string)
	if r := f.do(pmRole, "GET", v5+"/hub/"+id, ""); r.status != http.StatusOK || !strings.Contains(r.body, `"@type":"Hub"`) {
		t.Errorf("GET hub = %d %s", r.status, r.body)
	}
	if r := f.do(pmRole, "DELETE", v5+"/hub/"+id, ""); r.status != http.StatusNoContent {
		t.Errorf("DELETE hub = %d %s", r.status, r.body)
	}
	if r := f.do(pmRole, "GET", v5+"/hub/"+id, ""); r.status != http.StatusNotFound {
		t.Errorf("GET deleted hub = %d", r.status)
	}
	if r := f.do(staffAdmin, "POST", v4+"/cancelProductOrder", `{"productOrder":{"id":"`+o.ID+`"}}`); r.status != http.StatusCreated {
		t.Fatalf("cancel = %d %s", r.status, r.body)
	}
	f.runJobs()
	if len(states.events) != 1 {
		t.Errorf("deleted hub was sent %v", states.types())
	}
	want := []string{ordering.EventOrderCreate, ordering.EventOrderStateChange, ordering.EventOrderCreate,
		ordering.EventCancelCreate, ordering.EventCancelStateChange, ordering.EventOrderStateChange}
	if got := all.types(); !cmp.Equal(got, want) {
		t.Errorf("v4 hub events = %v, want %v", got, want)
	}
}

// TestStartJobStartsWhatTheRequestDidNot: an order stored with items
// still to start (the process stopped before starting them) gets its
// projects from StartJob, once, however often the job runs.
func TestStartJobStartsWhatTheRequestDidNot(t *testing.T) {
	f := newOrders(t)
	o := f.post(f.exchangeOrder("OC-6"))
	ctx := context.Background()
	po, err := f.store.ProductOrderByID(ctx, o.ID)
	must(t, err)
	// A second item like the first, as if the request had stopped before it.
	item := po.Items[0]
	item.ID, item.Ref, item.ProjectID, item.State = "3", "OC-6 #3", "", ordering.OrderAcknowledged
	po.Items = append(po.Items, item)
	job := jobs.New(ordering.StartJob, map[string]string{"order_id": o.ID}, time.Time{})
	must(t, f.store.SaveProductOrder(ctx, po, po.UpdatedAt, nil, job, job))
	f.runJobs()
	ps := f.projectsOf(o.ID)
	if len(ps) != 2 {
		t.Fatalf("projects after StartJob ran twice = %d, want 2", len(ps))
	}
	got := f.get(v4, o.ID)
	if got.State != ordering.OrderInProgress {
		t.Errorf("order = %s", got.State)
	}
	po, err = f.store.ProductOrderByID(ctx, o.ID)
	must(t, err)
	if po.Items[2].ProjectID == "" || po.Items[2].ProjectID == po.Items[0].ProjectID {
		t.Errorf("items = %+v", po.Items)
	}
}
