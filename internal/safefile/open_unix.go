//go:build unix

package safefile

import "syscall"

// openFlags makes opening a FIFO return at once even when no writer has it open
// (a blocking open would wait for one forever). Regular files ignore O_NONBLOCK.
const openFlags = syscall.O_NONBLOCK
