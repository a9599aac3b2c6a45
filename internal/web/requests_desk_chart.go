package web

import (
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// phaseChart is the chart of requests by phase (E3): a bar per phase in
// order, each a link to the list filtered by it, the phase picked marked.
func phaseChart(p *Page, q deskQuery, counts []servicedesk.PhaseCount) chart {
	c := chart{ID: "phase-chart", Title: p.T("desk.list.chart")}
	for _, pc := range counts {
		c.Max = max(c.Max, float64(pc.Count))
		c.Bars = append(c.Bars, chartBar{Label: p.T("servicedesk.phase." + pc.Phase), Value: p.Number(pc.Count),
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
