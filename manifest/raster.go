package manifest

import (
	"image"
	"image/color"
	"math"
)

// A shape is a signed distance field: negative inside, positive outside, in
// pixels of the image it is drawn on. Distances make rounding free (grow a
// shape by r: d-r) and let shapes combine with min and max.
type shape func(x, y float64) float64

// subsamples per pixel side: 8×8 samples give 64 levels of coverage, more
// than enough for smooth edges on 32-pixel and 192-pixel icons.
const subsamples = 8

func circle(cx, cy, r float64) shape {
	return func(x, y float64) float64 { return math.Hypot(x-cx, y-cy) - r }
}

// roundRect is the rectangle [x0,x1]×[y0,y1] with corners of radius r.
func roundRect(x0, y0, x1, y1, r float64) shape {
	cx, cy := (x0+x1)/2, (y0+y1)/2
	hw, hh := (x1-x0)/2-r, (y1-y0)/2-r
	return func(x, y float64) float64 {
		dx, dy := math.Abs(x-cx)-hw, math.Abs(y-cy)-hh
		out := math.Hypot(math.Max(dx, 0), math.Max(dy, 0))
		return out + math.Min(math.Max(dx, dy), 0) - r
	}
}

// polygon is the polygon through pts (in order, either direction), grown by
// r so that its corners are rounded with radius r.
func polygon(r float64, pts ...[2]float64) shape {
	return func(x, y float64) float64 {
		best := math.Inf(1)
		inside := false
		for i := range pts {
			a, b := pts[i], pts[(i+1)%len(pts)]
			best = math.Min(best, segmentDistance(x, y, a, b))
			if (a[1] > y) != (b[1] > y) && x < a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
				inside = !inside
			}
		}
		if inside {
			return -best - r
		}
		return best - r
	}
}

func segmentDistance(x, y float64, a, b [2]float64) float64 {
	vx, vy := b[0]-a[0], b[1]-a[1]
	wx, wy := x-a[0], y-a[1]
	t := 0.0
	if l := vx*vx + vy*vy; l > 0 {
		t = math.Max(0, math.Min(1, (wx*vx+wy*vy)/l))
	}
	return math.Hypot(wx-t*vx, wy-t*vy)
}

func union(shapes ...shape) shape {
	return func(x, y float64) float64 {
		d := math.Inf(1)
		for _, s := range shapes {
			d = math.Min(d, s(x, y))
		}
		return d
	}
}

// minus is a with every one of holes cut out.
func minus(a shape, holes ...shape) shape {
	return func(x, y float64) float64 {
		d := a(x, y)
		for _, h := range holes {
			d = math.Max(d, -h(x, y))
		}
		return d
	}
}

// coverage is the share of pixel (px, py) inside s, from 0 to 1.
func coverage(s shape, px, py int) float64 {
	// Far from the edge every sample agrees: skip the sampling.
	switch d := s(float64(px)+0.5, float64(py)+0.5); {
	case d < -0.75:
		return 1
	case d > 0.75:
		return 0
	}
	in := 0
	for i := 0; i < subsamples; i++ {
		for j := 0; j < subsamples; j++ {
			x := float64(px) + (float64(i)+0.5)/subsamples
			y := float64(py) + (float64(j)+0.5)/subsamples
			if s(x, y) <= 0 {
				in++
			}
		}
	}
	return float64(in) / (subsamples * subsamples)
}

// fill paints s over img in colour c (straight alpha), blending its
// anti-aliased edge over what is already there ("source over").
func fill(img *image.NRGBA, s shape, c color.NRGBA) {
	b := img.Bounds()
	for py := b.Min.Y; py < b.Max.Y; py++ {
		for px := b.Min.X; px < b.Max.X; px++ {
			a := coverage(s, px, py) * float64(c.A) / 255
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, over(c, a, img.NRGBAAt(px, py)))
		}
	}
}

// over composes colour c with opacity a on top of dst, both straight alpha.
func over(c color.NRGBA, a float64, dst color.NRGBA) color.NRGBA {
	da := float64(dst.A) / 255
	oa := a + da*(1-a)
	if oa == 0 {
		return color.NRGBA{}
	}
	mix := func(s, d uint8) uint8 {
		v := (float64(s)*a + float64(d)*da*(1-a)) / oa
		return uint8(math.Round(v))
	}
	return color.NRGBA{mix(c.R, dst.R), mix(c.G, dst.G), mix(c.B, dst.B), uint8(math.Round(oa * 255))}
}
