package processing

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"slices"
	"testing"

	neardup "shoebox/near" // the name near is this file's tolerance helper
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

// tinted returns img with a colour cast (warmer light: more red, less blue),
// the luma nearly kept.
func tinted(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			rf, gf, bf := float64(r>>8), float64(g>>8), float64(bl>>8)
			out.SetRGBA(x, y, color.RGBA{uint8(min(255, rf*1.25+10)), uint8(gf * 0.97), uint8(bf * 0.6), 255})
		}
	}
	return out
}

// TestHashImageChroma: on real photographs the mean colour from the JPEG DC
// fast path agrees with the one from a lossless PNG copy of the full decode,
// so the colour check keeps a JPEG and its conversions together. A copy with
// a strong colour cast is an edit when both hashes stay within
// neardup.SameStructureBits, and is told apart by colour alone when they moved
// further: both happen on these photographs.
func TestHashImageChroma(t *testing.T) {
	ctx := context.Background()
	edits, apart := 0, 0
	for _, name := range []string{"d-420.jpg", "a-420.jpg", "f-prog.jpg", "e-422.jpg"} {
		data := readFixture(t, name)
		ref, err := HashImage(ctx, data, "image/jpeg", 0, DecodeLimits{})
		if err != nil {
			t.Fatal(err)
		}
		full, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, full); err != nil {
			t.Fatal(err)
		}
		copyHash, err := HashImage(ctx, buf.Bytes(), "image/png", 0, DecodeLimits{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: JPEG chroma %.2f %.2f, PNG copy %.2f %.2f", name, ref.ChromaCb, ref.ChromaCr, copyHash.ChromaCb, copyHash.ChromaCr)
		if !near(ref.ChromaCb, copyHash.ChromaCb, 1) || !near(ref.ChromaCr, copyHash.ChromaCr, 1) {
			t.Errorf("%s: chroma %.2f %.2f, PNG copy %.2f %.2f", name, ref.ChromaCb, ref.ChromaCr, copyHash.ChromaCb, copyHash.ChromaCr)
		}

		buf.Reset()
		if err := png.Encode(&buf, tinted(full)); err != nil {
			t.Fatal(err)
		}
		cast, err := HashImage(ctx, buf.Bytes(), "image/png", 0, DecodeLimits{})
		if err != nil {
			t.Fatal(err)
		}
		item := func(id uint64, h ImageHashes) neardup.Item {
			return neardup.Item{ID: id, PHash: h.PHash, DHash: h.DHash, Width: h.Width, Height: h.Height,
				LumaMean: h.LumaMean, LumaStdDev: h.LumaStdDev, ChromaCb: h.ChromaCb, ChromaCr: h.ChromaCr, HasStats: true}
		}
		items := []neardup.Item{item(1, ref), item(2, copyHash), item(3, cast)}
		blind := neardup.Find(items, neardup.Options{MaxChromaDiff: -1})
		guarded := neardup.Find(items, neardup.Options{})
		t.Logf("%s: cast copy chroma %.2f %.2f, pHash distance %d", name, cast.ChromaCb, cast.ChromaCr, HammingDistance(ref.PHash, cast.PHash))
		if len(blind) != 1 || len(blind[0].IDs) != 3 {
			t.Fatalf("%s: without the colour check the cast copy should match on hashes: %+v", name, blind)
		}
		pd := min(HammingDistance(ref.PHash, cast.PHash), HammingDistance(copyHash.PHash, cast.PHash))
		dd := min(HammingDistance(ref.DHash, cast.DHash), HammingDistance(copyHash.DHash, cast.DHash))
		if pd <= neardup.SameStructureBits && dd <= neardup.SameStructureBits {
			edits++
			if len(guarded) != 1 || len(guarded[0].IDs) != 3 || !slices.ContainsFunc(guarded[0].Evidence,
				func(e neardup.Edge) bool { return e.Reason == neardup.ReasonColourEdit }) {
				t.Errorf("%s: cast copy %d/%d bits away is an edit, got %+v", name, pd, dd, guarded)
			}
			continue
		}
		apart++
		if len(guarded) != 1 || len(guarded[0].IDs) != 2 || guarded[0].IDs[1] != 2 {
			t.Errorf("%s: with the colour check want {1, 2}, got %+v", name, guarded)
		}
	}
	if edits == 0 || apart == 0 {
		t.Errorf("%d cast copies within the edit distance, %d beyond: the fixtures no longer test both", edits, apart)
	}
}
