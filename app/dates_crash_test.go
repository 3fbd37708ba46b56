//go:build unix

package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shoebox/internal/testmp4"
	"shoebox/store"
)

// datesCrashFixture is a scanned folder with decided dates, one file with a
// sidecar of its own, to write back to sidecars and modification times.
type datesCrashFixture struct {
	db, src string
	before  map[string]string // the folder as it was
	opt     DatesWriteOptions
}

func newDatesCrashFixture(t *testing.T, to ...string) datesCrashFixture {
	t.Helper()
	lib, src := datesFolder(t, map[string]string{
		"IMG_1.jpg": "2009-07-14T10:00:00 HIGH\none",
		"IMG_2.jpg": "no date\ntwo",
		"VID_1.mp4": string(crashVideo(cameraTime)),
	})
	writeTree(t, src, map[string]string{"IMG_2.jpg.xmp": oldSidecar})
	for name, date := range map[string]string{"IMG_1.jpg": "2009-07-14T15:04:05+02:00", "IMG_2.jpg": "1955-11-05T06:15:00",
		"VID_1.mp4": "2019-07-04T15:30:12+02:00"} {
		if _, err := lib.SetDate(DatesSelection{Paths: []string{filepath.Join(src, name)}}, date); err != nil {
			t.Fatal(err)
		}
	}
	f := datesCrashFixture{db: lib.Path(), src: src, before: snapshot(t, src), opt: DatesWriteOptions{To: to}}
	lib.Close()
	return f
}

// crashVideo is the fixture's video with all its dates at t, and
// crashVideoTime the instant decided for it: written, every date of the
// video is that instant (the modification times raised to it).
func crashVideo(t time.Time) []byte {
	return testmp4.Movie{Created: t, Modified: t, Tracks: 2, MoovAfterMdat: true}.Bytes()
}

var crashVideoTime = time.Date(2019, 7, 4, 13, 30, 12, 0, time.UTC)

// whole checks every file after a kill: a sidecar is as it was (or absent)
// or completely written, never partly; only Shoebox's temporary names hold
// anything else; a photo's bytes never change.
func (f datesCrashFixture) whole(t *testing.T, at int64) {
	t.Helper()
	for path, entry := range snapshot(t, f.src) {
		data := contentOf(entry)
		switch {
		case strings.HasPrefix(filepath.Base(path), ".shoebox-copy-"):
			continue // a temporary file: never a final name
		case strings.HasSuffix(path, ".xmp"):
			if was, ok := f.before[path]; ok && contentOf(was) == data {
				continue
			}
			photo := strings.TrimSuffix(path, ".xmp")
			if _, err := readSidecarDates([]byte(data)); err != nil || !strings.Contains(data, "DateTimeOriginal") {
				t.Fatalf("step %d: %s is neither as it was nor completely written:\n%s", at, path, data)
			}
			if _, ok := f.before[photo]; !ok {
				t.Fatalf("step %d: a sidecar for no photo: %s", at, path)
			}
		case strings.HasSuffix(path, ".mp4"): // its QuickTime dates (exif) are the one change allowed
			if was := contentOf(f.before[path]); data != was && data != string(crashVideo(crashVideoTime)) {
				t.Fatalf("step %d: %s is neither as it was nor completely written", at, path)
			}
		default:
			was := contentOf(f.before[path])
			if extra, ok := strings.CutPrefix(data, was); !ok || (extra != "" && !strings.HasPrefix(extra, "\nEXIF ")) {
				t.Fatalf("step %d: %s is neither as it was nor completely written: %q", at, path, data)
			}
		}
	}
}

// A kill -9 at every step of a dates write run (checked, intent stored,
// written, verified, renamed, mtime set, committing) leaves every file
// untouched or completely written; resuming completes the run, and undo
// then puts every byte and time back; undo straight away does too.
func TestDatesWriteSurvivesKill9(t *testing.T) {
	for _, to := range [][]string{{WriteXMP, WriteMtime}, {WriteEXIF, WriteMtime}} {
		t.Run(strings.Join(to, "+"), func(t *testing.T) { datesWriteKill9(t, to) })
	}
}

func datesWriteKill9(t *testing.T, to []string) {
	f := newDatesCrashFixture(t, to...)
	_, steps := crashChild(t, crashOrder{DB: f.db, Dates: &f.opt})
	if steps < 12 {
		t.Fatalf("only %d steps in a whole dates run", steps)
	}
	t.Logf("a kill at each of the %d steps of a whole run", steps)
	video, _ := os.ReadFile(filepath.Join(f.src, "VID_1.mp4"))
	if written := bytes.Equal(video, crashVideo(crashVideoTime)); written != (to[0] == WriteEXIF) {
		t.Fatalf("after a whole run to %v, the video's dates written: %v", to, written)
	}
	for at := int64(1); at <= int64(steps); at++ {
		f := newDatesCrashFixture(t, to...)
		if killed, _ := crashChild(t, crashOrder{DB: f.db, Dates: &f.opt, At: at}); !killed {
			continue // fewer steps this time (batches commit by timing)
		}
		f.whole(t, at)
		lib := openChangeLibrary(t, f.db, LibraryOptions{EXIFWriter: fakeEXIFWriter})
		run := theRun(t, lib, store.KindDates)
		if at%2 == 0 && run.Status != store.StateCompleted {
			if err := lib.Resume(run.ID); err != nil {
				t.Fatalf("step %d: resume: %v", at, err)
			}
			runToState(t, lib, run.ID, store.StateCompleted)
			if n, reasons := itemsByState(t, lib, run.ID); n[store.ChangeDone] != 6 {
				t.Fatalf("step %d: resumed run: %v %v", at, n, reasons)
			}
		}
		if orig, _ := lib.Job(run.ID); !orig.Change.Undone {
			undo, err := lib.Undo(run.ID)
			if err != nil {
				t.Fatalf("step %d: undo: %v", at, err)
			}
			runToState(t, lib, undo, store.StateCompleted)
		}
		if got := snapshot(t, f.src); !equalSnapshots(got, f.before) {
			t.Fatalf("step %d: after undo: %v", at, diffSnapshots(f.before, got))
		}
		lib.Close()
	}
}

// A kill -9 at every step of the undo of a dates run leaves every file
// whole; undo again finishes it, byte for byte.
func TestDatesUndoSurvivesKill9(t *testing.T) {
	for _, to := range [][]string{{WriteXMP, WriteMtime}, {WriteEXIF, WriteMtime}} {
		t.Run(strings.Join(to, "+"), func(t *testing.T) { datesUndoKill9(t, to) })
	}
}

func datesUndoKill9(t *testing.T, to []string) {
	steps := 0
	for at := int64(1); steps == 0 || at <= int64(steps); at++ {
		f := newDatesCrashFixture(t, to...)
		lib := openChangeLibrary(t, f.db, LibraryOptions{EXIFWriter: fakeEXIFWriter})
		id, _, err := lib.WriteDates(f.opt)
		if err != nil {
			t.Fatal(err)
		}
		runToState(t, lib, id, store.StateCompleted)
		lib.Close()
		if steps == 0 {
			_, steps = crashChild(t, crashOrder{DB: f.db, Undo: id})
			if steps < 8 {
				t.Fatalf("only %d steps in a whole undo", steps)
			}
			at--
			continue
		}
		if killed, _ := crashChild(t, crashOrder{DB: f.db, Undo: id, At: at}); !killed {
			continue
		}
		f.whole(t, at)
		lib = openChangeLibrary(t, f.db, LibraryOptions{EXIFWriter: fakeEXIFWriter})
		if orig, _ := lib.Job(id); !orig.Change.Undone {
			undo, err := lib.Undo(id)
			if err != nil {
				t.Fatalf("step %d: undo again: %v", at, err)
			}
			runToState(t, lib, undo, store.StateCompleted)
		}
		if got := snapshot(t, f.src); !equalSnapshots(got, f.before) {
			t.Fatalf("step %d: after undo: %v", at, diffSnapshots(f.before, got))
		}
		lib.Close()
	}
}
