package web

import (
	"bytes"
	"html/template"
	"math"
)

// chart is a horizontal bar chart drawn as SVG on the server, like the
// projects' timeline: no script, and presentation attributes the content
// security policy allows. Bars with a link are links (the service desk's
// phases and the numbers' states filter their lists), a bar may be marked
// as the one picked and coloured by a class; the chart is a group, so
// assistive technology reaches the bars, each named by its label and
// value. The service desk drew the first ones, whose styles the charts
// keep (desk-chart, dc-*). The home page's and the services' simpler
// chart is barChart (services.go).
type chart struct {
	ID, Title string
	// Max is the value of a full-width bar: the largest count, or the top
	// of a fixed scale (5 for survey scores).
	Max  float64
	Bars []chartBar
}

// chartBar is one bar: its label, its value as written, how long it is
// (N against the chart's Max), and optionally where it leads; Class
// colours it (dc-<class>).
type chartBar struct {
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

type chartView struct {
	ID, Title                string
	Width, Height, Hit, BarX int
	Rows                     []chartLine
}

type chartLine struct {
	Label, Value, URL, Class, Tip string
	Selected                      bool
	Y, TextY, W, ValueX           int
}

var chartSVG = template.Must(template.New("barchart").Parse(
	`<svg class="desk-chart" id="{{.ID}}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.Width}} {{.Height}}" width="100%" role="group" aria-labelledby="{{.ID}}-title">` +
		`<title id="{{.ID}}-title">{{.Title}}</title>` +
		`{{range .Rows}}{{if .URL}}<a href="{{.URL}}" aria-label="{{.Tip}}"{{if .Selected}} aria-current="true"{{end}}>{{else}}<g>{{end}}` +
		`<rect class="dc-hit" x="0" y="{{.Y}}" width="{{$.Width}}" height="{{$.Hit}}" fill="transparent"></rect>` +
		`<text class="dc-label{{if .Selected}} dc-selected{{end}}" x="0" y="{{.TextY}}" font-size="13" fill="#1f2937">{{.Label}}</text>` +
		`<rect class="{{.Class}}{{if .Selected}} dc-selected{{end}}" x="{{$.BarX}}" y="{{.Y}}" width="{{.W}}" height="20" rx="3" fill="#1f5fa8"></rect>` +
		`<text class="dc-value" x="{{.ValueX}}" y="{{.TextY}}" font-size="13" fill="#1f2937">{{.Value}}</text>` +
		`{{if .URL}}</a>{{else}}</g>{{end}}{{end}}</svg>`))

// renderChart draws a chart as SVG, safe to put in a page: every text
// goes through html/template.
func renderChart(c chart) (template.HTML, error) {
	v := chartView{ID: c.ID, Title: c.Title, Width: dcWidth, Height: len(c.Bars)*dcRow + 4, Hit: dcRow - 4, BarX: dcLabel}
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
		v.Rows = append(v.Rows, chartLine{Label: shorten(b.Label, dcRunes), Value: b.Value, URL: b.URL, Class: class,
			Tip: b.Label + ": " + b.Value, Selected: b.Selected, Y: i*dcRow + 4, TextY: i*dcRow + 19, W: w,
			ValueX: dcLabel + w + 6})
	}
	var buf bytes.Buffer
	if err := chartSVG.Execute(&buf, v); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // #nosec: built by html/template above
}
