package pki

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/scrypt"
)

// Encrypted private keys: PKCS#8 EncryptedPrivateKeyInfo (RFC 5958) under PBES2
// (RFC 8018), PEM type "ENCRYPTED PRIVATE KEY", the form the gateway and the
// plugin servers load with ssl.SSLContext.load_cert_chain(cert, key, password).
//
// What EncryptPrivateKey writes: PBKDF2 with HMAC-SHA256, 600,000 iterations, a
// random 16-byte salt, then AES-256-CBC with a random 16-byte IV. That is the
// structure `openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000` writes, byte for
// byte in shape. Why this and not scrypt:
//   - Readers. OpenSSL 1.1 and 3 (so Python's ssl, openssl pkey, curl), and
//     OpenSSL 3's FIPS provider, read PBKDF2 with HMAC-SHA256. scrypt is absent from the FIPS
//     provider, so a gateway on a FIPS-enabled host could not load the key.
//   - scrypt's edge is memory hardness, and OpenSSL caps scrypt at 32 MiB
//     (SCRYPT_MAX_MEM; loading a PEM key passes no other limit): N=2^15, r=8 needs 32 MiB + 1 KiB and is refused ("memory
//     limit exceeded", checked with OpenSSL 3.0.19). The strongest setting a
//     gateway can load is N=2^14, r=8 (16 MiB); OWASP's equivalent of its
//     recommendation at that N is p=5, which took 175 ms per key here against
//     111 ms for the PBKDF2 setting below, measured side by side.
//   - Cost. 600,000 iterations is OWASP's figure for PBKDF2-HMAC-SHA256 (Password
//     Storage Cheat Sheet, 2023). AES-256 needs 32 bytes, one SHA-256 output, so
//     the defender pays for one PBKDF2 block only (with HMAC-SHA1 it would pay
//     for two while an attacker checks one). Measured on the project's 2-core
//     machine (go1.26.8): about 105 ms of CPU per key (user time over 31 runs of
//     BenchmarkEncryptPrivateKey; every key type costs the same, the KDF is the
//     whole cost), 110 ms wall on a free core and up to 290 ms while other test
//     runs share the two cores. A plan encrypting 30 keys spends about 3.2 s of
//     CPU, spread over Terraform's parallel walk. Python's load_cert_chain
//     (OpenSSL 3.0.19) spends about 145 ms of CPU decrypting it, once per
//     process start of the gateway or a plugin server.
//
// DecryptPrivateKey reads that, anything `openssl pkcs8 -topk8 -v2 <aes-cbc>`
// writes (any HMAC-SHA1/SHA-2 PRF, any iteration count up to a bound) and
// `openssl pkcs8 -topk8 -scrypt` keys within OpenSSL's own memory limit.

// PBKDF2Iterations is the iteration count EncryptPrivateKey writes.
const PBKDF2Iterations = 600_000

// MaxPassphraseBytes bounds a passphrase. OpenSSL hands the password callback a
// 1024-byte buffer (PEM_BUFSIZE) and Python's ssl refuses longer passwords
// ("password cannot be longer than 1024 bytes", checked with 3.11). A quarter of
// that leaves room and is plenty of entropy.
const MaxPassphraseBytes = 256

const (
	saltBytes = 16
	// maxPBKDF2Iterations bounds what DecryptPrivateKey accepts (about 2 s here):
	// a hostile file must not pin a CPU for minutes.
	maxPBKDF2Iterations = 10_000_000
	// maxScryptMemory is OpenSSL's limit (SCRYPT_MAX_MEM): a key above it is one
	// neither openssl nor the gateway can load.
	maxScryptMemory = 32 << 20
	// maxScryptWork bounds N*r*p at 16 times openssl's default (N=2^14, r=8, p=1).
	maxScryptWork = 1 << 21
)

// ErrWrongPassphrase is the answer to a passphrase that does not decrypt the key.
// CBC cannot tell a wrong passphrase from a damaged ciphertext, so it says both.
var ErrWrongPassphrase = errors.New("the passphrase does not decrypt the private key (wrong passphrase, or the encrypted key is damaged)")

var errEncryptedDER = errors.New("encrypted private key DER is malformed")

var (
	oidPBES2          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidScrypt         = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}
	oidHMACWithSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACWithSHA224 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}
	oidHMACWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
)

// EncryptedPrivateKeyInfo, RFC 5958 section 3.
type encryptedPrivateKeyInfo struct {
	Algorithm     pkix.AlgorithmIdentifier
	EncryptedData []byte
}

// PBES2-params, RFC 8018 appendix A.4.
type pbes2Params struct {
	KeyDerivationFunc pkix.AlgorithmIdentifier
	EncryptionScheme  pkix.AlgorithmIdentifier
}

// PBKDF2-params, RFC 8018 appendix A.2. The salt is a CHOICE of which only
// "specified" (an OCTET STRING) is in use.
type pbkdf2Params struct {
	Salt           asn1.RawValue
	IterationCount int
	KeyLength      int                      `asn1:"optional"`
	PRF            pkix.AlgorithmIdentifier `asn1:"optional"`
}

// scrypt-params, RFC 7914 section 7.1.
type scryptParams struct {
	Salt                     []byte
	CostParameter            int
	BlockSize                int
	ParallelizationParameter int
	KeyLength                int `asn1:"optional"`
}

// pbes2 is one PBES2 setting with AES-256-CBC: PBKDF2-HMAC-SHA256 when scryptN
// is zero, scrypt otherwise. Only the tests write scrypt (cheap fuzz seeds, and
// the reader's coverage without an openssl binary).
type pbes2 struct {
	iterations                int
	scryptN, scryptR, scryptP int
}

var defaultPBES2 = pbes2{iterations: PBKDF2Iterations}

// ValidatePassphrase checks a passphrase for encrypting keys. It travels through
// env files (PLUGINS_*_KEYFILE_PASSWORD) and OpenSSL's password callback, so it
// must be non-empty UTF-8 of at most MaxPassphraseBytes, without control
// characters or line separators, and without white space at either end, which
// env file readers strip. Errors never quote the passphrase.
func ValidatePassphrase(passphrase string) error {
	switch {
	case passphrase == "":
		return errors.New("the passphrase is empty")
	case len(passphrase) > MaxPassphraseBytes:
		return fmt.Errorf("the passphrase is longer than %d bytes (OpenSSL's password buffer is 1024 bytes; keep well below it)", MaxPassphraseBytes)
	case !utf8.ValidString(passphrase):
		return errors.New("the passphrase is not valid UTF-8")
	}
	for i, r := range passphrase {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return fmt.Errorf("the passphrase has a control character or line break at byte %d: it must fit on one line of an env file", i)
		}
	}
	if strings.TrimSpace(passphrase) != passphrase {
		return errors.New("the passphrase begins or ends with white space, which env file readers may strip")
	}
	return nil
}

// EncryptPrivateKey returns the key as encrypted PKCS#8 PEM ("BEGIN ENCRYPTED
// PRIVATE KEY") under PBKDF2-HMAC-SHA256 and AES-256-CBC, with a fresh random salt
// and IV on every call. The passphrase must pass ValidatePassphrase.
func EncryptPrivateKey(key crypto.Signer, passphrase string) (string, error) {
	if err := ValidatePassphrase(passphrase); err != nil {
		return "", err
	}
	return encryptPrivateKey(key, passphrase, defaultPBES2, rand.Reader)
}

func encryptPrivateKey(key crypto.Signer, passphrase string, setting pbes2, random io.Reader) (string, error) {
	if key == nil {
		return "", errors.New("no private key to encrypt")
	}
	if _, err := SpecOf(key.Public()); err != nil {
		return "", err
	}
	plain, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	defer clear(plain)
	return encryptDER(plain, passphrase, setting, random)
}

// encryptDER wraps a PKCS#8 PrivateKeyInfo DER in an EncryptedPrivateKeyInfo PEM.
func encryptDER(plain []byte, passphrase string, setting pbes2, random io.Reader) (string, error) {
	salt := make([]byte, saltBytes)
	iv := make([]byte, aes.BlockSize)
	if _, err := io.ReadFull(random, salt); err != nil {
		return "", fmt.Errorf("reading random salt: %w", err)
	}
	if _, err := io.ReadFull(random, iv); err != nil {
		return "", fmt.Errorf("reading random IV: %w", err)
	}

	var (
		kdf     pkix.AlgorithmIdentifier
		derived []byte
		err     error
	)
	if setting.scryptN == 0 {
		kdf.Algorithm = oidPBKDF2
		kdf.Parameters, err = rawDER(pbkdf2Params{
			Salt:           asn1.RawValue{Tag: asn1.TagOctetString, Bytes: salt},
			IterationCount: setting.iterations,
			PRF:            pkix.AlgorithmIdentifier{Algorithm: oidHMACWithSHA256, Parameters: asn1.NullRawValue},
		})
		if err == nil {
			derived, err = pbkdf2.Key(sha256.New, passphrase, salt, setting.iterations, 32)
		}
	} else {
		kdf.Algorithm = oidScrypt
		kdf.Parameters, err = rawDER(scryptParams{Salt: salt, CostParameter: setting.scryptN, BlockSize: setting.scryptR, ParallelizationParameter: setting.scryptP})
		if err == nil {
			derived, err = scrypt.Key([]byte(passphrase), salt, setting.scryptN, setting.scryptR, setting.scryptP, 32)
		}
	}
	if err != nil {
		return "", fmt.Errorf("deriving the encryption key: %w", err)
	}
	defer clear(derived)
	ivParam, err := rawDER(iv)
	if err != nil {
		return "", err
	}
	params, err := rawDER(pbes2Params{KeyDerivationFunc: kdf, EncryptionScheme: pkix.AlgorithmIdentifier{Algorithm: oidAES256CBC, Parameters: ivParam}})
	if err != nil {
		return "", err
	}

	block, err := aes.NewCipher(derived)
	if err != nil {
		return "", err
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	sealed := make([]byte, len(plain)+pad)
	copy(sealed, plain)
	for i := len(plain); i < len(sealed); i++ {
		sealed[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(sealed, sealed)

	der, err := asn1.Marshal(encryptedPrivateKeyInfo{
		Algorithm:     pkix.AlgorithmIdentifier{Algorithm: oidPBES2, Parameters: params},
		EncryptedData: sealed,
	})
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der})), nil
}

func rawDER(v any) (asn1.RawValue, error) {
	der, err := asn1.Marshal(v)
	if err != nil {
		return asn1.RawValue{}, err
	}
	return asn1.RawValue{FullBytes: der}, nil
}

// DecryptPrivateKey reads an encrypted PKCS#8 PEM key: what EncryptPrivateKey
// writes, and what `openssl pkcs8 -topk8 -v2 aes-256-cbc` (or aes-128/192-cbc,
// with any HMAC-SHA1/SHA-2 PRF) and `openssl pkcs8 -topk8 -scrypt` write. A wrong
// passphrase gives ErrWrongPassphrase. Errors never quote the passphrase or the
// input. The passphrase is used as given (UTF-8 bytes, as Python and openssl
// pass it); ValidatePassphrase is a policy for new keys only.
func DecryptPrivateKey(pemText, passphrase string) (crypto.Signer, error) {
	block, err := keyBlock(pemText)
	if err != nil {
		return nil, err
	}
	if strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
		return nil, errors.New("legacy PEM encryption (Proc-Type: 4,ENCRYPTED) is not supported: convert the key with openssl pkcs8 -topk8 -v2 aes-256-cbc")
	}
	switch block.Type {
	case "ENCRYPTED PRIVATE KEY":
	case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
		return nil, errors.New("the private key is not encrypted")
	default:
		return nil, fmt.Errorf("PEM block type %q is not an ENCRYPTED PRIVATE KEY", block.Type)
	}

	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(block.Bytes, &info); err != nil || len(rest) != 0 {
		return nil, errEncryptedDER
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("key encryption scheme %s is not supported: only PBES2 is (openssl pkcs8 -topk8 -v2 aes-256-cbc)", info.Algorithm.Algorithm)
	}
	var params pbes2Params
	if rest, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil || len(rest) != 0 {
		return nil, errEncryptedDER
	}

	keyLen, iv, err := aesCBCParams(params.EncryptionScheme)
	if err != nil {
		return nil, err
	}
	if len(info.EncryptedData) == 0 || len(info.EncryptedData)%aes.BlockSize != 0 {
		return nil, errEncryptedDER
	}
	derived, err := deriveKey(params.KeyDerivationFunc, passphrase, keyLen)
	if err != nil {
		return nil, err
	}
	defer clear(derived)

	blockCipher, err := aes.NewCipher(derived)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(info.EncryptedData))
	defer clear(plain)
	cipher.NewCBCDecrypter(blockCipher, iv).CryptBlocks(plain, info.EncryptedData)
	plain, ok := unpad(plain)
	if !ok {
		return nil, ErrWrongPassphrase
	}
	return parseDecryptedPKCS8(plain)
}

// IsEncryptedKey reports whether PEM text holds an encrypted PKCS#8 key.
func IsEncryptedKey(pemText string) bool {
	block, err := keyBlock(pemText)
	return err == nil && block.Type == "ENCRYPTED PRIVATE KEY"
}

// CheckEncryptedKey checks an encrypted PKCS#8 key's structure without the
// passphrase: PBES2 with AES-CBC, and ciphertext of whole blocks. Whether it
// holds the right key can only be known by decrypting it.
func CheckEncryptedKey(pemText string) error {
	block, err := keyBlock(pemText)
	if err != nil {
		return err
	}
	if block.Type != "ENCRYPTED PRIVATE KEY" {
		return fmt.Errorf("PEM block type %q is not an ENCRYPTED PRIVATE KEY", block.Type)
	}
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(block.Bytes, &info); err != nil || len(rest) != 0 || !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return errEncryptedDER
	}
	var params pbes2Params
	if rest, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil || len(rest) != 0 {
		return errEncryptedDER
	}
	if _, _, err := aesCBCParams(params.EncryptionScheme); err != nil {
		return err
	}
	if len(info.EncryptedData) == 0 || len(info.EncryptedData)%aes.BlockSize != 0 {
		return errEncryptedDER
	}
	return nil
}

// aesCBCParams reads an AES-CBC encryption scheme: its key length and IV.
func aesCBCParams(scheme pkix.AlgorithmIdentifier) (int, []byte, error) {
	var keyLen int
	switch {
	case scheme.Algorithm.Equal(oidAES128CBC):
		keyLen = 16
	case scheme.Algorithm.Equal(oidAES192CBC):
		keyLen = 24
	case scheme.Algorithm.Equal(oidAES256CBC):
		keyLen = 32
	default:
		return 0, nil, fmt.Errorf("key encryption cipher %s is not supported: use AES-CBC (openssl pkcs8 -topk8 -v2 aes-256-cbc)", scheme.Algorithm)
	}
	var iv []byte
	if rest, err := asn1.Unmarshal(scheme.Parameters.FullBytes, &iv); err != nil || len(rest) != 0 || len(iv) != aes.BlockSize {
		return 0, nil, errEncryptedDER
	}
	return keyLen, iv, nil
}

// deriveKey runs the key derivation function, within bounds that keep a hostile
// file from costing minutes or gigabytes.
func deriveKey(kdf pkix.AlgorithmIdentifier, passphrase string, keyLen int) ([]byte, error) {
	switch {
	case kdf.Algorithm.Equal(oidPBKDF2):
		var p pbkdf2Params
		if rest, err := asn1.Unmarshal(kdf.Parameters.FullBytes, &p); err != nil || len(rest) != 0 {
			return nil, errEncryptedDER
		}
		if p.Salt.Class != asn1.ClassUniversal || p.Salt.Tag != asn1.TagOctetString || p.Salt.IsCompound {
			return nil, errors.New("PBKDF2 salt from another source than the key file is not supported")
		}
		if p.IterationCount < 1 || p.IterationCount > maxPBKDF2Iterations {
			return nil, fmt.Errorf("PBKDF2 iteration count %d is outside 1 to %d", p.IterationCount, maxPBKDF2Iterations)
		}
		if p.KeyLength != 0 && p.KeyLength != keyLen {
			return nil, errEncryptedDER
		}
		h, err := prfHash(p.PRF)
		if err != nil {
			return nil, err
		}
		derived, err := pbkdf2.Key(h, passphrase, p.Salt.Bytes, p.IterationCount, keyLen)
		if err != nil {
			return nil, fmt.Errorf("PBKDF2: %w", err)
		}
		return derived, nil
	case kdf.Algorithm.Equal(oidScrypt):
		var p scryptParams
		if rest, err := asn1.Unmarshal(kdf.Parameters.FullBytes, &p); err != nil || len(rest) != 0 {
			return nil, errEncryptedDER
		}
		if p.KeyLength != 0 && p.KeyLength != keyLen {
			return nil, errEncryptedDER
		}
		if err := checkScrypt(p.CostParameter, p.BlockSize, p.ParallelizationParameter); err != nil {
			return nil, err
		}
		derived, err := scrypt.Key([]byte(passphrase), p.Salt, p.CostParameter, p.BlockSize, p.ParallelizationParameter, keyLen)
		if err != nil {
			return nil, fmt.Errorf("scrypt: %w", err)
		}
		return derived, nil
	}
	return nil, fmt.Errorf("key derivation function %s is not supported: use PBKDF2 or scrypt", kdf.Algorithm)
}

// checkScrypt accepts what OpenSSL accepts (so what the gateway can load), and
// no more than maxScryptWork.
func checkScrypt(n, r, p int) error {
	if n < 2 || n&(n-1) != 0 || r < 1 || p < 1 {
		return fmt.Errorf("scrypt parameters N=%d r=%d p=%d are invalid (N a power of 2 above 1, r and p at least 1)", n, r, p)
	}
	// Each factor is at most 2^21 before a product is taken: no overflow in 64 bits.
	N, R, P := int64(n), int64(r), int64(p)
	if N > maxScryptWork || R > maxScryptWork || P > maxScryptWork || N*R > maxScryptWork || N*R*P > maxScryptWork {
		return fmt.Errorf("scrypt parameters N=%d r=%d p=%d cost more than N*r*p = %d", n, r, p, maxScryptWork)
	}
	// OpenSSL refuses N >= 2^(16r) (RFC 7914 section 2).
	if 16*R < 63 && N >= int64(1)<<(16*R) {
		return fmt.Errorf("scrypt parameters N=%d r=%d p=%d are invalid (N must be below 2^(16r))", n, r, p)
	}
	// OpenSSL: B is 128*r*p bytes, V, X and T together 128*r*(N+2).
	if mem := 128*R*(N+2) + 128*R*P; mem > maxScryptMemory {
		return fmt.Errorf("scrypt parameters N=%d r=%d p=%d need %d bytes, above OpenSSL's limit of %d: neither openssl nor the gateway could load this key", n, r, p, mem, maxScryptMemory)
	}
	return nil
}

func prfHash(prf pkix.AlgorithmIdentifier) (func() hash.Hash, error) {
	if len(prf.Parameters.FullBytes) != 0 && string(prf.Parameters.FullBytes) != string(asn1.NullBytes) {
		return nil, errEncryptedDER
	}
	switch {
	case len(prf.Algorithm) == 0, prf.Algorithm.Equal(oidHMACWithSHA1): // the DEFAULT
		return sha1.New, nil
	case prf.Algorithm.Equal(oidHMACWithSHA224):
		return sha256.New224, nil
	case prf.Algorithm.Equal(oidHMACWithSHA256):
		return sha256.New, nil
	case prf.Algorithm.Equal(oidHMACWithSHA384):
		return sha512.New384, nil
	case prf.Algorithm.Equal(oidHMACWithSHA512):
		return sha512.New, nil
	}
	return nil, fmt.Errorf("PBKDF2 pseudo-random function %s is not supported: use HMAC with SHA-1 or SHA-2", prf.Algorithm)
}

// unpad strips PKCS#7 padding; a wrong key leaves padding that fails this check
// about 255 times in 256.
func unpad(b []byte) ([]byte, bool) {
	n := int(b[len(b)-1])
	if n < 1 || n > aes.BlockSize || n > len(b) {
		return nil, false
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, false
		}
	}
	return b[:len(b)-n], true
}

// parseDecryptedPKCS8 tells a wrong passphrase (no PKCS#8 structure at all) from a
// right one that reveals a key this package does not support.
func parseDecryptedPKCS8(der []byte) (crypto.Signer, error) {
	var outer struct {
		Version    int
		Algorithm  pkix.AlgorithmIdentifier
		PrivateKey []byte
	}
	if _, err := asn1.Unmarshal(der, &outer); err != nil {
		return nil, ErrWrongPassphrase
	}
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("the decrypted private key (algorithm %s) is not supported or malformed", outer.Algorithm.Algorithm)
	}
	return supportedSigner(key)
}
