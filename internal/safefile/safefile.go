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

// DefaultLimit bounds config.yaml and PEM files: a certs/mcp tree file is a few
// kilobytes, and the largest plugin config seen is well under one megabyte.
const DefaultLimit int64 = 4 << 20

// ReadFile reads a regular file of at most limit bytes. It opens without blocking
// (see openFlags), checks the opened file (not the path, which could be swapped in
// between) is a regular file, and reads at most limit+1 bytes, so a file that grew
// past its size or lies about it is still refused without reading it whole.
func ReadFile(path string, limit int64) ([]byte, error) {
	if limit < 0 {
		return nil, fmt.Errorf("%s: negative size limit %d", path, limit)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, openError(path, err)
	}
	defer func() { _ = f.Close() }()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %s, not a regular file: give the path of a file", path, describe(info.Mode()))
	}
	if info.Size() > limit {
		return nil, tooLarge(path, limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(path, limit)
	}
	return data, nil
}

func tooLarge(path string, limit int64) error {
	return fmt.Errorf("%s is larger than %d bytes, too large for a configuration or PEM file: check the path", path, limit)
}

// openError explains paths that cannot even be opened for reading because of
// what they are (a socket answers ENXIO): the path exists, it is just not a file.
func openError(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return err
	}
	if info, statErr := os.Stat(path); statErr == nil && !info.Mode().IsRegular() {
		return fmt.Errorf("%s is %s, not a regular file: give the path of a file", path, describe(info.Mode()))
	}
	return err
}

// describe names a file type for an error message.
func describe(mode fs.FileMode) string {
	switch {
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
