package processing

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"shoebox/meta"
)

func BenchmarkReadMetadataJPEG(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "meta", "camera_le.jpg"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		meta.Read(bytes.NewReader(data), int64(len(data)), "image/jpeg")
	}
}

func BenchmarkReadMetadataHEIC(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "meta", "sample.heic"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		meta.Read(bytes.NewReader(data), int64(len(data)), "image/heic")
	}
}

func BenchmarkParseFilenameTime(b *testing.B) {
	names := []string{"IMG_20190704_153012.jpg", "DSC_0042.JPG", "WhatsApp Image 2021-05-06 at 14.22.31.jpeg", "image.jpg"}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			ParseFilenameTime(n)
		}
	}
}

// BenchmarkDetermineTimestamp includes the sidecar look-ups (files absent).
func BenchmarkDetermineTimestamp(b *testing.B) {
	dir := b.TempDir()
	in := TimestampInput{Path: filepath.Join(dir, "IMG_20190704_153012.jpg"), RelPath: "2019/07/IMG_20190704_153012.jpg",
		ModTime: time.Unix(1562247012, 0), Meta: meta.Metadata{Make: "Canon", Candidates: []Candidate{
			{Kind: KindEXIFOriginal, Source: SourceEXIF, Value: "2019-07-04T15:30:12.123+02:00", Detail: "x"}}}}
	b.ReportAllocs()
	for b.Loop() {
		DetermineTimestamp(in, TimestampOptions{Now: testNow})
	}
}
