package notify

import (
	"bytes"
	"embed"
	"fmt"
	htemplate "html/template"
	"strings"
	ttemplate "text/template"

	"github.com/enlace-portal/enlace/internal/i18n"
)

//go:embed templates/*
var templates embed.FS

// Renderer renders messages in the recipient's language from the embedded
// templates and the i18n catalogue. It is safe for concurrent use.
type Renderer struct {
	catalog *i18n.Catalog
	text    map[string]*ttemplate.Template
	html    map[string]*htemplate.Template
}

// NewRenderer parses the templates of every purpose; an error means a
// broken template, a bug.
func NewRenderer(catalog *i18n.Catalog) (*Renderer, error) {
	r := &Renderer{catalog: catalog, text: map[string]*ttemplate.Template{}, html: map[string]*htemplate.Template{}}
	textBase, err := ttemplate.New("layout.txt").ParseFS(templates, "templates/layout.txt")
	if err != nil {
		return nil, fmt.Errorf("parse text layout: %w", err)
	}
	htmlBase, err := htemplate.New("layout.html").ParseFS(templates, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse html layout: %w", err)
	}
	for p := range purposes {
		if r.text[p], err = ttemplate.Must(textBase.Clone()).ParseFS(templates, "templates/"+p+".txt"); err != nil {
			return nil, fmt.Errorf("parse %s.txt: %w", p, err)
		}
		if r.html[p], err = htemplate.Must(htmlBase.Clone()).ParseFS(templates, "templates/"+p+".html"); err != nil {
			return nil, fmt.Errorf("parse %s.html: %w", p, err)
		}
	}
	return r, nil
}

// view is what the templates see: the purpose's data, the call to action,
// and T, which translates a catalogue key with the data as its arguments.
type view struct {
	Lang    string
	Subject string
	Action  string
	Data    map[string]any
	loc     *i18n.Localizer
}

// T returns the message key in the view's language, placeholders filled
// from the data.
func (v view) T(key string) string { return v.loc.TMap(key, v.Data) }

// prepare checks the purpose and its data and returns the view to render.
func (r *Renderer) prepare(lang, name string, data map[string]any) (purposeSpec, view, error) {
	p, ok := purposes[name]
	if !ok {
		return p, view{}, fmt.Errorf("render message: unknown purpose %q", name)
	}
	for _, k := range p.required {
		if v, ok := data[k]; !ok || v == nil || v == "" {
			return p, view{}, fmt.Errorf("render %s message: data %q is missing", name, k)
		}
	}
	loc := r.catalog.Localizer(r.catalog.Match(lang))
	v := view{Lang: loc.Lang, Action: p.action, Data: data, loc: loc}
	v.Subject = v.T("notify." + name + ".subject")
	if p.noticeSubject != "" {
		v.Subject = v.T(fmt.Sprintf(p.noticeSubject, data["Notice"]))
	}
	return p, v, nil
}

// EmailMessage renders an e-mail of purpose to address to, in language
// lang (the default language when lang is empty or not spoken).
func (r *Renderer) EmailMessage(lang, purpose, to string, data map[string]any) (Message, error) {
	p, v, err := r.prepare(lang, purpose, data)
	if err != nil {
		return Message{}, err
	}
	var text, html bytes.Buffer
	if err := r.text[purpose].Execute(&text, v); err != nil {
		return Message{}, fmt.Errorf("render %s text: %w", purpose, err)
	}
	if err := r.html[purpose].Execute(&html, v); err != nil {
		return Message{}, fmt.Errorf("render %s html: %w", purpose, err)
	}
	m := Message{Channel: ChannelEmail, Recipient: to, Purpose: purpose, Subject: v.Subject,
		BodyText: strings.TrimSpace(text.String()) + "\n", BodyHTML: html.String()}
	if p.code {
		m.Code = fmt.Sprint(data["Code"])
	}
	return m, nil
}

// WhatsAppMessage renders a WhatsApp text of purpose to the number to, in
// language lang. Only some purposes have one: a login code and security
// notices, which are worth a phone's attention.
func (r *Renderer) WhatsAppMessage(lang, purpose, to string, data map[string]any) (Message, error) {
	p, v, err := r.prepare(lang, purpose, data)
	if err != nil {
		return Message{}, err
	}
	if !p.whatsapp {
		return Message{}, fmt.Errorf("render %s message: purpose has no whatsapp text", purpose)
	}
	m := Message{Channel: ChannelWhatsApp, Recipient: to, Purpose: purpose,
		BodyText: v.T("notify." + purpose + ".whatsapp")}
	if p.code {
		m.Code = fmt.Sprint(data["Code"])
	}
	return m, nil
}
