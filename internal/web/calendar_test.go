package web_test

import (
	"net/url"
	"strings"
	"testing"
)

func TestCalendarSettings(t *testing.T) {
	e, svc := newProjectEnv(t)
	admin := e.signedIn(e.admin.Email)
	admin.get("/settings/calendar").want(t, 200, "").contains(t, "Calendario laboral 2026", "16/03/2026", "Natalicio de Benito Juárez",
		`id="calendar-form"`)
	admin.get("/settings/calendar?year=2030").want(t, 200, "").contains(t, "01/10/2030") // transmission of executive power
	admin.get("/settings/calendar?year=abc").want(t, 200, "").contains(t, `id="error-summary"`, "Calendario laboral 2026")

	// A holiday of the provider's own, and a federal holiday worked.
	admin.post("/settings/calendar", url.Values{"day": {"2026-12-24"}, "kind": {"holiday"}, "name": {"Nochebuena"}}).
		want(t, 303, "/settings/calendar?year=2026")
	admin.post("/settings/calendar", url.Values{"day": {"2026-03-16"}, "kind": {"worked"}}).want(t, 303, "/settings/calendar?year=2026")
	r := admin.get("/settings/calendar?year=2026").want(t, 200, "")
	r.contains(t, `id="flash"`, "24/12/2026</span> Nochebuena", `id="delete-2026-12-24"`, `id="delete-2026-03-16"`, "Se trabaja")
	if holidays := r.body[strings.Index(r.body, `id="holidays"`):strings.Index(r.body, `id="overrides"`)]; strings.Contains(holidays, "Juárez") {
		t.Error("a federal holiday marked worked is still listed as a day off")
	}

	// Refused input comes back with the message next to the field.
	r = admin.post("/settings/calendar", url.Values{"day": {"2026-12-31"}, "kind": {"holiday"}, "name": {""}}).want(t, 422, "")
	r.contains(t, `id="name-error"`, `value="2026-12-31"`)
	admin.post("/settings/calendar", url.Values{"day": {"31/12/2026"}, "kind": {"holiday"}, "name": {"x"}}).want(t, 422, "").
		contains(t, `id="day-error"`)

	admin.post("/settings/calendar/2026-12-24/delete", nil).want(t, 303, "/settings/calendar?year=2026")
	admin.post("/settings/calendar/not-a-day/delete", nil).want(t, 404, "")
	_, days, err := svc.Holidays(e.staffCtx(), 2026)
	must(t, err)
	if len(days) != 1 || days[0].Day != "2026-03-16" {
		t.Errorf("overrides = %+v, want only 2026-03-16 worked", days)
	}
}
