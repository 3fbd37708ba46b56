package processing

import (
	"testing"

	"shoebox/media"
)

// The analysis carries Apple's Live Photo identifier of both halves, and
// none for a file without one.
func TestAnalysisReadsTheLivePhotoContentID(t *testing.T) {
	const id = "8C3F1D2A-6B7E-4C55-9A0B-1D2E3F405162"
	for name, rel := range map[string]string{
		"IMG_0001.JPG": "meta/testdata/live.jpg",
		"IMG_0001.MOV": "meta/testdata/live.mov",
		"plain.jpg":    "meta/testdata/camera_le.jpg",
		"plain.mov":    "meta/testdata/sample.mov",
	} {
		want := ""
		if name[:3] == "IMG" {
			want = id
		}
		res := analyzeBytes(t, name, fixture(t, rel), AnalyzeOptions{})
		if res.Status != media.StatusDone || res.ContentID != want {
			t.Errorf("%s: %s, content ID %q, want %q (%s)", name, res.Status, res.ContentID, want, res.Error)
		}
	}
}
