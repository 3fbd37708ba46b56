package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"shoebox/processing"
	"shoebox/store"
)

// Latin-1 names, as old Windows disks, camera cards and zip files have them:
// "Fête" and "Fön" are not valid UTF-8. The mangled form of "F\xf6n" (with
// U+FFFD, bytes EF BF BD) sorts before the real one, and it is the last file.
var latin1Names = []string{"A.jpg", "F.jpg", "F\xeate.jpg", "Fz.jpg", "F\xf6n.jpg"}

const latin1Folder = "Vacances \xe9t\xe9" // "été"

func jpegBytes(t *testing.T, seed int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(x*4 + seed*9), uint8(y*5 + seed*31), uint8((x + y + seed*7) % 256), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeLatin1Folder writes one distinct, valid JPEG per name under a root folder
// whose own name is not UTF-8, and returns the root and each name's SHA-256.
func writeLatin1Folder(t *testing.T) (string, map[string]string) {
	t.Helper()
	root := filepath.Join(t.TempDir(), latin1Folder)
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Skipf("this file system refuses names that are not UTF-8: %v", err)
	}
	sums := map[string]string{}
	for i, n := range latin1Names {
		data := jpegBytes(t, i)
		if err := os.WriteFile(filepath.Join(root, n), data, 0o644); err != nil {
			t.Skipf("this file system refuses names that are not UTF-8: %v", err)
		}
		s := sha256.Sum256(data)
		sums[n] = hex.EncodeToString(s[:])
	}
	return root, sums
}

// scanWithin runs a scan and fails the test, cancelling the job, when it does
// not stop within the deadline (a feeder that reads the same file forever).
func scanWithin(t *testing.T, lib *Library, roots []string, s Settings, deadline time.Duration) (store.Job, store.JobState) {
	t.Helper()
	id, err := lib.Start(roots, s)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan store.JobState, 1)
	go func() { done <- lib.Wait(id) }()
	select {
	case st := <-done:
		j, err := lib.Job(id)
		if err != nil {
			t.Fatal(err)
		}
		return j, st
	case <-time.After(deadline):
		lib.Cancel(id)
		<-done
		j, _ := lib.Job(id)
		t.Fatalf("the scan did not end within %s: %d of %d files, %d errors", deadline, j.ProgressCurrent, j.ProgressTotal, j.ErrorCount)
		return j, ""
	}
}

// checkLatin1Job asserts every name was analysed once, as itself, and that
// each record leads back to the real file from its root and path bytes.
func checkLatin1Job(t *testing.T, lib *Library, j store.Job, root string, sums map[string]string) []store.FileRecord {
	t.Helper()
	if c := checkConsistent(t, lib, j); c.Total != len(latin1Names) || c.Done != len(latin1Names) {
		t.Errorf("files %+v, want %d done and no other row", c, len(latin1Names))
	}
	if len(j.Roots) != 1 || j.Roots[0] != root {
		t.Errorf("job roots %q, want %q", j.Roots, root)
	}
	files, err := lib.Files(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		want, ok := sums[f.RelPath]
		if !ok || f.Status != processing.StatusDone || f.SHA256 != want || f.Root != root {
			t.Errorf("record %q in %q: %s %s %q, want a done file of sha256 %s", f.RelPath, f.Root, f.Status, f.SHA256, f.Error, want)
		}
		data, err := os.ReadFile(f.AbsPath())
		if err != nil {
			t.Errorf("the file cannot be opened again from its record: %v", err)
			continue
		}
		if s := sha256.Sum256(data); hex.EncodeToString(s[:]) != want {
			t.Errorf("%q: the record leads to another file", f.RelPath)
		}
	}
	return files
}

func TestScanOfNamesThatAreNotUTF8Completes(t *testing.T) {
	root, sums := writeLatin1Folder(t)
	lib := openTestLibrary(t, nil)
	j, st := scanWithin(t, lib, []string{root}, Settings{Workers: 2, MaxErrorRate: 1}, 30*time.Second)
	if st != store.StateCompleted {
		t.Fatalf("state %s: %s", st, j.ErrorMessage)
	}
	checkLatin1Job(t, lib, j, root, sums)
}

func TestRescanReusesFilesWhoseNamesAreNotUTF8(t *testing.T) {
	root, sums := writeLatin1Folder(t)
	lib := openTestLibrary(t, nil)
	s := Settings{Workers: 2, MaxErrorRate: 1}
	if _, st := scanWithin(t, lib, []string{root}, s, 30*time.Second); st != store.StateCompleted {
		t.Fatalf("first scan: %s", st)
	}
	j, st := scanWithin(t, lib, []string{root}, s, 30*time.Second)
	if st != store.StateCompleted {
		t.Fatalf("rescan: %s: %s", st, j.ErrorMessage)
	}
	checkLatin1Job(t, lib, j, root, sums)
	if j.ReusedCount != len(latin1Names) {
		t.Errorf("rescan reused %d of %d unchanged files", j.ReusedCount, len(latin1Names))
	}
}
