package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// shippedSource returns the YAML of a shipped runbook with its version
// set to version.
func shippedSource(t *testing.T, key, version string) string {
	t.Helper()
	b, err := runbook.ShippedSource(key)
	must(t, err)
	src := string(b)
	if !strings.Contains(src, "\nversion: 1\n") {
		t.Fatalf("%s: no version line", key)
	}
	return strings.Replace(src, "\nversion: 1\n", "\nversion: "+version+"\n", 1)
}

func findRunbookTask(t *testing.T, rb runbookJSON, key string) runbookTaskJSON {
	t.Helper()
	for _, ph := range rb.Phases {
		for _, tk := range ph.Tasks {
			if tk.Key == key {
				return tk
			}
		}
	}
	t.Fatalf("runbook %s has no task %s", rb.Key, key)
	return runbookTaskJSON{}
}

func TestRunbooks(t *testing.T) {
	f := newProjectFixture(t)
	de := f.api.Catalog.Localizer("de")
	var l list[runbookJSON]
	f.doJSON(call{as: staffTech, method: "GET", path: "/runbooks", lang: "de"}, 200, &l)
	var keys []string
	for _, rb := range l.Items {
		keys = append(keys, rb.Key)
	}
	if want := []string{"hosted-exchange", "ip-centrex", "officeconnect-ucaas", "teams-cloud-voice"}; l.Total != 4 || !cmp.Equal(keys, want) {
		t.Fatalf("runbooks = %v (total %d), want %v", keys, l.Total, want)
	}
	ex := l.Items[0]
	wantNames := map[string]string{"es-MX": "Migración de dominio a Hosted Exchange", "en": "Hosted Exchange domain migration",
		"de": "Domain-Migration zu Hosted Exchange"}
	if ex.Name != wantNames["de"] || !cmp.Equal(ex.Names, wantNames) || ex.Version != 1 || ex.Window != 240 {
		t.Errorf("hosted-exchange = %q %v v%d window %d; want the German name, all three, v1, 240 minutes",
			ex.Name, ex.Names, ex.Version, ex.Window)
	}
	if ex.Billing.Rule != runbook.BillOnCompletion || ex.Billing.Description != de.T("runbook.billing.on_completion") || ex.Billing.Note == "" {
		t.Errorf("billing = %+v", ex.Billing)
	}
	wantOptions := []runbookOptionJSON{{Key: "lync_sharepoint", Label: "SharePoint und Lync beauftragt"},
		{Key: "bulk_load", Label: "Der Anbieter legt die Konten per Massenimport an", Default: true}}
	if diff := cmp.Diff(wantOptions, ex.Options); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	if got := findRunbookTask(t, ex, "account-list").Gate; got == nil ||
		*got != (runbookGateJSON{Kind: "document", Document: "mailbox_list", Label: de.T("runbook.gate.document")}) {
		t.Errorf("account-list gate = %+v", got)
	}

	var rb runbookJSON
	f.doJSON(call{as: staffAdmin, method: "GET", path: "/runbooks/hosted-exchange?version=1", lang: "en"}, 200, &rb)
	want := runbookTaskJSON{Key: "nic-delegation", Name: "Ask the registry (NIC/Akky) to delegate the domain to the provider's DNS servers",
		Party: "customer", With: []string{}, Duration: "24-48h", Elapsed: true, After: []string{"mail-backup"}, Documents: []string{}}
	got := findRunbookTask(t, rb, "nic-delegation")
	if diff := cmp.Diff(want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Note" }, cmp.Ignore())); diff != "" || !strings.Contains(got.Note, "24 to 48 hours") {
		t.Errorf("nic-delegation (-want +got):\n%s\nnote %q", diff, got.Note)
	}
	if mb := findRunbookTask(t, rb, "mail-backup"); mb.Duration != "variable" || mb.Estimate != "1bd" {
		t.Errorf("mail-backup duration %q estimate %q, want variable and 1bd", mb.Duration, mb.Estimate)
	}
	f.doJSON(call{as: staffAdmin, method: "GET", path: "/runbooks/officeconnect-ucaas"}, 200, &rb)
	if tk := findRunbookTask(t, rb, "pm-sales-review"); !tk.Internal || tk.Party != "provider_pm" {
		t.Errorf("pm-sales-review = %+v, want an internal task of the PM", tk)
	}

	// The source is the shipped YAML; a new version is published from it,
	// as YAML or inside JSON, and becomes the current one.
	resp, body := f.do(call{as: staffTech, method: "GET", path: "/runbooks/hosted-exchange/source"})
	if shipped, _ := runbook.ShippedSource("hosted-exchange"); resp.StatusCode != 200 || string(body) != string(shipped) ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/yaml") {
		t.Errorf("source = %d %s, %d bytes; want the shipped YAML", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	resp = f.doJSON(call{as: staffAdmin, method: "POST", path: "/runbooks", body: shippedSource(t, "hosted-exchange", "2"),
		contentType: "text/yaml", lang: "en"}, 201, &rb)
	if loc := resp.Header.Get("Location"); loc != Prefix+"/runbooks/hosted-exchange?version=2" || rb.Version != 2 || rb.Name != wantNames["en"] {
		t.Errorf("published v%d %q at %s", rb.Version, rb.Name, loc)
	}
	source, err := json.Marshal(runbookRequest{Source: shippedSource(t, "hosted-exchange", "3")})
	must(t, err)
	f.doJSON(call{as: staffAdmin, method: "POST", path: "/runbooks", body: string(source)}, 201, &rb)
	f.doJSON(call{as: staffTech, method: "GET", path: "/runbooks/hosted-exchange"}, 200, &rb)
	if rb.Version != 3 {
		t.Errorf("current version = %d, want 3", rb.Version)
	}
	var vs list[activation.RunbookVersion]
	f.doJSON(call{as: staffTech, method: "GET", path: "/runbooks/hosted-exchange/versions"}, 200, &vs)
	if vs.Total != 3 || vs.Items[0].Version != 3 || vs.Items[0].CreatedBy != f.staffID || vs.Items[2].CreatedBy != "enlace" {
		t.Errorf("versions = %+v, want 3, 2 by the administrator and 1 shipped", vs.Items)
	}
	resp, body = f.do(call{as: staffTech, method: "GET", path: "/runbooks/hosted-exchange/source?version=2"})
	if string(body) != shippedSource(t, "hosted-exchange", "2") {
		t.Errorf("source of version 2 = %d %.80s…", resp.StatusCode, body)
	}
	f.doJSON(call{as: staffTech, method: "GET", path: "/runbooks?limit=1&offset=1", lang: "en"}, 200, &l)
	if l.Total != 4 || len(l.Items) != 1 || l.Items[0].Key != "ip-centrex" {
		t.Errorf("second page = %+v", l)
	}
	for _, path := range []string{"/runbooks/hosted-exchange?version=4", "/runbooks/nope", "/runbooks/nope/versions",
		"/runbooks/nope/source", "/runbooks/hosted-exchange/source?version=9"} {
		resp, body := f.do(call{as: staffAdmin, method: "GET", path: path})
		checkProblem(t, resp, body, http.StatusNotFound)
	}
	var entries int
	must(t, f.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'runbook.publish'`).Scan(&entries))
	if entries != 2 {
		t.Errorf("runbook.publish audit entries = %d, want 2", entries)
	}
}

// TestRunbookBadInput publishes malformed and invalid runbooks as a staff
// administrator: each is refused with a problem naming the fault (and the
// task at fault), and no version is stored.
func TestRunbookBadInput(t *testing.T) {
	f := newProjectFixture(t)
	v2 := shippedSource(t, "hosted-exchange", "2")
	tests := []struct {
		name        string
		c           call
		status      int
		field       string
		detailNames string // a word the field's detail must contain
	}{
		{"malformed YAML", call{body: "key: [hosted", contentType: "text/yaml"}, 422, "/source", ""},
		{"empty YAML", call{contentType: "application/yaml"}, 422, "/source", ""},
		{"unknown member", call{body: strings.Replace(v2, "\nbilling:", "\ncolour: red\nbilling:", 1), contentType: "text/yaml"}, 422, "/source", "colour"},
		{"unknown party", call{body: strings.Replace(v2, "party: customer", "party: client", 1), contentType: "text/yaml"}, 422, "/phases/0/tasks/0/party", "mail-backup"},
		{"dependency cycle", call{body: strings.Replace(v2, "      - key: mail-backup\n", "      - key: mail-backup\n        after: [dns-provisioning]\n", 1), contentType: "text/yaml"}, 422, "/phases", "mail-backup"},
		{"unknown dependency", call{body: strings.Replace(v2, "after: [mail-backup]", "after: [mail-backups]", 1), contentType: "text/yaml"}, 422, "/phases/1/tasks/0/after", "dns-provisioning"},
		{"gate without its document", call{body: strings.Replace(v2, "document: mailbox_list", "document: passport", 1), contentType: "text/yaml"}, 422, "/phases/0/tasks/1/gate/document", "account-list"},
		{"version already stored", call{body: shippedSource(t, "hosted-exchange", "1"), contentType: "text/yaml"}, 422, "/version", "2"},
		{"version skipped", call{body: shippedSource(t, "hosted-exchange", "5"), contentType: "text/yaml"}, 422, "/version", "2"},
		{"too large a runbook", call{body: v2 + strings.Repeat("# comentario\n", 300<<10/13), contentType: "text/yaml"}, 422, "/source", ""},
		{"too large a body", call{body: strings.Repeat("# comentario\n", 2<<20/13), contentType: "text/yaml"}, 413, "", ""},
		{"JSON unknown member", call{body: `{"yaml":"key: x"}`}, 400, "/yaml", ""},
		{"JSON wrong type", call{body: `{"source":5}`}, 400, "/source", ""},
		{"JSON empty source", call{body: `{"source":""}`}, 422, "/source", ""},
		{"text body", call{body: v2, contentType: "text/plain"}, 415, "", ""},
		{"version not a number", call{method: "GET", path: "/runbooks/hosted-exchange?version=two"}, 400, "version", ""},
		{"version zero", call{method: "GET", path: "/runbooks/hosted-exchange/source?version=0"}, 400, "version", ""},
		{"unknown parameter", call{method: "GET", path: "/runbooks?q=exchange"}, 400, "q", ""},
	}
	before := f.projectState()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.c.as, tt.c.lang = staffAdmin, "en"
			if tt.c.method == "" {
				tt.c.method, tt.c.path = "POST", "/runbooks"
			}
			resp, body := f.do(tt.c)
			p := checkProblem(t, resp, body, tt.status)
			if tt.field == "" {
				return
			}
			for _, e := range p.Errors {
				if e.Field == tt.field && strings.Contains(e.Detail, tt.detailNames) && e.Detail != "" {
					return
				}
			}
			t.Errorf("problem errors = %+v, want one for %s naming %q", p.Errors, tt.field, tt.detailNames)
		})
	}
	if diff := cmp.Diff(before, f.projectState()); diff != "" {
		t.Errorf("bad input changed the data (-before +after):\n%s", diff)
	}
}
