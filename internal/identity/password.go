package identity

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Password rules of A1, and how many earlier passwords may not come back.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
	PasswordHistory   = 5
)

// CheckPassword returns one field error per rule the password breaks, so
// that the form can name each of them (A1). user is the login e-mail; the
// password may contain neither it nor its local part.
func CheckPassword(password, user string) []enlace.FieldError {
	var errs []enlace.FieldError
	add := func(key string, args ...any) { errs = append(errs, enlace.Field("password", key, args...)) }
	if len([]rune(password)) < MinPasswordLength {
		add("password.too_short", "Min", MinPasswordLength)
	}
	if len([]rune(password)) > MaxPasswordLength {
		add("password.too_long", "Max", MaxPasswordLength)
	}
	var upper, lower, digit, special, space bool
	for _, r := range password {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsSpace(r):
			space = true
		default:
			special = true
		}
	}
	if !upper {
		add("password.needs_upper")
	}
	if !lower {
		add("password.needs_lower")
	}
	if !digit {
		add("password.needs_digit")
	}
	if !special {
		add("password.needs_special")
	}
	if space {
		// The portal's help warns about spaces pasted along with a password.
		add("password.no_spaces")
	}
	if containsUserName(password, user) {
		add("password.contains_user")
	}
	return errs
}

func containsUserName(password, user string) bool {
	p := strings.ToLower(password)
	user = strings.ToLower(user)
	local, _, _ := strings.Cut(user, "@")
	return (user != "" && strings.Contains(p, user)) || (len(local) >= 3 && strings.Contains(p, local))
}

// HashParams are the argon2id costs. Production uses DefaultHashParams;
// tests use cheaper ones. The hash records its own parameters, so a change
// of costs does not lock anybody out.
type HashParams struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultHashParams follow RFC 9106's second recommended option (64 MiB).
var DefaultHashParams = HashParams{Time: 3, Memory: 64 * 1024, Threads: 2}

// HashPassword returns the PHC string of an argon2id hash of password.
func HashPassword(password string, p HashParams) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// VerifyPassword reports whether password matches the PHC string hash.
func VerifyPassword(password, hash string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p HashParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// TemporaryPassword returns a random password that meets every rule, for a
// new user to type once and change at first login.
func TemporaryPassword() string {
	// 10 random characters from an alphabet without look-alikes, then one of
	// each required class so the rules always hold.
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b) + "Kp7#"
}
