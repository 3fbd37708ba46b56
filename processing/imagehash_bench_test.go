package processing

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
)

var (
	bench12Once sync.Once
	bench12     []byte
)

// bench12MP is $SHOEBOX_BENCH_JPEG (use a real 12 MP camera photo for
// representative figures) or a synthetic 4000x3000 4:2:0 JPEG with
// photo-like entropy.
func bench12MP(b *testing.B) []byte {
	bench12Once.Do(func() {
		if p := os.Getenv("SHOEBOX_BENCH_JPEG"); p != "" {
			var err error
			if bench12, err = os.ReadFile(p); err != nil {
				b.Fatal(err)
			}
			return
		}
		img := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
		r := rand.New(rand.NewPCG(1, 2))
		for y := 0; y < 3000; y++ {
			for x := 0; x < 4000; x++ {
				v := (x*7/4000)*30 + (y*5/3000)*10 + r.IntN(48)
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
		jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
		bench12 = buf.Bytes()
	})
	return bench12
}

func BenchmarkHashImageJPEG12MP(b *testing.B) {
	data := bench12MP(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := HashImage(context.Background(), data, "image/jpeg", 6, DecodeLimits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHashImageJPEG12MPParallel runs two hashes at a time, as the
// analysis does on a 2-core machine.
func BenchmarkHashImageJPEG12MPParallel(b *testing.B) {
	data := bench12MP(b)
	b.SetBytes(int64(len(data)))
	b.SetParallelism(1)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := HashImage(context.Background(), data, "image/jpeg", 1, DecodeLimits{}); err != nil {
				b.Error(err)
			}
		}
	})
}

// BenchmarkNaiveFullDecode12MP is the baseline the fast path replaces: a
// full image/jpeg decode plus the same 64x64 luma hashing.
func BenchmarkNaiveFullDecode12MP(b *testing.B) {
	data := bench12MP(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		hashOf(img, 1)
	}
}

func BenchmarkHashImagePNG(b *testing.B) {
	data, err := os.ReadFile("testdata/images/c.png")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := HashImage(context.Background(), data, "image/png", 1, DecodeLimits{}); err != nil {
			b.Fatal(err)
		}
	}
}
