package imagehash

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"shoebox/internal/testimg"
)

// testPattern is a w x h image of the given kind with busy pixels (so that
// the encoders keep every channel and do not compress it to nothing).
func testPattern(kind string, w, h int) image.Image {
	r := image.Rect(0, 0, w, h)
	fill := func(pix []uint8, alphaEvery, alphaFrom int) {
		for i := range pix {
			pix[i] = uint8(i * 7 % 251)
			if alphaEvery > 0 && i%alphaEvery >= alphaFrom {
				pix[i] = 255
			}
		}
	}
	switch kind {
	case "gray8":
		m := image.NewGray(r)
		fill(m.Pix, 0, 0)
		return m
	case "gray16":
		m := image.NewGray16(r)
		fill(m.Pix, 0, 0)
		return m
	case "rgb8":
		m := image.NewNRGBA(r)
		fill(m.Pix, 4, 3)
		return m
	case "rgba8":
		m := image.NewNRGBA(r)
		fill(m.Pix, 0, 0)
		return m
	case "rgb16":
		m := image.NewNRGBA64(r)
		fill(m.Pix, 8, 6)
		return m
	case "rgba16":
		m := image.NewNRGBA64(r)
		fill(m.Pix, 0, 0)
		return m
	case "paletted":
		m := image.NewPaletted(r, color.Palette{color.Black, color.White, color.Gray{Y: 100}})
		for i := range m.Pix {
			m.Pix[i] = uint8(i % 3)
		}
		return m
	}
	panic(kind)
}

func encodeAs(t testing.TB, enc func(*bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := enc(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// decodeAlloc is what decodeStd allocates in all to decode data.
func decodeAlloc(t *testing.T, data []byte, f imageFormat) int64 {
	t.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	d, err := decodeStd(context.Background(), data, f, DecodeLimits{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(d)
	return int64(after.TotalAlloc - before.TotalAlloc)
}

// TestDecodeCostCoversTheDecoders holds the table in decodecost.go: for
// every format and depth the estimate is at least what the decoder
// allocates and at most 1.5 times it.
func TestDecodeCostCoversTheDecoders(t *testing.T) {
	const w, h = 1200, 800
	type tc struct {
		name string
		f    imageFormat
		data []byte
	}
	var cases []tc
	for _, k := range []string{"gray8", "gray16", "rgb8", "rgba8", "rgb16", "rgba16", "paletted"} {
		m := testPattern(k, w, h)
		cases = append(cases, tc{"png " + k, fmtPNG, encodeAs(t, func(b *bytes.Buffer) error { return png.Encode(b, m) })})
		if raceBuild {
			// The race detector makes append(s, make([]byte, n)...), the
			// way slices.Grow and bytes.Buffer grow, allocate its
			// temporary: x/image/tiff then allocates about twice its
			// buffers. The table is that of the shipped build.
			continue
		}
		cases = append(cases,
			tc{"tiff " + k, fmtTIFF, encodeAs(t, func(b *bytes.Buffer) error { return tiff.Encode(b, m, nil) })},
			tc{"deflate tiff " + k, fmtTIFF, encodeAs(t, func(b *bytes.Buffer) error {
				return tiff.Encode(b, m, &tiff.Options{Compression: tiff.Deflate})
			})})
	}
	cases = append(cases,
		tc{"interlaced png gray8", fmtPNG, testimg.InterlacedPNG(testPattern("gray8", w, h))},
		tc{"interlaced png rgba16", fmtPNG, testimg.InterlacedPNG(testPattern("rgba16", w, h))},
		tc{"bmp rgb8", fmtBMP, encodeAs(t, func(b *bytes.Buffer) error { return bmp.Encode(b, testPattern("rgb8", w, h)) })},
		tc{"bmp paletted", fmtBMP, encodeAs(t, func(b *bytes.Buffer) error { return bmp.Encode(b, testPattern("paletted", w, h)) })},
		tc{"gif", fmtGIF, encodeAs(t, func(b *bytes.Buffer) error { return gif.Encode(b, testPattern("paletted", w, h), nil) })},
		tc{"jpeg 4:2:0", fmtJPEG, encodeAs(t, func(b *bytes.Buffer) error { return jpeg.Encode(b, testPattern("rgb8", w, h), nil) })},
		tc{"jpeg gray", fmtJPEG, encodeAs(t, func(b *bytes.Buffer) error { return jpeg.Encode(b, testPattern("gray8", w, h), nil) })},
		tc{"jpeg progressive", fmtJPEG, readFixture(t, "a-prog.jpg")},
		tc{"jpeg progressive 4:4:4", fmtJPEG, readFixture(t, "a-prog-444.jpg")},
		tc{"jpeg cmyk", fmtJPEG, readFixture(t, "a-cmyk.jpg")},
		tc{"webp lossy", fmtWebP, readFixture(t, "c.webp")},
	)
	for _, c := range cases {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(c.data))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := decodeAlloc(t, c.data, c.f)
		est := estimateDecode(c.data, c.f, cfg).bytes
		px := float64(cfg.Width * cfg.Height)
		t.Logf("%-24s %5dx%-5d allocates %6.2f B/px, estimate %6.2f (x%.2f)", c.name, cfg.Width, cfg.Height,
			float64(got)/px, float64(est)/px, float64(est)/float64(got))
		if est < got || float64(est) > 1.5*float64(got) {
			t.Errorf("%s: estimate %d bytes, the decoder allocates %d: want between 1 and 1.5 times", c.name, est, got)
		}
	}
}

// TestJPEGDCCostCoversTheDecoder: the DC-only JPEG decode (the path of
// every camera JPEG) allocates no more than jpegDCBytes, nor much less:
// 2400x1600 allocates 1.33 MB (4:2:0) and 1.26 MB (gray) for the hash, the
// estimate is 1.46 MB.
func TestJPEGDCCostCoversTheDecoder(t *testing.T) {
	for _, k := range []string{"rgb8", "gray8"} {
		data := encodeAs(t, func(b *bytes.Buffer) error { return jpeg.Encode(b, testPattern(k, 2400, 1600), nil) })
		for _, lumaOnly := range []bool{true, false} {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			d, err := decodeJPEG(context.Background(), data, hashSide, DecodeLimits{}, lumaOnly)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if !d.reduced {
				t.Fatal("not decoded at 1/8 scale")
			}
			d.done()
			got, est := int64(after.TotalAlloc-before.TotalAlloc), jpegDCBytes(2400, 1600)
			t.Logf("%s luma only %v: allocates %d, estimate %d (x%.2f)", k, lumaOnly, got, est, float64(est)/float64(got))
			// The thumbnail decode (not luma only) needs about half: the
			// estimate serves the hash, and is only generous to thumbnails.
			if est < got || (lumaOnly && float64(est) > 1.5*float64(got)) {
				t.Errorf("%s luma only %v: estimate %d bytes, the decoder allocates %d", k, lumaOnly, est, got)
			}
		}
	}
}

// The header readers take untrusted bytes: no prefix of a real file, and no
// garbage, makes them panic or loop.
func TestDecodeCostHeadersSurviveTruncation(t *testing.T) {
	var files [][]byte
	for _, n := range []string{"c.png", "c.bmp", "c.tiff", "c.gif", "c.webp", "a-prog.jpg", "a-cmyk.jpg"} {
		files = append(files, readFixture(t, n))
	}
	files = append(files, testimg.InterlacedPNG(testPattern("gray8", 40, 30)), testimg.TIFFDeclaring(1<<32-1, 1<<32-1),
		[]byte("\xff\xd8\xff\xc0\x00\x00"), []byte("\xff\xd8\xff\xc0\x00\x01\x08"), []byte("RIFF\x00\x00\x00\x00WEBPALPH\xff\xff\xff\xff"))
	cfg := image.Config{Width: 40, Height: 30, ColorModel: color.RGBAModel}
	for _, data := range files {
		for n := 0; n <= len(data); n += max(1, len(data)/500) {
			p := data[:n]
			f := formatOf(p, "")
			headerSize(p, f)
			estimateDecode(p, f, cfg)
			for _, g := range []imageFormat{fmtPNG, fmtTIFF, fmtJPEG, fmtWebP, fmtBMP} {
				headerSize(p, g)
				estimateDecode(p, g, cfg)
			}
		}
	}
}
