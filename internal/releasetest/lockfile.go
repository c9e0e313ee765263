package releasetest

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
	"golang.org/x/mod/sumdb/dirhash"
)

// Locked is one provider of a .terraform.lock.hcl.
type Locked struct {
	Address     string   `hcl:"address,label"`
	Version     string   `hcl:"version"`
	Constraints string   `hcl:"constraints,optional"`
	Hashes      []string `hcl:"hashes,optional"`
}

// ParseLockFile reads a dependency lock file as Terraform and OpenTofu write
// it, by provider address; hashes come back sorted.
func ParseLockFile(src []byte) (map[string]Locked, error) {
	f, diags := hclparse.NewParser().ParseHCL(src, ".terraform.lock.hcl")
	if diags.HasErrors() {
		return nil, diags
	}
	var doc struct {
		Providers []Locked `hcl:"provider,block"`
	}
	if diags := gohcl.DecodeBody(f.Body, nil, &doc); diags.HasErrors() {
		return nil, diags
	}
	out := map[string]Locked{}
	for _, p := range doc.Providers {
		if _, dup := out[p.Address]; dup {
			return nil, fmt.Errorf("provider %q is locked twice", p.Address)
		}
		slices.Sort(p.Hashes)
		out[p.Address] = p
	}
	return out, nil
}

// WantHashes is what a lock file should hold for a release installed from a
// registry: a zh: hash for every line of its signed SHA256SUMS (each platform's
// zip, and the manifest: Terraform takes the whole signed list), and an h1:
// hash (of the unpacked contents) for each platform installed or locked. sums
// maps file names to hex SHA-256; zips maps a platform ("linux_amd64") to its
// zip's path.
func WantHashes(sums map[string]string, zips map[string]string, platforms ...string) ([]string, error) {
	var want []string
	for _, sum := range sums {
		want = append(want, "zh:"+sum)
	}
	for _, pl := range platforms {
		zip, ok := zips[pl]
		if !ok {
			return nil, fmt.Errorf("no zip for %s", pl)
		}
		h1, err := dirhash.HashZip(zip, dirhash.Hash1)
		if err != nil {
			return nil, err
		}
		want = append(want, h1)
	}
	slices.Sort(want)
	return slices.Compact(want), nil
}
