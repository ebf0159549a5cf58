package manifest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Icon sizes Teams requires: the colour icon is shown on app tiles and in
// the store, the outline icon in the Teams app bar.
const (
	ColorIconSize   = 192
	OutlineIconSize = 32
)

// scaled places a shape drawn in a unit box at (ox, oy) with the unit
// stretched to s pixels.
func scaled(u shape, ox, oy, s float64) shape {
	return func(x, y float64) float64 { return u((x-ox)/s, (y-oy)/s) * s }
}

// car is a small hatchback seen from the side, facing right, in a unit box:
// x from 0 to 1, y from about 0.08 (roof) to 0.68 (bottom of the wheels).
// The windows, the wheel arches and the hubs are holes, so the car reads as
// one silhouette in any single colour.
func car() shape {
	body := roundRect(0, 0.30, 1, 0.57, 0.1)
	cabin := polygon(0.05, [2]float64{0.21, 0.33}, [2]float64{0.33, 0.13}, [2]float64{0.62, 0.13}, [2]float64{0.79, 0.33})
	rear := polygon(0.02, [2]float64{0.30, 0.30}, [2]float64{0.375, 0.165}, [2]float64{0.48, 0.165}, [2]float64{0.48, 0.30})
	front := polygon(0.02, [2]float64{0.535, 0.30}, [2]float64{0.535, 0.165}, [2]float64{0.605, 0.165}, [2]float64{0.705, 0.30})
	const wheelY, wheelR, archR, hubR = 0.57, 0.115, 0.15, 0.045
	shell := minus(union(body, cabin), rear, front, circle(0.245, wheelY, archR), circle(0.755, wheelY, archR))
	wheels := minus(union(circle(0.245, wheelY, wheelR), circle(0.755, wheelY, wheelR)),
		circle(0.245, wheelY, hubR), circle(0.755, wheelY, hubR))
	return union(shell, wheels)
}

// laptop is an open laptop in a unit box: the screen's frame with its
// display cut out, on a base a little wider than the screen.
func laptop() shape {
	screen := minus(roundRect(0.14, 0.12, 0.86, 0.66, 0.07), roundRect(0.23, 0.21, 0.77, 0.58, 0.02))
	base := roundRect(0, 0.71, 1, 0.84, 0.06)
	return union(screen, base)
}

// OutlineIcon draws the 32×32 outline icon: the car in white on a
// transparent background. Every pixel is white; only its alpha varies,
// which is what Teams asks of an outline icon.
func OutlineIcon() ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, OutlineIconSize, OutlineIconSize))
	for i := 0; i < len(img.Pix); i += 4 {
		copy(img.Pix[i:i+4], []uint8{255, 255, 255, 0}) // transparent white
	}
	// The car spans the width with half a pixel to spare on each side and
	// sits in the middle vertically (its unit box runs from 0.08 to 0.68).
	const s = OutlineIconSize - 1
	fill(img, scaled(car(), 0.5, OutlineIconSize/2-0.38*s, s), color.NRGBA{255, 255, 255, 255})
	return encodePNG(img)
}

// ColorIcon draws the 192×192 colour icon on the accent colour (#RRGGBB):
// a white car, and a laptop on a light badge for the IT equipment. The
// background fills every pixel, as Teams wants (it rounds the corners
// itself).
func ColorIcon(accent string) ([]byte, error) {
	base, err := parseHexColor(accent)
	if err != nil {
		return nil, err
	}
	const n = ColorIconSize
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	top, bottom := shade(base, 0.16), shade(base, -0.16)
	// A gentle diagonal gradient, lighter at the top left.
	background := func(x, y float64) color.NRGBA { return lerp(top, bottom, (x+y)/(2*(n-1))) }
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			img.SetNRGBA(x, y, background(float64(x), float64(y)))
		}
	}
	fill(img, scaled(car(), 18, 26, 124), color.NRGBA{255, 255, 255, 255})
	// The badge sits on the car's front wheel; a ring of background colour
	// cuts it out of the car.
	const bx, by, br = 136.0, 130.0, 34.0
	fill(img, circle(bx, by, br+6), background(bx, by))
	fill(img, circle(bx, by, br), color.NRGBA{255, 196, 61, 255})
	fill(img, scaled(laptop(), bx-24, by-23, 48), shade(base, -0.35))
	return encodePNG(img)
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("manifest: encode icon: %w", err)
	}
	return buf.Bytes(), nil
}

// parseHexColor reads "#RRGGBB".
func parseHexColor(s string) (color.NRGBA, error) {
	if !hexColorRe.MatchString(s) {
		return color.NRGBA{}, fmt.Errorf("manifest: accent colour %q is not #RRGGBB", s)
	}
	var r, g, b uint8
	if _, err := fmt.Sscanf(s[1:], "%02x%02x%02x", &r, &g, &b); err != nil {
		return color.NRGBA{}, fmt.Errorf("manifest: accent colour %q: %w", s, err)
	}
	return color.NRGBA{r, g, b, 255}, nil
}

// shade lightens c towards white (k > 0) or darkens it towards black (k < 0).
func shade(c color.NRGBA, k float64) color.NRGBA {
	target := color.NRGBA{0, 0, 0, 255}
	if k > 0 {
		target = color.NRGBA{255, 255, 255, 255}
	}
	return lerp(c, target, math.Abs(k))
}

func lerp(a, b color.NRGBA, t float64) color.NRGBA {
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), mix(a.A, b.A)}
}
