package imagehash

import (
	"context"
	"fmt"
)

// decodeHEIF would decode HEIC/HEIF/AVIF. It does not: the only pure-Go
// option, github.com/gen2brain/heic v0.4.5 (libheif compiled to WebAssembly,
// run by wazero; built with -tags nodynamic so that no system libheif is
// used), measured on this 2-core machine (under load) took 1.7 s to
// initialise, 0.6-1.1 s and 135 MB peak RSS per 2016x1512 HEIC, and
// 2.5-5 s and 380-610 MB peak RSS per 12 MP HEIC; its DecodeConfig failed on
// every file, so the pixel limit could not be checked before decoding. That
// is 20-100x the cost of a 12 MP JPEG (about 35 ms) and over the 300 MB
// memory target by itself, so HEIC files are done without a perceptual hash.
func decodeHEIF(ctx context.Context, data []byte, lim DecodeLimits) (decoded, error) {
	return decoded{}, fmt.Errorf("%w: HEIC/HEIF images are not decoded (no pure-Go decoder fast enough)", ErrNotHashable)
}
