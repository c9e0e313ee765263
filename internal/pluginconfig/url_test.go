package pluginconfig

import "testing"

func TestParseURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw      string
		want     URLInfo
		wantFail bool
	}{
		{raw: "http://127.0.0.1:3000/mcp", want: URLInfo{Scheme: "http", Host: "127.0.0.1", Port: 3000, ExplicitPort: true}},
		{raw: "https://plugin.internal/mcp", want: URLInfo{Scheme: "https", Host: "plugin.internal", Port: 443}},
		{raw: "wss://[::1]:9000/ws", want: URLInfo{Scheme: "wss", Host: "::1", Port: 9000, ExplicitPort: true}},
		{raw: "ftp://x/mcp", wantFail: true},
		{raw: "http://:80/mcp", wantFail: true},
		{raw: "http://x:99999/mcp", wantFail: true},
		{raw: "/relative/mcp", wantFail: true},
		{raw: "http://[::1/mcp", wantFail: true},
	}
	for _, c := range cases {
		got, err := ParseURL(c.raw)
		if c.wantFail != (err != nil) || (!c.wantFail && got != c.want) {
			t.Errorf("%s: got %+v, %v", c.raw, got, err)
		}
	}
	if !IsLoopbackOrPrivate("localhost") || !IsLoopbackOrPrivate("10.1.2.3") || IsLoopbackOrPrivate("plugin.example.com") {
		t.Error("loopback/private detection")
	}
}
