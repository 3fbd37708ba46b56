package imagehash

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corona10/goimagehash"

	"shoebox/imagehash/jpegdc"
)

const imgFixtures = "testdata/images"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(imgFixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hashOf(img image.Image, orientation int) ImageHashes {
	return hashesFromLuma(orient(areaLuma(img, hashSide, hashSide), hashSide, orientation))
}

// TestFastPathAgreesWithFullDecode: for every JPEG fixture, the pHash from the
// DC-only decode is within 2 bits of the pHash from image/jpeg's full decode.
func TestFastPathAgreesWithFullDecode(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(imgFixtures, "*.jpg"))
	if len(files) < 20 {
		t.Fatalf("%d JPEG fixtures", len(files))
	}
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		full, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Logf("%s: image/jpeg cannot decode it (%v); skipped", filepath.Base(f), err)
			continue
		}
		dc, _, err := jpegdc.DecodeDC(data, nil)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		hf, hd := hashOf(full, 1), hashOfDC(t, data)
		dp, dd := HammingDistance(hf.PHash, hd.PHash), HammingDistance(hf.DHash, hd.DHash)
		t.Logf("%-18s DC %v: pHash distance %d, dHash distance %d", filepath.Base(f), dc.Bounds().Size(), dp, dd)
		if sz := dc.Bounds().Size(); min(sz.X, sz.Y) < hashSide {
			continue // HashImage decodes these fully; the DC image is too small
		}
		if dp > 2 {
			t.Errorf("%s: pHash of the DC decode is %d bits from the full decode's", filepath.Base(f), dp)
		}
		checked++
	}
	if checked < 6 {
		t.Errorf("only %d fixtures checked", checked)
	}
}

// TestCompatibleWithGoimagehash: on a 64x64 image (no resizing involved) the
// pHash and dHash definitions match goimagehash's.
func TestCompatibleWithGoimagehash(t *testing.T) {
	for _, name := range []string{"a-444.jpg", "b-420.jpg", "c-420.jpg"} {
		img, err := jpeg.Decode(bytes.NewReader(readFixture(t, name)))
		if err != nil {
			t.Fatal(err)
		}
		// A 64x64 gray crop, so that goimagehash's own resize is the identity.
		g := image.NewGray(image.Rect(0, 0, 64, 64))
		for y := 0; y < 64; y++ {
			for x := 0; x < 64; x++ {
				g.Set(x, y, color.GrayModel.Convert(img.At(x*3, y*3)))
			}
		}
		ours := hashOf(g, 1)
		ph, err := goimagehash.PerceptionHash(g)
		if err != nil {
			t.Fatal(err)
		}
		if d := HammingDistance(ours.PHash, ph.GetHash()); d > 1 {
			t.Errorf("%s: pHash %016x, goimagehash %016x (%d bits)", name, ours.PHash, ph.GetHash(), d)
		}
		// dHash: goimagehash resizes to 9x8 itself (bilinear), so only
		// require close agreement.
		dh, _ := goimagehash.DifferenceHash(g)
		if d := HammingDistance(ours.DHash, dh.GetHash()); d > 12 {
			t.Errorf("%s: dHash %016x, goimagehash %016x (%d bits)", name, ours.DHash, dh.GetHash(), d)
		}
	}
}

func TestHashImageFormats(t *testing.T) {
	ctx := context.Background()
	ref, err := HashImage(ctx, readFixture(t, "c-420.jpg"), "image/jpeg", 0, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if ref.Width != 384 || ref.Height != 256 {
		t.Errorf("size %dx%d", ref.Width, ref.Height)
	}
	for _, tc := range []struct {
		name, mime string
		maxBits    int
	}{
		{"c.png", "image/png", 4},
		{"c.gif", "image/gif", 8},
		{"c.webp", "image/webp", 6},
		{"c.tiff", "image/tiff", 4},
		{"c.bmp", "image/bmp", 4},
		{"c-im-rst.jpg", "image/jpeg", 4},
	} {
		h, err := HashImage(ctx, readFixture(t, tc.name), tc.mime, 0, DecodeLimits{})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		d := HammingDistance(h.PHash, ref.PHash)
		t.Logf("%s: pHash distance %d, dHash distance %d, %dx%d", tc.name, d, HammingDistance(h.DHash, ref.DHash), h.Width, h.Height)
		if d > tc.maxBits {
			t.Errorf("%s: pHash %d bits from the JPEG's", tc.name, d)
		}
	}
}

func TestOrientation(t *testing.T) {
	ctx := context.Background()
	// c-rot90.jpg holds c's pixels rotated 90° clockwise, which is what
	// orientation 6 asks a viewer to do.
	rot, err := HashImage(ctx, readFixture(t, "c-rot90.jpg"), "image/jpeg", 1, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	flagged, err := HashImage(ctx, readFixture(t, "c-420.jpg"), "image/jpeg", 6, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := HashImage(ctx, readFixture(t, "c-420.jpg"), "image/jpeg", 1, DecodeLimits{})
	if flagged.Width != 256 || flagged.Height != 384 {
		t.Errorf("oriented size %dx%d", flagged.Width, flagged.Height)
	}
	if d := HammingDistance(rot.PHash, flagged.PHash); d > 4 {
		t.Errorf("rotated copy vs orientation flag: %d bits", d)
	}
	if d := HammingDistance(rot.PHash, plain.PHash); d < 16 {
		t.Errorf("rotated copy vs unrotated: only %d bits apart", d)
	}
	// Every orientation: physically transformed pixels hashed as-is match
	// the original hashed with the flag.
	src, _ := jpeg.Decode(bytes.NewReader(readFixture(t, "b-420.jpg")))
	rgba := image.NewRGBA(src.Bounds())
	for y := 0; y < rgba.Rect.Dy(); y++ {
		for x := 0; x < rgba.Rect.Dx(); x++ {
			rgba.Set(x, y, src.At(x, y))
		}
	}
	for o := 1; o <= 8; o++ {
		var buf bytes.Buffer
		if err := png.Encode(&buf, orientRGBA(rgba, o)); err != nil {
			t.Fatal(err)
		}
		a, err := HashImage(ctx, buf.Bytes(), "image/png", 1, DecodeLimits{})
		if err != nil {
			t.Fatal(err)
		}
		var buf2 bytes.Buffer
		png.Encode(&buf2, rgba)
		b, err := HashImage(ctx, buf2.Bytes(), "image/png", o, DecodeLimits{})
		if err != nil {
			t.Fatal(err)
		}
		if a.PHash != b.PHash || a.DHash != b.DHash || a.Width != b.Width || a.Height != b.Height {
			t.Errorf("orientation %d: pixels %016x %dx%d, flag %016x %dx%d", o, a.PHash, a.Width, a.Height, b.PHash, b.Width, b.Height)
		}
	}
}

func TestNotHashable(t *testing.T) {
	ctx := context.Background()
	tiny := image.NewRGBA(image.Rect(0, 0, 4, 4))
	var tinyPNG bytes.Buffer
	png.Encode(&tinyPNG, tiny)
	for name, data := range map[string][]byte{
		"empty":     nil,
		"text":      []byte("Holiday list\n- pick best photos\n"),
		"html":      []byte("<!DOCTYPE html><html><body>403</body></html>"),
		"mp4":       append([]byte{0, 0, 0, 0x18}, []byte("ftypmp42\x00\x00\x00\x00mp42isom")...),
		"4x4 png":   tinyPNG.Bytes(),
		"random":    bytes.Repeat([]byte{0x13, 0x37, 0xC0, 0xDE}, 1000),
		"heic-ish":  append([]byte{0, 0, 0, 0x18}, []byte("ftypheic\x00\x00\x00\x00mif1heic")...),
		"riff avi":  []byte("RIFF\x00\x00\x00\x00AVI LIST"),
		"appledbl":  append([]byte{0, 5, 0x16, 7, 0, 2, 0, 0}, make([]byte, 100)...),
		"tiff junk": []byte("II*\x00\x08\x00\x00\x00\x00\x00"),
	} {
		mime := "application/octet-stream"
		if strings.HasPrefix(name, "heic") {
			mime = "image/heic"
		}
		_, err := HashImage(ctx, data, mime, 0, DecodeLimits{})
		// A HEIC with no meta box is damaged when heif-convert is there to
		// decode HEIC, and not hashable when it is not.
		if name == "tiff junk" || name == "heic-ish" {
			if err == nil {
				t.Errorf("%s: no error", name)
			}
			continue
		}
		if !errors.Is(err, ErrNotHashable) {
			t.Errorf("%s: %v, want ErrNotHashable", name, err)
		}
	}
}

// hashOfDC hashes data as HashImage's fast path does: from the DC luma plane.
func hashOfDC(t testing.TB, data []byte) ImageHashes {
	p, cfg, err := jpegdc.DecodeDCLuma(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := make([]float64, len(p.Pix))
	for i, v := range p.Pix {
		f[i] = float64(v)
	}
	return hashesFromLuma(areaResampleExtent(f, p.W, p.H, float64(cfg.Width)/8, float64(cfg.Height)/8, hashSide, hashSide))
}

func TestUniformImagesHashDeterministically(t *testing.T) {
	for _, c := range []color.Gray{{0}, {77}, {255}} {
		img := image.NewGray(image.Rect(0, 0, 333, 217))
		for i := range img.Pix {
			img.Pix[i] = c.Y
		}
		var buf bytes.Buffer
		png.Encode(&buf, img)
		h, err := HashImage(context.Background(), buf.Bytes(), "image/png", 0, DecodeLimits{})
		if err != nil {
			t.Fatal(err)
		}
		wantP := uint64(1) << 63 // only the DC coefficient is above the (zero) median
		if c.Y == 0 {
			wantP = 0
		}
		if h.PHash != wantP || h.DHash != 0 || h.LumaStdDev != 0 || h.LumaMean != float32(c.Y) {
			t.Errorf("uniform %d: %+v", c.Y, h)
		}
	}
}

func TestAnimatedWebPNotHashable(t *testing.T) {
	// VP8X header with the animation flag, as ImageMagick writes it.
	anim := []byte("RIFF\xf2\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x02\x00\x00\x00?\x00\x00?\x00\x00ANIM\x06\x00\x00\x00\xff\xff")
	if _, err := HashImage(context.Background(), anim, "image/webp", 0, DecodeLimits{}); !errors.Is(err, ErrNotHashable) {
		t.Errorf("animated WebP: %v", err)
	}
}
