package identity

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// LoginCode is a one-time code sent for the second factor (A2). Only the
// hash of the code is kept.
type LoginCode struct {
	ID          string     `db:"id"`
	SessionID   string     `db:"session_id"`
	UserID      string     `db:"user_id"`
	Channel     string     `db:"channel"`
	Destination string     `db:"destination"`
	CodeHash    string     `db:"code_hash"`
	Tries       int        `db:"tries"`
	CreatedAt   time.Time  `db:"created_at"`
	ExpiresAt   time.Time  `db:"expires_at"`
	UsedAt      *time.Time `db:"used_at"`
}

// ThrottleRule counts failures under Key: Limit failures within Window
// pause further attempts for Pause.
type ThrottleRule struct {
	Key    string
	Limit  int
	Window time.Duration
	Pause  time.Duration
}

var errBadCredentials = enlace.Errorf(enlace.EUNAUTHORIZED, "login.invalid_credentials")

// Login checks an e-mail and password and opens a session that still owes
// the second factor. It returns the session cookie's token. Failures are
// counted per account and per address; past the limits, attempts pause.
func (s *Service) Login(ctx context.Context, email, password, userAgent string) (string, *Session, error) {
	email = NormalizeEmail(email)
	ip := enlace.OriginFrom(ctx).IP
	rules := s.loginRules(email, ip)
	if blocked, err := s.store.Throttled(ctx, s.clock.Now(), ruleKeys(rules)...); err != nil {
		return "", nil, err
	} else if blocked {
		return "", nil, enlace.Errorf(enlace.ETOOMANY, "login.throttled", "Minutes", int(s.cfg.ThrottlePause.Minutes()))
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && enlace.ErrorCode(err) != enlace.ENOTFOUND {
		return "", nil, err
	}
	if u == nil {
		VerifyPassword(password, s.dummyHash)
	}
	if u == nil || u.Disabled || !VerifyPassword(password, u.PasswordHash) {
		if err := s.store.RecordFailures(ctx, s.clock.Now(), rules...); err != nil {
			return "", nil, err
		}
		return "", nil, errBadCredentials
	}
	now := s.clock.Now()
	token := enlace.NewSecret(32)
	sess := &Session{ID: enlace.HashSecret(token), UserID: u.ID, Stage: StageCode, IP: ip,
		UserAgent: truncate(userAgent, 300), CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.cfg.SessionAbsolute)}
	if !u.IsStaff() {
		ms, err := s.Memberships(enlace.WithActor(ctx, &enlace.Actor{UserID: u.ID}))
		if err != nil {
			return "", nil, err
		}
		if len(ms) == 0 {
			// A customer user with no active membership has nothing to see.
			return "", nil, errBadCredentials
		}
		sess.CustomerID = startingCustomer(u, ms)
	}
	if err := s.store.CreateSession(ctx, sess, rules[0].Key); err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// startingCustomer is where a person with several customers lands: where
// they were last, or else where they administer, or else the first by name.
func startingCustomer(u *User, ms []Membership) string {
	for _, m := range ms {
		if m.CustomerID == u.LastCustomerID {
			return m.CustomerID
		}
	}
	for _, m := range ms {
		if m.Role == RoleAdmin {
			return m.CustomerID
		}
	}
	return ms[0].CustomerID
}

func (s *Service) loginRules(email, ip string) []ThrottleRule {
	return []ThrottleRule{
		{Key: "login:account:" + email, Limit: s.cfg.AccountFailures, Window: s.cfg.FailureWindow, Pause: s.cfg.ThrottlePause},
		{Key: "login:address:" + ip, Limit: s.cfg.AddressFailures, Window: s.cfg.FailureWindow, Pause: s.cfg.ThrottlePause},
	}
}

func ruleKeys(rules []ThrottleRule) []string {
	keys := make([]string, len(rules))
	for i, r := range rules {
		keys[i] = r.Key
	}
	return keys
}

// SendCode sends a one-time code for the session's second factor by e-mail
// or WhatsApp. A WhatsApp number not yet registered is typed twice, 10
// digits, and saved in E.164 once a code sent to it has been entered.
// Codes cannot be requested more often than CodeResendAfter, nor more than
// CodesPerSession times per sign-in. It returns the masked destination.
func (s *Service) SendCode(ctx context.Context, sess *Session, channel, mobile, mobileAgain string) (string, error) {
	if sess.Stage != StageCode {
		return "", enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	u, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return "", err
	}
	dest, err := s.codeDestination(u, channel, mobile, mobileAgain)
	if err != nil {
		return "", err
	}
	now := s.clock.Now()
	last, count, err := s.store.LoginCodeStats(ctx, sess.ID)
	if err != nil {
		return "", err
	}
	if count >= s.cfg.CodesPerSession {
		return "", enlace.Errorf(enlace.ETOOMANY, "login.code_limit")
	}
	if last != nil && now.Sub(last.CreatedAt) < s.cfg.CodeResendAfter {
		wait := s.cfg.CodeResendAfter - now.Sub(last.CreatedAt)
		return "", enlace.Errorf(enlace.ETOOMANY, "login.code_wait", "Seconds", int(wait.Seconds()+0.999))
	}
	code := randomDigits(6)
	c := &LoginCode{ID: enlace.NewID(), SessionID: sess.ID, UserID: u.ID, Channel: channel, Destination: dest,
		CodeHash: codeHash(sess.ID, code), CreatedAt: now, ExpiresAt: now.Add(s.cfg.CodeTTL)}
	data := map[string]any{"Code": code, "Name": u.FirstName, "Seconds": int(s.cfg.CodeTTL.Seconds())}
	var effects []enlace.Effect
	if channel == ChannelWhatsApp {
		m, err := s.renderer.WhatsAppMessage(u.Locale, "login_code", dest, data)
		if err != nil {
			return "", fmt.Errorf("render login code: %w", err)
		}
		m.UserID = u.ID
		effects = append(effects, m)
	} else {
		m, err := s.renderer.EmailMessage(u.Locale, "login_code", dest, data)
		if err != nil {
			return "", fmt.Errorf("render login code: %w", err)
		}
		m.UserID = u.ID
		effects = append(effects, m)
	}
	if err := s.store.CreateLoginCode(ctx, c, effects...); err != nil {
		return "", err
	}
	return MaskDestination(dest), nil
}

func (s *Service) codeDestination(u *User, channel, mobile, mobileAgain string) (string, error) {
	switch channel {
	case ChannelEmail:
		return u.Email, nil
	case ChannelWhatsApp:
		if mobile == "" && mobileAgain == "" && u.Mobile != "" {
			return u.Mobile, nil
		}
		return ParseMobile(mobile, mobileAgain)
	}
	return "", enlace.Invalid([]enlace.FieldError{enlace.Field("channel", "login.channel_invalid")})
}

// VerifyCode checks the code typed for the session's latest code. A code
// lives CodeTTL and allows CodeMaxTries; then a new one must be requested.
// On success the session moves on to a password change, when one is due,
// or to active.
func (s *Service) VerifyCode(ctx context.Context, sess *Session, code string) (*Session, error) {
	if sess.Stage != StageCode {
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	last, _, err := s.store.LoginCodeStats(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	switch {
	case last == nil || last.UsedAt != nil:
		return nil, codeError("login.code_missing")
	case !now.Before(last.ExpiresAt):
		return nil, codeError("login.code_expired")
	case last.Tries >= s.cfg.CodeMaxTries:
		return nil, codeError("login.code_tries_exhausted")
	}
	if subtle.ConstantTimeCompare([]byte(codeHash(sess.ID, normalizeCode(code))), []byte(last.CodeHash)) != 1 {
		if err := s.store.RecordCodeTry(ctx, last.ID); err != nil {
			return nil, err
		}
		left := s.cfg.CodeMaxTries - last.Tries - 1
		if left <= 0 {
			return nil, codeError("login.code_tries_exhausted")
		}
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("code", "login.code_wrong", "Left", left)})
	}
	return s.completeSecondFactor(ctx, sess, last.ID, last.Channel, last.Destination)
}

// VerifyTOTP checks a code from the user's authenticator app.
func (s *Service) VerifyTOTP(ctx context.Context, sess *Session, code string) (*Session, error) {
	if sess.Stage != StageCode {
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	u, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	if !u.TOTPEnabled {
		return nil, codeError("login.totp_not_enrolled")
	}
	// Wrong app codes count like wrong passwords: the throttle stops guessing.
	rules := s.loginRules(u.Email, enlace.OriginFrom(ctx).IP)
	if blocked, err := s.store.Throttled(ctx, s.clock.Now(), ruleKeys(rules)...); err != nil {
		return nil, err
	} else if blocked {
		return nil, enlace.Errorf(enlace.ETOOMANY, "login.throttled", "Minutes", int(s.cfg.ThrottlePause.Minutes()))
	}
	if !s.validTOTP(code, u.TOTPSecret) {
		if err := s.store.RecordFailures(ctx, s.clock.Now(), rules...); err != nil {
			return nil, err
		}
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("code", "login.totp_wrong")})
	}
	return s.completeSecondFactor(ctx, sess, "", ChannelTOTP, "")
}

func (s *Service) completeSecondFactor(ctx context.Context, sess *Session, codeID, channel, dest string) (*Session, error) {
	u, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	next := *sess
	next.Stage = StageActive
	if u.PasswordTemporary || !s.clock.Now().Before(u.PasswordChangedAt.Add(s.cfg.PasswordMaxAge)) {
		next.Stage = StagePassword
	}
	ctx = enlace.WithActor(ctx, &enlace.Actor{UserID: u.ID, Email: u.Email, IP: sess.IP})
	entry := audit.Record(ctx, "user.login", "user", u.ID, sess.CustomerID, map[string]string{"factor": channel})
	login := SecondFactor{SessionID: sess.ID, CodeID: codeID, UserID: u.ID, Stage: next.Stage, Channel: channel}
	if channel == ChannelWhatsApp {
		login.Mobile = dest
	}
	if err := s.store.CompleteSecondFactor(ctx, login, entry); err != nil {
		return nil, err
	}
	return &next, nil
}

// SecondFactor is what a passed second factor changes: the code is spent,
// the session moves on, and the user's channel (and mobile) is remembered.
type SecondFactor struct {
	SessionID, CodeID, UserID, Stage, Channel, Mobile string
}

func codeError(key string) error {
	return enlace.Invalid([]enlace.FieldError{enlace.Field("code", key)})
}

// codeHash binds a code to its session, so a code is worthless elsewhere.
func codeHash(sessionID, code string) string { return enlace.HashSecret(sessionID + ":" + code) }

func normalizeCode(code string) string {
	out := make([]rune, 0, len(code))
	for _, r := range code {
		if r >= '0' && r <= '9' {
			out = append(out, r)
		}
	}
	return string(out)
}

func randomDigits(n int) string {
	b := make([]byte, n)
	for i := range b {
		d, err := rand.Int(rand.Reader, big.NewInt(10))
		if err != nil {
			panic(err)
		}
		b[i] = byte('0' + d.Int64())
	}
	return string(b)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
