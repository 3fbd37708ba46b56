package imagehash

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"testing"

	"shoebox/internal/testimg"
	"shoebox/limits"
)

// FuzzHashImage: HashImage never panics or hangs on any bytes; with a 4 MP
// limit and a 64 MB budget it stays small; a result has a plausible size.
func FuzzHashImage(f *testing.F) {
	f.Add(testimg.JPEGHeader(16, 16), 0)
	f.Add(pngDeclaring(64, 64), 3)
	f.Add(fuzzRawSeed(), 8)
	f.Fuzz(func(t *testing.T, data []byte, orientation int) {
		lim := DecodeLimits{MaxPixels: 4 << 20, Budget: fuzzBudget}
		h, err := HashImage(context.Background(), data, "", orientation, lim)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				t.Fatal("spurious cancellation")
			}
			return
		}
		if h.Width < 8 || h.Height < 8 || int64(h.Width)*int64(h.Height) > 4<<20 {
			t.Fatalf("hashed a %dx%d image", h.Width, h.Height)
		}
		if h.LumaMean < 0 || h.LumaMean > 255.5 || h.LumaStdDev < 0 {
			t.Fatalf("luma stats %v %v", h.LumaMean, h.LumaStdDev)
		}
		if _, err := ThumbnailContext(context.Background(), data, "", orientation, 32, lim); err != nil {
			t.Fatalf("hashable but no thumbnail: %v", err)
		}
	})
}

var fuzzBudget = limits.NewMemoryBudget(64 << 20)

// fuzzRawSeed is a CR2-like TIFF whose IFD0 strip is a small JPEG.
func fuzzRawSeed() []byte {
	img := image.NewGray(image.Rect(0, 0, 24, 16))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var j bytes.Buffer
	jpeg.Encode(&j, img, nil)
	b := newTIFF(binary.LittleEndian)
	off := b.blob(j.Bytes())
	b.setFirstIFD(b.ifd([]tiffEntry{short(0x0103, 6), long(0x0111, off), long(0x0117, uint32(j.Len()))}, 0))
	return b.buf
}
