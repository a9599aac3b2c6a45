package identity

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Challenge is a short text a person reads from a picture and types back
// (A3: "los caracteres solicitados"). It slows down scripted use of the
// recovery form; the address throttle is what stops a determined one.
type Challenge struct {
	ID         string     `db:"id"`
	AnswerHash string     `db:"answer_hash"`
	ExpiresAt  time.Time  `db:"expires_at"`
	Subject    string     `db:"subject"`
	SolvedAt   *time.Time `db:"solved_at"`
	UsedAt     *time.Time `db:"used_at"`
}

const challengeAlphabet = "ABCDEFGHJKLMNPRSTUVWXYZ2345679"

// NewChallenge stores a new challenge and returns its id and its picture as
// an SVG document.
func (s *Service) NewChallenge(ctx context.Context) (string, string, error) {
	answer := make([]byte, 5)
	for i := range answer {
		answer[i] = challengeAlphabet[randInt(len(challengeAlphabet))]
	}
	c := &Challenge{ID: enlace.NewID(), ExpiresAt: s.clock.Now().Add(10 * time.Minute)}
	c.AnswerHash = enlace.HashSecret(c.ID + ":" + string(answer))
	if err := s.store.CreateChallenge(ctx, c); err != nil {
		return "", "", err
	}
	return c.ID, challengeSVG(string(answer)), nil
}

// solveChallenge checks an answer once: right or wrong, the challenge is
// spent, and a solved one is bound to subject.
func (s *Service) solveChallenge(ctx context.Context, id, answer, subject string) error {
	answer = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(answer), " ", ""))
	ok, err := s.store.SolveChallenge(ctx, id, enlace.HashSecret(id+":"+answer), subject, s.clock.Now())
	if err != nil {
		return err
	}
	if !ok {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("challenge", "recovery.challenge_wrong")})
	}
	return nil
}

// challengeSVG draws the characters rotated and offset over a few lines.
func challengeSVG(text string) string {
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="180" height="60" viewBox="0 0 180 60" role="img" aria-label="challenge">`)
	b.WriteString(`<rect width="180" height="60" fill="#f3f4f6"/>`)
	for i := 0; i < 5; i++ {
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#9ca3af" stroke-width="1.5"/>`,
			randInt(180), randInt(60), randInt(180), randInt(60))
	}
	for i, r := range text {
		fmt.Fprintf(&b, `<text x="%d" y="%d" transform="rotate(%d %d 35)" font-family="monospace" font-size="30" font-weight="bold" fill="#1f2937">%c</text>`,
			15+i*32, 38+randInt(12)-6, randInt(40)-20, 25+i*32, r)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err)
	}
	return int(v.Int64())
}
