package identity

import (
	"context"
	"log/slog"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/notify"
)

// Config holds the identity rules that an operator may tune. Zero fields
// take the defaults of DefaultConfig.
type Config struct {
	Hash             HashParams
	PasswordMaxAge   time.Duration // A1: 90 days
	SessionIdle      time.Duration
	SessionAbsolute  time.Duration
	CodeTTL          time.Duration // A2: one minute
	CodeMaxTries     int
	CodeResendAfter  time.Duration
	CodesPerSession  int
	RecoveryTTL      time.Duration // A3: the link lives 30 minutes
	AccountFailures  int           // failed logins per account before a pause
	AddressFailures  int           // failed logins per address before a pause
	FailureWindow    time.Duration
	ThrottlePause    time.Duration
	APITokenTouchGap time.Duration
	// BaseURL is the public address of Enlace, for links in messages.
	BaseURL string
}

// DefaultConfig returns the rules of the specification and the product's
// choices where it is silent.
func DefaultConfig() Config {
	return Config{
		Hash:             DefaultHashParams,
		PasswordMaxAge:   90 * 24 * time.Hour,
		SessionIdle:      30 * time.Minute,
		SessionAbsolute:  12 * time.Hour,
		CodeTTL:          time.Minute,
		CodeMaxTries:     5,
		CodeResendAfter:  30 * time.Second,
		CodesPerSession:  5,
		RecoveryTTL:      30 * time.Minute,
		AccountFailures:  5,
		AddressFailures:  20,
		FailureWindow:    15 * time.Minute,
		ThrottlePause:    15 * time.Minute,
		APITokenTouchGap: time.Hour,
		BaseURL:          "http://127.0.0.1:8080",
	}
}

// Renderer renders the e-mails and WhatsApp messages identity sends, in
// the recipient's language (notify.Renderer implements it).
type Renderer interface {
	EmailMessage(lang, purpose, to string, data map[string]any) (notify.Message, error)
	WhatsAppMessage(lang, purpose, to string, data map[string]any) (notify.Message, error)
}

// Service carries out every identity operation, enforcing roles and
// tenancy from the actor in the context.
type Service struct {
	store    Store
	clock    enlace.Clock
	renderer Renderer
	cfg      Config
	// dummyHash is verified against when an e-mail is unknown, so that a
	// wrong address costs as long as a wrong password.
	dummyHash string
}

// NewService returns an identity Service.
func NewService(store Store, clock enlace.Clock, renderer Renderer, cfg Config) *Service {
	def := DefaultConfig()
	if cfg.Hash.Memory == 0 {
		cfg.Hash = def.Hash
	}
	fillDurations(&cfg, def)
	return &Service{store: store, clock: clock, renderer: renderer, cfg: cfg,
		dummyHash: HashPassword("not a password of anyone", cfg.Hash)}
}

func fillDurations(cfg *Config, def Config) {
	for _, p := range []struct{ v, d *time.Duration }{
		{&cfg.PasswordMaxAge, &def.PasswordMaxAge}, {&cfg.SessionIdle, &def.SessionIdle},
		{&cfg.SessionAbsolute, &def.SessionAbsolute}, {&cfg.CodeTTL, &def.CodeTTL},
		{&cfg.CodeResendAfter, &def.CodeResendAfter}, {&cfg.RecoveryTTL, &def.RecoveryTTL},
		{&cfg.FailureWindow, &def.FailureWindow}, {&cfg.ThrottlePause, &def.ThrottlePause},
		{&cfg.APITokenTouchGap, &def.APITokenTouchGap},
	} {
		if *p.v == 0 {
			*p.v = *p.d
		}
	}
	for _, p := range []struct{ v, d *int }{
		{&cfg.CodeMaxTries, &def.CodeMaxTries}, {&cfg.CodesPerSession, &def.CodesPerSession},
		{&cfg.AccountFailures, &def.AccountFailures}, {&cfg.AddressFailures, &def.AddressFailures},
	} {
		if *p.v == 0 {
			*p.v = *p.d
		}
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = def.BaseURL
	}
}

// Config returns the rules the service runs with.
func (s *Service) Config() Config { return s.cfg }

// email renders an e-mail, logging and dropping it when its template fails:
// a broken template must not block the change it reports.
func (s *Service) email(lang, purpose, to string, data map[string]any) []enlace.Effect {
	m, err := s.renderer.EmailMessage(lang, purpose, to, data)
	if err != nil {
		slog.Error("render e-mail", "purpose", purpose, "err", err)
		return nil
	}
	return []enlace.Effect{m}
}

func actor(ctx context.Context) (*enlace.Actor, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	return a, nil
}
