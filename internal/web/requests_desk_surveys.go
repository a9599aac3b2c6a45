package web

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// surveyPeriods are the periods, in days, the survey results cover.
var surveyPeriods = []int{30, 90, 365}

// deskSurveysPage is the satisfaction survey's results (E5), staff only:
// by agent and by category over a period, each a table and a chart of
// the average score.
type deskSurveysPage struct {
	*Page
	Days    int
	Periods []option
	Groups  []deskSurveyGroup
}

// deskSurveyGroup is the results grouped one way: by agent or by category.
type deskSurveyGroup struct {
	By, Title, Name string
	Chart           template.HTML
	Rows            []deskSurveyRow
}

// deskSurveyRow is one agent's or one category's results.
type deskSurveyRow struct {
	Name, Average, Satisfied string
	Answers                  int
}

func (s *Server) deskSurveys(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "desk.surveys.title")
	sp := deskSurveysPage{Page: p, Days: surveyPeriods[0]}
	if d := r.URL.Query().Get("days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || !slices.Contains(surveyPeriods, n) {
			p.Summary = p.T("web.error.bad_filter")
		} else {
			sp.Days = n
		}
	}
	for _, n := range surveyPeriods {
		sp.Periods = append(sp.Periods, option{Value: strconv.Itoa(n), Label: p.T("desk.surveys.days", "Days", n), Selected: n == sp.Days})
	}
	since := s.deps.Requests.Now().AddDate(0, 0, -sp.Days)
	for _, by := range []struct{ key, title, name string }{
		{servicedesk.ByAgent, "desk.surveys.by_agent", "desk.agent"},
		{servicedesk.ByCategory, "desk.surveys.by_category", "desk.category"},
	} {
		results, err := s.deps.Requests.SurveyResults(r.Context(), by.key, since)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		g := deskSurveyGroup{By: by.key, Title: p.T(by.title), Name: p.T(by.name)}
		c := chart{ID: "survey-" + by.key, Title: g.Title, Max: 5}
		for _, res := range results {
			row := surveyRow(p, by.key, res)
			g.Rows = append(g.Rows, row)
			c.Bars = append(c.Bars, chartBar{Label: row.Name, Value: row.Average, N: res.Average})
		}
		if g.Chart, err = renderChart(c); err != nil {
			s.internal(w, r, err)
			return
		}
		sp.Groups = append(sp.Groups, g)
	}
	s.render(w, r, http.StatusOK, "desk_surveys", sp)
}

// surveyRow names an agent (or says none had the request) or a category,
// and writes the results in the reader's language.
func surveyRow(p *Page, by string, res servicedesk.SurveyResult) deskSurveyRow {
	row := deskSurveyRow{Name: res.Name, Average: p.Decimal(res.Average), Answers: res.Answers}
	switch {
	case by == servicedesk.ByCategory:
		row.Name = categoryLabel(p, res.Key)
	case res.Key == "":
		row.Name = p.T("desk.request.no_agent")
	case row.Name == "":
		row.Name = res.Key
	}
	if res.Answers > 0 {
		row.Satisfied = strconv.Itoa(res.Satisfied*100/res.Answers) + " %"
	}
	return row
}
