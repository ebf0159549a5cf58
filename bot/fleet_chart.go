package bot

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"
	"sync"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The chart of monthly use: one bar per month of the hours booked, drawn
// in Go with the Go fonts (no external tool), 720×300 pixels.

var (
	chartFontOnce sync.Once
	chartFont     *opentype.Font
	chartFontErr  error
)

func chartFace(size float64) (font.Face, error) {
	chartFontOnce.Do(func() { chartFont, chartFontErr = opentype.Parse(goregular.TTF) })
	if chartFontErr != nil {
		return nil, chartFontErr
	}
	return opentype.NewFace(chartFont, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
}

var (
	chartBG   = color.RGBA{0xff, 0xff, 0xff, 0xff}
	chartBar  = color.RGBA{0x46, 0x4e, 0xb8, 0xff} // Teams' purple
	chartAxis = color.RGBA{0x99, 0x99, 0x99, 0xff}
	chartText = color.RGBA{0x24, 0x24, 0x24, 0xff}
)

// drawUsageChart draws the report's months as bars of hours booked.
func drawUsageChart(l cards.Lang, rep domain.FleetReport) ([]byte, error) {
	const W, H, left, right, top, bottom = 720, 300, 20, 20, 40, 44
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(img, img.Bounds(), &image.Uniform{chartBG}, image.Point{}, draw.Src)
	title, err := chartFace(16)
	if err != nil {
		return nil, err
	}
	small, err := chartFace(12)
	if err != nil {
		return nil, err
	}
	text := func(face font.Face, s string, x, y int, center bool) {
		d := &font.Drawer{Dst: img, Src: image.NewUniform(chartText), Face: face}
		if center {
			x -= d.MeasureString(s).Round() / 2
		}
		d.Dot = fixed.P(x, y)
		d.DrawString(s)
	}
	text(title, l.T("fleet.report.chart"), left, 24, false)
	maxH := 0.0
	for _, m := range rep.Months {
		maxH = math.Max(maxH, m.Hours)
	}
	plotH := H - top - bottom
	baseY := H - bottom
	fill(img, image.Rect(left, baseY, W-right, baseY+1), chartAxis)
	n := max(1, len(rep.Months))
	slot := (W - left - right) / n
	barW := max(4, slot*2/3)
	for i, m := range rep.Months {
		cx := left + slot*i + slot/2
		h := 0
		if maxH > 0 {
			h = int(math.Round(m.Hours / maxH * float64(plotH-16)))
		}
		fill(img, image.Rect(cx-barW/2, baseY-h, cx+barW/2, baseY), chartBar)
		if m.Hours > 0 {
			text(small, cards.FleetHours(l, m.Hours), cx, baseY-h-4, true)
		}
		label := monthLabel(l, m, len(rep.Months) > 12 || spansYears(rep.Months))
		text(small, label, cx, baseY+16, true)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, &image.Uniform{c}, image.Point{}, draw.Src)
}

// monthLabel is a month's short name ("mars", "janv."), with the year when
// the chart spans several.
func monthLabel(l cards.Lang, m domain.MonthUsage, withYear bool) string {
	name := l.T(fmt.Sprintf("fleet.month.%d", int(m.Month.Month())))
	if r := []rune(name); len(r) > 4 {
		name = strings.TrimSpace(string(r[:4])) + "."
	}
	if withYear {
		name += fmt.Sprintf(" %02d", m.Month.Year()%100)
	}
	return name
}

func spansYears(ms []domain.MonthUsage) bool {
	return len(ms) > 1 && ms[0].Month.Year() != ms[len(ms)-1].Month.Year()
}
