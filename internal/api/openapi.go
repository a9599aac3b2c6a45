package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
)

// openAPIFiles are the OpenAPI document in parts: openapi.json holds what
// every route shares and the core routes; each module adds its paths and
// schemas in openapi/<module>.json. A test holds the merged document to
// the route table.
//
//go:embed openapi.json openapi/*.json
var openAPIFiles embed.FS

// openAPIDocument is the merged document, built once at start-up.
var openAPIDocument = mustMergeOpenAPI(openAPIFiles)

// mustMergeOpenAPI adds each fragment's paths and components to the base
// document. A path or component defined twice is a bug in the fragments,
// found at start-up (and by every test).
func mustMergeOpenAPI(files fs.FS) []byte {
	var doc map[string]any
	mustUnmarshal(files, "openapi.json", &doc)
	fragments, err := fs.Glob(files, "openapi/*.json")
	if err != nil {
		panic(err)
	}
	for _, name := range fragments {
		var frag map[string]any
		mustUnmarshal(files, name, &frag)
		mergeInto(doc, "paths", frag["paths"], name)
		components, _ := frag["components"].(map[string]any)
		for kind, entries := range components {
			base := doc["components"].(map[string]any)
			if base[kind] == nil {
				base[kind] = map[string]any{}
			}
			mergeInto(base, kind, entries, name)
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}

func mergeInto(parent map[string]any, key string, entries any, from string) {
	dst := parent[key].(map[string]any)
	src, _ := entries.(map[string]any)
	for k, v := range src {
		if _, dup := dst[k]; dup {
			panic(fmt.Sprintf("openapi: %s defines %s %q again", from, key, k))
		}
		dst[k] = v
	}
}

func mustUnmarshal(files fs.FS, name string, v any) {
	b, err := fs.ReadFile(files, name)
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		panic(fmt.Sprintf("openapi: %s: %v", name, err))
	}
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPIDocument) // a failed write means the client went away
	return nil
}
