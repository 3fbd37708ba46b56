package app

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"shoebox/store"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := RunCLI(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLIScanReportJobsDups(t *testing.T) {
	dir := t.TempDir()
	sums := writeJPEGs(t, dir, 30)
	copyData, _ := os.ReadFile(filepath.Join(dir, "sub0", "IMG_0000.jpg"))
	os.WriteFile(filepath.Join(dir, "copy of IMG_0000.jpg"), copyData, 0o644)
	for _, n := range []string{"notes.txt", "a.pdf", "b.csv", "c.zip", "d.json"} {
		os.WriteFile(filepath.Join(dir, n), []byte("not a photo, just some text "+n), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "zz-empty.jpg"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "zz-page.jpg"), []byte("<!DOCTYPE html><html><body>404 not found</body></html>"), 0o644)
	db := filepath.Join(t.TempDir(), "lib.db")

	code, _, stderr := runCLI(t, "scan", "--db", db, dir, "--workers", "2")
	if code != ExitCompleted {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "completed") || !strings.Contains(stderr, "2 errors") {
		t.Errorf("summary: %s", stderr)
	}

	checkJSONLReport(t, db, sums)
	checkCSVReport(t, db)
	checkJobsJSON(t, db)
	checkDupsJSON(t, db, sums)
}

// checkJSONLReport checks the keys of every JSONL report row and the status of a few.
func checkJSONLReport(t *testing.T, db string, sums map[string]string) {
	t.Helper()
	code, out, stderr := runCLI(t, "report", "--db", db, "--format", "jsonl")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, stderr)
	}
	wantKeys := []string{"candidates", "confidence", "error", "height", "mime", "mtime", "path", "phash", "root", "sha256", "size", "status", "timestamp", "timestamp_source", "width"}
	statuses := map[string]string{}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 38 {
		t.Fatalf("report has %d lines, want 38", len(lines))
	}
	for _, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !reflect.DeepEqual(keys, wantKeys) {
			t.Fatalf("keys %v, want %v", keys, wantKeys)
		}
		path := m["path"].(string)
		statuses[path] = m["status"].(string)
		if want, ok := sums[path]; ok {
			if m["sha256"] != want || len(m["phash"].(string)) != 16 || m["mime"] != "image/jpeg" {
				t.Errorf("%s: %v", path, m)
			}
		}
		if m["status"] == "error" && m["error"] == "" {
			t.Errorf("%s failed without a message", path)
		}
	}
	for path, want := range map[string]string{
		"notes.txt": "skipped", "a.pdf": "skipped", "c.zip": "skipped",
		"zz-empty.jpg": "error", "zz-page.jpg": "error", "sub1/IMG_0001.jpg": "done",
	} {
		if statuses[path] != want {
			t.Errorf("%s is %q, want %q", path, statuses[path], want)
		}
	}
}

func checkCSVReport(t *testing.T, db string) {
	t.Helper()
	code, out, _ := runCLI(t, "report", "--db", db, "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 39 || strings.Join(rows[0], ",") != strings.Join(reportColumns, ",") {
		t.Fatalf("csv: exit %d, %v, %d rows, header %v", code, err, len(rows), rows[0])
	}
}

// checkJobsJSON checks the keys of `shoebox jobs --json`, the JSON contract.
func checkJobsJSON(t *testing.T, db string) {
	t.Helper()
	code, out, _ := runCLI(t, "jobs", "--db", db, "--json")
	var jobs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &jobs) != nil || len(jobs) != 1 {
		t.Fatalf("jobs --json: exit %d: %s", code, out)
	}
	wantJobKeys := []string{"completed_at", "current_filename", "error_count", "error_message", "id", "kind", "progress_current", "progress_total", "roots", "settings", "skipped_count", "started_at", "status"}
	var jk []string
	for k := range jobs[0] {
		jk = append(jk, k)
	}
	sort.Strings(jk)
	if !reflect.DeepEqual(jk, wantJobKeys) || jobs[0]["kind"] != "scan" || jobs[0]["status"] != "COMPLETED" || jobs[0]["progress_total"].(float64) != 38 {
		t.Errorf("jobs --json: %v", jobs[0])
	}
}

// checkDupsJSON checks that the one copy is found as an exact duplicate.
func checkDupsJSON(t *testing.T, db string, sums map[string]string) {
	t.Helper()
	code, out, _ := runCLI(t, "dups", "--db", db)
	var d struct {
		Exact []struct {
			SHA256 string   `json:"sha256"`
			Files  []string `json:"files"`
		} `json:"exact"`
		Near []struct {
			Files       []string `json:"files"`
			MaxDistance int      `json:"max_distance"`
		} `json:"near"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil {
		t.Fatalf("dups: exit %d: %s", code, out)
	}
	if len(d.Exact) != 1 || d.Exact[0].SHA256 != sums["sub0/IMG_0000.jpg"] ||
		!reflect.DeepEqual(d.Exact[0].Files, []string{"copy of IMG_0000.jpg", "sub0/IMG_0000.jpg"}) {
		t.Errorf("exact groups: %+v", d.Exact)
	}
}

func TestCLIExitStatuses(t *testing.T) {
	dir := t.TempDir()
	for i := range 30 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("broken%02d.jpg", i)), []byte("\xff\xd8\xff\xe0 definitely not a whole jpeg"), 0o644)
	}
	db := filepath.Join(t.TempDir(), "lib.db")
	if code, _, stderr := runCLI(t, "scan", "--db", db, dir); code != ExitHalted || !strings.Contains(stderr, "halted") {
		t.Errorf("a folder of broken files: exit %d, %s", code, stderr)
	}
	if code, _, _ := runCLI(t, "scan", "--db", db, "--workers", "many", dir); code != ExitFailure {
		t.Errorf("bad flag: exit %d", code)
	}
	if code, _, _ := runCLI(t, "scan", "--db", db, filepath.Join(dir, "missing")); code != ExitFailure {
		t.Errorf("missing folder: exit %d", code)
	}
	if code, _, _ := runCLI(t, "frobnicate"); code != ExitFailure {
		t.Errorf("unknown command: exit %d", code)
	}
	lib, err := OpenLibrary(db)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "jobs", "--db", db)
	lib.Close()
	if code != ExitFailure || !strings.Contains(stderr, "in use by another Shoebox process") {
		t.Errorf("locked library: exit %d, %s", code, stderr)
	}
	// The halted job resumes when the person decides to go on; the error rate is
	// counted afresh, and the rest of the folder fails as badly, so it halts again.
	if code, _, stderr := runCLI(t, "resume", "--db", db); code != ExitHalted {
		t.Errorf("resume of a halted job of broken files: exit %d, %s", code, stderr)
	}
}

// TestElideMiddle holds the one elide function to the cases of both its
// callers: the CLI progress line (wide, after ReadablePath) and the window's
// labels, whose fitting loop asks for any width down to 1.
func TestElideMiddle(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"short.jpg", 20, "short.jpg"},
		{"short.jpg", 9, "short.jpg"},
		{"Pictures/2019/Summer holiday in Greece/IMG_20190704_153012.jpg", 24, "Pictures/20…4_153012.jpg"},
		{"ääääääääää", 5, "ää…ää"},
		{"abcdefghij", 5, "ab…ij"},
		{"abcdefghij", 6, "ab…hij"}, // the end gets the odd rune
		{"abc", 5, "abc"},
		{"abcdefghij", 4, "a…ij"},
		{"abcdefghij", 3, "a…j"},
		{"abcdefghij", 2, "…j"},
		{"abcdefghij", 1, "…"},
		{"abcdefghij", 0, ""},
		{"", 0, ""},
		{"DCIM/F\xeate.jpg", 100, "DCIM/F\uFFFDte.jpg"}, // not UTF-8: readable
		{"DCIM/F\xeate-long-name.jpg", 9, "DCIM….jpg"},
	} {
		if got := ElideMiddle(c.in, c.max); got != c.want || utf8.RuneCountInString(got) > max(c.max, 0) || !utf8.ValidString(got) {
			t.Errorf("ElideMiddle(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

// A second Ctrl-C leaves at once: follow returns errLeaveNow with
// ExitStopped, RunCLI's code, and leaveOrClose leaves the library open
// (closing would wait for the files in flight, which the person refused).
func TestSecondInterruptLeavesAtOnce(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 20, func(i int) string { return fmt.Sprintf("%02d.jpg", i) })
	inFlight, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	lib := openTestLibrary(t, &fakeAnalyzer{before: func(int, string) {
		once.Do(func() { close(inFlight) })
		<-release // the files in flight take "forever"
	}})
	defer close(release)
	id, err := lib.Start([]string{dir}, Settings{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	<-inFlight
	interrupts := make(chan os.Signal, 2)
	interrupts <- os.Interrupt
	interrupts <- os.Interrupt
	var stderr bytes.Buffer
	code, err := follow(lib, id, &stderr, interrupts)
	if code != ExitStopped || !errors.Is(err, errLeaveNow) || !strings.Contains(stderr.String(), "Stopped at once") {
		t.Fatalf("follow: %d, %v, %q", code, err, stderr.String())
	}
	leaveOrClose(lib, &err)
	lib.mu.Lock()
	closed := lib.closed
	lib.mu.Unlock()
	if closed {
		t.Error("the library was closed after a second Ctrl-C")
	}
	if lib.running(id) == nil {
		t.Error("the job no longer runs: leaving waited for it")
	}
}

// A rescan that reuses 190 files and analyses 8 again says so; it used to
// call the 188 done files "analysed".
func TestSummaryCountsWhatThisRunAnalysed(t *testing.T) {
	before := store.Job{ID: 2}
	after := store.Job{ID: 2, Status: store.StateCompleted, ProgressCurrent: 198, ProgressTotal: 198,
		ReusedCount: 190, ErrorCount: 8, SkippedCount: 2}
	got := summary(after, before, time.Second)
	if !strings.Contains(got, "198 of 198 files (8 analysed in this run, 190 unchanged since an earlier scan; 8 errors, 2 skipped)") {
		t.Errorf("%s", got)
	}
}
