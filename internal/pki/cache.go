package pki

import (
	"crypto/sha256"
	"sync"
)

// Every leaf of a configuration names the same CA, and each plan checks the
// CA inputs of every leaf: parsing an RSA-4096 CA key once per leaf was the
// provider's own largest cost in a no-op plan (bench/README.md). A parse that
// succeeded is remembered by the hash of its PEM text, for the life of the
// provider process. Parsed certificates and keys are never modified, and a
// crypto.Signer is safe for concurrent use.
type parseCache struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]any
}

// maxCached bounds the cache: a configuration has a handful of CAs.
const maxCached = 64

var issuers = &parseCache{entries: map[[sha256.Size]byte]any{}}

func cacheKey(texts ...string) [sha256.Size]byte {
	h := sha256.New()
	for _, t := range texts {
		h.Write([]byte(t))
		h.Write([]byte{0})
	}
	var k [sha256.Size]byte
	copy(k[:], h.Sum(nil))
	return k
}

func (c *parseCache) get(texts ...string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[cacheKey(texts...)]
	return v, ok
}

func (c *parseCache) put(v any, texts ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCached {
		clear(c.entries)
	}
	c.entries[cacheKey(texts...)] = v
}
