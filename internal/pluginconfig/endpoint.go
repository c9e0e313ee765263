package pluginconfig

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// Endpoint is where the gateway reaches a plugin server over the network,
// read once from an MCP url or a gRPC target, and everything mcptls derives
// from it: the hosts a server certificate must name, the port, whether the
// gateway talks TLS there. The data source, mcptls_plugin_cert, the YAML
// functions and the YAML renderers all read endpoints through this type, so
// a plugin in tls_plugins is one mcptls_plugin_cert accepts.
type Endpoint struct {
	Transport string // TransportMCP or TransportGRPC
	// Scheme is the URL's (http, https, ws, wss), or the gRPC target's URI
	// scheme (dns, ipv4, ipv6, unix, unix-abstract; "" for host:port).
	Scheme string
	// Hosts are what a server certificate must name: lower-case host names
	// and IP addresses as written; more than one only for an ipv4:/ipv6:
	// address list; none for a Unix socket.
	Hosts []string
	Port  int
	// ExplicitPort is false when Port is the scheme's default.
	ExplicitPort bool
	// Socket is a gRPC target on a Unix socket (unix:, unix-abstract:).
	Socket bool
	// serverName is the name grpcio checks the server's certificate against
	// for an ipv4:/ipv6: address list: the whole list as written.
	serverName string
}

// Host is the first host, "" for none.
func (e Endpoint) Host() string {
	if len(e.Hosts) == 0 {
		return ""
	}
	return e.Hosts[0]
}

// TLS is true when the gateway talks TLS to the endpoint: an https or wss
// URL; for gRPC every target, since the gateway's gRPC client applies
// grpc.tls (or PLUGINS_GRPC_CLIENT_MTLS_*, which mcptls fills) to any target.
func (e Endpoint) TLS() bool {
	if e.Transport == TransportGRPC {
		return true
	}
	return e.Scheme == "https" || e.Scheme == "wss"
}

// CarriesCertificate is true when a server certificate can serve the
// endpoint: TLS to a host a SAN can name. A Unix socket cannot (the plugin
// server refuses TLS on one), nor an endpoint without a host.
func (e Endpoint) CarriesCertificate() bool { return e.TLS() && e.SANCheck() == nil }

// SANCheck is why a host of the endpoint cannot be a SAN, or nil.
func (e Endpoint) SANCheck() error {
	if e.Socket {
		return fmt.Errorf("a gRPC target on a Unix socket cannot carry a certificate: the plugin server refuses TLS on a Unix socket, while the gateway's gRPC client uses TLS on every target; use grpc.uds for a socket (no TLS), or a host:port target")
	}
	if len(e.Hosts) > 1 {
		// Measured with grpcio 1.51: "Peer name 127.0.0.1:P,127.0.0.2:P is
		// not in peer certificate" for a certificate naming both addresses.
		return fmt.Errorf("an %s: target with %d addresses cannot carry a certificate: the gateway's gRPC client (grpcio) checks the server's certificate against the whole list as one name (%q), which no certificate can hold, so every TLS handshake fails "+
			"(cpex 0.1.3 sets no ssl_target_name_override that could change the name): give one address (%s:%s), or a DNS name that resolves to all of them (dns:///plugins.example.com:%d), which the certificate then names",
			e.Scheme, len(e.Hosts), e.serverName, e.Scheme, firstAddress(e), e.Port)
	}
	return pki.ValidateSANHost(e.Host())
}

// firstAddress is the first address of a list target as written.
func firstAddress(e Endpoint) string {
	first, _, _ := strings.Cut(e.serverName, ",")
	return first
}

// MCPEndpoint reads an MCP url as the gateway's validate_url does (every rule
// but SSRF protection, which depends on the gateway's setting). Messages
// never repeat the URL's credentials.
func MCPEndpoint(raw string) (Endpoint, error) {
	u, err := checkURL(raw, false)
	if err != nil {
		return Endpoint{}, err
	}
	return u.endpoint(), nil
}

func (u URLInfo) endpoint() Endpoint {
	e := Endpoint{Transport: TransportMCP, Scheme: u.Scheme, Port: u.Port, ExplicitPort: u.ExplicitPort}
	if u.Host != "" {
		e.Hosts = []string{connectHost(u.Host)}
	}
	return e
}

// connectHost is the name the gateway's HTTP client (httpx) connects to and
// checks the certificate against: an internationalized name in its IDNA
// form (httpx's encode_host: idna.encode(host.lower())), so bücher.example
// is xn--bcher-kva.example. A name IDNA refuses stays as written (httpx
// refuses it: "Invalid IDNA hostname"), and no SAN can hold it.
func connectHost(host string) string {
	for i := 0; i < len(host); i++ {
		if host[i] >= utf8.RuneSelf {
			if a, err := idna.Registration.ToASCII(host); err == nil {
				return a
			}
			return host
		}
	}
	return host
}

// DefaultTargetPort is grpcio's port for a dns target without one.
const DefaultTargetPort = 443

// GRPCEndpoint reads a gRPC target in every form the gateway's gRPC client
// (grpcio) accepts: host:port and [v6]:port, dns:host:port,
// dns:///host:port and dns://authority/host:port, ipv4:a.b.c.d:port and
// ipv4:///a.b.c.d:port (a comma-separated list, which reads but can carry
// no certificate: SANCheck), ipv6:[addr]:port (a list too), unix:path,
// unix:///path and unix-abstract:name. The gateway only checks that the
// target holds a `:`; an error here is what grpcio would fail on.
func GRPCEndpoint(target string) (Endpoint, error) {
	e := Endpoint{Transport: TransportGRPC}
	if !strings.Contains(target, ":") {
		return e, fmt.Errorf("gRPC target %q has no port (the gateway: \"gRPC target must be in host:port format\"): write host:port", target)
	}
	scheme, rest, hasScheme := strings.Cut(target, ":")
	switch {
	case hasScheme && (scheme == "unix" || scheme == "unix-abstract"):
		e.Scheme, e.Socket = scheme, true
		if strings.TrimLeft(rest, "/") == "" {
			return e, fmt.Errorf("gRPC target %q names no socket", target)
		}
		return e, nil
	case hasScheme && (scheme == "ipv4" || scheme == "ipv6"):
		e.Scheme = scheme
		// ipv4:///a:p is ipv4:a:p with an empty authority; grpcio connects
		// to both (measured), and refuses any other authority.
		rest = strings.TrimPrefix(rest, "///")
		e.serverName = rest
		for _, addr := range strings.Split(rest, ",") {
			host, port, err := hostPort(addr, false)
			if err != nil {
				return e, fmt.Errorf("gRPC target %q: %w", target, err)
			}
			ip := net.ParseIP(host)
			if ip == nil || (scheme == "ipv4") != (ip.To4() != nil && !strings.Contains(host, ":")) {
				return e, fmt.Errorf("gRPC target %q: %q is not an %s address", target, host, map[string]string{"ipv4": "IPv4", "ipv6": "IPv6"}[scheme])
			}
			e.Hosts = append(e.Hosts, host)
			if e.Port == 0 {
				e.Port = port
			}
		}
		e.ExplicitPort = true
		return e, nil
	case hasScheme && scheme == "dns":
		e.Scheme = "dns"
		if strings.HasPrefix(rest, "//") {
			_, path, ok := strings.Cut(rest[2:], "/")
			if !ok {
				return e, fmt.Errorf("gRPC target %q has no host after dns://authority/", target)
			}
			rest = path
		}
	default:
		rest = target
	}
	host, port, err := hostPort(rest, true)
	if err != nil {
		return e, fmt.Errorf("gRPC target %q: %w", target, err)
	}
	e.Hosts, e.Port, e.ExplicitPort = []string{strings.ToLower(host)}, port, port != 0
	if port == 0 {
		e.Port = DefaultTargetPort
	}
	return e, nil
}

// hostPort splits host:port or [v6]:port; the port may be left out when
// optional (0 then).
func hostPort(s string, optional bool) (string, int, error) {
	host, portText, err := net.SplitHostPort(s)
	if err != nil {
		if !optional || strings.Count(s, ":") > 0 && !strings.HasPrefix(s, "[") {
			return "", 0, fmt.Errorf("%q is not host:port", s)
		}
		host, portText = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"), ""
	}
	if host == "" || strings.ContainsAny(host, "/ \t") {
		return "", 0, fmt.Errorf("%q has no host", s)
	}
	if portText == "" {
		if !optional {
			return "", 0, fmt.Errorf("%q has no port", s)
		}
		return host, 0, nil
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("port %q is not from 1 to 65535", portText)
	}
	return host, port, nil
}

// warnEndpoint says, at the url or target, why a TLS endpoint gets no
// certificate (so its plugin is not in tls_plugins), or what a host with
// `_` means for clients: the words mcptls_plugin_cert uses for the same
// url or grpc_target.
func (p *parser) warnEndpoint(n *node, e Endpoint, at string) {
	if err := e.SANCheck(); err != nil {
		p.warnAt(n, "%s: %v; mcptls leaves the plugin out of tls_plugins (no certificate, no tls block), as mcptls_plugin_cert refuses it", at, err)
		return
	}
	if w := pki.SANHostWarning(e.Host()); w != "" {
		p.warnAt(n, "%s: %s", at, w)
	}
}
