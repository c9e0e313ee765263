// Package safefile reads small configuration and PEM files without trusting what
// the path points at: a FIFO with no writer must not hang a plan, /dev/zero must
// not fill memory, and a directory or socket gets an error that says so.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// DefaultLimit bounds a PEM file (a certificate, a key, a CA bundle): each is a
// few KiB, so anything near 1 MiB is not one. A plugin config has its own bound.
const DefaultLimit = 1 << 20

// Error is a file that was refused or could not be read. Problem reads after
// the file's name ("is a directory, not a regular file"), so a caller that
// names files its own way (certcheck names them relative to a tree) can use it
// alone. Err is the cause when there is one (fs.ErrNotExist, an errno), for
// errors.Is.
type Error struct {
	Path    string
	Problem string
	Err     error
}

func (e *Error) Error() string { return e.Path + " " + e.Problem }

func (e *Error) Unwrap() error { return e.Err }

// ReadFile reads a regular file of at most limit bytes. It follows symbolic
// links on purpose (Kubernetes mounts secrets as links into ..data/), then:
//   - refuses anything that is not a regular file, or is over the limit, before
//     opening it (opening a device can have effects of its own);
//   - opens without blocking (see openFlags), so a FIFO swapped in meanwhile
//     cannot block the open;
//   - checks with fstat that it opened the file it looked at, and reads at most
//     limit+1 bytes, so a file that grew past its size is refused without
//     reading it whole.
//
// Every error is an *Error. A missing file's wraps fs.ErrNotExist; a symbolic
// link to nothing is not missing but broken, and says so.
func ReadFile(path string, limit int64) ([]byte, error) {
	if limit < 0 {
		return nil, fmt.Errorf("%s: negative size limit %d", path, limit)
	}
	before, err := os.Stat(path)
	if err != nil {
		if _, lerr := os.Lstat(path); lerr == nil && errors.Is(err, fs.ErrNotExist) {
			return nil, &Error{Path: path, Problem: "is a symbolic link that does not resolve"}
		}
		return nil, cannotRead(path, err)
	}
	if !before.Mode().IsRegular() {
		return nil, &Error{Path: path, Problem: fmt.Sprintf("is %s, not a regular file", Describe(before.Mode()))}
	}
	if before.Size() > limit {
		return nil, &Error{Path: path, Problem: fmt.Sprintf("is %d bytes, more than the limit of %s: check the path", before.Size(), sizeLimit(limit))}
	}
	if testHookAfterStat != nil {
		testHookAfterStat(path)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, cannotRead(path, err)
	}
	defer func() { _ = f.Close() }() // read only: nothing to lose
	after, err := f.Stat()
	if err != nil {
		return nil, cannotRead(path, err)
	}
	if !after.Mode().IsRegular() || !os.SameFile(before, after) {
		return nil, &Error{Path: path, Problem: "changed while it was being read"}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, cannotRead(path, err)
	}
	if int64(len(data)) > limit {
		return nil, &Error{Path: path, Problem: fmt.Sprintf("grew beyond %s while it was being read", sizeLimit(limit))}
	}
	return data, nil
}

// testHookAfterStat lets a test swap the file between the stat and the open.
var testHookAfterStat func(path string)

// cannotRead names the cause without repeating the path a *fs.PathError holds.
func cannotRead(path string, err error) *Error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return &Error{Path: path, Problem: "does not exist", Err: err}
	}
	return &Error{Path: path, Problem: "cannot be read: " + err.Error(), Err: err}
}

func sizeLimit(limit int64) string {
	if limit > 0 && limit%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", limit>>20)
	}
	return fmt.Sprintf("%d bytes", limit)
}

// Describe names a file type for an error message: "a directory", "a named pipe
// (FIFO)", …
func Describe(mode fs.FileMode) string {
	switch {
	case mode.IsRegular():
		return "a regular file"
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a block device"
	case mode&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "a special file (" + mode.Type().String() + ")"
}
