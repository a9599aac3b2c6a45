package identity

import (
	"context"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// RecoveryToken is a single-use password-reset link, stored as a hash.
type RecoveryToken struct {
	ID        string     `db:"id"`
	UserID    string     `db:"user_id"`
	TokenHash string     `db:"token_hash"`
	SentTo    string     `db:"sent_to"`
	CreatedAt time.Time  `db:"created_at"`
	ExpiresAt time.Time  `db:"expires_at"`
	UsedAt    *time.Time `db:"used_at"`
}

// RecoveryOption is an address a reset link can go to. Masked shows the
// login e-mail partly hidden; the alternate address is never shown, not
// even masked, since showing it would tell who has an account.
type RecoveryOption struct {
	Key    string // "primary" or "recovery"
	Masked string // empty for the alternate address
}

// StartRecovery checks the login e-mail and the challenge (A3) and returns
// the addresses the link may be sent to — the login e-mail, or the
// alternate one registered in the profile — with a ticket for
// SendRecovery. Every e-mail, known or not, gets the same answer.
func (s *Service) StartRecovery(ctx context.Context, email, challengeID, answer string) ([]RecoveryOption, string, error) {
	email = NormalizeEmail(email)
	if !validEmail(email) {
		return nil, "", enlace.Invalid([]enlace.FieldError{enlace.Field("email", "users.email_invalid")})
	}
	if err := s.throttleRecovery(ctx); err != nil {
		return nil, "", err
	}
	if err := s.solveChallenge(ctx, challengeID, answer, email); err != nil {
		return nil, "", err
	}
	return []RecoveryOption{{Key: "primary", Masked: MaskDestination(email)}, {Key: "recovery"}}, challengeID, nil
}

// throttleRecovery counts every recovery attempt of an address; past the
// limit the address waits.
func (s *Service) throttleRecovery(ctx context.Context) error {
	rule := ThrottleRule{Key: "recovery:address:" + enlace.OriginFrom(ctx).IP, Limit: 10, Window: time.Hour, Pause: time.Hour}
	now := s.clock.Now()
	if blocked, err := s.store.Throttled(ctx, now, rule.Key); err != nil {
		return err
	} else if blocked {
		return enlace.Errorf(enlace.ETOOMANY, "error.too_many_requests")
	}
	return s.store.RecordFailures(ctx, now, rule)
}

// SendRecovery sends the reset link to the chosen address, if the ticket's
// e-mail belongs to an active user; it reports success either way. A
// person who chose the alternate address without having registered one
// gets the link at the login e-mail.
func (s *Service) SendRecovery(ctx context.Context, ticket, key string) error {
	email, err := s.store.UseChallenge(ctx, ticket, s.clock.Now().Add(-10*time.Minute), s.clock.Now())
	if err != nil {
		return enlace.Errorf(enlace.EINVALID, "recovery.ticket_expired")
	}
	u, err := s.store.UserByEmail(ctx, email)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND || err == nil && u.Disabled {
		return nil
	} else if err != nil {
		return err
	}
	to := u.Email
	if key == "recovery" && u.RecoveryEmail != "" {
		to = u.RecoveryEmail
	}
	token := enlace.NewSecret(32)
	now := s.clock.Now()
	t := &RecoveryToken{ID: enlace.NewID(), UserID: u.ID, TokenHash: enlace.HashSecret(token), SentTo: to,
		CreatedAt: now, ExpiresAt: now.Add(s.cfg.RecoveryTTL)}
	effects := append([]enlace.Effect{audit.Record(ctx, "user.recovery_sent", "user", u.ID, "", map[string]string{"to": MaskDestination(to)})},
		s.email(u.Locale, "password_reset", to, map[string]any{"Name": u.FirstName,
			"URL": s.cfg.BaseURL + "/recover/" + token, "Minutes": int(s.cfg.RecoveryTTL.Minutes())})...)
	return s.store.CreateRecoveryToken(ctx, t, effects...)
}

// CheckRecoveryToken reports whether a reset link is still good, so the
// page can say so before the person types a new password.
func (s *Service) CheckRecoveryToken(ctx context.Context, token string) error {
	_, err := s.recoveryToken(ctx, token)
	return err
}

func (s *Service) recoveryToken(ctx context.Context, token string) (*RecoveryToken, error) {
	t, err := s.store.RecoveryTokenByHash(ctx, enlace.HashSecret(token))
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil, enlace.Errorf(enlace.EINVALID, "recovery.link_invalid")
	} else if err != nil {
		return nil, err
	}
	if t.UsedAt != nil || !s.clock.Now().Before(t.ExpiresAt) {
		return nil, enlace.Errorf(enlace.EINVALID, "recovery.link_invalid")
	}
	return t, nil
}

// ResetPassword sets a new password through a reset link. The link is
// spent and every session of the user is revoked.
func (s *Service) ResetPassword(ctx context.Context, token, password, confirm string) error {
	t, err := s.recoveryToken(ctx, token)
	if err != nil {
		return err
	}
	u, err := s.store.UserByID(ctx, t.UserID)
	if err != nil {
		return err
	}
	hash, errs, err := s.newPasswordHash(ctx, u, password, confirm)
	if err != nil {
		return err
	}
	if err := enlace.Invalid(errs); err != nil {
		return err
	}
	return s.store.ResetPassword(ctx, t.ID, PasswordSet{UserID: u.ID, Hash: hash}, s.passwordChangedEffects(ctx, u, "")...)
}
