// Package releasetest checks a release the way users get it. TestRelease (run
// by make release-check, skipped unless MCPTLS_RELEASE_CHECK=1):
//
//  1. goreleaser's release pipeline, publishing skipped, from a v<version> tag
//     in a scratch clone (the version and the release notes are CHANGELOG.md's
//     top entry): every platform zipped, SHA256SUMS signed with a throwaway GPG
//     key, the result verified file by file;
//  2. a provider registry on 127.0.0.1 (package registry, HTTPS with a
//     certificate from this provider's pki) serving it; on each engine,
//     `init` of the quickstart with a version constraint, apply, an empty plan,
//     the lock file's hashes, `providers lock` for several platforms, and
//     tampered packages refused;
//  3. an upgrade from an earlier commit released as 0.1.0;
//  4. `providers mirror` and an install from that filesystem mirror alone.
//
// Its environment: MCPTLS_GORELEASER (the goreleaser binary),
// MCPTLS_LOCAL_PROVIDER (a hashicorp/local binary for the quickstart),
// MCPTLS_RELEASE_ENGINES ("terraform=/path opentofu=/path"), and
// MCPTLS_RELEASE_KEEP=1 to keep the work directory for a look. Everything it
// writes is under a temporary directory. The helpers outside _test files are
// pure and tested by make test.
package releasetest
