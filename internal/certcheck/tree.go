package certcheck

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/mcptls/terraform-provider-mcptls/internal/safefile"
)

// Names and files of the gateway Makefile's certs/mcp tree. Only certificates
// are read: never ca.key, client.key or server.key.
const (
	NameCA        = "ca"
	NameGateway   = "gateway"
	PluginsPrefix = "plugins/"

	caFile      = "ca/ca.crt"
	gatewayFile = "gateway/client.crt"
	gatewayCA   = "gateway/ca.crt"
)

// MaxFileSize caps every file the tree reader reads: a certificate or a CA
// bundle is a few KiB, so anything near this is not one.
const MaxFileSize = safefile.DefaultLimit

// errMissing marks a file that does not exist, so the tree reader can fall back
// from a missing copy of ca.crt to the CA's.
var errMissing = errors.New("does not exist")

// ReadTree reads the Makefile's tree at dir, in this order:
//
//   - "ca": ca/ca.crt, checked against itself;
//   - "gateway": gateway/client.crt, checked against gateway/ca.crt when that
//     exists, else against ca/ca.crt;
//   - "plugins/<name>": plugins/<name>/server.crt for every directory under
//     plugins/, sorted by name, against plugins/<name>/ca.crt when that exists,
//     else against ca/ca.crt.
//
// A missing, oversized or special file is reported in its Input (CertErr or
// BundleErr), never as an error: the CA and the gateway are always listed, and a
// plugin directory without server.crt is listed too. Entries of plugins/ that
// are not directories, and names starting with a dot, are skipped as the
// Makefile's `plugins/*` loop skips them. Symbolic links are followed (see
// safefile.ReadFile). The error is only for a dir, or a plugins/, that cannot be read
// as a directory.
func ReadTree(dir string) ([]Input, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("directory %s does not exist", QuoteIfNeeded(dir))
		}
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is %s, not a directory", QuoteIfNeeded(dir), safefile.Describe(fi.Mode()))
	}
	caPEM, caErr := readTreeFile(dir, caFile)
	inputs := []Input{
		{Name: NameCA, Role: RoleCA, CertFile: caFile, CertPEM: caPEM, CertErr: caErr},
		leaf(dir, NameGateway, RoleClient, gatewayFile, gatewayCA, caPEM, caErr),
	}

	plugins := filepath.Join(dir, "plugins")
	switch fi, err := os.Stat(plugins); {
	case errors.Is(err, fs.ErrNotExist):
		return inputs, nil
	case err != nil:
		return nil, fmt.Errorf("plugins: %w", statError(err))
	case !fi.IsDir():
		return nil, fmt.Errorf("plugins is %s, not a directory", safefile.Describe(fi.Mode()))
	}
	entries, err := os.ReadDir(plugins)
	if err != nil {
		return nil, fmt.Errorf("reading plugins: %w", statError(err))
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			target, err := os.Stat(filepath.Join(plugins, name))
			if err != nil {
				certErr := fmt.Errorf("plugins/%s %w", QuoteIfNeeded(name), statError(err))
				if errors.Is(err, fs.ErrNotExist) {
					certErr = fmt.Errorf("plugins/%s is a symbolic link that does not resolve", QuoteIfNeeded(name))
				}
				inputs = append(inputs, Input{Name: PluginsPrefix + name, Role: RoleServer, CertFile: "plugins/" + name + "/server.crt", CertErr: certErr})
				continue
			}
			if !target.IsDir() {
				continue
			}
		} else if !e.IsDir() {
			continue
		}
		inputs = append(inputs, leaf(dir, PluginsPrefix+name, RoleServer, "plugins/"+name+"/server.crt", "plugins/"+name+"/ca.crt", caPEM, caErr))
	}
	return inputs, nil
}

// leaf reads a leaf certificate and the copy of ca.crt beside it, or the CA's
// own when there is no copy.
func leaf(dir, name string, role Role, certFile, copyFile string, caPEM []byte, caErr error) Input {
	in := Input{Name: name, Role: role, CertFile: certFile}
	in.CertPEM, in.CertErr = readTreeFile(dir, certFile)
	if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(copyFile))); !errors.Is(err, fs.ErrNotExist) {
		in.BundleFile = copyFile
		in.BundlePEM, in.BundleErr = readTreeFile(dir, copyFile)
		return in
	}
	in.BundleFile, in.BundlePEM, in.BundleErr = caFile, caPEM, caErr
	if errors.Is(caErr, errMissing) {
		in.BundleErr = fmt.Errorf("neither %s nor %s exists", QuoteIfNeeded(copyFile), caFile)
	}
	return in
}

// readTreeFile reads a file of the tree and names it by its path in the tree.
func readTreeFile(dir, rel string) ([]byte, error) {
	data, err := safefile.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)), MaxFileSize)
	var fe *safefile.Error
	switch {
	case err == nil:
		return data, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s %w", QuoteIfNeeded(rel), errMissing)
	case errors.As(err, &fe):
		return nil, fmt.Errorf("%s %s", QuoteIfNeeded(rel), fe.Problem)
	}
	return nil, err
}

// statError explains a directory of the tree that cannot be read; the caller
// names it.
func statError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot be read: %w", err)
}
