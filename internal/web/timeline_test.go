package web

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestTimelineHighlightsCriticalPathAndToday(t *testing.T) {
	loc, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, loc) // a Monday
	day := 24 * time.Hour
	in := timelineInput{Title: "Cronograma <PRJ>", Desc: "desc", TodayLabel: "Hoy", Loc: loc, Lang: "es-MX",
		Now: start.Add(5 * day), // halfway through the ten days
		Tasks: []timelineTask{
			{Key: "a", Name: "Tarea A", Phase: "Uno", Start: start, End: start.Add(4 * day), Critical: true, Status: "done"},
			{Key: "b", Name: "Tarea B con un nombre muy largo que no cabe en la columna", Phase: "Uno",
				Start: start, End: start.Add(2 * day), Status: "ready"},
			{Key: "c", Name: "Tarea C", Phase: "Dos", Start: start.Add(4 * day), End: start.Add(10 * day), Critical: true, Status: "pending"},
			{Key: "d", Name: "Sin fechas", Phase: "Dos"},
		}}
	svg, err := renderTimeline(in)
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	bar := regexp.MustCompile(`<g data-task="([a-z])">.*?<rect class="([^"]*)" x="(\d+)" y="\d+" width="(\d+)"`)
	got := map[string][]string{}
	for _, m := range bar.FindAllStringSubmatch(s, -1) {
		got[m[1]] = m[2:]
	}
	// Ten days drawn on 480 px (the minimum) after the 230 px label column.
	want := map[string][]string{
		"a": {"tl-bar tl-critical tl-done", "230", "192"},
		"b": {"tl-bar", "230", "96"},
		"c": {"tl-bar tl-critical", "422", "288"},
	}
	for k, w := range want {
		if g := got[k]; strings.Join(g, "|") != strings.Join(w, "|") {
			t.Errorf("bar %s = %q, want %q", k, g, w)
		}
	}
	if _, ok := got["d"]; ok {
		t.Error("a task without planned dates got a bar")
	}
	if !strings.Contains(s, `<line class="tl-today" x1="470" y1="18" x2="470"`) {
		t.Errorf("the today line is not at x=470 (230 + 480/2):\n%s", s)
	}
	for _, part := range []string{`<title id="timeline-title">Cronograma &lt;PRJ&gt;</title>`, `role="img"`,
		`>Uno</text>`, `>Dos</text>`, "Tarea B con un nombre muy largo…<", // cut, with the whole name in the tooltip
		"<title>Tarea B con un nombre muy largo que no cabe en la columna</title>", `>03/03</text>`} {
		if !strings.Contains(s, part) {
			t.Errorf("timeline lacks %q", part)
		}
	}

	// Today outside the plan draws no line; no dated task draws nothing.
	in.Now = start.Add(-day)
	if svg, _ := renderTimeline(in); strings.Contains(string(svg), "tl-today") {
		t.Error("a today line outside the plan")
	}
	if svg, _ := renderTimeline(timelineInput{Tasks: []timelineTask{{Key: "x"}}}); svg != "" {
		t.Errorf("timeline of undated tasks = %q, want nothing", svg)
	}
}

func TestTimelineTicksWeeklyOverAMonth(t *testing.T) {
	start := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC) // a Wednesday
	v := layoutTimeline(timelineInput{Lang: "en", Tasks: []timelineTask{{Key: "a", Name: "A", Phase: "P",
		Start: start, End: start.Add(60 * 24 * time.Hour)}}})
	if len(v.Ticks) == 0 || v.Ticks[0].Label != "Mar 9" {
		t.Fatalf("ticks = %+v, want Mondays from Mar 9", v.Ticks)
	}
	if len(v.Ticks) != 8 { // Mar 9 … Apr 27
		t.Errorf("%d weekly ticks over 60 days, want 8", len(v.Ticks))
	}
}
