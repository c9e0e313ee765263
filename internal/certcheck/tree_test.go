package certcheck

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeTree writes files (relative path -> content) under dir.
func writeTree(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func names(inputs []Input) []string {
	var out []string
	for _, in := range inputs {
		out = append(out, in.Name)
	}
	return out
}

func byName(t *testing.T, inputs []Input, name string) Input {
	t.Helper()
	for _, in := range inputs {
		if in.Name == name {
			return in
		}
	}
	t.Fatalf("no input %q in %q", name, names(inputs))
	return Input{}
}

// makefileTree is the Makefile's layout: every ca.crt a copy of the CA, keys
// beside the certificates. Plugin B has no copy of ca.crt, plugin C no server.crt.
func makefileTree(t *testing.T) (string, *issued) {
	t.Helper()
	ca := issue(t, caTemplate("ContextForge-CA"), nil)
	dir := t.TempDir()
	writeTree(t, dir, map[string][]byte{
		"ca/ca.crt":                   ca.pem,
		"ca/ca.key":                   []byte("never read"),
		"gateway/client.crt":          issue(t, clientTemplate(), ca).pem,
		"gateway/client.key":          []byte("never read"),
		"gateway/ca.crt":              ca.pem,
		"plugins/B/server.crt":        issue(t, serverTemplate("B"), ca).pem,
		"plugins/A/server.crt":        issue(t, serverTemplate("A"), ca).pem,
		"plugins/A/server.key":        []byte("never read"),
		"plugins/A/ca.crt":            ca.pem,
		"plugins/C/server.key":        []byte("never read"),
		"plugins/.staging/server.crt": []byte("skipped like the Makefile's plugins/* glob"),
		"plugins/README":              []byte("not a plugin directory"),
	})
	return dir, ca
}

func TestReadTree(t *testing.T) {
	t.Parallel()
	dir, _ := makefileTree(t)
	inputs, err := ReadTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(inputs), []string{"ca", "gateway", "plugins/A", "plugins/B", "plugins/C"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("names %q, want %q", got, want)
	}
	files := map[string][2]string{
		"ca":        {"ca/ca.crt", ""},
		"gateway":   {"gateway/client.crt", "gateway/ca.crt"},
		"plugins/A": {"plugins/A/server.crt", "plugins/A/ca.crt"},
		"plugins/B": {"plugins/B/server.crt", "ca/ca.crt"}, // no copy: the CA's own
		"plugins/C": {"plugins/C/server.crt", "ca/ca.crt"},
	}
	for _, in := range inputs {
		if got := [2]string{in.CertFile, in.BundleFile}; got != files[in.Name] {
			t.Errorf("%s reads %q, want %q", in.Name, got, files[in.Name])
		}
		if strings.HasSuffix(in.CertFile, ".key") || strings.HasSuffix(in.BundleFile, ".key") {
			t.Errorf("%s reads a key", in.Name)
		}
	}
	wantRoles := map[string]Role{"ca": RoleCA, "gateway": RoleClient, "plugins/A": RoleServer, "plugins/B": RoleServer, "plugins/C": RoleServer}
	for _, in := range inputs {
		if in.Role != wantRoles[in.Name] {
			t.Errorf("%s has role %s", in.Name, in.Role)
		}
		r := Check(in, t0)
		if in.Name == "plugins/C" {
			wantProblems(t, r, "missing: plugins/C/server.crt does not exist")
			continue
		}
		if !r.ChainValid || !r.PurposeValid || len(r.Problems) != 0 {
			t.Errorf("%s: %+v", in.Name, r)
		}
	}
}

func TestReadTreeCopies(t *testing.T) {
	t.Parallel()
	ca := issue(t, caTemplate("ContextForge-CA"), nil)
	stale := issue(t, caTemplate("ContextForge-CA"), nil) // a CA regenerated since
	dir := t.TempDir()
	writeTree(t, dir, map[string][]byte{
		"ca/ca.crt":            stale.pem,
		"gateway/client.crt":   issue(t, clientTemplate(), ca).pem,
		"gateway/ca.crt":       ca.pem, // the copy it shipped with: trusted
		"plugins/p/server.crt": issue(t, serverTemplate("p"), ca).pem,
		"plugins/p/ca.crt":     stale.pem, // a copy of the new CA: this plugin is broken
	})
	inputs, err := ReadTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r := Check(byName(t, inputs, "gateway"), t0); !r.ChainValid {
		t.Errorf("gateway against its own copy: %q", r.Problems)
	}
	r := Check(byName(t, inputs, "plugins/p"), t0)
	wantProblems(t, r, "does not chain to the CA in plugins/p/ca.crt: it is signed by another key than that CA")
}

func TestReadTreeMissing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	inputs, err := ReadTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(inputs); !reflect.DeepEqual(got, []string{"ca", "gateway"}) {
		t.Fatalf("empty tree lists %q", got)
	}
	wantProblems(t, Check(inputs[0], t0), "missing: ca/ca.crt does not exist")
	wantProblems(t, Check(inputs[1], t0), "missing: gateway/client.crt does not exist")

	// A gateway certificate with neither its copy nor the CA.
	ca := issue(t, caTemplate("ContextForge-CA"), nil)
	writeTree(t, dir, map[string][]byte{"gateway/client.crt": issue(t, clientTemplate(), ca).pem})
	inputs, err = ReadTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	wantProblems(t, Check(inputs[1], t0), "chain not checked: the CA bundle is unreadable: neither gateway/ca.crt nor ca/ca.crt exists")
}

func TestReadTreeFileLimits(t *testing.T) {
	t.Parallel()
	dir, _ := makefileTree(t)
	ca, err := os.ReadFile(filepath.Join(dir, "ca/ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	// At the limit is read; more is refused by its size, before it is read.
	atLimit := append(append([]byte{}, ca...), bytes.Repeat([]byte("\n"), MaxFileSize-len(ca))...)
	writeTree(t, dir, map[string][]byte{
		"plugins/A/ca.crt":     atLimit,
		"plugins/A/server.crt": bytes.Repeat([]byte("A"), MaxFileSize+100),
	})
	if err := os.Mkdir(filepath.Join(dir, "plugins/C/server.crt"), 0o755); err != nil {
		t.Fatal(err)
	}
	inputs, err := ReadTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := byName(t, inputs, "plugins/A")
	if a.BundleErr != nil || len(a.BundlePEM) != MaxFileSize {
		t.Errorf("a ca.crt of exactly %d bytes: %v (%d bytes)", MaxFileSize, a.BundleErr, len(a.BundlePEM))
	}
	wantProblems(t, Check(a, t0), "unreadable: plugins/A/server.crt is 1048676 bytes, more than the limit of 1 MiB: check the path")
	wantProblems(t, Check(byName(t, inputs, "plugins/C"), t0), "unreadable: plugins/C/server.crt is a directory, not a regular file")
}

func TestReadTreeSymlinks(t *testing.T) {
	t.Parallel()
	dir, ca := makefileTree(t)
	elsewhere := t.TempDir()
	writeTree(t, elsewhere, map[string][]byte{
		"linked/server.crt": issue(t, serverTemplate("linked"), ca).pem,
		"file":              []byte("x"),
	})
	// Kubernetes mounts a secret as links into a ..data directory.
	writeTree(t, dir, map[string][]byte{"gateway/..data/ca.crt": ca.pem})
	for link, target := range map[string]string{
		"gateway/ca.crt":   "..data/ca.crt",
		"plugins/linked":   filepath.Join(elsewhere, "linked"),
		"plugins/file":     filepath.Join(elsewhere, "file"),
		"plugins/broken":   filepath.Join(elsewhere, "nothing"),
		"plugins/loop":     "loop",
		"plugins/B/ca.crt": filepath.Join(elsewhere, "nothing"), // a dangling copy is not silently replaced by ca/ca.crt
	} {
		p := filepath.Join(dir, filepath.FromSlash(link))
		_ = os.Remove(p)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	inputs, err := ReadTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(inputs), []string{"ca", "gateway", "plugins/A", "plugins/B", "plugins/C", "plugins/broken", "plugins/linked", "plugins/loop"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("names %q, want %q", got, want)
	}
	if r := Check(byName(t, inputs, "gateway"), t0); !r.ChainValid {
		t.Errorf("gateway through the ..data link: %q", r.Problems)
	}
	if r := Check(byName(t, inputs, "plugins/linked"), t0); !r.ChainValid || r.Subject != "CN=mcp-plugin-linked,OU=Plugins,O=MCPGateway" {
		t.Errorf("linked plugin directory: %+v", r)
	}
	wantProblems(t, Check(byName(t, inputs, "plugins/broken"), t0), "unreadable: plugins/broken is a symbolic link that does not resolve")
	wantProblems(t, Check(byName(t, inputs, "plugins/loop"), t0), "unreadable: plugins/loop cannot be read: too many levels of symbolic links")
	wantProblems(t, Check(byName(t, inputs, "plugins/B"), t0), "chain not checked: the CA bundle is unreadable: plugins/B/ca.crt is a symbolic link that does not resolve")
}

func TestReadTreeErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	writeTree(t, dir, map[string][]byte{"file": nil, "tree/plugins": []byte("a file")})
	for _, c := range []struct{ dir, want string }{
		{filepath.Join(dir, "missing"), "does not exist"},
		{file, "is a regular file, not a directory"},
		{filepath.Join(dir, "tree"), "plugins is a regular file, not a directory"},
	} {
		if _, err := ReadTree(c.dir); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadTree(%s) = %v, want %q", c.dir, err, c.want)
		}
	}
}
