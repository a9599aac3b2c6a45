package identity

import (
	"context"
	"errors"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Session stages: what a signed-in browser may do next.
const (
	// StageCode: the password was right; the second factor is still due.
	StageCode = "code"
	// StagePassword: the password is temporary or expired and must change.
	StagePassword = "password"
	// StageActive: fully signed in.
	StageActive = "active"
)

// Session is a browser's sign-in, kept on the server so that it can be
// revoked. ID is the hash of the cookie's token, never the token itself.
type Session struct {
	ID         string     `db:"id"`
	UserID     string     `db:"user_id"`
	CustomerID string     `db:"customer_id"`
	Stage      string     `db:"stage"`
	IP         string     `db:"ip"`
	UserAgent  string     `db:"user_agent"`
	CreatedAt  time.Time  `db:"created_at"`
	LastSeenAt time.Time  `db:"last_seen_at"`
	ExpiresAt  time.Time  `db:"expires_at"`
	RevokedAt  *time.Time `db:"revoked_at"`
}

// Principal is who a session or token belongs to, resolved for a request.
type Principal struct {
	Session    *Session
	User       *User
	Membership *Membership // nil for staff
	Actor      *enlace.Actor
}

var errSessionGone = enlace.Errorf(enlace.EUNAUTHORIZED, "login.session_expired")

// Authenticate resolves a session cookie's token. Expired, idle and
// revoked sessions are refused; a live one is touched at most once a
// minute, so that reading pages does not turn into a write per request.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if token == "" {
		return nil, errSessionGone
	}
	sess, err := s.store.SessionByID(ctx, enlace.HashSecret(token))
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil, errSessionGone
	} else if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if sess.RevokedAt != nil || !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= s.cfg.SessionIdle {
		return nil, errSessionGone
	}
	if now.Sub(sess.LastSeenAt) >= time.Minute {
		if err := s.store.TouchSession(ctx, sess.ID, now); err != nil {
			return nil, err
		}
	}
	p, err := s.principal(ctx, sess.UserID, sess.CustomerID)
	if err != nil {
		return nil, err
	}
	p.Session = sess
	return p, nil
}

// principal loads the user and, for a customer user, the membership they
// act through, and builds the request's Actor.
func (s *Service) principal(ctx context.Context, userID, customerID string) (*Principal, error) {
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errSessionGone
	}
	p := &Principal{User: u}
	origin := enlace.OriginFrom(ctx)
	a := &enlace.Actor{UserID: u.ID, Email: u.Email, Name: u.Name(), StaffRole: u.StaffRole,
		Locale: u.Locale, IP: origin.IP, RequestID: origin.RequestID}
	if !u.IsStaff() && customerID != "" {
		m, err := s.store.MembershipOf(ctx, u.ID, customerID)
		if err != nil || m.Disabled {
			return nil, errSessionGone
		}
		p.Membership = m
		a.CustomerID, a.CustomerRole = m.CustomerID, m.Role
		a.ReadOnly = m.AccessLevel == AccessReadOnly
		if m.Role != RoleAdmin {
			a.BillingAccountIDs = m.BillingAccountIDs
		}
	}
	p.Actor = a
	return p, nil
}

// Sweep deletes what identity no longer needs: sessions and login codes a
// day after they ended, spent or expired reset links and challenges, and
// failure counters whose window and pause are over. Run by the job runner.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	return s.store.DeleteExpired(ctx, s.clock.Now(), s.clock.Now().Add(-24*time.Hour), s.cfg.FailureWindow)
}

// Logout revokes the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	err := s.store.RevokeSession(ctx, enlace.HashSecret(token), s.clock.Now())
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil
	}
	return err
}

// SwitchCustomer makes the session act for another customer the user is a
// member of (A5: one person, several customers).
func (s *Service) SwitchCustomer(ctx context.Context, sess *Session, customerID string) error {
	m, err := s.store.MembershipOf(ctx, sess.UserID, customerID)
	if err != nil {
		var e *enlace.Error
		if errors.As(err, &e) && e.Code == enlace.ENOTFOUND {
			return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		return err
	}
	if m.Disabled {
		return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return s.store.SwitchCustomer(ctx, sess.ID, sess.UserID, customerID)
}

// Memberships returns the customers the signed-in user belongs to.
func (s *Service) Memberships(ctx context.Context) ([]Membership, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ms, err := s.store.Memberships(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	active := ms[:0]
	for _, m := range ms {
		if !m.Disabled {
			active = append(active, m)
		}
	}
	return active, nil
}
