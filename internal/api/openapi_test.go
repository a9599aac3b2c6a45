package api

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// openAPIDoc is the part of an OpenAPI document the route check reads.
type openAPIDoc struct {
	OpenAPI    string                                       `json:"openapi"`
	Paths      map[string]map[string]openAPIOp              `json:"paths"`
	Components struct{ Parameters map[string]openAPIParam } `json:"components"`
}

type openAPIOp struct {
	Parameters []openAPIParam `json:"parameters"`
	Security   *[]any         `json:"security"`
}

type openAPIParam struct {
	Ref  string `json:"$ref"`
	Name string `json:"name"`
	In   string `json:"in"`
}

// TestOpenAPICoversRoutes holds the served document to the route table:
// every route is documented with the query and path parameters it takes,
// and everything documented is served.
func TestOpenAPICoversRoutes(t *testing.T) {
	f := newFixture(t)
	var doc openAPIDoc
	f.doJSON(call{method: "GET", path: "/openapi.json"}, 200, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	served := map[string]bool{}
	for _, rt := range routes {
		key := rt.method + " " + rt.path
		served[key] = true
		op, ok := doc.Paths[rt.path][strings.ToLower(rt.method)]
		if !ok {
			t.Errorf("%s is served but not documented", key)
			continue
		}
		var query, path []string
		for _, p := range op.Parameters {
			if p.Ref != "" {
				p = doc.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
			}
			switch p.In {
			case "query":
				query = append(query, p.Name)
			case "path":
				path = append(path, p.Name)
			}
		}
		if diff := cmp.Diff(sorted(rt.query), sorted(query)); diff != "" {
			t.Errorf("%s query parameters (-served +documented):\n%s", key, diff)
		}
		if diff := cmp.Diff(sorted(pathParams(rt.path)), sorted(path)); diff != "" {
			t.Errorf("%s path parameters (-served +documented):\n%s", key, diff)
		}
		if public := op.Security != nil && len(*op.Security) == 0; public != rt.public {
			t.Errorf("%s: documented without security = %v, served without token = %v", key, public, rt.public)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if key := strings.ToUpper(method) + " " + path; !served[key] {
				t.Errorf("%s is documented but not served", key)
			}
		}
	}
}

func pathParams(path string) []string {
	var names []string
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") {
			names = append(names, strings.Trim(seg, "{}"))
		}
	}
	return names
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
