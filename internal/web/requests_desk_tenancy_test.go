package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/document/doctest"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// deskRoute is a service desk route a tenancy table walks: a form post,
// a multipart post (files), or a GET.
type deskRoute struct {
	method, path string
	form         url.Values
	files        bool
}

func (c *client) call(rt deskRoute) resp {
	c.e.t.Helper()
	switch {
	case rt.files:
		fields := map[string]string{}
		for k := range rt.form {
			fields[k] = rt.form.Get(k)
		}
		return c.uploadTo(rt.path, fields, "intruso.pdf", doctest.PDF("intruso"))
	case rt.method == http.MethodPost:
		return c.post(rt.path, rt.form)
	}
	return c.get(rt.path)
}

// deskRoutesOf lists every service desk route that names a request, for
// the request at path with an attachment doc.
func deskRoutesOf(path, doc string) []deskRoute {
	act := func(action string, more ...string) deskRoute {
		f := url.Values{"action": {action}}
		for i := 0; i+1 < len(more); i += 2 {
			f.Set(more[i], more[i+1])
		}
		return deskRoute{"POST", path + "/act", f, false}
	}
	return []deskRoute{
		{"GET", path, nil, false},
		{"GET", path + "/attachments/" + doc, nil, false},
		act(servicedesk.ActionAssign, "queue", "network"),
		act(servicedesk.ActionStart),
		act(servicedesk.ActionWait, "reason", "x"),
		act(servicedesk.ActionResolve, "resolution", "x"),
		act(servicedesk.ActionClose),
		act(servicedesk.ActionCancel, "reason", "Intruso"),
		{"POST", path + "/checklist/receive", url.Values{"done": {"1"}}, false},
		{"POST", path + "/comments", url.Values{"body": {"Intruso"}}, false},
		{"POST", path + "/comments", url.Values{"body": {"Intruso"}, "internal": {"yes"}}, false},
		{"POST", path + "/attachments", url.Values{"key": {""}}, true},
		{"POST", path + "/survey", url.Values{"score": {"1"}}, false},
	}
}

// TestDeskTenancy walks every route of a request as every customer role
// of customer A against customer B's request: each answers 404 and
// nothing of B changes; B's request reached through A's is not found
// either; lists, counts and searches show A's only. Then A's read-only
// user on A's own request: every change is 403 and changes nothing.
func TestDeskTenancy(t *testing.T) {
	w := newDeskWorld(t)
	aReq, bReq := w.raise(t, w.a, w.aKey), w.raise(t, w.b, w.bKey)
	bOwner := w.signedIn(w.b.admin.Email)
	bPath, aPath := "/requests/"+bReq.ID, "/requests/"+aReq.ID
	bOwner.uploadTo(bPath+"/attachments", map[string]string{"key": ""}, "plano.pdf", doctest.PDF("plano")).want(t, 303, bPath+"#attachments")
	bDoc := idAfter(t, bOwner.get(bPath).body, "/attachments/")
	owner := w.signedIn(w.a.admin.Email)
	owner.uploadTo(aPath+"/attachments", map[string]string{"key": ""}, "a.pdf", doctest.PDF("a")).want(t, 303, aPath+"#attachments")
	aDoc := idAfter(t, owner.get(aPath).body, "/attachments/")

	member := func(role, access string) string {
		m, err := w.id.CreateMember(w.staffCtx(), identity.NewMember{CustomerID: w.a.customer.ID, Email: role + "@alfa.mx",
			FirstName: "Rol", LastName: role, Role: role, AccessLevel: access})
		must(t, err)
		return m.Email
	}
	customers := map[string]*client{
		"A admin":     owner,
		"A user":      w.signedIn(w.a.user.Email),
		"A technical": w.signedIn(member(identity.RoleTechnical, identity.AccessFull)),
		"A billing":   w.signedIn(member(identity.RoleBilling, identity.AccessFull)),
	}
	routes := append(deskRoutesOf(bPath, bDoc),
		deskRoute{"GET", aPath + "/attachments/" + bDoc, nil, false}, // B's document through A's request
		deskRoute{"GET", bPath + "/attachments/" + aDoc, nil, false}) // A's document through B's request
	for who, c := range customers {
		for _, rt := range routes {
			t.Run(who+" "+rt.method+" "+rt.path, func(t *testing.T) {
				if r := c.call(rt); r.status != http.StatusNotFound {
					t.Errorf("%s %s as %s = %d, want 404\n%s", rt.method, rt.path, who, r.status, r.body)
				}
			})
		}
		for _, path := range []string{"/requests", "/requests?customer=" + w.b.customer.ID, "/requests?view=site",
			"/requests?q=" + bReq.Folio, "/requests/new/internet_failure?state=NLE", "/"} {
			// The read-only user may not raise requests: the form is 403.
			r := c.get(path)
			if (r.status != 200 && r.status != 403) || strings.Contains(r.body, `id="request-`+bReq.Folio) ||
				strings.Contains(r.body, w.bKey) || strings.Contains(r.body, "Matriz Beta") {
				t.Errorf("%s GET %s = %d or shows B's request, site or service", who, path, r.status)
			}
		}
		if r := c.get("/requests/surveys"); r.status != http.StatusForbidden {
			t.Errorf("%s GET /requests/surveys = %d, want 403", who, r.status)
		}
	}
	// B's service key reads as unknown on A's form.
	owner.post("/requests/new?type=internet_failure", failure(w.bKey)).want(t, 422, "").
		contains(t, "No encontramos un servicio suyo con esa llave")

	v, err := w.desk.Request(w.staffCtx(), bReq.ID)
	must(t, err)
	if v.Request.Phase != servicedesk.PhaseNew || v.Request.AssigneeID != "" || len(v.Comments) != 0 || v.Survey != nil ||
		len(v.Documents) != 1 || v.Steps[0].DoneAt != nil {
		t.Errorf("B's request changed: phase %s, agent %q, %d comments, survey %v, %d documents",
			v.Request.Phase, v.Request.AssigneeID, len(v.Comments), v.Survey, len(v.Documents))
	}
	if _, total, err := w.desk.List(w.staffCtx(), servicedesk.Filter{}); err != nil || total != 2 {
		t.Errorf("requests after the walk = %d, %v; want 2", total, err)
	}
}

// TestDeskRoles checks who may do what on a request they see: a
// read-only user may look but changes nothing (403), raises nothing;
// staff who do not work requests may not work them; and the survey
// results are staff's.
func TestDeskRoles(t *testing.T) {
	w := newDeskWorld(t)
	aReq := w.raise(t, w.a, w.aKey)
	path := "/requests/" + aReq.ID
	owner := w.signedIn(w.a.admin.Email)
	owner.uploadTo(path+"/attachments", map[string]string{"key": ""}, "a.pdf", doctest.PDF("a")).want(t, 303, path+"#attachments")
	doc := idAfter(t, owner.get(path).body, "/attachments/")
	clients := map[string]*client{
		"A user":     w.signedIn(w.a.user.Email),
		"pm":         w.signedIn(w.newStaff(identity.StaffPM)),
		"technician": w.signedIn(w.newStaff(identity.StaffTechnician)),
	}
	forbidden := []deskRoute{
		{"POST", path + "/act", url.Values{"action": {"assign"}, "queue": {"network"}}, false},
		{"POST", path + "/act", url.Values{"action": {"cancel"}, "reason": {"x"}}, false},
		{"POST", path + "/checklist/receive", url.Values{"done": {"1"}}, false},
		{"POST", path + "/survey", url.Values{"score": {"1"}}, false},
	}
	type roleCase struct {
		who  string
		rt   deskRoute
		want int
	}
	tests := []roleCase{
		{"A user", deskRoute{"GET", path, nil, false}, 200},
		{"A user", deskRoute{"GET", path + "/attachments/" + doc, nil, false}, 200},
		{"A user", deskRoute{"POST", path + "/comments", url.Values{"body": {"x"}}, false}, 403},
		{"A user", deskRoute{"POST", path + "/attachments", url.Values{"key": {""}}, true}, 403},
		{"A user", deskRoute{"GET", "/requests/new", nil, false}, 403},
		{"A user", deskRoute{"GET", "/requests/new/internet_failure", nil, false}, 403},
		{"A user", deskRoute{"POST", "/requests/new?type=internet_failure", failure(w.aKey), false}, 403},
		{"A user", deskRoute{"GET", "/requests/surveys", nil, false}, 403},
		{"pm", deskRoute{"GET", path, nil, false}, 200},
		{"pm", deskRoute{"POST", path + "/act", url.Values{"action": {"start"}}, false}, 403},
		{"pm", deskRoute{"GET", "/requests/surveys", nil, false}, 200},
		{"technician", deskRoute{"POST", path + "/act", url.Values{"action": {"wait"}, "reason": {"x"}}, false}, 409},
		{"technician", deskRoute{"GET", "/requests/new/no_such_type", nil, false}, 404},
		{"technician", deskRoute{"POST", "/requests/new?type=no_such_type", nil, false}, 404},
		{"technician", deskRoute{"GET", "/requests/" + enlaceMissingID, nil, false}, 404},
		{"technician", deskRoute{"POST", "/requests/" + enlaceMissingID + "/comments", url.Values{"body": {"x"}}, false}, 404},
	}
	for _, rt := range forbidden {
		tests = append(tests, roleCase{"A user", rt, 403}, roleCase{"pm", rt, 403})
	}
	for _, tt := range tests {
		t.Run(tt.who+" "+tt.rt.method+" "+tt.rt.path, func(t *testing.T) {
			if r := clients[tt.who].call(tt.rt); r.status != tt.want {
				t.Errorf("%s %s as %s = %d, want %d\n%s", tt.rt.method, tt.rt.path, tt.who, r.status, tt.want, r.body)
			}
		})
	}
	v, err := w.desk.Request(w.staffCtx(), aReq.ID)
	must(t, err)
	if v.Request.Phase != servicedesk.PhaseNew || v.Request.AssigneeID != "" || len(v.Comments) != 0 || len(v.Documents) != 1 ||
		v.Steps[0].DoneAt != nil {
		t.Errorf("A's request changed by refused changes: phase %s, agent %q, %d comments, %d documents",
			v.Request.Phase, v.Request.AssigneeID, len(v.Comments), len(v.Documents))
	}
	if _, total, err := w.desk.List(w.staffCtx(), servicedesk.Filter{}); err != nil || total != 1 {
		t.Errorf("requests = %d, %v; want 1", total, err)
	}
}
