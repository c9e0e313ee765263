package envmap

import (
	"errors"
	"strconv"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// FieldError is a problem with one field of an input, named as the
// function argument or attribute that carries it ("cert_dir", "port").
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// field tags err with the field at fault; nil stays nil.
func field(name string, err error) error {
	if err == nil {
		return nil
	}
	return &FieldError{Field: name, Err: err}
}

// FieldOf names the field an error is about, "" when it names none.
func FieldOf(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}

// Listener is what both kinds of plugin server share: which plugin, where
// its files are, where it binds and how strictly it asks for the gateway's
// certificate. Server (MCP) and GRPCServer embed it.
type Listener struct {
	CertDir  string
	Plugin   string
	Host     string
	Port     int
	CertReqs int // ssl_cert_reqs: 0 none, 1 optional, 2 required
}

// validate checks each field in the order the functions take them; checkPort
// is the transport's port rule.
func (l Listener) validate(checkPort func(int) error) error {
	for _, check := range []error{
		field("name", pki.ValidatePluginName(l.Plugin)),
		field("cert_dir", ValidateCertDir(l.CertDir)),
		field("host", ValidateHost(l.Host)),
		field("port", checkPort(l.Port)),
		field("ssl_cert_reqs", ValidateCertReqs(l.CertReqs)),
	} {
		if check != nil {
			return check
		}
	}
	return nil
}

// env renders the variables both servers have, under prefix.
func (l Listener) env(prefix string) map[string]string {
	files := Layout{l.CertDir}
	return map[string]string{
		prefix + "HOST":         l.Host,
		prefix + "PORT":         strconv.Itoa(l.Port),
		prefix + "SSL_ENABLED":  "true",
		prefix + "SSL_KEYFILE":  files.PluginKey(l.Plugin),
		prefix + "SSL_CERTFILE": files.PluginCert(l.Plugin),
		prefix + "SSL_CA_CERTS": files.PluginCA(l.Plugin),
	}
}

// clientEnv renders the variables both of the gateway's client sets have,
// under prefix.
func clientEnv(prefix, certDir string, verify bool) map[string]string {
	files := Layout{certDir}
	return map[string]string{
		prefix + "CERTFILE":  files.GatewayCert(),
		prefix + "KEYFILE":   files.GatewayKey(),
		prefix + "CA_BUNDLE": files.GatewayCA(),
		prefix + "VERIFY":    strconv.FormatBool(verify),
	}
}
