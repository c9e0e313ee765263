package pki

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"go.step.sm/crypto/pemutil"
)

// cheapIterations is a PBKDF2 count for tests that are not about the cost: the
// format is the same, only the count differs.
const cheapIterations = 1000

const testPassphrase = "correct horse battery staple"

type signerEqual interface {
	crypto.Signer
	Equal(crypto.PrivateKey) bool
}

func specName(s KeySpec) string {
	switch s.Algorithm {
	case AlgorithmRSA:
		return fmt.Sprintf("RSA-%d", s.RSABits)
	case AlgorithmECDSA:
		return "ECDSA-" + s.Curve
	}
	return s.Algorithm
}

func mustKey(t testing.TB, spec KeySpec) crypto.Signer {
	t.Helper()
	key, err := GenerateKey(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// mustEncrypt encrypts with cheapIterations.
func mustEncrypt(t testing.TB, key crypto.Signer, passphrase string) string {
	t.Helper()
	out, err := encryptPrivateKey(key, passphrase, cheapIterations, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// encParts is an EncryptedPrivateKeyInfo taken apart, so tests can inspect it
// and write variants of it.
type encParts struct {
	info   encryptedPrivateKeyInfo
	params pbes2Params
	pbkdf2 pbkdf2Params
	iv     []byte
}

func decodeParts(t testing.TB, pemText string) *encParts {
	t.Helper()
	block, _ := pem.Decode([]byte(pemText))
	if block == nil || block.Type != "ENCRYPTED PRIVATE KEY" {
		t.Fatalf("not an ENCRYPTED PRIVATE KEY PEM:\n%s", pemText)
	}
	p := &encParts{}
	mustUnmarshal := func(der []byte, v any) {
		t.Helper()
		if rest, err := asn1.Unmarshal(der, v); err != nil || len(rest) != 0 {
			t.Fatalf("DER: %v (%d bytes left)", err, len(rest))
		}
	}
	mustUnmarshal(block.Bytes, &p.info)
	mustUnmarshal(p.info.Algorithm.Parameters.FullBytes, &p.params)
	mustUnmarshal(p.params.KeyDerivationFunc.Parameters.FullBytes, &p.pbkdf2)
	mustUnmarshal(p.params.EncryptionScheme.Parameters.FullBytes, &p.iv)
	return p
}

func (p *encParts) encode(t testing.TB) string {
	t.Helper()
	must := func(v any) asn1.RawValue {
		t.Helper()
		raw, err := rawDER(v)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	p.params.KeyDerivationFunc.Parameters = must(p.pbkdf2)
	p.params.EncryptionScheme.Parameters = must(p.iv)
	p.info.Algorithm.Parameters = must(p.params)
	der, err := asn1.Marshal(p.info)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der}))
}

// decrypt reads an encrypted key with step's pemutil, a reader independent of
// this package (the provider itself never decrypts a key).
func decrypt(t testing.TB, pemText, passphrase string) (signerEqual, error) {
	t.Helper()
	key, err := pemutil.ParseKey([]byte(pemText), pemutil.WithPassword([]byte(passphrase)))
	if err != nil {
		return nil, err
	}
	signer, ok := key.(signerEqual)
	if !ok {
		t.Fatalf("pemutil read a %T", key)
	}
	return signer, nil
}

// checkSecretFree fails when an error quotes the passphrase or key material.
func checkSecretFree(t *testing.T, what string, err error, keyPEM, passphrase string) {
	t.Helper()
	if err == nil {
		return
	}
	if len(passphrase) >= 4 && strings.Contains(err.Error(), passphrase) {
		t.Errorf("%s: error quotes the passphrase: %v", what, err)
	}
	if quotesKey(err.Error(), keyPEM) {
		t.Errorf("%s: error quotes key material: %v", what, err)
	}
}

// TestEncryptedKeyRoundTrip encrypts every key type with the production
// setting, checks the structure is the one documented, and reads it back with
// an independent reader.
func TestEncryptedKeyRoundTrip(t *testing.T) {
	t.Parallel()
	for _, spec := range []KeySpec{
		{Algorithm: AlgorithmECDSA, Curve: CurveP256},
		{Algorithm: AlgorithmECDSA, Curve: CurveP384},
		{Algorithm: AlgorithmEd25519},
		{Algorithm: AlgorithmRSA, RSABits: 2048},
	} {
		t.Run(specName(spec), func(t *testing.T) {
			t.Parallel()
			key := mustKey(t, spec)
			enc, err := EncryptPrivateKey(key, testPassphrase)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(enc, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n") || !strings.HasSuffix(enc, "-----END ENCRYPTED PRIVATE KEY-----\n") {
				t.Errorf("PEM armour:\n%s", enc)
			}
			p := decodeParts(t, enc)
			switch {
			case !p.info.Algorithm.Algorithm.Equal(oidPBES2):
				t.Errorf("scheme %v, want PBES2", p.info.Algorithm.Algorithm)
			case !p.params.KeyDerivationFunc.Algorithm.Equal(oidPBKDF2):
				t.Errorf("KDF %v, want PBKDF2", p.params.KeyDerivationFunc.Algorithm)
			case p.pbkdf2.IterationCount != 600_000 || len(p.pbkdf2.Salt.Bytes) != 16 || p.pbkdf2.Salt.Tag != asn1.TagOctetString:
				t.Errorf("PBKDF2 iterations %d, salt %d bytes (tag %d)", p.pbkdf2.IterationCount, len(p.pbkdf2.Salt.Bytes), p.pbkdf2.Salt.Tag)
			case !p.pbkdf2.PRF.Algorithm.Equal(oidHMACWithSHA256) || p.pbkdf2.KeyLength != 0:
				t.Errorf("PRF %v key length %d, want hmacWithSHA256 and no key length", p.pbkdf2.PRF.Algorithm, p.pbkdf2.KeyLength)
			case !p.params.EncryptionScheme.Algorithm.Equal(oidAES256CBC) || len(p.iv) != 16:
				t.Errorf("cipher %v IV %d bytes, want AES-256-CBC with a 16-byte IV", p.params.EncryptionScheme.Algorithm, len(p.iv))
			}
			if err := CheckEncryptedKey(enc); err != nil || !IsEncryptedKey(enc) {
				t.Errorf("CheckEncryptedKey = %v, IsEncryptedKey = %v", err, IsEncryptedKey(enc))
			}
			back, err := decrypt(t, enc, testPassphrase)
			if err != nil {
				t.Fatal(err)
			}
			if !back.Equal(key) {
				t.Error("decrypted key differs from the original")
			}
			if _, err := ParsePrivateKey(enc); err == nil || !strings.Contains(err.Error(), "encrypted private keys are not supported") {
				t.Errorf("ParsePrivateKey on an encrypted key: %v", err)
			}
		})
	}
}

// TestEncryptedKeyWrongPassphrase: the key is sealed by the passphrase, so the
// independent reader refuses any other one, on the production setting and on
// a cheap one (one byte off, empty, another case).
func TestEncryptedKeyWrongPassphrase(t *testing.T) {
	t.Parallel()
	key := mustKey(t, ecdsaSpec())
	enc, err := EncryptPrivateKey(key, testPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := decrypt(t, enc, testPassphrase+"r"); k != nil || err == nil {
		t.Errorf("a wrong passphrase decrypted the key: %v", err)
	}
	cheap := mustEncrypt(t, key, testPassphrase)
	for _, wrong := range []string{"correct horse battery stapler", "", "Correct horse battery staple", testPassphrase[:len(testPassphrase)-1]} {
		if k, err := decrypt(t, cheap, wrong); k != nil || err == nil {
			t.Errorf("passphrase %q decrypted the key", wrong)
		}
	}
	if k, err := decrypt(t, cheap, testPassphrase); err != nil || !k.Equal(key) {
		t.Errorf("right passphrase after wrong ones: %v", err)
	}
}

// TestEncryptedKeyFreshSaltAndIV: two encryptions of one key share neither salt,
// IV nor ciphertext.
func TestEncryptedKeyFreshSaltAndIV(t *testing.T) {
	t.Parallel()
	key := mustKey(t, ecdsaSpec())
	a := mustEncrypt(t, key, testPassphrase)
	b := mustEncrypt(t, key, testPassphrase)
	pa, pb := decodeParts(t, a), decodeParts(t, b)
	if bytes.Equal(pa.pbkdf2.Salt.Bytes, pb.pbkdf2.Salt.Bytes) {
		t.Error("two encryptions share a salt")
	}
	if bytes.Equal(pa.iv, pb.iv) {
		t.Error("two encryptions share an IV")
	}
	if bytes.Equal(pa.info.EncryptedData, pb.info.EncryptedData) {
		t.Error("two encryptions share a ciphertext")
	}
	for _, enc := range []string{a, b} {
		if back, err := decrypt(t, enc, testPassphrase); err != nil || !back.Equal(key) {
			t.Errorf("decrypt: %v", err)
		}
	}
}

func TestValidatePassphrase(t *testing.T) {
	t.Parallel()
	for _, good := range []string{"x", "correct horse battery staple", "pässwörd 密码", `quotes "' and $HOME #`, strings.Repeat("a", MaxPassphraseBytes)} {
		if err := ValidatePassphrase(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
	for bad, msg := range map[string]string{
		"": "empty",
		strings.Repeat("a", MaxPassphraseBytes+1): "longer than 256 bytes",
		strings.Repeat("é", 129):                  "longer than 256 bytes",
		"secret\xff\xfepassword":                  "not valid UTF-8",
		"secret\npassword":                        "control character or line break at byte 6",
		"secret\tpassword":                        "control character",
		"secret\x00password":                      "control character",
		"secret\x7fpassword":                      "control character",
		"secret\u0085password":                    "control character",
		"secret\u2028password":                    "line break",
		" secretpassword":                         "white space",
		"secretpassword ":                         "white space",
		"secretpassword\u00a0":                    "white space",
	} {
		err := ValidatePassphrase(bad)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v, want an error containing %q", bad, err, msg)
			continue
		}
		if bad != "" && strings.Contains(err.Error(), strings.TrimSpace(bad)) {
			t.Errorf("%q: the error quotes the passphrase: %v", bad, err)
		}
		if _, err := EncryptPrivateKey(mustKey(t, ecdsaSpec()), bad); err == nil {
			t.Errorf("EncryptPrivateKey accepted %q", bad)
		}
	}
}

// TestEncryptPrivateKeyRefusesUnsupportedKeys: only keys the provider issues
// are written, and a failing random source is an error, never a fixed salt or IV.
func TestEncryptPrivateKeyRefusesUnsupportedKeys(t *testing.T) {
	t.Parallel()
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EncryptPrivateKey(small, testPassphrase); err == nil || !strings.Contains(err.Error(), "1024") {
		t.Errorf("RSA-1024: %v", err)
	}
	if _, err := EncryptPrivateKey(nil, testPassphrase); err == nil {
		t.Error("nil key accepted")
	}
	key := mustKey(t, ecdsaSpec())
	noEntropy := errors.New("no entropy")
	for random, want := range map[io.Reader]string{
		iotest.ErrReader(noEntropy): "reading random salt",
		io.MultiReader(bytes.NewReader(make([]byte, saltBytes)), iotest.ErrReader(noEntropy)): "reading random IV",
	} {
		if out, err := encryptPrivateKey(key, testPassphrase, cheapIterations, random); out != "" || !errors.Is(err, noEntropy) || !strings.Contains(err.Error(), want) {
			t.Errorf("failing random source: %q, %v; want %q", out, err, want)
		}
	}
}

// TestCheckEncryptedKey: the structural check refresh runs on a stored
// encrypted key (its passphrase is write-only) accepts what EncryptPrivateKey
// writes and gives each malformed or unsupported input its own error, quoting
// neither the key nor the passphrase.
func TestCheckEncryptedKey(t *testing.T) {
	t.Parallel()
	key := mustKey(t, ecdsaSpec())
	plainPEM, _ := EncodePrivateKey(key)
	good := mustEncrypt(t, key, testPassphrase)
	if err := CheckEncryptedKey(good); err != nil {
		t.Fatalf("what EncryptPrivateKey writes: %v", err)
	}
	variant := func(mutate func(p *encParts)) string {
		p := decodeParts(t, good)
		mutate(p)
		return p.encode(t)
	}
	block, _ := pem.Decode([]byte(good))
	trailing := string(pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: append(append([]byte{}, block.Bytes...), 0, 0)}))
	for _, c := range []struct{ name, pem, msg string }{
		{"no PEM", "hello", "no PEM block"},
		{"not encrypted", plainPEM, `"PRIVATE KEY" is not an ENCRYPTED PRIVATE KEY`},
		{"certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", `"CERTIFICATE" is not a private key`},
		{"legacy PEM encryption", "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END EC PRIVATE KEY-----\n", `"EC PRIVATE KEY" is not an ENCRYPTED PRIVATE KEY`},
		{"garbage DER", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "malformed"},
		{"trailing DER", trailing, "malformed"},
		{"PBES1", variant(func(p *encParts) { p.info.Algorithm.Algorithm = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3} }), "scheme 1.2.840.113549.1.12.1.3 is not supported: only PBES2"},
		{"3DES", variant(func(p *encParts) {
			p.params.EncryptionScheme.Algorithm = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
		}), "cipher 1.2.840.113549.3.7 is not supported"},
		{"short IV", variant(func(p *encParts) { p.iv = p.iv[:8] }), "malformed"},
		{"ciphertext cut", variant(func(p *encParts) { p.info.EncryptedData = p.info.EncryptedData[1:] }), "malformed"},
		{"no ciphertext", variant(func(p *encParts) { p.info.EncryptedData = nil }), "malformed"},
	} {
		err := CheckEncryptedKey(c.pem)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.msg)
		}
		checkSecretFree(t, c.name, err, c.pem, testPassphrase)
	}
}

// FuzzCheckEncryptedKey: arbitrary PEM never panics the structural check, an
// error never quotes the key, and whatever passes is an encrypted key.
func FuzzCheckEncryptedKey(f *testing.F) {
	key := mustKey(f, ecdsaSpec())
	enc := mustEncrypt(f, key, testPassphrase)
	plain, _ := EncodePrivateKey(key)
	for _, seed := range []string{
		enc,
		enc[:len(enc)/2],
		mustEncrypt(f, mustKey(f, KeySpec{Algorithm: AlgorithmEd25519}), "p"),
		plain,
		"-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END EC PRIVATE KEY-----\n",
		"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, pemText string) {
		err := CheckEncryptedKey(pemText)
		if err != nil {
			if quotesKey(err.Error(), pemText) {
				t.Fatalf("error quotes the key: %v", err)
			}
			return
		}
		if !IsEncryptedKey(pemText) {
			t.Fatal("accepted a PEM that is no encrypted key")
		}
	})
}

// BenchmarkEncryptPrivateKey is what each encrypted key costs a plan: the
// production PBKDF2 setting, per key type (the KDF dominates, so they match).
func BenchmarkEncryptPrivateKey(b *testing.B) {
	for _, spec := range []KeySpec{
		{Algorithm: AlgorithmRSA, RSABits: 2048},
		{Algorithm: AlgorithmRSA, RSABits: 3072},
		{Algorithm: AlgorithmRSA, RSABits: 4096},
		{Algorithm: AlgorithmECDSA, Curve: CurveP256},
		{Algorithm: AlgorithmECDSA, Curve: CurveP384},
		{Algorithm: AlgorithmEd25519},
	} {
		b.Run(specName(spec), func(b *testing.B) {
			key := mustKey(b, spec)
			for b.Loop() {
				if _, err := EncryptPrivateKey(key, testPassphrase); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
