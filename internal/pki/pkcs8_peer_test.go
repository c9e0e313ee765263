package pki

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Real peers of the encrypted key format: the openssl CLI (OpenSSL 3) and
// Python's ssl module, the gateway's TLS stack.

func lookOpenSSL(t *testing.T) string {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed: this peer test needs the openssl CLI")
	}
	return openssl
}

// lookPython prefers Debian's interpreter, linked against the system OpenSSL.
func lookPython(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: this peer test needs Python's ssl module")
	}
	return python
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	return string(out), err
}

func publicPEM(t *testing.T, pub any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// TestEncryptedKeyOpenSSL: openssl pkey reads what EncryptPrivateKey writes (and
// refuses a wrong passphrase); CheckEncryptedKey, the structural check refresh
// runs on a stored key, accepts what openssl pkcs8 -topk8 writes under PBES2
// (with PBKDF2 or scrypt) and refuses PBES1.
func TestEncryptedKeyOpenSSL(t *testing.T) {
	openssl := lookOpenSSL(t)
	t.Parallel()
	const pass = "pässwörd with spaces, $ and #"
	for _, spec := range []KeySpec{{Algorithm: AlgorithmECDSA, Curve: CurveP256}, {Algorithm: AlgorithmECDSA, Curve: CurveP384}, {Algorithm: AlgorithmEd25519}, {Algorithm: AlgorithmRSA, RSABits: 2048}} {
		t.Run("openssl reads "+specName(spec), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			key := mustKey(t, spec)
			enc, err := EncryptPrivateKey(key, pass)
			if err != nil {
				t.Fatal(err)
			}
			path := writeFile(t, dir, "enc.pem", enc)
			out, err := run(t, openssl, "pkey", "-in", path, "-passin", "pass:"+pass, "-pubout")
			if err != nil {
				t.Fatalf("openssl pkey: %v\n%s", err, out)
			}
			if want := publicPEM(t, key.Public()); out != want {
				t.Errorf("openssl read another key:\n%s\nwant\n%s", out, want)
			}
			out, err = run(t, openssl, "pkey", "-in", path, "-passin", "pass:"+pass+"x", "-noout")
			if err == nil || !strings.Contains(out, "bad decrypt") {
				t.Errorf("openssl with a wrong passphrase: %v\n%s", err, out)
			}
		})
	}

	plainPEM, _ := EncodePrivateKey(mustKey(t, ecdsaSpec()))
	for name, args := range map[string][]string{
		"PBKDF2 aes-256-cbc (openssl's default PRF)": {"-v2", "aes-256-cbc"},
		"PBKDF2 aes-128-cbc hmacWithSHA512":          {"-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA512"},
		"PBKDF2 aes-192-cbc hmacWithSHA1":            {"-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA1"},
		"scrypt":                                     {"-scrypt"},
		"PBES1 (refused)":                            {"-v1", "PBE-SHA1-3DES"},
	} {
		t.Run("openssl writes "+name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			in := writeFile(t, dir, "plain.pem", plainPEM)
			outPath := filepath.Join(dir, "enc.pem")
			out, err := run(t, openssl, append([]string{"pkcs8", "-topk8", "-in", in, "-out", outPath, "-passout", "pass:" + pass}, args...)...)
			if err != nil {
				t.Fatalf("openssl pkcs8: %v\n%s", err, out)
			}
			enc, err := os.ReadFile(outPath)
			if err != nil {
				t.Fatal(err)
			}
			err = CheckEncryptedKey(string(enc))
			if strings.Contains(name, "refused") {
				if err == nil || !strings.Contains(err.Error(), "only PBES2") {
					t.Errorf("PBES1 key: %v", err)
				}
				return
			}
			if err != nil || !IsEncryptedKey(string(enc)) {
				t.Errorf("CheckEncryptedKey = %v, IsEncryptedKey = %v", err, IsEncryptedKey(string(enc)))
			}
		})
	}
}

type pyCase struct {
	Name           string `json:"name"`
	Op             string `json:"op"`
	Cert           string `json:"cert,omitempty"`
	Key            string `json:"key,omitempty"`
	Password       string `json:"password"`
	CA             string `json:"ca,omitempty"`
	ServerCert     string `json:"server_cert,omitempty"`
	ServerKey      string `json:"server_key,omitempty"`
	ServerPassword string `json:"server_password,omitempty"`
	ClientCert     string `json:"client_cert,omitempty"`
	ClientKey      string `json:"client_key,omitempty"`
	ClientPassword string `json:"client_password,omitempty"`
	ServerHostname string `json:"server_hostname,omitempty"`
}

type pyResult struct {
	Name        string `json:"name"`
	OK          bool   `json:"ok"`
	Error       string `json:"error"`
	ServerError string `json:"server_error"`
}

// TestEncryptedKeyPythonSSL: Python's ssl loads encrypted keys with
// load_cert_chain(certfile, keyfile, password), refuses a wrong password, and
// runs a real mTLS handshake where both the plugin server's and the gateway
// client's keys are encrypted, set up as the plugin runtime and the gateway do.
func TestEncryptedKeyPythonSSL(t *testing.T) {
	python := lookPython(t)
	t.Parallel()
	const serverPass, clientPass = "plugin server pässwörd", "gateway-client-passphrase"
	now := time.Now()
	issuer, caPEM, _ := mustCA(t, ecdsaSpec(), now.Add(-time.Hour), 10)
	sans, _ := PluginSANs("DenyListPlugin", "127.0.0.1", nil, nil)
	server, serverKeyPEM := mustLeaf(t, issuer, Request{Profile: ProfileServer, Subject: PluginSubject("DenyListPlugin", DefaultPluginSubject), DNSNames: sans.DNSNames, IPAddresses: sans.IPAddresses, ValidityDays: 5, Now: now.Add(-time.Hour)})
	client, clientKeyPEM := mustLeaf(t, issuer, Request{Profile: ProfileClient, Subject: DefaultGatewaySubject, ValidityDays: 5, Now: now.Add(-time.Hour)})
	encrypt := func(keyPEM, pass string) string {
		key, err := ParsePrivateKey(keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		enc, err := EncryptPrivateKey(key, pass)
		if err != nil {
			t.Fatal(err)
		}
		return enc
	}

	dir := t.TempDir()
	ca := writeFile(t, dir, "ca.crt", caPEM)
	serverCert := writeFile(t, dir, "server.crt", server.CertPEM)
	serverKey := writeFile(t, dir, "server.key", encrypt(serverKeyPEM, serverPass))
	clientCert := writeFile(t, dir, "client.crt", client.CertPEM)
	clientKey := writeFile(t, dir, "client.key", encrypt(clientKeyPEM, clientPass))
	mtls := pyCase{Op: "handshake", CA: ca, ServerCert: serverCert, ServerKey: serverKey, ServerPassword: serverPass,
		ClientCert: clientCert, ClientKey: clientKey, ClientPassword: clientPass, ServerHostname: "mcp-plugin-DenyListPlugin"}
	noClientCert := mtls
	noClientCert.ClientCert, noClientCert.ClientKey, noClientCert.ClientPassword = "", "", ""
	wrongServerPass := mtls
	wrongServerPass.ServerPassword = clientPass

	type want struct {
		ok      bool
		refusal string // in the error when !ok
	}
	cases := map[string]struct {
		c    pyCase
		want want
	}{
		"server key loads":                     {pyCase{Op: "load", Cert: serverCert, Key: serverKey, Password: serverPass}, want{ok: true}},
		"client key loads":                     {pyCase{Op: "load", Cert: clientCert, Key: clientKey, Password: clientPass}, want{ok: true}},
		"server key, wrong password":           {pyCase{Op: "load", Cert: serverCert, Key: serverKey, Password: serverPass + "x"}, want{refusal: "PEM lib"}},
		"client key, empty password":           {pyCase{Op: "load", Cert: clientCert, Key: clientKey, Password: ""}, want{refusal: "PEM lib"}},
		"client key with the server's cert":    {pyCase{Op: "load", Cert: serverCert, Key: clientKey, Password: clientPass}, want{refusal: "KEY_VALUES_MISMATCH|key values mismatch"}},
		"mTLS gateway -> plugin":               {mtls, want{ok: true}},
		"mTLS without a client certificate":    {noClientCert, want{refusal: "certificate required|CERTIFICATE_REQUIRED|PEER_DID_NOT_RETURN_A_CERTIFICATE"}},
		"mTLS server started with a wrong key": {wrongServerPass, want{refusal: "PEM lib"}},
	}
	var input []pyCase
	for name, c := range cases {
		c.c.Name = name
		input = append(input, c.c)
	}
	body, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Join("testdata", "encrypted_key_peer.py"))
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s testdata/encrypted_key_peer.py: %v\n%s%s", python, err, out, stderr.String())
	}
	results := map[string]pyResult{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r pyResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		results[r.Name] = r
	}
	for name, c := range cases {
		r, ok := results[name]
		detail := r.Error + " | server: " + r.ServerError
		t.Logf("%s: ok=%v %s", name, r.OK, detail)
		switch {
		case !ok:
			t.Errorf("%s: no result", name)
		case c.want.ok && !r.OK:
			t.Errorf("%s: failed, want success: %s", name, detail)
		case !c.want.ok && r.OK:
			t.Errorf("%s: succeeded, want a refusal", name)
		case !c.want.ok && !matchesAny(detail, c.want.refusal):
			t.Errorf("%s: refused for another reason than %q: %s", name, c.want.refusal, detail)
		}
	}
}

func matchesAny(s, alternatives string) bool {
	for _, a := range strings.Split(alternatives, "|") {
		if strings.Contains(s, a) {
			return true
		}
	}
	return false
}
