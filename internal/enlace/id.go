package enlace

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"

	"github.com/google/uuid"
)

// NewID returns a new identifier: a UUIDv7, which sorts by creation time (so
// it pages well as a key) and reveals nothing another tenant could guess.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// NewSecret returns a random URL-safe secret of n random bytes, for session
// cookies, API tokens and one-time links.
func NewSecret(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret returns the hex SHA-256 of a high-entropy secret. Secrets are
// stored only as this hash; a slow hash is pointless for 32 random bytes.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
