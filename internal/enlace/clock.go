package enlace

import (
	"sync"
	"time"
)

// Clock tells the time. Services take one so that tests can move time
// forward instead of sleeping.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock, in UTC and truncated to microseconds so that
// a time survives a round trip through either database unchanged.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// FakeClock is a Clock for tests that only moves when told to.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a FakeClock set at t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{now: t.UTC()} }

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// ReplayClock is a clock (Base, or the system clock when nil), except
// while a history is replayed:
// the demo sets it in the past and moves it forward as it writes what
// people did then, so that every timestamp, due date and job of that
// history is as it would have been; Release returns it to the real time.
// It must only move forward, or jobs would see time run backwards.
type ReplayClock struct {
	Base Clock

	mu sync.Mutex
	at *time.Time
}

// Now returns the replayed time, or Base's when none is set.
func (c *ReplayClock) Now() time.Time {
	c.mu.Lock()
	at := c.at
	c.mu.Unlock()
	switch {
	case at != nil:
		return *at
	case c.Base != nil:
		return c.Base.Now()
	}
	return SystemClock{}.Now()
}

// Set replays t.
func (c *ReplayClock) Set(t time.Time) {
	t = t.UTC().Truncate(time.Microsecond)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = &t
}

// Release returns the clock to Base's time.
func (c *ReplayClock) Release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = nil
}
