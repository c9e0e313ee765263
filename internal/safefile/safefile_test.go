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
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "is 101 bytes, more than the limit of 100 bytes: check the path") {
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
	dir, err := os.MkdirTemp("", "sf") //nolint:usetesting // t.TempDir's path is too long for a socket (about 100 bytes at most)
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

// TestReadFileErrorShape: every refusal is an *Error whose Problem reads after
// the file's name, so certcheck can name the file relative to its tree.
func TestReadFileErrorShape(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	_, err := ReadFile(missing, DefaultLimit)
	var fe *Error
	if !errors.As(err, &fe) || fe.Path != missing || fe.Problem != "does not exist" || err.Error() != missing+" does not exist" {
		t.Errorf("missing file: %#v", err)
	}
	if _, err := ReadFile(missing, -1); err == nil || !strings.Contains(err.Error(), "negative size limit -1") {
		t.Errorf("negative limit: %v", err)
	}
}

// TestReadFileSymlinks: links are followed to a regular file (Kubernetes mounts
// secrets as links into ..data/); a link to nothing is broken, not missing, so
// a caller that falls back from a missing file does not fall back from it; a
// loop is unreadable.
func TestReadFileSymlinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "..data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "..data", "ca.crt"), []byte("pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"ca.crt": "..data/ca.crt", "broken": "nothing", "loop": "loop"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skip(err)
		}
	}
	if got, err := ReadFile(filepath.Join(dir, "ca.crt"), DefaultLimit); err != nil || string(got) != "pem" {
		t.Errorf("through the ..data link: %q, %v", got, err)
	}
	broken := filepath.Join(dir, "broken")
	_, err := ReadFile(broken, DefaultLimit)
	if err == nil || err.Error() != broken+" is a symbolic link that does not resolve" || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dangling link: %v (missing: %v)", err, errors.Is(err, fs.ErrNotExist))
	}
	loop := filepath.Join(dir, "loop")
	if _, err := ReadFile(loop, DefaultLimit); err == nil || !strings.HasPrefix(err.Error(), loop+" cannot be read: ") {
		t.Errorf("link loop: %v", err)
	}
}

// TestReadFilePermission: a file the process may not read says so and keeps
// fs.ErrPermission for errors.Is.
func TestReadFilePermission(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs POSIX permissions and a user other than root")
	}
	path := filepath.Join(t.TempDir(), "server.key")
	if err := os.WriteFile(path, []byte("key"), 0o000); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path, DefaultLimit); !errors.Is(err, fs.ErrPermission) || err.Error() != path+" cannot be read: permission denied" {
		t.Errorf("unreadable file: %v", err)
	}
}

// TestReadFileChecksBeforeOpening: what is not a regular file, or is over the
// limit, is refused from its stat alone: ReadFile never gets as far as opening
// it (opening a device can have effects of its own). Not parallel: it sets the
// package hook that runs just before the open.
func TestReadFileChecksBeforeOpening(t *testing.T) {
	opened := 0
	testHookAfterStat = func(string) { opened++ }
	defer func() { testHookAfterStat = nil }()
	big := filepath.Join(t.TempDir(), "big.pem")
	if err := os.WriteFile(big, make([]byte, 11), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := []string{t.TempDir(), big}
	if runtime.GOOS != "windows" {
		paths = append(paths, "/dev/zero")
	}
	for _, path := range paths {
		if _, err := ReadFile(path, 10); err == nil {
			t.Errorf("%s: read", path)
		}
	}
	if opened != 0 {
		t.Errorf("%d of %d refused paths were opened", opened, len(paths))
	}
	if _, err := ReadFile(big, 11); err != nil || opened != 1 {
		t.Errorf("a file at the limit: %v, opened %d times", err, opened)
	}
}
