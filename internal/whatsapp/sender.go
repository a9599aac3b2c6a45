package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/notify"
)

// Sender sends WhatsApp messages. It implements notify.Sender.
type Sender struct {
	cfg Config
	url string
}

// NewSender returns a Sender for the validated cfg.
func NewSender(cfg Config) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	u := strings.TrimRight(cfg.BaseURL, "/") + "/" + cfg.APIVersion + "/" + cfg.PhoneNumberID + "/messages"
	return &Sender{cfg: cfg, url: u}, nil
}

// Send posts m to the Cloud API. A request the API refuses (4xx other
// than 429: a bad number, a template not approved) is a jobs.Permanent
// error; rate limiting, server errors and network failures are retried.
func (s *Sender) Send(ctx context.Context, m notify.Message) error {
	body, err := json.Marshal(s.payload(m))
	if err != nil {
		return jobs.Permanent(fmt.Errorf("encode whatsapp message %s: %w", m.ID, err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return jobs.Permanent(fmt.Errorf("whatsapp request for message %s: %w", m.ID, err))
	}
	req.Header.Set("Authorization", "Bearer "+s.cfg.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return fmt.Errorf("send whatsapp message %s: %w", m.ID, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		return nil
	}
	detail, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	err = fmt.Errorf("send whatsapp message %s: %s: %s", m.ID, resp.Status, bytes.TrimSpace(detail))
	if resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusTooManyRequests {
		return jobs.Permanent(err)
	}
	return err
}
