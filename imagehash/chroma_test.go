package imagehash

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func near(a, b float32, tol float64) bool { return math.Abs(float64(a-b)) <= tol }

// TestMeanChromaImageTypes: every decoded image type gives the mean colour
// of its pixels.
func TestMeanChromaImageTypes(t *testing.T) {
	red := color.RGBA{220, 40, 30, 255}
	_, wantCb, wantCr := color.RGBToYCbCr(red.R, red.G, red.B)
	cb0, cr0 := float32(wantCb)-128, float32(wantCr)-128
	r := image.Rect(0, 0, 30, 20)

	rgba := image.NewRGBA(r)
	nrgba := image.NewNRGBA(r)
	pal := image.NewPaletted(r, color.Palette{color.Black, red})
	ycc := image.NewYCbCr(image.Rect(0, 0, 31, 21), image.YCbCrSubsampleRatio420)
	deep := image.NewRGBA64(r)
	for y := 0; y < 20; y++ {
		for x := 0; x < 30; x++ {
			rgba.SetRGBA(x, y, red)
			nrgba.SetNRGBA(x, y, color.NRGBA{red.R, red.G, red.B, 255})
			pal.SetColorIndex(x, y, 1)
			deep.Set(x, y, red)
		}
	}
	for i := range ycc.Y {
		ycc.Y[i] = 90
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = wantCb, wantCr
	}
	for name, img := range map[string]image.Image{
		"RGBA": rgba, "NRGBA": nrgba, "Paletted": pal, "RGBA64": deep,
		"YCbCr 4:2:0": ycc, "YCbCr sub-image": ycc.SubImage(image.Rect(3, 5, 17, 14)),
	} {
		cb, cr := meanChroma(img)
		if !near(cb, cb0, 1) || !near(cr, cr0, 1) {
			t.Errorf("%s: mean chroma %.2f %.2f, want %.2f %.2f", name, cb, cr, cb0, cr0)
		}
	}

	// Half transparent over black halves the colour, as the luma does; the
	// gray types have none.
	half := image.NewNRGBA(r)
	for i := 0; i < len(half.Pix); i += 4 {
		copy(half.Pix[i:], []byte{red.R, red.G, red.B, 128})
	}
	if cb, cr := meanChroma(half); !near(cb, cb0*128/255, 1) || !near(cr, cr0*128/255, 1) {
		t.Errorf("half transparent: %.2f %.2f", cb, cr)
	}
	// Over a million pixels the mean is taken on a grid: still the mean of
	// a left half in red and a right half in blue.
	big := image.NewRGBA(image.Rect(0, 0, 2001, 1500))
	blue := color.RGBA{20, 40, 230, 255}
	for y := 0; y < 1500; y++ {
		for x := 0; x < 2001; x++ {
			big.SetRGBA(x, y, map[bool]color.RGBA{true: red, false: blue}[x < 1000])
		}
	}
	_, bCb, bCr := color.RGBToYCbCr(blue.R, blue.G, blue.B)
	if cb, cr := meanChroma(big); !near(cb, (cb0+float32(bCb)-128)/2, 1) || !near(cr, (cr0+float32(bCr)-128)/2, 1) {
		t.Errorf("2001x1500: %.2f %.2f", cb, cr)
	}
	if cb, cr := meanChroma(image.NewGray(r)); cb != 0 || cr != 0 {
		t.Errorf("gray: %v %v", cb, cr)
	}
}
