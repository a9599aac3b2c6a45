package identity

import (
	"errors"

	"github.com/enlace-portal/enlace/internal/enlace"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckPasswordNamesEveryBrokenRule(t *testing.T) {
	for _, tt := range []struct {
		name, password string
		want           []string
	}{
		{"meets every rule", "Sol#2026mar", nil},
		{"too short", "Ab#1", []string{"password.too_short"}},
		{"no upper-case", "sol#2026mar", []string{"password.needs_upper"}},
		{"no lower-case", "SOL#2026MAR", []string{"password.needs_lower"}},
		{"no digit", "Sol#marzoabril", []string{"password.needs_digit"}},
		{"no special", "Sol2026marzo", []string{"password.needs_special"}},
		{"contains the e-mail's local part", "Xjuan.perez#9", []string{"password.contains_user"}},
		{"contains it in another case", "JUAN.PEREZa#9", []string{"password.contains_user"}},
		{"pasted with a space", "Sol#2026 mar", []string{"password.no_spaces"}},
		{"empty breaks five rules", "", []string{"password.too_short", "password.needs_upper",
			"password.needs_lower", "password.needs_digit", "password.needs_special"}},
		{"non-ASCII letters count", "Ñandú#2026", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, e := range CheckPassword(tt.password, "juan.perez@acme.example") {
				got = append(got, e.Message)
			}
			slices.Sort(got)
			slices.Sort(tt.want)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckPassword(%q) rules (-want +got):\n%s", tt.password, diff)
			}
		})
	}
}

func TestHashAndVerifyPassword(t *testing.T) {
	p := HashParams{Time: 1, Memory: 1024, Threads: 1}
	h := HashPassword("Sol#2026mar", p)
	if !VerifyPassword("Sol#2026mar", h) {
		t.Errorf("VerifyPassword(right) = false, want true")
	}
	if VerifyPassword("Sol#2026maR", h) {
		t.Errorf("VerifyPassword(wrong) = true, want false")
	}
	if VerifyPassword("Sol#2026mar", "$argon2id$broken") {
		t.Errorf("VerifyPassword(malformed hash) = true, want false")
	}
	if h2 := HashPassword("Sol#2026mar", p); h2 == h {
		t.Errorf("two hashes of one password are equal; want distinct salts")
	}
}

func TestTemporaryPasswordMeetsRules(t *testing.T) {
	for range 50 {
		p := TemporaryPassword()
		if errs := CheckPassword(p, "someone@example.com"); len(errs) > 0 {
			t.Fatalf("CheckPassword(TemporaryPassword() = %q) = %v, want none", p, errs)
		}
	}
}

func TestParseMobile(t *testing.T) {
	for _, tt := range []struct {
		name, a, b, want, err string
	}{
		{"ten digits", "5512345678", "5512345678", "+525512345678", ""},
		{"with separators", "55 1234-5678", "(55) 1234.5678", "+525512345678", ""},
		{"nine digits", "551234567", "551234567", "", "login.mobile_ten_digits"},
		{"mismatch", "5512345678", "5512345679", "", "login.mobile_mismatch"},
		{"letters", "55a2345678", "55a2345678", "", "login.mobile_ten_digits"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMobile(tt.a, tt.b)
			if tt.err == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ParseMobile(%q, %q) = %q, %v, want %q", tt.a, tt.b, got, err, tt.want)
				}
				return
			}
			if err == nil || !containsField(err, tt.err) {
				t.Fatalf("ParseMobile(%q, %q) error = %v, want %s", tt.a, tt.b, err, tt.err)
			}
		})
	}
}

func TestMaskDestination(t *testing.T) {
	for in, want := range map[string]string{
		"juan.perez@acme.mx": "j*****@acme.mx",
		"a@b.mx":             "a***@b.mx",
		"+525512345678":      "*********5678",
	} {
		if got := MaskDestination(in); got != want {
			t.Errorf("MaskDestination(%q) = %q, want %q", in, got, want)
		}
	}
}
func containsField(err error, key string) bool {
	var e *enlace.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, f := range e.Fields {
		if f.Message == key {
			return true
		}
	}
	return false
}
