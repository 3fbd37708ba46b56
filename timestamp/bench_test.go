package timestamp

import (
	"path/filepath"
	"testing"
	"time"

	"shoebox/media"
)

func BenchmarkParseFilenameTime(b *testing.B) {
	names := []string{"IMG_20190704_153012.jpg", "DSC_0042.JPG", "WhatsApp Image 2021-05-06 at 14.22.31.jpeg", "image.jpg"}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			parseFilenameTime(n)
		}
	}
}

// BenchmarkDetermineTimestamp includes the sidecar look-ups (files absent).
func BenchmarkDetermineTimestamp(b *testing.B) {
	dir := b.TempDir()
	in := Input{Path: filepath.Join(dir, "IMG_20190704_153012.jpg"), RelPath: "2019/07/IMG_20190704_153012.jpg",
		ModTime: time.Unix(1562247012, 0), Camera: "Canon", Embedded: []media.Candidate{
			{Kind: media.KindEXIFOriginal, Source: media.SourceEXIF, Value: "2019-07-04T15:30:12.123+02:00", Detail: "x"}}}
	b.ReportAllocs()
	for b.Loop() {
		Determine(in, Options{Now: testNow})
	}
}
