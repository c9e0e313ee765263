package registry

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// fixture is a running registry with one signed release of example/thing 1.2.0
// for linux_amd64 and darwin_arm64 (protocol 6.0), and a client that trusts it.
type fixture struct {
	srv    *Server
	client *http.Client
	rel    Release
	signer *openpgp.Entity
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	cert, caPEM, err := LoopbackCertificate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Start(cert)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM([]byte(caPEM))
	f := &fixture{srv: srv, client: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}}
	f.signer, err = openpgp.NewEntity("release test", "", "test@example.invalid", &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA})
	if err != nil {
		t.Fatal(err)
	}
	var armored bytes.Buffer
	aw, err := armor.Encode(&armored, openpgp.PublicKeyType, nil)
	if err == nil {
		err = f.signer.Serialize(aw)
	}
	if err == nil {
		err = aw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	f.rel = Release{Namespace: "example", Type: "thing", Version: "1.2.0", Dir: t.TempDir(), SigningKey: armored.String()}
	bin := filepath.Join(t.TempDir(), "bin")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	err = Pack(f.rel.Dir, "thing", "1.2.0",
		map[Platform]string{{"linux", "amd64"}: bin, {"darwin", "arm64"}: bin},
		[]byte(`{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`), f.sign)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }

func (f *fixture) sign(sums []byte) ([]byte, error) {
	var sig bytes.Buffer
	err := openpgp.DetachSign(&sig, f.signer, bytes.NewReader(sums), nil)
	return sig.Bytes(), err
}

func (f *fixture) get(t *testing.T, url string, want int) []byte {
	t.Helper()
	if strings.HasPrefix(url, "/") {
		url = f.srv.URL() + url
	}
	resp, err := f.client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d %s, want %d", url, resp.StatusCode, body, want)
	}
	return body
}

func (f *fixture) download(t *testing.T, path string) downloadResponse {
	t.Helper()
	var d downloadResponse
	if err := json.Unmarshal(f.get(t, path, 200), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestProtocol walks the registry as Terraform does: discovery, versions, the
// download answer for a platform, then the files it points to; the signature it
// serves verifies against the key it announces, and the zip matches the sum.
func TestProtocol(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if err := f.srv.Publish(f.rel); err != nil {
		t.Fatal(err)
	}
	if got := string(f.get(t, "/.well-known/terraform.json", 200)); strings.TrimSpace(got) != `{"providers.v1":"/v1/providers/"}` {
		t.Errorf("discovery: %s", got)
	}
	var versions struct {
		Versions []versionEntry `json:"versions"`
	}
	if err := json.Unmarshal(f.get(t, "/v1/providers/example/thing/versions", 200), &versions); err != nil {
		t.Fatal(err)
	}
	want := `[{"version":"1.2.0","protocols":["6.0"],"platforms":[{"os":"darwin","arch":"arm64"},{"os":"linux","arch":"amd64"}]}]`
	if got, _ := json.Marshal(versions.Versions); string(got) != want {
		t.Errorf("versions:\n got %s\nwant %s", got, want)
	}

	d := f.download(t, "/v1/providers/example/thing/1.2.0/download/linux/amd64")
	if d.Filename != "terraform-provider-thing_1.2.0_linux_amd64.zip" || d.OS != "linux" || d.Arch != "amd64" || fmt.Sprint(d.Protocols) != "[6.0]" {
		t.Errorf("download answer: %+v", d)
	}
	if len(d.SigningKeys.GPGPublicKeys) != 1 || d.SigningKeys.GPGPublicKeys[0].KeyID != strings.ToUpper(f.signer.PrimaryKey.KeyIdString()) {
		t.Errorf("signing keys: %+v", d.SigningKeys)
	}
	zip := f.get(t, d.DownloadURL, 200)
	sums := f.get(t, d.SHASumsURL, 200)
	sig := f.get(t, d.SHASumsSignatureURL, 200)
	keys, err := openpgp.ReadArmoredKeyRing(strings.NewReader(d.SigningKeys.GPGPublicKeys[0].ASCIIArmor))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openpgp.CheckDetachedSignature(keys, bytes.NewReader(sums), bytes.NewReader(sig), nil); err != nil {
		t.Errorf("the served signature does not verify with the announced key: %v", err)
	}
	listed, err := ParseSHA256SUMS(sums)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%x", sha256Sum(zip)); listed[d.Filename] != got || d.SHASum != got {
		t.Errorf("zip sha256 %s; SHA256SUMS says %s, the download answer %s", got, listed[d.Filename], d.SHASum)
	}

	for _, path := range []string{
		"/v1/providers/example/thing/1.2.0/download/windows/amd64", // no such platform
		"/v1/providers/example/thing/9.9.9/download/linux/amd64",   // no such version
		"/v1/providers/example/other/versions",                     // no such provider
		"/files/example/thing/1.2.0/..%2f..%2fetc%2fpasswd",        // only the release's files
		"/files/example/thing/1.2.0/terraform-provider-thing_1.2.0_windows_amd64.zip",
	} {
		f.get(t, path, 404)
	}
}

// TestShasumFromArchive: by default the registry announces the checksum
// recorded at publication, so a zip changed on disk afterwards no longer
// matches it; with ShasumFromArchive it announces the zip as it is now.
func TestShasumFromArchive(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	published := f.rel
	trusting := f.rel
	trusting.Namespace, trusting.ShasumFromArchive = "trusting", true
	for _, r := range []Release{published, trusting} {
		if err := f.srv.Publish(r); err != nil {
			t.Fatal(err)
		}
	}
	zip := filepath.Join(f.rel.Dir, "terraform-provider-thing_1.2.0_linux_amd64.zip")
	orig := f.download(t, "/v1/providers/example/thing/1.2.0/download/linux/amd64").SHASum
	if err := os.WriteFile(zip, []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := f.download(t, "/v1/providers/example/thing/1.2.0/download/linux/amd64").SHASum; got != orig {
		t.Errorf("announced %s after the zip changed, want the published %s", got, orig)
	}
	if got, want := f.download(t, "/v1/providers/trusting/thing/1.2.0/download/linux/amd64").SHASum, fmt.Sprintf("%x", sha256Sum([]byte("tampered"))); got != want {
		t.Errorf("ShasumFromArchive announced %s, want %s", got, want)
	}
}

// TestLoopbackOnly: the registry listens on 127.0.0.1 alone, and not after Close.
func TestLoopbackOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	host, _, err := net.SplitHostPort(f.srv.Host)
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("listening on %q", f.srv.Host)
	}
	f.get(t, "/.well-known/terraform.json", 200)
	if err := f.srv.Close(); err != nil {
		t.Fatal(err)
	}
	if c, err := net.DialTimeout("tcp", f.srv.Host, time.Second); err == nil {
		_ = c.Close()
		t.Error("still accepting connections after Close")
	}
}

// TestOffline: an offline registry answers nothing useful and counts what it was asked.
func TestOffline(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	before := f.srv.Requests()
	f.srv.SetOffline(true)
	f.get(t, "/.well-known/terraform.json", 503)
	if got := f.srv.Requests() - before; got != 1 {
		t.Errorf("counted %d requests, want 1", got)
	}
	f.srv.SetOffline(false)
	f.get(t, "/.well-known/terraform.json", 200)
}

// TestUntrustedClient: the certificate is the provider's own, not a public one.
func TestUntrustedClient(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := (&http.Client{}).Get(f.srv.URL() + "/.well-known/terraform.json")
	var unknown x509.UnknownAuthorityError
	if err == nil || !strings.Contains(err.Error(), unknown.Error()[:30]) {
		t.Errorf("a client with the system roots: %v, want an unknown authority error", err)
	}
}

// TestPublishRefuses: what a registry would not publish.
func TestPublishRefuses(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if err := f.srv.Publish(f.rel); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(r *Release)
		want   string
	}{
		{"again", func(*Release) {}, "already published"},
		{"bad version", func(r *Release) { r.Namespace, r.Version = "v", "latest" }, `version "latest"`},
		{"no sums", func(r *Release) { r.Namespace, r.Type = "n", "other" }, "no such file"},
		{"no key", func(r *Release) { r.Namespace, r.SigningKey = "k", "" }, "signing key"},
		{"no signature", func(r *Release) {
			r.Namespace = "s"
			r.Dir = copyDir(t, r.Dir)
			_ = os.Remove(filepath.Join(r.Dir, "terraform-provider-thing_1.2.0_SHA256SUMS.sig"))
		}, "SHA256SUMS.sig"},
		{"bad sums", func(r *Release) {
			r.Namespace = "b"
			r.Dir = copyDir(t, r.Dir)
			_ = os.WriteFile(filepath.Join(r.Dir, "terraform-provider-thing_1.2.0_SHA256SUMS"), []byte("abc thing.zip\n"), 0o644)
		}, "line 1"},
		{"bad manifest", func(r *Release) {
			r.Namespace = "m"
			r.Dir = copyDir(t, r.Dir)
			_ = os.WriteFile(filepath.Join(r.Dir, "terraform-provider-thing_1.2.0_manifest.json"), []byte(`{"version": 1}`), 0o644)
		}, "protocol_versions"},
	}
	for _, tt := range tests {
		r := f.rel
		tt.change(&r)
		err := f.srv.Publish(r)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error with %q", tt.name, err, tt.want)
		}
	}
	// A version can be published again once its owner has removed it.
	if !f.srv.Unpublish("example", "thing", "1.2.0") || f.srv.Unpublish("example", "thing", "1.2.0") {
		t.Error("Unpublish should report the version once")
	}
	f.get(t, "/v1/providers/example/thing/1.2.0/download/linux/amd64", 404)
	if err := f.srv.Publish(f.rel); err != nil {
		t.Errorf("publish after unpublish: %v", err)
	}
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}
