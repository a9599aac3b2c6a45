package web

import (
	"net/http"
	"strings"

	"github.com/enlace-portal/enlace/internal/help"
)

// helpPage is the help center (M1): the topics with their questions, or
// the answers matching a search.
type helpPage struct {
	*Page
	Query   string
	Results []help.Article
	Topics  []helpTopic
}

// helpTopic is a topic and its articles, or one article on its own page.
type helpTopic struct {
	Name     string
	Articles []help.Article
}

// Paragraphs returns an article's body in the reader's language, one
// string per paragraph.
func (p *Page) Paragraphs(a help.Article) []string {
	return strings.Split(p.T("help."+a.Slug+".body"), "\n\n")
}

func (s *Server) helpCenter(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "help.title")
	hp := helpPage{Page: p, Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if len(hp.Query) > 200 {
		hp.Query = hp.Query[:200]
	}
	if hp.Query != "" {
		hp.Results = help.Search(p.loc, hp.Query)
	}
	for _, t := range help.Topics {
		hp.Topics = append(hp.Topics, helpTopic{Name: t, Articles: help.InTopic(t)})
	}
	s.render(w, r, http.StatusOK, "help", hp)
}

// helpEntry shows a topic with all its answers (/help/access is where the
// sign-in page sends people), or a single article.
func (s *Server) helpEntry(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	p := s.page(w, r, "help.title")
	var t helpTopic
	if as := help.InTopic(slug); len(as) > 0 {
		t = helpTopic{Name: slug, Articles: as}
	} else if a, ok := help.Find(slug); ok {
		t = helpTopic{Name: a.Topic, Articles: []help.Article{a}}
		p.Title = p.T("help." + a.Slug + ".title")
	} else {
		s.notFound(w, r)
		return
	}
	s.render(w, r, http.StatusOK, "help_topic", helpPage{Page: p, Topics: []helpTopic{t}})
}
