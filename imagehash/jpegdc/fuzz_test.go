package jpegdc

import (
	"bytes"
	"image/jpeg"
	"shoebox/internal/testimg"
	"testing"
)

// FuzzDecodeDC: no input may panic, hang or allocate beyond the pixel limit;
// a successful decode has the size its header declares and agrees with
// image/jpeg about it.
func FuzzDecodeDC(f *testing.F) {
	f.Add(testimg.JPEGHeader(16, 16))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, cerr := DecodeConfig(data)
		img, dcfg, err := DecodeDC(data, &Options{MaxPixels: 1 << 22})
		if err != nil {
			return
		}
		if cerr != nil {
			t.Fatalf("DecodeDC succeeded but DecodeConfig failed: %v", cerr)
		}
		if cfg != dcfg {
			t.Fatalf("config %+v vs %+v", cfg, dcfg)
		}
		b := img.Bounds()
		if b.Dx() != (cfg.Width+7)/8 || b.Dy() != (cfg.Height+7)/8 {
			t.Fatalf("DC image %v for %dx%d", b, cfg.Width, cfg.Height)
		}
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				img.At(x, y) // every pixel addressable
			}
		}
		if std, err := jpeg.DecodeConfig(bytes.NewReader(data)); err == nil {
			if std.Width != cfg.Width || std.Height != cfg.Height {
				t.Fatalf("image/jpeg says %dx%d, we say %dx%d", std.Width, std.Height, cfg.Width, cfg.Height)
			}
		}
		// The hashing entry point decodes the same data as well, with the
		// luma plane the DC image's size and the mean colour in range.
		p, _, err := DecodeDCLuma(data, &Options{MaxPixels: 1 << 22})
		if err != nil {
			t.Fatalf("DecodeDC succeeded but DecodeDCLuma failed: %v", err)
		}
		if p.W != b.Dx() || p.H != b.Dy() || len(p.Pix) != p.W*p.H {
			t.Fatalf("luma plane %dx%d (%d) for DC image %v", p.W, p.H, len(p.Pix), b)
		}
		for _, c := range []float32{p.MeanCb, p.MeanCr} {
			if !(c >= -128 && c <= 128) {
				t.Fatalf("mean chroma %v %v", p.MeanCb, p.MeanCr)
			}
		}
	})
}
