package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// runbookEditPage is the runbook editor of staff administrators: the YAML
// of a runbook in a text area, published as a new version; refused text
// comes back with every problem listed, each naming its task.
type runbookEditPage struct {
	*Page
	// Key is the runbook edited; empty for a new one.
	Key    string
	Source string
	// Problems are the validation messages, in the order found.
	Problems []runbookProblem
	// Choose is set on a new runbook until its starting point is chosen.
	Choose bool
	Bases  []option
	NewKey string
}

type runbookProblem struct {
	Field, Message string
}

var (
	versionLine = regexp.MustCompile(`(?m)^version:[ \t]*\d+[ \t]*$`)
	keyLine     = regexp.MustCompile(`(?m)^key:[ \t]*\S+[ \t]*$`)
)

// withVersion sets the version line of a runbook's YAML.
func withVersion(source string, version int) string {
	return versionLine.ReplaceAllLiteralString(source, "version: "+strconv.Itoa(version))
}

func (s *Server) editRunbookForm(w http.ResponseWriter, r *http.Request) {
	if !s.runbookAccess(w, r, true) {
		return
	}
	ctx, key := r.Context(), r.PathValue("key")
	catalog := s.deps.Projects.Catalog()
	versions, err := catalog.Versions(ctx, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(versions) == 0 {
		s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
		return
	}
	src, err := catalog.Source(ctx, key, versions[0].Version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "projects.runbook_edit.title")
	s.render(w, r, http.StatusOK, "runbook_edit", runbookEditPage{Page: p, Key: key,
		Source: withVersion(src, versions[0].Version+1)})
}

func (s *Server) newRunbookForm(w http.ResponseWriter, r *http.Request) {
	if !s.runbookAccess(w, r, true) {
		return
	}
	ctx, q := r.Context(), r.URL.Query()
	current, err := s.deps.Projects.Catalog().Current(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "projects.runbook_new.title")
	ep := runbookEditPage{Page: p, NewKey: strings.TrimSpace(q.Get("key"))}
	from := q.Get("from")
	var base *runbook.Template
	for _, tp := range current {
		ep.Bases = append(ep.Bases, option{Value: tp.Key, Label: tp.Name.In(p.Lang), Selected: tp.Key == from})
		if tp.Key == from {
			base = tp
		}
	}
	if base == nil || ep.NewKey == "" {
		ep.Choose = true
		if from != "" || q.Has("key") {
			p.Errors = map[string]string{}
			if base == nil {
				p.Errors["from"] = p.T("projects.runbook_new.choose_base")
			}
			if ep.NewKey == "" {
				p.Errors["key"] = p.T("runbook.error.key")
			}
		}
		s.render(w, r, http.StatusOK, "runbook_edit", ep)
		return
	}
	src, err := s.deps.Projects.Catalog().Source(ctx, base.Key, base.Version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ep.Source = withVersion(keyLine.ReplaceAllLiteralString(src, "key: "+ep.NewKey), 1)
	s.render(w, r, http.StatusOK, "runbook_edit", ep)
}

func (s *Server) publishRunbook(w http.ResponseWriter, r *http.Request) {
	if !s.runbookAccess(w, r, true) || !s.parseForm(w, r) {
		return
	}
	source := strings.ReplaceAll(r.PostForm.Get("source"), "\r\n", "\n")
	tp, err := s.deps.Projects.Catalog().Publish(r.Context(), []byte(source))
	if err == nil {
		s.flash(w, "projects.flash.runbook_published")
		http.Redirect(w, r, "/runbooks/"+url.PathEscape(tp.Key), http.StatusSeeOther)
		return
	}
	if enlace.ErrorCode(err) != enlace.EINVALID {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "projects.runbook_edit.title")
	p.Summary = p.T("projects.runbook_edit.refused")
	ep := runbookEditPage{Page: p, Source: source, Key: r.PostForm.Get("key")}
	for _, f := range enlace.AsError(err).Fields {
		ep.Problems = append(ep.Problems, runbookProblem{Field: f.Field, Message: p.loc.TMap(f.Message, f.Args)})
	}
	s.render(w, r, http.StatusUnprocessableEntity, "runbook_edit", ep)
}

// runbookUploadLimit is the body a published runbook may take: its
// largest text, form-encoded (which can triple it), and the form around.
func runbookUploadLimit() int64 { return 3*runbook.MaxSize + 64<<10 }
