package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// validation is what e2e/tools/validate-manifest.js prints.
type validation struct {
	OK              bool     `json:"ok"`
	ManifestVersion string   `json:"manifestVersion"`
	SchemaFile      string   `json:"schemaFile"`
	Errors          []string `json:"errors"`
	exitCode        int
}

// schemaValidator returns a function that validates a manifest with the
// official schema bundled in npm @microsoft/app-manifest. Without the Node
// toolbox the test fails, unless PARC_SKIP_NODE=1 says to skip it.
func schemaValidator(t *testing.T) func(manifest any) validation {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	modules := os.Getenv("PARC_NODE_MODULES")
	if modules == "" {
		modules = filepath.Join(root, "e2e", "node_modules")
	}
	if modules, err = filepath.Abs(modules); err != nil {
		t.Fatal(err)
	}
	missing := func(what string) {
		t.Helper()
		reason := what + ": run `npm ci --prefix e2e` first"
		if os.Getenv("PARC_SKIP_NODE") == "1" {
			t.Skip(reason + " (skipped: PARC_SKIP_NODE=1)")
		}
		t.Fatal(reason + " (or set PARC_SKIP_NODE=1 to skip the schema check)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(modules, "@microsoft", "app-manifest", "package.json")); err != nil {
		missing("@microsoft/app-manifest is not in " + modules)
	}
	script := filepath.Join(root, "e2e", "tools", "validate-manifest.js")
	return func(manifest any) validation {
		t.Helper()
		js, ok := manifest.([]byte)
		if !ok {
			if js, err = json.Marshal(manifest); err != nil {
				t.Fatal(err)
			}
		}
		file := filepath.Join(t.TempDir(), "manifest.json")
		if err := os.WriteFile(file, js, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(node, script, file)
		cmd.Env = append(os.Environ(), "PARC_NODE_MODULES="+modules)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		var v validation
		if err := cmd.Run(); err != nil {
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("node: %v", err)
			}
			v.exitCode = exit.ExitCode()
		}
		if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
			t.Fatalf("validate-manifest.js printed no JSON (%v): %s %s", err, stdout.String(), stderr.String())
		}
		return v
	}
}

// The manifest an admin uploads validates against the official schema of
// its version, read from the package's bundled file, not downloaded.
func TestManifestValidatesAgainstOfficialSchema(t *testing.T) {
	validate := schemaValidator(t)
	v := validate(builtJSON(t))
	if !v.OK || v.exitCode != 0 || len(v.Errors) != 0 {
		t.Fatalf("manifest rejected by the official schema: exit %d, %v", v.exitCode, v.Errors)
	}
	want := filepath.Join("@microsoft", "app-manifest", "build", "json-schemas", "teams", "v"+SchemaVersion, "MicrosoftTeams.schema.json")
	if !strings.HasSuffix(v.SchemaFile, want) {
		t.Errorf("validated against %q, want the bundled .../%s", v.SchemaFile, want)
	}
	if v.ManifestVersion != SchemaVersion {
		t.Errorf("manifestVersion = %q, want %q", v.ManifestVersion, SchemaVersion)
	}
}

// The validator is not a rubber stamp: a manifest broken the way a careless
// edit would break it is refused, and the error points at the field.
func TestSchemaRefusesBrokenManifests(t *testing.T) {
	validate := schemaValidator(t)
	tests := []struct {
		name      string
		breakIt   func(m map[string]any)
		wantError string
	}{
		{"short name over 30 characters", func(m map[string]any) {
			m["name"].(map[string]any)["short"] = "Parc, gestion du parc de l'ANRAS"
		}, "/name/short"},
		{"accent colour not #RRGGBB", func(m map[string]any) { m["accentColor"] = "bleu" }, "/accentColor"},
		{"bot id not a GUID", func(m map[string]any) {
			m["bots"].([]any)[0].(map[string]any)["botId"] = "parc-bot"
		}, "/bots/0/botId"},
		{"privacy URL missing", func(m map[string]any) {
			delete(m["developer"].(map[string]any), "privacyUrl")
		}, "privacyUrl"},
		{"unknown permission", func(m map[string]any) {
			m["permissions"] = []any{"identity", "camera"}
		}, "/permissions/1"},
		{"unknown top-level field", func(m map[string]any) { m["couleur"] = "#1B6A8F" }, "couleur"},
		{"manifestVersion of another schema", func(m map[string]any) { m["manifestVersion"] = "1.30.0" }, "/manifestVersion"},
		{"command list without commands", func(m map[string]any) {
			delete(m["bots"].([]any)[0].(map[string]any)["commandLists"].([]any)[0].(map[string]any), "commands")
		}, "commands"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := asMap(t, builtJSON(t))
			tt.breakIt(m)
			v := validate(m)
			if v.OK || v.exitCode != 1 {
				t.Fatalf("broken manifest accepted: exit %d, %v", v.exitCode, v.Errors)
			}
			if !strings.Contains(strings.Join(v.Errors, "\n"), tt.wantError) {
				t.Errorf("errors do not mention %q: %v", tt.wantError, v.Errors)
			}
		})
	}
}

// The schema used is the one of the manifest's own version: commandLists
// "triggers" exists since v1.29, so the same manifest passes as v1.30 and
// fails as v1.28. And a $schema that names another version than
// manifestVersion, or a version the package does not bundle, is refused
// rather than looked up on the network.
func TestSchemaFollowsManifestVersion(t *testing.T) {
	validate := schemaValidator(t)
	withTriggers := func(version string) map[string]any {
		m := asMap(t, builtJSON(t))
		list := m["bots"].([]any)[0].(map[string]any)["commandLists"].([]any)[0].(map[string]any)
		list["triggers"] = []any{"mention"}
		m["manifestVersion"] = version
		m["$schema"] = "https://developer.microsoft.com/json-schemas/teams/v" + version + "/MicrosoftTeams.schema.json"
		return m
	}
	if v := validate(withTriggers("1.30")); !v.OK {
		t.Errorf("v1.30 manifest with triggers refused: %v", v.Errors)
	}
	v := validate(withTriggers("1.28"))
	if v.OK || !strings.Contains(strings.Join(v.Errors, "\n"), "/bots/0/commandLists/0") {
		t.Errorf("v1.28 manifest with triggers: ok=%v %v, want refused at /bots/0/commandLists/0", v.OK, v.Errors)
	}
	if !strings.HasSuffix(v.SchemaFile, filepath.Join("teams", "v1.28", "MicrosoftTeams.schema.json")) {
		t.Errorf("v1.28 manifest validated against %q", v.SchemaFile)
	}

	mismatch := asMap(t, builtJSON(t))
	mismatch["$schema"] = "https://developer.microsoft.com/json-schemas/teams/v1.28/MicrosoftTeams.schema.json"
	if v := validate(mismatch); v.OK || v.exitCode != 1 || !strings.Contains(strings.Join(v.Errors, "\n"), "/$schema") {
		t.Errorf("$schema v1.28 with manifestVersion %s: exit %d %v, want refused", SchemaVersion, v.exitCode, v.Errors)
	}

	// v1.18 was never published: nothing to validate against offline.
	unbundled := withTriggers("1.18")
	if v := validate(unbundled); v.OK || v.exitCode != 2 || !strings.Contains(strings.Join(v.Errors, "\n"), "not bundled") {
		t.Errorf("manifestVersion 1.18: exit %d %v, want exit 2, not bundled", v.exitCode, v.Errors)
	}
}
