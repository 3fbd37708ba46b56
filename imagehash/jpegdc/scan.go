package jpegdc

import (
	"encoding/binary"
	"fmt"
)

// scan decodes one scan whose header (B.2.3) is seg and whose entropy-coded
// data starts at p. It returns the offset where the data ends (at the next
// marker). Each block's DC difference is decoded and added to the
// component's prediction (F.2.2.1); a sequential scan's AC coefficients are
// only skipped (F.2.2.2), a progressive AC scan's data is not read at all
// (G.1.2.2). Blocks come in MCU order: interleaved, each component's h x v
// blocks per MCU (A.2.3); alone, one block at a time over the component's
// own blocks (A.2.2). This is the one function allowed over 80 lines: the
// loop is the decoder's hot path, kept whole for speed and for reading
// against the specification.
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
			// AC scan (G.1.2.2): skip its entropy data without decoding it.
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
		if ah == 0 && (d.dcTables[c.td] == nil || !d.dcTables[c.td].valid) {
			return 0, formatError("scan uses an undefined DC Huffman table")
		}
		if !progressive && (d.acTables[c.ta] == nil || !d.acTables[c.ta].valid) {
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
				// Restart marker expected (B.2.4.4): byte-align and consume
				// it; the DC predictions start again from zero.
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
				dct := d.dcTables[c.td] // nil only when unused (ah != 0)
				act := d.acTables[c.ta] // nil only when unused (progressive)
				for by := by0; by < by0+nv; by++ {
					row := c.dc[by*c.bw:]
					for bx := bx0; bx < bx0+nh; bx++ {
						if br.n < 32 {
							br.refill()
						}
						if ah != 0 {
							// DC successive-approximation refinement (G.1.2.1): one
							// raw bit.
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
						row[bx] = int16(c.pred << al) // point transform Al (G.1.2.1); 0 when sequential
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
// block's end (F.2.2.2, Figure F.13: run/size symbols, ZRL, EOB): each symbol's run/size advances k and its magnitude bits are
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
