package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"shoebox/media"
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
		if !ok || f.Status != media.StatusDone || f.SHA256 != want || f.Root != root {
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

func TestReportKeepsNamesThatAreNotUTF8(t *testing.T) {
	root, sums := writeLatin1Folder(t)
	lib := openTestLibrary(t, nil)
	j, st := scanWithin(t, lib, []string{root}, Settings{Workers: 2, MaxErrorRate: 1}, 30*time.Second)
	if st != store.StateCompleted {
		t.Fatalf("state %s: %s", st, j.ErrorMessage)
	}
	files := checkLatin1Job(t, lib, j, root, sums)

	var out bytes.Buffer
	if err := WriteReport(&out, files, "jsonl"); err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(out.Bytes()) {
		t.Error("the jsonl report is not valid UTF-8")
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		path, _ := m["path"].(string)
		name, gotRoot := path, root
		if b64, ok := m["path_bytes"].(string); ok {
			raw, err := base64.StdEncoding.DecodeString(b64)
			if err != nil || utf8.Valid(raw) {
				t.Errorf("path_bytes %q of a name that needs none, or not base64 (%v)", b64, err)
			}
			name = string(raw)
			if path != strings.ToValidUTF8(name, "\uFFFD") && path != string([]rune(name)) {
				t.Errorf("path %q is not %q made readable", path, name)
			}
		}
		if b64, _ := m["root_bytes"].(string); b64 == "" {
			t.Errorf("%q: no root_bytes for a root that is not UTF-8", path)
		} else if raw, err := base64.StdEncoding.DecodeString(b64); err != nil || string(raw) != root {
			t.Errorf("root_bytes %q is not the root %q", b64, root)
		} else {
			gotRoot = string(raw)
		}
		want, ok := sums[name]
		if !ok || m["sha256"] != want {
			t.Errorf("report line %q (%q) is not one of the files: %v", path, name, m)
			continue
		}
		seen++
		data, err := os.ReadFile(filepath.Join(gotRoot, filepath.FromSlash(name)))
		if s := sha256.Sum256(data); err != nil || hex.EncodeToString(s[:]) != want {
			t.Errorf("%q cannot be opened again from root_bytes and path_bytes: %v", name, err)
		}
	}
	if seen != len(latin1Names) {
		t.Errorf("report names %d of %d files", seen, len(latin1Names))
	}

	out.Reset()
	if err := WriteReport(&out, files, "csv"); err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(out.Bytes()) {
		t.Error("the csv report is not valid UTF-8")
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) != len(latin1Names)+1 {
		t.Fatalf("csv: %v, %d rows", err, len(rows))
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	for _, row := range rows[1:] {
		raw, err := base64.StdEncoding.DecodeString(row[col["path_bytes"]])
		name := row[col["path"]]
		if row[col["path_bytes"]] != "" {
			name = string(raw)
		}
		if _, ok := sums[name]; err != nil || !ok {
			t.Errorf("csv row %q: path_bytes %q (%v) is not a file's name", row[col["path"]], row[col["path_bytes"]], err)
		}
	}
}

func TestDuplicatesJSONKeepsNamesThatAreNotUTF8(t *testing.T) {
	files := []store.FileRecord{
		{JobID: 1, Root: "/p", RelPath: "copy.jpg"},
		{JobID: 1, Root: "/p", RelPath: "F\xeate.jpg"},
		{JobID: 2, Root: "/old \xe9t\xe9", RelPath: "F\xf6n.jpg"},
	}
	d := Duplicates{Exact: []store.DupGroup{{SHA256: "ab", Files: files}}, Near: []store.DupGroup{{Near: true, Files: files[:2]}}}
	var out bytes.Buffer
	if err := WriteDuplicates(&out, d, 1, "json"); err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(out.Bytes()) {
		t.Error("dups json is not valid UTF-8")
	}
	var got struct {
		Exact []struct {
			Files      []string `json:"files"`
			FilesBytes []string `json:"files_bytes"`
		} `json:"exact"`
		Near []struct {
			Files      []string `json:"files"`
			FilesBytes []string `json:"files_bytes"`
		} `json:"near"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"copy.jpg", "F\xeate.jpg", "/old \xe9t\xe9/F\xf6n.jpg"}
	check := func(what string, files, b64 []string, want []string) {
		if len(files) != len(want) || len(b64) != len(want) {
			t.Fatalf("%s: files %q, files_bytes %q", what, files, b64)
		}
		for i := range want {
			name := files[i]
			if b64[i] != "" {
				raw, err := base64.StdEncoding.DecodeString(b64[i])
				if err != nil {
					t.Fatal(err)
				}
				name = string(raw)
			}
			if name != want[i] || (utf8.ValidString(want[i]) && b64[i] != "") {
				t.Errorf("%s file %d: %q / %q, want %q", what, i, files[i], b64[i], want[i])
			}
		}
	}
	check("exact", got.Exact[0].Files, got.Exact[0].FilesBytes, want)
	check("near", got.Near[0].Files, got.Near[0].FilesBytes, want[:2])

	// A group of valid names has no files_bytes at all.
	out.Reset()
	WriteDuplicates(&out, Duplicates{Exact: []store.DupGroup{{SHA256: "ab", Files: files[:1]}}}, 1, "json")
	if strings.Contains(out.String(), "files_bytes") {
		t.Errorf("files_bytes for valid names: %s", out.String())
	}
	out.Reset()
	WriteDuplicates(&out, d, 1, "text")
	if !utf8.Valid(out.Bytes()) {
		t.Errorf("dups text is not valid UTF-8: %q", out.String())
	}
}

func TestReadablePath(t *testing.T) {
	for in, want := range map[string]string{
		"Fête.jpg":           "Fête.jpg", // valid names are untouched
		"F\xeate.jpg":        "F\uFFFDte.jpg",
		"x\xed\xa0\x80y.jpg": "x\uFFFD\uFFFD\uFFFDy.jpg", // WTF-8 surrogate: one mark per byte
	} {
		if got := ReadablePath(in); got != want {
			t.Errorf("ReadablePath(%q) = %q, want %q", in, got, want)
		}
	}
	if got := joinRoots([]string{"/mnt/" + latin1Folder, "/ok"}); !utf8.ValidString(got) {
		t.Errorf("jobs lists roots as %q", got)
	}
}
