package manifest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"sort"
	"testing"
)

func readZip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("package is not a zip: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if _, dup := files[f.Name]; dup {
			t.Errorf("%s is twice in the zip", f.Name)
		}
		files[f.Name] = b
	}
	return files
}

// The package is what Teams' upload takes: exactly manifest.json and the
// two icons at the root, the manifest naming icons that are there.
func TestZipLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteZip(&buf, testOptions()); err != nil {
		t.Fatal(err)
	}
	files := readZip(t, buf.Bytes())
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if want := []string{"color.png", "manifest.json", "outline.png"}; !equal(names, want) {
		t.Fatalf("zip holds %q, want exactly %q at the root", names, want)
	}
	var m Manifest
	if err := json.Unmarshal(files[ManifestFile], &m); err != nil {
		t.Fatalf("manifest.json does not parse: %v", err)
	}
	for _, icon := range []string{m.Icons.Color, m.Icons.Outline} {
		if len(files[icon]) == 0 {
			t.Errorf("manifest names icon %q, not in the zip", icon)
		}
	}
	if !bytes.Equal(files[ManifestFile], builtJSON(t)) {
		t.Error("manifest.json in the zip differs from Build's")
	}
}

// Two builds with the same options give the same bytes, so a package can
// be rebuilt and compared.
func TestZipIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteZip(&a, testOptions()); err != nil {
		t.Fatal(err)
	}
	if err := WriteZip(&b, testOptions()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two packages built from the same options differ")
	}
}

func TestWriteZipRefusesBadOptions(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteZip(&buf, Options{AppID: testAppID, Domain: "https://parc.example.org"}); err == nil {
		t.Fatal("WriteZip accepted a domain with a scheme")
	}
	if buf.Len() != 0 {
		t.Errorf("WriteZip wrote %d bytes before failing", buf.Len())
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
