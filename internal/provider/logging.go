package provider

import "os"

// QuietDiscardedLogs switches the SDK's and the provider's logs off when
// Terraform would discard them. Terraform (and OpenTofu) keep a provider's logs
// only when TF_LOG or TF_LOG_PROVIDER is set, and pass their environment to the
// provider; otherwise the framework encodes and writes trace logs for every
// call only for them to be thrown away, a third of the provider's CPU in a plan
// (bench/README.md). Levels the user set explicitly are left alone. Call it
// before serving.
func QuietDiscardedLogs() {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, env := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"} {
		if os.Getenv(env) == "" {
			_ = os.Setenv(env, "off")
		}
	}
}
