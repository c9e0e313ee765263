package provider

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// pyPeer is one handshake for testdata/tls_peer.py: the plugin server's files
// and the gateway's, as the deployed env maps name them.
type pyPeer struct {
	Name           string `json:"name"`
	ServerCert     string `json:"server_cert"`
	ServerKey      string `json:"server_key"`
	ServerKeyPass  string `json:"server_key_password,omitempty"`
	ServerCA       string `json:"server_ca"`
	ClientCert     string `json:"client_cert,omitempty"`
	ClientKey      string `json:"client_key,omitempty"`
	ClientKeyPass  string `json:"client_key_password,omitempty"`
	ClientCA       string `json:"client_ca"`
	ServerHostname string `json:"server_hostname"`
	CheckHostname  bool   `json:"check_hostname"`
}

type pyResult struct {
	Name        string `json:"name"`
	OK          bool   `json:"ok"`
	Error       string `json:"error"`
	ServerError string `json:"server_error"`
}

// pythonHandshakes runs the cases with Python's ssl module, set up as the
// gateway and the plugin runtime set it up.
func pythonHandshakes(t *testing.T, cases []pyPeer) map[string]pyResult {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the recipe's handshake needs it")
	}
	input, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "testdata/tls_peer.py")
	cmd.Stdin = bytes.NewReader(input)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tls_peer.py: %v\n%s", err, out)
	}
	results := map[string]pyResult{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r pyResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		results[r.Name] = r
	}
	return results
}
