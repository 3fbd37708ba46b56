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
	"shoebox/internal/testproc"
)

// `dates write --to exif` on a real camera JPEG (an iPhone photo with a
// maker note, a thumbnail and an XMP segment): exiftool reads back the date
// and offset set, the image data and every other segment are unchanged, and
// undo gives back the original byte for byte.
func TestDatesWriteEXIFIntoARealJPEG(t *testing.T) {
	orig, photo, db := iphoneWithDate(t, "1966-08-20T14:30:00+09:00")
	if code, _, stderr := runCLI(t, "dates", "write", "--db", db, "--to", "exif"); code != ExitCompleted {
		t.Fatalf("dates write: exit %d: %s", code, stderr)
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

// iphoneWithDate is a library that scanned a copy of the real iPhone JPEG
// (maker note, thumbnail, XMP) and decided date for it: the original bytes,
// the copy's path and the library's. It skips when exiftool, which reads
// the result back, is missing.
func iphoneWithDate(t *testing.T, date string) (orig []byte, photo, db string) {
	t.Helper()
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Skip("exiftool is not installed (make test installs it):", err)
	}
	orig, err := os.ReadFile(filepath.Join("..", "exifdate", "testdata", "iphone4s_makernote.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	photo = filepath.Join(dir, "IMG_0001.jpg")
	if err := os.WriteFile(photo, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	db = filepath.Join(t.TempDir(), "library.db")
	for _, args := range [][]string{{"scan", "--db", db, dir}, {"dates", "set", "--db", db, "--date", date, photo}} {
		if code, _, stderr := runCLI(t, args...); code != ExitCompleted {
			t.Fatalf("%s: exit %d: %s", strings.Join(args[:2], " "), code, stderr)
		}
	}
	return orig, photo, db
}

// TestDatesTakeoutChild runs from-takeout and write --to exif on a copy of a
// real JPEG with a Takeout sidecar, in a child process whose TZ the parent
// chose, and prints what exiftool reads back.
func TestDatesTakeoutChild(t *testing.T) {
	dir := os.Getenv("SHOEBOX_TAKEOUT_DIR")
	if dir == "" {
		t.Skip("run by TestDatesFromTakeoutAreWrittenInLocalTime in a child process")
	}
	db := filepath.Join(dir, "library.db")
	photo := filepath.Join(dir, "Takeout", "IMG_0001.jpg")
	for _, args := range [][]string{
		{"scan", "--db", db, filepath.Dir(photo)},
		{"dates", "from-takeout", "--db", db},
		{"dates", "write", "--db", db, "--to", "exif"},
	} {
		if code, _, stderr := runCLI(t, args...); code != ExitCompleted {
			t.Fatalf("%s: exit %d: %s", strings.Join(args[:2], " "), code, stderr)
		}
	}
	out, err := exec.Command("exiftool", "-s3", "-DateTimeOriginal", "-OffsetTimeOriginal", photo).Output()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("EXIF " + strings.ReplaceAll(strings.TrimSpace(string(out)), "\n", " ") + "\n")
}

// Google Takeout's photoTakenTime is an instant in UTC; written into EXIF
// after from-takeout it is the local time (here: the computer's zone, as
// the photo carries none) with its offset, never UTC. Under two TZ values.
func TestDatesFromTakeoutAreWrittenInLocalTime(t *testing.T) {
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Skip("exiftool is not installed (make test installs it):", err)
	}
	orig, err := os.ReadFile(filepath.Join("..", "exifdate", "testdata", "iphone4s_makernote.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	// photoTakenTime 1562500000 is 2019-07-07T11:46:40Z.
	for tz, want := range map[string]string{
		"America/New_York": "EXIF 2019:07:07 07:46:40 -04:00",
		"Asia/Tokyo":       "EXIF 2019:07:07 20:46:40 +09:00",
	} {
		dir := t.TempDir()
		takeout := filepath.Join(dir, "Takeout")
		os.MkdirAll(takeout, 0o755)
		os.WriteFile(filepath.Join(takeout, "IMG_0001.jpg"), orig, 0o644)
		os.WriteFile(filepath.Join(takeout, "IMG_0001.jpg.json"),
			[]byte(`{"title": "IMG_0001.jpg", "photoTakenTime": {"timestamp": "1562500000", "formatted": "7 Jul 2019, 11:46:40 UTC"}}`), 0o644)
		code, stdout, stderr := testproc.Run(t, "TestDatesTakeoutChild", nil, "SHOEBOX_TAKEOUT_DIR="+dir, "TZ="+tz)
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("TZ=%s: exit %d, want %q in:\n%s\n%s", tz, code, want, stdout, stderr)
		}
	}
}

// A date known only to the day goes into EXIF only when the person agrees
// to noon (--noon): without it the file is untouched and the date goes to
// the XMP sidecar, with the reason; with it exiftool reads 12:00:00 and no
// offset (a day carries none).
func TestDatesWriteDayOnlyNeedsNoonConsent(t *testing.T) {
	orig, photo, db := iphoneWithDate(t, "1966-08-20")
	code, _, stderr := runCLI(t, "dates", "write", "--db", db, "--to", "exif")
	if code != ExitCompleted || !strings.Contains(stderr, "agree to 12:00 with --noon") {
		t.Fatalf("without --noon: exit %d, stderr %q", code, stderr)
	}
	if now, _ := os.ReadFile(photo); !bytes.Equal(now, orig) {
		t.Fatal("a day-only date was written into the file without the person's consent to noon")
	}
	if side, err := os.ReadFile(SidecarPath(photo)); err != nil || !strings.Contains(string(side), "1966-08-20") {
		t.Fatalf("the sidecar does not hold the day: %v %s", err, side)
	}
	code, out, stderr := runCLI(t, "dates", "write", "--db", db, "--to", "exif", "--noon", "--dry-run", "--json")
	if code != ExitCompleted || !strings.Contains(out, `"new": "1966-08-20T12:00:00"`) {
		t.Fatalf("dry run with --noon: exit %d: %s %s", code, out, stderr)
	}
	if code, _, stderr := runCLI(t, "dates", "write", "--db", db, "--to", "exif", "--noon"); code != ExitCompleted {
		t.Fatalf("with --noon: exit %d: %s", code, stderr)
	}
	got, err := exec.Command("exiftool", "-s3", "-DateTimeOriginal", "-CreateDate", "-OffsetTimeOriginal", photo).Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(got)) != "1966:08:20 12:00:00\n1966:08:20 12:00:00" {
		t.Fatalf("exiftool reads %q, want noon on the day and no offset", got)
	}
}
