package imagehash

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif"
	"image/jpeg"
	_ "image/png"
	"strings"
	"time"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"

	"shoebox/imagehash/jpegdc"
	"shoebox/limits"
	"shoebox/meta"
)

// ErrNotHashable says the file's format cannot be decoded for a perceptual
// hash (video, HEIC, unknown or unsupported image encodings). Such a file is
// done without a hash; it is not an error.
var ErrNotHashable = errors.New("format cannot be hashed")

// DefaultMaxPixels is the pixel limit used when DecodeLimits.MaxPixels is 0.
const DefaultMaxPixels = 100_000_000

// DecodeLimits bounds what one decode may cost.
type DecodeLimits struct {
	MaxPixels int64                // refuse images over this many pixels; 0 = DefaultMaxPixels
	Budget    *limits.MemoryBudget // shared by all workers; nil = unbounded
	// Clock is the running-time clock of the file being decoded: it stops
	// while the decode waits for Budget (memory other files hold), so that
	// the wait does not count against the file's watchdog. nil = none.
	Clock limits.Waiter
	// AloneMax is the most one decode may take when it needs more than the
	// whole Budget: it then waits until nothing else is decoding and runs
	// alone. Larger decodes are refused. 0 = DefaultAloneMax.
	AloneMax int64
	// HEIFTimeout is the most one heif-convert run may take (HEIF pictures
	// are decoded by it); 0 = DefaultHEIFTimeout.
	HEIFTimeout time.Duration
}

func (l DecodeLimits) heifTimeout() time.Duration {
	if l.HEIFTimeout <= 0 {
		return DefaultHEIFTimeout
	}
	return l.HEIFTimeout
}

// DefaultAloneMax lets a 12 MP single-strip TIFF (about 190 MB) or a 100 MP
// 8-bit PNG (about 420 MB) decode alone, and refuses a 16-bit 100 MP image
// (800 MB and more) or a decompression bomb (a 776 KB TIFF can need 3 GB).
// With it, the decoded pixels of a scan never exceed max(budget, 512 MB).
const DefaultAloneMax = 512 << 20

func (l DecodeLimits) aloneMax() int64 {
	if l.AloneMax <= 0 {
		return DefaultAloneMax
	}
	return l.AloneMax
}

func (l DecodeLimits) maxPixels() int64 {
	if l.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return l.MaxPixels
}

// imageFormat is what the content (not the name) says the data is.
type imageFormat int

const (
	fmtUnknown imageFormat = iota
	fmtJPEG
	fmtPNG
	fmtGIF
	fmtWebP
	fmtTIFF // includes TIFF-based RAW (CR2, NEF, ARW, DNG)
	fmtBMP
	fmtHEIF
)

var formatNames = [...]string{"unknown", "JPEG", "PNG", "GIF", "WebP", "TIFF", "BMP", "HEIF"}

func (f imageFormat) String() string { return formatNames[f] }

// formatOfMIME maps the MIME types mimetype gives image files to the
// formats decoded here. mimetype has no type of its own for TIFF-based camera
// RAW (CR2, NEF, ARW, DNG): they are image/tiff.
var formatOfMIME = map[string]imageFormat{
	"image/jpeg":             fmtJPEG,
	"image/png":              fmtPNG,
	"image/vnd.mozilla.apng": fmtPNG, // hashed from its first (default) image
	"image/gif":              fmtGIF,
	"image/webp":             fmtWebP,
	"image/tiff":             fmtTIFF,
	"image/bmp":              fmtBMP,
	"image/x-bmp":            fmtBMP,
	"image/x-ms-bmp":         fmtBMP,
	"image/heic":             fmtHEIF,
	"image/heic-sequence":    fmtHEIF,
	"image/heif":             fmtHEIF,
	"image/heif-sequence":    fmtHEIF,
	"image/avif":             fmtHEIF,
}

// formatOf says what data is. The MIME type the caller detected with
// mimetype decides: mimetype read the same magic numbers. The magic numbers
// are read here (sniffMagic) only where mimetype cannot tell: the caller has
// no MIME type (the fuzz targets and tests pass "", a thumbnail of a record
// stored without one) or one that names no image format (a generic
// application/octet-stream).
func formatOf(data []byte, mime string) imageFormat {
	f, ok := formatOfMIME[mime]
	if !ok {
		return sniffMagic(data)
	}
	if f == fmtBMP && len(data) < 26 {
		return fmtUnknown // too short to hold its size: nothing to decode
	}
	return f
}

// sniffMagic recognises the image formats by their magic numbers, for data
// whose MIME type is not known (see formatOf). HEIF is not among them: its
// ftyp box is shared with video, and only mimetype's brand list tells them
// apart.
func sniffMagic(data []byte) imageFormat {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return fmtJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return fmtPNG
	case bytes.HasPrefix(data, []byte("GIF87a")) || bytes.HasPrefix(data, []byte("GIF89a")):
		return fmtGIF
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return fmtWebP
	case bytes.HasPrefix(data, []byte("II*\x00")) || bytes.HasPrefix(data, []byte("MM\x00*")):
		return fmtTIFF
	case bytes.HasPrefix(data, []byte("BM")) && len(data) >= 26:
		return fmtBMP
	}
	return fmtUnknown
}

// decoded is an image decoded for hashing or a thumbnail: possibly at reduced
// scale, with the size of the full image.
type decoded struct {
	img           image.Image
	width, height int // full size, before orientation
	reduced       bool
	// luma, when set, replaces img for hashing: a lw x lh row-major luma
	// plane at reduced scale with more than 8 bits of precision.
	luma   []float64
	lw, lh int
	// meanCb and meanCr go with luma: the image's mean chroma offsets.
	meanCb, meanCr float32
	// fullW and fullH, when set, are the picture's displayed size and the
	// decode is of a smaller picture it embeds (a HEIF thumbnail item);
	// width and height then describe that smaller picture.
	fullW, fullH int
	release      func() // gives the memory back to the budget; call once when done with img
}

// shownSize is the size to report for the picture, before orientation.
func (d decoded) shownSize() (w, h int) {
	if d.fullW > 0 && d.fullH > 0 {
		return d.fullW, d.fullH
	}
	return d.width, d.height
}

func (d decoded) done() {
	if d.release != nil {
		d.release()
	}
}

// decodeReduced decodes data at the smallest scale that still gives at least
// minSide pixels on the shorter side (or the full image if that is smaller).
func decodeReduced(ctx context.Context, data []byte, mime string, minSide int, lim DecodeLimits, lumaOnly bool) (decoded, error) {
	if err := ctx.Err(); err != nil {
		return decoded{}, err
	}
	switch f := formatOf(data, mime); f {
	case fmtJPEG:
		return decodeJPEG(ctx, data, minSide, lim, lumaOnly)
	case fmtTIFF:
		if prev, ok := meta.RawPreview(data); ok {
			d, err := decodeJPEG(ctx, prev, minSide, lim, lumaOnly)
			if err != nil && !errors.Is(err, ErrNotHashable) && ctx.Err() == nil {
				err = fmt.Errorf("embedded preview: %w", err)
			}
			return d, err
		}
		return decodeStd(ctx, data, f, lim)
	case fmtWebP:
		if len(data) >= 21 && string(data[12:16]) == "VP8X" && data[20]&0x02 != 0 {
			return decoded{}, fmt.Errorf("%w: animated WebP", ErrNotHashable)
		}
		return decodeStd(ctx, data, f, lim)
	case fmtPNG, fmtGIF, fmtBMP:
		return decodeStd(ctx, data, f, lim)
	case fmtHEIF:
		return decodeHEIF(ctx, data, minSide, lim, lumaOnly)
	default:
		if mime == "" {
			mime = "unknown content"
		}
		return decoded{}, fmt.Errorf("%w (%s)", ErrNotHashable, mime)
	}
}

func tooLarge(w, h int, max int64) error { return tooLarge64(int64(w), int64(h), max) }

func tooLarge64(w, h int64, max int64) error {
	return fmt.Errorf("image is %dx%d (%.0f MP), over the %.0f MP limit",
		w, h, float64(w)*float64(h)/1e6, float64(max)/1e6)
}

// acquireDecode takes a decode's memory from the budget. A decode that needs
// more than the whole budget waits until it can run alone (MemoryBudget
// admits it when empty), up to lim.AloneMax; a larger one is refused, since
// decoding it even alone would take the process past its memory bound.
func acquireDecode(ctx context.Context, lim DecodeLimits, c decodeCost) (release func(), err error) {
	if lim.Budget != nil && c.bytes > lim.Budget.Total() && c.bytes > lim.aloneMax() {
		return nil, overMemoryLimit(c, lim.aloneMax())
	}
	return lim.Budget.Acquire(ctx, c.bytes, lim.Clock)
}

// jpegDCBytes estimates the memory of a DC-only decode: an int16 per block
// for up to four components, the luma plane as float32 and float64 (or the
// output image), and the Huffman tables a colour JPEG defines (two DC, two
// AC; a file defining all eight needs another 100 KB) with the decoder's
// smaller allocations.
func jpegDCBytes(w, h int) int64 {
	blocks := (int64(w) + 7) / 8 * ((int64(h) + 7) / 8)
	return blocks*(4*2+4+8) + 4*jpegdc.HuffmanTableBytes + 32<<10
}

// useTurbo selects the cgo libjpeg-turbo luma decode when the build has it
// (-tags libjpegturbo). Tests switch it off to compare.
var useTurbo = jpegdc.TurboAvailable

func decodeJPEG(ctx context.Context, data []byte, minSide int, lim DecodeLimits, lumaOnly bool) (decoded, error) {
	cfg, err := jpegdc.DecodeConfig(data)
	if err != nil {
		if errors.Is(err, jpegdc.ErrUnsupported) {
			return decodeStd(ctx, data, fmtJPEG, lim)
		}
		return decoded{}, jpegError(err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > lim.maxPixels() {
		return decoded{}, tooLarge(cfg.Width, cfg.Height, lim.maxPixels())
	}
	if min(cfg.Width, cfg.Height)/8 < minSide {
		// Small image: the full decode is cheap and more accurate.
		return decodeStd(ctx, data, fmtJPEG, lim)
	}
	release, err := acquireDecode(ctx, lim, decodeCost{bytes: jpegDCBytes(cfg.Width, cfg.Height),
		what: fmt.Sprintf("%dx%d JPEG", cfg.Width, cfg.Height)})
	if err != nil {
		return decoded{}, err
	}
	opts := &jpegdc.Options{MaxPixels: lim.maxPixels(), Cancel: ctx.Err}
	var (
		img   image.Image
		plane jpegdc.LumaPlane
	)
	if lumaOnly && useTurbo {
		// Optional cgo libjpeg-turbo path (build tag libjpegturbo); anything
		// it refuses goes through the pure-Go decoder, which also words the
		// errors.
		if p, _, _, terr := jpegdc.DecodeDCLumaTurbo(data); terr == nil {
			return lumaDecoded(p, cfg, release), nil
		}
	}
	if lumaOnly {
		plane, _, err = jpegdc.DecodeDCLuma(data, opts)
	} else {
		img, _, err = jpegdc.DecodeDC(data, opts)
	}
	if err != nil {
		release()
		var fe jpegdc.FormatError
		if errors.Is(err, jpegdc.ErrUnsupported) || errors.As(err, &fe) {
			// Valid JPEG features the fast path lacks, or damage that the
			// standard decoder may tolerate: let image/jpeg try.
			d, stdErr := decodeStd(ctx, data, fmtJPEG, lim)
			if stdErr == nil {
				return d, nil
			}
			if errors.Is(err, jpegdc.ErrUnsupported) {
				return decoded{}, stdErr
			}
		}
		return decoded{}, jpegError(err)
	}
	if lumaOnly {
		return lumaDecoded(plane, cfg, release), nil
	}
	return decoded{img: img, width: cfg.Width, height: cfg.Height, reduced: true, release: release}, nil
}

// lumaDecoded wraps a DC luma plane for hashing.
func lumaDecoded(p jpegdc.LumaPlane, cfg jpegdc.Config, release func()) decoded {
	d := decoded{width: cfg.Width, height: cfg.Height, reduced: true, release: release,
		luma: make([]float64, len(p.Pix)), lw: p.W, lh: p.H, meanCb: p.MeanCb, meanCr: p.MeanCr}
	for i, v := range p.Pix {
		d.luma[i] = float64(v)
	}
	return d
}

func jpegError(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var te *jpegdc.TruncatedError
	if errors.As(err, &te) || strings.HasPrefix(err.Error(), "truncated") {
		return err // already says "truncated JPEG: ..."
	}
	if errors.Is(err, jpegdc.ErrNotJPEG) {
		return fmt.Errorf("damaged JPEG: %v", err)
	}
	var fe jpegdc.FormatError
	if errors.As(err, &fe) {
		return fmt.Errorf("damaged JPEG: %s", strings.TrimPrefix(err.Error(), "corrupt JPEG: "))
	}
	return fmt.Errorf("damaged JPEG: %v", err)
}

// decodeStd decodes with the standard library / x/image decoders, after
// DecodeConfig, within the pixel limit and the memory budget.
func decodeStd(ctx context.Context, data []byte, f imageFormat, lim DecodeLimits) (d decoded, err error) {
	release := func() {}
	defer func() {
		if r := recover(); r != nil {
			d, err = decoded{}, fmt.Errorf("damaged %s: decoder failed (%v)", f, r)
		}
		if err != nil {
			release()
		}
	}()
	// The header's own size first: DecodeConfig calls a size it cannot
	// represent "unsupported", which is not what the person needs to hear.
	if w, h, ok := headerSize(data, f); ok && (w > lim.maxPixels() || h > lim.maxPixels() || w*h > lim.maxPixels()) {
		return decoded{}, tooLarge64(w, h, lim.maxPixels())
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return decoded{}, stdError(f, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return decoded{}, fmt.Errorf("damaged %s: image is %dx%d (no pixels)", f, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > lim.maxPixels() {
		return decoded{}, tooLarge(cfg.Width, cfg.Height, lim.maxPixels())
	}
	release, err = acquireDecode(ctx, lim, estimateDecode(data, f, cfg))
	if err != nil {
		release = func() {}
		return decoded{}, err
	}
	var img image.Image
	if f == fmtJPEG {
		img, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		img, _, err = image.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return decoded{}, stdError(f, err)
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return decoded{}, fmt.Errorf("damaged %s: image has no pixels", f)
	}
	return decoded{img: img, width: b.Dx(), height: b.Dy(), release: release}, nil
}

func stdError(f imageFormat, err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, image.ErrFormat):
		return fmt.Errorf("%w (%s data the decoders do not recognise)", ErrNotHashable, f)
	case strings.Contains(msg, "unsupported"):
		return fmt.Errorf("%w: %s", ErrNotHashable, msg)
	case strings.Contains(msg, "unexpected EOF") || strings.Contains(msg, "short"):
		return fmt.Errorf("truncated %s: %s", f, msg)
	}
	return fmt.Errorf("damaged %s: %s", f, msg)
}
