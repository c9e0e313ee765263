//go:build unix

package safefile

import (
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
