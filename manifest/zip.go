package manifest

import (
	"archive/zip"
	"fmt"
	"io"
	"time"
)

// zipTime is the modification time of every file in the package: a fixed
// date keeps the zip the same byte for byte from one build to the next.
var zipTime = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// File is one file of the package.
type File struct {
	Name string
	Data []byte
}

// Files returns the package's files in the order they are zipped:
// manifest.json, color.png, outline.png.
func Files(opts Options) ([]File, error) {
	m, err := Build(opts)
	if err != nil {
		return nil, err
	}
	js, err := m.JSON()
	if err != nil {
		return nil, err
	}
	colorPNG, err := ColorIcon(m.AccentColor)
	if err != nil {
		return nil, err
	}
	outlinePNG, err := OutlineIcon()
	if err != nil {
		return nil, err
	}
	return []File{
		{ManifestFile, js},
		{m.Icons.Color, colorPNG},
		{m.Icons.Outline, outlinePNG},
	}, nil
}

// WriteZip writes the Teams app package for opts to w: manifest.json,
// color.png and outline.png at the root of the zip, and nothing else.
func WriteZip(w io.Writer, opts Options) error {
	files, err := Files(opts)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	for _, f := range files {
		hdr := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: zipTime}
		hdr.SetMode(0o644)
		fw, err := zw.CreateHeader(hdr)
		if err != nil {
			return fmt.Errorf("manifest: zip %s: %w", f.Name, err)
		}
		if _, err := fw.Write(f.Data); err != nil {
			return fmt.Errorf("manifest: zip %s: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("manifest: zip: %w", err)
	}
	return nil
}
