package provider

import (
	"os"
	"testing"
)

// Not parallel: it changes the process environment (t.Setenv restores it).
func TestQuietDiscardedLogs(t *testing.T) {
	levels := []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"}
	reset := func(tfLog string) {
		t.Setenv("TF_LOG", tfLog)
		for _, env := range levels {
			t.Setenv(env, "")
		}
	}

	reset("")
	t.Setenv("TF_LOG_SDK_PROTO", "debug") // set by the user: kept
	QuietDiscardedLogs()
	for env, want := range map[string]string{"TF_LOG_SDK": "off", "TF_LOG_SDK_FRAMEWORK": "off", "TF_LOG_PROVIDER": "off", "TF_LOG_SDK_PROTO": "debug"} {
		if got := os.Getenv(env); got != want {
			t.Errorf("without TF_LOG: %s=%q, want %q", env, got, want)
		}
	}

	for _, enabled := range []string{"TF_LOG", "TF_LOG_PROVIDER"} {
		reset("")
		t.Setenv(enabled, "trace")
		QuietDiscardedLogs()
		if got := os.Getenv("TF_LOG_SDK_FRAMEWORK"); got != "" {
			t.Errorf("with %s set, TF_LOG_SDK_FRAMEWORK=%q, want it left unset", enabled, got)
		}
	}
}
