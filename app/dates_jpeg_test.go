package app

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"shoebox/exifdate"
)

// `dates write --to exif` on a real camera JPEG (an iPhone photo with a
// maker note, a thumbnail and an XMP segment): exiftool reads back the date
// and offset set, the image data and every other segment are unchanged, and
// undo gives back the original byte for byte.
func TestDatesWriteEXIFIntoARealJPEG(t *testing.T) {
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Skip("exiftool is not installed (make test installs it):", err)
	}
	orig, err := os.ReadFile(filepath.Join("..", "exifdate", "testdata", "iphone4s_makernote.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	photo := filepath.Join(dir, "IMG_0001.jpg")
	if err := os.WriteFile(photo, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "library.db")
	for _, args := range [][]string{
		{"scan", "--db", db, dir},
		{"dates", "set", "--db", db, "--date", "1966-08-20T14:30:00+09:00", photo},
		{"dates", "write", "--db", db, "--to", "exif"},
	} {
		if code, _, stderr := runCLI(t, args...); code != ExitCompleted {
			t.Fatalf("%s: exit %d: %s", strings.Join(args[:2], " "), code, stderr)
		}
	}
	written, err := os.ReadFile(photo)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(written, orig) {
		t.Fatal("the JPEG was not written")
	}
	if err := exifdate.ProveImageUnchanged(orig, written); err != nil {
		t.Fatalf("the image changed: %v", err)
	}
	out, err := exec.Command("exiftool", "-j", "-DateTimeOriginal", "-CreateDate", "-OffsetTimeOriginal", photo).Output()
	if err != nil {
		t.Fatal(err)
	}
	var tags []map[string]any
	if err := json.Unmarshal(out, &tags); err != nil || len(tags) != 1 {
		t.Fatalf("exiftool: %s", out)
	}
	if tags[0]["DateTimeOriginal"] != "1966:08:20 14:30:00" || tags[0]["CreateDate"] != "1966:08:20 14:30:00" || tags[0]["OffsetTimeOriginal"] != "+09:00" {
		t.Fatalf("exiftool reads %v", tags[0])
	}
	if code, _, stderr := runCLI(t, "undo", "--db", db); code != ExitCompleted {
		t.Fatalf("undo: exit %d: %s", code, stderr)
	}
	if back, _ := os.ReadFile(photo); !bytes.Equal(back, orig) {
		t.Fatal("undo did not give back the original byte for byte")
	}
}
