package releasetest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// signer is a throwaway GPG key made for one run, in its own GNUPGHOME: the
// release's SHA256SUMS is signed with it as a publisher signs with theirs.
type signer struct {
	home        string // GNUPGHOME
	fingerprint string
	publicKey   string // ASCII armor, what the registry announces
}

// newSigner makes an RSA-4096 signing key without a passphrase, valid for a
// day (HashiCorp's registries take RSA or DSA keys, not ECC).
func newSigner(t *testing.T, dir string) *signer {
	t.Helper()
	s := &signer{home: filepath.Join(dir, "gnupg")}
	if err := os.MkdirAll(s.home, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.cmd("gpgconf", "--kill", "all").Run() })
	if _, err := s.run("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
		"--quick-generate-key", "mcptls release check (throwaway) <release-check@mcptls.invalid>", "rsa4096", "sign", "1d"); err != nil {
		t.Fatal(err)
	}
	out, err := s.run("gpg", "--batch", "--with-colons", "--list-secret-keys")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Split(line, ":"); f[0] == "fpr" && len(f) > 9 {
			s.fingerprint = f[9]
			break
		}
	}
	if s.fingerprint == "" {
		t.Fatalf("no fingerprint in:\n%s", out)
	}
	if s.publicKey, err = s.run("gpg", "--batch", "--armor", "--export", s.fingerprint); err != nil {
		t.Fatal(err)
	}
	return s
}

// keyID is the long key ID Terraform prints after installing a package.
func (s *signer) keyID() string { return s.fingerprint[len(s.fingerprint)-16:] }

// env is what goreleaser's signs step needs (.goreleaser.yml reads GPG_FINGERPRINT).
func (s *signer) env() []string {
	return []string{"GNUPGHOME=" + s.home, "GPG_FINGERPRINT=" + s.fingerprint}
}

func (s *signer) cmd(name string, args ...string) *exec.Cmd {
	c := exec.Command(name, args...)
	c.Env = append(os.Environ(), s.env()...)
	return c
}

func (s *signer) run(name string, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	c := s.cmd(name, args...)
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := c.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

// sign makes a binary detached signature, as goreleaser's signs step does.
func (s *signer) sign(data []byte) ([]byte, error) {
	c := s.cmd("gpg", "--batch", "--local-user", s.fingerprint, "--detach-sign", "--output", "-")
	c.Stdin = bytes.NewReader(data)
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := c.Run(); err != nil {
		return nil, fmt.Errorf("gpg --detach-sign: %w\n%s", err, stderr.String())
	}
	return stdout.Bytes(), nil
}

// verifyWithPublicKeyOnly checks a detached signature with gpg in a fresh
// GNUPGHOME that holds nothing but the exported public key: what anyone who
// downloads the release can check.
func (s *signer) verifyWithPublicKeyOnly(dir, file, sig string) error {
	v := &signer{home: filepath.Join(dir, "gnupg-verify")}
	if err := os.MkdirAll(v.home, 0o700); err != nil {
		return err
	}
	defer func() { _ = v.cmd("gpgconf", "--kill", "all").Run() }()
	imp := v.cmd("gpg", "--batch", "--import")
	imp.Stdin = strings.NewReader(s.publicKey)
	if out, err := imp.CombinedOutput(); err != nil {
		return fmt.Errorf("gpg --import: %w\n%s", err, out)
	}
	out, err := v.cmd("gpg", "--batch", "--status-fd", "1", "--verify", sig, file).CombinedOutput()
	if err != nil {
		return fmt.Errorf("gpg --verify %s: %w\n%s", filepath.Base(sig), err, out)
	}
	if !strings.Contains(string(out), "[GNUPG:] VALIDSIG "+s.fingerprint) {
		return fmt.Errorf("gpg --verify %s: no VALIDSIG by %s:\n%s", filepath.Base(sig), s.fingerprint, out)
	}
	return nil
}
