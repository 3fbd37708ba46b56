package imagehash

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"image"
	"image/png"
	"runtime"
	"strings"
	"testing"
	"time"

	"shoebox/internal/testimg"
	"shoebox/limits"
)

// pngHeaderOnly is a PNG declaring w x h 1-bit gray pixels with a few rows of
// zlib data: small on disk, enormous when decoded.
func pngDeclaring(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString(testimg.PNGSignature)
	b.Write(testimg.PNGChunk("IHDR", testimg.PNGIHDR(w, h, 1, 0))) // 1-bit grayscale
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 1+int(w+7)/8*4))
	zw.Close()
	b.Write(testimg.PNGChunk("IDAT", z.Bytes()))
	b.Write(testimg.PNGChunk("IEND", nil))
	return b.Bytes()
}

// TestHostileShapes feeds the known killers and asserts a clear error within
// bounded time and memory.
func TestHostileShapes(t *testing.T) {
	photo := readFixture(t, "d-420.jpg")
	var tinyPNG bytes.Buffer
	if err := png.Encode(&tinyPNG, image.NewGray(image.Rect(0, 0, 7, 7))); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		data    []byte
		mime    string
		want    string // substring of the error
		hashErr bool   // true: ErrNotHashable is the right answer
	}{
		{"png 100000x100000", pngDeclaring(100000, 100000), "image/png", "over the 100 MP limit", false},
		{"png 15000x15000 under a 300 MP limit", pngDeclaring(15000, 15000), "image/png", "PNG", false},
		{"jpeg SOF 65535x65535", testimg.JPEGHeader(65535, 65535), "image/jpeg", "over the 100 MP limit", false},
		{"jpeg SOF 9000x9000 no data", testimg.JPEGHeader(9000, 9000), "image/jpeg", "truncated JPEG", false},
		{"jpeg zero width", testimg.JPEGHeader(0, 100), "image/jpeg", "JPEG", false},
		{"png 7x7", tinyPNG.Bytes(), "image/png", "too small", true},
		{"png 0x5 declared", pngDeclaring(0, 5), "image/png", "PNG", false},
		{"png 0x0 declared", pngDeclaring(0, 0), "image/png", "PNG", false},
		{"truncated photo 40%", photo[:len(photo)*4/10], "image/jpeg", "truncated JPEG", false},
		{"truncated photo headers", photo[:700], "image/jpeg", "truncated JPEG", false},
		{"gif 65535x65535", append([]byte("GIF89a\xff\xff\xff\xff\x00\x00\x00"), 0x3b), "image/gif", "over the 100 MP limit", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lim := DecodeLimits{}
			if strings.Contains(tc.name, "300 MP") {
				lim.MaxPixels = 300e6
				lim.Budget = limits.NewMemoryBudget(64 << 20)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := HashImage(context.Background(), tc.data, tc.mime, 0, lim)
			el := time.Since(start)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%v in %v, %d KB allocated", err, el, alloc>>10)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.hashErr != errors.Is(err, ErrNotHashable) {
				t.Errorf("ErrNotHashable: %v, want %v", errors.Is(err, ErrNotHashable), tc.hashErr)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if el > 5*time.Second {
				t.Errorf("took %v", el)
			}
			if alloc > 600<<20 {
				t.Errorf("allocated %d MB", alloc>>20)
			}
		})
	}
}

// TestBudgetBoundsConcurrentDecodes: with a budget smaller than two decodes,
// concurrent HashImage calls never hold more than the budget.
func TestBudgetBoundsConcurrentDecodes(t *testing.T) {
	var frames [][]byte
	for _, n := range []string{"c.png", "c.bmp", "c.tiff", "c.gif", "a-420.jpg", "d-420.jpg"} {
		frames = append(frames, readFixture(t, n))
	}
	budget := limits.NewMemoryBudget(600 << 10) // c.png alone needs ~480 KB
	lim := DecodeLimits{Budget: budget}
	done := make(chan error)
	for i := 0; i < 24; i++ {
		go func(i int) {
			_, err := HashImage(context.Background(), frames[i%len(frames)], "", 0, lim)
			done <- err
		}(i)
	}
	for i := 0; i < 24; i++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	if p := budget.Peak(); p > budget.Total() {
		t.Errorf("peak %d over budget %d", p, budget.Total())
	}
	if budget.InUse() != 0 {
		t.Errorf("%d bytes still held", budget.InUse())
	}
	// One image larger than the whole budget decodes alone, up to AloneMax;
	// over it, it is refused: decoding it would go past the bound.
	small := limits.NewMemoryBudget(1 << 10)
	if _, err := HashImage(context.Background(), frames[0], "", 0, DecodeLimits{Budget: small}); err != nil {
		t.Errorf("oversize image under the alone limit: %v, want decoded alone", err)
	}
	if small.InUse() != 0 {
		t.Errorf("%d bytes still held after the decode alone", small.InUse())
	}
	if _, err := HashImage(context.Background(), frames[0], "", 0, DecodeLimits{Budget: small, AloneMax: 2 << 10}); !errors.Is(err, errOverMemoryLimit) {
		t.Errorf("oversize image over the alone limit: %v, want refused over the memory limit", err)
	}
}

func TestDecodeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := HashImage(ctx, readFixture(t, "d-420.jpg"), "image/jpeg", 0, DecodeLimits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
}

func TestThumbnail(t *testing.T) {
	img, err := ThumbnailContext(context.Background(), readFixture(t, "d-420.jpg"), "image/jpeg", 6, 100, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 63 || b.Dy() != 100 {
		t.Errorf("thumbnail of a 1024x640 photo, orientation 6, max 100: %v", b)
	}
	img, err = ThumbnailContext(context.Background(), readFixture(t, "c.png"), "image/png", 1, 1000, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 384 || b.Dy() != 256 {
		t.Errorf("thumbnail never upscales: %v", b)
	}
	if _, err := ThumbnailContext(context.Background(), []byte("nope"), "text/plain", 1, 100, DecodeLimits{}); !errors.Is(err, ErrNotHashable) {
		t.Errorf("text: %v", err)
	}
}

// The caller's MIME type decides the format; the magic numbers decide only
// when it has none or a generic one, and never make an ISO-BMFF file HEIF.
func TestFormatOfTrustsTheMIMEType(t *testing.T) {
	jpg := readFixture(t, "a-420.jpg")
	ftyp := []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")
	for _, tc := range []struct {
		data []byte
		mime string
		want imageFormat
	}{
		{jpg, "image/jpeg", fmtJPEG},
		{jpg, "", fmtJPEG},
		{jpg, "application/octet-stream", fmtJPEG},
		{testimg.TIFFDeclaring(10, 10), "image/tiff", fmtTIFF},
		{testimg.TIFFDeclaring(10, 10), "", fmtTIFF},
		{ftyp, "image/heic", fmtHEIF},
		{ftyp, "", fmtUnknown},
		{ftyp, "video/mp4", fmtUnknown},
		{[]byte("BM"), "image/bmp", fmtUnknown},
	} {
		if got := formatOf(tc.data, tc.mime); got != tc.want {
			t.Errorf("%q as %q: %s, want %s", tc.data[:min(8, len(tc.data))], tc.mime, got, tc.want)
		}
	}
}
