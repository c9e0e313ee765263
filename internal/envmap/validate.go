package envmap

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Every value of an env map ends up in a compose file, a Kubernetes manifest
// or a shell: a line break or NUL in one would inject another variable. These
// checks refuse such values where they enter.

// ValidateValue refuses control characters (line breaks, NUL, escape, DEL).
func ValidateValue(what, value string) error {
	if i := strings.IndexFunc(value, unicode.IsControl); i >= 0 {
		return fmt.Errorf("%s contains a control character (%q at byte %d): it would break or inject lines in an env file; remove it", what, value[i], i)
	}
	return nil
}

// ValidateCertDir checks the root of the certs/mcp tree as a deploy sees it.
func ValidateCertDir(dir string) error {
	if dir == "" {
		return errors.New("cert_dir must not be empty: use \".\" for the working directory")
	}
	if err := ValidateValue("cert_dir", dir); err != nil {
		return err
	}
	for _, seg := range strings.Split(strings.ReplaceAll(dir, `\`, "/"), "/") {
		if seg == ".." {
			return fmt.Errorf("cert_dir %q contains `..`, which would be resolved away in the paths: write the directory without it", dir)
		}
	}
	return nil
}

// ValidateHost checks a bind address.
func ValidateHost(host string) error {
	if host == "" {
		return errors.New("host must not be empty: use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)")
	}
	if err := ValidateValue("host", host); err != nil {
		return err
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("host %q is not an address or host name", host)
	}
	return nil
}

// ValidateCertReqs checks ssl_cert_reqs, Python's ssl.VerifyMode values.
func ValidateCertReqs(reqs int) error {
	if reqs < 0 || reqs > 2 {
		return fmt.Errorf("ssl_cert_reqs must be 0 (CERT_NONE), 1 (CERT_OPTIONAL) or 2 (CERT_REQUIRED), got %d", reqs)
	}
	return nil
}

// ValidatePort leaves room for the MCP server's health port at port+1000.
func ValidatePort(port int) error {
	if max := 65535 - HealthPortOffset; port < 1 || port > max {
		return fmt.Errorf("port must be between 1 and %d so the health port (port+%d) is valid, got %d", max, HealthPortOffset, port)
	}
	return nil
}

// ValidateGRPCPort checks a gRPC server port (no health port beside it).
func ValidateGRPCPort(port int) error {
	if port < 1 || port > 65535 {
		return fmt.Errorf("port must be between 1 and 65535, got %d", port)
	}
	return nil
}
