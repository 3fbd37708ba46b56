// Package jpegdc decodes JPEG images at 1/8 scale from their DC coefficients
// only: every 8x8 block becomes one pixel holding the block's mean. It is made
// for perceptual hashing and thumbnails, where a 12 MP photo is needed as a
// ~500x375 image at most.
//
// Baseline (SOF0), extended sequential (SOF1, 8-bit) and progressive (SOF2)
// JPEGs are decoded, with any subsampling image.YCbCr can represent,
// restart markers, grayscale, YCbCr, RGB and Adobe CMYK/YCCK. For sequential
// JPEGs every AC coefficient is still Huffman-decoded (there is no other way to
// find the next block) but only to skip it; for progressive JPEGs only the DC
// scans are decoded and the AC scans are skipped without decoding.
//
// Anything else (arithmetic coding, lossless, hierarchical, 12-bit, DNL,
// unusual sampling) returns an error wrapping ErrUnsupported; the caller should
// fall back to a full decoder such as image/jpeg.
//
// A JPEG whose entropy-coded data ends before every block is decoded is an
// error (*TruncatedError). A sequential JPEG that lacks only its final EOI
// marker is accepted when all its MCUs were decoded (many cameras and tools
// write such files). A progressive JPEG must reach its EOI marker: its DC
// scans come first, so a truncated progressive file would otherwise hash like
// the complete picture.
package jpegdc

import (
	"bytes"
	"encoding/binary"
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

const maxScans = 1000 // libjpeg-turbo's guard against progressive-scan DoS uses a similar bound

type component struct {
	id     byte
	h, v   int
	tq     byte
	bw, bh int     // blocks per line / column allocated (whole MCUs)
	dc     []int16 // quantized DC coefficient of every block, bw*bh
	// per-scan state
	pred    int32
	dcFirst bool // a DC first scan (Ah == 0) has covered this component
	td, ta  byte
	compW   int // component width in samples
	compH   int
	blocksW int // ceil(compW/8)
	blocksH int
}

type decoder struct {
	data       []byte
	opts       Options
	sof        byte
	width      int
	height     int
	comps      []component
	hmax, vmax int
	mcusX      int
	mcusY      int
	qt         [4][64]uint16
	qtSet      [4]bool
	dcTables   [4]huffTable
	acTables   [4]huffTable
	ri         int // restart interval in MCUs
	adobe      bool
	adobeXform byte
	jfif       bool
	nScans     int
	frameSeen  bool
	eoi        bool
}

// readSegment returns the payload of the marker segment at d.data[p:] (p
// points after the marker) and the offset after it.
func (d *decoder) segment(p int) ([]byte, int, error) {
	if p+2 > len(d.data) {
		return nil, 0, &TruncatedError{}
	}
	n := int(d.data[p])<<8 | int(d.data[p+1])
	if n < 2 {
		return nil, 0, formatError("bad marker segment length")
	}
	if p+n > len(d.data) {
		return nil, 0, &TruncatedError{}
	}
	return d.data[p+2 : p+n], p + n, nil
}

// nextMarker finds the marker at or after p, skipping fill bytes. It returns
// the marker byte and the offset just after it, or ok=false at the end of data.
func (d *decoder) nextMarker(p int, lenient bool) (byte, int, bool, error) {
	for {
		if p >= len(d.data) {
			return 0, p, false, nil
		}
		if d.data[p] != 0xFF {
			if !lenient {
				return 0, 0, false, formatError(fmt.Sprintf("expected a marker at offset %d", p))
			}
			i := bytes.IndexByte(d.data[p:], 0xFF)
			if i < 0 {
				return 0, len(d.data), false, nil
			}
			p += i
		}
		for p < len(d.data) && d.data[p] == 0xFF {
			p++
		}
		if p >= len(d.data) {
			return 0, p, false, nil
		}
		m := d.data[p]
		p++
		if m == 0 || (m >= 0xD0 && m <= 0xD7) {
			if !lenient {
				return 0, 0, false, formatError("unexpected stuffed byte or RST marker")
			}
			continue // inside entropy data being skipped
		}
		return m, p, true, nil
	}
}

// parseHeaders reads markers up to and including the first SOS (which it
// does not decode) and returns the offset of that SOS payload. With
// configOnly it stops right after the frame header.
func (d *decoder) run(configOnly bool) error {
	if len(d.data) < 2 || d.data[0] != 0xFF || d.data[1] != 0xD8 {
		return ErrNotJPEG
	}
	p := 2
	afterScan := false
	for {
		m, np, ok, err := d.nextMarker(p, afterScan)
		afterScan = false
		if err != nil {
			return err
		}
		if !ok {
			if configOnly || !d.frameSeen || d.nScans == 0 {
				return &TruncatedError{}
			}
			return nil // end of data: the caller checks completeness
		}
		p = np
		switch {
		case m == 0xD8:
			return formatError("unexpected SOI marker")
		case m == 0xD9: // EOI
			if !d.frameSeen || d.nScans == 0 {
				return formatError("no image data before EOI")
			}
			d.eoi = true
			return nil
		case m == 0x01:
			continue // TEM, no payload
		}
		seg, next, err := d.segment(p)
		if err != nil {
			return err
		}
		switch m {
		case 0xC0, 0xC1, 0xC2:
			if d.frameSeen {
				return formatError("more than one frame header")
			}
			if err := d.parseSOF(m, seg); err != nil {
				return err
			}
			if configOnly {
				return nil
			}
		case 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF:
			return unsupported(fmt.Sprintf("SOF%d (lossless, hierarchical or arithmetic coding)", m-0xC0))
		case 0xC4:
			if err := d.parseDHT(seg); err != nil {
				return err
			}
		case 0xCC:
			return unsupported("arithmetic coding conditioning (DAC)")
		case 0xDB:
			if err := d.parseDQT(seg); err != nil {
				return err
			}
		case 0xDD:
			if len(seg) != 2 {
				return formatError("bad DRI length")
			}
			d.ri = int(seg[0])<<8 | int(seg[1])
		case 0xDA:
			if !d.frameSeen {
				return formatError("scan before frame header")
			}
			d.nScans++
			if d.nScans > maxScans {
				return formatError("too many scans")
			}
			end, err := d.scan(seg, next)
			if err != nil {
				return err
			}
			if d.sof != 0xC2 && d.allSequentialDone() {
				// Sequential: everything is decoded. Accept a missing EOI.
				d.eoi = true
				return nil
			}
			next = end
			afterScan = true
		case 0xDC:
			return unsupported("DNL marker")
		case 0xE0:
			if len(seg) >= 5 && string(seg[:5]) == "JFIF\x00" {
				d.jfif = true
			}
		case 0xEE:
			if len(seg) >= 12 && string(seg[:5]) == "Adobe" {
				d.adobe = true
				d.adobeXform = seg[11]
			}
		}
		p = next
	}
}

// allSequentialDone reports whether, for a sequential JPEG, every component
// has been covered by a scan.
func (d *decoder) allSequentialDone() bool {
	for i := range d.comps {
		if !d.comps[i].dcFirst {
			return false
		}
	}
	return true
}

func (d *decoder) parseSOF(m byte, seg []byte) error {
	if len(seg) < 6 {
		return formatError("short frame header")
	}
	if seg[0] != 8 {
		return unsupported(fmt.Sprintf("%d-bit samples", seg[0]))
	}
	d.sof = m
	d.height = int(seg[1])<<8 | int(seg[2])
	d.width = int(seg[3])<<8 | int(seg[4])
	nc := int(seg[5])
	if d.width == 0 {
		return formatError("zero image width")
	}
	if d.height == 0 {
		return unsupported("image height defined by a DNL marker")
	}
	if nc != 1 && nc != 3 && nc != 4 {
		return unsupported(fmt.Sprintf("%d color components", nc))
	}
	if len(seg) != 6+3*nc {
		return formatError("bad frame header length")
	}
	d.comps = make([]component, nc)
	for i := range d.comps {
		c := &d.comps[i]
		c.id = seg[6+3*i]
		c.h = int(seg[7+3*i] >> 4)
		c.v = int(seg[7+3*i] & 15)
		c.tq = seg[8+3*i]
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 {
			return formatError("bad sampling factor")
		}
		if c.tq > 3 {
			return formatError("bad quantization table selector")
		}
		for j := 0; j < i; j++ {
			if d.comps[j].id == c.id {
				return formatError("repeated component identifier")
			}
		}
	}
	if nc == 1 {
		// A single-component image has one block per MCU whatever its factors say.
		d.comps[0].h, d.comps[0].v = 1, 1
	}
	d.hmax, d.vmax = 1, 1
	for _, c := range d.comps {
		d.hmax = max(d.hmax, c.h)
		d.vmax = max(d.vmax, c.v)
	}
	for _, c := range d.comps {
		if d.hmax%c.h != 0 || d.vmax%c.v != 0 {
			return unsupported("non-integral subsampling ratio")
		}
	}
	if nc >= 3 {
		// What image.YCbCr can represent: Cb and Cr alike, Y at full resolution.
		c0, c1, c2 := d.comps[0], d.comps[1], d.comps[2]
		if c0.h != d.hmax || c0.v != d.vmax || c1.h != c2.h || c1.v != c2.v {
			return unsupported("unusual chroma subsampling")
		}
		rh, rv := c0.h/c1.h, c0.v/c1.v
		switch [2]int{rh, rv} {
		case [2]int{1, 1}, [2]int{2, 1}, [2]int{2, 2}, [2]int{1, 2}, [2]int{4, 1}, [2]int{4, 2}:
		default:
			return unsupported("unusual chroma subsampling")
		}
		if nc == 4 && (d.comps[3].h != c0.h || d.comps[3].v != c0.v) {
			if d.comps[3].h*2 != c0.h || d.comps[3].v*2 != c0.v {
				return unsupported("unusual black channel subsampling")
			}
		}
	}
	d.mcusX = (d.width + 8*d.hmax - 1) / (8 * d.hmax)
	d.mcusY = (d.height + 8*d.vmax - 1) / (8 * d.vmax)
	for i := range d.comps {
		c := &d.comps[i]
		c.compW = (d.width*c.h + d.hmax - 1) / d.hmax
		c.compH = (d.height*c.v + d.vmax - 1) / d.vmax
		c.blocksW = (c.compW + 7) / 8
		c.blocksH = (c.compH + 7) / 8
		c.bw = d.mcusX * c.h
		c.bh = d.mcusY * c.v
	}
	d.frameSeen = true
	return nil
}

func (d *decoder) checkSize() error {
	if d.opts.MaxPixels > 0 && int64(d.width)*int64(d.height) > d.opts.MaxPixels {
		return &TooLargeError{d.width, d.height, d.opts.MaxPixels}
	}
	return nil
}

func (d *decoder) allocate() {
	for i := range d.comps {
		c := &d.comps[i]
		c.dc = make([]int16, c.bw*c.bh)
	}
}

func (d *decoder) parseDQT(seg []byte) error {
	for len(seg) > 0 {
		pq, tq := seg[0]>>4, seg[0]&15
		if tq > 3 || pq > 1 {
			return formatError("bad DQT table")
		}
		n := 64 * (1 + int(pq))
		if len(seg) < 1+n {
			return formatError("short DQT segment")
		}
		for i := 0; i < 64; i++ {
			if pq == 0 {
				d.qt[tq][i] = uint16(seg[1+i])
			} else {
				d.qt[tq][i] = uint16(seg[1+2*i])<<8 | uint16(seg[2+2*i])
			}
		}
		d.qtSet[tq] = true
		seg = seg[1+n:]
	}
	return nil
}

func (d *decoder) parseDHT(seg []byte) error {
	for len(seg) > 0 {
		if len(seg) < 17 {
			return formatError("short DHT segment")
		}
		tc, th := seg[0]>>4, seg[0]&15
		if tc > 1 || th > 3 {
			return formatError("bad DHT table class or id")
		}
		var counts [16]byte
		copy(counts[:], seg[1:17])
		total := 0
		for _, c := range counts {
			total += int(c)
		}
		if total == 0 || total > 256 || len(seg) < 17+total {
			return formatError("bad DHT symbol count")
		}
		t := &d.dcTables[th]
		if tc == 1 {
			t = &d.acTables[th]
		}
		if err := t.build(&counts, seg[17:17+total]); err != nil {
			return err
		}
		seg = seg[17+total:]
	}
	return nil
}

// scan decodes one scan whose header is seg and whose entropy-coded data
// starts at p. It returns the offset where the data ends (at the next marker).
func (d *decoder) scan(seg []byte, p int) (int, error) {
	if d.comps[0].dc == nil {
		if err := d.checkSize(); err != nil {
			return 0, err
		}
		d.allocate()
	}
	if len(seg) < 1 {
		return 0, formatError("short SOS segment")
	}
	ns := int(seg[0])
	if ns < 1 || ns > 4 || len(seg) != 4+2*ns {
		return 0, formatError("bad SOS segment")
	}
	var sc [4]*component
	for i := 0; i < ns; i++ {
		id, tables := seg[1+2*i], seg[2+2*i]
		var c *component
		for j := range d.comps {
			if d.comps[j].id == id {
				c = &d.comps[j]
			}
		}
		if c == nil {
			return 0, formatError("scan names an unknown component")
		}
		for j := 0; j < i; j++ {
			if sc[j] == c {
				return 0, formatError("scan repeats a component")
			}
		}
		c.td, c.ta = tables>>4, tables&15
		if c.td > 3 || c.ta > 3 {
			return 0, formatError("bad Huffman table selector")
		}
		sc[i] = c
	}
	ss, se := int(seg[1+2*ns]), int(seg[2+2*ns])
	ah, al := uint(seg[3+2*ns]>>4), uint(seg[3+2*ns]&15)
	progressive := d.sof == 0xC2
	if progressive {
		if ss > 63 || se > 63 || ss > se || (ss == 0 && se != 0) || (ss > 0 && ns != 1) || al > 13 || ah > 13 {
			return 0, formatError("bad progressive scan parameters")
		}
		if ss > 0 {
			// AC scan: skip its entropy data without decoding it.
			_, np, ok, err := d.nextMarker(p, true)
			if err != nil {
				return 0, err
			}
			if !ok {
				return len(d.data), nil
			}
			return np - 2, nil
		}
	} else if ss != 0 || se != 63 || ah != 0 || al != 0 {
		return 0, formatError("bad sequential scan parameters")
	}
	for i := 0; i < ns; i++ {
		c := sc[i]
		if ah == 0 && !d.dcTables[c.td].valid {
			return 0, formatError("scan uses an undefined DC Huffman table")
		}
		if !progressive && !d.acTables[c.ta].valid {
			return 0, formatError("scan uses an undefined AC Huffman table")
		}
		if ah != 0 && !c.dcFirst {
			return 0, formatError("DC refinement scan before the first DC scan")
		}
		c.pred = 0
	}

	br := bitReader{data: d.data, pos: p}
	var (
		mcusX, mcusY int
		interleaved  = ns > 1
	)
	if interleaved {
		mcusX, mcusY = d.mcusX, d.mcusY
	} else {
		mcusX, mcusY = sc[0].blocksW, sc[0].blocksH
	}
	mcu := 0
	rst := 0
	for my := 0; my < mcusY; my++ {
		if d.opts.Cancel != nil && my&15 == 0 {
			if err := d.opts.Cancel(); err != nil {
				return 0, err
			}
		}
		for mx := 0; mx < mcusX; mx++ {
			if d.ri > 0 && mcu > 0 && mcu%d.ri == 0 {
				// Restart marker expected: byte-align and consume it.
				if br.overrun() {
					return 0, &TruncatedError{my, mcusY, d.nScans}
				}
				q := br.pos
				if q+1 >= len(d.data) {
					return 0, &TruncatedError{my, mcusY, d.nScans}
				}
				if d.data[q] != 0xFF || d.data[q+1] != 0xD0+byte(rst&7) {
					return 0, formatError(fmt.Sprintf("missing RST%d marker", rst&7))
				}
				rst++
				br = bitReader{data: d.data, pos: q + 2}
				for i := 0; i < ns; i++ {
					sc[i].pred = 0
				}
			}
			mcu++
			for i := 0; i < ns; i++ {
				c := sc[i]
				var bx0, by0, nh, nv int
				if interleaved {
					bx0, by0, nh, nv = mx*c.h, my*c.v, c.h, c.v
				} else {
					bx0, by0, nh, nv = mx, my, 1, 1
				}
				dct := &d.dcTables[c.td]
				act := &d.acTables[c.ta]
				for by := by0; by < by0+nv; by++ {
					row := c.dc[by*c.bw:]
					for bx := bx0; bx < bx0+nh; bx++ {
						if br.n < 32 {
							br.refill()
						}
						if ah != 0 {
							// DC successive-approximation refinement: one raw bit.
							if br.acc>>63 != 0 {
								row[bx] |= 1 << al
							}
							br.acc <<= 1
							br.n--
							continue
						}
						s, err := br.decode(dct)
						if err != nil {
							if br.overrun() {
								return 0, &TruncatedError{my, mcusY, d.nScans}
							}
							return 0, err
						}
						if s > 15 {
							return 0, formatError("bad DC magnitude category")
						}
						c.pred += br.receiveExtend(uint(s))
						row[bx] = int16(c.pred << al)
						if progressive {
							continue
						}
						if err := skipAC(&br, act); err != nil {
							if br.overrun() {
								return 0, &TruncatedError{my, mcusY, d.nScans}
							}
							return 0, err
						}
					}
				}
			}
		}
		if br.overrun() {
			return 0, &TruncatedError{my, mcusY, d.nScans}
		}
	}
	for i := 0; i < ns; i++ {
		if ah == 0 {
			sc[i].dcFirst = true
		}
	}
	// The scan's data ends at the next marker. Bytes held in the bit buffer
	// were consumed from data; br.pos is at or before the marker.
	q := br.pos
	if q > len(d.data) {
		q = len(d.data)
	}
	return q, nil
}

// skipAC Huffman-decodes the 63 AC coefficients of one block only to find the
// block's end: each symbol's run/size advances k and its magnitude bits are
// skipped, never reconstructed.
func skipAC(br *bitReader, t *huffTable) error {
	acc, n := br.acc, br.n
	data, pos := br.data, br.pos
	for k := 1; k < 64; {
		if n < 32 {
			// Inlined bitReader.refill fast path.
			if pos+8 <= len(data) {
				w := binary.BigEndian.Uint64(data[pos:])
				if x := ^w; (x-0x0101010101010101)&^x&0x8080808080808080 == 0 {
					acc |= w >> n
					m := (64 - n) >> 3
					pos += int(m)
					n += m * 8
					goto filled
				}
			}
			br.acc, br.n, br.pos = acc, n, pos
			br.refillSlow()
			acc, n, pos = br.acc, br.n, br.pos
		}
	filled:
		if e := t.skip[acc>>(64-lookBits)]; e != 0 {
			if k+int(e>>24) < 64 {
				// Both symbols (or the only one) belong to this block.
				l := uint(e & 31)
				acc <<= l
				n -= l
				k += int(e >> 8 & 0xff)
			} else {
				l := uint(e >> 16 & 31)
				acc <<= l
				n -= l
				k += int(e >> 24)
			}
			continue
		}
		br.acc, br.n = acc, n
		rs, err := br.decode(t)
		if err != nil {
			br.pos = pos
			return err
		}
		acc, n = br.acc, br.n
		r, s := int(rs>>4), uint(rs&15)
		if s == 0 {
			if r != 15 {
				break // EOB
			}
			k += 16
			continue
		}
		acc <<= s
		n -= s
		k += r + 1
	}
	br.acc, br.n, br.pos = acc, n, pos
	return nil
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

// meanOffset is the mean of component i's samples minus 128 (clamped per
// block as a decoder would), each block weighted by how many of its 8x8
// samples lie inside the component.
func (d *decoder) meanOffset(i int) float32 {
	c := &d.comps[i]
	q := float64(d.qt[c.tq][0]) / 8
	lastW := float64(c.compW - 8*(c.blocksW-1))
	lastH := float64(c.compH - 8*(c.blocksH-1))
	var sum float64
	for y := 0; y < c.blocksH; y++ {
		row := c.dc[y*c.bw : y*c.bw+c.blocksW]
		var rs float64
		for x, v := range row {
			s := min(127, max(-128, float64(v)*q))
			if x == len(row)-1 {
				s *= lastW / 8
			}
			rs += s
		}
		if y == c.blocksH-1 {
			rs *= lastH / 8
		}
		sum += rs
	}
	return float32(sum * 64 / (float64(c.compW) * float64(c.compH)))
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

// plane converts component i's DC values to 8-bit samples: a block whose only
// coefficient is DC has the constant value DC*q/8 + 128.
func (d *decoder) plane(i int, w, h, stride int, dst []byte) {
	c := &d.comps[i]
	q := int32(d.qt[c.tq][0])
	for y := 0; y < h; y++ {
		src := c.dc[y*c.bw : y*c.bw+w]
		out := dst[y*stride : y*stride+w]
		for x, v := range src {
			p := (int32(v)*q+4)>>3 + 128
			if uint32(p) > 255 {
				if p < 0 {
					p = 0
				} else {
					p = 255
				}
			}
			out[x] = byte(p)
		}
	}
}

func (d *decoder) image() image.Image {
	w := (d.width + 7) / 8
	h := (d.height + 7) / 8
	r := image.Rect(0, 0, w, h)
	switch len(d.comps) {
	case 1:
		img := image.NewGray(r)
		d.plane(0, w, h, img.Stride, img.Pix)
		return img
	case 3:
		ycc := d.ycbcr(r)
		if d.isRGB() {
			// The three planes hold R, G and B.
			img := image.NewRGBA(r)
			d.interleave(img.Pix, img.Stride, w, h, ycc, nil, false)
			return img
		}
		return ycc
	default: // 4
		ycc := d.ycbcr(r)
		k := make([]byte, w*h)
		kc := &d.comps[3]
		kw, kh := (kc.blocksW), (kc.blocksH)
		kp := make([]byte, kw*kh)
		d.plane(3, kw, kh, kw, kp)
		for y := 0; y < h; y++ {
			sy := y * kc.v / d.vmax
			for x := 0; x < w; x++ {
				k[y*w+x] = kp[sy*kw+x*kc.h/d.hmax]
			}
		}
		img := image.NewCMYK(r)
		if d.adobeXform != 0 {
			// YCCK: YCbCr to RGB, inverted to CMY, and K inverted (as image/jpeg).
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					yi, ci := ycc.YOffset(x, y), ycc.COffset(x, y)
					rr, gg, bb := color.YCbCrToRGB(ycc.Y[yi], ycc.Cb[ci], ycc.Cr[ci])
					o := y*img.Stride + 4*x
					img.Pix[o] = rr
					img.Pix[o+1] = gg
					img.Pix[o+2] = bb
					img.Pix[o+3] = 255 - k[y*w+x]
				}
			}
			return img
		}
		d.interleave(img.Pix, img.Stride, w, h, ycc, k, true)
		return img
	}
}

// ycbcr puts the first three components in an image.YCbCr of the DC size.
func (d *decoder) ycbcr(r image.Rectangle) *image.YCbCr {
	c0, c1 := d.comps[0], d.comps[1]
	ratio := image.YCbCrSubsampleRatio444
	switch [2]int{c0.h / c1.h, c0.v / c1.v} {
	case [2]int{2, 1}:
		ratio = image.YCbCrSubsampleRatio422
	case [2]int{2, 2}:
		ratio = image.YCbCrSubsampleRatio420
	case [2]int{1, 2}:
		ratio = image.YCbCrSubsampleRatio440
	case [2]int{4, 1}:
		ratio = image.YCbCrSubsampleRatio411
	case [2]int{4, 2}:
		ratio = image.YCbCrSubsampleRatio410
	}
	img := image.NewYCbCr(r, ratio)
	d.plane(0, r.Dx(), r.Dy(), img.YStride, img.Y)
	cw, ch := img.CStride, len(img.Cb)/img.CStride
	cw = min(cw, d.comps[1].bw)
	ch = min(ch, d.comps[1].bh)
	d.plane(1, cw, ch, img.CStride, img.Cb)
	d.plane(2, cw, ch, img.CStride, img.Cr)
	return img
}

// interleave writes the three planes of ycc (and k, if set) as 4-byte pixels,
// inverted when invert is set (Adobe CMYK).
func (d *decoder) interleave(pix []byte, stride, w, h int, ycc *image.YCbCr, k []byte, invert bool) {
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			yi, ci := ycc.YOffset(x, y), ycc.COffset(x, y)
			o := y*stride + 4*x
			a, b, c, e := ycc.Y[yi], ycc.Cb[ci], ycc.Cr[ci], byte(255)
			if k != nil {
				e = k[y*w+x]
			}
			if invert {
				a, b, c, e = 255-a, 255-b, 255-c, 255-e
			}
			pix[o], pix[o+1], pix[o+2], pix[o+3] = a, b, c, e
		}
	}
}
