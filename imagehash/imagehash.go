package imagehash

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/bits"

	"github.com/corona10/goimagehash/etcs"
	"github.com/corona10/goimagehash/transforms"
	"golang.org/x/image/draw"
)

// ImageHashes is the image signature of one file.
type ImageHashes struct {
	// PHash is the 64-bit DCT perceptual hash as goimagehash defines it (64x64
	// luma, 2-D DCT, top-left 8x8 coefficients against their median, first
	// coefficient in the top bit); DHash the 64-bit difference hash (9x8
	// luma, bit set where a pixel is darker than its right neighbour). Both
	// come from the same 64x64 luma image, area-averaged from the decode.
	PHash, DHash uint64
	// Width and Height are the full image size after orientation.
	Width, Height int
	// LumaMean and LumaStdDev (0..255) describe the 64x64 luma image. On
	// near-uniform images (LumaStdDev below ~2: black frames, blank pages,
	// sky) both hashes are mostly noise; compare these too before calling
	// two such files duplicates.
	LumaMean, LumaStdDev float32
	// ChromaCb and ChromaCr are the image's mean BT.601 chroma as offsets
	// from grey (-128..127; 0, 0 for grey and grayscale images): the colour
	// the luma hashes cannot see.
	ChromaCb, ChromaCr float32
}

const hashSide = 64

// HashImage decodes data (the whole file) at the smallest scale that serves
// the hash and returns its signature. mime is from mimetype and decides the
// format; with "" or a generic type the magic numbers do (formatOf). orientation is
// the EXIF orientation 1..8 (0 = none) and is applied before hashing. Files
// whose format cannot be hashed return an error wrapping ErrNotHashable.
// HEIF pictures are decoded by heif-convert (DecodeHEIF), which applies
// the file's own rotation: orientation is not applied to them.
func HashImage(ctx context.Context, data []byte, mime string, orientation int, lim DecodeLimits) (ImageHashes, error) {
	orientation = ownOrientation(data, mime, orientation)
	d, err := decodeReduced(ctx, data, mime, hashSide, lim, true)
	if err != nil {
		return ImageHashes{}, err
	}
	defer d.done()
	if d.width < 8 || d.height < 8 {
		return ImageHashes{}, fmt.Errorf("%w: the image is %dx%d, too small for a perceptual hash", ErrNotHashable, d.width, d.height)
	}
	if err := ctx.Err(); err != nil {
		return ImageHashes{}, err
	}
	var luma []float64
	var cb, cr float32
	if d.luma != nil {
		// The DC plane's last column/row covers the image's last W%8 / H%8 pixels.
		luma = areaResampleExtent(d.luma, d.lw, d.lh, float64(d.width)/8, float64(d.height)/8, hashSide, hashSide)
		cb, cr = d.meanCb, d.meanCr
	} else {
		luma = areaLuma(d.img, hashSide, hashSide)
		cb, cr = meanChroma(d.img)
	}
	luma = orient(luma, hashSide, orientation)
	h := hashesFromLuma(luma)
	h.ChromaCb, h.ChromaCr = cb, cr
	h.Width, h.Height = d.shownSize()
	if orientation >= 5 && orientation <= 8 {
		h.Width, h.Height = h.Height, h.Width
	}
	return h, nil
}

// hashesFromLuma computes both hashes and the luma statistics from a 64x64
// row-major luma image (values 0..255). luma is overwritten.
func hashesFromLuma(luma []float64) ImageHashes {
	var h ImageHashes
	var sum, sq float64
	for i, v := range luma {
		// Drop float noise of the resampling (summation order), so that a
		// uniform image is exactly uniform and hashes the same everywhere.
		v = math.Round(v*1024) / 1024
		luma[i] = v
		sum += v
		sq += v * v
	}
	n := float64(len(luma))
	mean := sum / n
	h.LumaMean = float32(mean)
	h.LumaStdDev = float32(math.Sqrt(max(0, sq/n-mean*mean)))

	// dHash: 64x64 -> 9x8 by area averaging, before the DCT overwrites luma.
	d := areaResample(luma, hashSide, hashSide, 9, 8)
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			if d[y*9+x] < d[y*9+x+1] {
				h.DHash |= 1 << (63 - uint(y*8+x))
			}
		}
	}

	transforms.DCT2DFast64(&luma)
	flat := transforms.FlattenPixelsFast64(luma, 8, 8)
	for i, c := range flat {
		flat[i] = math.Round(c*1e6) / 1e6 // zero, not ±1e-13, on flat images
	}
	median := etcs.MedianOfPixelsFast64(flat)
	for i, p := range flat {
		if p > median {
			h.PHash |= 1 << (63 - uint(i))
		}
	}
	return h
}

// HammingDistance is the number of differing bits of two hashes.
func HammingDistance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// areaLuma reduces img to an ow x oh luma image by exact area averaging
// (every source pixel contributes by the fraction of it that falls in an
// output pixel). Luma is ITU-R BT.601 (Y of YCbCr images as stored).
func areaLuma(img image.Image, ow, oh int) []float64 {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	xs := spans(sw, ow)
	ys := spans(sh, oh)
	out := make([]float64, ow*oh)
	row := make([]float64, sw)
	acc := make([]float64, ow)
	yi := 0
	for sy := 0; sy < sh; sy++ {
		lumaRow(img, b.Min.Y+sy, row)
		clear(acc)
		for _, s := range xs {
			acc[s.dst] += row[s.src] * s.w
		}
		for ; yi < len(ys) && ys[yi].src == sy; yi++ {
			s := ys[yi]
			o := out[s.dst*ow : s.dst*ow+ow]
			for x, v := range acc {
				o[x] += v * s.w
			}
		}
	}
	// Each output pixel received weights summing to 1 in each direction.
	return out
}

// span is one source pixel's share of one destination pixel.
type span struct {
	src, dst int
	w        float64
}

// spans maps n source pixels onto m destination pixels: each destination
// pixel covers n/m source pixels; the weights of one destination sum to 1.
// Sorted by src.
func spans(n, m int) []span { return spansExtent(n, float64(n), m) }

// spansExtent is spans for a source whose last pixel is partial: the n
// pixels cover [0, extent), extent in (n-1, n]. A DC image of a JPEG whose
// size is not a multiple of 8 is like that.
func spansExtent(n int, extent float64, m int) []span {
	out := make([]span, 0, n+m)
	scale := extent / float64(m)
	for s := 0; s < n; s++ {
		// source pixel s covers [s, s+1) = destination [s/scale, (s+1)/scale)
		a := float64(s) / scale
		b := min(float64(s+1), extent) / scale
		for d := int(a); d < m && float64(d) < b; d++ {
			lo := max(a, float64(d))
			hi := min(b, float64(d+1))
			if hi > lo {
				out = append(out, span{s, d, (hi - lo)})
			}
		}
	}
	return out
}

// areaResample reduces a row-major sw x sh float image to dw x dh.
func areaResample(src []float64, sw, sh, dw, dh int) []float64 {
	return areaResampleExtent(src, sw, sh, float64(sw), float64(sh), dw, dh)
}

// areaResampleExtent is areaResample where the last column and row may be
// partial (see spansExtent).
func areaResampleExtent(src []float64, sw, sh int, ew, eh float64, dw, dh int) []float64 {
	xs, ys := spansExtent(sw, ew, dw), spansExtent(sh, eh, dh)
	out := make([]float64, dw*dh)
	acc := make([]float64, dw)
	yi := 0
	for sy := 0; sy < sh; sy++ {
		clear(acc)
		row := src[sy*sw : sy*sw+sw]
		for _, s := range xs {
			acc[s.dst] += row[s.src] * s.w
		}
		for ; yi < len(ys) && ys[yi].src == sy; yi++ {
			s := ys[yi]
			for x, v := range acc {
				out[s.dst*dw+x] += v * s.w
			}
		}
	}
	return out
}

// lumaRow writes the luma (0..255) of row y of img into row.
func lumaRow(img image.Image, y int, row []float64) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.YCbCr:
		p := m.Y[(y-m.Rect.Min.Y)*m.YStride:]
		for x := range row {
			row[x] = float64(p[x])
		}
	case *image.Gray:
		p := m.Pix[(y-m.Rect.Min.Y)*m.Stride:]
		for x := range row {
			row[x] = float64(p[x])
		}
	case *image.RGBA:
		p := m.Pix[(y-m.Rect.Min.Y)*m.Stride:]
		for x := range row {
			row[x] = 0.299*float64(p[4*x]) + 0.587*float64(p[4*x+1]) + 0.114*float64(p[4*x+2])
		}
	case *image.NRGBA:
		// Composite over black, as RGBA() does.
		p := m.Pix[(y-m.Rect.Min.Y)*m.Stride:]
		for x := range row {
			a := float64(p[4*x+3]) / 255
			row[x] = a * (0.299*float64(p[4*x]) + 0.587*float64(p[4*x+1]) + 0.114*float64(p[4*x+2]))
		}
	case *image.CMYK:
		p := m.Pix[(y-m.Rect.Min.Y)*m.Stride:]
		for x := range row {
			r, g, bb := color.CMYKToRGB(p[4*x], p[4*x+1], p[4*x+2], p[4*x+3])
			row[x] = 0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bb)
		}
	case *image.Paletted:
		var lut [256]float64
		for i, c := range m.Palette {
			r, g, bb, _ := c.RGBA()
			lut[i] = (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bb)) / 257
		}
		p := m.Pix[(y-m.Rect.Min.Y)*m.Stride:]
		for x := range row {
			row[x] = lut[p[x]]
		}
	default:
		for x := range row {
			r, g, bb, _ := img.At(b.Min.X+x, y).RGBA()
			row[x] = (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bb)) / 257
		}
	}
}

// orient applies EXIF orientation o to a square s x s row-major image.
func orient(p []float64, s, o int) []float64 {
	if o <= 1 || o > 8 {
		return p
	}
	out := make([]float64, len(p))
	n := s - 1
	for y := 0; y < s; y++ {
		for x := 0; x < s; x++ {
			var sx, sy int // source of displayed pixel (x, y)
			switch o {
			case 2:
				sx, sy = n-x, y
			case 3:
				sx, sy = n-x, n-y
			case 4:
				sx, sy = x, n-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, n-x
			case 7:
				sx, sy = n-y, n-x
			case 8:
				sx, sy = n-y, x
			}
			out[y*s+x] = p[sy*s+sx]
		}
	}
	return out
}

// ThumbnailContext decodes data at the smallest scale that gives maxSide
// pixels on the longer side, applies the EXIF orientation and scales it to
// fit in maxSide x maxSide. The result is an *image.RGBA. ctx cancels the
// decode (where practical) and the wait for the memory budget. HEIF
// pictures are decoded as ThumbnailHEIF decodes them.
func ThumbnailContext(ctx context.Context, data []byte, mime string, orientation, maxSide int, lim DecodeLimits) (image.Image, error) {
	if maxSide < 1 {
		return nil, fmt.Errorf("thumbnail size %d", maxSide)
	}
	// The DC image (1/8 scale) serves when its longer side reaches maxSide;
	// decodeReduced works on the shorter side, so ask for the equivalent.
	d, err := decodeForThumbnail(ctx, data, mime, maxSide, lim)
	if err != nil {
		return nil, err
	}
	defer d.done()
	return fitThumbnail(d, ownOrientation(data, mime, orientation), maxSide)
}

// ThumbnailHEIF is ThumbnailContext for a HEIF file read from src: its
// embedded thumbnail when that is at least half the size asked, else the
// whole picture (DecodeHEIF), with the file's own rotation.
func ThumbnailHEIF(ctx context.Context, src HEIFSource, maxSide int, lim DecodeLimits) (image.Image, error) {
	if maxSide < 1 {
		return nil, fmt.Errorf("thumbnail size %d", maxSide)
	}
	d, err := decodeHEIFSource(ctx, src, maxSide*3/4, lim, false)
	if err != nil {
		return nil, err
	}
	defer d.done()
	return fitThumbnail(d, 1, maxSide)
}

// ownOrientation is the orientation to apply to a decode of data: none for
// HEIF, whose decoder applies the file's rotation and mirroring (irot,
// imir), which HEIF puts in the place of the EXIF orientation.
func ownOrientation(data []byte, mime string, orientation int) int {
	if formatOf(data, mime) == fmtHEIF {
		return 1
	}
	return orientation
}

// fitThumbnail scales a decode to fit in maxSide x maxSide and orients it.
func fitThumbnail(d decoded, orientation, maxSide int) (image.Image, error) {
	src := d.img
	sb := src.Bounds()
	if sb.Dx() < 1 || sb.Dy() < 1 {
		return nil, fmt.Errorf("damaged image: no pixels")
	}
	// Display size (after orientation) of the decoded image, fitted.
	dw, dh := d.width, d.height
	if orientation >= 5 && orientation <= 8 {
		dw, dh = dh, dw
	}
	scale := math.Min(1, float64(maxSide)/float64(max(dw, dh)))
	tw := max(1, int(math.Round(float64(dw)*scale)))
	th := max(1, int(math.Round(float64(dh)*scale)))
	// Scale in source orientation, then rotate the small result.
	sw, sh := tw, th
	if orientation >= 5 && orientation <= 8 {
		sw, sh = th, tw
	}
	small := image.NewRGBA(image.Rect(0, 0, sw, sh))
	draw.ApproxBiLinear.Scale(small, small.Bounds(), src, sb, draw.Src, nil)
	return orientRGBA(small, orientation), nil
}

func decodeForThumbnail(ctx context.Context, data []byte, mime string, maxSide int, lim DecodeLimits) (decoded, error) {
	// The shorter side of the DC image must be at least maxSide * short/long;
	// without the configuration at hand, asking for maxSide on the shorter
	// side is safe (at most slightly more decode work for small images).
	return decodeReduced(ctx, data, mime, maxSide*3/4, lim, false)
}

// orientRGBA applies EXIF orientation o to img.
func orientRGBA(img *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return img
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			}
			copy(out.Pix[y*out.Stride+4*x:y*out.Stride+4*x+4], img.Pix[sy*img.Stride+4*sx:])
		}
	}
	return out
}
