package web

import (
	"net/http"
	"strconv"
)

// pager is the previous/next navigation under a paginated list.
type pager struct {
	Label, PrevURL, NextURL, PrevLabel, NextLabel string
}

// newPager describes page (1-based) of a list of total items shown limit
// at a time; the links keep the request's other query parameters.
func newPager(p *Page, r *http.Request, page, limit, total int) *pager {
	pages := max(1, (total+limit-1)/limit)
	pg := &pager{Label: p.T("web.pager.label", "Page", page, "Pages", pages, "Total", p.Number(total)),
		PrevLabel: p.T("web.pager.prev"), NextLabel: p.T("web.pager.next")}
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		pg.PrevURL = link(min(page-1, pages))
	}
	if page < pages {
		pg.NextURL = link(page + 1)
	}
	return pg
}
