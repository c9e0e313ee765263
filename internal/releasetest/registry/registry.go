// Package registry is a small Terraform provider registry for tests: it serves
// release directories as goreleaser writes them (zips, SHA256SUMS, its detached
// signature, the registry manifest) through the provider registry protocol
// (service discovery, versions, download) over HTTPS, on 127.0.0.1 only.
//
// It answers what the public registry answers for a published release: the
// protocols from the release's manifest, the platforms and checksums from its
// SHA256SUMS file (the registry records them when a version is published), and
// the public key that signed that file. It never signs or hashes anything itself.
package registry

import (
	"bufio"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/hashicorp/go-version"
)

// Release is one published version of one provider: the directory holds
// terraform-provider-<type>_<version>_{<os>_<arch>.zip,SHA256SUMS,SHA256SUMS.sig,manifest.json}.
type Release struct {
	Namespace, Type, Version string
	Dir                      string
	// SigningKey is the ASCII-armored public key that signed SHA256SUMS.
	SigningKey string
	// ShasumFromArchive announces the SHA-256 of each zip as it is on disk now,
	// instead of the one recorded in SHA256SUMS at publication: a registry that
	// trusts its storage. Tests use it to show a tampered zip is still refused.
	ShasumFromArchive bool
}

// Platform is an os/arch pair a release has a zip for.
type Platform struct {
	OS   string `json:"os"`
	Arch string `json:"arch"`
}

// published is a Release as the registry records it at publication.
type published struct {
	Release
	protocols []string
	keyID     string
	archives  map[Platform]string // platform -> zip file name
	sums      map[string]string   // file name -> hex SHA-256 from SHA256SUMS
}

func (p *published) prefix() string {
	return fmt.Sprintf("terraform-provider-%s_%s", p.Type, p.Version)
}

// Server is a running registry.
type Server struct {
	// Host is what a provider source address names: 127.0.0.1:<port>.
	Host string

	listener net.Listener
	http     *http.Server
	done     chan struct{}

	mu       sync.Mutex
	releases map[string][]*published // "namespace/type" -> versions

	requests atomic.Int64
	offline  atomic.Bool
}

// Start serves on 127.0.0.1 (a port the kernel picks) with cert, until Close.
func Start(cert tls.Certificate) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{
		Host:     ln.Addr().String(),
		listener: ln,
		done:     make(chan struct{}),
		releases: map[string][]*published{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/terraform.json", s.discovery)
	mux.HandleFunc("GET /v1/providers/{namespace}/{type}/versions", s.versions)
	mux.HandleFunc("GET /v1/providers/{namespace}/{type}/{version}/download/{os}/{arch}", s.download)
	mux.HandleFunc("GET /files/{namespace}/{type}/{version}/{file}", s.file)
	s.http = &http.Server{
		Handler:   s.count(mux),
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		// A client that does not trust the certificate is the test's to report.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go func() {
		defer close(s.done)
		_ = s.http.ServeTLS(ln, "", "")
	}()
	return s, nil
}

// Close stops serving and waits for the server to end.
func (s *Server) Close() error {
	err := s.http.Close()
	<-s.done
	return err
}

// URL is the registry's base URL.
func (s *Server) URL() string { return "https://" + s.Host }

// Requests is how many HTTP requests the registry has received.
func (s *Server) Requests() int64 { return s.requests.Load() }

// SetOffline makes every request fail with 503 (still counted), to show a run
// that must not need the registry did not ask it.
func (s *Server) SetOffline(off bool) { s.offline.Store(off) }

func (s *Server) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if s.offline.Load() {
			http.Error(w, "registry offline for this test", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}

var zipName = regexp.MustCompile(`^terraform-provider-([a-z0-9-]+)_([^_]+)_([a-z0-9]+)_([a-z0-9]+)\.zip$`)

// Publish adds a release, reading what the registry records from its files:
// every zip named in SHA256SUMS (with its checksum), the manifest's protocol
// versions (5.0 without a manifest, as the public registry assumes) and the
// signing key's ID. The signature file must exist; checking it is the client's job.
func (s *Server) Publish(r Release) error {
	if _, err := version.NewSemver(r.Version); err != nil {
		return fmt.Errorf("version %q: %w", r.Version, err)
	}
	p := &published{Release: r, archives: map[Platform]string{}, sums: map[string]string{}}
	sums, err := os.ReadFile(filepath.Join(r.Dir, p.prefix()+"_SHA256SUMS"))
	if err != nil {
		return err
	}
	if p.sums, err = ParseSHA256SUMS(sums); err != nil {
		return err
	}
	for name := range p.sums {
		m := zipName.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		if m[1] != r.Type || m[2] != r.Version {
			return fmt.Errorf("%s in SHA256SUMS of %s %s", name, r.Type, r.Version)
		}
		p.archives[Platform{OS: m[3], Arch: m[4]}] = name
	}
	if len(p.archives) == 0 {
		return fmt.Errorf("no zip for %s %s in its SHA256SUMS", r.Type, r.Version)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, p.prefix()+"_SHA256SUMS.sig")); err != nil {
		return err
	}
	if p.protocols, err = manifestProtocols(filepath.Join(r.Dir, p.prefix()+"_manifest.json")); err != nil {
		return err
	}
	keys, err := openpgp.ReadArmoredKeyRing(strings.NewReader(r.SigningKey))
	if err != nil {
		return fmt.Errorf("signing key: %w", err)
	}
	if len(keys) == 0 {
		return errors.New("signing key: the armored text holds no key")
	}
	p.keyID = strings.ToUpper(keys[0].PrimaryKey.KeyIdString())

	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.Namespace + "/" + r.Type
	for _, old := range s.releases[id] {
		if old.Version == r.Version {
			return fmt.Errorf("%s %s is already published", id, r.Version)
		}
	}
	s.releases[id] = append(s.releases[id], p)
	return nil
}

// Unpublish removes a version, as a registry's owner can; it reports whether
// the version was there.
func (s *Server) Unpublish(namespace, typ, ver string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := namespace + "/" + typ
	n := len(s.releases[id])
	s.releases[id] = slices.DeleteFunc(s.releases[id], func(p *published) bool { return p.Version == ver })
	return len(s.releases[id]) < n
}

// ParseSHA256SUMS reads a `sha256sum` listing: "<hex>  <name>" per line.
func ParseSHA256SUMS(b []byte) (map[string]string, error) {
	sums := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for n := 1; sc.Scan(); n++ {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if raw, err := hex.DecodeString(sum); !ok || err != nil || len(raw) != sha256.Size || name == "" {
			return nil, fmt.Errorf("SHA256SUMS line %d is not \"<sha256>  <file>\": %q", n, sc.Text())
		}
		sums[name] = sum
	}
	return sums, sc.Err()
}

func manifestProtocols(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return []string{"5.0"}, nil
	}
	if err != nil {
		return nil, err
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if m.Version != 1 || len(m.Metadata.ProtocolVersions) == 0 {
		return nil, fmt.Errorf("%s: want version 1 with metadata.protocol_versions", filepath.Base(path))
	}
	return m.Metadata.ProtocolVersions, nil
}

func (s *Server) lookup(r *http.Request) []*published {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.releases[r.PathValue("namespace")+"/"+r.PathValue("type")])
}

func (s *Server) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]string{"providers.v1": "/v1/providers/"})
}

type versionEntry struct {
	Version   string     `json:"version"`
	Protocols []string   `json:"protocols"`
	Platforms []Platform `json:"platforms"`
}

func (s *Server) versions(w http.ResponseWriter, r *http.Request) {
	rels := s.lookup(r)
	if len(rels) == 0 {
		http.Error(w, `{"errors":["Not Found"]}`, http.StatusNotFound)
		return
	}
	out := struct {
		Versions []versionEntry `json:"versions"`
	}{}
	for _, p := range rels {
		e := versionEntry{Version: p.Version, Protocols: p.protocols}
		for pl := range p.archives {
			e.Platforms = append(e.Platforms, pl)
		}
		slices.SortFunc(e.Platforms, func(a, b Platform) int { return strings.Compare(a.OS+"_"+a.Arch, b.OS+"_"+b.Arch) })
		out.Versions = append(out.Versions, e)
	}
	writeJSON(w, out)
}

type gpgKey struct {
	KeyID      string `json:"key_id"`
	ASCIIArmor string `json:"ascii_armor"`
	Source     string `json:"source"`
}

type downloadResponse struct {
	Protocols           []string `json:"protocols"`
	OS                  string   `json:"os"`
	Arch                string   `json:"arch"`
	Filename            string   `json:"filename"`
	DownloadURL         string   `json:"download_url"`
	SHASumsURL          string   `json:"shasums_url"`
	SHASumsSignatureURL string   `json:"shasums_signature_url"`
	SHASum              string   `json:"shasum"`
	SigningKeys         struct {
		GPGPublicKeys []gpgKey `json:"gpg_public_keys"`
	} `json:"signing_keys"`
}

func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	var p *published
	for _, c := range s.lookup(r) {
		if c.Version == r.PathValue("version") {
			p = c
		}
	}
	pl := Platform{OS: r.PathValue("os"), Arch: r.PathValue("arch")}
	if p == nil || p.archives[pl] == "" {
		http.Error(w, `{"errors":["Not Found"]}`, http.StatusNotFound)
		return
	}
	name := p.archives[pl]
	sum := p.sums[name]
	if p.ShasumFromArchive {
		b, err := os.ReadFile(filepath.Join(p.Dir, name))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h := sha256.Sum256(b)
		sum = hex.EncodeToString(h[:])
	}
	base := fmt.Sprintf("%s/files/%s/%s/%s/", s.URL(), p.Namespace, p.Type, p.Version)
	resp := downloadResponse{
		Protocols:           p.protocols,
		OS:                  pl.OS,
		Arch:                pl.Arch,
		Filename:            name,
		DownloadURL:         base + name,
		SHASumsURL:          base + p.prefix() + "_SHA256SUMS",
		SHASumsSignatureURL: base + p.prefix() + "_SHA256SUMS.sig",
		SHASum:              sum,
	}
	resp.SigningKeys.GPGPublicKeys = []gpgKey{{KeyID: p.keyID, ASCIIArmor: p.SigningKey, Source: p.Namespace}}
	writeJSON(w, resp)
}

// file serves the release's own files: the zips, SHA256SUMS and its signature.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	for _, p := range s.lookup(r) {
		if p.Version != r.PathValue("version") {
			continue
		}
		if _, listed := p.sums[name]; listed || name == p.prefix()+"_SHA256SUMS" || name == p.prefix()+"_SHA256SUMS.sig" {
			http.ServeFile(w, r, filepath.Join(p.Dir, name))
			return
		}
	}
	http.NotFound(w, r)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
