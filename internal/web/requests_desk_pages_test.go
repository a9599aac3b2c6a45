package web_test

import (
	"net/url"
	"testing"

	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// TestDeskPagesInEveryLanguage renders every service desk page, and the
// forms refused, in the three languages, as staff and as a customer,
// looking for message keys left untranslated.
func TestDeskPagesInEveryLanguage(t *testing.T) {
	w := newDeskWorld(t)
	open := w.raise(t, w.a, w.aKey)
	done := w.raise(t, w.a, w.aKey)
	agentCtx := w.staffCtx()
	_, err := w.desk.Act(agentCtx, done.ID, servicedesk.ActInput{Action: servicedesk.ActionAssign, Queue: "network", AssigneeID: w.admin.ID})
	must(t, err)
	_, err = w.desk.Comment(agentCtx, done.ID, servicedesk.CommentInput{Body: "Nota", Internal: true})
	must(t, err)
	_, err = w.desk.Act(agentCtx, done.ID, servicedesk.ActInput{Action: servicedesk.ActionWait, Reason: "Falta acceso al sitio."})
	must(t, err)
	svc, err := w.store.ServiceByKey(t.Context(), w.aKey)
	must(t, err)
	staff := w.signedIn(w.admin.Email)
	customer := w.signedIn(w.a.admin.Email)
	staffPath, customerPath := "/requests/"+done.ID, "/requests/"+open.ID
	pages := []langPage{
		{staff, "GET", "/", nil},
		{staff, "GET", "/requests", nil},
		{staff, "GET", "/requests?phase=waiting_customer&agent=mine&breached=1&open=1", nil},
		{staff, "GET", "/requests?view=site", nil},
		{staff, "GET", "/requests/surveys?days=365", nil},
		{staff, "GET", "/requests/new", nil},
		{staff, "GET", "/requests/new?kind=procedures", nil},
		{staff, "GET", "/requests/new/internet_failure?state=NLE", nil},
		{staff, "GET", "/requests/new/internet_failure?state=NLE&customer=" + w.a.customer.ID, nil},
		{staff, "GET", "/requests/new/legal_representative_change?customer=" + w.a.customer.ID, nil},
		{staff, "POST", "/requests/new?type=mobility_request", url.Values{"customer": {w.a.customer.ID}, "channel": {"phone"}}},
		{staff, "GET", staffPath, nil},
		{staff, "GET", customerPath, nil},
		{staff, "POST", customerPath + "/act", url.Values{"action": {"cancel"}}},
		{staff, "POST", customerPath + "/act", url.Values{"action": {"resolve"}}},
		{customer, "GET", "/", nil},
		{customer, "GET", "/requests", nil},
		{customer, "GET", "/requests?view=site&site=" + w.aSite, nil},
		{customer, "GET", "/requests/new?kind=technical", nil},
		{customer, "GET", "/requests/new?category=connectivity&service=" + w.aKey, nil},
		{customer, "GET", "/requests/new?kind=administrative", nil},
		{customer, "GET", "/requests/new/billing_clarification", nil},
		{customer, "POST", "/requests/new?type=internet_failure", url.Values{"service_key": {"NOPE"}}},
		{customer, "GET", customerPath, nil},
		{customer, "GET", staffPath, nil},
		{customer, "POST", staffPath + "/comments", url.Values{"body": {""}}},
		{customer, "POST", staffPath + "/survey", url.Values{"score": {"5"}}},
		{customer, "GET", "/services/" + svc.ID, nil},
	}
	checkEveryLanguage(t, []*client{staff, customer}, pages)
}
