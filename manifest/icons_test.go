package manifest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img
}

// The outline icon is 32×32, white on transparent: Teams refuses any other
// colour. It must also show something.
func TestOutlineIcon(t *testing.T) {
	data, err := OutlineIcon()
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, data)
	if b := img.Bounds(); b.Dx() != 32 || b.Dy() != 32 {
		t.Fatalf("outline icon is %dx%d, want 32x32", b.Dx(), b.Dy())
	}
	opaque, transparent := 0, 0
	for y := 0; y < 32; y++ {
		for x := 0; x < 32; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			switch {
			case c.A == 0:
				transparent++
			case c.R != 255 || c.G != 255 || c.B != 255:
				t.Fatalf("pixel (%d,%d) = %v: neither transparent nor white", x, y, c)
			case c.A == 255:
				opaque++
			}
		}
	}
	// The car covers a good part of the icon, and leaves room around it.
	if opaque < 150 || transparent < 300 {
		t.Errorf("outline icon: %d opaque white and %d transparent pixels, the car is missing or fills everything", opaque, transparent)
	}
}

// The colour icon is 192×192, opaque (Teams rounds the corners itself), and
// more than a flat square.
func TestColorIcon(t *testing.T) {
	data, err := ColorIcon("#1B6A8F")
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, data)
	if b := img.Bounds(); b.Dx() != 192 || b.Dy() != 192 {
		t.Fatalf("colour icon is %dx%d, want 192x192", b.Dx(), b.Dy())
	}
	colours := map[color.NRGBA]int{}
	for y := 0; y < 192; y++ {
		for x := 0; x < 192; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if c.A != 255 {
				t.Fatalf("pixel (%d,%d) has alpha %d: the colour icon must be opaque", x, y, c.A)
			}
			colours[c]++
		}
	}
	if len(colours) < 2 {
		t.Fatal("colour icon is one flat colour")
	}
	// The white car is drawn: a fair share of pure white pixels.
	if white := colours[color.NRGBA{255, 255, 255, 255}]; white < 2000 {
		t.Errorf("colour icon has %d white pixels, the car is missing", white)
	}
	// The accent colour is the background: the corner pixels are close to it.
	corner := color.NRGBAModel.Convert(img.At(96, 0)).(color.NRGBA)
	if d := absDiff(corner.B, 0x8F) + absDiff(corner.G, 0x6A); d > 80 {
		t.Errorf("background at the top edge is %v, far from the accent #1B6A8F", corner)
	}
}

func TestColorIconRefusesBadAccent(t *testing.T) {
	for _, c := range []string{"", "1B6A8F", "#1B6A8", "#GGGGGG", "blue"} {
		if _, err := ColorIcon(c); err == nil {
			t.Errorf("ColorIcon(%q) accepted", c)
		}
	}
}

// The icons are drawn, not loaded: the same bytes every time.
func TestIconsAreDeterministic(t *testing.T) {
	a, _ := ColorIcon(defaultAccentColor)
	b, _ := ColorIcon(defaultAccentColor)
	c, _ := OutlineIcon()
	d, _ := OutlineIcon()
	if !bytes.Equal(a, b) || !bytes.Equal(c, d) {
		t.Error("icons differ from one call to the next")
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}
