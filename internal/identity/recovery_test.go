package identity_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// solve reads the challenge's characters back out of its picture, as a
// person would.
func solve(t *testing.T, svg string) string {
	t.Helper()
	var b strings.Builder
	for _, m := range regexp.MustCompile(`>([A-Z0-9])</text>`).FindAllStringSubmatch(svg, -1) {
		b.WriteString(m[1])
	}
	if b.Len() != 5 {
		t.Fatalf("challenge picture holds %q, want 5 characters", b.String())
	}
	return b.String()
}

func TestRecoveryResetsThePasswordOnce(t *testing.T) {
	f := newFixture(t)
	id, svg, err := f.svc.NewChallenge(f.ctx)
	must(t, err)
	_, _, err = f.svc.StartRecovery(f.ctx, f.a.admin, id, "WRONG")
	wantCode(t, err, enlace.EINVALID, "recovery.challenge_wrong")
	// A challenge is good for one answer only.
	_, _, err = f.svc.StartRecovery(f.ctx, f.a.admin, id, solve(t, svg))
	wantCode(t, err, enlace.EINVALID, "recovery.challenge_wrong")

	id, svg, err = f.svc.NewChallenge(f.ctx)
	must(t, err)
	opts, ticket, err := f.svc.StartRecovery(f.ctx, strings.ToUpper(f.a.admin), id, strings.ToLower(solve(t, svg)))
	must(t, err)
	if len(opts) != 2 || opts[0].Masked != "a****@acme.example" || opts[1].Masked != "" {
		t.Fatalf("options = %+v, want the masked login e-mail and the unshown alternate", opts)
	}
	must(t, f.svc.SendRecovery(f.ctx, ticket, opts[0].Key))
	if err := f.svc.SendRecovery(f.ctx, ticket, opts[0].Key); err == nil {
		t.Errorf("SendRecovery(spent ticket) = nil, want an error")
	}
	link := f.sent.last(t, "password_reset")["URL"].(string)
	token := link[strings.LastIndex(link, "/")+1:]
	err = f.svc.ResetPassword(f.ctx, token, "corta", "corta")
	wantCode(t, err, enlace.EINVALID, "password.too_short")
	must(t, f.svc.ResetPassword(f.ctx, token, "Recupera#2026", "Recupera#2026"))
	err = f.svc.ResetPassword(f.ctx, token, "Otra#2026xx", "Otra#2026xx")
	wantCode(t, err, enlace.EINVALID, "recovery.link_invalid")
	if _, _, err := f.svc.Login(f.ctx, f.a.admin, "Recupera#2026", "test"); err != nil {
		t.Errorf("Login(new password) = %v, want nil", err)
	}
}

func TestRecoveryLinkExpiresAfter30Minutes(t *testing.T) {
	f := newFixture(t)
	id, svg, err := f.svc.NewChallenge(f.ctx)
	must(t, err)
	opts, ticket, err := f.svc.StartRecovery(f.ctx, f.a.admin, id, solve(t, svg))
	must(t, err)
	// No alternate address registered: the link goes to the login e-mail.
	must(t, f.svc.SendRecovery(f.ctx, ticket, opts[1].Key))
	sent := f.sent.last(t, "password_reset")
	if sent["to"] != f.a.admin {
		t.Errorf("link sent to %v, want the login e-mail", sent["to"])
	}
	link := sent["URL"].(string)
	token := link[strings.LastIndex(link, "/")+1:]
	f.clock.Advance(30 * time.Minute)
	wantCode(t, f.svc.CheckRecoveryToken(f.ctx, token), enlace.EINVALID, "recovery.link_invalid")
}

func TestRecoveryDoesNotRevealUnknownAddresses(t *testing.T) {
	f := newFixture(t)
	before := len(f.sent.data)
	id, svg, err := f.svc.NewChallenge(f.ctx)
	must(t, err)
	opts, ticket, err := f.svc.StartRecovery(f.ctx, "nadie@acme.example", id, solve(t, svg))
	must(t, err)
	if len(opts) != 2 || opts[0].Masked != "n****@acme.example" {
		t.Errorf("options for an unknown e-mail = %+v, want the same shape as a known one", opts)
	}
	must(t, f.svc.SendRecovery(f.ctx, ticket, "primary"))
	if len(f.sent.data) != before {
		t.Errorf("a message was sent for an unknown e-mail")
	}
}

func TestRecoveryThrottlesAnAddress(t *testing.T) {
	f := newFixture(t)
	var err error
	for range 11 {
		var id string
		id, _, err = f.svc.NewChallenge(f.ctx)
		must(t, err)
		_, _, err = f.svc.StartRecovery(f.ctx, f.a.admin, id, "XXXXX")
	}
	wantCode(t, err, enlace.ETOOMANY, "")
}

func TestRecoveryOffersTheRegisteredSecondAddress(t *testing.T) {
	f := newFixture(t)
	ctx := f.asAdmin(f.a)
	err := f.svc.UpdateProfile(ctx, identity.ProfileUpdate{Locale: "de", RecoveryEmail: f.a.admin})
	wantCode(t, err, enlace.EINVALID, "users.recovery_email_invalid")
	must(t, f.svc.UpdateProfile(ctx, identity.ProfileUpdate{Locale: "de", RecoveryEmail: "Privado@Correo.example"}))

	id, svg, err := f.svc.NewChallenge(f.ctx)
	must(t, err)
	opts, ticket, err := f.svc.StartRecovery(f.ctx, f.a.admin, id, solve(t, svg))
	must(t, err)
	if len(opts) != 2 || opts[1].Key != "recovery" || opts[1].Masked != "" {
		t.Fatalf("options = %+v, want the login address and the alternate, unshown", opts)
	}
	must(t, f.svc.SendRecovery(f.ctx, ticket, "recovery"))
	if got := f.sent.last(t, "password_reset")["to"]; got != "privado@correo.example" {
		t.Errorf("reset link sent to %v, want the recovery address", got)
	}
}
