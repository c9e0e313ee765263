//go:build unix

package certcheck

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadTreeFIFO puts named pipes where certificates and keys belong: the
// reader refuses them without blocking, and never opens a key.
func TestReadTreeFIFO(t *testing.T) {
	t.Parallel()
	dir, _ := makefileTree(t)
	for _, name := range []string{"gateway/client.crt", "plugins/A/ca.crt", "ca/ca.key", "plugins/B/server.key"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := syscall.Unlink(p); err != nil && err != syscall.ENOENT {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan []Input, 1)
	go func() {
		inputs, err := ReadTree(dir)
		if err != nil {
			t.Error(err)
		}
		done <- inputs
	}()
	var inputs []Input
	select {
	case inputs = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("ReadTree blocked on a FIFO")
	}
	wantProblems(t, Check(byName(t, inputs, "gateway"), t0), "unreadable: gateway/client.crt is a named pipe (FIFO), not a regular file")
	wantProblems(t, Check(byName(t, inputs, "plugins/A"), t0), "chain not checked: the CA bundle is unreadable: plugins/A/ca.crt is a named pipe (FIFO), not a regular file")
	if r := Check(byName(t, inputs, "plugins/B"), t0); !r.ChainValid || len(r.Problems) != 0 {
		t.Errorf("plugins/B beside a FIFO key: %+v", r)
	}
	if r := Check(byName(t, inputs, "ca"), t0); !r.ChainValid || len(r.Problems) != 0 {
		t.Errorf("ca beside a FIFO key: %+v", r)
	}
}

// TestReadRegularFIFORace swaps a FIFO in between the stat and the open: the
// O_NONBLOCK open returns at once and fstat refuses what it opened. Not
// parallel: it sets a package hook while no other test runs.
func TestReadRegularFIFORace(t *testing.T) {
	p := filepath.Join(t.TempDir(), "server.crt")
	if err := os.WriteFile(p, []byte("a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	testHookAfterStat = func(path string) {
		if err := os.Remove(path); err != nil {
			t.Error(err)
		}
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Error(err)
		}
	}
	defer func() { testHookAfterStat = nil }()
	done := make(chan error, 1)
	go func() { _, err := readRegular(p, MaxFileSize); done <- err }()
	select {
	case err := <-done:
		if err == nil || err.Error() != "changed while it was being read" {
			t.Errorf("readRegular(FIFO swapped in) = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("readRegular blocked on a FIFO swapped in after the stat")
	}
}

// TestReadRegularGrows appends to the file between the stat and the read: the
// read stops at the limit. Not parallel: it sets the package hook.
func TestReadRegularGrows(t *testing.T) {
	p := filepath.Join(t.TempDir(), "server.crt")
	if err := os.WriteFile(p, []byte("small"), 0o600); err != nil {
		t.Fatal(err)
	}
	testHookAfterStat = func(path string) {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Error(err)
			return
		}
		defer func() { _ = f.Close() }()
		if _, err := f.Write(make([]byte, 2*MaxFileSize)); err != nil {
			t.Error(err)
		}
	}
	defer func() { testHookAfterStat = nil }()
	data, err := readRegular(p, MaxFileSize)
	if err == nil || err.Error() != "grew beyond 1 MiB while it was being read" || data != nil {
		t.Errorf("readRegular(growing file) = %d bytes, %v", len(data), err)
	}
}
