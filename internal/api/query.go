package api

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Paging bounds of every list.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// checkQuery refuses a malformed query string, parameters the route does
// not take and parameters given twice: a typo like ?stauts= must not
// quietly return everything.
func checkQuery(r *http.Request, allowed []string) error {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return badInput(enlace.Errorf(enlace.EINVALID, "api.query_malformed"))
	}
	var fields []enlace.FieldError
	for _, name := range slices.Sorted(maps.Keys(values)) {
		switch {
		case !slices.Contains(allowed, name):
			fields = append(fields, enlace.Field(name, "api.query_unknown"))
		case len(values[name]) > 1:
			fields = append(fields, enlace.Field(name, "api.query_repeated"))
		}
	}
	if len(fields) > 0 {
		return badInput(fieldError("api.query_invalid", fields...))
	}
	return nil
}

// query reads typed query parameters, collecting every problem so that
// the client learns them all at once.
type query struct {
	values url.Values
	fields []enlace.FieldError
}

func newQuery(r *http.Request) *query { return &query{values: r.URL.Query()} }

// str returns a parameter, nil when absent or empty.
func (q *query) str(name string) *string {
	v := strings.TrimSpace(q.values.Get(name))
	if v == "" {
		return nil
	}
	return &v
}

// oneOf returns a parameter that must be one of choices.
func (q *query) oneOf(name string, choices []string) *string {
	v := q.str(name)
	if v != nil && !slices.Contains(choices, *v) {
		q.fields = append(q.fields, enlace.Field(name, "api.query_choice", "Choices", strings.Join(choices, ", ")))
		return nil
	}
	return v
}

// boolean returns a parameter that must be true or false.
func (q *query) boolean(name string) *bool {
	v := q.str(name)
	if v == nil {
		return nil
	}
	b, ok := map[string]bool{"true": true, "false": false}[*v]
	if !ok {
		q.fields = append(q.fields, enlace.Field(name, "api.query_boolean"))
		return nil
	}
	return &b
}

// time returns a parameter that must be an RFC 3339 time.
func (q *query) time(name string) *time.Time {
	v := q.str(name)
	if v == nil {
		return nil
	}
	t, err := time.Parse(time.RFC3339, *v)
	if err != nil {
		q.fields = append(q.fields, enlace.Field(name, "api.query_time"))
		return nil
	}
	return &t
}

// integer returns a parameter that must be a whole number in [lo, hi].
func (q *query) integer(name string, def, lo, hi int) int {
	v := q.str(name)
	if v == nil {
		return def
	}
	n, err := strconv.Atoi(*v)
	if err != nil || n < lo || n > hi {
		q.fields = append(q.fields, enlace.Field(name, "api.query_integer", "Min", lo, "Max", hi))
		return def
	}
	return n
}

// page is the window of a list a client asks for.
type page struct {
	Offset int
	Limit  int
}

// page reads offset and limit; max is the largest limit the list allows.
func (q *query) page(max int) page {
	return page{Offset: q.integer("offset", 0, 0, 1<<31-1), Limit: q.integer("limit", min(DefaultLimit, max), 1, max)}
}

// err returns the problems found, nil when there were none.
func (q *query) err() error {
	if len(q.fields) == 0 {
		return nil
	}
	return badInput(fieldError("api.query_invalid", q.fields...))
}
