package identity_test

import (
	"testing"

	"github.com/enlace-portal/enlace/internal/identity"
)

// BenchmarkLogin measures a whole sign-in at the production password cost:
// password check, code sent (rendered into the outbox), code verified.
func BenchmarkLogin(b *testing.B) {
	f := newFixture(b)
	svc := identity.NewService(f.store, f.clock, f.sent, identity.Config{BaseURL: "https://portal.example"})
	pw := "Bench#2026pw"
	_, sess := f.signIn(f.a.admin, f.password(f.a.admin))
	if _, err := f.svc.ChangePassword(f.ctx, sess, identity.PasswordChange{Current: f.password(f.a.admin), New: pw, Confirm: pw}); err != nil {
		b.Fatal(err)
	}
	// Re-hash at the production cost, as a real account would have.
	hashed := identity.HashPassword(pw, identity.DefaultHashParams)
	if err := f.store.SetPassword(f.ctx, identity.PasswordSet{UserID: f.a.adminID, Hash: hashed}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_, sess, err := svc.Login(f.ctx, f.a.admin, pw, "bench")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.SendCode(f.ctx, sess, identity.ChannelEmail, "", ""); err != nil {
			b.Fatal(err)
		}
		if _, err := svc.VerifyCode(f.ctx, sess, f.sent.last(b, "login_code")["Code"].(string)); err != nil {
			b.Fatal(err)
		}
	}
}
