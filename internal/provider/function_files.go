package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

var (
	caFilesType      = map[string]attr.Type{"cert_pem": types.StringType, "private_key_pem": types.StringType}
	gatewayFilesType = map[string]attr.Type{"cert_pem": types.StringType, "private_key_pem": types.StringType, "trust_bundle_pem": types.StringType, "client_pem": types.StringType}
	pluginFilesType  = map[string]attr.Type{"name": types.StringType, "cert_pem": types.StringType, "private_key_pem": types.StringType, "trust_bundle_pem": types.StringType}
	fileType         = types.ObjectType{AttrTypes: map[string]attr.Type{"content": types.StringType, "mode": types.StringType}}
)

// newFilesFunction renders the guide's certs/mcp tree from the certificates,
// for hashicorp/local (or any writer): nothing is stored twice in mcptls's
// state.
func newFilesFunction() function.Function {
	return adapter{
		name:    "files",
		summary: "The certs/mcp tree as files: relative path to content and mode.",
		description: "Renders what `make certs-mcp-all` writes: ca/ca.crt (and ca/ca.key when the CA's key is in state), gateway/client.crt, client.key, client.pem and ca.crt, " +
			"plugins/<name>/server.crt, server.key and ca.crt. Keys and client.pem get mode 0600, certificates 0644; each ca.crt holds the party's trust_bundle_pem. " +
			"Pass the resources themselves: mcptls_ca.this, mcptls_gateway_cert.this (or null) and mcptls_plugin_cert.this (a for_each map). The result is sensitive: " +
			"iterate over nonsensitive(keys(...)) to write it.",
		params: []function.Parameter{
			function.ObjectParameter{Name: "ca", AttributeTypes: caFilesType, AllowUnknownValues: true, Description: "The CA: cert_pem and private_key_pem (null when the CA brings its own key)."},
			function.ObjectParameter{Name: "gateway", AttributeTypes: gatewayFilesType, AllowNullValue: true, AllowUnknownValues: true, Description: "The gateway certificate, or null."},
			function.MapParameter{Name: "plugins", ElementType: types.ObjectType{AttrTypes: pluginFilesType}, AllowUnknownValues: true, Description: "The plugin certificates, by any key: each one's name names its directory."},
		},
		ret: function.MapReturn{ElementType: fileType},
		run: func(_ context.Context, a arguments) (any, error) {
			return files(a.object("ca"), a.object("gateway"), a.objectMap("plugins"))
		},
	}
}

// files renders the tree even before the certificates exist: the paths
// follow from the plugin names and from which keys will be there, so a plan
// can for_each over them while the contents are still unknown.
func files(ca, gateway types.Object, plugins types.Map) (types.Map, error) {
	if ca.IsUnknown() || gateway.IsUnknown() || plugins.IsUnknown() {
		return types.MapUnknown(fileType), nil
	}
	// Each file's content, still a Terraform value: it may be unknown.
	contents := map[string]types.String{}
	tree := map[string]envmap.Certificate{}
	certificate := func(o types.Object, prefix string, names ...string) envmap.Certificate {
		// Placeholders stand for the values, so envmap lays out the tree; the
		// values themselves are looked up again below.
		var c envmap.Certificate
		fields := []*string{&c.CertPEM, &c.KeyPEM, &c.BundlePEM, &c.ClientPEM}
		for i, name := range names {
			if name == "" {
				continue
			}
			v, _ := o.Attributes()[name].(types.String)
			if v.IsNull() {
				continue
			}
			placeholder := prefix + "/" + name
			contents[placeholder] = v
			*fields[i] = placeholder
		}
		return c
	}
	caFiles := certificate(ca, "ca", "cert_pem", "private_key_pem")
	var gw *envmap.Certificate
	if !gateway.IsNull() {
		g := certificate(gateway, "gateway", "cert_pem", "private_key_pem", "trust_bundle_pem", "client_pem")
		gw = &g
	}
	elements := plugins.Elements()
	keys := make([]string, 0, len(elements))
	for key := range elements {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	keyOf := map[string]string{} // plugin name -> the key that gave it
	for _, key := range keys {
		o, _ := elements[key].(types.Object)
		name, _ := o.Attributes()["name"].(types.String)
		if name.IsUnknown() || o.IsUnknown() {
			return types.MapUnknown(fileType), nil
		}
		if err := pki.ValidatePluginName(name.ValueString()); err != nil {
			return types.Map{}, &envmap.FieldError{Field: "plugins", Err: fmt.Errorf("plugins[%q]: %w", key, err)}
		}
		if first, dup := keyOf[name.ValueString()]; dup {
			return types.Map{}, &envmap.FieldError{Field: "plugins", Err: fmt.Errorf("plugins[%q] and plugins[%q] are both plugin %q: each writes plugins/%s/, so one certificate would overwrite the other; give each plugin a name of its own",
				first, key, name.ValueString(), name.ValueString())}
		}
		keyOf[name.ValueString()] = key
		tree[name.ValueString()] = certificate(o, "plugins/"+key, "cert_pem", "private_key_pem", "trust_bundle_pem")
	}
	out := map[string]attr.Value{}
	for p, f := range envmap.Tree(caFiles, gw, tree) {
		out[p] = types.ObjectValueMust(fileType.AttrTypes, map[string]attr.Value{"content": contents[f.Content], "mode": types.StringValue(f.Mode)})
	}
	return types.MapValueMust(fileType, out), nil
}

// newMountedEnvFunction points an env map at a mounted Kubernetes TLS secret.
func newMountedEnvFunction() function.Function {
	return adapter{
		name:    "mounted_env",
		summary: "An env map whose file paths point at a mounted Kubernetes TLS secret.",
		description: "Takes any env map of this provider (client_env, grpc_client_env, server_env) and the directory a secret with tls.crt, tls.key and ca.crt is mounted at; " +
			"every *_CERTFILE, *_KEYFILE, *_CA_BUNDLE and *_CA_CERTS variable then points into it. Other variables are kept.",
		params: []function.Parameter{
			function.MapParameter{Name: "env", ElementType: types.StringType, Description: "An env map of this provider."},
			function.StringParameter{Name: "mount_dir", Description: "Where the secret is mounted: no control characters, no `..`."},
		},
		ret: envMap,
		run: func(_ context.Context, a arguments) (any, error) {
			if err := envmap.ValidateCertDir(a.str("mount_dir")); err != nil {
				return nil, &envmap.FieldError{Field: "mount_dir", Err: err}
			}
			return envmap.Mounted(a.stringMap("env"), a.str("mount_dir")), nil
		},
	}
}
