package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"shoebox/internal/testproc"
)

// anyCompact compacts whatever the library's size and slack.
var anyCompact = CompactOptions{MinSize: 1, MinSlack: 1e-9}

// slackLibrary writes a scan of n files at path as the engine does (listed,
// then analysed in small batches), which leaves half-empty pages behind.
func slackLibrary(t *testing.T, path string, n int) {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	scanScale(t, db, "/home/someone/Pictures", n, 10)
}

// dumpLibrary is every bucket's sequence and every key and value of the
// library at path, opened read-only.
func dumpLibrary(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return dumpOf(t, db)
}

func dumpOf(t *testing.T, db *DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	var dump func(name string, b *bolt.Bucket) error
	dump = func(name string, b *bolt.Bucket) error {
		out[name+" sequence"] = fmt.Sprint(b.Sequence())
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return dump(name+"/"+string(k), b.Bucket(k))
			}
			out[name+"\x00"+string(k)] = string(v)
			return nil
		})
	}
	err := db.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error { return dump(string(name), b) })
	})
	if err != nil {
		t.Fatal(err)
	}
	delete(out, string(bucketMeta)+"\x00"+string(keyCheckedSize))
	return out
}

func sameDump(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d keys, want %d", len(got), len(want))
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Fatalf("key %q: got %d bytes (present %v), want %d", k, len(g), ok, len(v))
		}
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func TestCompactShrinksAndKeepsEveryByte(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	slackLibrary(t, path, 3000)
	want := dumpLibrary(t, path)
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before := fileSize(t, path)
	var announced CompactResult
	opt := anyCompact
	opt.OnCompacting = func(r CompactResult) { announced = r }
	epoch := db.Epoch()
	res, err := db.CompactIfSlack(opt)
	if err != nil || !res.Compacted || !res.Measured {
		t.Fatalf("compact: %+v, %v", res, err)
	}
	after := fileSize(t, path)
	t.Logf("%d -> %d bytes (%d in use)", before, after, res.InUse)
	if res.Before != before || res.After != after || announced.Before != before {
		t.Errorf("result %+v, announced %+v; the file went from %d to %d", res, announced, before, after)
	}
	// At least the default MinSlack less: the scan left half-empty pages
	// (the file's end carried up to 1 MiB of unused room as well before the
	// growth step became a share of the file, and this said 15%).
	if after > before*90/100 {
		t.Errorf("the library went from %d to %d bytes, want at least 10%% less", before, after)
	}
	if db.Epoch() == epoch {
		t.Error("the epoch did not move when the file was swapped")
	}
	if _, err := os.Stat(path + compactSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the copy is left beside the library: %v", err)
	}
	sameDump(t, dumpOf(t, db), want)
	// The handle goes on writing, into the new file.
	j := &Job{Roots: []string{"/elsewhere"}, Status: StateCompleted}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if !stampMatches(path) {
		t.Error("the compacted library was not stamped as sound at Close")
	}
	got := dumpLibrary(t, path)
	if _, err := jobOf(t, path, j.ID); err != nil {
		t.Errorf("the job written after the compaction is not in the file: %v", err)
	}
	delete(got, string(bucketJobs)+"\x00"+string(jobKey(j.ID)))
	delete(got, string(bucketJobs)+" sequence")
	delete(want, string(bucketJobs)+" sequence")
	sameDump(t, got, want)
}

func jobOf(t *testing.T, path string, id uint64) (Job, error) {
	t.Helper()
	db, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return db.Job(id)
}

// A library that is small, or dense, is left as it is; once measured dense
// it is not walked again until it grows.
func TestCompactLeavesSmallAndDenseLibraries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	slackLibrary(t, path, 500)
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	size := fileSize(t, path)
	res, err := db.CompactIfSlack(CompactOptions{})
	if err != nil || res.Compacted || res.Measured || res.After != size {
		t.Fatalf("a library of %d bytes under the default 32 MiB: %+v, %v", size, res, err)
	}
	dense := CompactOptions{MinSize: 1, MinSlack: 0.99}
	if res, err = db.CompactIfSlack(dense); err != nil || res.Compacted || !res.Measured || res.InUse <= 0 {
		t.Fatalf("a library mostly in use: %+v, %v", res, err)
	}
	if res, err = db.CompactIfSlack(dense); err != nil || res.Measured {
		t.Fatalf("measured again although it did not grow: %+v, %v", res, err)
	}
	if res, err = db.CompactIfSlack(anyCompact); err != nil || res.Measured || res.Compacted {
		t.Fatalf("measured again although it did not grow: %+v, %v", res, err)
	}
}

func TestCompactRefusals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	slackLibrary(t, path, 200)
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.HoldWrites(); err != nil {
		t.Fatal(err)
	}
	if res, err := db.CompactIfSlack(anyCompact); !errors.Is(err, ErrBusy) || res.Compacted {
		t.Errorf("while writes are held (a job or change run): %+v, %v; want ErrBusy", res, err)
	}
	db.ReleaseWrites()
	// Written while the copy is made: the copy is stale and is dropped.
	opt := anyCompact
	opt.Step = func(step string) {
		if step == "copied" {
			if err := db.CreateJob(&Job{Roots: []string{"/meanwhile"}}); err != nil {
				t.Error(err)
			}
		}
	}
	if res, err := db.CompactIfSlack(opt); err != nil || res.Compacted {
		t.Errorf("written during the copy: %+v, %v; want given up", res, err)
	}
	if _, err := os.Stat(path + compactSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the dropped copy is left beside the library: %v", err)
	}
	db.Close()
	if _, err := db.CompactIfSlack(anyCompact); !errors.Is(err, errClosed) {
		t.Errorf("closed: %v", err)
	}
	ro, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if res, err := ro.CompactIfSlack(anyCompact); err == nil || res.Compacted {
		t.Errorf("open only to read: %+v, %v", res, err)
	}
}

// TestCompactCrashChild is the child of TestCompactCrash: it compacts the
// library and stops dead at the step named, to be killed there.
func TestCompactCrashChild(t *testing.T) {
	path, at := os.Getenv("SHOEBOX_COMPACT_DB"), os.Getenv("SHOEBOX_COMPACT_STEP")
	if path == "" {
		t.Skip("run by TestCompactCrash in a child process")
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	opt := anyCompact
	opt.Step = func(step string) {
		if step == at {
			fmt.Println("at", step)
			time.Sleep(time.Hour) // the power goes out here
			return
		}
	}
	res, err := db.CompactIfSlack(opt)
	t.Fatalf("the compaction ran to its end: %+v, %v", res, err)
}

// A kill at any step of the compaction leaves the old library or the new
// one, whole: it opens (walked page by page, as after any crash) and holds
// every record, and the next open clears a copy left unfinished.
func TestCompactCrash(t *testing.T) {
	for _, step := range []string{"copying", "copied", "synced", "renamed", "swapped"} {
		t.Run(step, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "lib.db")
			slackLibrary(t, path, 1000)
			want := dumpLibrary(t, path)
			before := fileSize(t, path)
			child := testproc.Start(t, "TestCompactCrashChild", "SHOEBOX_COMPACT_DB="+path, "SHOEBOX_COMPACT_STEP="+step)
			child.WaitFor("at " + step)
			if err := child.Cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			child.Cmd.Wait()
			after := fileSize(t, path)
			db, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			sameDump(t, dumpOf(t, db), want)
			if _, err := os.Stat(path + compactSuffix); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the unfinished copy is still beside the library after an open: %v", err)
			}
			renamed := step == "renamed" || step == "swapped"
			if renamed != (after < before) {
				t.Errorf("killed at %s, the library went from %d to %d bytes", step, before, after)
			}
		})
	}
}

// The check of a copy finds a value changed, a key missing or added, and a
// bucket's sequence changed.
func TestSameCopyFindsEveryDifference(t *testing.T) {
	src := filepath.Join(t.TempDir(), "lib.db")
	slackLibrary(t, src, 100)
	lib, err := Open(src, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	cases := map[string]func(tx *bolt.Tx) error{
		"the same": func(*bolt.Tx) error { return nil },
		"a value changed": func(tx *bolt.Tx) error {
			k, v := tx.Bucket(bucketFiles).Cursor().Last()
			return tx.Bucket(bucketFiles).Put(k, append(append([]byte(nil), v...), 0))
		},
		"a key missing": func(tx *bolt.Tx) error {
			k, _ := tx.Bucket(bucketPHash).Cursor().First()
			return tx.Bucket(bucketPHash).Delete(k)
		},
		"a key added":        func(tx *bolt.Tx) error { return tx.Bucket(bucketChanges).Put([]byte("zz"), []byte("x")) },
		"a sequence changed": func(tx *bolt.Tx) error { return tx.Bucket(bucketJobs).SetSequence(99) },
	}
	for name, alter := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "copy.db")
			dst, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer dst.Close()
			err = lib.view(func(tx *bolt.Tx) error {
				if err := copyBuckets(dst, tx, pageDropper{}); err != nil {
					return err
				}
				if err := dst.Update(alter); err != nil {
					return err
				}
				return dst.View(func(dtx *bolt.Tx) error { return sameCopy(tx, dtx, path, pageDropper{}) })
			})
			if (err == nil) != (name == "the same") {
				t.Errorf("check of a copy with %s: %v", name, err)
			}
		})
	}
}

// inUse, which reads the file with plain reads, counts what bbolt's own
// Bucket.Stats counts, give or take the root bucket's page, on a library
// with half-empty pages and on its compacted copy.
func TestInUseCountsAsBboltDoes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	slackLibrary(t, path, 3000)
	for _, when := range []string{"before compaction", "after"} {
		db, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var want int64
		var pageSize int64
		err = db.view(func(tx *bolt.Tx) error {
			pageSize = int64(tx.DB().Info().PageSize)
			want = 2 * pageSize
			return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
				s := b.Stats()
				want += int64(s.BranchInuse + s.LeafInuse)
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.inUse()
		if err != nil || got < want || got > want+pageSize {
			t.Errorf("%s: inUse %d, %v; bbolt counts %d (the root's page, at most %d, aside)", when, got, err, want, pageSize)
		}
		if when == "before compaction" {
			if res, err := db.CompactIfSlack(anyCompact); err != nil || !res.Compacted || res.InUse != got {
				t.Fatalf("compaction %+v, %v; want it done, measuring %d in use", res, err, got)
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
