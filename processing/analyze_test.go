package processing

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"shoebox/internal/testimg"
	"shoebox/limits"
	"shoebox/media"
)

func analyzeBytes(t *testing.T, name string, data []byte, opt AnalyzeOptions) media.Result {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(context.Background(), Input{Path: p, RelPath: name}, opt)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// fixture reads a committed sample file by its path from the repository root.
func fixture(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pngHeader is a real PNG signature and IHDR chunk declaring w x h pixels,
// followed by nothing: the classic decompression bomb shape.
func pngHeader(w, h uint32) []byte {
	b := append([]byte(testimg.PNGSignature), testimg.PNGChunk("IHDR", testimg.PNGIHDR(w, h, 8, 2))...)
	return append(b, make([]byte, 1200)...)
}

func TestAnalyzeClassifiesSkippedAndErrors(t *testing.T) {
	jpg := testimg.Photo(t, "a-420.jpg")
	random := make([]byte, 5000)
	rand.New(rand.NewSource(1)).Read(random)
	cases := []struct {
		name    string
		data    []byte
		status  media.Status
		errPart string
	}{
		{"photo.jpg", jpg, media.StatusDone, ""},
		{"photo-without-extension", jpg, media.StatusDone, ""},
		{"clip.mp4", fixture(t, "meta/testdata/sample.mp4"), media.StatusDone, ""},
		{"empty.jpg", nil, media.StatusError, "empty file"},
		{"empty.txt", nil, media.StatusSkipped, ""},
		{"truncated.jpg", jpg[:len(jpg)/2], media.StatusError, ""},
		{"noise.jpg", random, media.StatusError, "unrecognised binary data"},
		{"page.jpg", []byte("<!DOCTYPE html><html><head><title>x</title></head><body>Not found</body></html>"), media.StatusError, "web page"},
		{"notes.mp4", []byte("just some notes, not a film at all"), media.StatusError, "named .mp4"},
		{"bomb.png", pngHeader(100000, 100000), media.StatusError, "limit"},
		{"report.pdf", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF"), media.StatusSkipped, ""},
		{"archive.zip", []byte("PK\x03\x04\x14\x00\x00\x00\x00\x00" + strings.Repeat("\x00", 40)), media.StatusSkipped, ""},
		{"noise.bin", random, media.StatusSkipped, ""},
		{"readme.txt", []byte("hello"), media.StatusSkipped, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := analyzeBytes(t, c.name, c.data, AnalyzeOptions{})
			if res.Status != c.status {
				t.Fatalf("status %s (%q), want %s", res.Status, res.Error, c.status)
			}
			if c.status == media.StatusError && (res.Error == "" || !strings.Contains(res.Error, c.errPart)) {
				t.Errorf("error %q lacks %q", res.Error, c.errPart)
			}
			if c.status == media.StatusDone && res.SHA256 == ([32]byte{}) {
				t.Error("done without a SHA-256")
			}
		})
	}
	// A photo is hashed; a video is done without a perceptual hash.
	if res := analyzeBytes(t, "p.jpg", jpg, AnalyzeOptions{}); !res.HasPHash || res.Width == 0 || res.MIME != "image/jpeg" {
		t.Errorf("jpeg: %+v", res)
	}
	if res := analyzeBytes(t, "v.mp4", fixture(t, "meta/testdata/sample.mp4"), AnalyzeOptions{}); res.HasPHash || !strings.HasPrefix(res.MIME, "video/") {
		t.Errorf("mp4: has phash %v, mime %s", res.HasPHash, res.MIME)
	}
}

func TestAnalyzeRecoversAPanicAtTheFile(t *testing.T) {
	res, err := withRecover("/photos/IMG_0001.jpg", func() (media.Result, error) {
		var m map[string]int
		//lint:ignore SA5000 the panic is the point: it stands for a decoder bug
		m["boom"]++
		return media.Result{}, nil
	})
	if err != nil || res.Status != media.StatusError || !strings.Contains(res.Error, "IMG_0001.jpg") || !strings.Contains(res.Note, "goroutine") {
		t.Fatalf("%v %+v", err, res)
	}
}

func TestWatchdogAbandonsAHungFile(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	start := time.Now()
	res, err := withWatchdog(context.Background(), nil, 50*time.Millisecond, func(context.Context, *limits.FileClock) (media.Result, error) {
		<-release // a parser stuck in a loop that never checks its context
		return media.Result{Status: media.StatusDone}, nil
	})
	if err != nil || res.Status != media.StatusError || !strings.Contains(res.Error, "longer than") {
		t.Fatalf("%v %+v", err, res)
	}
	if time.Since(start) > 2*time.Second {
		t.Error("the watchdog did not fire in time")
	}
}

func TestAnalyzeStopsWhenCancelled(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.mov")
	data := append(fixture(t, "meta/testdata/sample.mov"), make([]byte, 64<<20)...)
	os.WriteFile(p, data, 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Analyze(ctx, Input{Path: p}, AnalyzeOptions{}); err == nil {
		t.Fatal("a cancelled analysis must report the cancellation, not a result")
	}
}

func TestAnalyzeUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	p := filepath.Join(t.TempDir(), "locked.jpg")
	os.WriteFile(p, []byte("x"), 0)
	res, err := Analyze(context.Background(), Input{Path: p}, AnalyzeOptions{})
	if err != nil || res.Status != media.StatusError || !strings.Contains(res.Error, "permission denied") {
		t.Fatalf("%v %+v", err, res)
	}
}

// withAPP1 returns jpg with the EXIF APP1 segment of exifJPG inserted after
// its SOI marker: a real photograph carrying a real camera's EXIF.
func withAPP1(t *testing.T, jpg, exifJPG []byte) []byte {
	t.Helper()
	if len(exifJPG) < 6 || exifJPG[2] != 0xFF || exifJPG[3] != 0xE1 {
		t.Fatal("EXIF fixture does not start with APP1")
	}
	n := int(binary.BigEndian.Uint16(exifJPG[4:]))
	out := append([]byte{0xFF, 0xD8}, exifJPG[2:4+n]...)
	return append(out, jpg[2:]...)
}

// TestAnalyzeDatesDamagedPhotos: a photo that is truncated, empty or
// mislabelled is an error, and still gets the time it was taken from what is
// left (EXIF, name, mtime); a file that is not media gets none.
func TestAnalyzeDatesDamagedPhotos(t *testing.T) {
	photo := withAPP1(t, testimg.Photo(t, "d-420.jpg"), fixture(t, "meta/testdata/camera_le.jpg"))
	if res := analyzeBytes(t, "whole.jpg", photo, AnalyzeOptions{}); res.Status != media.StatusDone || res.Time.Value != "2019-07-04T15:30:12.123+02:00" {
		t.Fatalf("the spliced fixture itself: %s %q %q", res.Status, res.Error, res.Time.Value)
	}
	random := make([]byte, 5000)
	rand.New(rand.NewSource(2)).Read(random)
	mtime := time.Date(2022, 1, 4, 18, 24, 48, 0, time.UTC)
	for _, c := range []struct {
		name   string
		data   []byte
		status media.Status
		value  string
		source media.Source
	}{
		{"truncated.jpg", photo[:len(photo)*6/10], media.StatusError, "2019-07-04T15:30:12.123+02:00", media.SourceEXIF},
		{"IMG_20211116_220008.jpg", nil, media.StatusError, "2021-11-16T22:00:08", media.SourceFilename},
		{"DSC01155.JPG", random, media.StatusError, "2022-01-04T18:24:48Z", media.SourceMtime},
		{"notes.txt", []byte("shopping list"), media.StatusSkipped, "", media.SourceNone},
	} {
		p := filepath.Join(t.TempDir(), c.name)
		if err := os.WriteFile(p, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		res, err := Analyze(context.Background(), Input{Path: p, RelPath: c.name}, AnalyzeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != c.status || res.Time.Value != c.value || res.Time.Source != c.source {
			t.Errorf("%s: %s (%q), time %q from %q; want %s, %q from %q", c.name, res.Status, res.Error,
				res.Time.Value, res.Time.Source, c.status, c.value, c.source)
		}
	}
}

// TestAnalyzeHoldsImageBytesWithinTheReadBudget: an image's bytes are
// acquired from the read budget while it is analysed and given back after;
// a file larger than the whole budget is still analysed (alone); a video is
// streamed and takes nothing.
func TestAnalyzeHoldsImageBytesWithinTheReadBudget(t *testing.T) {
	jpg := testimg.Photo(t, "d-420.jpg")
	rb := limits.NewMemoryBudget(int64(len(jpg)) * 3 / 2)
	opt := AnalyzeOptions{ReadBudget: rb}
	if res := analyzeBytes(t, "a.jpg", jpg, opt); res.Status != media.StatusDone || !res.HasPHash {
		t.Fatalf("a.jpg: %+v", res)
	}
	if rb.Peak() != int64(len(jpg)) || rb.InUse() != 0 {
		t.Errorf("peak %d (want the file's %d bytes), in use %d after", rb.Peak(), len(jpg), rb.InUse())
	}
	big := limits.NewMemoryBudget(int64(len(jpg)) / 2)
	if res := analyzeBytes(t, "b.jpg", jpg, AnalyzeOptions{ReadBudget: big}); res.Status != media.StatusDone || big.InUse() != 0 {
		t.Errorf("a file over the whole budget: %s %q, in use %d", res.Status, res.Error, big.InUse())
	}
	video := limits.NewMemoryBudget(1 << 20)
	if res := analyzeBytes(t, "v.mp4", fixture(t, "meta/testdata/sample.mp4"), AnalyzeOptions{ReadBudget: video}); res.Status != media.StatusDone || video.Peak() != 0 {
		t.Errorf("video: %s, read budget peak %d", res.Status, video.Peak())
	}

	// Workers sharing the budget never hold more than it at once.
	shared := limits.NewMemoryBudget(int64(len(jpg)) * 3 / 2)
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		p := filepath.Join(dir, fmt.Sprintf("%d.jpg", i))
		if err := os.WriteFile(p, jpg, 0o644); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res, err := Analyze(context.Background(), Input{Path: p, RelPath: filepath.Base(p)}, AnalyzeOptions{ReadBudget: shared}); err != nil || res.Status != media.StatusDone {
				t.Errorf("%s: %v %s", p, err, res.Status)
			}
		}()
	}
	wg.Wait()
	if shared.Peak() != int64(len(jpg)) || shared.InUse() != 0 {
		t.Errorf("six workers: peak %d, want one file (%d bytes) at a time; in use %d", shared.Peak(), len(jpg), shared.InUse())
	}
}

// TestWatchdogDoesNotCountWaitingForMemory: a file queued behind another's
// memory for longer than its time limit is analysed, not failed; its own
// running time still counts.
func TestWatchdogDoesNotCountWaitingForMemory(t *testing.T) {
	jpg := testimg.Photo(t, "d-420.jpg")
	for name, budgets := range map[string]func(b *limits.MemoryBudget) AnalyzeOptions{
		"read budget":   func(b *limits.MemoryBudget) AnalyzeOptions { return AnalyzeOptions{ReadBudget: b} },
		"decode budget": func(b *limits.MemoryBudget) AnalyzeOptions { return AnalyzeOptions{Budget: b} },
	} {
		t.Run(name, func(t *testing.T) {
			b := limits.NewMemoryBudget(1 << 30)
			hold, err := b.Acquire(context.Background(), 1<<30, nil) // another file holds it all
			if err != nil {
				t.Fatal(err)
			}
			opt := budgets(b)
			opt.Timeout = 150 * time.Millisecond
			p := filepath.Join(t.TempDir(), "a.jpg")
			if err := os.WriteFile(p, jpg, 0o644); err != nil {
				t.Fatal(err)
			}
			type outcome struct {
				res media.Result
				err error
			}
			got := make(chan outcome, 1)
			go func() {
				res, err := Analyze(context.Background(), Input{Path: p, RelPath: "a.jpg"}, opt)
				got <- outcome{res, err}
			}()
			select {
			case o := <-got:
				t.Fatalf("finished while the memory was held: %+v %v", o.res, o.err)
			case <-time.After(600 * time.Millisecond): // four times its limit
			}
			hold()
			o := <-got
			if o.err != nil || o.res.Status != media.StatusDone {
				t.Fatalf("after the wait: %v %s %q", o.err, o.res.Status, o.res.Error)
			}
		})
	}
}
