package tmf_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/ordering"
	"github.com/enlace-portal/enlace/internal/tmf"
)

// TestOrderCollections: filters, attribute selection, paging and the
// count headers.
func TestOrderCollections(t *testing.T) {
	f := newOrders(t)
	first := f.post(f.exchangeOrder("OC-10"))
	f.clock.Advance(1500 * time.Millisecond)
	second := f.post(`{"externalId":"OC-11","category":"B2B","relatedParty":[{"id":"C-100","role":"customer"}],
		"productOrderItem":[{"id":"1","action":"modify"}]}`)
	for _, tt := range []struct {
		name, query, total, keys string
		status                   int
	}{
		{"all", "", "2", "", 200},
		{"by id", "?id=" + first.ID, "1", "", 200},
		{"by state", "?state=inProgress", "1", "", 200},
		{"by two states", "?state=inProgress,acknowledged", "2", "", 200},
		{"by external id", "?externalId=OC-11", "1", "", 200},
		{"by category", "?category=B2B", "1", "", 200},
		{"by order date", "?orderDate=" + url.QueryEscape(second.OrderDate), "1", "", 200},
		{"by creation date", "?creationDate=" + url.QueryEscape(first.CreationDate), "1", "", 200},
		{"created since the first", "?creationDate.gt=" + url.QueryEscape(first.CreationDate), "1", "", 200},
		{"unknown filter ignored", "?colour=red", "2", "", 200},
		{"one page of two", "?limit=1", "2", "", 206},
		{"second page", "?offset=1&limit=1", "2", "", 200},
		{"fields", "?fields=orderDate,state", "2", "@type,href,id,orderDate,state", 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, base := range []string{v4, v5} {
				r := f.do(aAdmin, "GET", base+"/productOrder"+tt.query, "")
				if r.status != tt.status || r.header.Get("X-Total-Count") != tt.total {
					t.Fatalf("GET %s = %d, X-Total-Count %q; want %d, %s: %s", base+tt.query, r.status, r.header.Get("X-Total-Count"), tt.status, tt.total, r.body)
				}
				var items []map[string]any
				r.decode(t, &items)
				if r.header.Get("X-Result-Count") != strconv.Itoa(len(items)) {
					t.Errorf("X-Result-Count %q for %d items", r.header.Get("X-Result-Count"), len(items))
				}
				if tt.keys != "" {
					keys := slices.Sorted(func(yield func(string) bool) {
						for k := range items[0] {
							if !yield(k) {
								return
							}
						}
					})
					if got := strings.Join(keys, ","); got != tt.keys {
						t.Errorf("keys = %s, want %s", got, tt.keys)
					}
				}
			}
		})
	}
	if r := f.do(aAdmin, "GET", v4+"/productOrder/"+first.ID+"?fields=state", ""); r.body != `{"@type":"ProductOrder","href":"`+first.Href+`","id":"`+first.ID+`","state":"inProgress"}`+"\n" {
		t.Errorf("GET one with fields = %s", r.body)
	}
}

// TestPatchAndDeleteOrder: a merge patch changes what may change; an
// order in progress is not deleted, one that ended is.
func TestPatchAndDeleteOrder(t *testing.T) {
	f := newOrders(t)
	o := f.post(f.exchangeOrder("OC-20"))
	req, _ := http.NewRequest("PATCH", f.srv.URL+v4+"/productOrder/"+o.ID, strings.NewReader(`{"description":"Migración y capacitación","externalId":"OC-21","priority":"1","id":"`+o.ID+`"}`))
	req.Header.Set("Content-Type", "application/merge-patch+json")
	req.Header.Set("Authorization", "Bearer "+f.tokens[staffAdmin])
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	res.Body.Close()
	got := f.get(v4, o.ID)
	if res.StatusCode != http.StatusOK || got.Description != "Migración y capacitación" || string(got.ExternalID) != `"OC-21"` || got.State != ordering.OrderInProgress {
		t.Errorf("PATCH = %d; order %+v", res.StatusCode, got)
	}
	if r := f.do(staffAdmin, "GET", v4+"/productOrder?priority=1&externalId=OC-21", ""); r.header.Get("X-Total-Count") != "1" {
		t.Errorf("patched attributes do not filter: %s", r.body)
	}
	if r := f.do(staffAdmin, "PATCH", v4+"/productOrder/"+o.ID, `{"description":null}`); r.status != http.StatusOK || strings.Contains(r.body, `"description"`) {
		t.Errorf("PATCH null = %d %s", r.status, r.body)
	}
	if r := f.do(staffAdmin, "DELETE", v4+"/productOrder/"+o.ID, ""); r.status != http.StatusConflict {
		t.Errorf("DELETE an order in progress = %d %s", r.status, r.body)
	}
	if r := f.do(staffAdmin, "POST", v4+"/cancelProductOrder", `{"productOrder":{"id":"`+o.ID+`"}}`); r.status != http.StatusCreated {
		t.Fatalf("cancel = %d %s", r.status, r.body)
	}
	if r := f.do(staffAdmin, "DELETE", v4+"/productOrder/"+o.ID, ""); r.status != http.StatusNoContent {
		t.Errorf("DELETE a cancelled order = %d %s", r.status, r.body)
	}
	if r := f.do(staffAdmin, "GET", v4+"/productOrder/"+o.ID, ""); r.status != http.StatusNotFound {
		t.Errorf("GET a deleted order = %d", r.status)
	}
	if r := f.do(staffAdmin, "GET", v4+"/cancelProductOrder?productOrder.id="+o.ID, ""); r.header.Get("X-Total-Count") != "0" {
		t.Errorf("cancellations of a deleted order = %s", r.body)
	}
	if ps := f.projectsOf(o.ID); len(ps) != 1 {
		t.Errorf("the deleted order's project is gone: %+v", ps)
	}
	f.runJobs() // the project's change finds no order, and is done
}

// TestOrderTenancy: every route, for every role: a customer sees its own
// orders (on the accounts it may see) and changes none; another
// customer's answer 404; staff who do not manage projects read only.
func TestOrderTenancy(t *testing.T) {
	f := newOrders(t)
	a := f.post(f.exchangeOrder("OC-30"))
	b := f.post(`{"relatedParty":[{"id":"C-200","role":"customer"}],"productOrderItem":[{"id":"1","action":"add"}]}`)
	orphan := f.post(`{"productOrderItem":[{"id":"1","action":"add"}]}`)
	cancel := f.do(staffAdmin, "POST", v4+"/cancelProductOrder", `{"productOrder":{"id":"`+b.ID+`"}}`)
	var bCancel map[string]any
	cancel.decode(t, &bCancel)
	hub := f.do(staffAdmin, "POST", v4+"/hub", `{"callback":"https://crm.example/listener"}`)
	var h map[string]any
	hub.decode(t, &h)
	order := `{"productOrderItem":[{"id":"1","action":"add"}]}`
	for _, base := range []string{v4, v5} {
		for _, tt := range []struct {
			as, method, path, body string
			status                 int
		}{
			{"", "GET", "/productOrder", "", 401},
			{"", "POST", "/productOrder", order, 401},
			{aAdmin, "GET", "/productOrder/" + a.ID, "", 200},
			{aAdmin, "GET", "/productOrder/" + b.ID, "", 404},
			{aAdmin, "GET", "/productOrder/" + orphan.ID, "", 404},
			{aAdmin, "PATCH", "/productOrder/" + b.ID, `{"description":"x"}`, 404},
			{aAdmin, "DELETE", "/productOrder/" + b.ID, "", 404},
			{aAdmin, "POST", "/cancelProductOrder", `{"productOrder":{"id":"` + b.ID + `"}}`, 404},
			{aAdmin, "GET", "/cancelProductOrder/" + bCancel["id"].(string), "", 404},
			{aAdmin, "POST", "/productOrder", order, 403},
			{aAdmin, "PATCH", "/productOrder/" + a.ID, `{"description":"x"}`, 403},
			{aAdmin, "DELETE", "/productOrder/" + a.ID, "", 403},
			{aAdmin, "POST", "/cancelProductOrder", `{"productOrder":{"id":"` + a.ID + `"}}`, 403},
			{aAdmin, "POST", "/hub", `{"callback":"https://a.example/l"}`, 403},
			{aAdmin, "DELETE", "/hub/" + h["id"].(string), "", 403},
			{aLimited, "GET", "/productOrder/" + a.ID, "", 404},
			{bAdmin, "GET", "/productOrder/" + b.ID, "", 200},
			{bAdmin, "GET", "/cancelProductOrder/" + bCancel["id"].(string), "", 200},
			{bAdmin, "GET", "/productOrder/" + a.ID, "", 404},
			{staffTech, "GET", "/productOrder/" + orphan.ID, "", 200},
			{staffTech, "POST", "/productOrder", order, 403},
			{staffTech, "PATCH", "/productOrder/" + a.ID, `{"description":"x"}`, 403},
			{staffTech, "POST", "/cancelProductOrder", `{"productOrder":{"id":"` + a.ID + `"}}`, 403},
			{staffTech, "POST", "/hub", `{"callback":"https://a.example/l"}`, 403},
			{pmRole, "PATCH", "/productOrder/" + a.ID, `{"note":[{"text":"Llamar antes"}]}`, 200},
		} {
			r := f.do(tt.as, tt.method, base+tt.path, tt.body)
			if r.status != tt.status {
				t.Errorf("%s %s %s = %d, want %d: %s", tt.as, tt.method, base+tt.path, r.status, tt.status, r.body)
			}
			if r.status >= 400 {
				var e tmf.Error
				r.decode(t, &e)
				if e.Type != "Error" || e.Code != "ERR"+strconv.Itoa(r.status) || e.Reason == "" || e.Status != strconv.Itoa(r.status) {
					t.Errorf("%s %s: error body %s", tt.method, tt.path, r.body)
				}
			}
		}
	}
	// Lists hold the token's own customer's orders only.
	for as, want := range map[string][]string{aAdmin: {a.ID}, bAdmin: {b.ID}, aLimited: nil, staffTech: {a.ID, b.ID, orphan.ID}} {
		r := f.do(as, "GET", v4+"/productOrder", "")
		var items []map[string]any
		r.decode(t, &items)
		var ids []string
		for _, it := range items {
			ids = append(ids, it["id"].(string))
		}
		slices.Sort(ids)
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Errorf("%s lists %v, want %v", as, ids, want)
		}
	}
	if r := f.do(aAdmin, "GET", v4+"/cancelProductOrder", ""); r.header.Get("X-Total-Count") != "0" {
		t.Errorf("A lists B's cancellations: %s", r.body)
	}
	// A's order is as it was.
	if got := f.get(v4, a.ID); got.Description != "Migración de correo" || got.State != ordering.OrderInProgress {
		t.Errorf("A's order changed: %+v", got)
	}
}

// TestOrderBadInput: malformed or invalid requests get a TMF error body
// and change nothing.
func TestOrderBadInput(t *testing.T) {
	f := newOrders(t)
	o := f.post(f.exchangeOrder("OC-40"))
	count := func() int {
		_, n, err := f.store.FindProductOrders(context.Background(), ordering.OrderFilter{Limit: 1})
		must(t, err)
		_, m, err := f.store.FindCancelRequests(context.Background(), ordering.CancelFilter{Limit: 1})
		must(t, err)
		hubs, err := f.store.Hubs(context.Background(), "productOrderingManagement")
		must(t, err)
		return n + m + len(hubs)
	}
	before, doc := count(), f.get(v4, o.ID)
	item := `"productOrderItem":[{"id":"1","action":"add"}]`
	for _, tt := range []struct {
		name, method, path, body string
		status                   int
		message                  string
	}{
		{"not JSON", "POST", "/productOrder", `{"productOrderItem":`, 400, "JSON"},
		{"an array", "POST", "/productOrder", `[]`, 400, "object"},
		{"no items", "POST", "/productOrder", `{"description":"x"}`, 400, "productOrderItem"},
		{"empty items", "POST", "/productOrder", `{"productOrderItem":[]}`, 400, "productOrderItem"},
		{"items not an array", "POST", "/productOrder", `{"productOrderItem":"x"}`, 400, "productOrderItem"},
		{"item without id", "POST", "/productOrder", `{"productOrderItem":[{"action":"add"}]}`, 400, "productOrderItem.id"},
		{"item id twice", "POST", "/productOrder", `{"productOrderItem":[{"id":"1","action":"add"},{"id":"1","action":"add"}]}`, 400, "productOrderItem.id"},
		{"unknown action", "POST", "/productOrder", `{"productOrderItem":[{"id":"1","action":"buy"}]}`, 400, "add, modify, delete, noChange"},
		{"item id a number", "POST", "/productOrder", `{"productOrderItem":[{"id":1,"action":"add"}]}`, 400, "productOrderItem.id"},
		{"offering without id", "POST", "/productOrder", `{"productOrderItem":[{"id":"1","action":"add","productOffering":{}}]}`, 400, "productOffering"},
		{"party without id", "POST", "/productOrder", `{"relatedParty":[{"role":"customer"}],` + item + `}`, 400, "relatedParty"},
		{"bad date", "POST", "/productOrder", `{"requestedStartDate":"mañana",` + item + `}`, 400, "requestedStartDate"},
		{"note without text", "POST", "/productOrder", `{"note":[{"author":"x"}],` + item + `}`, 400, "note.text"},
		{"external id a number", "POST", "/productOrder", `{"externalId":5,` + item + `}`, 400, "externalId"},
		{"patch the state", "PATCH", "/productOrder/" + o.ID, `{"state":"completed"}`, 400, "state"},
		{"patch the items", "PATCH", "/productOrder/" + o.ID, `{` + item + `}`, 400, "productOrderItem"},
		{"patch the order date", "PATCH", "/productOrder/" + o.ID, `{"orderDate":"2020-01-01T00:00:00Z"}`, 400, "orderDate"},
		{"patch another id", "PATCH", "/productOrder/" + o.ID, `{"id":"other"}`, 400, "id"},
		{"patch a bad date", "PATCH", "/productOrder/" + o.ID, `{"requestedCompletionDate":"pronto"}`, 400, "requestedCompletionDate"},
		{"cancel without order", "POST", "/cancelProductOrder", `{"cancellationReason":"x"}`, 400, "productOrder"},
		{"cancel an unknown order", "POST", "/cancelProductOrder", `{"productOrder":{"id":"nope"}}`, 404, ""},
		{"hub without callback", "POST", "/hub", `{"query":""}`, 400, "callback"},
		{"hub with a relative callback", "POST", "/hub", `{"callback":"/listener"}`, 400, "callback"},
		{"hub with a file callback", "POST", "/hub", `{"callback":"file:///etc/passwd"}`, 400, "callback"},
		{"bad date filter", "GET", "/productOrder?orderDate.gt=yesterday", "", 400, "orderDate.gt"},
		{"bad limit", "GET", "/productOrder?limit=0", "", 400, "limit"},
		{"unknown order", "GET", "/productOrder/f42b01d2-dba6-4442-a0fa-34e59639fd15", "", 404, ""},
		{"unknown cancellation", "GET", "/cancelProductOrder/nope", "", 404, ""},
		{"unknown hub", "DELETE", "/hub/nope", "", 404, ""},
		{"delete an order in progress", "DELETE", "/productOrder/" + o.ID, "", 409, "cancelProductOrder"},
		{"method not allowed", "PUT", "/productOrder/" + o.ID, `{}`, 405, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do(staffAdmin, tt.method, v4+tt.path, tt.body)
			var e tmf.Error
			r.decode(t, &e)
			if r.status != tt.status || e.Type != "Error" || e.Code == "" || e.Reason == "" || e.Status != strconv.Itoa(tt.status) || !strings.Contains(e.Message, tt.message) {
				t.Errorf("%s %s = %d %+v; want %d mentioning %q", tt.method, tt.path, r.status, e, tt.status, tt.message)
			}
		})
	}
	if after := count(); after != before {
		t.Errorf("refused requests changed the data: %d rows, then %d", before, after)
	}
	if got := f.get(v4, o.ID); got.Description != doc.Description || got.State != doc.State || string(got.ExternalID) != string(doc.ExternalID) {
		t.Errorf("refused patches changed the order: %+v", got)
	}
}
