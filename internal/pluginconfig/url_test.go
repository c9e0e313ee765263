package pluginconfig

import (
	"strings"
	"testing"
)

func TestURLRules(t *testing.T) {
	t.Parallel()
	ok := []struct {
		raw  string
		want URLInfo
	}{
		{"http://127.0.0.1:3000/mcp", URLInfo{Scheme: "http", Host: "127.0.0.1", Port: 3000, ExplicitPort: true}},
		{"HTTPS://Plugin.Internal/mcp", URLInfo{Scheme: "https", Host: "plugin.internal", Port: 443}},
		{"wss://localhost:9000/ws", URLInfo{Scheme: "wss", Host: "localhost", Port: 9000, ExplicitPort: true}},
		{"https://h/mcp?q=a b", URLInfo{Scheme: "https", Host: "h", Port: 443}},
	}
	for _, c := range ok {
		got, err := checkURL(c.raw, false)
		if err != nil || got != c.want {
			t.Errorf("%s: got %+v, %v", c.raw, got, err)
		}
	}
	refused := map[string]string{
		"ftp://x/mcp":                                "must start with one of",
		"https://h/x?u=file:/etc":                    "potentially dangerous protocol",
		"https://[::1]:8000/mcp":                     "IPv6",
		"https://[fe80::1%25eth0]:8000/mcp":          "IPv6",
		"https://user:secret@h/mcp":                  "credentials",
		"https://0.0.0.0:8000/mcp":                   "0.0.0.0",
		"https://h:99999/mcp":                        "Port out of range 0-65535",
		"https://h:0/mcp":                            "invalid port number",
		"https://h:8o/mcp":                           "could not be cast",
		"https://a b/mcp":                            "spaces",
		"https://h/\nx":                              "line breaks",
		"https://h/<script>":                         "HTML tags",
		"https://" + strings.Repeat("a", 2040) + "/": "maximum length of 2048",
	}
	for raw, want := range refused {
		_, err := checkURL(raw, false)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", raw, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: the message repeats the credentials: %v", raw, err)
		}
	}
}

func TestSSRF(t *testing.T) {
	t.Parallel()
	for host, blocked := range map[string]bool{
		"10.1.2.3": true, "172.16.0.1": true, "172.32.0.1": false, "192.168.1.1": true, "127.0.0.1": true,
		"169.254.169.254": true, "100.64.0.1": false, "8.8.8.8": false, "localhost": false, "010.0.0.1": false,
	} {
		_, err := checkURL("https://"+host+":8000/mcp", true)
		if (err != nil) != blocked {
			t.Errorf("%s: blocked %v, got %v", host, blocked, err)
		}
		if err != nil && !strings.Contains(err.Error(), SSRFSetting) {
			t.Errorf("%s: the error does not name the switch: %v", host, err)
		}
		if _, err := checkURL("https://"+host+":8000/mcp", false); err != nil {
			t.Errorf("%s without SSRF protection: %v", host, err)
		}
	}
}
