package identity

import (
	"context"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// TOTPEnrollment is a new authenticator-app secret waiting for its first
// code; URL is the otpauth:// address a QR code or an app takes.
type TOTPEnrollment struct {
	Secret string
	URL    string
}

// BeginTOTP makes a new authenticator-app secret for the signed-in user.
// Nothing is stored until ConfirmTOTP proves the app has it.
func (s *Service) BeginTOTP(ctx context.Context) (*TOTPEnrollment, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Enlace", AccountName: a.Email})
	if err != nil {
		return nil, err
	}
	return &TOTPEnrollment{Secret: key.Secret(), URL: key.URL()}, nil
}

// ConfirmTOTP turns the authenticator app on once a code it shows matches
// the secret.
func (s *Service) ConfirmTOTP(ctx context.Context, secret, code string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if !s.validTOTP(code, secret) {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("code", "login.totp_wrong")})
	}
	return s.store.SetTOTP(ctx, a.UserID, secret, audit.Record(ctx, "user.totp_enable", "user", a.UserID, a.CustomerID, nil))
}

// validTOTP checks an app code against the service's clock, allowing one
// 30-second step of drift either way, as authenticator apps expect.
func (s *Service) validTOTP(code, secret string) bool {
	ok, err := totp.ValidateCustom(normalizeCode(code), secret, s.clock.Now(), totp.ValidateOpts{
		Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	return err == nil && ok
}

// DisableTOTP turns the authenticator app off for the signed-in user.
func (s *Service) DisableTOTP(ctx context.Context) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	return s.store.SetTOTP(ctx, a.UserID, "", audit.Record(ctx, "user.totp_disable", "user", a.UserID, a.CustomerID, nil))
}
