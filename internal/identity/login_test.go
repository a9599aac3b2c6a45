package identity_test

import (
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

func TestFirstLoginForcesPasswordChange(t *testing.T) {
	f := newFixture(t)
	temp := f.password(f.a.admin)
	token, sess := f.signIn(f.a.admin, temp)
	if sess.Stage != identity.StagePassword {
		t.Fatalf("stage after code with a temporary password = %q, want %q", sess.Stage, identity.StagePassword)
	}
	p, err := f.svc.Authenticate(f.ctx, token)
	must(t, err)
	if p.Actor.CustomerID != f.a.customer.ID || p.Actor.CustomerRole != identity.RoleAdmin {
		t.Errorf("actor = %+v, want admin of customer A", p.Actor)
	}
	_, err = f.svc.ChangePassword(f.ctx, p.Session, identity.PasswordChange{Current: temp, New: temp, Confirm: temp})
	wantCode(t, err, enlace.EINVALID, "password.reused")
	next, err := f.svc.ChangePassword(f.ctx, p.Session, identity.PasswordChange{Current: temp, New: "Nuevo#2026x", Confirm: "Nuevo#2026x"})
	must(t, err)
	if next.Stage != identity.StageActive {
		t.Fatalf("stage after change = %q, want active", next.Stage)
	}
	p, err = f.svc.Authenticate(f.ctx, token)
	must(t, err)
	if p.Session.Stage != identity.StageActive {
		t.Errorf("stored stage = %q, want active", p.Session.Stage)
	}
	if _, sess := f.signIn(f.a.admin, "Nuevo#2026x"); sess.Stage != identity.StageActive {
		t.Errorf("next login stage = %q, want active", sess.Stage)
	}
}

func TestPasswordCannotReuseLastFive(t *testing.T) {
	f := newFixture(t)
	pw := f.password(f.a.admin)
	_, sess := f.signIn(f.a.admin, pw)
	history := []string{pw}
	for i := range 5 {
		next := "Clave#2026" + string(rune('a'+i))
		var err error
		sess, err = f.svc.ChangePassword(f.ctx, sess, identity.PasswordChange{Current: pw, New: next, Confirm: next})
		must(t, err)
		pw = next
		history = append(history, next)
	}
	// history[1:] are the last five; history[0] is the sixth and may return.
	for _, old := range history[1:] {
		_, err := f.svc.ChangePassword(f.ctx, sess, identity.PasswordChange{Current: pw, New: old, Confirm: old})
		wantCode(t, err, enlace.EINVALID, "password.reused")
	}
	if _, err := f.svc.ChangePassword(f.ctx, sess, identity.PasswordChange{Current: pw, New: history[0], Confirm: history[0]}); err != nil {
		t.Errorf("ChangePassword(sixth-newest) = %v, want nil", err)
	}
}

func TestPasswordExpiresAfter90Days(t *testing.T) {
	f := newFixture(t)
	temp := f.password(f.a.admin)
	_, sess := f.signIn(f.a.admin, temp)
	_, err := f.svc.ChangePassword(f.ctx, sess, identity.PasswordChange{Current: temp, New: "Nuevo#2026x", Confirm: "Nuevo#2026x"})
	must(t, err)
	f.clock.Advance(90*24*time.Hour - time.Minute)
	if _, s := f.signIn(f.a.admin, "Nuevo#2026x"); s.Stage != identity.StageActive {
		t.Fatalf("stage one minute before 90 days = %q, want active", s.Stage)
	}
	f.clock.Advance(time.Minute)
	if _, s := f.signIn(f.a.admin, "Nuevo#2026x"); s.Stage != identity.StagePassword {
		t.Fatalf("stage at 90 days = %q, want password", s.Stage)
	}
}

func TestCodeExpiresAfterSixtySeconds(t *testing.T) {
	for _, tt := range []struct {
		name  string
		after time.Duration
		want  string
	}{
		{"at 59 s it is good", 59 * time.Second, ""},
		{"at 60 s it has expired", 60 * time.Second, "login.code_expired"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			_, sess, err := f.svc.Login(f.ctx, f.a.admin, f.password(f.a.admin), "test")
			must(t, err)
			_, err = f.svc.SendCode(f.ctx, sess, identity.ChannelEmail, "", "")
			must(t, err)
			f.clock.Advance(tt.after)
			_, err = f.svc.VerifyCode(f.ctx, sess, f.sent.last(t, "login_code")["Code"].(string))
			if tt.want == "" {
				must(t, err)
				return
			}
			wantCode(t, err, enlace.EINVALID, tt.want)
		})
	}
}

func TestCodeAllowsFiveTries(t *testing.T) {
	f := newFixture(t)
	_, sess, err := f.svc.Login(f.ctx, f.a.admin, f.password(f.a.admin), "test")
	must(t, err)
	_, err = f.svc.SendCode(f.ctx, sess, identity.ChannelEmail, "", "")
	must(t, err)
	code := f.sent.last(t, "login_code")["Code"].(string)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := 1; i <= 4; i++ {
		_, err := f.svc.VerifyCode(f.ctx, sess, wrong)
		wantCode(t, err, enlace.EINVALID, "login.code_wrong")
		if left := enlace.AsError(err).Fields[0].Args["Left"]; left != 5-i {
			t.Errorf("try %d: tries left = %v, want %d", i, left, 5-i)
		}
	}
	_, err = f.svc.VerifyCode(f.ctx, sess, wrong)
	wantCode(t, err, enlace.EINVALID, "login.code_tries_exhausted")
	_, err = f.svc.VerifyCode(f.ctx, sess, code)
	wantCode(t, err, enlace.EINVALID, "login.code_tries_exhausted")

	// A new code, after the resend pause, can be used.
	_, err = f.svc.SendCode(f.ctx, sess, identity.ChannelEmail, "", "")
	wantCode(t, err, enlace.ETOOMANY, "login.code_wait")
	f.clock.Advance(30 * time.Second)
	_, err = f.svc.SendCode(f.ctx, sess, identity.ChannelEmail, "", "")
	must(t, err)
	if _, err := f.svc.VerifyCode(f.ctx, sess, f.sent.last(t, "login_code")["Code"].(string)); err != nil {
		t.Fatalf("VerifyCode(new code) = %v, want nil", err)
	}
}

func TestCodeCannotBeUsedTwiceOrInAnotherSession(t *testing.T) {
	f := newFixture(t)
	pw := f.password(f.a.admin)
	_, s1, err := f.svc.Login(f.ctx, f.a.admin, pw, "test")
	must(t, err)
	_, s2, err := f.svc.Login(f.ctx, f.a.admin, pw, "test")
	must(t, err)
	_, err = f.svc.SendCode(f.ctx, s1, identity.ChannelEmail, "", "")
	must(t, err)
	code := f.sent.last(t, "login_code")["Code"].(string)
	_, err = f.svc.VerifyCode(f.ctx, s2, code)
	wantCode(t, err, enlace.EINVALID, "login.code_missing")
	_, err = f.svc.VerifyCode(f.ctx, s1, code)
	must(t, err)
	_, err = f.svc.VerifyCode(f.ctx, s1, code)
	wantCode(t, err, enlace.EINVALID, "login.code_missing")
}

func TestCodesPerSignInAreLimited(t *testing.T) {
	f := newFixture(t)
	_, sess, err := f.svc.Login(f.ctx, f.a.admin, f.password(f.a.admin), "test")
	must(t, err)
	for range 5 {
		_, err := f.svc.SendCode(f.ctx, sess, identity.ChannelEmail, "", "")
		must(t, err)
		f.clock.Advance(30 * time.Second)
	}
	_, err = f.svc.SendCode(f.ctx, sess, identity.ChannelEmail, "", "")
	wantCode(t, err, enlace.ETOOMANY, "login.code_limit")
}

func TestWhatsAppCodeRegistersTheMobile(t *testing.T) {
	f := newFixture(t)
	_, sess, err := f.svc.Login(f.ctx, f.a.admin, f.password(f.a.admin), "test")
	must(t, err)
	_, err = f.svc.SendCode(f.ctx, sess, identity.ChannelWhatsApp, "5512345678", "5512345679")
	wantCode(t, err, enlace.EINVALID, "login.mobile_mismatch")
	masked, err := f.svc.SendCode(f.ctx, sess, identity.ChannelWhatsApp, "55 1234 5678", "5512345678")
	must(t, err)
	if masked != "*********5678" {
		t.Errorf("masked destination = %q, want *********5678", masked)
	}
	sent := f.sent.last(t, "login_code")
	if sent["to"] != "+525512345678" {
		t.Errorf("code sent to %v, want +525512345678", sent["to"])
	}
	_, err = f.svc.VerifyCode(f.ctx, sess, sent["Code"].(string))
	must(t, err)
	u, err := f.store.UserByEmail(f.ctx, f.a.admin)
	must(t, err)
	if u.Mobile != "+525512345678" || u.MFAChannel != identity.ChannelWhatsApp {
		t.Errorf("user mobile, channel = %q, %q, want +525512345678, whatsapp", u.Mobile, u.MFAChannel)
	}
}

func TestLoginThrottlesPerAccount(t *testing.T) {
	f := newFixture(t)
	pw := f.password(f.a.admin)
	for i := 1; i <= 5; i++ {
		_, _, err := f.svc.Login(f.ctx, f.a.admin, "Wrong#2026x", "test")
		wantCode(t, err, enlace.EUNAUTHORIZED, "login.invalid_credentials")
	}
	_, _, err := f.svc.Login(f.ctx, f.a.admin, pw, "test")
	wantCode(t, err, enlace.ETOOMANY, "login.throttled")
	// Another account from the same address is not paused.
	if _, _, err := f.svc.Login(f.ctx, f.b.admin, f.password(f.b.admin), "test"); err != nil {
		t.Errorf("Login(other account) = %v, want nil", err)
	}
	f.clock.Advance(15 * time.Minute)
	if _, _, err := f.svc.Login(f.ctx, f.a.admin, pw, "test"); err != nil {
		t.Errorf("Login after the pause = %v, want nil", err)
	}
}

func TestLoginThrottlesPerAddress(t *testing.T) {
	f := newFixture(t)
	for i := range 20 {
		// Unknown accounts count against the address like known ones.
		_, _, err := f.svc.Login(f.ctx, "nobody"+string(rune('a'+i))+"@example.com", "Wrong#2026x", "test")
		wantCode(t, err, enlace.EUNAUTHORIZED, "login.invalid_credentials")
	}
	_, _, err := f.svc.Login(f.ctx, f.a.admin, f.password(f.a.admin), "test")
	wantCode(t, err, enlace.ETOOMANY, "login.throttled")
	other := enlace.WithOrigin(f.ctx, enlace.RequestOrigin{IP: "198.51.100.7"})
	if _, _, err := f.svc.Login(other, f.a.admin, f.password(f.a.admin), "test"); err != nil {
		t.Errorf("Login from another address = %v, want nil", err)
	}
}

func TestSessionTimeoutsAndLogout(t *testing.T) {
	f := newFixture(t)
	pw := f.password(f.a.admin)
	token, _ := f.signIn(f.a.admin, pw)
	f.clock.Advance(29 * time.Minute)
	if _, err := f.svc.Authenticate(f.ctx, token); err != nil {
		t.Fatalf("Authenticate after 29 idle minutes = %v, want nil", err)
	}
	f.clock.Advance(30 * time.Minute)
	_, err := f.svc.Authenticate(f.ctx, token)
	wantCode(t, err, enlace.EUNAUTHORIZED, "login.session_expired")

	token, _ = f.signIn(f.a.admin, pw)
	for range 26 { // stay active, but past the 12-hour absolute limit
		f.clock.Advance(29 * time.Minute)
		if _, err := f.svc.Authenticate(f.ctx, token); err != nil {
			break
		}
	}
	_, err = f.svc.Authenticate(f.ctx, token)
	wantCode(t, err, enlace.EUNAUTHORIZED, "login.session_expired")

	token, _ = f.signIn(f.a.admin, pw)
	must(t, f.svc.Logout(f.ctx, token))
	_, err = f.svc.Authenticate(f.ctx, token)
	wantCode(t, err, enlace.EUNAUTHORIZED, "login.session_expired")
}

func TestSweepDeletesOnlyWhatHasExpired(t *testing.T) {
	f := newFixture(t)
	pw := f.password(f.a.admin)
	old, _ := f.signIn(f.a.admin, pw)
	for range 3 {
		f.svc.Login(f.ctx, f.a.admin, "Wrong#2026x", "test")
	}
	f.clock.Advance(37 * time.Hour) // past the 12-hour limit, plus a day
	live, _ := f.signIn(f.a.admin, pw)
	n, err := f.svc.Sweep(f.ctx)
	must(t, err)
	// The old session, its login code and the address's old failure
	// counter go (the account's went with the successful sign-in).
	if n != 3 {
		t.Errorf("Sweep() = %d rows, want 3", n)
	}
	if _, err := f.svc.Authenticate(f.ctx, live); err != nil {
		t.Errorf("live session after sweep: %v", err)
	}
	_, err = f.svc.Authenticate(f.ctx, old)
	wantCode(t, err, enlace.EUNAUTHORIZED, "")
}
