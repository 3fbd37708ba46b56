package jpegdc

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
	bigOnce sync.Once
	bigJPEG []byte
)

// big12MP returns a 4000x3000 4:2:0 JPEG: $SHOEBOX_BENCH_JPEG if set (use a
// real camera photo for representative figures), else a textured synthetic
// image (photo-like entropy: gradients plus grain) encoded by image/jpeg.
func big12MP(b *testing.B) []byte {
	bigOnce.Do(func() {
		if p := os.Getenv("SHOEBOX_BENCH_JPEG"); p != "" {
			var err error
			if bigJPEG, err = os.ReadFile(p); err != nil {
				b.Fatal(err)
			}
			return
		}
		bigJPEG = SyntheticJPEG(4000, 3000, 90)
	})
	return bigJPEG
}

// SyntheticJPEG encodes a w x h textured 4:2:0 image (smooth shapes plus
// grain, ~3 bits per pixel at quality 90).
func SyntheticJPEG(w, h, quality int) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	r := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := (x*7/w)*30 + (y*5/h)*10 + int(r.IntN(48))
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

func BenchmarkDecodeDC12MP(b *testing.B) {
	data := big12MP(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := DecodeDC(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStdlibDecode12MP(b *testing.B) {
	data := big12MP(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeDCTurbo12MP is libjpeg-turbo's 1/8-scale luma decode
// through cgo (-tags libjpegturbo), the ceiling the pure-Go path is held to.
func BenchmarkDecodeDCTurbo12MP(b *testing.B) {
	if !TurboAvailable {
		b.Skip("built without -tags libjpegturbo")
	}
	data := big12MP(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, _, err := DecodeDCLumaTurbo(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeDCLuma12MP(b *testing.B) {
	data := big12MP(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := DecodeDCLuma(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}
