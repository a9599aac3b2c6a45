package web

import (
	"bytes"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// deskChart is a horizontal bar chart of the service desk drawn as SVG on
// the server, like the projects' timeline: no script, and presentation
// attributes the content security policy allows. Bars with a link are
// links (the phase chart filters the list); the chart is a group, so
// assistive technology reaches them, each named by its label and value.
type deskChart struct {
	ID, Title string
	// Max is the value of a full-width bar: the largest count, or the top
	// of a fixed scale (5 for survey scores).
	Max  float64
	Bars []deskBar
}

// deskBar is one bar: its label, its value as written, how long it is
// (N against the chart's Max), and optionally where it leads.
type deskBar struct {
	Label, Value, URL, Class string
	N                        float64
	Selected                 bool
}

// Geometry of the chart in viewBox units; the SVG scales to its box.
const (
	dcWidth = 400
	dcLabel = 160 // the column of labels
	dcBars  = 190 // the longest bar
	dcRow   = 30
	dcRunes = 24
)

type deskChartView struct {
	ID, Title                string
	Width, Height, Hit, BarX int
	Rows                     []deskChartRow
}

type deskChartRow struct {
	Label, Value, URL, Class, Tip string
	Selected                      bool
	Y, TextY, W, ValueX           int
}

var deskChartSVG = template.Must(template.New("deskchart").Parse(
	`<svg class="desk-chart" id="{{.ID}}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.Width}} {{.Height}}" width="100%" role="group" aria-labelledby="{{.ID}}-title">` +
		`<title id="{{.ID}}-title">{{.Title}}</title>` +
		`{{range .Rows}}{{if .URL}}<a href="{{.URL}}" aria-label="{{.Tip}}"{{if .Selected}} aria-current="true"{{end}}>{{else}}<g>{{end}}` +
		`<rect class="dc-hit" x="0" y="{{.Y}}" width="{{$.Width}}" height="{{$.Hit}}" fill="transparent"></rect>` +
		`<text class="dc-label{{if .Selected}} dc-selected{{end}}" x="0" y="{{.TextY}}" font-size="13" fill="#1f2937">{{.Label}}</text>` +
		`<rect class="{{.Class}}{{if .Selected}} dc-selected{{end}}" x="{{$.BarX}}" y="{{.Y}}" width="{{.W}}" height="20" rx="3" fill="#1f5fa8"></rect>` +
		`<text class="dc-value" x="{{.ValueX}}" y="{{.TextY}}" font-size="13" fill="#1f2937">{{.Value}}</text>` +
		`{{if .URL}}</a>{{else}}</g>{{end}}{{end}}</svg>`))

// renderDeskChart draws a chart as SVG, safe to put in a page: every text
// goes through html/template.
func renderDeskChart(c deskChart) (template.HTML, error) {
	v := deskChartView{ID: c.ID, Title: c.Title, Width: dcWidth, Height: len(c.Bars)*dcRow + 4, Hit: dcRow - 4, BarX: dcLabel}
	for i, b := range c.Bars {
		w := 0
		if c.Max > 0 {
			w = int(math.Round(b.N / c.Max * dcBars))
			if b.N > 0 {
				w = max(w, 2)
			}
		}
		class := "dc-bar"
		if b.Class != "" {
			class += " " + b.Class
		}
		v.Rows = append(v.Rows, deskChartRow{Label: shorten(b.Label, dcRunes), Value: b.Value, URL: b.URL, Class: class,
			Tip: b.Label + ": " + b.Value, Selected: b.Selected, Y: i*dcRow + 4, TextY: i*dcRow + 19, W: w,
			ValueX: dcLabel + w + 6})
	}
	var buf bytes.Buffer
	if err := deskChartSVG.Execute(&buf, v); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // #nosec: built by html/template above
}

// phaseChart is the chart of requests by phase (E3): a bar per phase in
// order, each a link to the list filtered by it, the phase picked marked.
func phaseChart(p *Page, q deskQuery, counts []servicedesk.PhaseCount) deskChart {
	c := deskChart{ID: "phase-chart", Title: p.T("desk.list.chart")}
	for _, pc := range counts {
		c.Max = max(c.Max, float64(pc.Count))
		c.Bars = append(c.Bars, deskBar{Label: p.T("servicedesk.phase." + pc.Phase), Value: p.Number(pc.Count),
			N: float64(pc.Count), URL: q.link("", "phase", pc.Phase), Class: "dc-" + pc.Phase, Selected: pc.Phase == q.Phase})
	}
	return c
}

// Decimal writes a number with one decimal in the page's language: 4.5,
// or 4,5 in German.
func (p *Page) Decimal(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if p.Lang == "de" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
