package safefile

import (
	"bytes"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestReadFileRegular(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ca.crt")
	want := []byte("-----BEGIN CERTIFICATE-----\n")
	if err := os.WriteFile(path, want, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path, DefaultLimit)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("ReadFile = %q, %v", got, err)
	}
	// Exactly at the limit is fine; an empty file too.
	if got, err := ReadFile(path, int64(len(want))); err != nil || !bytes.Equal(got, want) {
		t.Errorf("at the limit: %q, %v", got, err)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadFile(empty, DefaultLimit); err != nil || len(got) != 0 {
		t.Errorf("empty file: %q, %v", got, err)
	}
}

func TestReadFileOverLimit(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, bytes.Repeat([]byte("a"), 101), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(path, 100)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "larger than 100 bytes") {
		t.Fatalf("one byte over the limit: %v", err)
	}
}

func TestReadFileMissing(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "missing")
	if _, err := ReadFile(path, DefaultLimit); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Fatalf("missing file: %v", err)
	}
}

// refused checks the error names the path and what it points at.
func refused(t *testing.T, path, what string) {
	t.Helper()
	_, err := ReadFile(path, DefaultLimit)
	checkRefusal(t, path, what, err)
}

func checkRefusal(t *testing.T, path, what string, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: read succeeded", path)
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), what) || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("%s: error %q does not say it is %s", path, err, what)
	}
}

func TestReadFileDirectory(t *testing.T) {
	t.Parallel()
	refused(t, t.TempDir(), "a directory")
}

func TestReadFileDevZero(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/zero")
	}
	refused(t, "/dev/zero", "a character device")
}

func TestReadFileSymlinkToDevZero(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/zero")
	}
	link := filepath.Join(t.TempDir(), "server.key")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	refused(t, link, "a character device")
}

func TestReadFileSocket(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no unix sockets in the file system")
	}
	// A short directory: socket paths are limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "sf")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	path := filepath.Join(dir, "s")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Skip(err)
	}
	defer func() { _ = ln.Close() }()
	refused(t, path, "a socket")
}
