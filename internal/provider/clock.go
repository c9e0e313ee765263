package provider

import "time"

// Clock is where resources read the time; tests inject their own per provider
// instance so they can run in parallel.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }
