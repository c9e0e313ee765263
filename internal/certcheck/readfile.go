package certcheck

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// MaxFileSize caps every file the tree reader reads: a certificate or a CA
// bundle is a few KiB, so anything near this is not one.
const MaxFileSize = 1 << 20

// errMissing marks a file that does not exist, so the tree reader can fall back
// from a missing copy of ca.crt to the CA's.
var errMissing = errors.New("does not exist")

// readRegular reads a regular file of at most limit bytes. It follows symbolic
// links on purpose (Kubernetes mounts secrets as links into ..data/), then
// refuses anything that is not a regular file before opening it, opens with
// O_NONBLOCK so a FIFO swapped in meanwhile cannot block the open, and checks
// with fstat that it read the file it looked at.
//
// This is a local helper; a shared internal/safefile package may replace it.
func readRegular(path string, limit int64) ([]byte, error) {
	before, err := os.Stat(path)
	if err != nil {
		if _, lerr := os.Lstat(path); lerr == nil && errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("is a symbolic link that does not resolve")
		}
		return nil, statError(err)
	}
	if !before.Mode().IsRegular() {
		return nil, fmt.Errorf("is %s, not a regular file", kind(before.Mode()))
	}
	if before.Size() > limit {
		return nil, tooLarge(before.Size(), limit)
	}
	if testHookAfterStat != nil {
		testHookAfterStat(path)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, statError(err)
	}
	defer func() { _ = f.Close() }() // read only: nothing to lose
	after, err := f.Stat()
	if err != nil {
		return nil, statError(err)
	}
	if !after.Mode().IsRegular() || !os.SameFile(before, after) {
		return nil, errors.New("changed while it was being read")
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, statError(err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("grew beyond %s while it was being read", sizeLimit(limit))
	}
	return data, nil
}

// testHookAfterStat lets a test swap the file between the stat and the open.
var testHookAfterStat func(path string)

func statError(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return errMissing
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the caller names the file
	}
	return fmt.Errorf("cannot be read: %w", err)
}

func tooLarge(size, limit int64) error {
	return fmt.Errorf("is %d bytes, more than the %s a certificate file may have", size, sizeLimit(limit))
}

func sizeLimit(limit int64) string {
	if limit%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", limit>>20)
	}
	return fmt.Sprintf("%d bytes", limit)
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file (" + m.Type().String() + ")"
}
