package identity

import (
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// ParseMobile checks a Mexican mobile number typed twice (A2: 10 digits)
// and returns it in E.164. Spaces, dashes and dots people type are ignored.
func ParseMobile(mobile, again string) (string, error) {
	a, b := digitsOnly(mobile), digitsOnly(again)
	var errs []enlace.FieldError
	if len(a) != 10 {
		errs = append(errs, enlace.Field("mobile", "login.mobile_ten_digits"))
	}
	if a != b {
		errs = append(errs, enlace.Field("mobile_again", "login.mobile_mismatch"))
	}
	if len(errs) > 0 {
		return "", enlace.Invalid(errs)
	}
	n, err := phonenumbers.Parse(a, "MX")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", enlace.Invalid([]enlace.FieldError{enlace.Field("mobile", "login.mobile_invalid")})
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "" // anything else makes the number unreadable
		}
	}
	return b.String()
}

// MaskDestination hides most of an e-mail address or phone number, so a
// screen can say where a code or link went without disclosing it.
func MaskDestination(s string) string {
	if local, domain, ok := strings.Cut(s, "@"); ok {
		if len(local) <= 1 {
			return local + "***@" + domain
		}
		return local[:1] + strings.Repeat("*", min(len(local)-1, 5)) + "@" + domain
	}
	if len(s) <= 4 {
		return s
	}
	return strings.Repeat("*", len(s)-4) + s[len(s)-4:]
}
