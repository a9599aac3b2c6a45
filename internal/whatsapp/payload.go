package whatsapp

import (
	"strings"

	"github.com/enlace-portal/enlace/internal/notify"
)

// payload is the body of a POST to the messages endpoint.
type payload struct {
	MessagingProduct string    `json:"messaging_product"`
	RecipientType    string    `json:"recipient_type"`
	To               string    `json:"to"`
	Type             string    `json:"type"`
	Text             *text     `json:"text,omitempty"`
	Template         *template `json:"template,omitempty"`
}

type text struct {
	PreviewURL bool   `json:"preview_url"`
	Body       string `json:"body"`
}

type template struct {
	Name       string      `json:"name"`
	Language   language    `json:"language"`
	Components []component `json:"components"`
}

type language struct {
	Code string `json:"code"`
}

type component struct {
	Type       string      `json:"type"`
	SubType    string      `json:"sub_type,omitempty"`
	Index      string      `json:"index,omitempty"`
	Parameters []parameter `json:"parameters"`
}

type parameter struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// payload returns what to post for m: the authentication template when m
// carries a code and a template is configured, its text otherwise. An
// authentication template takes the code twice: for its body and for its
// copy-code button.
func (s *Sender) payload(m notify.Message) payload {
	p := payload{MessagingProduct: "whatsapp", RecipientType: "individual", To: strings.TrimPrefix(m.Recipient, "+")}
	if m.Code == "" || s.cfg.Template == "" {
		p.Type, p.Text = "text", &text{Body: m.BodyText}
		return p
	}
	code := []parameter{{Type: "text", Text: m.Code}}
	p.Type, p.Template = "template", &template{
		Name:     s.cfg.Template,
		Language: language{Code: s.cfg.TemplateLanguage},
		Components: []component{
			{Type: "body", Parameters: code},
			{Type: "button", SubType: "url", Index: "0", Parameters: code},
		},
	}
	return p
}
