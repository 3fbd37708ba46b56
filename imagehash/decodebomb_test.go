package imagehash

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/image/tiff"

	"shoebox/internal/testimg"
	"shoebox/limits"
)

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
	if err := tiff.Encode(&tb, testimg.Flat16(16, 16), &tiff.Options{Compression: tiff.Deflate}); err != nil {
		t.Fatal(err)
	}
	tif := tb.Bytes()
	for _, tag := range []uint16{tiffImageWidth, tiffImageLength, tiffRowsPerStrip} {
		setTIFFTag(t, tif, tag, 9990)
	}
	png16 := testimg.PNGIHDROnly(9990, 9990)
	png16[24], png16[25], png16[28] = 16, 6, 1 // 16-bit RGBA, interlaced
	binary.BigEndian.PutUint32(png16[29:], crc32.ChecksumIEEE(png16[12:29]))
	lim := DecodeLimits{Budget: limits.NewMemoryBudget(160 << 20)} // AloneMax: the default 512 MB
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
	budget := limits.NewMemoryBudget(160 << 20)
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
