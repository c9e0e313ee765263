package pki

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// pemBlock is one decoded block and the line its BEGIN is on.
type pemBlock struct {
	*pem.Block
	line int
}

// strayText is what stopped splitPEM: something that is not a whole PEM block.
type strayText struct {
	line int
	what string
}

func (s *strayText) String() string { return fmt.Sprintf("%s at line %d", s.what, s.line) }

// splitPEM decodes PEM text strictly: blocks with nothing but whitespace around
// and between them. It returns the blocks read before the first thing that is
// not a whole block, and that thing (nil when the text was clean). Unlike
// pem.Decode, it never skips text or a malformed block to find a later one.
// Descriptions never quote the input beyond a block's type.
func splitPEM(text string) ([]pemBlock, *strayText) {
	var blocks []pemBlock
	rest, offset := text, 0
	for {
		trimmed := strings.TrimLeftFunc(rest, unicode.IsSpace)
		offset += len(rest) - len(trimmed)
		rest = trimmed
		if rest == "" {
			return blocks, nil
		}
		line := strings.Count(text[:offset], "\n") + 1
		if !strings.HasPrefix(rest, "-----BEGIN ") {
			return blocks, &strayText{line, "text that is not PEM"}
		}
		header := rest
		if eol := strings.IndexByte(rest, '\n'); eol >= 0 {
			header = rest[:eol]
		}
		header = strings.TrimRight(header, " \t\r")
		if len(header) <= len("-----BEGIN -----") || !strings.HasSuffix(header, "-----") {
			return blocks, &strayText{line, "a malformed BEGIN line"}
		}
		typ := header[len("-----BEGIN ") : len(header)-len("-----")]
		end := strings.Index(rest, "\n-----END "+typ+"-----")
		if end < 0 || strings.Contains(rest[:end+1], "\n-----BEGIN ") {
			return blocks, &strayText{line, fmt.Sprintf("a %s block without its END line", quoteType(typ))}
		}
		size := end + len("\n-----END "+typ+"-----")
		block, after := pem.Decode([]byte(rest[:size]))
		if block == nil || len(bytes.TrimSpace(after)) != 0 || block.Type != typ {
			return blocks, &strayText{line, fmt.Sprintf("a malformed %s block (its body is not base64 or its headers are broken)", quoteType(typ))}
		}
		blocks = append(blocks, pemBlock{block, line})
		rest, offset = rest[size:], offset+size
	}
}

// quoteType names a block type in a message; an absurdly long one is cut.
func quoteType(typ string) string {
	if len(typ) > 40 {
		typ = typ[:40] + "..."
	}
	return typ
}

// found lists what follows the blocks a caller wanted, for a message.
func found(extra []pemBlock, stray *strayText) string {
	var parts []string
	for _, b := range extra {
		parts = append(parts, fmt.Sprintf("a %s block at line %d", quoteType(b.Type), b.line))
	}
	if stray != nil {
		parts = append(parts, stray.String())
	}
	return strings.Join(parts, ", then ")
}

var errNoPEM = errors.New("no PEM block found")

// noBlocks explains text in which splitPEM found no whole block.
func noBlocks(text string, stray *strayText) error {
	if stray == nil || !strings.Contains(text, "-----BEGIN ") {
		return errNoPEM
	}
	return fmt.Errorf("found %s where a PEM block should start", stray)
}

// certificateFix is the advice every strict certificate error ends with.
const certificateFix = "the PEM text must be exactly one CERTIFICATE block with nothing but whitespace around it " +
	"(a peer loading it as one certificate, such as Python's ssl with ca.crt, refuses anything else): " +
	"keep only the certificate, for example with `openssl x509 -in ca.crt -out ca-only.crt`"

// ParseCertificate reads PEM text that is exactly one CERTIFICATE block, with
// nothing but whitespace around it.
func ParseCertificate(pemText string) (*x509.Certificate, error) {
	blocks, stray := splitPEM(pemText)
	if len(blocks) == 0 {
		if err := noBlocks(pemText, stray); !errors.Is(err, errNoPEM) {
			return nil, fmt.Errorf("%w; %s", err, certificateFix)
		}
		return nil, errNoPEM
	}
	if blocks[0].Type != "CERTIFICATE" {
		return nil, fmt.Errorf("PEM block type %q is not a CERTIFICATE", quoteType(blocks[0].Type))
	}
	if len(blocks) > 1 || stray != nil {
		return nil, fmt.Errorf("found %s after the certificate; %s", found(blocks[1:], stray), certificateFix)
	}
	return parseDER(blocks[0])
}

// ParseCertificates reads a bundle: one or more CERTIFICATE blocks, nothing
// else but whitespace (a CA trust bundle, as peers load ca.crt).
func ParseCertificates(pemText string) ([]*x509.Certificate, error) {
	blocks, stray := splitPEM(pemText)
	if len(blocks) == 0 {
		if err := noBlocks(pemText, stray); !errors.Is(err, errNoPEM) {
			return nil, fmt.Errorf("%w; a certificate bundle is CERTIFICATE blocks with nothing but whitespace between them", err)
		}
		return nil, errNoPEM
	}
	var certs []*x509.Certificate
	for i, b := range blocks {
		if b.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("block %d (line %d) is a %s block: a certificate bundle holds CERTIFICATE blocks only", i+1, b.line, quoteType(b.Type))
		}
		cert, err := parseDER(b)
		if err != nil {
			return nil, fmt.Errorf("block %d (line %d): %w", i+1, b.line, err)
		}
		certs = append(certs, cert)
	}
	if stray != nil {
		return nil, fmt.Errorf("found %s after %d certificate(s): a certificate bundle is CERTIFICATE blocks with nothing but whitespace between them; remove it", stray, len(certs))
	}
	return certs, nil
}

func parseDER(b pemBlock) (*x509.Certificate, error) {
	cert, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("certificate DER is malformed: %w", err)
	}
	return cert, nil
}

var privateKeyTypes = map[string]bool{"PRIVATE KEY": true, "RSA PRIVATE KEY": true, "EC PRIVATE KEY": true, "ENCRYPTED PRIVATE KEY": true}

// keyBlock finds the one private key block of PEM text. Leading EC PARAMETERS
// blocks (what `openssl ecparam -genkey` writes before EC PRIVATE KEY) are
// skipped; anything else before or after the key is an error. Messages name
// block types and lines, never the content.
func keyBlock(pemText string) (*pem.Block, error) {
	blocks, stray := splitPEM(pemText)
	i := 0
	for i < len(blocks) && blocks[i].Type == "EC PARAMETERS" {
		i++
	}
	switch {
	case len(blocks) == 0:
		return nil, noBlocks(pemText, stray)
	case i == len(blocks) && stray != nil:
		return nil, fmt.Errorf("found %s where the private key block should be", stray)
	case i == len(blocks):
		return nil, errors.New("only EC PARAMETERS found: the EC PRIVATE KEY block that should follow them is missing")
	}
	if !privateKeyTypes[blocks[i].Type] {
		return nil, fmt.Errorf("PEM block type %q is not a private key", quoteType(blocks[i].Type))
	}
	if len(blocks) > i+1 || stray != nil {
		return nil, fmt.Errorf("found %s after the private key: the PEM text must hold the private key alone (EC PARAMETERS before it are allowed); remove the rest", found(blocks[i+1:], stray))
	}
	return blocks[i].Block, nil
}
