package jobs

import (
	"math/rand/v2"
	"time"
)

// Backoff bounds: the first retry waits about BackoffBase, each further one
// twice as long, never more than BackoffMax.
const (
	BackoffBase = 10 * time.Second
	BackoffMax  = time.Hour
)

// Backoff returns how long to wait before attempt+1 after attempt failed
// (attempt counts from 1). It is exponential with "equal jitter": a random
// duration between half and all of the exponential step, so that jobs that
// failed together (a mail server outage) do not all retry in the same second.
func Backoff(attempt int) time.Duration {
	d := BackoffMax
	if attempt < 1 {
		attempt = 1
	}
	if attempt <= 20 { // beyond 2^20 steps the cap applies anyway
		d = min(BackoffBase<<(attempt-1), BackoffMax)
	}
	half := d / 2
	return half + rand.N(half+1)
}
