package provider

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"regexp"
	"testing"
)

// grpcRow is one gRPC handshake: the server's client_auth, the client's
// certificate and trust, the host it dials, and what must happen.
type grpcRow struct {
	name, clientAuth, client, clientTrusts, host string
	// server is the plugin certificate served ("grpc" when empty); target,
	// when set, is dialled instead of host:port, with PORT the port.
	server, target string
	refusal        string // "" when the call must succeed
}

// grpcMatrix: mTLS between the gateway's gRPC client and a gRPC plugin server,
// each set up as cpex does, with the certificates mcptls issued.
var grpcMatrix = []grpcRow{
	{name: "require", clientAuth: "require", client: "gw", clientTrusts: "gw", host: "localhost"},
	{name: "optional", clientAuth: "optional", client: "gw", clientTrusts: "gw", host: "localhost"},
	{name: "none", clientAuth: "none", client: "gw", clientTrusts: "gw", host: "localhost"},
	// The server ends these handshakes (grpcio reports the closed socket).
	{name: "no client certificate", clientAuth: "require", clientTrusts: "gw", host: "localhost", refusal: `UNAVAILABLE.*(Socket closed|handshake)`},
	{name: "client certificate from another CA", clientAuth: "require", client: "rogue", clientTrusts: "gw", host: "localhost", refusal: `UNAVAILABLE.*(Socket closed|handshake)`},
	{name: "client trusting another CA", clientAuth: "require", client: "gw", clientTrusts: "rogue", host: "localhost", refusal: `certificate verify failed`},
	{name: "target host outside the SANs", clientAuth: "require", client: "gw", clientTrusts: "gw", host: "127.0.0.1", refusal: `Peer name 127.0.0.1 is not in peer certificate`},
	// grpc_target = "ipv4:///127.0.0.1:50051": the IP SAN serves that form.
	{name: "ipv4:/// target", clientAuth: "require", client: "gw", clientTrusts: "gw", server: "grpcv4", target: "ipv4:///127.0.0.1:PORT"},
	// Why mcptls refuses an address list: grpcio checks the whole list as one
	// name, even against a certificate naming every address (the one server
	// listens on 127.0.0.1 only, so the list names it twice).
	{name: "ipv4: list of two addresses", clientAuth: "require", client: "gw", clientTrusts: "gw", server: "grpcv4", target: "ipv4:127.0.0.1:PORT,127.0.0.1:PORT",
		refusal: `Peer name 127\.0\.0\.1:\d+,127\.0\.0\.1:\d+ is not in peer certificate`},
}

// TestAccPeers_grpc runs the matrix with grpcio (Debian's python3-grpcio, which
// .ci/run installs) against a plugin certificate issued for grpc_target.
func TestAccPeers_grpc(t *testing.T) {
	t.Parallel()
	if err := exec.Command("/usr/bin/python3", "-c", "import grpc").Run(); err != nil {
		t.Skip("python3-grpcio is not installed (apt-get install python3-grpcio; .ci/run does): skipping the gRPC handshakes")
	}
	files := applyPeers(t)
	var rows []map[string]any
	for _, r := range grpcMatrix {
		server := r.server
		if server == "" {
			server = "grpc"
		}
		row := map[string]any{
			"name": r.name, "client_auth": r.clientAuth, "host": r.host, "target": r.target,
			"server_cert": files.cert(server), "server_key": files.key(server), "server_ca": files.ca(server),
			"client_ca": files.ca(r.clientTrusts),
		}
		if r.client != "" {
			row["client_cert"], row["client_key"] = files.cert(r.client), files.key(r.client)
		}
		rows = append(rows, row)
	}
	input, _ := json.Marshal(rows)
	cmd := exec.Command("/usr/bin/python3", "testdata/grpc_peer.py")
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("grpc_peer.py: %v\n%s", err, stderr.String())
	}
	var results []struct {
		Name  string `json:"name"`
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(grpcMatrix) {
		t.Fatalf("%v: %s", err, out)
	}
	passed := 0
	for i, r := range grpcMatrix {
		got := results[i]
		switch {
		case r.refusal == "" && !got.OK:
			t.Errorf("%s: refused: %s", r.name, got.Error)
		case r.refusal != "" && (got.OK || !regexp.MustCompile(r.refusal).MatchString(got.Error)):
			t.Errorf("%s: want a refusal matching %q, got ok=%v %q", r.name, r.refusal, got.OK, got.Error)
		default:
			passed++
		}
	}
	t.Logf("%d of %d gRPC handshakes as expected", passed, len(grpcMatrix))
}
