package pluginconfig

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// URLInfo is what a plugin URL tells about where the plugin server listens.
type URLInfo struct {
	Scheme string
	Host   string // without brackets for IPv6
	Port   int    // explicit, else the scheme's default
	// ExplicitPort is false when Port came from the scheme.
	ExplicitPort bool
}

// TLS reports whether the scheme itself asks for TLS.
func (u URLInfo) TLS() bool { return u.Scheme == "https" || u.Scheme == "wss" }

var defaultPorts = map[string]int{"http": 80, "https": 443, "ws": 80, "wss": 443}

// ParseURL checks a plugin's mcp.url the way the gateway does: an absolute URL
// with scheme http, https, ws or wss and a host.
func ParseURL(raw string) (URLInfo, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return URLInfo{}, fmt.Errorf("url %q is malformed: %w", raw, unwrapURLError(err))
	}
	scheme := strings.ToLower(u.Scheme)
	def, ok := defaultPorts[scheme]
	if !ok {
		return URLInfo{}, fmt.Errorf("url %q: scheme %q is not supported; use http, https, ws or wss", raw, u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return URLInfo{}, fmt.Errorf("url %q has no host", raw)
	}
	info := URLInfo{Scheme: scheme, Host: host, Port: def}
	if p := u.Port(); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return URLInfo{}, fmt.Errorf("url %q: port %q is out of range 1-65535", raw, p)
		}
		info.Port, info.ExplicitPort = port, true
	}
	return info, nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// IsLoopbackOrPrivate reports hosts that newer gateways refuse unless
// PLUGINS_SSRF_PROTECTION_ENABLED=false.
func IsLoopbackOrPrivate(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified())
}
