//go:build unix

package safefile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadFileFIFONoWriter would hang forever on a blocking open: nobody ever
// opens the FIFO for writing.
func TestReadFileFIFONoWriter(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	result := make(chan error, 1)
	go func() {
		_, err := ReadFile(path, DefaultLimit)
		result <- err
	}()
	select {
	case err := <-result:
		checkRefusal(t, path, "a named pipe (FIFO)", err)
	case <-time.After(5 * time.Second):
		// The goroutine stays blocked in open(2); the test binary exits anyway.
		t.Fatal("ReadFile blocked on a FIFO without a writer")
	}
}

// TestReadFileFIFORace swaps a FIFO in between the stat and the open: the
// O_NONBLOCK open returns at once and fstat refuses what it opened. Not
// parallel: it sets a package hook while no other test runs.
func TestReadFileFIFORace(t *testing.T) {
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
	go func() { _, err := ReadFile(p, DefaultLimit); done <- err }()
	select {
	case err := <-done:
		if err == nil || err.Error() != p+" changed while it was being read" {
			t.Errorf("ReadFile(FIFO swapped in) = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ReadFile blocked on a FIFO swapped in after the stat")
	}
}

// TestReadFileGrows appends to the file between the stat and the read: the
// read stops at the limit. Not parallel: it sets the package hook.
func TestReadFileGrows(t *testing.T) {
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
		if _, err := f.Write(make([]byte, 2*DefaultLimit)); err != nil {
			t.Error(err)
		}
	}
	defer func() { testHookAfterStat = nil }()
	data, err := ReadFile(p, DefaultLimit)
	if err == nil || err.Error() != p+" grew beyond 1 MiB while it was being read" || data != nil {
		t.Errorf("ReadFile(growing file) = %d bytes, %v", len(data), err)
	}
}
