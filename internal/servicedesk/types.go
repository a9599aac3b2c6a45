package servicedesk

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// Kinds of request type; catalogue keys servicedesk.kind.<kind>.
const (
	// KindTechnical is a request or incident on one of the customer's
	// services, raised from its service key.
	KindTechnical = "technical"
	// KindMobility is a mobile line request, on its own form.
	KindMobility = "mobility"
	// KindAdministrative is an administrative requirement (billing,
	// contract, fiscal data) with the attachments it needs.
	KindAdministrative = "administrative"
)

// Kinds lists the kinds in the order the new-request page offers them.
var Kinds = []string{KindTechnical, KindMobility, KindAdministrative}

// Field kinds of a request type's form.
const (
	FieldText     = "text"
	FieldTextarea = "textarea"
	FieldSelect   = "select"
	FieldDate     = "date"
	FieldEmail    = "email"
	FieldPhone    = "phone"
	FieldNumber   = "number"
)

var fieldKinds = []string{FieldText, FieldTextarea, FieldSelect, FieldDate, FieldEmail, FieldPhone, FieldNumber}

// Service needs of a type: whether a request names one of the customer's
// services by its key.
const (
	ServiceRequired = "required"
	ServiceOptional = "optional"
	ServiceNone     = "none"
)

// Catalog is the service desk's data: request types with their
// procedures, the queues agents work from and the SLA targets. Shipped as
// YAML in three languages (types.yaml).
type Catalog struct {
	Queues []Queue `yaml:"queues"`
	SLA    SLA     `yaml:"sla"`
	Types  []Type  `yaml:"types"`
}

// Queue is a group of agents requests are given to.
type Queue struct {
	Key  string    `yaml:"key" json:"key"`
	Name i18n.Text `yaml:"name" json:"name"`
}

// Type is a request type (E1) with its procedure (E2).
type Type struct {
	Key  string `yaml:"key" json:"key"`
	Kind string `yaml:"kind" json:"kind"`
	// Category is an inventory category; administrative requests have
	// none.
	Category string `yaml:"category,omitempty" json:"category,omitempty"`
	// Incident marks a failure report: it is resolved, then closed, and
	// closing it opens the satisfaction survey.
	Incident bool `yaml:"incident,omitempty" json:"incident"`
	// Procedure names the procedure of the provider's manual the type
	// follows (seed 002), if any.
	Procedure bool      `yaml:"procedure,omitempty" json:"procedure"`
	Name      i18n.Text `yaml:"name" json:"name"`
	Summary   i18n.Text `yaml:"summary" json:"summary"`
	// Service says whether the request names a service by its key.
	Service  string `yaml:"service" json:"service"`
	Priority string `yaml:"priority" json:"priority"`
	Queue    string `yaml:"queue" json:"queue"`
	// Roles, when set, are the customer roles that may raise the type
	// (administrative requests: the administrator and billing contact).
	Roles []string `yaml:"roles,omitempty" json:"roles,omitempty"`
	// Fields are the requester's steps, as the form they fill in.
	Fields []FormField `yaml:"fields" json:"fields"`
	// Checklist are the administrator's steps the agent ticks.
	Checklist []ChecklistStep `yaml:"checklist" json:"checklist"`
	// Attachments are the documents the requirement needs.
	Attachments []Attachment `yaml:"attachments,omitempty" json:"attachments,omitempty"`
}

// FormField is one field of a type's form. Every form also has a subject
// and a description, which are the request's own.
type FormField struct {
	Key      string    `yaml:"key" json:"key"`
	Kind     string    `yaml:"kind" json:"kind"`
	Label    i18n.Text `yaml:"label" json:"label"`
	Help     i18n.Text `yaml:"help,omitempty" json:"help,omitempty"`
	Required bool      `yaml:"required,omitempty" json:"required"`
	Options  []Option  `yaml:"options,omitempty" json:"options,omitempty"`
	Max      int       `yaml:"max,omitempty" json:"max,omitempty"`
}

// Option is one choice of a select field.
type Option struct {
	Key   string    `yaml:"key" json:"key"`
	Label i18n.Text `yaml:"label" json:"label"`
}

// ChecklistStep is one of the administrator's steps.
type ChecklistStep struct {
	Key   string    `yaml:"key" json:"key"`
	Label i18n.Text `yaml:"label" json:"label"`
	// Optional steps may be left unticked when the request is resolved.
	Optional bool `yaml:"optional,omitempty" json:"optional"`
}

// Attachment is a document an administrative requirement needs.
type Attachment struct {
	Key      string    `yaml:"key" json:"key"`
	Label    i18n.Text `yaml:"label" json:"label"`
	Required bool      `yaml:"required,omitempty" json:"required"`
}

// SLA are the response and resolution targets, in working time of the
// provider's calendar, by priority, with overrides by category.
type SLA struct {
	// Warn is the share of a target after which the agent is warned.
	Warn       float64                      `yaml:"warn"`
	Priorities map[string]Target            `yaml:"priorities"`
	Categories map[string]map[string]Target `yaml:"categories,omitempty"`
	// CloseAfter is the working time a requester has to object to a
	// resolution before the request closes by itself.
	CloseAfter Span `yaml:"close_after"`
}

// Target is a pair of SLA targets.
type Target struct {
	Response   Span `yaml:"response" json:"response"`
	Resolution Span `yaml:"resolution" json:"resolution"`
}

// Span is a stretch of working time: "30m", "4h", or "3d" (working days).
type Span struct {
	// Minutes of working time, with Days whole working days on top.
	Minutes int
	Days    int
}

// UnmarshalYAML reads "30m", "4h" or "3d".
func (s *Span) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseSpan(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*s = v
	return nil
}

// ParseSpan reads a span: a whole number followed by m, h or d.
func ParseSpan(text string) (Span, error) {
	text = strings.TrimSpace(text)
	var n int
	var unit string
	if _, err := fmt.Sscanf(text, "%d%s", &n, &unit); err != nil || n <= 0 {
		return Span{}, fmt.Errorf("span %q: want a positive number and m, h or d", text)
	}
	switch unit {
	case "m":
		return Span{Minutes: n}, nil
	case "h":
		return Span{Minutes: 60 * n}, nil
	case "d":
		return Span{Days: n}, nil
	}
	return Span{}, fmt.Errorf("span %q: unit %q, want m, h or d", text, unit)
}

// Work returns the span as working time, a working day being workday long.
func (s Span) Work(workday time.Duration) time.Duration {
	return time.Duration(s.Minutes)*time.Minute + time.Duration(s.Days)*workday
}

// String writes the span as it is read.
func (s Span) String() string {
	switch {
	case s.Days > 0 && s.Minutes == 0:
		return fmt.Sprintf("%dd", s.Days)
	case s.Minutes%60 == 0:
		return fmt.Sprintf("%dh", s.Minutes/60)
	}
	return fmt.Sprintf("%dm", s.Minutes)
}

// Target returns the SLA targets of a priority in a category.
func (c *Catalog) Target(category, priority string) Target {
	if t, ok := c.SLA.Categories[category][priority]; ok {
		return t
	}
	return c.SLA.Priorities[priority]
}

// Type returns the type with key, or nil.
func (c *Catalog) Type(key string) *Type {
	for i := range c.Types {
		if c.Types[i].Key == key {
			return &c.Types[i]
		}
	}
	return nil
}

// Queue returns the queue with key, or nil.
func (c *Catalog) Queue(key string) *Queue {
	for i := range c.Queues {
		if c.Queues[i].Key == key {
			return &c.Queues[i]
		}
	}
	return nil
}

// TypesOf returns the types of a kind (and category, when not empty), in
// catalogue order.
func (c *Catalog) TypesOf(kind, category string) []Type {
	var out []Type
	for _, t := range c.Types {
		if t.Kind == kind && (category == "" || t.Category == category) {
			out = append(out, t)
		}
	}
	return out
}

// CategoryAdministrative is the category of administrative requests, for
// counts and SLA targets beside the inventory's categories.
const CategoryAdministrative = "administrative"

// RequestCategory returns the category a request of the type is counted
// in: the inventory category, or administrative.
func (t *Type) RequestCategory() string {
	if t.Kind == KindAdministrative {
		return CategoryAdministrative
	}
	return t.Category
}

// Field returns the type's form field with key, or nil.
func (t *Type) Field(key string) *FormField {
	for i := range t.Fields {
		if t.Fields[i].Key == key {
			return &t.Fields[i]
		}
	}
	return nil
}

// MayRaise reports whether a customer user of role may raise the type.
func (t *Type) MayRaise(role string) bool {
	return len(t.Roles) == 0 || slices.Contains(t.Roles, role)
}

//go:embed types.yaml
var shippedTypes []byte

// Shipped returns the catalogue Enlace ships: the technical requests by
// category, the mobility form, the administrative requirements and the
// procedures of the provider's manual.
func Shipped() *Catalog {
	c, err := ParseCatalog(shippedTypes)
	if err != nil {
		panic("servicedesk: shipped catalogue: " + err.Error())
	}
	return c
}

// ParseCatalog reads and checks a catalogue; unknown fields are errors.
func ParseCatalog(src []byte) (*Catalog, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	var c Catalog
	if err := dec.Decode(&c); err != nil {
		return nil, err
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// typicalDay is the working day targets are compared in when checked.
const typicalDay = 9 * time.Hour

// languages every text of the catalogue is written in.
var languages = []string{"es-MX", "en", "de"}

func (c *Catalog) validate() error {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	text := func(where string, t i18n.Text) {
		for _, l := range languages {
			if strings.TrimSpace(t[l]) == "" {
				bad("%s: no %s text", where, l)
			}
		}
	}
	for _, q := range c.Queues {
		text("queue "+q.Key, q.Name)
	}
	for _, p := range Priorities {
		t, ok := c.SLA.Priorities[p]
		if !ok || t.Response.Work(typicalDay) <= 0 || t.Resolution.Work(typicalDay) < t.Response.Work(typicalDay) {
			bad("sla: priority %s needs a response target and a resolution target no shorter", p)
		}
	}
	if c.SLA.Warn <= 0 || c.SLA.Warn >= 1 {
		bad("sla: warn %v, want a share between 0 and 1", c.SLA.Warn)
	}
	seen := map[string]bool{}
	for _, t := range c.Types {
		where := "type " + t.Key
		switch {
		case t.Key == "" || seen[t.Key]:
			bad("%s: key empty or repeated", where)
		case !slices.Contains(Kinds, t.Kind):
			bad("%s: kind %q", where, t.Kind)
		case t.Kind != KindAdministrative && !slices.Contains(inventory.Categories, t.Category),
			t.Kind == KindAdministrative && t.Category != "":
			bad("%s: category %q", where, t.Category)
		case !slices.Contains([]string{ServiceRequired, ServiceOptional, ServiceNone}, t.Service):
			bad("%s: service %q", where, t.Service)
		case !slices.Contains(Priorities, t.Priority):
			bad("%s: priority %q", where, t.Priority)
		case c.Queue(t.Queue) == nil:
			bad("%s: queue %q", where, t.Queue)
		case len(t.Checklist) == 0:
			bad("%s: no checklist", where)
		}
		seen[t.Key] = true
		text(where+" name", t.Name)
		text(where+" summary", t.Summary)
		keys := map[string]bool{"subject": true, "description": true}
		for _, f := range t.Fields {
			if keys[f.Key] || !slices.Contains(fieldKinds, f.Kind) || (f.Kind == FieldSelect) != (len(f.Options) > 0) {
				bad("%s field %q: key repeated or reserved, or kind %q wrong for its options", where, f.Key, f.Kind)
			}
			keys[f.Key] = true
			text(where+" field "+f.Key, f.Label)
			for _, o := range f.Options {
				text(where+" field "+f.Key+" option "+o.Key, o.Label)
			}
		}
		steps := map[string]bool{}
		for _, s := range t.Checklist {
			if s.Key == "" || steps[s.Key] {
				bad("%s step %q: key empty or repeated", where, s.Key)
			}
			steps[s.Key] = true
			text(where+" step "+s.Key, s.Label)
		}
		for _, a := range t.Attachments {
			text(where+" attachment "+a.Key, a.Label)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}
