package manifest

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the code")

// The manifest is reviewed as a file: any change to it shows up as a diff
// of testdata/manifest.golden.json (go test ./manifest -update rewrites it).
func TestManifestGolden(t *testing.T) {
	got := builtJSON(t)
	golden := filepath.Join("testdata", "manifest.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./manifest -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("manifest.json differs from %s; if the change is intended, run go test ./manifest -update\n%s", golden, got)
	}
}

// What an admin's tenant ties together: the bot, the app and SSO all use
// the bot's App ID, and the bot's host is the only valid domain.
func TestManifestIdentity(t *testing.T) {
	m, err := Build(Options{AppID: strings.ToUpper(testAppID), Domain: testDomain, Version: "2.3.4"})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ what, got, want string }{
		{"$schema", m.Schema, "https://developer.microsoft.com/json-schemas/teams/v" + SchemaVersion + "/MicrosoftTeams.schema.json"},
		{"manifestVersion", m.ManifestVersion, SchemaVersion},
		{"version", m.Version, "2.3.4"},
		{"id", m.ID, testAppID},
		{"botId", m.Bots[0].BotID, testAppID},
		{"webApplicationInfo.id", m.WebApplicationInfo.ID, testAppID},
		{"webApplicationInfo.resource", m.WebApplicationInfo.Resource, "api://parc.example.org/" + testAppID},
		{"validDomains", strings.Join(m.ValidDomains, ","), "parc.example.org"},
		{"privacyUrl", m.Developer.PrivacyURL, "https://parc.example.org/confidentialite"},
		{"name.short", m.Name.Short, "Parc"},
		{"name.full", m.Name.Full, "Parc – voitures, matériel et licences"},
		{"permissions", strings.Join(m.Permissions, ","), "identity,messageTeamMembers"},
		{"scopes", strings.Join(m.Bots[0].Scopes, ","), "personal,team,groupChat"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if !m.Bots[0].SupportsFiles || m.Bots[0].IsNotificationOnly {
		t.Errorf("bot supportsFiles=%v isNotificationOnly=%v, want true/false (staff send the Excel inventory)", m.Bots[0].SupportsFiles, m.Bots[0].IsNotificationOnly)
	}

	other, err := Build(Options{AppID: testAppID, Domain: testDomain, PackageID: "11111111-2222-3333-4444-555555555555"})
	if err != nil {
		t.Fatal(err)
	}
	if other.ID != "11111111-2222-3333-4444-555555555555" || other.Bots[0].BotID != testAppID {
		t.Errorf("PackageID option: id %q, botId %q", other.ID, other.Bots[0].BotID)
	}
}

// The schema takes any string of up to 256 characters as the version;
// Teams takes MAJOR.MINOR.PATCH only.
func TestBuildChecksVersion(t *testing.T) {
	tests := []struct {
		version string
		ok      bool
	}{
		{"", true}, // the default, 1.0.0
		{"1.0.0", true},
		{"0.1.0", true},
		{"10.20.30", true},
		{"1.0", false},
		{"1", false},
		{"v1.0.0", false},
		{"1.0.0-beta.1", false},
		{"1.0.0+20260101", false},
		{"01.0.0", false},
		{"1.00.0", false},
		{"1.0.0.0", false},
		{"1.0.x", false},
		{" 1.0.0", false},
	}
	for _, tt := range tests {
		o := testOptions()
		o.Version = tt.version
		m, err := Build(o)
		if tt.ok != (err == nil) {
			t.Errorf("version %q: err = %v, want ok=%v", tt.version, err, tt.ok)
			continue
		}
		if err != nil && !strings.HasPrefix(err.Error(), "manifest: Version: ") {
			t.Errorf("version %q: error %q does not name the Version option", tt.version, err)
		}
		if err == nil && tt.version == "" && m.Version != "1.0.0" {
			t.Errorf("default version = %q, want 1.0.0", m.Version)
		}
	}
}

func TestBuildChecksAppIDAndDomain(t *testing.T) {
	tests := []struct {
		name, appID, domain string
		wantPrefix          string // "" when Build must succeed
	}{
		{"typical", testAppID, testDomain, ""},
		{"upper-case GUID", strings.ToUpper(testAppID), testDomain, ""},
		{"sub-sub-domain", testAppID, "bot.parc.anras.fr", ""},
		{"punycode", testAppID, "xn--parc-bqa.example.org", ""},
		{"no app id", "", testDomain, "manifest: AppID: "},
		{"app id not a GUID", "parc-bot", testDomain, "manifest: AppID: "},
		{"app id in braces", "{" + testAppID + "}", testDomain, "manifest: AppID: "},
		{"app id one digit short", testAppID[:35], testDomain, "manifest: AppID: "},
		{"no domain", testAppID, "", "manifest: Domain: "},
		{"https scheme", testAppID, "https://parc.example.org", "manifest: Domain: "},
		{"path", testAppID, "parc.example.org/api/messages", "manifest: Domain: "},
		{"trailing slash", testAppID, "parc.example.org/", "manifest: Domain: "},
		{"port", testAppID, "parc.example.org:443", "manifest: Domain: "},
		{"wildcard", testAppID, "*.example.org", "manifest: Domain: "},
		{"single label", testAppID, "localhost", "manifest: Domain: "},
		{"IPv4", testAppID, "192.168.1.10", "manifest: Domain: "},
		{"IPv6", testAppID, "[::1]", "manifest: Domain: "},
		{"capitals", testAppID, "Parc.Example.org", "manifest: Domain: "},
		{"underscore", testAppID, "parc_bot.example.org", "manifest: Domain: "},
		{"accent", testAppID, "parc.éxample.org", "manifest: Domain: "},
		{"leading hyphen", testAppID, "-parc.example.org", "manifest: Domain: "},
		{"empty label", testAppID, "parc..example.org", "manifest: Domain: "},
		{"trailing dot", testAppID, "parc.example.org.", "manifest: Domain: "},
		{"user", testAppID, "admin@parc.example.org", "manifest: Domain: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(Options{AppID: tt.appID, Domain: tt.domain})
			switch {
			case tt.wantPrefix == "" && err != nil:
				t.Errorf("Build refused %q / %q: %v", tt.appID, tt.domain, err)
			case tt.wantPrefix != "" && err == nil:
				t.Errorf("Build accepted %q / %q", tt.appID, tt.domain)
			case tt.wantPrefix != "" && !strings.HasPrefix(err.Error(), tt.wantPrefix):
				t.Errorf("error %q does not start with %q", err, tt.wantPrefix)
			}
		})
	}
}

// validDomains entries are bare hosts; only a leading "*." label may be a
// wildcard. The schema takes any string: this is Parc's own check.
func TestCheckValidDomain(t *testing.T) {
	tests := []struct {
		domain string
		ok     bool
	}{
		{"parc.example.org", true},
		{"*.example.org", true},
		{"*.parc.example.org", true},
		{"token.botframework.com", true},
		{"https://parc.example.org", false},
		{"parc.example.org/api", false},
		{"parc.example.org:3978", false},
		{"parc.*.org", false},
		{"*example.org", false},
		{"**.example.org", false},
		{"*.*.example.org", false},
		{"*", false},
		{"*.org.", false},
		{"", false},
		{"parc example.org", false},
	}
	for _, tt := range tests {
		if err := CheckValidDomain(tt.domain); tt.ok != (err == nil) {
			t.Errorf("CheckValidDomain(%q) = %v, want ok=%v", tt.domain, err, tt.ok)
		}
	}
	m := asMap(t, builtJSON(t))
	for _, d := range m["validDomains"].([]any) {
		if err := CheckValidDomain(d.(string)); err != nil {
			t.Errorf("built manifest: %v", err)
		}
	}
}

func TestBuildChecksTexts(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Options)
		prefix string
	}{
		{"short name of 31 characters", func(o *Options) { o.ShortName = strings.Repeat("p", 31) }, "manifest: ShortName: "},
		{"short description of 81 characters", func(o *Options) { o.ShortDescription = strings.Repeat("é", 81) }, "manifest: ShortDescription: "},
		{"developer name of 33 characters", func(o *Options) { o.DeveloperName = strings.Repeat("d", 33) }, "manifest: DeveloperName: "},
		{"http privacy URL", func(o *Options) { o.PrivacyURL = "http://parc.example.org/confidentialite" }, "manifest: PrivacyURL: "},
		{"accent colour by name", func(o *Options) { o.AccentColor = "teal" }, "manifest: AccentColor: "},
		{"package id not a GUID", func(o *Options) { o.PackageID = "parc" }, "manifest: PackageID: "},
	}
	for _, tt := range tests {
		o := testOptions()
		tt.change(&o)
		if _, err := Build(o); err == nil || !strings.HasPrefix(err.Error(), tt.prefix) {
			t.Errorf("%s: err = %v, want one starting with %q", tt.name, err, tt.prefix)
		}
	}
	// 80 characters, counted as characters and not bytes, is allowed.
	o := testOptions()
	o.ShortDescription = strings.Repeat("é", 80)
	if _, err := Build(o); err != nil {
		t.Errorf("80-character short description refused: %v", err)
	}
}
