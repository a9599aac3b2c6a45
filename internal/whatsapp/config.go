// Package whatsapp sends the outbox's WhatsApp messages through the
// WhatsApp Business Cloud API of Meta.
package whatsapp

import (
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Config says how to reach the Cloud API and what to send one-time codes
// with.
type Config struct {
	// BaseURL defaults to https://graph.facebook.com.
	BaseURL string
	// APIVersion defaults to v21.0.
	APIVersion string
	// PhoneNumberID is the id of the business phone number messages come from.
	PhoneNumberID string
	// Token is the system user's access token.
	Token string
	// Template names an approved authentication template; messages that
	// carry a one-time code are sent with it, everything else as text. WhatsApp
	// delivers text only within 24 hours of the user's last message, while
	// authentication templates go through at any time.
	Template string
	// TemplateLanguage is the template's language code, e.g. "es_MX".
	TemplateLanguage string
	// Timeout bounds one request; default 15 seconds.
	Timeout time.Duration
	// Client is the HTTP client; default one with Timeout.
	Client *http.Client
}

// withDefaults fills the settings left empty.
func (c Config) withDefaults() Config {
	if c.BaseURL == "" {
		c.BaseURL = "https://graph.facebook.com"
	}
	if c.APIVersion == "" {
		c.APIVersion = "v21.0"
	}
	if c.TemplateLanguage == "" {
		c.TemplateLanguage = "es_MX"
	}
	if c.Timeout == 0 {
		c.Timeout = 15 * time.Second
	}
	if c.Client == nil {
		c.Client = &http.Client{Timeout: c.Timeout}
	}
	return c
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	switch {
	case c.PhoneNumberID == "":
		return fmt.Errorf("whatsapp config: phone number id is empty")
	case c.Token == "":
		return fmt.Errorf("whatsapp config: token is empty")
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("whatsapp config: base url %q is not an absolute URL", c.BaseURL)
		}
	}
	return nil
}
