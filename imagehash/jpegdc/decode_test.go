package jpegdc

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"shoebox/internal/testimg"
	"strings"
	"testing"
)

const fixtures = "../testdata/images"

func jpegFixtures(t testing.TB) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(fixtures, "*.jpg"))
	if err != nil || len(m) < 10 {
		t.Fatalf("fixtures missing: %v %d", err, len(m))
	}
	return m
}

// blockMeans averages img over 8x8 blocks, per RGB channel.
func blockMeans(img image.Image) (w, h int, out [][3]float64) {
	b := img.Bounds()
	w, h = (b.Dx()+7)/8, (b.Dy()+7)/8
	out = make([][3]float64, w*h)
	cnt := make([]float64, w*h)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			i := ((y-b.Min.Y)/8)*w + (x-b.Min.X)/8
			out[i][0] += float64(r >> 8)
			out[i][1] += float64(g >> 8)
			out[i][2] += float64(bb >> 8)
			cnt[i]++
		}
	}
	for i := range out {
		for c := 0; c < 3; c++ {
			out[i][c] /= cnt[i]
		}
	}
	return
}

// TestAgainstFullDecode checks every fixture: the DC image must be the 8x8
// block means of image/jpeg's full decode, up to IDCT rounding/clamping and
// chroma upsampling differences.
func TestAgainstFullDecode(t *testing.T) {
	for _, path := range jpegFixtures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			full, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				// image/jpeg cannot read every valid JPEG (e.g. progressive
				// with restart markers); use libjpeg's djpeg when present.
				full = djpeg(t, path, err)
			}
			dc, cfg, err := DecodeDC(data, nil)
			if err != nil {
				t.Fatal(err)
			}
			fb := full.Bounds()
			if cfg.Width != fb.Dx() || cfg.Height != fb.Dy() {
				t.Fatalf("config %dx%d, full %v", cfg.Width, cfg.Height, fb)
			}
			if fb := full.Bounds(); dc.Bounds() != image.Rect(0, 0, (fb.Dx()+7)/8, (fb.Dy()+7)/8) {
				t.Fatalf("DC bounds %v for %v", dc.Bounds(), fb)
			}
			if _, isPPM := full.(*image.RGBA); !isPPM && fmtType(full) != fmtType(dc) {
				t.Errorf("type %s, full decode gives %s", fmtType(dc), fmtType(full))
			}
			var sum, worst float64
			var n int
			cmp := func(got, want []float64) {
				for i := range got {
					d := math.Abs(got[i] - want[i])
					sum += d
					worst = max(worst, d)
					n++
				}
			}
			if fy, ok := full.(*image.YCbCr); ok {
				// Compare each plane with its own 8x8 block means.
				dy := dc.(*image.YCbCr)
				for _, p := range [][2]plane{
					{{fy.Y, fy.YStride, fy.Rect.Dx(), fy.Rect.Dy()}, {dy.Y, dy.YStride, dy.Rect.Dx(), dy.Rect.Dy()}},
					{{fy.Cb, fy.CStride, fy.CStride, len(fy.Cb) / fy.CStride}, {dy.Cb, dy.CStride, dy.CStride, len(dy.Cb) / dy.CStride}},
					{{fy.Cr, fy.CStride, fy.CStride, len(fy.Cr) / fy.CStride}, {dy.Cr, dy.CStride, dy.CStride, len(dy.Cr) / dy.CStride}},
				} {
					want := p[0].blockMeans()
					got := p[1].values()
					if len(got) > len(want) {
						got = got[:len(want)]
					}
					cmp(got, want[:len(got)])
				}
			} else {
				w, h, means := blockMeans(full)
				if dc.Bounds() != image.Rect(0, 0, w, h) {
					t.Fatalf("DC bounds %v, want %dx%d", dc.Bounds(), w, h)
				}
				for y := 0; y < h; y++ {
					for x := 0; x < w; x++ {
						r, g, b, _ := dc.At(x, y).RGBA()
						m := means[y*w+x]
						// Luma only: subsampled chroma blurs the 8x8 means of R, G and B.
						cmp([]float64{luma(float64(r>>8), float64(g>>8), float64(b>>8))}, []float64{luma(m[0], m[1], m[2])})
					}
				}
			}
			mean := sum / float64(n)
			t.Logf("%s %dx%d %s: mean abs diff %.2f, max %.1f", filepath.Base(path), cfg.Width, cfg.Height, fmtType(dc), mean, worst)
			limit := 1.0
			if mean > limit {
				t.Errorf("mean abs difference %.2f > %.1f", mean, limit)
			}
		})
	}
}

func fmtType(img image.Image) string {
	switch img.(type) {
	case *image.YCbCr:
		return "YCbCr"
	case *image.Gray:
		return "Gray"
	case *image.CMYK:
		return "CMYK"
	case *image.RGBA:
		return "RGBA"
	}
	return "other"
}

func TestLumaExact(t *testing.T) {
	// For a grayscale image whose blocks are flat, the DC image is exact.
	img := image.NewGray(image.Rect(0, 0, 64, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			img.Pix[y*64+x] = uint8((x/8)*30 + (y/8)*5)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	dc, _, err := DecodeDC(buf.Bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	g, ok := dc.(*image.Gray)
	if !ok {
		t.Fatalf("got %T", dc)
	}
	for y := 0; y < 6; y++ {
		for x := 0; x < 8; x++ {
			want := x*30 + y*5
			if d := int(g.GrayAt(x, y).Y) - want; d < -1 || d > 1 {
				t.Errorf("(%d,%d) = %d, want %d", x, y, g.GrayAt(x, y).Y, want)
			}
		}
	}
}

func TestTruncated(t *testing.T) {
	for _, name := range []string{"a-420.jpg", "a-rst1.jpg", "a-gray.jpg", "a-prog.jpg", "a-444.jpg"} {
		data, err := os.ReadFile(filepath.Join(fixtures, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, frac := range []float64{0.05, 0.4, 0.9, 0.995} {
			cut := data[:int(float64(len(data))*frac)]
			_, _, err := DecodeDC(cut, nil)
			if err == nil {
				t.Errorf("%s cut at %.1f%%: no error", name, frac*100)
				continue
			}
			if !strings.Contains(err.Error(), "truncated") {
				t.Errorf("%s cut at %.1f%%: error %q does not say truncated", name, frac*100, err)
			}
		}
	}
	// The row count in the message.
	data, _ := os.ReadFile(filepath.Join(fixtures, "a-420.jpg"))
	_, _, err := DecodeDC(data[:len(data)/2], nil)
	var te *TruncatedError
	if !errors.As(err, &te) || te.Rows != 20 || te.RowsDecoded < 5 || te.RowsDecoded > 15 {
		t.Errorf("half a 501x313 4:2:0 JPEG: %v (%+v)", err, te)
	}
}

func TestMissingEOI(t *testing.T) {
	for _, name := range []string{"a-420.jpg", "a-rst1.jpg", "a-gray.jpg"} {
		data, _ := os.ReadFile(filepath.Join(fixtures, name))
		if !bytes.HasSuffix(data, []byte{0xFF, 0xD9}) {
			t.Fatal("fixture lacks EOI")
		}
		want, _, err := DecodeDC(data, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := DecodeDC(data[:len(data)-2], nil)
		if err != nil {
			t.Errorf("%s without EOI: %v", name, err)
			continue
		}
		if !imagesEqual(want, got) {
			t.Errorf("%s without EOI decodes differently", name)
		}
	}
	// A progressive JPEG without EOI is refused: its AC scans may be missing.
	data, _ := os.ReadFile(filepath.Join(fixtures, "a-prog.jpg"))
	if _, _, err := DecodeDC(data[:len(data)-2], nil); err == nil {
		t.Error("progressive JPEG without EOI accepted")
	}
}

func imagesEqual(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if color.RGBAModel.Convert(a.At(x, y)) != color.RGBAModel.Convert(b.At(x, y)) {
				return false
			}
		}
	}
	return true
}

func TestConfig(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join(fixtures, "b-cmyk-prog.jpg"))
	cfg, err := DecodeConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 420 || cfg.Height != 236 || cfg.Components != 4 || !cfg.Progressive || cfg.ColorModel != color.CMYKModel {
		t.Errorf("config %+v", cfg)
	}
	std, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil || std.Width != cfg.Width || std.ColorModel != cfg.ColorModel {
		t.Errorf("image/jpeg says %+v, %v", std, err)
	}
}

// Reading the frame header makes no Huffman table the header does not
// come after (DecodeConfig runs before every decode of a scan): it made all
// eight, 196 KB, for each file, a third of what a scan allocated.
func TestConfigMakesOnlyTheTablesBeforeTheFrame(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewYCbCr(image.Rect(0, 0, 64, 48), image.YCbCrSubsampleRatio420), nil); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes() // image/jpeg writes its tables after the frame header
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const n = 100
	for range n {
		if _, err := DecodeConfig(data); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 4<<10 {
		t.Errorf("DecodeConfig allocates %d bytes a call", per)
	}
	d, err := decodeDC(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	made := 0
	for i := range 4 {
		if d.dcTables[i] != nil {
			made++
		}
		if d.acTables[i] != nil {
			made++
		}
	}
	if made != 4 { // luma and chroma, DC and AC
		t.Errorf("the decode made %d tables for a file defining 4", made)
	}
}

func TestHostileHeaders(t *testing.T) {
	// SOF declaring 65535x65535, no scan data.
	big := testimg.JPEGHeader(65535, 65535)
	if _, _, err := DecodeDC(big, &Options{MaxPixels: 100e6}); err == nil || !strings.Contains(err.Error(), "over the 100 MP limit") {
		t.Errorf("65535x65535: %v", err)
	}
	cfg, err := DecodeConfig(big)
	if err != nil || cfg.Width != 65535 {
		t.Errorf("config: %+v %v", cfg, err)
	}
	// Without a limit it must still fail fast: the data is missing.
	if _, _, err := DecodeDC(testimg.JPEGHeader(20000, 20000), nil); err == nil {
		t.Error("no error for a JPEG without scan data")
	}
	for _, b := range [][]byte{nil, {0xFF}, {0xFF, 0xD8}, {0xFF, 0xD8, 0xFF}, {0xFF, 0xD8, 0xFF, 0xD9}, []byte("<html>")} {
		if _, _, err := DecodeDC(b, nil); err == nil {
			t.Errorf("%q: no error", b)
		}
	}
}

func TestCancel(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join(fixtures, "a-420.jpg"))
	stop := errors.New("stop")
	_, _, err := DecodeDC(data, &Options{Cancel: func() error { return stop }})
	if !errors.Is(err, stop) {
		t.Errorf("cancel: %v", err)
	}
}

type plane struct {
	pix          []byte
	stride, w, h int
}

func (p plane) values() []float64 {
	out := make([]float64, 0, p.w*p.h)
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			out = append(out, float64(p.pix[y*p.stride+x]))
		}
	}
	return out
}

func (p plane) blockMeans() []float64 {
	bw, bh := (p.w+7)/8, (p.h+7)/8
	sum := make([]float64, bw*bh)
	cnt := make([]float64, bw*bh)
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			i := (y/8)*bw + x/8
			sum[i] += float64(p.pix[y*p.stride+x])
			cnt[i]++
		}
	}
	for i := range sum {
		sum[i] /= cnt[i]
	}
	return sum
}

// djpeg decodes path with libjpeg-turbo's djpeg into an RGBA image.
func djpeg(t *testing.T, path string, stdErr error) image.Image {
	t.Helper()
	bin, err := exec.LookPath("djpeg")
	if err != nil {
		t.Skipf("image/jpeg: %v; djpeg not installed", stdErr)
	}
	out, err := exec.Command(bin, "-pnm", path).Output()
	if err != nil {
		t.Fatalf("djpeg: %v", err)
	}
	// "P6\n<w> <h>\n255\n" then pixels.
	f := bytes.SplitN(out, []byte("\n"), 4)
	if len(f) != 4 || string(f[2]) != "255" {
		t.Fatalf("djpeg output header %q", out[:min(len(out), 20)])
	}
	magic := string(f[0])
	var w, h int
	if _, err := fmt.Sscanf(string(f[1]), "%d %d", &w, &h); err != nil {
		t.Fatal(err)
	}
	pix := f[3]
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		if magic == "P5" {
			img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2] = pix[i], pix[i], pix[i]
		} else {
			copy(img.Pix[4*i:], pix[3*i:3*i+3])
		}
		img.Pix[4*i+3] = 255
	}
	return img
}

func luma(r, g, b float64) float64 { return 0.299*r + 0.587*g + 0.114*b }

// TestExactAgainstLibjpeg: libjpeg-turbo's 1/8-scale decode computes each
// pixel from the DC coefficient alone, with the same rounding, so its
// grayscale output must equal our Y (or gray) plane byte for byte.
func TestExactAgainstLibjpeg(t *testing.T) {
	bin, err := exec.LookPath("djpeg")
	if err != nil {
		t.Skip("djpeg not installed")
	}
	for _, path := range jpegFixtures(t) {
		data, _ := os.ReadFile(path)
		img, _, err := DecodeDC(data, nil)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		pix, stride, ok := lumaOf(img)
		if !ok {
			continue // RGB / CMYK: djpeg -grayscale converts colours
		}
		out, err := exec.Command(bin, "-scale", "1/8", "-grayscale", "-pnm", path).Output()
		if err != nil {
			t.Fatalf("djpeg %s: %v", path, err)
		}
		f := bytes.SplitN(out, []byte("\n"), 4)
		var w, h int
		fmt.Sscanf(string(f[1]), "%d %d", &w, &h)
		b := img.Bounds()
		if w != b.Dx() || h != b.Dy() {
			t.Errorf("%s: djpeg %dx%d, we %v", path, w, h, b)
			continue
		}
		diff := 0
		for y := 0; y < h; y++ {
			if !bytes.Equal(pix[y*stride:y*stride+w], f[3][y*w:y*w+w]) {
				diff++
			}
		}
		if diff > 0 {
			t.Errorf("%s: %d of %d rows differ from libjpeg's 1/8 decode", filepath.Base(path), diff, h)
		}
	}
}

// lumaOf is the luma plane of a gray or YCbCr DC image; ok is false for RGB
// and CMYK ones.
func lumaOf(img image.Image) (pix []byte, stride int, ok bool) {
	switch m := img.(type) {
	case *image.YCbCr:
		return m.Y, m.YStride, true
	case *image.Gray:
		return m.Pix, m.Stride, true
	}
	return nil, 0, false
}
