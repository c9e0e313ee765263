//go:build !unix

package safefile

// openFlags is empty where there are no FIFOs to block on.
const openFlags = 0
