package testimg

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// HEIC encodes a JPEG or PNG picture as a HEIC file with heif-enc (libheif,
// Debian's libheif-examples) at the given quality; thumb > 0 adds a
// thumbnail item at most thumb pixels a side, as iPhones write one. The test
// is skipped when heif-enc is not installed.
func HEIC(tb testing.TB, picture []byte, quality, thumb int) []byte {
	tb.Helper()
	enc, err := exec.LookPath("heif-enc")
	if err != nil {
		tb.Skip("heif-enc (libheif-examples) is not installed, so no HEIC can be made for this test")
	}
	dir := tb.TempDir()
	in := filepath.Join(dir, "in.jpg")
	if bytes.HasPrefix(picture, []byte("\x89PNG")) {
		in = filepath.Join(dir, "in.png")
	}
	if err := os.WriteFile(in, picture, 0o644); err != nil {
		tb.Fatal(err)
	}
	out := filepath.Join(dir, "out.heic")
	args := []string{"-q", strconv.Itoa(quality), "-o", out}
	if thumb > 0 {
		args = append(args, "-t", strconv.Itoa(thumb))
	}
	if msg, err := exec.Command(enc, append(args, in)...).CombinedOutput(); err != nil {
		tb.Fatalf("heif-enc: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
