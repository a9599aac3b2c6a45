package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// Raising a request (E1, E7) is two pages: the chooser, where the reader
// picks the kind (and for a technical request the category) and then the
// type; and the type's form (requests_desk_form.go).

// kindProcedures is the chooser's entry for the procedures of the
// provider's manual, which are technical types of several categories.
const kindProcedures = "procedures"

// deskChooserPage is the chooser of the new request.
type deskChooserPage struct {
	*Page
	Kind, Category string
	// Service is the service key brought from a service's page, carried
	// to the form.
	Service    string
	Kinds      []deskChoice
	Categories []deskChoice
	Types      []deskTypeChoice
	// Back is the chooser one step up.
	Back string
}

// deskChoice is a kind or a category to pick.
type deskChoice struct {
	Key, Label, Summary, URL string
	Current                  bool
}

// deskTypeChoice is a request type to pick, with what it needs.
type deskTypeChoice struct {
	Key, Name, Summary, URL string
	Procedure, Incident     bool
	Attachments             []deskNeed
}

// deskNeed is a document an administrative requirement asks for.
type deskNeed struct {
	Label    string
	Required bool
}

// raisable reports whether the actor may raise requests of the type: a
// customer's role may be kept from some administrative requirements.
func raisable(a *enlace.Actor, tp *servicedesk.Type) bool {
	return servicedesk.MayRaise(a) && (a.IsStaff() || tp.MayRaise(a.CustomerRole))
}

func (s *Server) deskChooser(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	if !servicedesk.MayRaise(a) {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
		return
	}
	q := r.URL.Query()
	p := s.page(w, r, "desk.new.title")
	cp := deskChooserPage{Page: p, Kind: q.Get("kind"), Category: q.Get("category"), Service: q.Get("service")}
	if cp.Category != "" && cp.Kind == "" {
		cp.Kind = servicedesk.KindTechnical
	}
	catalog := s.deps.Requests.Catalog()
	categories := technicalCategories(catalog)
	if !slices.Contains(append(slices.Clone(servicedesk.Kinds), kindProcedures, ""), cp.Kind) ||
		(cp.Category != "" && !slices.Contains(categories, cp.Category)) || len(cp.Service) > 60 {
		p.Summary, cp.Kind, cp.Category, cp.Service = p.T("web.error.bad_filter"), "", "", ""
	}
	link := func(kind, category string) string {
		v := url.Values{}
		for k, x := range map[string]string{"kind": kind, "category": category, "service": cp.Service} {
			if x != "" {
				v.Set(k, x)
			}
		}
		if len(v) == 0 {
			return "/requests/new"
		}
		return "/requests/new?" + v.Encode()
	}
	for _, k := range append(slices.Clone(servicedesk.Kinds), kindProcedures) {
		c := deskChoice{Key: k, Label: p.T("desk.new.kind." + k), Summary: p.T("desk.new.kind_summary." + k),
			URL: link(k, ""), Current: k == cp.Kind}
		if mobility := catalog.TypesOf(servicedesk.KindMobility, ""); k == servicedesk.KindMobility && len(mobility) == 1 {
			c.URL = s.typeURL(&mobility[0], cp.Service)
		}
		cp.Kinds = append(cp.Kinds, c)
	}
	var types []servicedesk.Type
	switch {
	case cp.Kind == servicedesk.KindTechnical && cp.Category == "":
		for _, c := range categories {
			cp.Categories = append(cp.Categories, deskChoice{Key: c, Label: categoryLabel(p, c), URL: link(cp.Kind, c)})
		}
		cp.Back = link("", "")
	case cp.Category != "":
		for _, t := range catalog.Types {
			if t.Category == cp.Category && t.Kind != servicedesk.KindAdministrative {
				types = append(types, t)
			}
		}
		cp.Back = link(servicedesk.KindTechnical, "")
	case cp.Kind == kindProcedures:
		for _, t := range catalog.Types {
			if t.Procedure {
				types = append(types, t)
			}
		}
		cp.Back = link("", "")
	case cp.Kind != "":
		types, cp.Back = catalog.TypesOf(cp.Kind, ""), link("", "")
	}
	for i := range types {
		if tp := &types[i]; raisable(a, tp) {
			cp.Types = append(cp.Types, s.typeChoice(p, tp, cp.Service))
		}
	}
	s.render(w, r, http.StatusOK, "desk_new", cp)
}

// technicalCategories are the inventory categories the catalogue has
// technical or mobility types for, in the inventory's order.
func technicalCategories(c *servicedesk.Catalog) []string {
	var out []string
	for _, cat := range inventory.Categories {
		if slices.ContainsFunc(c.Types, func(t servicedesk.Type) bool {
			return t.Category == cat && t.Kind != servicedesk.KindAdministrative
		}) {
			out = append(out, cat)
		}
	}
	return out
}

// typeChoice is a type as the chooser offers it.
func (s *Server) typeChoice(p *Page, tp *servicedesk.Type, service string) deskTypeChoice {
	tc := deskTypeChoice{Key: tp.Key, Name: tp.Name.In(p.Lang), Summary: tp.Summary.In(p.Lang), URL: s.typeURL(tp, service),
		Procedure: tp.Procedure, Incident: tp.Incident}
	for _, at := range tp.Attachments {
		tc.Attachments = append(tc.Attachments, deskNeed{Label: at.Label.In(p.Lang), Required: at.Required})
	}
	return tc
}

// typeURL is the form of a type, with the service key brought along when
// the type names a service.
func (s *Server) typeURL(tp *servicedesk.Type, service string) string {
	u := "/requests/new/" + url.PathEscape(tp.Key)
	if service != "" && tp.Service != servicedesk.ServiceNone {
		u += "?service=" + url.QueryEscape(service)
	}
	return u
}
