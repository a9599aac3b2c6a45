package identity

import (
	"context"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/notify"
)

// PasswordChange is the form that replaces a password.
type PasswordChange struct {
	Current string
	New     string
	Confirm string
}

// ChangePassword replaces the signed-in user's password: a temporary or
// expired one at the session's password stage, or any time from the
// profile. The new one must meet every rule of A1 and differ from the last
// PasswordHistory passwords. Other sessions of the user are revoked.
func (s *Service) ChangePassword(ctx context.Context, sess *Session, in PasswordChange) (*Session, error) {
	if sess.Stage == StageCode {
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	u, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	var errs []enlace.FieldError
	if !VerifyPassword(in.Current, u.PasswordHash) {
		errs = append(errs, enlace.Field("current", "password.current_wrong"))
	}
	hash, ferrs, err := s.newPasswordHash(ctx, u, in.New, in.Confirm)
	if err != nil {
		return nil, err
	}
	if err := enlace.Invalid(append(errs, ferrs...)); err != nil {
		return nil, err
	}
	next := *sess
	next.Stage = StageActive
	effects := s.passwordChangedEffects(ctx, u, sess.CustomerID)
	if err := s.store.SetPassword(ctx, PasswordSet{UserID: u.ID, Hash: hash, KeepSession: sess.ID, Stage: StageActive}, effects...); err != nil {
		return nil, err
	}
	return &next, nil
}

// newPasswordHash checks a new password against the rules and the history
// and hashes it. Rule violations come back as field errors.
func (s *Service) newPasswordHash(ctx context.Context, u *User, password, confirm string) (string, []enlace.FieldError, error) {
	errs := CheckPassword(password, u.Email)
	if password != confirm {
		errs = append(errs, enlace.Field("confirm", "password.mismatch"))
	}
	if len(errs) > 0 {
		return "", errs, nil
	}
	history, err := s.store.PasswordHistory(ctx, u.ID, PasswordHistory)
	if err != nil {
		return "", nil, err
	}
	for _, h := range append(history, u.PasswordHash) {
		if VerifyPassword(password, h) {
			return "", []enlace.FieldError{enlace.Field("password", "password.reused", "Count", PasswordHistory)}, nil
		}
	}
	return HashPassword(password, s.cfg.Hash), nil, nil
}

func (s *Service) passwordChangedEffects(ctx context.Context, u *User, customerID string) []enlace.Effect {
	effects := []enlace.Effect{
		audit.Record(enlace.WithActor(ctx, &enlace.Actor{UserID: u.ID, Email: u.Email, IP: enlace.OriginFrom(ctx).IP}),
			"user.password_change", "user", u.ID, customerID, nil),
		notify.Notification{UserID: u.ID, Kind: "security", TitleKey: "identity.notice.password_changed.title",
			BodyKey: "identity.notice.password_changed.body", Link: "/profile"},
	}
	return append(effects, s.email(u.Locale, "password_changed", u.Email, map[string]any{"Name": u.FirstName})...)
}

// PasswordSet is a new password being stored: the user's other sessions
// are revoked, and KeepSession, if any, moves to Stage.
type PasswordSet struct {
	UserID      string
	Hash        string
	Temporary   bool
	KeepSession string
	Stage       string
}
