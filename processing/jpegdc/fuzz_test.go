package jpegdc

import (
	"bytes"
	"image/jpeg"
	"testing"
)

// FuzzDecodeDC: no input may panic, hang or allocate beyond the pixel limit;
// a successful decode has the size its header declares and agrees with
// image/jpeg about it.
func FuzzDecodeDC(f *testing.F) {
	f.Add(sofJPEG(16, 16))
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
	})
}
