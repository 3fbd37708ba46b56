package processing

import (
	"os/exec"
	"strings"
	"testing"

	"shoebox/imagehash"
	"shoebox/media"
)

// A HEIC gets its perceptual hash, size and image statistics from its
// embedded thumbnail (decoded by heif-convert).
func TestAnalyzeHEICGetsAPerceptualHash(t *testing.T) {
	if _, err := exec.LookPath(imagehash.HEIFTool); err != nil {
		t.Skip("heif-convert (libheif-examples) is not installed")
	}
	res := analyzeBytes(t, "IMG_0001.HEIC", fixture(t, "meta/testdata/thumb.heic"), AnalyzeOptions{})
	if res.Status != media.StatusDone || !res.HasPHash || res.Error != "" || res.Note != "" {
		t.Fatalf("status %s, hash %v, error %q, note %q; want done with a hash", res.Status, res.HasPHash, res.Error, res.Note)
	}
	if res.Width != 640 || res.Height != 480 {
		t.Errorf("size %dx%d, want 640x480 (the picture's, not its thumbnail's)", res.Width, res.Height)
	}
	if res.LumaStdDev < 10 || res.ChromaCb == 0 && res.ChromaCr == 0 {
		t.Errorf("statistics: luma stddev %.1f, chroma %.1f %.1f; want a textured coloured picture", res.LumaStdDev, res.ChromaCb, res.ChromaCr)
	}
}

// Without heif-convert a HEIC is done as before: no hash, the reason in
// the note, no error.
func TestAnalyzeHEICWithoutHeifConvert(t *testing.T) {
	data := fixture(t, "meta/testdata/thumb.heic")
	t.Setenv("PATH", t.TempDir())
	res := analyzeBytes(t, "IMG_0001.HEIC", data, AnalyzeOptions{})
	if res.Status != media.StatusDone || res.HasPHash || res.Error != "" {
		t.Fatalf("status %s, hash %v, error %q; want done without a hash", res.Status, res.HasPHash, res.Error)
	}
	if !strings.Contains(res.Note, "no perceptual hash") || !strings.Contains(res.Note, "heif-convert") {
		t.Errorf("note %q, want the reason naming heif-convert", res.Note)
	}
}
