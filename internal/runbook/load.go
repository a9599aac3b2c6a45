package runbook

import (
	"bytes"
	"embed"
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// shipped are the runbooks that come with Enlace, one file per runbook.
//
//go:embed templates/*.yaml
var shipped embed.FS

// MaxSize is the largest template text accepted.
const MaxSize = 256 << 10

// Parse reads a template from YAML and validates it. Unknown fields are
// refused, so that a misspelt "after" does not silently drop a dependency.
func Parse(data []byte) (*Template, error) {
	if len(data) > MaxSize {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("body", "runbook.error.too_large")})
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var tp Template
	if err := dec.Decode(&tp); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("body", "runbook.error.empty")})
		}
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("body", "runbook.error.syntax", "detail", syntaxDetail(err))})
	}
	if err := tp.Validate(); err != nil {
		return nil, err
	}
	return &tp, nil
}

// syntaxDetail keeps the line and reason of a YAML error without the
// library's prefix.
func syntaxDetail(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	return strings.TrimPrefix(s, "unmarshal errors:\n  ")
}

// Shipped returns the runbooks that come with Enlace, by key.
func Shipped() ([]*Template, error) {
	names, err := fs.Glob(shipped, "templates/*.yaml")
	if err != nil {
		return nil, err
	}
	var out []*Template
	for _, name := range names {
		data, err := shipped.ReadFile(name)
		if err != nil {
			return nil, err
		}
		tp, err := Parse(data)
		if err != nil {
			return nil, errors.Join(errors.New("runbook "+name), err)
		}
		out = append(out, tp)
	}
	slices.SortFunc(out, func(a, b *Template) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// ShippedSource returns the YAML text of a shipped runbook, the starting
// point an administrator edits.
func ShippedSource(key string) ([]byte, error) {
	return shipped.ReadFile("templates/" + key + ".yaml")
}

// Marshal writes a template as YAML.
func Marshal(tp *Template) ([]byte, error) { return yaml.Marshal(tp) }
