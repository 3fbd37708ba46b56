package processing

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
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
)

// flat16 is a w x h 16-bit RGBA image of one colour: it compresses to almost
// nothing and decodes to 8 bytes a pixel.
func flat16(w, h int) *image.NRGBA64 {
	m := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 8 {
		m.SetNRGBA64(i/8%w, i/8/w, color.NRGBA64{R: 0x1234, G: 0x8000, B: 0xfedc, A: 0xffff})
	}
	return m
}

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
		if err := tiff.Encode(&b, flat16(side, side), &tiff.Options{Compression: tiff.Deflate}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	small, large, ipng := encode(700), encode(1000), interlacedPNG(flat16(700, 700))
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
	opt := AnalyzeOptions{Budget: NewMemoryBudget(budget), AloneMax: budget}

	defer debug.SetGCPercent(debug.SetGCPercent(5)) // garbage of finished decodes goes at once
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	stop := heapSampler()
	results := make([]Result, len(paths))
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
			if res.Status != StatusError || !strings.Contains(res.Error, "too large to decode within the memory limit: 1000x1000 16-bit TIFF needs about") {
				t.Errorf("%s: %s %q, want an error naming the memory limit", name, res.Status, res.Error)
			}
		} else if res.Status != StatusDone || !res.HasPHash || res.Width != 700 {
			t.Errorf("%s: %s %q, want done with a hash", name, res.Status, res.Error)
		}
	}
	grew := int64(peak) - int64(base.HeapAlloc)
	t.Logf("heap grew by %d MB at most (budget %d MB)", grew>>20, budget>>20)
	if ceiling := int64(budget + 4<<20); grew > ceiling {
		t.Errorf("the heap grew by %d MB, over the %d MB budget (+4 MB for files and hashing)", grew>>20, budget>>20)
	}
}

// tiffDeclaring is a minimal TIFF whose first directory declares w x h 8-bit
// gray pixels and no data.
func tiffDeclaring(w, h uint32) []byte {
	b := []byte("II*\x00\x08\x00\x00\x00")
	b = binary.LittleEndian.AppendUint16(b, 4)
	for _, e := range [][3]uint32{{256, 4, w}, {257, 4, h}, {258, 3, 8}, {262, 3, 1}} {
		b = binary.LittleEndian.AppendUint16(b, uint16(e[0]))
		b = binary.LittleEndian.AppendUint16(b, uint16(e[1]))
		b = binary.LittleEndian.AppendUint32(b, 1)
		b = binary.LittleEndian.AppendUint32(b, e[2])
	}
	return binary.LittleEndian.AppendUint32(b, 0)
}

// pngIHDROnly is a PNG of nothing but a header declaring w x h RGB pixels.
func pngIHDROnly(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	out := append([]byte("\x89PNG\r\n\x1a\n"), testimg.PNGChunk("IHDR", ihdr)...)
	return append(out, testimg.PNGChunk("IEND", nil)...)
}

// bmpDeclaring is a BMP header declaring w x h 24-bit pixels and no data.
func bmpDeclaring(w, h int32) []byte {
	b := []byte("BM")
	b = binary.LittleEndian.AppendUint32(b, 54)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 54)
	b = binary.LittleEndian.AppendUint32(b, 40)
	b = binary.LittleEndian.AppendUint32(b, uint32(w))
	b = binary.LittleEndian.AppendUint32(b, uint32(h))
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, 24)
	return append(b, make([]byte, 24)...)
}

// A header declaring a size the decoders cannot represent is over the pixel
// limit, an error, not a file without a hash.
func TestHugeDeclaredSizesAreOverThePixelLimit(t *testing.T) {
	const huge = 1<<31 - 1
	for name, data := range map[string][]byte{
		"huge.png":  pngIHDROnly(huge, huge),
		"huge.tiff": tiffDeclaring(huge, huge),
		"wide.tiff": tiffDeclaring(1<<32-1, 1),
		"huge.bmp":  bmpDeclaring(huge, huge),
	} {
		res := analyzeBytes(t, name, data, AnalyzeOptions{})
		if res.Status != StatusError || !strings.Contains(res.Error, "over the 100 MP limit") {
			t.Errorf("%s: %s %q %q, want an error naming the pixel limit", name, res.Status, res.Error, res.Note)
		}
	}
}

// setTIFFTag overwrites the value of a SHORT or LONG tag of the first
// directory in place.
func setTIFFTag(t *testing.T, data []byte, tag uint16, v uint32) {
	t.Helper()
	ifd := binary.LittleEndian.Uint32(data[4:])
	n := binary.LittleEndian.Uint16(data[ifd:])
	for e := ifd + 2; e < ifd+2+12*uint32(n); e += 12 {
		if binary.LittleEndian.Uint16(data[e:]) != tag {
			continue
		}
		if binary.LittleEndian.Uint16(data[e+2:]) == 3 {
			binary.LittleEndian.PutUint16(data[e+8:], uint16(v))
		} else {
			binary.LittleEndian.PutUint32(data[e+8:], v)
		}
		return
	}
	t.Fatalf("no tag %d", tag)
}

// The bombs of the report at full size, 9990x9990 (just under the pixel
// limit): refused from their header with the app's 160 MB budget, before the
// decoder allocates anything.
func TestFullSizeBombsAreRefusedFromTheirHeader(t *testing.T) {
	var tb bytes.Buffer
	if err := tiff.Encode(&tb, flat16(16, 16), &tiff.Options{Compression: tiff.Deflate}); err != nil {
		t.Fatal(err)
	}
	tif := tb.Bytes()
	for _, tag := range []uint16{tiffImageWidth, tiffImageLength, tiffRowsPerStrip} {
		setTIFFTag(t, tif, tag, 9990)
	}
	png16 := pngIHDROnly(9990, 9990)
	png16[24], png16[25], png16[28] = 16, 6, 1 // 16-bit RGBA, interlaced
	binary.BigEndian.PutUint32(png16[29:], crc32.ChecksumIEEE(png16[12:29]))
	lim := DecodeLimits{Budget: NewMemoryBudget(160 << 20)} // AloneMax: the default 512 MB
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"tiff": {tif, "9990x9990 16-bit TIFF needs about 2.9 GB, over the 512 MB one image may take"},
		"png":  {png16, "9990x9990 16-bit interlaced PNG needs about 1.6 GB"},
	} {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := HashImage(context.Background(), c.data, "", 0, lim)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, errOverMemoryLimit) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want refused: %s", name, err, c.want)
		}
		if a := after.TotalAlloc - before.TotalAlloc; a > 1<<20 {
			t.Errorf("%s: %d KB allocated before refusing", name, a>>10)
		}
	}
}

// A 12 MP single-strip compressed TIFF, as scanners and editors write them,
// needs more than the 160 MB decode budget: it waits its turn and decodes
// alone, rather than being refused.
func TestALargeTIFFOverTheBudgetDecodesAlone(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 4000, 3000))
	for i := range img.Pix {
		img.Pix[i] = uint8(i / 4000)
	}
	var b bytes.Buffer
	if err := tiff.Encode(&b, img, &tiff.Options{Compression: tiff.Deflate}); err != nil {
		t.Fatal(err)
	}
	budget := NewMemoryBudget(160 << 20)
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if c := estimateDecode(b.Bytes(), fmtTIFF, cfg); c.bytes <= budget.Total() {
		t.Fatalf("the test needs a TIFF over the budget; this one needs %d MB", c.bytes>>20)
	}
	h, err := HashImage(context.Background(), b.Bytes(), "image/tiff", 0, DecodeLimits{Budget: budget})
	if err != nil || h.Width != 4000 {
		t.Fatalf("%+v %v", h, err)
	}
	if budget.InUse() != 0 {
		t.Errorf("%d bytes still held", budget.InUse())
	}
}
