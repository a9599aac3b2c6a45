package web_test

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// brokenRunbook has a dependency cycle (a → b → a), an unknown party on
// b and a document gate on c with no document to wait for.
const brokenRunbook = `key: prueba
version: 1
name:
  es-MX: Prueba
billing:
  rule: on_completion
phases:
  - key: uno
    name:
      es-MX: Uno
    tasks:
      - key: a
        name:
          es-MX: Tarea A
        party: customer
        duration: 1h
        after: [b]
      - key: b
        name:
          es-MX: Tarea B
        party: nadie
        duration: 1h
        after: [a]
      - key: c
        name:
          es-MX: Tarea C
        party: provider_pm
        duration: 2bd
        gate:
          kind: document
`

func TestRunbookEditorRefusesAndPublishes(t *testing.T) {
	e, svc := newProjectEnv(t)
	admin := e.signedIn(e.admin.Email)
	admin.get("/runbooks").want(t, 200, "").contains(t, `id="runbook-hosted-exchange"`, `id="runbook-new"`,
		`id="runbook-edit-teams-cloud-voice"`, "<code>hosted-exchange</code>")
	admin.get("/runbooks/hosted-exchange").want(t, 200, "").contains(t, `id="task-nic-delegation"`, "24–48 horas",
		`id="runbook-versions"`, "incluida en Enlace", `id="runbook-edit"`)

	// The refused text comes back whole, with every problem naming its task.
	r := admin.post("/runbooks", url.Values{"source": {brokenRunbook}}).want(t, 422, "")
	r.contains(t, `id="runbook-problems"`, "La tarea «a» depende de sí misma a través de a → b → a",
		"La tarea «b» nombra una parte desconocida: «nadie»", "La condición de la tarea «c» espera un documento",
		html.EscapeString("kind: document"))
	if _, err := svc.Catalog().Latest(t.Context(), "prueba"); err == nil {
		t.Error("a broken runbook was published")
	}

	// Editing bumps the version; the edited text publishes as version 2.
	r = admin.get("/runbooks/hosted-exchange/edit").want(t, 200, "")
	r.contains(t, "version: 2", `id="runbook-publish"`)
	src, err := runbook.ShippedSource("hosted-exchange")
	must(t, err)
	edited := strings.Replace(strings.Replace(string(src), "version: 1", "version: 2", 1),
		"Respaldar los correos actuales", "Respaldar todos los correos", 1)
	admin.post("/runbooks", url.Values{"source": {string(src)}}).want(t, 422, "").
		contains(t, "La siguiente versión de este runbook es la 2")
	admin.post("/runbooks", url.Values{"source": {strings.ReplaceAll(edited, "\n", "\r\n")}}).want(t, 303, "/runbooks/hosted-exchange")
	admin.get("/runbooks/hosted-exchange").want(t, 200, "").contains(t, "versión 2", "Respaldar todos los correos",
		`href="/runbooks/hosted-exchange?version=1"`, "publicada por un administrador")
	admin.get("/runbooks/hosted-exchange?version=1").want(t, 200, "").contains(t, `id="runbook-old"`, "Respaldar los correos actuales")

	// A new runbook starts from an existing one's text with a new key.
	admin.get("/runbooks/new").want(t, 200, "").contains(t, `id="runbook-base"`)
	admin.get("/runbooks/new?from=ip-centrex&key=").want(t, 200, "").contains(t, `id="key" name="key" value="" pattern`)
	admin.get("/runbooks/new?from=ip-centrex&key=centrex-norte").want(t, 200, "").contains(t, "key: centrex-norte", "version: 1")
	ip, err := runbook.ShippedSource("ip-centrex")
	must(t, err)
	// A new key starts at version 1, whatever the version of the text it
	// was copied from.
	fresh := strings.Replace(strings.Replace(string(ip), "key: ip-centrex", "key: centrex-norte", 1), "version: 3", "version: 1", 1)
	admin.post("/runbooks", url.Values{"source": {fresh}}).want(t, 303, "/runbooks/centrex-norte")
	if _, err := svc.Catalog().Latest(t.Context(), "centrex-norte"); err != nil {
		t.Errorf("the new runbook was not published: %v", err)
	}
}

func TestRunbookAccess(t *testing.T) {
	e, _ := newProjectEnv(t)
	tn := e.newTenant("Alfa")
	pm := e.signedIn(e.newStaff(identity.StaffPM))
	pm.get("/runbooks").want(t, 200, "").contains(t, `id="runbook-ip-centrex"`)
	pm.get("/runbooks/ip-centrex").want(t, 200, "")
	pm.get("/runbooks/ip-centrex/edit").want(t, 403, "")
	pm.get("/runbooks/new").want(t, 403, "")
	pm.post("/runbooks", url.Values{"source": {brokenRunbook}}).want(t, 403, "")
	tech := e.signedIn(e.newStaff(identity.StaffTechnician))
	tech.get("/runbooks/teams-cloud-voice").want(t, 200, "")
	admin := e.signedIn(tn.admin.Email)
	for _, path := range []string{"/runbooks", "/runbooks/ip-centrex", "/runbooks/ip-centrex/edit", "/runbooks/new"} {
		admin.get(path).want(t, 404, "")
	}
	admin.post("/runbooks", url.Values{"source": {brokenRunbook}}).want(t, 404, "")
	staff := e.signedIn(e.admin.Email)
	staff.get("/runbooks/no-such").want(t, 404, "")
	staff.get("/runbooks/no-such/edit").want(t, 404, "")
	staff.get("/runbooks/ip-centrex?version=9").want(t, 404, "")
}
