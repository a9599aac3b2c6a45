package identity

import (
	"context"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// APIToken lets another system call the JSON API as a user, for the
// customer it was made in. The token is shown once; only its hash is kept.
type APIToken struct {
	ID         string     `json:"id" db:"id"`
	UserID     string     `json:"userId" db:"user_id"`
	CustomerID string     `json:"customerId,omitempty" db:"customer_id"`
	Name       string     `json:"name" db:"name"`
	TokenHash  string     `json:"-" db:"token_hash"`
	CreatedAt  time.Time  `json:"createdAt" db:"created_at"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty" db:"last_used_at"`
	RevokedAt  *time.Time `json:"revokedAt,omitempty" db:"revoked_at"`
}

// tokenPrefix marks Enlace tokens, so that a leaked one is recognizable.
const tokenPrefix = "enl_"

// CreateAPIToken makes a token for the signed-in user in the customer they
// act for, and returns the secret, which is never shown again.
func (s *Service) CreateAPIToken(ctx context.Context, name string) (*APIToken, string, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, "", err
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return nil, "", enlace.Invalid([]enlace.FieldError{enlace.Field("name", "token.name_required")})
	}
	secret := tokenPrefix + enlace.NewSecret(32)
	t := &APIToken{ID: enlace.NewID(), UserID: a.UserID, CustomerID: a.CustomerID, Name: name,
		TokenHash: enlace.HashSecret(secret), CreatedAt: s.clock.Now()}
	entry := audit.Record(ctx, "api_token.create", "api_token", t.ID, a.CustomerID, map[string]string{"name": name})
	if err := s.store.CreateAPIToken(ctx, t, entry); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// APITokens lists the signed-in user's tokens.
func (s *Service) APITokens(ctx context.Context) ([]APIToken, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.APITokens(ctx, a.UserID)
}

// RevokeAPIToken revokes one of the signed-in user's tokens.
func (s *Service) RevokeAPIToken(ctx context.Context, id string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	entry := audit.Record(ctx, "api_token.revoke", "api_token", id, a.CustomerID, nil)
	return s.store.RevokeAPIToken(ctx, a.UserID, id, s.clock.Now(), entry)
}

// AuthenticateToken resolves a bearer token. Its last use is written at
// most once per APITokenTouchGap: a token is checked on every API call, and
// a write per call would make reads as slow as writes.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (*Principal, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "api.token_invalid")
	}
	t, err := s.store.APITokenByHash(ctx, enlace.HashSecret(secret))
	if enlace.ErrorCode(err) == enlace.ENOTFOUND || err == nil && t.RevokedAt != nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "api.token_invalid")
	} else if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= s.cfg.APITokenTouchGap {
		if err := s.store.TouchAPIToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	p, err := s.principal(ctx, t.UserID, t.CustomerID)
	if err != nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "api.token_invalid")
	}
	return p, nil
}
