package pki

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Cheap PBES2 settings for tests that are not about the cost: the format is the
// same, only the KDF parameters differ.
var (
	cheapPBKDF2 = pbes2{iterations: 1000}
	cheapScrypt = pbes2{scryptN: 1024, scryptR: 8, scryptP: 1}
)

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

func mustEncrypt(t testing.TB, key crypto.Signer, passphrase string, setting pbes2) string {
	t.Helper()
	out, err := encryptPrivateKey(key, passphrase, setting, rand.Reader)
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
	pbkdf2 *pbkdf2Params
	scrypt *scryptParams
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
	if p.params.KeyDerivationFunc.Algorithm.Equal(oidScrypt) {
		p.scrypt = &scryptParams{}
		mustUnmarshal(p.params.KeyDerivationFunc.Parameters.FullBytes, p.scrypt)
	} else {
		p.pbkdf2 = &pbkdf2Params{}
		mustUnmarshal(p.params.KeyDerivationFunc.Parameters.FullBytes, p.pbkdf2)
	}
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
	if p.scrypt != nil {
		p.params.KeyDerivationFunc.Parameters = must(*p.scrypt)
	} else {
		p.params.KeyDerivationFunc.Parameters = must(*p.pbkdf2)
	}
	p.params.EncryptionScheme.Parameters = must(p.iv)
	p.info.Algorithm.Parameters = must(p.params)
	der, err := asn1.Marshal(p.info)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der}))
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
// setting, checks the structure is the one documented, and decrypts it.
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
			case !p.params.KeyDerivationFunc.Algorithm.Equal(oidPBKDF2) || p.pbkdf2 == nil:
				t.Errorf("KDF %v, want PBKDF2", p.params.KeyDerivationFunc.Algorithm)
			case p.pbkdf2.IterationCount != 600_000 || len(p.pbkdf2.Salt.Bytes) != 16 || p.pbkdf2.Salt.Tag != asn1.TagOctetString:
				t.Errorf("PBKDF2 iterations %d, salt %d bytes (tag %d)", p.pbkdf2.IterationCount, len(p.pbkdf2.Salt.Bytes), p.pbkdf2.Salt.Tag)
			case !p.pbkdf2.PRF.Algorithm.Equal(oidHMACWithSHA256) || p.pbkdf2.KeyLength != 0:
				t.Errorf("PRF %v key length %d, want hmacWithSHA256 and no key length", p.pbkdf2.PRF.Algorithm, p.pbkdf2.KeyLength)
			case !p.params.EncryptionScheme.Algorithm.Equal(oidAES256CBC) || len(p.iv) != 16:
				t.Errorf("cipher %v IV %d bytes, want AES-256-CBC with a 16-byte IV", p.params.EncryptionScheme.Algorithm, len(p.iv))
			}
			back, err := DecryptPrivateKey(enc, testPassphrase)
			if err != nil {
				t.Fatal(err)
			}
			if !key.(signerEqual).Equal(back) {
				t.Error("decrypted key differs from the original")
			}
			if _, err := ParsePrivateKey(enc); err == nil || !strings.Contains(err.Error(), "encrypted private keys are not supported") {
				t.Errorf("ParsePrivateKey on an encrypted key: %v", err)
			}
		})
	}
}

// TestEncryptedKeyScryptRoundTrip covers the scrypt reader without an openssl
// binary (the peer test covers openssl's own scrypt output).
func TestEncryptedKeyScryptRoundTrip(t *testing.T) {
	t.Parallel()
	key := mustKey(t, ecdsaSpec())
	enc := mustEncrypt(t, key, testPassphrase, cheapScrypt)
	if p := decodeParts(t, enc); p.scrypt == nil || p.scrypt.CostParameter != 1024 || len(p.scrypt.Salt) != 16 {
		t.Fatalf("not the scrypt structure: %+v", p.scrypt)
	}
	back, err := DecryptPrivateKey(enc, testPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	if !key.(signerEqual).Equal(back) {
		t.Error("decrypted key differs from the original")
	}
	if _, err := DecryptPrivateKey(enc, testPassphrase+"!"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase under scrypt: %v", err)
	}
}

// TestEncryptedKeyWrongPassphrase: one wrong passphrase on the production
// setting, then many on a cheap one, so that the ~1/256 of wrong keys that leave
// valid-looking padding are met too and still give ErrWrongPassphrase.
func TestEncryptedKeyWrongPassphrase(t *testing.T) {
	t.Parallel()
	key := mustKey(t, ecdsaSpec())
	enc, err := EncryptPrivateKey(key, testPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	for _, wrong := range []string{"correct horse battery stapler", ""} {
		_, err := DecryptPrivateKey(enc, wrong)
		if !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("passphrase %q: %v, want ErrWrongPassphrase", wrong, err)
		}
		checkSecretFree(t, "wrong passphrase", err, enc, wrong)
		checkSecretFree(t, "wrong passphrase", err, enc, testPassphrase)
	}

	cheap := mustEncrypt(t, key, testPassphrase, cheapPBKDF2)
	for i := range 600 {
		wrong := fmt.Sprintf("wrong passphrase %d", i)
		k, err := DecryptPrivateKey(cheap, wrong)
		if k != nil || !errors.Is(err, ErrWrongPassphrase) {
			t.Fatalf("passphrase %q: key %v, error %v", wrong, k != nil, err)
		}
		checkSecretFree(t, "wrong passphrase", err, cheap, wrong)
	}
	if _, err := DecryptPrivateKey(cheap, testPassphrase); err != nil {
		t.Errorf("right passphrase after wrong ones: %v", err)
	}
}

// TestEncryptedKeyFreshSaltAndIV: two encryptions of one key share neither salt,
// IV nor ciphertext.
func TestEncryptedKeyFreshSaltAndIV(t *testing.T) {
	t.Parallel()
	key := mustKey(t, ecdsaSpec())
	a, err := EncryptPrivateKey(key, testPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	b, err := EncryptPrivateKey(key, testPassphrase)
	if err != nil {
		t.Fatal(err)
	}
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
		if back, err := DecryptPrivateKey(enc, testPassphrase); err != nil || !key.(signerEqual).Equal(back) {
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

// TestEncryptPrivateKeyRefusesUnsupportedKeys: what Encrypt writes, Decrypt reads.
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
}

// TestDecryptPrivateKeyErrors: each malformed or unsupported input gets its own
// clear error, none quotes the passphrase or the key, and none is mistaken for
// a wrong passphrase unless it is one.
func TestDecryptPrivateKeyErrors(t *testing.T) {
	t.Parallel()
	key := mustKey(t, ecdsaSpec())
	plainPEM, _ := EncodePrivateKey(key)
	good := mustEncrypt(t, key, testPassphrase, cheapPBKDF2)
	goodScrypt := mustEncrypt(t, key, testPassphrase, cheapScrypt)
	variant := func(base string, mutate func(p *encParts)) string {
		p := decodeParts(t, base)
		mutate(p)
		return p.encode(t)
	}
	encryptRaw := func(der []byte) string {
		out, err := encryptDER(der, testPassphrase, cheapPBKDF2, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	smallDER, _ := x509.MarshalPKCS8PrivateKey(small)
	x25519, _ := ecdh.X25519().GenerateKey(rand.Reader)
	x25519DER, _ := x509.MarshalPKCS8PrivateKey(x25519)
	block, _ := pem.Decode([]byte(good))
	trailing := string(pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: append(append([]byte{}, block.Bytes...), 0, 0)}))

	cases := []struct {
		name, pem, msg string
	}{
		{"no PEM", "hello", "no PEM block"},
		{"not encrypted", plainPEM, "not encrypted"},
		{"certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", `"CERTIFICATE" is not a private key`},
		{"legacy PEM encryption", "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END EC PRIVATE KEY-----\n", "legacy PEM encryption"},
		{"garbage DER", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "malformed"},
		{"trailing DER", trailing, "malformed"},
		{"PBES1", variant(good, func(p *encParts) { p.info.Algorithm.Algorithm = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3} }), "only PBES2"},
		{"3DES", variant(good, func(p *encParts) {
			p.params.EncryptionScheme.Algorithm = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
		}), "cipher 1.2.840.113549.3.7 is not supported"},
		{"short IV", variant(good, func(p *encParts) { p.iv = p.iv[:8] }), "malformed"},
		{"ciphertext cut", variant(good, func(p *encParts) { p.info.EncryptedData = p.info.EncryptedData[1:] }), "malformed"},
		{"no ciphertext", variant(good, func(p *encParts) { p.info.EncryptedData = nil }), "malformed"},
		{"unknown KDF", variant(good, func(p *encParts) { p.params.KeyDerivationFunc.Algorithm = asn1.ObjectIdentifier{1, 2, 3} }), "key derivation function 1.2.3"},
		{"too many iterations", variant(good, func(p *encParts) { p.pbkdf2.IterationCount = 10_000_001 }), "iteration count 10000001 is outside"},
		{"zero iterations", variant(good, func(p *encParts) { p.pbkdf2.IterationCount = 0 }), "iteration count 0 is outside"},
		{"HMAC-MD5", variant(good, func(p *encParts) { p.pbkdf2.PRF.Algorithm = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 6} }), "pseudo-random function"},
		{"key length mismatch", variant(good, func(p *encParts) { p.pbkdf2.KeyLength = 16 }), "malformed"},
		{"salt from elsewhere", variant(good, func(p *encParts) {
			p.pbkdf2.Salt = asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: []byte{}}
		}), "salt from another source"},
		{"scrypt above OpenSSL's memory limit", variant(goodScrypt, func(p *encParts) { p.scrypt.CostParameter = 1 << 15 }), "above OpenSSL's limit"},
		{"scrypt N >= 2^(16r)", variant(goodScrypt, func(p *encParts) { p.scrypt.CostParameter, p.scrypt.BlockSize = 1<<16, 1 }), "below 2^(16r)"},
		{"scrypt N not a power of 2", variant(goodScrypt, func(p *encParts) { p.scrypt.CostParameter = 1000 }), "invalid"},
		{"scrypt too costly", variant(goodScrypt, func(p *encParts) { p.scrypt.ParallelizationParameter = 1 << 20 }), "cost more than"},
		{"wrong passphrase", variant(good, func(p *encParts) {}), "" /* ErrWrongPassphrase, checked below */},
		{"decrypts to something not PKCS#8", encryptRaw([]byte("this is no key at all")), ""},
		{"RSA-1024 inside", encryptRaw(smallDER), "RSA key size 1024 is not supported"},
		{"X25519 inside", encryptRaw(x25519DER), "unsupported private key type"},
	}
	for _, c := range cases {
		passphrase := testPassphrase
		if c.name == "wrong passphrase" {
			passphrase = "not the passphrase"
		}
		k, err := DecryptPrivateKey(c.pem, passphrase)
		switch {
		case k != nil || err == nil:
			t.Errorf("%s: accepted", c.name)
		case c.msg == "" && !errors.Is(err, ErrWrongPassphrase):
			t.Errorf("%s: %v, want ErrWrongPassphrase", c.name, err)
		case c.msg != "" && (errors.Is(err, ErrWrongPassphrase) || !strings.Contains(err.Error(), c.msg)):
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.msg)
		}
		checkSecretFree(t, c.name, err, c.pem, passphrase)
	}
}

// FuzzDecryptPrivateKey: arbitrary PEM and passphrase never panic, and an error
// never depends on the passphrase's text: it may contain the passphrase only
// where the same input decrypted with an unrelated passphrase says so too (a
// passphrase "key" is in many messages). The regression corpus is
// testdata/fuzz/FuzzDecryptPrivateKey. Seeds use cheap KDF settings so the
// fuzzer spends its time on parsing.
func FuzzDecryptPrivateKey(f *testing.F) {
	ec := mustKey(f, ecdsaSpec())
	ed := mustKey(f, KeySpec{Algorithm: AlgorithmEd25519})
	pbkdf2Seed := mustEncrypt(f, ec, testPassphrase, cheapPBKDF2)
	f.Add(pbkdf2Seed, testPassphrase)
	f.Add(pbkdf2Seed, "Tr0ub4dor&3")
	f.Add(pbkdf2Seed[:len(pbkdf2Seed)/2], testPassphrase)
	f.Add(mustEncrypt(f, ed, "p", cheapPBKDF2), "p")
	f.Add(mustEncrypt(f, ec, testPassphrase, cheapScrypt), testPassphrase)
	plain, _ := EncodePrivateKey(ec)
	f.Add(plain, testPassphrase)
	f.Add("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END EC PRIVATE KEY-----\n", "x")
	f.Add("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "")
	f.Add("", "")
	const unrelated = "\x01unrelated\x02"
	f.Fuzz(func(t *testing.T, pemText, passphrase string) {
		key, err := DecryptPrivateKey(pemText, passphrase)
		if err != nil {
			if key != nil {
				t.Fatal("both a key and an error")
			}
			if quotesKey(err.Error(), pemText) {
				t.Fatalf("error quotes the key: %v", err)
			}
			if passphrase != "" && !strings.Contains(unrelated, passphrase) && strings.Contains(err.Error(), passphrase) {
				_, other := DecryptPrivateKey(pemText, unrelated)
				if other == nil || !strings.Contains(other.Error(), passphrase) {
					t.Fatalf("error quotes the passphrase: %v", err)
				}
			}
			return
		}
		if _, err := SpecOf(key.Public()); err != nil {
			t.Fatalf("returned a key of an unsupported kind: %v", err)
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

// BenchmarkDecryptPrivateKey is the same cost on the reading side.
func BenchmarkDecryptPrivateKey(b *testing.B) {
	enc, err := EncryptPrivateKey(mustKey(b, ecdsaSpec()), testPassphrase)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := DecryptPrivateKey(enc, testPassphrase); err != nil {
			b.Fatal(err)
		}
	}
}
