package pki

import (
	"fmt"
	"net"
	"regexp"
	"sort"
	"strings"
)

// Subject defaults, as the gateway's Makefile writes them today.
var (
	DefaultCASubject      = Subject{CommonName: "ContextForge-CA", Organization: "ContextForge", OrganizationalUnit: "Plugins"}
	DefaultGatewaySubject = Subject{CommonName: "mcp-gateway-client", Organization: "MCPGateway", OrganizationalUnit: "Gateway"}
	DefaultPluginSubject  = Subject{Organization: "MCPGateway", OrganizationalUnit: "Plugins"}
)

// PluginCommonNamePrefix makes the plugin's CN and its second DNS SAN.
const PluginCommonNamePrefix = "mcp-plugin-"

var (
	dnsLabel = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)
	// pathSafeName is what the gateway's Makefile can turn into a directory
	// and a SAN entry: no separators, spaces, commas or control characters.
	pathSafeName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
)

// maxPluginName keeps "mcp-plugin-<name>" within the 64 characters of a CN.
const maxPluginName = 64 - len(PluginCommonNamePrefix)

// ValidatePluginName checks the name can be a directory of the certs/mcp tree
// and a SAN entry, as the gateway's Makefile uses it.
func ValidatePluginName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("plugin name is empty")
	case name == "." || name == "..":
		return fmt.Errorf("plugin name %q would be a directory outside plugins/: rename the plugin", name)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("plugin name %q starts with `.`, which makes plugins/%s a hidden directory and an empty first DNS label in its SANs: rename the plugin", name, name)
	case strings.Contains(name, "..") || strings.HasSuffix(name, "."):
		return fmt.Errorf("plugin name %q has an empty DNS label (`..` or a final `.`), which no SAN can hold: rename the plugin", name)
	case !pathSafeName.MatchString(name):
		return fmt.Errorf("plugin name %q cannot be a directory of the certs/mcp tree and a SAN: use letters, digits, `.`, `_` and `-` only (no `/`, spaces, commas or control characters)", name)
	case len(name) > maxPluginName:
		return fmt.Errorf("plugin name %q is %d characters; %q must fit the 64 characters of a common name, so at most %d", name, len(name), PluginCommonNamePrefix+name, maxPluginName)
	}
	return nil
}

// PluginNameHostWarning says what a client cannot do with a name the gateway
// and the Makefile accept but DNS does not (My_Plugin): "" for a valid name.
func PluginNameHostWarning(name string) string {
	if ValidateDNSName(name) == nil && ValidateDNSName(PluginCommonNamePrefix+name) == nil {
		return ""
	}
	return fmt.Sprintf("plugin name %q is not a valid DNS name, so the SANs %q and %q (the Makefile's) match no host a client can resolve, "+
		"and clients that check host names strictly refuse them: connect by the plugin URL's host or by localhost, or add a DNS name with dns_names",
		name, name, PluginCommonNamePrefix+name)
}

// ValidateDNSName checks a SAN DNS name (wildcard allowed in the first label).
func ValidateDNSName(name string) error {
	labels := strings.Split(strings.TrimSuffix(name, "."), ".")
	if len(name) == 0 || len(name) > 253 {
		return fmt.Errorf("%q is not a valid DNS name", name)
	}
	for i, l := range labels {
		if i == 0 && l == "*" && len(labels) > 1 {
			continue
		}
		if len(l) > 63 || !dnsLabel.MatchString(l) {
			return fmt.Errorf("%q is not a valid DNS name", name)
		}
	}
	return nil
}

// ValidateIPAddress checks an IP SAN given as text (IPv4 or IPv6). An
// IPv4-mapped IPv6 address would be stored as its IPv4 form, which a client
// connecting to the IPv6 form does not match.
func ValidateIPAddress(s string) error {
	ip := net.ParseIP(s)
	switch {
	case ip == nil:
		return fmt.Errorf("%q is not an IP address", s)
	case ip.To4() != nil && strings.Contains(s, ":"):
		return fmt.Errorf("%q is an IPv4-mapped IPv6 address: write it as %s", s, ip.To4())
	}
	return nil
}

// sanLabel is a label a SAN can hold as the gateway's Makefile writes them:
// a DNS label, or one with `_` (Docker and Compose service names have them;
// Python's ssl and OpenSSL match such names, strict clients do not).
var sanLabel = regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?$`)

// ValidateSANHost checks that the host of a plugin URL or gRPC target can be a
// SAN a client matches: an IP address or a host name, no wildcard, no empty
// label. A name with `_` passes (SANHostWarning says what it means).
func ValidateSANHost(host string) error {
	if host == "" {
		return fmt.Errorf("it has no host: write the plugin server's host name or IP address")
	}
	if net.ParseIP(host) != nil {
		return ValidateIPAddress(host)
	}
	if strings.Contains(host, "*") {
		return fmt.Errorf("host %q is a wildcard pattern, not a host a client connects to", host)
	}
	if len(host) > 253 {
		return fmt.Errorf("%q is not a valid DNS name", host)
	}
	for _, l := range strings.Split(strings.TrimSuffix(host, "."), ".") {
		if len(l) > 63 || !sanLabel.MatchString(l) {
			return fmt.Errorf("%q is not a valid DNS name", host)
		}
	}
	return nil
}

// SANHostWarning says what a client can do with a host SAN that is no valid
// DNS name (a `_` in it); "" for a valid one.
func SANHostWarning(host string) string {
	if net.ParseIP(host) != nil || ValidateDNSName(host) == nil {
		return ""
	}
	return fmt.Sprintf("host %q is not a valid DNS name (it has a `_`): the certificate names it as the gateway's Makefile would, and Python's ssl (the gateway's and cpex's clients) matches it, "+
		"but clients that check host names strictly refuse it: give the plugin server a host name without `_` if another client connects to it", host)
}

// PluginSubject is the server certificate's subject for a plugin.
func PluginSubject(name string, base Subject) Subject {
	base.CommonName = PluginCommonNamePrefix + name
	return base
}

// SANs is a certificate's subject alternative names, kept sorted and unique so two
// sets compare with ==.
type SANs struct {
	DNSNames    []string
	IPAddresses []net.IP
}

// PluginSANs builds the plugin server SANs: the name, mcp-plugin-<name>, localhost,
// the host of the plugin URL or gRPC target (as DNS or IP), and any extra
// names and addresses. The name-based two are the Makefile's even when they
// are no valid DNS names (PluginNameHostWarning says what that means).
func PluginSANs(name, urlHost string, dnsNames, ipAddresses []string) (SANs, error) {
	if err := ValidatePluginName(name); err != nil {
		return SANs{}, err
	}
	dns := append([]string{"localhost"}, dnsNames...)
	var ips []net.IP
	for _, s := range ipAddresses {
		if err := ValidateIPAddress(s); err != nil {
			return SANs{}, err
		}
		ips = append(ips, net.ParseIP(s))
	}
	for _, d := range dns {
		if err := ValidateDNSName(d); err != nil {
			return SANs{}, err
		}
	}
	if urlHost != "" {
		if err := ValidateSANHost(urlHost); err != nil {
			return SANs{}, err
		}
		if ip := net.ParseIP(urlHost); ip != nil {
			ips = append(ips, ip)
		} else {
			dns = append(dns, urlHost)
		}
	}
	return normalizeSANs(append([]string{name, PluginCommonNamePrefix + name}, dns...), ips), nil
}

// SANsOf reads the SANs of an issued certificate in the same normal form.
func SANsOf(dns []string, ips []net.IP) SANs { return normalizeSANs(dns, ips) }

// Equal reports whether two normalized SAN sets are the same.
func (s SANs) Equal(o SANs) bool {
	if len(s.DNSNames) != len(o.DNSNames) || len(s.IPAddresses) != len(o.IPAddresses) {
		return false
	}
	for i := range s.DNSNames {
		if !strings.EqualFold(s.DNSNames[i], o.DNSNames[i]) {
			return false
		}
	}
	for i := range s.IPAddresses {
		if !s.IPAddresses[i].Equal(o.IPAddresses[i]) {
			return false
		}
	}
	return true
}

func normalizeSANs(dns []string, ips []net.IP) SANs {
	seenDNS := map[string]bool{}
	var outDNS []string
	for _, d := range dns {
		d = strings.TrimSuffix(d, ".")
		if key := strings.ToLower(d); !seenDNS[key] {
			seenDNS[key] = true
			outDNS = append(outDNS, d)
		}
	}
	// DNS names compare case-insensitively; the spelling given first is kept.
	sort.Slice(outDNS, func(i, j int) bool { return strings.ToLower(outDNS[i]) < strings.ToLower(outDNS[j]) })
	seenIP := map[string]bool{}
	var outIP []net.IP
	for _, ip := range ips {
		if v4 := ip.To4(); v4 != nil {
			ip = v4
		}
		if !seenIP[ip.String()] {
			seenIP[ip.String()] = true
			outIP = append(outIP, ip)
		}
	}
	sort.Slice(outIP, func(i, j int) bool { return outIP[i].String() < outIP[j].String() })
	return SANs{DNSNames: outDNS, IPAddresses: outIP}
}
