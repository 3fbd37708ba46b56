package processing

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/image/tiff"

	"shoebox/internal/testimg"
	"shoebox/limits"
	"shoebox/media"
)

// heapSampler records the largest HeapAlloc seen until stop is called.
func heapSampler() (stop func() uint64) {
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var ms runtime.MemStats
		var top uint64
		tick := time.NewTicker(time.Millisecond) // the sampling rate, not a wait
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			top = max(top, ms.HeapAlloc)
			select {
			case <-done:
				peak <- top
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); return <-peak }
}

// Ten decompression bombs at once with a 16 MB decode budget: 700x700
// 16-bit deflate TIFFs (12 KB on disk, 12 MB to decode: the old estimate of
// 9 bytes a pixel let three run at once), interlaced 16-bit PNGs (8 MB) and
// one 1000x1000 TIFF (25 MB). The heap stays within the budget, the large
// TIFF is refused with a sentence, the others decode.
func TestDecompressionBombsStayWithinTheBudget(t *testing.T) {
	encode := func(side int) []byte {
		var b bytes.Buffer
		if err := tiff.Encode(&b, testimg.Flat16(side, side), &tiff.Options{Compression: tiff.Deflate}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	small, large, ipng := encode(700), encode(1000), testimg.InterlacedPNG(testimg.Flat16(700, 700))
	dir := t.TempDir()
	var paths []string
	for i := range 10 {
		name, data := fmt.Sprintf("bomb%d.tif", i), small
		switch {
		case i == 0:
			name, data = "large.tif", large
		case i%3 == 0:
			name, data = fmt.Sprintf("bomb%d.png", i), ipng
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	const budget = 16 << 20
	opt := AnalyzeOptions{Budget: limits.NewMemoryBudget(budget), AloneMax: budget}

	defer debug.SetGCPercent(debug.SetGCPercent(5)) // garbage of finished decodes goes at once
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	stop := heapSampler()
	results := make([]media.Result, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Go(func() {
			res, err := Analyze(context.Background(), Input{Path: p, RelPath: filepath.Base(p)}, opt)
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		})
	}
	wg.Wait()
	peak := stop()

	for i, res := range results {
		name := filepath.Base(paths[i])
		if name == "large.tif" {
			if res.Status != media.StatusError || !strings.Contains(res.Error, "too large to decode within the memory limit: 1000x1000 16-bit TIFF needs about") {
				t.Errorf("%s: %s %q, want an error naming the memory limit", name, res.Status, res.Error)
			}
		} else if res.Status != media.StatusDone || !res.HasPHash || res.Width != 700 {
			t.Errorf("%s: %s %q, want done with a hash", name, res.Status, res.Error)
		}
	}
	grew := int64(peak) - int64(base.HeapAlloc)
	t.Logf("heap grew by %d MB at most (budget %d MB)", grew>>20, budget>>20)
	if ceiling := int64(budget + 4<<20); grew > ceiling {
		t.Errorf("the heap grew by %d MB, over the %d MB budget (+4 MB for files and hashing)", grew>>20, budget>>20)
	}
}

// A header declaring a size the decoders cannot represent is over the pixel
// limit, an error, not a file without a hash.
func TestHugeDeclaredSizesAreOverThePixelLimit(t *testing.T) {
	const huge = 1<<31 - 1
	for name, data := range map[string][]byte{
		"huge.png":  testimg.PNGIHDROnly(huge, huge),
		"huge.tiff": testimg.TIFFDeclaring(huge, huge),
		"wide.tiff": testimg.TIFFDeclaring(1<<32-1, 1),
		"huge.bmp":  testimg.BMPDeclaring(huge, huge),
	} {
		res := analyzeBytes(t, name, data, AnalyzeOptions{})
		if res.Status != media.StatusError || !strings.Contains(res.Error, "over the 100 MP limit") {
			t.Errorf("%s: %s %q %q, want an error naming the pixel limit", name, res.Status, res.Error, res.Note)
		}
	}
}
