package meta

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkReadMetadataJPEG(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(fixtureDir, "camera_le.jpg"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Read(bytes.NewReader(data), int64(len(data)), "image/jpeg")
	}
}

func BenchmarkReadMetadataHEIC(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(fixtureDir, "sample.heic"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Read(bytes.NewReader(data), int64(len(data)), "image/heic")
	}
}
