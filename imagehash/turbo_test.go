package imagehash

import (
	"context"
	"path/filepath"
	"testing"

	"shoebox/imagehash/jpegdc"
)

// TestTurboHashesAgree: built with -tags libjpegturbo (make test runs it
// so), HashImage through libjpeg-turbo gives the same signature as the
// default pure-Go path on every JPEG fixture large enough for the 1/8 decode:
// pHash within 2 bits, dHash within 4, mean colour within 1.
func TestTurboHashesAgree(t *testing.T) {
	if !jpegdc.TurboAvailable {
		t.Skip("built without -tags libjpegturbo")
	}
	paths, err := filepath.Glob(filepath.Join(imgFixtures, "*.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	compared := 0
	for _, p := range paths {
		data := readFixture(t, filepath.Base(p))
		cfg, err := jpegdc.DecodeConfig(data)
		if err != nil || min(cfg.Width, cfg.Height)/8 < hashSide || cfg.Components == 4 {
			continue // full decode or CMYK: turbo is not used
		}
		useTurbo = true
		fast, err1 := HashImage(ctx, data, "image/jpeg", 0, DecodeLimits{})
		useTurbo = false
		pure, err2 := HashImage(ctx, data, "image/jpeg", 0, DecodeLimits{})
		useTurbo = jpegdc.TurboAvailable
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v / %v", p, err1, err2)
		}
		compared++
		if HammingDistance(fast.PHash, pure.PHash) > 2 || HammingDistance(fast.DHash, pure.DHash) > 4 ||
			!near(fast.ChromaCb, pure.ChromaCb, 1) || !near(fast.ChromaCr, pure.ChromaCr, 1) {
			t.Errorf("%s: turbo %+v, pure Go %+v", p, fast, pure)
		}
	}
	if compared < 3 {
		t.Fatalf("only %d fixtures take the 1/8 path", compared)
	}
}
