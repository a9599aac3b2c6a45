package api

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// list is the envelope of every collection.
type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// writeList sends one page of a collection; items is the page, total the
// size of the whole collection.
func writeList[T any](w http.ResponseWriter, items []T, total int, p page) error {
	if items == nil {
		items = []T{} // an empty page is [], never null
	}
	return writeJSON(w, http.StatusOK, list[T]{Items: items, Total: total, Offset: p.Offset, Limit: p.Limit})
}

// window returns the page p of a collection a service returns whole.
func window[T any](all []T, p page) []T {
	lo := min(p.Offset, len(all))
	return all[lo:min(lo+p.Limit, len(all))]
}

// mapItems converts a page of domain values into their JSON form.
func mapItems[T, U any](in []T, f func(*T) U) []U {
	out := make([]U, len(in))
	for i := range in {
		out[i] = f(&in[i])
	}
	return out
}

// writeJSON sends v with status. v is encoded before anything is sent,
// so that a value that cannot be encoded still gets a clean 500.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// A failed write means the client went away; there is no one to tell.
	_, _ = w.Write(append(b, '\n'))
	return nil
}
