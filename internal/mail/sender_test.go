package mail_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/mail"
	"github.com/enlace-portal/enlace/internal/notify"
)

// envelope is what the test server received in one SMTP transaction.
type envelope struct {
	From, To string
	Data     []byte
}

// server is an in-process SMTP server that records what it receives and
// rejects recipients with rcptErr.
type server struct {
	mu       sync.Mutex
	received []envelope
	rcptErr  error
}

// messages returns what the server received so far.
func (s *server) messages() []envelope {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]envelope(nil), s.received...)
}

func (s *server) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{srv: s}, nil }

type session struct {
	srv *server
	env envelope
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.env.From = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.env.To = to
	return s.srv.rcptErr
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.env.Data = b
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	s.srv.received = append(s.srv.received, s.env)
	return nil
}
func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

// startServer runs srv on 127.0.0.1:0 until the test ends and returns the
// config of a Sender that talks to it.
func startServer(t *testing.T, srv *server) mail.Config {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := smtp.NewServer(srv)
	s.Domain = "localhost"
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return mail.Config{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, TLS: mail.TLSNone,
		From: "Enlace Portal <no-reply@enlace.example.mx>"}
}

func TestSendUTF8MultipartOverSMTP(t *testing.T) {
	srv := &server{}
	sender, err := mail.NewSender(startServer(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	m := notify.Message{ID: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", Channel: notify.ChannelEmail,
		Recipient: "bego@example.de", Subject: "Código für Straße – 10 €",
		BodyText: "Hola, Begoña: ñ ü ß €\n", BodyHTML: "<p>Hola, Begoña: ñ ü ß €</p>"}
	if err := sender.Send(context.Background(), m); err != nil {
		t.Fatalf("Send() = %v", err)
	}
	received := srv.messages()
	if len(received) != 1 {
		t.Fatalf("server received %d messages, want 1", len(received))
	}
	env := received[0]
	if env.From != "no-reply@enlace.example.mx" || env.To != "bego@example.de" {
		t.Errorf("envelope = %s -> %s, want no-reply@enlace.example.mx -> bego@example.de", env.From, env.To)
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(env.Data))
	if err != nil {
		t.Fatalf("parse received message: %v", err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{
		"Subject":    subject,
		"From":       msg.Header.Get("From"),
		"To":         msg.Header.Get("To"),
		"Message-Id": msg.Header.Get("Message-Id"),
	}
	want := map[string]string{
		"Subject":    m.Subject,
		"From":       `"Enlace Portal" <no-reply@enlace.example.mx>`,
		"To":         "<bego@example.de>",
		"Message-Id": "<" + m.ID + "@enlace.example.mx>",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	parts := readAlternatives(t, msg)
	wantParts := map[string]string{"text/plain": m.BodyText, "text/html": m.BodyHTML}
	if diff := cmp.Diff(wantParts, parts); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
}

// readAlternatives returns the decoded body of each part of a
// multipart/alternative message by content type, checking it is UTF-8.
func readAlternatives(t *testing.T, msg *netmail.Message) map[string]string {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative", msg.Header.Get("Content-Type"), err)
	}
	parts := map[string]string{}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return parts
		} else if err != nil {
			t.Fatal(err)
		}
		ct, ctParams, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if !strings.EqualFold(ctParams["charset"], "utf-8") {
			t.Errorf("part %s charset = %q, want UTF-8", ct, ctParams["charset"])
		}
		var body io.Reader = p
		if p.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			body = quotedprintable.NewReader(p)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		// SMTP carries lines ending in CRLF.
		parts[ct] = strings.ReplaceAll(string(b), "\r\n", "\n")
	}
}

func TestSendRecipientRejected(t *testing.T) {
	for _, tt := range []struct {
		name      string
		code      int
		permanent bool
	}{
		{"mailbox unknown", 550, true},
		{"greylisted", 451, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := &server{rcptErr: &smtp.SMTPError{Code: tt.code, Message: tt.name}}
			sender, err := mail.NewSender(startServer(t, srv))
			if err != nil {
				t.Fatal(err)
			}
			err = sender.Send(context.Background(), notify.Message{ID: "m1", Recipient: "x@example.mx", Subject: "s", BodyText: "b"})
			if err == nil {
				t.Fatalf("Send() = nil, want an error")
			}
			if got := jobs.IsPermanent(err); got != tt.permanent {
				t.Errorf("IsPermanent(Send() = %v) = %v, want %v", err, got, tt.permanent)
			}
		})
	}
}

func TestSendServerDownIsRetried(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	sender, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, From: "no-reply@enlace.example.mx"})
	if err != nil {
		t.Fatal(err)
	}
	err = sender.Send(context.Background(), notify.Message{ID: "m1", Recipient: "x@example.mx", Subject: "s", BodyText: "b"})
	if err == nil || jobs.IsPermanent(err) {
		t.Errorf("Send() to a closed port = %v, want a retryable error", err)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := mail.Config{Host: "smtp.example.mx", From: "Enlace <no-reply@enlace.mx>"}
	for _, tt := range []struct {
		name   string
		change func(*mail.Config)
		valid  bool
	}{
		{"defaults", func(*mail.Config) {}, true},
		{"no host", func(c *mail.Config) { c.Host = "" }, false},
		{"bad tls", func(c *mail.Config) { c.TLS = "ssl" }, false},
		{"bad from", func(c *mail.Config) { c.From = "enlace" }, false},
		{"password alone", func(c *mail.Config) { c.Password = "x" }, false},
		{"implicit tls", func(c *mail.Config) { c.TLS = mail.TLSImplicit }, true},
		{"credentials in clear", func(c *mail.Config) { c.TLS, c.Username, c.Password = mail.TLSNone, "u", "p" }, false},
	} {
		c := ok
		tt.change(&c)
		if err := c.Validate(); (err == nil) != tt.valid {
			t.Errorf("%s: Validate() = %v, want valid %v", tt.name, err, tt.valid)
		}
	}
}
