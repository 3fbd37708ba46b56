package jpegdc

import (
	"errors"
	"fmt"
	"image"
	"image/color"
)

// ErrUnsupported is wrapped by errors for valid JPEG features this decoder
// does not implement; fall back to a full decoder for those.
var ErrUnsupported = errors.New("jpegdc: unsupported JPEG feature")

// ErrNotJPEG is returned when the data does not start with a JPEG SOI marker.
var ErrNotJPEG = errors.New("not a JPEG file (no SOI marker)")

// FormatError describes a corrupt JPEG.
type FormatError string

func (e FormatError) Error() string { return "corrupt JPEG: " + string(e) }

func formatError(s string) error { return FormatError(s) }

func unsupported(s string) error { return fmt.Errorf("%w: %s", ErrUnsupported, s) }

// TruncatedError reports a JPEG whose data ends before all blocks were decoded.
type TruncatedError struct {
	RowsDecoded, Rows int // MCU rows of the scan that ran out
	Scan              int // 1-based scan number
}

func (e *TruncatedError) Error() string {
	if e.Rows == 0 {
		return "truncated JPEG: the file ends before the image data"
	}
	return fmt.Sprintf("truncated JPEG: %d of %d MCU rows decoded", e.RowsDecoded, e.Rows)
}

// Config is what the frame header says about an image.
type Config struct {
	Width, Height int
	Components    int
	Progressive   bool
	// ColorModel is color.GrayModel, color.YCbCrModel, color.RGBAModel or
	// color.CMYKModel, as for the image DecodeDC returns.
	ColorModel color.Model
}

// Options tune DecodeDC. The zero value is usable.
type Options struct {
	// MaxPixels refuses images whose header declares more pixels (0 = no limit).
	MaxPixels int64
	// Cancel, if set, is called every few MCU rows; a non-nil result stops
	// the decode and is returned.
	Cancel func() error
}

// TooLargeError is returned when the image exceeds Options.MaxPixels.
type TooLargeError struct {
	Width, Height int
	MaxPixels     int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("image is %dx%d (%.0f MP), over the %.0f MP limit",
		e.Width, e.Height, float64(e.Width)*float64(e.Height)/1e6, float64(e.MaxPixels)/1e6)
}

// DecodeConfig parses the headers up to the frame header.
func DecodeConfig(data []byte) (Config, error) {
	d := decoder{data: data}
	if err := d.run(true); err != nil {
		return Config{}, err
	}
	return d.config()
}

func (d *decoder) config() (Config, error) {
	cfg := Config{Width: d.width, Height: d.height, Components: len(d.comps), Progressive: d.sof == 0xC2}
	switch len(d.comps) {
	case 1:
		cfg.ColorModel = color.GrayModel
	case 3:
		if d.isRGB() {
			cfg.ColorModel = color.RGBAModel
		} else {
			cfg.ColorModel = color.YCbCrModel
		}
	case 4:
		cfg.ColorModel = color.CMYKModel
	}
	return cfg, nil
}

func (d *decoder) isRGB() bool {
	if d.jfif {
		return false
	}
	if d.adobe && d.adobeXform == 0 {
		return true
	}
	return d.comps[0].id == 'R' && d.comps[1].id == 'G' && d.comps[2].id == 'B'
}

// DecodeDC decodes data at 1/8 scale: the result is ceil(W/8) x ceil(H/8)
// pixels, each the mean of one 8x8 block of the full image. It is an
// *image.Gray, *image.YCbCr, *image.RGBA or *image.CMYK (Adobe conventions as
// in image/jpeg). Config describes the full-size image.
func DecodeDC(data []byte, opts *Options) (image.Image, Config, error) {
	d, err := decodeDC(data, opts)
	if err != nil {
		return nil, Config{}, err
	}
	cfg, _ := d.config()
	return d.image(), cfg, nil
}

// LumaPlane is the 1/8-scale luma plane of a JPEG with the image's mean
// colour, what a perceptual hash and its colour check need.
type LumaPlane struct {
	Pix  []float32 // row-major W x H, values 0..255
	W, H int
	// MeanCb and MeanCr are the mean BT.601 chroma of the whole image as
	// offsets from grey (-128..127; 0, 0 for grey and grayscale images).
	MeanCb, MeanCr float32
}

// DecodeDCLuma is DecodeDC for hashing: it returns the 1/8-scale luma plane
// without rounding to 8 bits. For gray and YCbCr JPEGs that is the first
// component's exact block means (DC*q/8+128, clamped) and the chroma means
// come from the chroma components' DC values, each block weighted by the
// share of it that lies inside the image; for RGB and CMYK ones, BT.601 luma
// and chroma of the DC image's colours.
func DecodeDCLuma(data []byte, opts *Options) (LumaPlane, Config, error) {
	d, err := decodeDC(data, opts)
	if err != nil {
		return LumaPlane{}, Config{}, err
	}
	cfg, _ := d.config()
	w, h := (d.width+7)/8, (d.height+7)/8
	p := LumaPlane{Pix: make([]float32, w*h), W: w, H: h}
	if len(d.comps) == 1 || (len(d.comps) == 3 && !d.isRGB()) {
		c := &d.comps[0]
		q := float32(d.qt[c.tq][0]) / 8
		for y := 0; y < h; y++ {
			src := c.dc[y*c.bw : y*c.bw+w]
			out := p.Pix[y*w : y*w+w]
			for x, v := range src {
				out[x] = min(255, max(0, float32(v)*q+128))
			}
		}
		if len(d.comps) == 3 {
			p.MeanCb, p.MeanCr = d.meanOffset(1), d.meanOffset(2)
		}
		return p, cfg, nil
	}
	img := d.image()
	var sumCb, sumCr float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			rf, gf, bf := float32(r)/257, float32(g)/257, float32(b)/257
			p.Pix[y*w+x] = 0.299*rf + 0.587*gf + 0.114*bf
			sumCb += float64(-0.168736*rf - 0.331264*gf + 0.5*bf)
			sumCr += float64(0.5*rf - 0.418688*gf - 0.081312*bf)
		}
	}
	// The DC image's edge pixels stand for partial blocks; for a mean colour
	// that difference is far below what the colour check tolerates.
	p.MeanCb, p.MeanCr = float32(sumCb/float64(w*h)), float32(sumCr/float64(w*h))
	return p, cfg, nil
}

func decodeDC(data []byte, opts *Options) (*decoder, error) {
	d := &decoder{data: data}
	if opts != nil {
		d.opts = *opts
	}
	if err := d.run(false); err != nil {
		return nil, err
	}
	for i := range d.comps {
		if !d.comps[i].dcFirst {
			if !d.eoi {
				return nil, &TruncatedError{}
			}
			return nil, formatError("a color component has no scan")
		}
	}
	if d.sof == 0xC2 && !d.eoi {
		return nil, errors.New("truncated progressive JPEG: the file ends before its last scan is complete (no EOI marker)")
	}
	if len(d.comps) == 4 && !d.adobe {
		return nil, unsupported("4-component JPEG without Adobe APP14 metadata")
	}
	for i := range d.comps {
		if !d.qtSet[d.comps[i].tq] {
			return nil, formatError("undefined quantization table")
		}
	}
	return d, nil
}
