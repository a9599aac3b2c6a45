package api

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes every route of the table in routes.go; a test
// fails when the two disagree.
//
//go:embed openapi.json
var openAPIDocument []byte

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPIDocument) // a failed write means the client went away
	return nil
}
