package jpegdc

import (
	"errors"
	"image"
	"os"
	"testing"
)

// TestTurboMatches: with -tags libjpegturbo, libjpeg-turbo's 1/8 luma equals
// ours byte for byte on the YCbCr and gray fixtures, and it refuses
// truncated data instead of filling it with grey.
func TestTurboMatches(t *testing.T) {
	if !TurboAvailable {
		if _, _, _, _, _, err := DecodeDCLumaTurbo([]byte{0xFF, 0xD8}); !errors.Is(err, ErrUnsupported) {
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
		var pix []byte
		var stride int
		switch m := img.(type) {
		case *image.YCbCr:
			pix, stride = m.Y, m.YStride
		case *image.Gray:
			pix, stride = m.Pix, m.Stride
		default:
			continue
		}
		l, w, h, fw, fh, err := DecodeDCLumaTurbo(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if w != img.Bounds().Dx() || h != img.Bounds().Dy() || fw != cfg.Width || fh != cfg.Height {
			t.Errorf("%s: turbo %dx%d of %dx%d", path, w, h, fw, fh)
			continue
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if l[y*w+x] != pix[y*stride+x] {
					t.Fatalf("%s: (%d,%d) turbo %d, ours %d", path, x, y, l[y*w+x], pix[y*stride+x])
				}
			}
		}
	}
	data, _ := os.ReadFile(fixtures + "/a-420.jpg")
	if _, _, _, _, _, err := DecodeDCLumaTurbo(data[:len(data)/2]); err == nil {
		t.Error("truncated JPEG accepted")
	}
}
