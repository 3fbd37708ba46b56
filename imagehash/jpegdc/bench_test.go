package jpegdc

import (
	"bytes"
	"image/jpeg"
	"shoebox/internal/testimg"
	"testing"
)

func BenchmarkDecodeDC12MP(b *testing.B) {
	data := testimg.JPEG12MP(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := DecodeDC(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStdlibDecode12MP(b *testing.B) {
	data := testimg.JPEG12MP(b)
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
	data := testimg.JPEG12MP(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, _, err := DecodeDCLumaTurbo(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeDCLuma12MP(b *testing.B) {
	data := testimg.JPEG12MP(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := DecodeDCLuma(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}
