package provider

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
	"github.com/mcptls/terraform-provider-mcptls/internal/safefile"
)

// CertFields are the values every certificate resource holds (see certAttributes).
type CertFields struct {
	ID                 types.String     `tfsdk:"id"`
	Organization       types.String     `tfsdk:"organization"`
	OrganizationalUnit types.String     `tfsdk:"organizational_unit"`
	ValidityDays       WholeNumberValue `tfsdk:"validity_days"`
	EarlyRenewalDays   WholeNumberValue `tfsdk:"early_renewal_days"`
	KeyAlgorithm       types.String     `tfsdk:"key_algorithm"`
	RSABits            WholeNumberValue `tfsdk:"rsa_bits"`
	ECDSACurve         types.String     `tfsdk:"ecdsa_curve"`
	CertPEM            types.String     `tfsdk:"cert_pem"`
	PrivateKeyPEM      types.String     `tfsdk:"private_key_pem"`
	SerialNumber       types.String     `tfsdk:"serial_number"`
	NotBefore          types.String     `tfsdk:"not_before"`
	NotAfter           types.String     `tfsdk:"not_after"`
	ReadyForRenewal    types.Bool       `tfsdk:"ready_for_renewal"`
}

// LeafFields are the values of certificates signed by the CA (see leafAttributes).
type LeafFields struct {
	CACertPEM                     types.String     `tfsdk:"ca_cert_pem"`
	CAPrivateKeyPEM               types.String     `tfsdk:"ca_private_key_pem"`
	CAPrivateKeyPEMWO             types.String     `tfsdk:"ca_private_key_pem_wo"`
	TrustBundlePEM                types.String     `tfsdk:"trust_bundle_pem"`
	CertDir                       types.String     `tfsdk:"cert_dir"`
	PrivateKeyPassphraseWO        types.String     `tfsdk:"private_key_passphrase_wo"`
	PrivateKeyPassphraseWOVersion WholeNumberValue `tfsdk:"private_key_passphrase_wo_version"`
	SecretEnv                     types.Map        `tfsdk:"secret_env"`
	// importNotes are warnings of importLeaf for ImportState (not an attribute:
	// the framework skips unexported fields).
	importNotes []string
}

// certModel is one resource's model; the shared lifecycle in certResource drives
// it and each kind supplies only what differs.
type certModel interface {
	fields() *CertFields
	// leafFields is nil for the self-signed CA.
	leafFields() *LeafFields
	// request says what to issue, from known inputs; validity and time are added by the caller.
	request() (pki.Request, diag.Diagnostics)
	// validate checks the kind's own inputs where they are known.
	validate() diag.Diagnostics
	// derive fills computed values that follow from the inputs alone (env maps).
	derive(config certModel) diag.Diagnostics
	// keepIssued lets a kind keep more of what was issued (the gateway's client.pem).
	keepIssued(keyPEM string)
	// reissuePaths names changed inputs that need a new certificate beyond the
	// schema's own RequiresReplace (the plugin's effective SANs).
	reissuePaths(prior certModel) []path.Path
	// importFrom reads the kind's files from a certs/mcp directory.
	importFrom(dir string) error
	// lifecycle is what the kind does where a CA and a leaf differ.
	lifecycle() lifecycle
}

func (f *CertFields) keySpec() pki.KeySpec {
	return pki.KeySpec{Algorithm: f.KeyAlgorithm.ValueString(), RSABits: int(f.RSABits.ValueInt64()), Curve: f.ECDSACurve.ValueString()}
}

func (f *CertFields) subject(commonName string) pki.Subject {
	return pki.Subject{CommonName: commonName, Organization: f.Organization.ValueString(), OrganizationalUnit: f.OrganizationalUnit.ValueString()}
}

// setCert records what a certificate says about itself.
func (f *CertFields) setCert(cert *x509.Certificate, certPEM string) {
	f.CertPEM = types.StringValue(certPEM)
	f.SerialNumber = types.StringValue(cert.SerialNumber.String())
	f.ID = f.SerialNumber
	f.NotBefore = types.StringValue(cert.NotBefore.UTC().Format(time.RFC3339))
	f.NotAfter = types.StringValue(cert.NotAfter.UTC().Format(time.RFC3339))
}

// renewalDue is unknown while early_renewal_days is.
func (f *CertFields) renewalDue(now time.Time) (due, known bool) {
	if f.EarlyRenewalDays.IsUnknown() || f.NotAfter.IsUnknown() || f.NotAfter.IsNull() {
		return false, false
	}
	notAfter, err := time.Parse(time.RFC3339, f.NotAfter.ValueString())
	if err != nil {
		return false, false
	}
	return pki.RenewalDue(now, notAfter, int(f.EarlyRenewalDays.ValueInt64())), true
}

// checkRenewalWindow reports early_renewal_days >= validity_days on the attribute.
func (f *CertFields) checkRenewalWindow() diag.Diagnostics {
	var diags diag.Diagnostics
	if f.EarlyRenewalDays.IsUnknown() || f.ValidityDays.IsUnknown() {
		return diags
	}
	validity := int64OrDefault(f.ValidityDays, pki.DefaultValidityDays)
	early := int64OrDefault(f.EarlyRenewalDays, pki.DefaultEarlyRenewalDays)
	if err := pki.CheckRenewalWindow(validity, early); err != nil {
		diags.AddAttributeError(path.Root("early_renewal_days"), "Renewal window covers the whole validity", err.Error())
	}
	return diags
}

// importCert fills the shared fields from certificate and key files, so an
// adopted certificate plans empty against a configuration that describes it.
func (f *CertFields) importCert(certFile, keyFile string) (*x509.Certificate, error) {
	certPEM, err := safefile.ReadFile(certFile, safefile.DefaultLimit)
	if err != nil {
		return nil, err
	}
	keyPEM, err := safefile.ReadFile(keyFile, safefile.DefaultLimit)
	if err != nil {
		return nil, err
	}
	cert, err := pki.ParseCertificate(string(certPEM))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", certFile, err)
	}
	key, err := pki.ParsePrivateKey(string(keyPEM))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", keyFile, err)
	}
	if !pki.KeyMatches(cert, key) {
		return nil, fmt.Errorf("%s does not hold the private key of %s", keyFile, certFile)
	}
	spec, err := pki.SpecOf(key.Public())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", keyFile, err)
	}
	subject := pki.SubjectOf(cert)
	f.Organization = types.StringValue(subject.Organization)
	f.OrganizationalUnit = types.StringValue(subject.OrganizationalUnit)
	f.ValidityDays = newWholeNumberValue(int64(pki.ValidityDays(cert.NotBefore, cert.NotAfter)))
	f.EarlyRenewalDays = newWholeNumberValue(pki.DefaultEarlyRenewalDays)
	f.KeyAlgorithm = types.StringValue(spec.Algorithm)
	f.RSABits = newWholeNumberValue(int64(spec.RSABits))
	f.ECDSACurve = types.StringValue(spec.Curve)
	f.PrivateKeyPEM = types.StringValue(string(keyPEM))
	f.ReadyForRenewal = types.BoolValue(false)
	f.setCert(cert, string(certPEM))
	return cert, nil
}

// importLeaf adopts a leaf directory of the certs/mcp tree: its certificate, key
// and CA copy. certDir is the tree's root: when <certDir>/ca/ca.key exists and is
// the key of the CA copy, it becomes ca_private_key_pem, so a configuration that
// signs with the imported CA resource plans empty. Otherwise the next apply
// stores the CA key from configuration.
func (l *LeafFields) importLeaf(dir, certDir string) error {
	caFile := filepath.Join(dir, "ca.crt")
	caPEM, err := safefile.ReadFile(caFile, safefile.DefaultLimit)
	if err != nil {
		return err
	}
	if _, err := pki.ParseCACertificate(string(caPEM)); err != nil {
		return fmt.Errorf("%s: %w", caFile, err)
	}
	l.CACertPEM = types.StringValue(string(caPEM))
	l.TrustBundlePEM = l.CACertPEM
	l.CAPrivateKeyPEM = types.StringNull()
	l.SecretEnv = stringMap(nil)
	keyFile := filepath.Join(certDir, "ca", "ca.key")
	switch keyPEM, err := safefile.ReadFile(keyFile, safefile.DefaultLimit); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		l.importNotes = append(l.importNotes, fmt.Sprintf("Cannot read the CA key beside the tree (%v), so ca_private_key_pem was not imported; the next apply stores it from configuration.", err))
	default:
		if _, err := pki.ParseIssuer(string(caPEM), string(keyPEM)); err != nil {
			l.importNotes = append(l.importNotes, fmt.Sprintf("%s is not the key of %s (%v), so ca_private_key_pem was not imported; the next apply stores it from configuration.", keyFile, caFile, err))
		} else {
			l.CAPrivateKeyPEM = types.StringValue(string(keyPEM))
		}
	}
	l.CertDir = types.StringValue(certDir)
	if certDir == "" || certDir == "." {
		l.CertDir = types.StringValue(envmap.DefaultCertDir)
	}
	return nil
}

// caKey is the signing CA's key from whichever input holds it: the write-only
// one is read from configuration, so callers pass the config's leaf fields.
func (l *LeafFields) caKey() types.String {
	if !l.CAPrivateKeyPEMWO.IsNull() {
		return l.CAPrivateKeyPEMWO
	}
	return l.CAPrivateKeyPEM
}

// checkCAKeyInputs wants exactly one of the two CA key inputs.
func (l *LeafFields) checkCAKeyInputs() diag.Diagnostics {
	var diags diag.Diagnostics
	// An unknown input may still turn out null (`var.wo ? key : null` in a
	// module is unknown while Terraform validates): only two known keys clash;
	// ValidateConfig runs again once they are known.
	known := !l.CAPrivateKeyPEM.IsUnknown() && !l.CAPrivateKeyPEMWO.IsUnknown()
	switch plain, wo := !l.CAPrivateKeyPEM.IsNull(), !l.CAPrivateKeyPEMWO.IsNull(); {
	case plain && wo && known:
		diags.AddAttributeError(path.Root("ca_private_key_pem_wo"), "Two CA keys given",
			"Set ca_private_key_pem or ca_private_key_pem_wo, not both: the write-only one keeps the CA key out of state and plan (Terraform >= 1.11, OpenTofu >= 1.11).")
	case !plain && !wo:
		diags.AddAttributeError(path.Root("ca_private_key_pem"), "No CA key given",
			"The certificate is signed by the CA, so give its key: ca_private_key_pem = mcptls_ca.<name>.private_key_pem, or, to keep it out of state, "+
				"ca_private_key_pem_wo (Terraform >= 1.11, OpenTofu >= 1.11; a CA with private_key_pem_wo has no private_key_pem to give).")
	}
	if !l.PrivateKeyPassphraseWO.IsNull() && !l.PrivateKeyPassphraseWO.IsUnknown() {
		if err := pki.ValidatePassphrase(l.PrivateKeyPassphraseWO.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("private_key_passphrase_wo"), "Invalid passphrase", err.Error())
		}
	}
	return diags
}

// planTrustBundle defaults trust_bundle_pem to the signing CA alone.
func (l *LeafFields) planTrustBundle(config *LeafFields) {
	if config.TrustBundlePEM.IsNull() {
		l.TrustBundlePEM = l.CACertPEM
	}
}

// checkTrustBundle makes sure the bundle a leaf ships holds the CA that signs
// it: its peers' certificates come from that CA too.
func (l *LeafFields) checkTrustBundle() diag.Diagnostics {
	var diags diag.Diagnostics
	if l.TrustBundlePEM.IsNull() || l.TrustBundlePEM.IsUnknown() {
		return diags
	}
	bundle, err := pki.ParseCertificates(l.TrustBundlePEM.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("trust_bundle_pem"), "Invalid trust bundle", err.Error())
		return diags
	}
	if l.CACertPEM.IsNull() || l.CACertPEM.IsUnknown() {
		return diags
	}
	ca, err := pki.ParseCertificate(l.CACertPEM.ValueString())
	if err != nil {
		return diags // reported on ca_cert_pem
	}
	for _, b := range bundle {
		if b.Equal(ca) {
			return diags
		}
	}
	diags.AddAttributeError(path.Root("trust_bundle_pem"), "Trust bundle without the signing CA",
		"trust_bundle_pem must hold the CA of ca_cert_pem: the peers' certificates are signed by it too. Use mcptls_ca.<name>.trust_bundle_pem, or leave trust_bundle_pem out to ship ca_cert_pem alone.")
	return diags
}

func int64OrDefault(v WholeNumberValue, def int) int {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return int(v.ValueInt64())
}

// stringMap converts an env map to a Terraform map(string).
func stringMap(env map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(env))
	for k, v := range env {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

func stringSetOrNull(values []string) types.Set {
	if len(values) == 0 {
		return types.SetNull(types.StringType)
	}
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.SetValueMust(types.StringType, elems)
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
