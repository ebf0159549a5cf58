package manifest

import (
	"encoding/json"
	"testing"
)

// Options of a typical installation, shared by the tests.
const (
	testAppID  = "0f8fad5b-d9cb-469f-a165-70867728950e"
	testDomain = "parc.example.org"
)

func testOptions() Options { return Options{AppID: testAppID, Domain: testDomain} }

// builtJSON is the manifest.json of the typical installation.
func builtJSON(t *testing.T) []byte {
	t.Helper()
	m, err := Build(testOptions())
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	js, err := m.JSON()
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	return js
}

// asMap decodes a manifest as the generic JSON an editor (or a test that
// breaks a field on purpose) works on.
func asMap(t *testing.T, js []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(js, &m); err != nil {
		t.Fatalf("manifest.json does not parse: %v", err)
	}
	return m
}
