// Package mail sends the outbox's e-mails through an SMTP server.
package mail

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// TLS modes of the connection to the SMTP server.
const (
	TLSNone     = "none"     // plain text, for a relay on localhost or a test server
	TLSStartTLS = "starttls" // upgrade with STARTTLS and refuse to go on without it
	TLSImplicit = "tls"      // TLS from the first byte (SMTPS, port 465)
)

// Config says how to reach the SMTP server and who the mail is from.
type Config struct {
	Host string
	// Port defaults to 25, 587 or 465 by TLS mode.
	Port     int
	Username string
	Password string
	// From is the sender, with or without a display name:
	// "Enlace <no-reply@enlace.mx>".
	From string
	// TLS is TLSNone, TLSStartTLS (the default) or TLSImplicit.
	TLS string
	// Timeout bounds each SMTP conversation; default 30 seconds.
	Timeout time.Duration
}

// withDefaults fills the settings left empty.
func (c Config) withDefaults() Config {
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Port == 0 {
		c.Port = map[string]int{TLSNone: 25, TLSStartTLS: 587, TLSImplicit: 465}[c.TLS]
	}
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	return c
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Host == "":
		return fmt.Errorf("smtp config: host is empty")
	case c.TLS != "" && c.TLS != TLSNone && c.TLS != TLSStartTLS && c.TLS != TLSImplicit:
		return fmt.Errorf("smtp config: tls mode %q is none of none, starttls, tls", c.TLS)
	case c.Port < 0 || c.Port > 65535:
		return fmt.Errorf("smtp config: port %d out of range", c.Port)
	case c.Password != "" && c.Username == "":
		return fmt.Errorf("smtp config: password without username")
	case c.Username != "" && c.TLS == TLSNone:
		return fmt.Errorf("smtp config: credentials would cross the network in clear with tls mode none")
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("smtp config: from %q: %w", c.From, err)
	}
	return nil
}

// domain returns the domain of the From address, which names the messages'
// Message-IDs.
func (c Config) domain() string {
	a, err := mail.ParseAddress(c.From)
	if err != nil {
		return "localhost"
	}
	return a.Address[strings.LastIndex(a.Address, "@")+1:]
}
