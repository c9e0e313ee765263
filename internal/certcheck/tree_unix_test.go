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

// TestReadTreeDevice links a certificate to /dev/zero: it is refused by its
// kind, named the way safefile names it, and never read.
func TestReadTreeDevice(t *testing.T) {
	t.Parallel()
	dir, _ := makefileTree(t)
	p := filepath.Join(dir, "gateway", "client.crt")
	if err := syscall.Unlink(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", p); err != nil {
		t.Fatal(err)
	}
	inputs, err := ReadTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	wantProblems(t, Check(byName(t, inputs, "gateway"), t0), "unreadable: gateway/client.crt is a character device, not a regular file")
}
