package web

import (
	"bytes"
	"html/template"
	"math"
	"time"
	"unicode/utf8"
)

// timelineTask is one bar of a project's timeline: a task with its phase
// and planned dates.
type timelineTask struct {
	Key, Name, Phase string
	Start, End       time.Time
	Critical         bool
	// Status is the task's status: done, not applicable and blocked bars
	// look different.
	Status string
}

// timelineInput is what a timeline is drawn from: the tasks in display
// order (grouped by phase), the reader's clock, zone and language, and
// the texts of the chart.
type timelineInput struct {
	Title, Desc, TodayLabel string
	Tasks                   []timelineTask
	Now                     time.Time
	Loc                     *time.Location
	Lang                    string
}

// Geometry of the timeline, in pixels: the SVG is drawn at its natural
// size and scrolls sideways on a phone.
const (
	tlLabelWidth = 230 // the column of task names
	tlAxis       = 30  // the band of date ticks at the top
	tlRow        = 22
	tlBar        = 14
	tlMinPlot    = 480
	tlMaxPlot    = 2400
	tlLabelRunes = 32
)

// timelineView is the template data of a drawn timeline.
type timelineView struct {
	Title, Desc   string
	Width, Height int
	Axis          int
	Ticks         []timelineTick
	Rows          []timelineRow
	Today         *timelineTick
}

type timelineTick struct {
	X     int
	Label string
}

type timelineRow struct {
	Phase           bool
	Key, Label, Tip string
	Class           string
	X, Y, W, TextY  int
}

// timelineSVG draws the tasks as a Gantt chart on a time axis: one bar per
// task from its planned start to its planned end, grouped under its
// phase, critical-path bars highlighted, and a vertical line at today. It
// is one image to assistive technology (its title and description); the
// task list under it carries the same facts, and the links.
var timelineSVG = template.Must(template.New("timeline").Parse(
	`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-labelledby="timeline-title timeline-desc">` +
		`<title id="timeline-title">{{.Title}}</title><desc id="timeline-desc">{{.Desc}}</desc>` +
		`{{range .Ticks}}<line class="tl-tick" x1="{{.X}}" y1="{{$.Axis}}" x2="{{.X}}" y2="{{$.Height}}" stroke="#d6dbe1"></line>` +
		`<text class="tl-tick-label" x="{{.X}}" y="14" font-size="11" fill="#5b6472">{{.Label}}</text>{{end}}` +
		`{{range .Rows}}{{if .Phase}}<text class="tl-phase" x="4" y="{{.TextY}}" font-size="12" font-weight="700" fill="#1f2937">{{.Label}}</text>` +
		`{{else}}<g data-task="{{.Key}}"><text class="tl-label" x="12" y="{{.TextY}}" font-size="12" fill="#1f2937">{{.Label}}</text>` +
		`<rect class="{{.Class}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="14" rx="2" fill="#1f5fa8"><title>{{.Tip}}</title></rect></g>{{end}}{{end}}` +
		`{{with .Today}}<line class="tl-today" x1="{{.X}}" y1="18" x2="{{.X}}" y2="{{$.Height}}" stroke="#b42318" stroke-width="2"></line>` +
		`<text class="tl-today-label" x="{{.X}}" y="28" dx="3" font-size="11" fill="#b42318">{{.Label}}</text>{{end}}` +
		`</svg>`))

// renderTimeline draws a timeline as SVG, safe to put in a page: every
// text goes through html/template. Tasks without planned dates are left
// out; no task at all draws nothing.
func renderTimeline(in timelineInput) (template.HTML, error) {
	v := layoutTimeline(in)
	if v == nil {
		return "", nil
	}
	var buf bytes.Buffer
	if err := timelineSVG.Execute(&buf, v); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // #nosec: built by html/template above
}

// layoutTimeline computes the coordinates of the chart.
func layoutTimeline(in timelineInput) *timelineView {
	loc := in.Loc
	if loc == nil {
		loc = time.UTC
	}
	var start, end time.Time
	for _, t := range in.Tasks {
		if t.Start.IsZero() || t.End.IsZero() {
			continue
		}
		if start.IsZero() || t.Start.Before(start) {
			start = t.Start
		}
		if t.End.After(end) {
			end = t.End
		}
	}
	if start.IsZero() {
		return nil
	}
	if !end.After(start) {
		end = start.Add(time.Hour)
	}
	days := end.Sub(start).Hours() / 24
	weekly := days > 31
	plot := int(math.Ceil(days)) * 48
	if weekly {
		plot = int(math.Ceil(days/7)) * 64
	}
	plot = min(max(plot, tlMinPlot), tlMaxPlot)
	x := func(t time.Time) int {
		return tlLabelWidth + int(math.Round(float64(t.Sub(start))/float64(end.Sub(start))*float64(plot)))
	}
	v := &timelineView{Title: in.Title, Desc: in.Desc, Width: tlLabelWidth + plot + 40, Axis: tlAxis}
	v.Ticks = timelineTicks(start, end, loc, weekly, in.Lang, x)
	y, phase := tlAxis+4, "\x00"
	for _, t := range in.Tasks {
		if t.Start.IsZero() || t.End.IsZero() {
			continue
		}
		if t.Phase != phase {
			phase = t.Phase
			v.Rows = append(v.Rows, timelineRow{Phase: true, Label: t.Phase, TextY: y + 15})
			y += tlRow
		}
		x0, x1 := x(t.Start), x(t.End)
		v.Rows = append(v.Rows, timelineRow{Key: t.Key, Label: shorten(t.Name, tlLabelRunes), Tip: t.Name,
			Class: timelineClass(t), X: x0, W: max(x1-x0, 3), Y: y + (tlRow-tlBar)/2, TextY: y + 15})
		y += tlRow
	}
	v.Height = y + 6
	if !in.Now.Before(start) && !in.Now.After(end) {
		v.Today = &timelineTick{X: x(in.Now), Label: in.TodayLabel}
	}
	return v
}

// timelineClass is the CSS class of a task's bar.
func timelineClass(t timelineTask) string {
	c := "tl-bar"
	if t.Critical {
		c += " tl-critical"
	}
	switch t.Status {
	case "done":
		c += " tl-done"
	case "not_applicable":
		c += " tl-na"
	case "blocked":
		c += " tl-blocked"
	}
	return c
}

// timelineTicks returns the date ticks: every day at midnight, or every
// Monday for spans over a month.
func timelineTicks(start, end time.Time, loc *time.Location, weekly bool, lang string, x func(time.Time) int) []timelineTick {
	l := start.In(loc)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	if day.Before(start) {
		day = day.AddDate(0, 0, 1)
	}
	step := 1
	if weekly {
		step = 7
		for day.Weekday() != time.Monday {
			day = day.AddDate(0, 0, 1)
		}
	}
	var ticks []timelineTick
	for ; !day.After(end); day = day.AddDate(0, 0, step) {
		ticks = append(ticks, timelineTick{X: x(day), Label: shortDate(day, lang)})
	}
	return ticks
}

// shortDate writes a day and month in the language's order.
func shortDate(t time.Time, lang string) string {
	switch lang {
	case "en":
		return t.Format("Jan 2")
	case "de":
		return t.Format("02.01.")
	}
	return t.Format("02/01")
}

// shorten cuts a text to n characters, marking the cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
