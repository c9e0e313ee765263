package pluginconfig

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// URL rules of the gateway's SecurityValidator.validate_url (cpex
// framework/validators.py), applied to mcp.url. The gateway's wording is
// quoted beside each rule; Gateway in a URLError carries it to the user.

// URLInfo is what a plugin URL tells about where the plugin server listens.
type URLInfo struct {
	Scheme string
	Host   string // as urlparse's hostname: lower case
	Port   int    // explicit, else the scheme's default
	// ExplicitPort is false when Port came from the scheme.
	ExplicitPort bool
}

// TLS reports whether the scheme itself asks for TLS.
func (u URLInfo) TLS() bool { return u.Scheme == "https" || u.Scheme == "wss" }

// URLError is a URL the gateway refuses: what is wrong, in the gateway's words, and the fix.
type URLError struct{ Problem, Gateway, Fix string }

func (e *URLError) Error() string {
	return fmt.Sprintf("%s; the gateway refuses it (%q): %s", e.Problem, e.Gateway, e.Fix)
}

// MaxURLLength is _MAX_URL_LENGTH.
const MaxURLLength = 2048

var (
	defaultPorts = map[string]int{"http": 80, "https": 443, "ws": 80, "wss": 443}
	// _DANGEROUS_URL_PATTERNS: refused anywhere in the URL, in any case.
	dangerousProtocol = regexp.MustCompile(`(?i)(javascript|data|vbscript|about|chrome|file|ftp|mailto):`)
	// _DANGEROUS_HTML_PATTERN and _DANGEROUS_JS_PATTERN.
	dangerousHTML = regexp.MustCompile(`(?i)<(script|iframe|object|embed|link|meta|base|form|img|svg|video|audio|source|track|area|map|canvas|applet|frame|frameset|html|head|body|style)\b|</*(script|iframe|object|embed|link|meta|base|form|img|svg|video|audio|source|track|area|map|canvas|applet|frame|frameset|html|head|body|style)>`)
	dangerousJS   = regexp.MustCompile(`(?i)(?:^|\s|["'` + "`" + `<>=])(javascript:|vbscript:|data:\s*[^,]*[;\s]*(javascript|vbscript)|\bon[a-z]+\s*=|<\s*script\b)`)
	// _BLOCKED_NETWORKS, refused while SSRF protection is on.
	ssrfBlocked = mustCIDRs("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16")
)

func mustCIDRs(cidrs ...string) []*net.IPNet {
	out := make([]*net.IPNet, len(cidrs))
	for i, c := range cidrs {
		_, n, err := net.ParseCIDR(c)
		if err != nil {
			panic(err)
		}
		out[i] = n
	}
	return out
}

// SSRFSetting is the gateway's switch for blocking private and loopback IPs.
const SSRFSetting = "PLUGINS_SSRF_PROTECTION_ENABLED"

// checkURL is validate_url; ssrf is PLUGINS_SSRF_PROTECTION_ENABLED.
func checkURL(raw string, ssrf bool) (URLInfo, error) {
	fail := func(problem, gateway, fix string) (URLInfo, error) {
		return URLInfo{}, &URLError{problem, "URL " + gateway, fix}
	}
	if raw == "" {
		return fail("the url is empty", "cannot be empty", "write the plugin server's URL")
	}
	if len(raw) > MaxURLLength {
		return fail(fmt.Sprintf("the url is %d characters long", len(raw)), fmt.Sprintf("exceeds maximum length of %d", MaxURLLength), "shorten it")
	}
	lower := strings.ToLower(raw)
	scheme := ""
	for s := range defaultPorts {
		if strings.HasPrefix(lower, s+"://") {
			scheme = s
		}
	}
	if scheme == "" {
		return fail(fmt.Sprintf("the url's scheme %q is not supported", schemeOf(raw)), "must start with one of: http://, https://, ws://, wss://", "use http, https, ws or wss")
	}
	if dangerousProtocol.MatchString(raw) {
		return fail("the url contains a protocol name such as `data:` or `file:`", "contains unsupported or potentially dangerous protocol", "remove it from the URL")
	}
	if strings.ContainsAny(raw, "[]") {
		return fail("the url has an IPv6 address (or a bracket)", "contains IPv6 address which is not supported", "use an IPv4 address or a host name")
	}
	if strings.ContainsAny(raw, "\r\n") {
		return fail("the url contains a line break", "contains line breaks which are not allowed", "write it on one line")
	}
	if before, _, _ := strings.Cut(raw, "?"); strings.Contains(before, " ") {
		return fail("the url contains a space", "contains spaces which are not allowed in URLs", "remove the space or percent-encode it")
	}
	netloc := raw[len(scheme)+3:]
	if i := strings.IndexAny(netloc, "/?#"); i >= 0 {
		netloc = netloc[:i]
	}
	if netloc == "" {
		return fail("the url has no host", "is not a valid URL", "write scheme://host:port/path")
	}
	hostinfo := netloc
	if i := strings.LastIndex(netloc, "@"); i >= 0 {
		if netloc[:i] != "" && netloc[:i] != ":" {
			return fail("the url contains credentials (user:password@)", "contains credentials which are not allowed", "remove them; authenticate the gateway with its client certificate")
		}
		hostinfo = netloc[i+1:]
	}
	host, portText, hasPort := strings.Cut(hostinfo, ":")
	host = strings.ToLower(host)
	info := URLInfo{Scheme: scheme, Host: host, Port: defaultPorts[scheme]}
	if hasPort && portText != "" {
		port, err := strconv.Atoi(portText)
		switch {
		case err != nil || strings.ContainsAny(portText, "+-"):
			return fail(fmt.Sprintf("the url's port %q is not a number", portText), fmt.Sprintf("Port could not be cast to integer value as '%s'", portText), "write a port from 1 to 65535")
		case port > 65535:
			return fail(fmt.Sprintf("the url's port %d is out of range", port), "Port out of range 0-65535", "write a port from 1 to 65535")
		case port < 1:
			return fail("the url's port is 0", "contains invalid port number", "write a port from 1 to 65535")
		}
		info.Port, info.ExplicitPort = port, true
	}
	if host == "0.0.0.0" {
		return fail("the url's host is 0.0.0.0, which is a bind address, not a destination", "contains invalid IP address (0.0.0.0)", "use the plugin server's address or host name")
	}
	if ip := parseIPv4(host); ip != nil && ssrf && ssrfBlockedIP(ip) {
		return URLInfo{}, &URLError{
			Problem: fmt.Sprintf("the url's host %s is a private, loopback or link-local address", host),
			Gateway: fmt.Sprintf("URL contains IP address blocked by SSRF protection (%s)", host),
			Fix:     fmt.Sprintf("use a host name, or set ssrf_protection = false here and %s=false on the gateway", SSRFSetting),
		}
	}
	if dangerousHTML.MatchString(raw) {
		return fail("the url contains an HTML tag", "contains HTML tags that may cause security issues", "remove it")
	}
	if dangerousJS.MatchString(raw) {
		return fail("the url contains a script pattern", "contains script patterns that may cause security issues", "remove it")
	}
	return info, nil
}

func schemeOf(raw string) string {
	if i := strings.Index(raw, ":"); i > 0 && i < 16 {
		return raw[:i]
	}
	return ""
}

// parseIPv4 is Python's ipaddress.ip_address for the hosts that reach it: IPv4
// in dotted decimal without leading zeros (brackets are refused before).
func parseIPv4(host string) net.IP {
	parts := strings.Split(host, ".")
	if len(parts) != 4 {
		return nil
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 || (len(p) > 1 && p[0] == '0') || strings.Trim(p, "0123456789") != "" {
			return nil
		}
	}
	return net.ParseIP(host).To4()
}

func ssrfBlockedIP(ip net.IP) bool {
	for _, n := range ssrfBlocked {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}
