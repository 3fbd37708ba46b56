package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"shoebox/internal/testdamage"
	"shoebox/internal/testproc"
	"shoebox/store"
)

// TestCLIChildProcess runs one command line in a child process for the
// tests below, so that a panic or a fatal fault on a damaged library fails
// the test instead of killing the test binary.
func TestCLIChildProcess(t *testing.T) {
	raw := os.Getenv("SHOEBOX_CLI_ARGS")
	if raw == "" {
		t.Skip("run by the damaged-library tests in a child process")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	os.Exit(RunCLI(args, os.Stdout, os.Stderr))
}

// childCLI runs RunCLI(args) in a child process.
func childCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	raw, _ := json.Marshal(args)
	code, stdout, stderr = testproc.Run(t, "TestCLIChildProcess", nil, "SHOEBOX_CLI_ARGS="+string(raw))
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "fatal error") || strings.Contains(stderr, "goroutine ") {
		t.Fatalf("shoebox %s crashed (exit %d):\n%s", args[0], code, stderr)
	}
	return code, stdout, stderr
}

// buildCLILibrary scans two folders (three jobs: one folder twice) into a
// new library and returns it and the first folder.
func buildCLILibrary(t *testing.T) (db, dir string) {
	t.Helper()
	dir, other := t.TempDir(), t.TempDir()
	writeJPEGs(t, dir, 24)
	writeJPEGs(t, other, 9)
	db = filepath.Join(t.TempDir(), "library.db")
	for _, d := range []string{dir, other, dir} {
		if code, _, stderr := runCLI(t, "scan", "--db", db, "--workers", "2", d); code != ExitCompleted {
			t.Fatalf("scan %s: exit %d: %s", d, code, stderr)
		}
	}
	return db, dir
}

// damage copies the library (without its backups) and damages the copy.
func damage(t *testing.T, db string, how func(t *testing.T, path string)) string {
	t.Helper()
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "library.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	how(t, path)
	return path
}

// writeClosedLibrary writes into a closed library through bbolt itself, as
// damage on disk would: none of Shoebox's own checks stand in the way.
func writeClosedLibrary(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Update(fn); err != nil {
		t.Fatal(err)
	}
}

// brokenRecord is a stored file record cut short: it no longer decodes.
var brokenRecord = []byte("d\x00{\"job\": 1, \"path\": \"sub")

// breakOneRecord makes one file record of the latest job undecodable
// through bbolt itself, so the file stays sound and bbolt's check passes.
// The latest job (buildCLILibrary's third scan, of the first scan's folder)
// is stored over the first (store.Job.Base): its records are job 1's.
func breakOneRecord(t *testing.T, path string) {
	writeClosedLibrary(t, path, func(tx *bolt.Tx) error {
		files := tx.Bucket([]byte("files"))
		c := files.Cursor()
		c.Seek([]byte{0, 0, 0, 0, 0, 0, 0, 2}) // the first key of job 2 ...
		k, _ := c.Prev()                       // ... and the last of job 1
		return files.Put(k, brokenRecord)
	})
}

// breakRecordOf makes every stored record of rel undecodable, as
// breakOneRecord does.
func breakRecordOf(rel string) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		broken := 0
		writeClosedLibrary(t, path, func(tx *bolt.Tx) error {
			files := tx.Bucket([]byte("files"))
			var keys [][]byte
			err := files.ForEach(func(k, v []byte) error {
				if strings.HasSuffix(string(k), "\x00"+rel) && len(v) > 2 {
					keys = append(keys, bytes.Clone(k))
				}
				return nil
			})
			for _, k := range keys {
				if err == nil {
					err = files.Put(k, brokenRecord)
					broken++
				}
			}
			return err
		})
		if broken == 0 {
			t.Fatalf("no record of %s broken", rel)
		}
	}
}

func TestDamagedLibraryNeverCrashesTheCommandLine(t *testing.T) {
	db, dir := buildCLILibrary(t)
	for _, tc := range []struct {
		name string
		how  func(*testing.T, string)
	}{{"truncated", testdamage.TruncateHalf}, {"flipped", testdamage.FlipMiddleLeaf}} {
		t.Run(tc.name, func(t *testing.T) {
			path := damage(t, db, tc.how)
			for _, args := range [][]string{{"jobs"}, {"report"}, {"dups"}, {"scan", dir}} {
				code, _, stderr := childCLI(t, append(args, "--db", path)...)
				if code != ExitFailure || !strings.Contains(stderr, "the library "+path+" is damaged") ||
					!strings.Contains(stderr, "shoebox check") || !strings.Contains(stderr, "shoebox recover") {
					t.Errorf("shoebox %s: exit %d, %q", args[0], code, stderr)
				}
			}
		})
	}
}

func reportLines(out string) []string {
	out = strings.TrimSpace(out)
	if out == "" {
		return nil
	}
	return strings.Split(out, "\n")
}

func TestDamagedRecordIsLeftOutOfReportAndDups(t *testing.T) {
	db, _ := buildCLILibrary(t)
	_, whole, _ := runCLI(t, "report", "--db", db)
	path := damage(t, db, breakOneRecord)

	code, out, stderr := childCLI(t, "report", "--db", path)
	lines := reportLines(out)
	if code != ExitFailure || len(lines) != len(reportLines(whole))-1 ||
		!strings.Contains(stderr, "1 record of the library "+path+" could not be read") ||
		!strings.Contains(stderr, "shoebox check") {
		t.Fatalf("report: exit %d, %d lines of %d, %q", code, len(lines), len(reportLines(whole)), stderr)
	}
	for _, l := range lines {
		if !strings.Contains(whole, l) {
			t.Errorf("a line that was not in the whole report: %s", l)
		}
	}
	// dups reads the records of the files it groups only (store.
	// EachIndexedNear): one damaged outside every group changes nothing
	// it shows. Damaged inside a group, its group is left out and the
	// damage reported.
	_, wholeDups, _ := runCLI(t, "dups", "--db", db)
	code, out, stderr = childCLI(t, "dups", "--db", path)
	if code != 0 || out != wholeDups {
		t.Fatalf("dups, a record outside the groups damaged: exit %d, %q, %q; want\n%s", code, out, stderr, wholeDups)
	}
	var found, less dupsJSON
	if err := json.Unmarshal([]byte(wholeDups), &found); err != nil || len(found.Near) != 1 ||
		!strings.Contains(strings.Join(found.Near[0].Files, " "), "sub1/IMG_0021.jpg") {
		t.Fatalf("the undamaged library's look-alikes: %+v, %v", found.Near, err)
	}
	inGroup := damage(t, db, breakRecordOf("sub1/IMG_0021.jpg"))
	code, out, stderr = childCLI(t, "dups", "--db", inGroup)
	if code != ExitFailure || json.Unmarshal([]byte(out), &less) != nil || len(less.Near) != 0 ||
		len(less.Exact) != len(found.Exact) || !strings.Contains(stderr, "1 record of the library "+inGroup+" could not be read") {
		t.Fatalf("dups, a grouped record damaged: exit %d, %q, %q", code, out, stderr)
	}
	// The job records are intact: jobs still lists them all.
	if code, _, stderr := childCLI(t, "jobs", "--db", path); code != 0 {
		t.Errorf("jobs: exit %d %s", code, stderr)
	}
	code, out, _ = childCLI(t, "check", "--db", path)
	if code != ExitFailure || !strings.Contains(out, "is damaged") || !strings.Contains(out, "1 file records cannot") {
		t.Errorf("check: exit %d %s", code, out)
	}
}

func TestCheckAndRecover(t *testing.T) {
	db, _ := buildCLILibrary(t)
	if code, out, stderr := childCLI(t, "check", "--db", db); code != 0 || !strings.Contains(out, "is healthy: 3 jobs") {
		t.Fatalf("check of a sound library: exit %d %s %s", code, out, stderr)
	}
	for _, tc := range []struct {
		name string
		how  func(*testing.T, string)
	}{{"truncated", testdamage.TruncateHalf}, {"flipped", testdamage.FlipMiddleLeaf}, {"record", breakOneRecord}} {
		t.Run(tc.name, func(t *testing.T) {
			path := damage(t, db, tc.how)
			before, _ := os.ReadFile(path)
			if code, out, _ := childCLI(t, "check", "--db", path); code != ExitFailure || !strings.Contains(out, "is damaged") {
				t.Errorf("check: exit %d %s", code, out)
			}
			_, readable, _ := childCLI(t, "report", "--db", path)
			out := filepath.Join(t.TempDir(), "new.db")
			code, stdout, stderr := childCLI(t, "recover", "--db", path, "--out", out)
			if code != 0 || !strings.Contains(stdout, "saved") || !strings.Contains(stdout, "--db "+out) {
				t.Fatalf("recover: exit %d %s %s", code, stdout, stderr)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Error("recover changed the damaged library")
			}
			if code, out, _ := childCLI(t, "check", "--db", out); code != 0 {
				t.Errorf("the recovered library is not healthy: %s", out)
			}
			code, recovered, stderr := childCLI(t, "report", "--db", out)
			if code != 0 {
				t.Fatalf("report of the recovered library: exit %d %s", code, stderr)
			}
			// Every record the damaged library could still show is there.
			for _, l := range reportLines(readable) {
				if !strings.Contains(recovered, l) {
					t.Errorf("lost a readable record: %s", l)
				}
			}
			if tc.name == "record" && len(reportLines(recovered)) != len(reportLines(readable)) {
				t.Errorf("recovered %d records, %d were readable", len(reportLines(recovered)), len(reportLines(readable)))
			}
		})
	}
}

func TestBackupsAfterJobsAndRestore(t *testing.T) {
	db, dir := buildCLILibrary(t)
	if code, _, stderr := runCLI(t, "scan", "--db", db, dir); code != 0 { // a fourth job
		t.Fatal(stderr)
	}
	list, err := filepath.Glob(filepath.Join(filepath.Dir(db), "backups", "library-*-after-job-*.db"))
	if err != nil || len(list) != 3 {
		t.Fatalf("backups after 4 jobs: %v %v", list, err)
	}
	if !strings.HasSuffix(list[2], "-after-job-4.db") {
		t.Errorf("the newest backup is %s", list[2])
	}
	if code, out, _ := runCLI(t, "backups", "--db", db); code != 0 || !strings.Contains(out, "1  "+filepath.Base(list[2])) {
		t.Errorf("backups: %s", out)
	}
	_, jobsBefore, _ := runCLI(t, "jobs", "--db", db, "--json")
	_, reportBefore, _ := runCLI(t, "report", "--db", db)
	broken := damage(t, db, testdamage.TruncateHalf)
	os.Rename(filepath.Join(filepath.Dir(db), "backups"), filepath.Join(filepath.Dir(broken), "backups"))
	out := filepath.Join(t.TempDir(), "restored.db")
	if code, stdout, stderr := childCLI(t, "recover", "--db", broken, "--from-backup", "latest", "--out", out); code != 0 {
		t.Fatalf("restore: %s %s", stdout, stderr)
	}
	_, jobsAfter, _ := runCLI(t, "jobs", "--db", out, "--json")
	_, reportAfter, _ := runCLI(t, "report", "--db", out)
	if jobsAfter != jobsBefore || reportAfter != reportBefore {
		t.Errorf("the restored library differs:\n%s\n%s", jobsBefore, jobsAfter)
	}
	if code, _, stderr := runCLI(t, "recover", "--db", broken, "--from-backup", "4", "--out", out+"2"); code != 1 ||
		!strings.Contains(stderr, "no backup 4") {
		t.Errorf("a fourth backup: %s", stderr)
	}
}

func TestLibraryBackupAPI(t *testing.T) {
	db, _ := buildCLILibrary(t)
	lib, err := OpenLibrary(db)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	p, err := lib.Backup("before moving files")
	if err != nil || !strings.HasSuffix(p, "-before-moving-files.db") || filepath.Dir(p) != filepath.Join(filepath.Dir(db), "backups") {
		t.Fatalf("%s %v", p, err)
	}
	list, _ := lib.Backups()
	if len(list) != 3 || list[0] != p {
		t.Errorf("backups %v", list)
	}
}

// A backup that cannot be written does not fail the job, but the job says so,
// and so does the scan's last line.
func TestAFailedBackupIsSaid(t *testing.T) {
	src := t.TempDir()
	mustWrite(t, filepath.Join(src, "a.txt"), "not a photo")
	dir := t.TempDir()
	db := filepath.Join(dir, "library.db")
	mustWrite(t, filepath.Join(dir, "backups"), "a file where the backups folder would go")
	code, _, stderr := runCLI(t, "scan", "--db", db, src)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if last := lines[len(lines)-1]; code != ExitCompleted || !strings.Contains(last, "completed") || !strings.Contains(last, "backup after it could not be written") {
		t.Fatalf("exit %d, last line %q", code, last)
	}
	lib, err := OpenLibraryWith(db, LibraryOptions{Mode: store.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	j, _ := lib.LatestJob()
	if j.Status != store.StateCompleted || !strings.Contains(j.ErrorMessage, "backup") {
		t.Errorf("job %s %q", j.Status, j.ErrorMessage)
	}
}
