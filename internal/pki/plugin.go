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

var dnsLabel = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)

// ValidatePluginName checks the name can stand as a DNS label on its own and
// behind the "mcp-plugin-" prefix.
func ValidatePluginName(name string) error {
	if !dnsLabel.MatchString(name) {
		return fmt.Errorf("plugin name %q cannot be a DNS name: use letters, digits and inner hyphens only", name)
	}
	if max := 63 - len(PluginCommonNamePrefix); len(name) > max {
		return fmt.Errorf("plugin name %q is %d characters; %q must fit a 63-character DNS label, so at most %d", name, len(name), PluginCommonNamePrefix+name, max)
	}
	return nil
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

// ValidateIPAddress checks an IP SAN given as text (IPv4 or IPv6).
func ValidateIPAddress(s string) error {
	if net.ParseIP(s) == nil {
		return fmt.Errorf("%q is not an IP address", s)
	}
	return nil
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
// the host of the plugin URL (as DNS or IP), and any extra names and addresses.
func PluginSANs(name, urlHost string, dnsNames, ipAddresses []string) (SANs, error) {
	dns := append([]string{name, PluginCommonNamePrefix + name, "localhost"}, dnsNames...)
	var ips []net.IP
	for _, s := range ipAddresses {
		if err := ValidateIPAddress(s); err != nil {
			return SANs{}, err
		}
		ips = append(ips, net.ParseIP(s))
	}
	if urlHost != "" {
		if ip := net.ParseIP(urlHost); ip != nil {
			ips = append(ips, ip)
		} else {
			dns = append(dns, urlHost)
		}
	}
	for _, d := range dns {
		if err := ValidateDNSName(d); err != nil {
			return SANs{}, err
		}
	}
	return normalizeSANs(dns, ips), nil
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
