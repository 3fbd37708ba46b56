package jpegdc

import (
	"encoding/binary"
	"unsafe"
)

// lookBits is the width of the Huffman lookahead tables. Codes (plus, for the
// AC skip table, their magnitude bits) up to this many bits are decoded with
// one table lookup.
const lookBits = 12

// huffTable is one DHT table prepared for fast decoding.
type huffTable struct {
	valid bool
	// lut[peek] = code length | symbol<<8 for codes of at most lookBits bits;
	// 0 for longer codes (slow path).
	lut [1 << lookBits]uint16
	// skip[peek] skips up to two AC coefficients at once. Bits 16-20: code
	// length + magnitude bits of the first symbol, bits 24-31: how far it
	// advances k (r+1, 16 for ZRL, 64 for EOB); bits 0-4 and 8-15: the same
	// for the first and the second symbol together, when both fit in the
	// lookahead (else equal to the first). 0 means "use lut / the slow path".
	skip [1 << lookBits]uint32
	// Canonical decoding for codes longer than lookBits.
	maxCode [17]int32 // largest code of each length, -1 if none
	valPtr  [17]int32 // index in vals of the first code of each length minus that code
	vals    [256]byte
	nVals   int
}

// HuffmanTableBytes is the memory one Huffman table takes: the decoder
// makes one for each table a DHT segment defines (C.2), when it defines it.
const HuffmanTableBytes = int64(unsafe.Sizeof(huffTable{}))

// build prepares t from the DHT counts (codes of length 1..16) and symbols:
// the canonical codes of Annex C (Figures C.1 and C.2, assigned in order of
// length), with the MAXCODE and VALPTR tables of the DECODE procedure
// (F.2.2.3, Figure F.15) for the codes the lookahead tables do not hold.
func (t *huffTable) build(counts *[16]byte, vals []byte) error {
	*t = huffTable{}
	var one [1 << lookBits]uint16 // single-symbol skip entries
	t.nVals = copy(t.vals[:], vals)
	code := int32(0)
	k := int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		if code+n > 1<<uint(l) {
			return formatError("bad Huffman table (code space overflow)")
		}
		if n == 0 {
			t.maxCode[l] = -1
		} else {
			t.valPtr[l] = k - code
			for i := int32(0); i < n; i++ {
				if l <= lookBits {
					sym := vals[k+i]
					c := code + i
					shift := uint(lookBits - l)
					lo := int(c) << shift
					hi := lo + 1<<shift
					e := uint16(l) | uint16(sym)<<8
					r, s := int(sym>>4), int(sym&15)
					var sk uint16
					switch {
					case s == 0 && r == 15:
						sk = uint16(l) | 16<<8
					case s == 0:
						sk = uint16(l) | 64<<8 // EOB (EOBn only occurs in progressive AC scans, which are never decoded)
					case l+s <= lookBits:
						sk = uint16(l+s) | uint16(r+1)<<8
					}
					for j := lo; j < hi; j++ {
						t.lut[j] = e
						one[j] = sk
					}
				}
			}
			k += n
			code += n
			t.maxCode[l] = code - 1
		}
		code <<= 1
	}
	const mask = 1<<lookBits - 1
	for p, e1 := range one {
		if e1 == 0 {
			continue
		}
		b1, k1 := uint32(e1&31), uint32(e1>>8)
		e := b1<<16 | k1<<24 | b1 | k1<<8
		if k1 < 64 {
			if e2 := one[(p<<b1)&mask]; e2 != 0 && uint32(e2&31) <= lookBits-b1 {
				e = b1<<16 | k1<<24 | (b1 + uint32(e2&31)) | (k1+uint32(e2>>8))<<8
			}
		}
		t.skip[p] = e
	}
	t.valid = true
	return nil
}

// bitReader reads the entropy-coded segment of a scan through a 64-bit
// buffer (B.1.1.5). Byte stuffing (FF 00, F.1.2.3) is removed; at a marker or at the end of the
// data it feeds zero bits and counts them in pad, so that a decoder can tell
// afterwards whether it consumed bits the file does not have.
type bitReader struct {
	data []byte
	pos  int    // next byte of data not yet in acc
	acc  uint64 // valid bits are the top n bits
	n    uint
	pad  uint // zero bits fed after the end of the segment (cumulative)
}

// refill tops acc up to at least 57 bits.
func (b *bitReader) refill() {
	if b.pos+8 <= len(b.data) {
		w := binary.BigEndian.Uint64(b.data[b.pos:])
		x := ^w
		if (x-0x0101010101010101)&^x&0x8080808080808080 == 0 { // no 0xFF byte
			b.acc |= w >> b.n
			k := (64 - b.n) >> 3
			b.pos += int(k)
			b.n += k * 8
			return
		}
	}
	b.refillSlow()
}

func (b *bitReader) refillSlow() {
	for b.n <= 56 {
		var c byte
		if b.pos < len(b.data) {
			c = b.data[b.pos]
			if c == 0xFF {
				if b.pos+1 < len(b.data) && b.data[b.pos+1] == 0 {
					b.pos += 2
				} else {
					c = 0 // a marker: stay here, feed zeros
					b.pad += 8
				}
			} else {
				b.pos++
			}
		} else {
			b.pad += 8
		}
		b.acc |= uint64(c) << (56 - b.n)
		b.n += 8
	}
}

// overrun reports whether bits beyond the end of the segment were consumed.
func (b *bitReader) overrun() bool { return b.pad > b.n }

// decode returns the next Huffman symbol (DECODE, F.2.2.3). The caller
// guarantees n >= 16.
func (b *bitReader) decode(t *huffTable) (byte, error) {
	e := t.lut[b.acc>>(64-lookBits)]
	if e != 0 {
		l := uint(e & 0xff)
		b.acc <<= l
		b.n -= l
		return byte(e >> 8), nil
	}
	return b.decodeSlow(t)
}

func (b *bitReader) decodeSlow(t *huffTable) (byte, error) {
	for l := lookBits + 1; l <= 16; l++ {
		code := int32(b.acc >> (64 - uint(l)))
		if code <= t.maxCode[l] {
			i := t.valPtr[l] + code
			if i < 0 || int(i) >= t.nVals {
				break
			}
			b.acc <<= uint(l)
			b.n -= uint(l)
			return t.vals[i], nil
		}
	}
	return 0, formatError("bad Huffman code")
}

// receiveExtend reads s bits (s <= 16, n >= s) and sign-extends them as JPEG
// magnitude categories do: RECEIVE (F.2.2.4) then EXTEND (F.2.2.1, Figure
// F.12).
func (b *bitReader) receiveExtend(s uint) int32 {
	if s == 0 {
		return 0
	}
	v := int32(b.acc >> (64 - s))
	b.acc <<= s
	b.n -= s
	if v < 1<<(s-1) {
		v += (-1 << s) + 1
	}
	return v
}

// parseDHT reads Huffman tables (B.2.4.2): class (DC or AC), destination,
// the number of codes of each length and the symbols.
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
		tables := &d.dcTables
		if tc == 1 {
			tables = &d.acTables
		}
		if tables[th] == nil {
			tables[th] = new(huffTable)
		}
		if err := tables[th].build(&counts, seg[17:17+total]); err != nil {
			return err
		}
		seg = seg[17+total:]
	}
	return nil
}
