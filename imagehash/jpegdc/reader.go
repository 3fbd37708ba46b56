package jpegdc

import (
	"bytes"
	"fmt"
)

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
	dcTables   [4]*huffTable // made as a DHT defines them: 24 KiB each
	acTables   [4]*huffTable
	ri         int // restart interval in MCUs
	adobe      bool
	adobeXform byte
	jfif       bool
	nScans     int
	frameSeen  bool
	eoi        bool
}

// segment returns the payload of the marker segment at d.data[p:] (p points
// after the marker) and the offset after it. Its two-byte length counts
// itself but not the marker (B.1.1.4).
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

// nextMarker finds the marker at or after p, skipping fill bytes (0xFF,
// B.1.1.2). It returns
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

// run reads the markers (ITU T.81 B.1.1.2, Table B.1) from SOI to EOI and
// decodes the DC coefficients of every scan on the way. With configOnly it
// stops right after the frame header. At the end of the data without EOI it
// returns nil once a scan was read: the caller checks completeness.
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
		var then afterSegment
		if p, then, err = d.markerSegment(m, seg, next, configOnly); err != nil || then == stop {
			return err
		}
		afterScan = then == afterEntropyData
	}
}

// afterSegment says how run goes on after a marker segment.
type afterSegment int

const (
	markerFollows    afterSegment = iota // a marker follows at once
	afterEntropyData                     // a scan's entropy-coded data ended: the marker is found past any stray bytes
	stop                                 // the frame header was all that was asked, or a sequential image is complete
)

// markerSegment acts on the marker segment m whose payload is seg (B.1.1.4)
// and returns the offset to read on from (next, or the end of a scan's
// entropy-coded data).
func (d *decoder) markerSegment(m byte, seg []byte, next int, configOnly bool) (int, afterSegment, error) {
	switch m {
	case 0xC0, 0xC1, 0xC2:
		if d.frameSeen {
			return 0, stop, formatError("more than one frame header")
		}
		if err := d.parseSOF(m, seg); err != nil {
			return 0, stop, err
		}
		if configOnly {
			return 0, stop, nil
		}
	case 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF:
		return 0, stop, unsupported(fmt.Sprintf("SOF%d (lossless, hierarchical or arithmetic coding)", m-0xC0))
	case 0xC4:
		if err := d.parseDHT(seg); err != nil {
			return 0, stop, err
		}
	case 0xCC:
		return 0, stop, unsupported("arithmetic coding conditioning (DAC)")
	case 0xDB:
		if err := d.parseDQT(seg); err != nil {
			return 0, stop, err
		}
	case 0xDD: // DRI, B.2.4.4
		if len(seg) != 2 {
			return 0, stop, formatError("bad DRI length")
		}
		d.ri = int(seg[0])<<8 | int(seg[1])
	case 0xDA:
		return d.startOfScan(seg, next)
	case 0xDC:
		return 0, stop, unsupported("DNL marker")
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
	return next, markerFollows, nil
}

// startOfScan decodes the scan whose header (SOS, B.2.3) is seg and whose
// entropy-coded data starts at next.
func (d *decoder) startOfScan(seg []byte, next int) (int, afterSegment, error) {
	if !d.frameSeen {
		return 0, stop, formatError("scan before frame header")
	}
	d.nScans++
	if d.nScans > maxScans {
		return 0, stop, formatError("too many scans")
	}
	end, err := d.scan(seg, next)
	if err != nil {
		return 0, stop, err
	}
	if d.sof != 0xC2 && d.allSequentialDone() {
		// Sequential: everything is decoded. Accept a missing EOI.
		d.eoi = true
		return 0, stop, nil
	}
	return end, afterEntropyData, nil
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

// parseSOF reads the frame header (B.2.2): sample precision, size and the
// components with their sampling factors and quantization tables.
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
		// A single-component image has one block per MCU whatever its factors
		// say (a non-interleaved scan, A.2.2).
		d.comps[0].h, d.comps[0].v = 1, 1
	}
	if err := d.checkSampling(); err != nil {
		return err
	}
	d.layOut()
	d.frameSeen = true
	return nil
}

// checkSampling finds the largest sampling factors and refuses the
// subsamplings the output images cannot represent.
func (d *decoder) checkSampling() error {
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
	if len(d.comps) < 3 {
		return nil
	}
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
	if len(d.comps) == 4 && (d.comps[3].h != c0.h || d.comps[3].v != c0.v) {
		if d.comps[3].h*2 != c0.h || d.comps[3].v*2 != c0.v {
			return unsupported("unusual black channel subsampling")
		}
	}
	return nil
}

// layOut sizes the MCU grid and each component: xi = ceil(X * Hi / Hmax)
// samples (A.1.1), in whole blocks, with blocks allocated for whole MCUs
// (A.2.3: an interleaved scan codes the MCUs' padding blocks too).
func (d *decoder) layOut() {
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

// parseDQT reads quantization tables (B.2.4.1): 8- or 16-bit values in
// zig-zag order; only the first, the DC quantizer, is used here.
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
