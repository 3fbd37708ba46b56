package jpegdc

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// fullChroma is the mean BT.601 Cb and Cr (offsets from grey) of image/jpeg's
// full decode, per pixel from RGB: the reference DecodeDCLuma's means must
// agree with, whatever the subsampling or colour space.
func fullChroma(data []byte) (cb, cr float64, err error) {
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return 0, 0, err
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			rf, gf, bf := float64(r)/257, float64(g)/257, float64(bb)/257
			cb += -0.168736*rf - 0.331264*gf + 0.5*bf
			cr += 0.5*rf - 0.418688*gf - 0.081312*bf
		}
	}
	n := float64(b.Dx() * b.Dy())
	return cb / n, cr / n, nil
}

// TestMeanChromaAgainstFullDecode: on every fixture (4:4:4 to 4:1:0,
// progressive, restart markers, RGB, CMYK, YCCK, gray) the mean colour from
// the DC coefficients is within 1 of the full decode's on the 0..255 scale.
// The colour check of near-duplicate grouping allows 4 plus 15%, so the fast
// path cannot split a JPEG from its PNG copy.
func TestMeanChromaAgainstFullDecode(t *testing.T) {
	colourful := 0
	for _, path := range jpegFixtures(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, cfg, err := DecodeDCLuma(data, nil)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		wantCb, wantCr, err := fullChroma(data)
		if err != nil {
			// image/jpeg refuses a few valid files (progressive with restart
			// markers); TestAgainstFullDecode covers those against djpeg.
			t.Logf("%s: image/jpeg cannot decode it: %v", filepath.Base(path), err)
			continue
		}
		t.Logf("%s: DC %.2f %.2f, full %.2f %.2f", filepath.Base(path), p.MeanCb, p.MeanCr, wantCb, wantCr)
		if d := float64(p.MeanCb) - wantCb; d < -1 || d > 1 {
			t.Errorf("%s: mean Cb %.2f, full decode %.2f", path, p.MeanCb, wantCb)
		}
		if d := float64(p.MeanCr) - wantCr; d < -1 || d > 1 {
			t.Errorf("%s: mean Cr %.2f, full decode %.2f", path, p.MeanCr, wantCr)
		}
		if cfg.Components == 1 && (p.MeanCb != 0 || p.MeanCr != 0) {
			t.Errorf("%s: gray JPEG has chroma %v %v", path, p.MeanCb, p.MeanCr)
		}
		if max(abs(wantCb), abs(wantCr)) > 5 {
			colourful++
		}
	}
	if colourful < 5 {
		t.Fatalf("only %d fixtures have a visible colour cast: the test cannot tell chroma from none", colourful)
	}
}

// TestMeanChromaOfSolidColours: a solid colour's mean chroma is its own, and
// the edge blocks of a size that is not a multiple of 8 (or of the MCU)
// count by the share of them inside the image.
func TestMeanChromaOfSolidColours(t *testing.T) {
	for _, tc := range []struct {
		c    color.RGBA
		w, h int
	}{
		{color.RGBA{200, 30, 40, 255}, 64, 64},
		{color.RGBA{20, 60, 220, 255}, 37, 29},
		{color.RGBA{128, 128, 128, 255}, 40, 24},
	} {
		// Left part in colour, a 5 px grey strip on the right: the strip lies in
		// the last, partial block column.
		img := image.NewRGBA(image.Rect(0, 0, tc.w, tc.h))
		for y := 0; y < tc.h; y++ {
			for x := 0; x < tc.w; x++ {
				c := tc.c
				if x >= tc.w-5 {
					c = color.RGBA{128, 128, 128, 255}
				}
				img.SetRGBA(x, y, c)
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
			t.Fatal(err)
		}
		p, _, err := DecodeDCLuma(buf.Bytes(), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, cb, cr := color.RGBToYCbCr(tc.c.R, tc.c.G, tc.c.B)
		share := float64(tc.w-5) / float64(tc.w)
		wantCb, wantCr := (float64(cb)-128)*share, (float64(cr)-128)*share
		// 4:2:0 chroma samples each stand for 2 pixels, so an odd width
		// shifts the share by up to half a sample column (2.3 here); without
		// the edge weighting the 37x29 case would be off by 17.
		if abs(float64(p.MeanCb)-wantCb) > 2.5 || abs(float64(p.MeanCr)-wantCr) > 2.5 {
			t.Errorf("%v %dx%d: mean chroma %.2f %.2f, want %.2f %.2f", tc.c, tc.w, tc.h, p.MeanCb, p.MeanCr, wantCb, wantCr)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
