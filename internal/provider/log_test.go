package provider

import (
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTraceLogHasNoKeyMaterial applies a CA, a gateway and a plugin cert with
// the built provider under TF_LOG_PROVIDER=trace, plans again, and searches the
// log and the CLI output for every private key in state.
func TestTraceLogHasNoKeyMaterial(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, map[string][]byte{"main.tf": []byte(`
terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}

resource "mcptls_ca" "ca" {
  key_algorithm = "RSA"
  rsa_bits      = 2048
}

resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}

resource "mcptls_plugin_cert" "p" {
  name               = "DenyListPlugin"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ED25519"
}

output "client_pem" {
  value     = mcptls_gateway_cert.gw.client_pem
  sensitive = true
}
`)})
	logFile := filepath.Join(w.dir, "trace.log")
	w.env = append(w.env, "TF_LOG_PROVIDER=trace", "TF_LOG_PATH="+logFile)
	cli := w.mustRun("apply", "-auto-approve", "-input=false") + w.mustRun("plan", "-input=false")
	logText, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logText), "issued certificate") {
		t.Fatal("the trace log holds no provider log lines: nothing was checked")
	}
	keys := privateKeysInState(t, filepath.Join(w.dir, "terraform.tfstate"))
	if len(keys) != 5 { // three private_key_pem, and the CA key again in both leaves' ca_private_key_pem
		t.Fatalf("found %d private keys in state, want 5", len(keys))
	}
	for name, text := range map[string]string{"trace log": string(logText), "CLI output": cli} {
		if strings.Contains(text, "PRIVATE KEY-----") {
			t.Errorf("%s holds a PEM private key header", name)
		}
		for _, key := range keys {
			if run := sharedRun(text, key, 16); run != "" {
				t.Errorf("%s holds key material: %q", name, run)
			}
		}
	}
}

// privateKeysInState returns the secret part of the DER body (base64, one
// line) of every private key attribute in a state file.
func privateKeysInState(t *testing.T, stateFile string) []string {
	t.Helper()
	data, err := os.ReadFile(stateFile)
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &state); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range state.Resources {
		for _, inst := range r.Instances {
			for _, attr := range []string{"private_key_pem", "ca_private_key_pem"} {
				text, _ := inst.Attributes[attr].(string)
				if block, _ := pem.Decode([]byte(text)); block != nil {
					body := string(pem.EncodeToMemory(&pem.Block{Type: "K", Bytes: block.Bytes}))
					body = strings.TrimSuffix(strings.TrimPrefix(body, "-----BEGIN K-----\n"), "-----END K-----\n")
					// The first 48 characters are the PKCS#8 header and algorithm
					// identifier, common to every key of a kind: not secret.
					keys = append(keys, strings.ReplaceAll(body, "\n", "")[48:])
				}
			}
		}
	}
	return keys
}

// sharedRun returns the first run of n characters of secret found in text.
func sharedRun(text, secret string, n int) string {
	for i := 0; i+n <= len(secret); i++ {
		if strings.Contains(text, secret[i:i+n]) {
			return secret[i : i+n]
		}
	}
	return ""
}
