package imagehash

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"shoebox/meta"
)

// HEIC/HEIF/AVIF pictures are decoded by libheif's heif-convert (Debian:
// libheif-examples), found on PATH. The pure-Go alternative,
// github.com/gen2brain/heic v0.4.5 (libheif compiled to WebAssembly, run by
// wazero), measured on this 2-core machine took 1.7 s to initialise and
// 2.5-5 s and 380-610 MB peak RSS per 12 MP HEIC: over the memory target by
// itself. heif-convert takes about 2 s and 48 MB for a 12 MP iPhone HEIC,
// and 30-150 ms and 8 MB for its 320x240 thumbnail item, which is what a
// perceptual hash and a preview need: the thumbnail is decoded whenever the
// file has one (meta.HEIFThumbnail), the whole picture only when not.

// HEIFTool is the external decoder HEIF pictures go through.
const HEIFTool = "heif-convert"

// ErrNoHEIFDecoder says heif-convert is not on PATH. It wraps ErrNotHashable:
// the scan records the reason as a note, not as an error.
var ErrNoHEIFDecoder = fmt.Errorf("%w: HEIC/HEIF pictures need %s (package libheif-examples) on this computer",
	ErrNotHashable, HEIFTool)

// DefaultHEIFTimeout bounds one heif-convert run when
// DecodeLimits.HEIFTimeout is 0; a 12 MP HEIC takes about 2 s.
const DefaultHEIFTimeout = 20 * time.Second

// maxHEIFOutput is the largest picture heif-convert may write back: a
// 100 MP JPEG at quality 90 is about 40 MB.
const maxHEIFOutput = 128 << 20

// heifToolBytes estimates heif-convert's own memory for a w x h picture,
// which counts against the budget while it runs: libheif holds the decoded
// YCbCr planes, the RGB image and the JPEG encoder's buffers. Measured peak
// RSS: 48 MB for 3024x2268 (6.9 MP), 7.5 MB for 320x240; 6 bytes a pixel
// plus 8 MB covers both.
func heifToolBytes(w, h int64) int64 { return w*h*6 + 8<<20 }

// HEIFSource is a HEIC/HEIF/AVIF file to decode.
type HEIFSource struct {
	R    io.ReaderAt // the file's bytes
	Size int64
	// Path is the file on disk, when it is one: heif-convert then reads it
	// in place when the whole picture is decoded. Without it the bytes are
	// copied to a temporary file first.
	Path string
}

// HEIFImage is a decoded HEIF picture.
type HEIFImage struct {
	// Image has the file's own rotation and mirroring applied (HEIF's irot
	// and imir, which take the place of the EXIF orientation). It is the
	// embedded thumbnail, or the whole picture, possibly at reduced scale.
	Image image.Image
	// Width and Height are the whole picture's size, as displayed.
	Width, Height int
	FromThumbnail bool // Image is the thumbnail item
}

// DecodeHEIF decodes a HEIF picture through heif-convert: its embedded
// thumbnail when it has one of at least half of minSide on its shorter side
// (upscaled at most 2x), else the whole picture, within lim (the pixel
// limit, the memory budget for heif-convert's own memory and for the decode
// of what it writes, and the time limit). Without heif-convert on PATH the
// error is ErrNoHEIFDecoder; a damaged file gives an error in words. The
// budget is given back on return.
func DecodeHEIF(ctx context.Context, src HEIFSource, minSide int, lim DecodeLimits) (HEIFImage, error) {
	d, err := decodeHEIFSource(ctx, src, minSide, lim, false)
	if err != nil {
		return HEIFImage{}, err
	}
	defer d.done()
	w, h := d.shownSize()
	return HEIFImage{Image: d.img, Width: w, Height: h, FromThumbnail: d.fullW > 0}, nil
}

// decodeHEIF decodes a HEIF file held in memory (the scan's path).
func decodeHEIF(ctx context.Context, data []byte, minSide int, lim DecodeLimits, lumaOnly bool) (decoded, error) {
	return decodeHEIFSource(ctx, HEIFSource{R: bytes.NewReader(data), Size: int64(len(data))}, minSide, lim, lumaOnly)
}

func decodeHEIFSource(ctx context.Context, src HEIFSource, minSide int, lim DecodeLimits, lumaOnly bool) (decoded, error) {
	tool, err := exec.LookPath(HEIFTool)
	if err != nil {
		return decoded{}, ErrNoHEIFDecoder
	}
	p, terr := meta.HEIFThumbnail(src.R, src.Size)
	if terr == nil && 2*min(p.ThumbWidth, p.ThumbHeight) >= minSide {
		d, err := runHEIF(ctx, tool, heifInput{data: p.Thumbnail}, int64(p.ThumbWidth), int64(p.ThumbHeight), minSide, lim, lumaOnly)
		if err == nil {
			// ispe is the size before rotation: turn it as the thumbnail turned.
			d.fullW, d.fullH = p.Width, p.Height
			if (d.width > d.height) != (p.Width > p.Height) {
				d.fullW, d.fullH = p.Height, p.Width
			}
			if d.fullW <= 0 || d.fullH <= 0 {
				d.fullW, d.fullH = d.width, d.height
			}
			return d, nil
		}
		if ctx.Err() != nil {
			return decoded{}, err
		}
		// A damaged thumbnail says nothing of the picture: decode that.
	}
	// The whole picture. A structure too damaged to give its size is not
	// handed to heif-convert: its memory could not be budgeted.
	if p.Width <= 0 || p.Height <= 0 {
		if terr != nil && !errors.Is(terr, meta.ErrNoHEIFThumbnail) {
			return decoded{}, fmt.Errorf("damaged HEIF: %w", terr)
		}
		return decoded{}, errors.New("damaged HEIF: the picture does not state its size (no ispe property)")
	}
	if int64(p.Width)*int64(p.Height) > lim.maxPixels() {
		return decoded{}, tooLarge(p.Width, p.Height, lim.maxPixels())
	}
	in := heifInput{path: src.Path}
	if in.path == "" {
		// Read the bytes back: the caller holds them in memory (a bytes.Reader)
		// or has no file of its own.
		if in.data, err = readAll(src); err != nil {
			return decoded{}, err
		}
	}
	return runHEIF(ctx, tool, in, int64(p.Width), int64(p.Height), minSide, lim, lumaOnly)
}

// readAll reads src whole (its Size was checked by the caller's file limit).
func readAll(src HEIFSource) ([]byte, error) {
	b := make([]byte, src.Size)
	if n, err := src.R.ReadAt(b, 0); int64(n) != src.Size {
		return nil, fmt.Errorf("reading the HEIF file: %w", err)
	}
	return b, nil
}

// heifInput is what heif-convert reads: a file on disk, or bytes written
// to a temporary file.
type heifInput struct {
	path string
	data []byte
}

// runHEIF runs heif-convert on in (a w x h picture) within the budget and
// the time limit, and decodes the JPEG it writes.
func runHEIF(ctx context.Context, tool string, in heifInput, w, h int64, minSide int, lim DecodeLimits, lumaOnly bool) (decoded, error) {
	release, err := acquireDecode(ctx, lim, decodeCost{bytes: heifToolBytes(w, h), what: fmt.Sprintf("%dx%d HEIF", w, h)})
	if err != nil {
		return decoded{}, err
	}
	jpg, err := convertHEIF(ctx, tool, in, lim.heifTimeout())
	release() // heif-convert has ended: its memory is back
	if err != nil {
		return decoded{}, err
	}
	d, err := decodeJPEG(ctx, jpg, minSide, lim, lumaOnly)
	if err != nil && ctx.Err() == nil {
		err = fmt.Errorf("the picture %s wrote: %w", HEIFTool, err)
	}
	return d, err
}

// convertHEIF runs heif-convert in a temporary folder and returns the JPEG
// it wrote (quality 90: hashes and previews do not see the difference).
func convertHEIF(ctx context.Context, tool string, in heifInput, timeout time.Duration) ([]byte, error) {
	dir, err := os.MkdirTemp("", "shoebox-heif-")
	if err != nil {
		return nil, fmt.Errorf("no folder for %s: %w", HEIFTool, err)
	}
	defer os.RemoveAll(dir)
	input := in.path
	if input == "" {
		input = filepath.Join(dir, "in.heic")
		if err := os.WriteFile(input, in.data, 0o600); err != nil {
			return nil, fmt.Errorf("no room for %s's input: %w", HEIFTool, err)
		}
	}
	out := filepath.Join(dir, "out.jpg")
	run, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(run, tool, "--quiet", "-q", "90", input, out)
	cmd.WaitDelay = 2 * time.Second
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &errb
	if err := cmd.Run(); err != nil {
		switch {
		case ctx.Err() != nil: // the caller's cancellation or watchdog
			return nil, ctx.Err()
		case run.Err() != nil:
			return nil, fmt.Errorf("%s took more than %s and was stopped", HEIFTool, timeout)
		}
		return nil, fmt.Errorf("damaged HEIF: %s could not read it: %s", HEIFTool, firstLine(errb.String(), err))
	}
	// A file of several top-level pictures gets one output each, numbered.
	for _, name := range []string{out, filepath.Join(dir, "out-1.jpg")} {
		fi, err := os.Stat(name)
		if err != nil {
			continue
		}
		if fi.Size() > maxHEIFOutput {
			return nil, fmt.Errorf("%s wrote a picture of %s, over the %s allowed", HEIFTool, humanBytes(fi.Size()), humanBytes(maxHEIFOutput))
		}
		return os.ReadFile(name)
	}
	return nil, fmt.Errorf("damaged HEIF: %s wrote no picture", HEIFTool)
}

// firstLine is the tool's first line of complaint, or err when it said nothing.
func firstLine(stderr string, err error) string {
	msg := strings.TrimSpace(stderr)
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if msg == "" {
		msg = err.Error()
	}
	return msg
}
