//go:build ignore

// gen_icon draws Shoebox's icon: a cardboard shoebox with its lid open and a
// photo peeking out. Run from the repository root:
//
//	go run assets/gen_icon.go
package main

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log"
	"math"
	"os"

	"golang.org/x/image/vector"
)

const size = 512

type pt struct{ x, y float64 }

var (
	outline  = color.NRGBA{0x4a, 0x2c, 0x12, 0xff}
	front    = color.NRGBA{0xd0, 0x8e, 0x4c, 0xff}
	side     = color.NRGBA{0xa8, 0x68, 0x30, 0xff}
	lid      = color.NRGBA{0xe2, 0xa8, 0x68, 0xff}
	lidSide  = color.NRGBA{0xb9, 0x78, 0x3c, 0xff}
	inside   = color.NRGBA{0x5e, 0x37, 0x16, 0xff}
	paper    = color.NRGBA{0xfc, 0xfa, 0xf4, 0xff}
	sky      = color.NRGBA{0x4f, 0xa3, 0xe8, 0xff}
	hill     = color.NRGBA{0x3f, 0xa8, 0x4a, 0xff}
	hill2    = color.NRGBA{0x2e, 0x86, 0x3a, 0xff}
	sun      = color.NRGBA{0xff, 0xcf, 0x3a, 0xff}
	labelInk = color.NRGBA{0x8a, 0x5a, 0x2c, 0xff}
)

func fill(dst *image.RGBA, c color.Color, poly []pt) {
	r := vector.NewRasterizer(size, size)
	r.MoveTo(float32(poly[0].x), float32(poly[0].y))
	for _, p := range poly[1:] {
		r.LineTo(float32(p.x), float32(p.y))
	}
	r.ClosePath()
	r.Draw(dst, dst.Bounds(), image.NewUniform(c), image.Point{})
}

func circle(c pt, rad float64) []pt {
	var out []pt
	for i := 0; i < 48; i++ {
		a := 2 * math.Pi * float64(i) / 48
		out = append(out, pt{c.x + rad*math.Cos(a), c.y + rad*math.Sin(a)})
	}
	return out
}

// stroke draws the closed outline of poly with width w and round joins.
func stroke(dst *image.RGBA, c color.Color, poly []pt, w float64) {
	for i := range poly {
		a, b := poly[i], poly[(i+1)%len(poly)]
		dx, dy := b.x-a.x, b.y-a.y
		l := math.Hypot(dx, dy)
		nx, ny := -dy/l*w/2, dx/l*w/2
		fill(dst, c, []pt{{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}})
		fill(dst, c, circle(a, w/2))
	}
}

func shape(dst *image.RGBA, c color.Color, poly []pt, w float64) {
	stroke(dst, outline, poly, w)
	fill(dst, c, poly)
}

func rotate(poly []pt, c pt, deg float64) []pt {
	a := deg * math.Pi / 180
	s, co := math.Sin(a), math.Cos(a)
	out := make([]pt, len(poly))
	for i, p := range poly {
		x, y := p.x-c.x, p.y-c.y
		out[i] = pt{c.x + x*co - y*s, c.y + x*s + y*co}
	}
	return out
}

func rect(x0, y0, x1, y1 float64) []pt { return []pt{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}} }

func main() {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	draw.Draw(img, img.Bounds(), image.Transparent, image.Point{}, draw.Src)
	const w = 16

	// The lid, open and leaning back behind the box.
	shape(img, lidSide, []pt{{96, 214}, {150, 70}, {178, 58}, {128, 200}}, w)
	shape(img, lid, []pt{{128, 200}, {178, 58}, {470, 58}, {440, 200}}, w)

	// The dark inside of the box.
	shape(img, inside, []pt{{40, 236}, {104, 196}, {472, 196}, {408, 236}}, w)

	// The photo, tilted, its lower half inside the box.
	c := pt{262, 178}
	ph := rotate(rect(150, 70, 374, 290), c, -9)
	shape(img, paper, ph, w)
	pic := rect(168, 88, 356, 236)
	fill(img, sky, rotate(pic, c, -9))
	fill(img, sun, rotate(circle(pt{310, 128}, 22), c, -9))
	fill(img, hill2, rotate([]pt{{168, 236}, {168, 190}, {240, 150}, {300, 196}, {356, 170}, {356, 236}}, c, -9))
	fill(img, hill, rotate([]pt{{168, 236}, {168, 206}, {230, 176}, {300, 220}, {356, 206}, {356, 236}}, c, -9))

	// The box: side, then front.
	shape(img, side, []pt{{408, 236}, {472, 196}, {472, 408}, {408, 462}}, w)
	shape(img, front, rect(40, 236, 408, 462), w)
	// A label on the front.
	shape(img, paper, rect(142, 300, 306, 396), 10)
	fill(img, labelInk, rect(166, 326, 282, 340))
	fill(img, labelInk, rect(166, 356, 252, 370))

	out, err := os.Create("assets/icon.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(out, img); err != nil {
		log.Fatal(err)
	}
	if err := out.Close(); err != nil {
		log.Fatal(err)
	}
}
