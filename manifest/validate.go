package manifest

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	guidRe     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	hexColorRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	// Teams compares versions to decide whether an upload is an update, and
	// its store validation takes only MAJOR.MINOR.PATCH: no pre-release or
	// build suffix, and, as in semver, no leading zeros.
	versionRe = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)
	labelRe   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

// CheckAppID reports whether id is a Microsoft App ID: a GUID written
// 8-4-4-4-12 hexadecimal digits, without braces.
func CheckAppID(id string) error {
	if id == "" {
		return fmt.Errorf("app id is empty: give the bot's Microsoft App ID (a GUID)")
	}
	if !guidRe.MatchString(id) {
		return fmt.Errorf("app id %q is not a GUID (like 00000000-0000-0000-0000-000000000000)", id)
	}
	return nil
}

// CheckVersion reports whether v is a version Teams takes: MAJOR.MINOR.PATCH.
func CheckVersion(v string) error {
	if !versionRe.MatchString(v) {
		return fmt.Errorf("version %q is not MAJOR.MINOR.PATCH (like 1.0.0)", v)
	}
	return nil
}

// CheckHost reports whether host is a bare public host name: lower-case
// labels of letters, digits and hyphens, at least two of them, with no
// scheme, path, port, user or wildcard. The bot's domain must be one: Teams
// builds https://HOST/... from it.
func CheckHost(host string) error {
	if host == "" {
		return fmt.Errorf("domain is empty: give the bot's public host, like parc.example.org")
	}
	if strings.Contains(host, "*") {
		return fmt.Errorf("domain %q has a wildcard: give the bot's own host", host)
	}
	return checkHostName(host, "domain")
}

// CheckValidDomain reports whether d is a validDomains entry Teams accepts:
// a bare host, where only the first label may be the wildcard "*"
// ("*.example.org"). The schema takes any string, but Teams refuses the
// upload when an entry has a scheme, a path or a port.
func CheckValidDomain(d string) error {
	name := d
	if rest, ok := strings.CutPrefix(d, "*."); ok {
		name = rest
	}
	if strings.Contains(name, "*") {
		return fmt.Errorf("valid domain %q: a wildcard may only be the first label (*.example.org)", d)
	}
	return checkHostName(name, "valid domain")
}

func checkHostName(host, what string) error {
	if strings.Contains(host, "://") {
		return fmt.Errorf("%s %q has a scheme: give the host alone, like parc.example.org", what, host)
	}
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		return fmt.Errorf("%s %q has a path: give the host alone, like parc.example.org", what, host)
	}
	if strings.Contains(host, "@") {
		return fmt.Errorf("%s %q has a user name: give the host alone", what, host)
	}
	if strings.HasPrefix(host, "[") || strings.Count(host, ":") > 1 {
		return fmt.Errorf("%s %q is an IPv6 address: Teams needs a host name", what, host)
	}
	if strings.Contains(host, ":") {
		return fmt.Errorf("%s %q has a port: give the host alone, like parc.example.org", what, host)
	}
	if host != strings.ToLower(host) {
		return fmt.Errorf("%s %q has capital letters: write it in lower case", what, host)
	}
	if len(host) > 253 {
		return fmt.Errorf("%s %q is longer than 253 characters", what, host)
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return fmt.Errorf("%s %q is not a public host name (like parc.example.org)", what, host)
	}
	for _, l := range labels {
		if !labelRe.MatchString(l) {
			return fmt.Errorf("%s %q: label %q is not letters, digits and inner hyphens (use punycode for accents)", what, host, l)
		}
	}
	if allDigits(labels[len(labels)-1]) {
		return fmt.Errorf("%s %q is an IP address: Teams needs a host name", what, host)
	}
	return nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// checkHTTPS reports whether u is an absolute https URL (Teams refuses
// http links for the developer's pages).
func checkHTTPS(u, what string) error {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "https" || p.Host == "" {
		return fmt.Errorf("%s %q is not an https:// URL", what, u)
	}
	return nil
}

// checkLength reports a text longer than max characters (Teams counts
// characters, not bytes).
func checkLength(s string, max int, what string) error {
	if s == "" {
		return fmt.Errorf("%s is empty", what)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Errorf("%s has %d characters, more than Teams' %d: %q", what, n, max, s)
	}
	return nil
}
