package testimg

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
)

var (
	jpeg12Once sync.Once
	jpeg12     []byte
	jpeg12Err  error
)

// JPEG12MP is $SHOEBOX_BENCH_JPEG (use a real 12 MP camera photo for
// representative figures) or a synthetic 4000x3000 4:2:0 JPEG with
// photo-like entropy (SyntheticJPEG at quality 90). It is made once per test
// binary.
func JPEG12MP(tb testing.TB) []byte {
	jpeg12Once.Do(func() {
		if p := os.Getenv("SHOEBOX_BENCH_JPEG"); p != "" {
			jpeg12, jpeg12Err = os.ReadFile(p)
			return
		}
		jpeg12 = SyntheticJPEG(4000, 3000, 90)
	})
	if jpeg12Err != nil {
		tb.Fatal(jpeg12Err)
	}
	return jpeg12
}

// SyntheticJPEG encodes a w x h textured 4:2:0 image (smooth shapes plus
// grain, ~3 bits per pixel at quality 90).
func SyntheticJPEG(w, h, quality int) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	r := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := (x*7/w)*30 + (y*5/h)*10 + r.IntN(48)
			if (x/300+y/200)%3 == 0 {
				v += 40
			}
			img.Y[y*img.YStride+x] = uint8(min(255, v))
		}
	}
	for i := range img.Cb {
		img.Cb[i] = uint8(110 + r.IntN(30))
		img.Cr[i] = uint8(120 + r.IntN(20))
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// JPEGHeader is SOI, a DQT, DHTs, an SOF0 declaring w x h gray pixels and an
// SOS with a little scan data (zeros), no EOI: a JPEG whose header promises
// far more than its data holds.
func JPEGHeader(w, h int) []byte {
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xD8})
	b.Write([]byte{0xFF, 0xDB, 0, 67, 0})
	b.Write(bytes.Repeat([]byte{1}, 64))
	// DC table 0: one code of length 1 for symbol 0; AC table 0: one code, EOB.
	b.Write([]byte{0xFF, 0xC4, 0, 20, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	b.Write([]byte{0xFF, 0xC4, 0, 20, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	b.Write([]byte{0xFF, 0xC0, 0, 11, 8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 1, 1, 0x11, 0})
	b.Write([]byte{0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0})
	b.Write(make([]byte, 64))
	return b.Bytes()
}
