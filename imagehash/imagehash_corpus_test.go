package imagehash

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gabriel-vasile/mimetype"

	"shoebox/imagehash/jpegdc"
	"shoebox/internal/testmem"
	"shoebox/limits"
)

// corpusFiles lists $SHOEBOX_CORPUS (e.g. /tmp/corpus200 from
// /work/shared/bench/make-corpus.sh); the corpus tests skip without it.
func corpusFiles(t testing.TB) []string {
	dir := os.Getenv("SHOEBOX_CORPUS")
	if dir == "" {
		t.Skip("set SHOEBOX_CORPUS to a folder of photos")
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && !strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files
}

// TestCorpusThroughput hashes every file of the corpus with
// $SHOEBOX_WORKERS workers (default 2), reading each file whole as the
// analysis does, and reports files/s, outcomes and peak RSS.
func TestCorpusThroughput(t *testing.T) {
	files := corpusFiles(t)
	workers := 2
	if w, err := strconv.Atoi(os.Getenv("SHOEBOX_WORKERS")); err == nil && w > 0 {
		workers = w
	}
	if os.Getenv("SHOEBOX_ONLY_JPEG") != "" {
		// Same set as djpeg can take, for a like-for-like comparison.
		var j []string
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil && mimetype.Detect(b).String() == "image/jpeg" {
				j = append(j, f)
			}
		}
		files = j
	}
	if os.Getenv("SHOEBOX_NO_TURBO") != "" {
		useTurbo = false
		defer func() { useTurbo = jpegdc.TurboAvailable }()
	}
	t.Logf("JPEG luma decoder: libjpeg-turbo (cgo) %v", useTurbo)
	lim := DecodeLimits{Budget: limits.NewMemoryBudget(192 << 20)}
	var next atomic.Int64
	var mu sync.Mutex
	outcome := map[string]int{}
	var msgs []string
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				data, err := os.ReadFile(files[i])
				if err != nil {
					continue
				}
				mime := mimetype.Detect(data).String()
				_, err = HashImage(context.Background(), data, mime, 0, lim)
				mu.Lock()
				switch {
				case err == nil:
					outcome["hashed"]++
				case errors.Is(err, ErrNotHashable):
					outcome["not hashable"]++
				default:
					outcome["error"]++
					msgs = append(msgs, filepath.Base(files[i])+": "+err.Error())
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	for _, m := range msgs {
		t.Log(m)
	}
	t.Logf("%d files in %v with %d workers: %.1f files/s; %v; peak RSS %s; budget peak %d MB",
		len(files), el.Round(time.Millisecond), workers, float64(len(files))/el.Seconds(), outcome, testmem.PeakRSS(), lim.Budget.Peak()>>20)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	t.Logf("Go heap sys %d MB; process CPU %v = %.1f ms per file", ms.HeapSys>>20, cpu.Round(time.Millisecond), float64(cpu.Milliseconds())/float64(len(files)))
}

// TestCorpusAgreement compares, for every JPEG of the corpus whose DC image is
// used, the pHash of the DC-only decode with the pHash of image/jpeg's full
// decode.
func TestCorpusAgreement(t *testing.T) {
	files := corpusFiles(t)
	hist := map[int]int{}
	var worst []string
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil || mimetype.Detect(data).String() != "image/jpeg" {
			continue
		}
		dc, _, err := jpegdc.DecodeDC(data, nil)
		if err != nil {
			continue
		}
		if s := dc.Bounds().Size(); min(s.X, s.Y) < hashSide {
			continue
		}
		full, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Logf("%s: fast path ok, image/jpeg: %v", filepath.Base(f), err)
			continue
		}
		d := HammingDistance(hashOfDC(t, data).PHash, hashOf(full, 1).PHash)
		hist[d]++
		n++
		if d > 2 {
			worst = append(worst, filepath.Base(f)+" "+strconv.Itoa(d))
		}
	}
	t.Logf("%d JPEGs; pHash distance DC vs full: %v", n, hist)
	if len(worst) > 0 {
		t.Errorf("over 2 bits: %v", worst)
	}
}
