package identity_test

import (
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

func TestAuthenticatorAppAsSecondFactor(t *testing.T) {
	f := newFixture(t)
	ctx := f.asAdmin(f.a)
	enr, err := f.svc.BeginTOTP(ctx)
	must(t, err)
	wantCode(t, f.svc.ConfirmTOTP(ctx, enr.Secret, "000000x"), enlace.EINVALID, "login.totp_wrong")
	code, err := totp.GenerateCode(enr.Secret, f.clock.Now())
	must(t, err)
	must(t, f.svc.ConfirmTOTP(ctx, enr.Secret, code))

	_, sess, err := f.svc.Login(f.ctx, f.a.admin, f.password(f.a.admin), "test")
	must(t, err)
	_, err = f.svc.VerifyTOTP(f.ctx, sess, "123")
	wantCode(t, err, enlace.EINVALID, "login.totp_wrong")
	f.clock.Advance(30 * time.Second)
	code, err = totp.GenerateCode(enr.Secret, f.clock.Now())
	must(t, err)
	next, err := f.svc.VerifyTOTP(f.ctx, sess, code)
	must(t, err)
	if next.Stage != identity.StagePassword {
		t.Errorf("stage after app code = %q, want password (temporary password)", next.Stage)
	}
}
