package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/mcptls/terraform-provider-mcptls/internal/provider"
)

// version is set by goreleaser.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	quietDiscardedLogs()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/mcptls/mcptls",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// quietDiscardedLogs switches the SDK's and the provider's logs off when
// Terraform would discard them. Terraform (and OpenTofu) keep a provider's logs
// only when TF_LOG or TF_LOG_PROVIDER is set, and pass their environment to the
// provider; otherwise the framework encodes and writes trace logs for every
// call only for them to be thrown away, a third of the provider's CPU in a plan
// (bench/README.md). Levels the user set explicitly are left alone.
func quietDiscardedLogs() {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, env := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"} {
		if os.Getenv(env) == "" {
			_ = os.Setenv(env, "off")
		}
	}
}
