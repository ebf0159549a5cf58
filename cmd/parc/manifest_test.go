package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const testBotID = "0f8fad5b-d9cb-469f-a165-70867728950e"

func manifestEnv(vars map[string]string) (*environment, *bytes.Buffer, *bytes.Buffer) {
	var stdout, stderr bytes.Buffer
	return &environment{getenv: func(k string) string { return vars[k] }, stdout: &stdout, stderr: &stderr}, &stdout, &stderr
}

// unzipManifest returns the names in the package and its manifest.json.
func unzipManifest(t *testing.T, data []byte) ([]string, map[string]any) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	var names []string
	var m map[string]any
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name != "manifest.json" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("manifest.json: %v", err)
		}
	}
	sort.Strings(names)
	return names, m
}

func TestManifestCommandIsRegistered(t *testing.T) {
	if _, ok := commands()["manifest"]; !ok {
		t.Fatal(`"parc manifest" is not a subcommand`)
	}
}

func TestManifestCommandWritesPackage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "parc.zip")
	env, stdout, _ := manifestEnv(nil)
	err := run(context.Background(), env, []string{"manifest", "--app-id", testBotID, "--domain", "parc.example.org", "--out", out, "--version", "1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	names, m := unzipManifest(t, data)
	if strings.Join(names, ",") != "color.png,manifest.json,outline.png" {
		t.Errorf("package holds %v", names)
	}
	if m["version"] != "1.2.3" || m["id"] != testBotID {
		t.Errorf("manifest version %v id %v", m["version"], m["id"])
	}
	if d := m["validDomains"].([]any); len(d) != 1 || d[0] != "parc.example.org" {
		t.Errorf("validDomains = %v", d)
	}
	if !strings.Contains(stdout.String(), out) || !strings.Contains(stdout.String(), "1.2.3") {
		t.Errorf("summary %q does not name the file and version", stdout.String())
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".parc-manifest-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// The bot's own settings are the defaults, so the package matches the
// running bot; flags win over them.
func TestManifestCommandReadsEnvironment(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"MicrosoftAppId": testBotID, "PARC_PUBLIC_HOST": "bot.anras.example"}
	env, _, _ := manifestEnv(vars)
	if err := runManifest(context.Background(), env, []string{"--out", filepath.Join(dir, "a.zip")}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "a.zip"))
	_, m := unzipManifest(t, data)
	if m["id"] != testBotID || m["validDomains"].([]any)[0] != "bot.anras.example" || m["version"] != "1.0.0" {
		t.Errorf("from the environment: id %v, validDomains %v, version %v", m["id"], m["validDomains"], m["version"])
	}

	if err := runManifest(context.Background(), env, []string{"--domain", "parc.example.org", "--out", filepath.Join(dir, "b.zip")}); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(filepath.Join(dir, "b.zip"))
	if _, m = unzipManifest(t, data); m["validDomains"].([]any)[0] != "parc.example.org" {
		t.Errorf("--domain did not win over PARC_PUBLIC_HOST: %v", m["validDomains"])
	}
}

func TestManifestCommandToStdout(t *testing.T) {
	env, stdout, stderr := manifestEnv(nil)
	if err := runManifest(context.Background(), env, []string{"--app-id", testBotID, "--domain", "parc.example.org", "--out", "-"}); err != nil {
		t.Fatal(err)
	}
	if names, _ := unzipManifest(t, stdout.Bytes()); len(names) != 3 {
		t.Errorf("stdout package holds %v", names)
	}
	if !strings.Contains(stderr.String(), "Teams app package") {
		t.Errorf("summary not on stderr: %q", stderr.String())
	}
}

// A bad flag gives one line that names it, and no file.
func TestManifestCommandRefusesBadFlags(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no app id", nil, []string{"--domain", "parc.example.org"}, "--app-id is missing"},
		{"app id not a GUID", nil, []string{"--app-id", "parc", "--domain", "parc.example.org"}, "--app-id: "},
		{"bad app id from the environment", map[string]string{"MicrosoftAppId": "parc"}, []string{"--domain", "parc.example.org"}, "--app-id (from MicrosoftAppId)"},
		{"no domain", nil, []string{"--app-id", testBotID}, "--domain is missing"},
		{"domain with scheme", nil, []string{"--app-id", testBotID, "--domain", "https://parc.example.org"}, "--domain: "},
		{"domain with path", nil, []string{"--app-id", testBotID, "--domain", "parc.example.org/api/messages"}, "--domain: "},
		{"domain with port", nil, []string{"--app-id", testBotID, "--domain", "parc.example.org:3978"}, "--domain: "},
		{"URL in PARC_PUBLIC_HOST", map[string]string{"PARC_PUBLIC_HOST": "https://parc.example.org/"}, []string{"--app-id", testBotID}, "--domain (from PARC_PUBLIC_HOST)"},
		{"version not semver", nil, []string{"--app-id", testBotID, "--domain", "parc.example.org", "--version", "1.0"}, "--version: "},
		{"pre-release version", nil, []string{"--app-id", testBotID, "--domain", "parc.example.org", "--version", "1.0.0-rc.1"}, "--version: "},
		{"stray argument", nil, []string{"--app-id", testBotID, "--domain", "parc.example.org", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "parc.zip")
			env, _, _ := manifestEnv(tt.env)
			err := runManifest(context.Background(), env, append(tt.args, "--out", out))
			if err == nil {
				t.Fatalf("accepted %v", tt.args)
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line containing %q", err, tt.want)
			}
			if _, statErr := os.Stat(out); statErr == nil {
				t.Error("a package was written despite the error")
			}
		})
	}
}

func TestManifestCommandUnknownFlag(t *testing.T) {
	env, _, stderr := manifestEnv(nil)
	if err := runManifest(context.Background(), env, []string{"--app", testBotID}); err == nil {
		t.Fatal("unknown flag accepted")
	}
	if !strings.Contains(stderr.String(), "-app-id") {
		t.Errorf("usage not shown: %q", stderr.String())
	}
}
