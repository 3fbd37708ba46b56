package exifdate

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The test clock: next year is 2027.
var testNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// iphoneFixture is a real iPhone 4S JPEG (from github.com/rwcarlsen/goexif,
// BSD licence; see testdata/README.md): APP0, APP1 Exif with an Apple maker
// note and an IFD1 thumbnail, APP1 XMP.
const iphoneFixture = "testdata/iphone4s_makernote.jpg"

// corpusDir holds the benchmark folder's real camera JPEGs when present.
const corpusDir = "/tmp/corpus200"

func readFixture(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// plainJPEG is a JPEG from Go's encoder: SOI, DQT, SOF, DHT, SOS, no APP
// segment at all.
func plainJPEG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 24, 16))
	for y := range 16 {
		for x := range 24 {
			img.Set(x, y, color.RGBA{uint8(x * 10), uint8(y * 15), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withJFIF puts a JFIF APP0 segment after SOI, as most encoders do.
func withJFIF(b []byte) []byte {
	app0 := []byte{0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
	return append(append(append([]byte{}, b[:2]...), app0...), b[2:]...)
}

func needExiftool(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("exiftool")
	if err != nil {
		t.Skip("exiftool is not installed (the Makefile installs it): the read-back tests need it")
	}
	return p
}

// exiftoolJSON runs exiftool with TZ set for the child process and returns
// the one file's tags.
func exiftoolJSON(t testing.TB, tz, path string, args ...string) map[string]any {
	t.Helper()
	cmd := exec.Command(needExiftool(t), append(append([]string{"-j", "-G1", "-a"}, args...), path)...)
	cmd.Env = append(os.Environ(), "TZ="+tz)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("exiftool %s: %v", path, err)
	}
	var tags []map[string]any
	if err := json.Unmarshal(out, &tags); err != nil || len(tags) != 1 {
		t.Fatalf("exiftool %s: %v (%s)", path, err, out)
	}
	return tags[0]
}

// corpusFixtures builds, at test time, camera JPEGs from the benchmark
// folder: one as it is, and one rebuilt little-endian with the iPhone's maker
// note copied in and XMP, IPTC (APP13) and COM segments added, so that one
// file carries a maker note, a thumbnail and several APP segments in each
// byte order. Without the folder it returns none (the caller's iPhone fixture
// still runs); without exiftool it skips.
func corpusFixtures(t *testing.T) []string {
	t.Helper()
	exiftool := needExiftool(t)
	src := filepath.Join(corpusDir, "Backup/compressed/DSC01017.JPG")
	b, err := os.ReadFile(src)
	if err != nil {
		// The iPhone fixture still runs: only the benchmark folder's cameras are left out.
		t.Logf("the benchmark folder is missing (%v): the Sony and Panasonic JPEGs of %s are left out", err, corpusDir)
		return nil
	}
	dir := t.TempDir()
	asIs := filepath.Join(dir, "sony_as_is.jpg")
	built := filepath.Join(dir, "sony_le_makernote.jpg")
	for _, p := range []string{asIs, built} {
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	steps := [][]string{
		{"-TagsFromFile", iphoneFixture, "-MakerNotes", "-XMP-dc:Title=Beach", "-IPTC:Keywords=holiday", "-Comment=a comment"},
		{"-exif:all=", "-tagsfromfile", "@", "-exif:all", "-unsafe", "-ThumbnailImage", "-MakerNotes", "-ExifByteOrder=II"},
	}
	for _, args := range steps {
		out, err := exec.Command(exiftool, append(append([]string{"-q", "-overwrite_original"}, args...), built)...).CombinedOutput()
		if err != nil {
			t.Fatalf("building %s: %v: %s", built, err, out)
		}
	}
	tags := exiftoolJSON(t, "UTC", built, "-ExifByteOrder", "-MakerNoteVersion", "-ThumbnailLength")
	if tags["File:ExifByteOrder"] != "Little-endian (Intel, II)" || tags["Apple:MakerNoteVersion"] == nil || tags["IFD1:ThumbnailLength"] == nil {
		t.Fatalf("the built fixture lacks what it is for: %v", tags)
	}
	var more []string
	for _, name := range []string{"Export/small/P1010035.JPG", "Backup/compressed/IMG_1044.JPG"} {
		if _, err := os.Stat(filepath.Join(corpusDir, name)); err == nil {
			more = append(more, filepath.Join(corpusDir, name))
		}
	}
	return append([]string{asIs, built}, more...)
}
