// Package pki generates keys and issues the CA, gateway client and plugin server
// certificates. It has no Terraform types so it can be tested and fuzzed directly.
package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Key algorithms accepted by key_algorithm.
const (
	AlgorithmRSA     = "RSA"
	AlgorithmECDSA   = "ECDSA"
	AlgorithmEd25519 = "ED25519"
)

// ECDSA curves accepted by ecdsa_curve.
const (
	CurveP256 = "P256"
	CurveP384 = "P384"
)

// Defaults reproduce the openssl recipe: RSA 4096.
const (
	DefaultAlgorithm = AlgorithmRSA
	DefaultRSABits   = 4096
	DefaultCurve     = CurveP256
)

var (
	Algorithms = []string{AlgorithmRSA, AlgorithmECDSA, AlgorithmEd25519}
	RSABits    = []int64{2048, 3072, 4096}
	Curves     = []string{CurveP256, CurveP384}
)

// KeySpec says which key to generate. RSABits is read only for RSA and Curve only
// for ECDSA, so a spec can carry defaults for both.
type KeySpec struct {
	Algorithm string
	RSABits   int
	Curve     string
}

// Validate reports the first unsupported setting of the spec.
func (s KeySpec) Validate() error {
	switch s.Algorithm {
	case AlgorithmRSA:
		if s.RSABits != 2048 && s.RSABits != 3072 && s.RSABits != 4096 {
			return fmt.Errorf("RSA key size %d is not supported: use 2048, 3072 or 4096", s.RSABits)
		}
	case AlgorithmECDSA:
		if _, err := curve(s.Curve); err != nil {
			return err
		}
	case AlgorithmEd25519:
	default:
		return fmt.Errorf("key algorithm %q is not supported: use RSA, ECDSA or ED25519", s.Algorithm)
	}
	return nil
}

func curve(name string) (elliptic.Curve, error) {
	switch name {
	case CurveP256:
		return elliptic.P256(), nil
	case CurveP384:
		return elliptic.P384(), nil
	}
	return nil, fmt.Errorf("ECDSA curve %q is not supported: use P256 or P384", name)
}

// GenerateKey creates a new private key. random may be nil for crypto/rand.
func GenerateKey(spec KeySpec, random io.Reader) (crypto.Signer, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if random == nil {
		random = rand.Reader
	}
	switch spec.Algorithm {
	case AlgorithmRSA:
		return rsa.GenerateKey(random, spec.RSABits)
	case AlgorithmECDSA:
		c, _ := curve(spec.Curve)
		return ecdsa.GenerateKey(c, random)
	default:
		_, key, err := ed25519.GenerateKey(random)
		return key, err
	}
}

// SpecOf describes an existing public key, for import. Settings that do not apply
// to the algorithm keep their defaults, as they would in configuration.
func SpecOf(pub crypto.PublicKey) (KeySpec, error) {
	spec := KeySpec{RSABits: DefaultRSABits, Curve: DefaultCurve}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		spec.Algorithm, spec.RSABits = AlgorithmRSA, k.N.BitLen()
	case *ecdsa.PublicKey:
		spec.Algorithm = AlgorithmECDSA
		switch k.Curve {
		case elliptic.P256():
			spec.Curve = CurveP256
		case elliptic.P384():
			spec.Curve = CurveP384
		default:
			return spec, curveError(k.Curve.Params().Name)
		}
	case ed25519.PublicKey:
		spec.Algorithm = AlgorithmEd25519
	default:
		return spec, fmt.Errorf("unsupported public key type %T", pub)
	}
	return spec, spec.Validate()
}

// EncodePrivateKey returns the key as PKCS#8 PEM ("BEGIN PRIVATE KEY"), the form
// openssl genpkey and the gateway's Makefile write.
func EncodePrivateKey(key crypto.Signer) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// errEncryptedKey: encrypted keys are output only (EncryptPrivateKey); inputs such
// as a CA key must be plain.
var errEncryptedKey = errors.New("encrypted private keys are not supported as input: decrypt it first (openssl pkey -in key.pem -out plain.pem); a passphrase only encrypts the keys written as output")

// ParsePrivateKey reads a PKCS#8, PKCS#1 or SEC1 PEM private key. Its errors never
// quote the input.
func ParsePrivateKey(pemText string) (crypto.Signer, error) {
	block, err := keyBlock(pemText)
	if err != nil {
		return nil, err
	}
	if strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
		return nil, errEncryptedKey
	}
	var key any
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "ENCRYPTED PRIVATE KEY":
		return nil, errEncryptedKey
	default:
		return nil, fmt.Errorf("PEM block type %q is not a private key", block.Type)
	}
	if err != nil {
		if name, ok := unsupportedCurve(block); ok {
			return nil, curveError(name)
		}
		return nil, errors.New("private key DER is malformed")
	}
	return supportedSigner(key)
}

// supportedSigner takes a parsed private key that this package can use.
func supportedSigner(key any) (crypto.Signer, error) {
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("unsupported private key type %T", key)
	}
	if _, err := SpecOf(signer.Public()); err != nil {
		return nil, err
	}
	return signer, nil
}

func curveError(name string) error {
	return fmt.Errorf("ECDSA curve %s is not supported: use a P-256 or P-384 key", name)
}

// Named curves Go does not parse, so that the error can still name them.
var curveNames = map[string]string{
	"1.3.132.0.10":          "secp256k1",
	"1.2.840.10045.3.1.1":   "P-192",
	"1.3.36.3.3.2.8.1.1.7":  "brainpoolP256r1",
	"1.3.36.3.3.2.8.1.1.11": "brainpoolP384r1",
	"1.3.36.3.3.2.8.1.1.13": "brainpoolP512r1",
}

// unsupportedCurve reads the curve OID of an EC key Go could not parse (SEC1 or
// PKCS#8), so the error names the curve instead of calling the key malformed.
func unsupportedCurve(block *pem.Block) (string, bool) {
	var oid asn1.ObjectIdentifier
	switch block.Type {
	case "EC PRIVATE KEY":
		var k struct {
			Version    int
			PrivateKey []byte
			Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
		}
		if _, err := asn1.Unmarshal(block.Bytes, &k); err != nil {
			return "", false
		}
		oid = k.Curve
	case "PRIVATE KEY":
		var k struct {
			Version    int
			Algorithm  pkix.AlgorithmIdentifier
			PrivateKey []byte
		}
		if _, err := asn1.Unmarshal(block.Bytes, &k); err != nil || !k.Algorithm.Algorithm.Equal(oidPublicKeyECDSA) {
			return "", false
		}
		if _, err := asn1.Unmarshal(k.Algorithm.Parameters.FullBytes, &oid); err != nil {
			return "", false
		}
	default:
		return "", false
	}
	if len(oid) == 0 {
		return "", false
	}
	if name, ok := curveNames[oid.String()]; ok {
		return name, true
	}
	return "with OID " + oid.String(), true
}

var oidPublicKeyECDSA = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
