package imagehash

import (
	"bytes"
	"context"
	"image/jpeg"
	"os"
	"shoebox/internal/testimg"
	"testing"
)

func BenchmarkHashImageJPEG12MP(b *testing.B) {
	data := testimg.JPEG12MP(b)
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
	data := testimg.JPEG12MP(b)
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
	data := testimg.JPEG12MP(b)
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
