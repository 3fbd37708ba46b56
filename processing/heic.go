package processing

import (
	"context"
	"fmt"
)

// decodeHEIF would decode HEIC/HEIF/AVIF. No pure-Go decoder is used yet (see
// heic_test.go for the measurement of github.com/gen2brain/heic), so these
// files are done without a perceptual hash.
func decodeHEIF(ctx context.Context, data []byte, lim DecodeLimits) (decoded, error) {
	return decoded{}, fmt.Errorf("%w: HEIC/HEIF images are not decoded", ErrNotHashable)
}
