package web

// formField is one labelled input as the "input" partial draws it: the
// label translated, the value echoed back, and the field's error.
type formField struct {
	Name, Label, Value, Type, Error string
	Options                         []option
}

// option is one choice of a select or a group of radio buttons.
type option struct {
	Value, Label string
	Selected     bool
}

// paged is any page struct; they all embed *Page.
type paged interface{ base() *Page }

func (p *Page) base() *Page { return p }

// field builds a formField for the templates: field . "email" "label.key" .Form.Email "email".
func field(pg paged, name, labelKey, value, typ string) formField {
	p := pg.base()
	return formField{Name: name, Label: p.T(labelKey), Value: value, Type: typ, Error: p.Err(name),
		Options: languageOptions(value)}
}

// languageOptions lists the languages, each named in itself.
func languageOptions(selected string) []option {
	opts := []option{{Value: "es-MX", Label: "Español (México)"}, {Value: "en", Label: "English"}, {Value: "de", Label: "Deutsch"}}
	for i := range opts {
		opts[i].Selected = opts[i].Value == selected
	}
	return opts
}

// translatedOptions lists values with labels from prefix+value keys.
func translatedOptions(p *Page, prefix string, values []string, selected string) []option {
	opts := make([]option, len(values))
	for i, v := range values {
		opts[i] = option{Value: v, Label: p.T(prefix + v), Selected: v == selected}
	}
	return opts
}
