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

	"shoebox/imagehash"
	"shoebox/internal/testimg"
	neardup "shoebox/near" // the name near is this file's tolerance helper
)

func near(a, b float32, tol float64) bool { return math.Abs(float64(a-b)) <= tol }

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
		data := testimg.Photo(t, name)
		ref, err := imagehash.HashImage(ctx, data, "image/jpeg", 0, imagehash.DecodeLimits{})
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
		copyHash, err := imagehash.HashImage(ctx, buf.Bytes(), "image/png", 0, imagehash.DecodeLimits{})
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
		cast, err := imagehash.HashImage(ctx, buf.Bytes(), "image/png", 0, imagehash.DecodeLimits{})
		if err != nil {
			t.Fatal(err)
		}
		item := func(id uint64, h imagehash.ImageHashes) neardup.Item {
			return neardup.Item{ID: id, PHash: h.PHash, DHash: h.DHash, Width: h.Width, Height: h.Height,
				LumaMean: h.LumaMean, LumaStdDev: h.LumaStdDev, ChromaCb: h.ChromaCb, ChromaCr: h.ChromaCr, HasStats: true}
		}
		items := []neardup.Item{item(1, ref), item(2, copyHash), item(3, cast)}
		blind := neardup.Find(items, neardup.Options{MaxChromaDiff: -1})
		guarded := neardup.Find(items, neardup.Options{})
		t.Logf("%s: cast copy chroma %.2f %.2f, pHash distance %d", name, cast.ChromaCb, cast.ChromaCr, imagehash.HammingDistance(ref.PHash, cast.PHash))
		if len(blind) != 1 || len(blind[0].IDs) != 3 {
			t.Fatalf("%s: without the colour check the cast copy should match on hashes: %+v", name, blind)
		}
		pd := min(imagehash.HammingDistance(ref.PHash, cast.PHash), imagehash.HammingDistance(copyHash.PHash, cast.PHash))
		dd := min(imagehash.HammingDistance(ref.DHash, cast.DHash), imagehash.HammingDistance(copyHash.DHash, cast.DHash))
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
