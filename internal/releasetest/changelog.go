package releasetest

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/go-version"
)

// Entry is one release's section of CHANGELOG.md.
type Entry struct {
	Version *version.Version
	// Date is what the heading says in parentheses: "November 24, 2026" or "Unreleased".
	Date string
	// Notes is the section's text without its heading: the release notes.
	Notes string
}

var entryHeading = regexp.MustCompile(`^## (\S+) \(([^)]+)\)\s*$`)

// ParseChangelog reads every "## X.Y.Z (date)" section, newest first, and
// checks the order: each version above the next, and only the top one may be
// Unreleased.
func ParseChangelog(text string) ([]Entry, error) {
	var entries []Entry
	var body []string
	flush := func() {
		if len(entries) > 0 {
			entries[len(entries)-1].Notes = strings.TrimSpace(strings.Join(body, "\n")) + "\n"
		}
		body = nil
	}
	for n, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "## ") {
			if len(entries) == 0 && strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "# ") {
				return nil, fmt.Errorf("CHANGELOG.md line %d: text before the first \"## X.Y.Z (date)\" heading", n+1)
			}
			body = append(body, line)
			continue
		}
		m := entryHeading.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("CHANGELOG.md line %d: %q is not \"## X.Y.Z (Month D, YYYY)\" or \"## X.Y.Z (Unreleased)\"", n+1, line)
		}
		v, err := version.NewSemver(m[1])
		if err != nil || v.Original() != v.String() {
			return nil, fmt.Errorf("CHANGELOG.md line %d: %q is not a version as X.Y.Z", n+1, m[1])
		}
		if _, err := time.Parse("January 2, 2006", m[2]); err != nil && m[2] != "Unreleased" {
			return nil, fmt.Errorf("CHANGELOG.md line %d: date %q is not like \"November 24, 2026\" (or Unreleased)", n+1, m[2])
		}
		if len(entries) > 0 {
			prev := entries[len(entries)-1]
			if !prev.Version.GreaterThan(v) {
				return nil, fmt.Errorf("CHANGELOG.md line %d: %s comes after %s; newest first", n+1, v, prev.Version)
			}
			if m[2] == "Unreleased" {
				return nil, fmt.Errorf("CHANGELOG.md line %d: only the top entry may be Unreleased", n+1)
			}
		}
		flush()
		entries = append(entries, Entry{Version: v, Date: m[2]})
	}
	flush()
	if len(entries) == 0 {
		return nil, fmt.Errorf("CHANGELOG.md has no \"## X.Y.Z (date)\" entry")
	}
	for _, e := range entries {
		if strings.TrimSpace(e.Notes) == "" {
			return nil, fmt.Errorf("CHANGELOG.md: %s has no notes", e.Version)
		}
	}
	return entries, nil
}
