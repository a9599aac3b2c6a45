package mail

import (
	"context"
	"errors"
	"fmt"

	gomail "github.com/wneessen/go-mail"

	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/notify"
)

// Sender sends e-mails over SMTP. It implements notify.Sender.
type Sender struct {
	cfg  Config
	opts []gomail.Option
}

// NewSender returns a Sender for the validated cfg. It does not connect:
// each Send holds its own SMTP conversation, so that one broken connection
// never affects another message.
func NewSender(cfg Config) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	opts := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTimeout(cfg.Timeout)}
	switch cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	}
	if cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	return &Sender{cfg: cfg, opts: opts}, nil
}

// Send delivers m. A recipient the server rejects for good makes a
// jobs.Permanent error; anything else (server down, try later) is retried.
func (s *Sender) Send(ctx context.Context, m notify.Message) error {
	msg, err := s.compose(m)
	if err != nil {
		return jobs.Permanent(err)
	}
	client, err := gomail.NewClient(s.cfg.Host, s.opts...)
	if err != nil {
		return fmt.Errorf("smtp client for %s: %w", s.cfg.Host, err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		err = fmt.Errorf("send message %s via %s: %w", m.ID, s.cfg.Host, err)
		var se *gomail.SendError
		if errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo && !se.IsTemp() {
			return jobs.Permanent(err)
		}
		return err
	}
	return nil
}

// compose builds the MIME message: text and, when there is one, an HTML
// alternative, in UTF-8. The Message-ID comes from the outbox id, so that a
// message sent twice (a crash between sending and recording it) is the same
// message to the receiving side, which may drop the duplicate.
func (s *Sender) compose(m notify.Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(s.cfg.From); err != nil {
		return nil, fmt.Errorf("compose message %s: from: %w", m.ID, err)
	}
	if err := msg.To(m.Recipient); err != nil {
		return nil, fmt.Errorf("compose message %s: to %q: %w", m.ID, m.Recipient, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(MessageID(m.ID, s.cfg.domain()))
	msg.SetDate()
	// RFC 3834: tells auto-responders (out of office) not to answer.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.BodyText)
	if m.BodyHTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.BodyHTML)
	}
	return msg, nil
}

// MessageID returns the Message-ID (without angle brackets) of the outbox
// message id sent from domain.
func MessageID(id, domain string) string { return id + "@" + domain }
