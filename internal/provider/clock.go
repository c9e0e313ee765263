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

// clocked gives a resource, data source or ephemeral resource the provider's
// clock: embed it, and call configureClock from Configure.
type clocked struct {
	clock Clock
}

// configureClock takes the clock from what the provider's Configure handed
// over; anything else (no provider data yet) leaves it unset.
func (c *clocked) configureClock(configured any) {
	if data, ok := configured.(*providerData); ok {
		c.clock = data.clock
	}
}

// now is the provider's clock; the wall clock only before Configure.
func (c *clocked) now() time.Time {
	if c.clock == nil {
		return time.Now()
	}
	return c.clock.Now()
}
