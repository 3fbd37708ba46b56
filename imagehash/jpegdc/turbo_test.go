package jpegdc

import (
	"errors"
	"os"
	"testing"
)

// TestTurboMatches: with -tags libjpegturbo, libjpeg-turbo's 1/8 luma equals
// ours byte for byte on the YCbCr and gray fixtures, its mean chroma is
// within 1 of ours, and it refuses truncated data instead of filling it with
// grey.
func TestTurboMatches(t *testing.T) {
	if !TurboAvailable {
		if _, _, _, err := DecodeDCLumaTurbo([]byte{0xFF, 0xD8}); !errors.Is(err, ErrUnsupported) {
			t.Errorf("stub: %v", err)
		}
		t.Skip("built without -tags libjpegturbo")
	}
	for _, path := range jpegFixtures(t) {
		data, _ := os.ReadFile(path)
		img, cfg, err := DecodeDC(data, nil)
		if err != nil {
			t.Fatal(err)
		}
		pix, stride, ok := lumaOf(img)
		if !ok {
			continue
		}
		tp, fw, fh, err := DecodeDCLumaTurbo(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		l, w, h := tp.Pix, tp.W, tp.H
		ours, _, err := DecodeDCLuma(data, nil)
		if err != nil {
			t.Fatal(err)
		}
		if abs(float64(tp.MeanCb-ours.MeanCb)) > 1 || abs(float64(tp.MeanCr-ours.MeanCr)) > 1 {
			t.Errorf("%s: turbo mean chroma %.2f %.2f, ours %.2f %.2f", path, tp.MeanCb, tp.MeanCr, ours.MeanCb, ours.MeanCr)
		}
		if w != img.Bounds().Dx() || h != img.Bounds().Dy() || fw != cfg.Width || fh != cfg.Height {
			t.Errorf("%s: turbo %dx%d of %dx%d", path, w, h, fw, fh)
			continue
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if l[y*w+x] != float32(pix[y*stride+x]) {
					t.Fatalf("%s: (%d,%d) turbo %v, ours %d", path, x, y, l[y*w+x], pix[y*stride+x])
				}
			}
		}
	}
	data, _ := os.ReadFile(fixtures + "/a-420.jpg")
	if _, _, _, err := DecodeDCLumaTurbo(data[:len(data)/2]); err == nil {
		t.Error("truncated JPEG accepted")
	}
}
