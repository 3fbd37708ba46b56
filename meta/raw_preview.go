package meta

import (
	"encoding/binary"

	"shoebox/processing/jpegdc"
)

// RAW preview extraction. TIFF-based camera RAW files (CR2, NEF, ARW, DNG,
// and most others) carry one or more JPEG renditions of the picture next to
// the sensor data: IFD0's strips in a CR2, JPEGInterchangeFormat of IFD0/IFD1
// or of SubIFDs in NEF/ARW, SubIFD preview strips in a DNG. We hash the
// largest of them. The walk is bounded: a fixed number of IFDs and entries,
// every offset checked against the data, no IFD visited twice.

const (
	rawMaxIFDs    = 64
	rawMaxEntries = 1024
)

type rawIFDInfo struct {
	width, height int64
	compression   int64
	stripOffsets  []int64
	stripCounts   []int64
	jifOff        int64
	jifLen        int64
}

type rawWalker struct {
	data    []byte
	bo      binary.ByteOrder
	visited map[int64]bool
	queue   []int64
	ifds    []rawIFDInfo
}

// RawPreview returns the largest JPEG (decodable by the fast decoder)
// embedded in the TIFF structure of data, if it has at least as many pixels
// as the main (IFD0) image or if the main image is not something the TIFF
// decoder handles (camera RAW compression).
func RawPreview(data []byte) ([]byte, bool) {
	if len(data) < 8 {
		return nil, false
	}
	w := rawWalker{data: data, visited: map[int64]bool{}}
	switch string(data[:2]) {
	case "II":
		w.bo = binary.LittleEndian
	case "MM":
		w.bo = binary.BigEndian
	default:
		return nil, false
	}
	if w.bo.Uint16(data[2:]) != 42 {
		return nil, false
	}
	w.queue = append(w.queue, int64(w.bo.Uint32(data[4:])))
	for len(w.queue) > 0 && len(w.ifds) < rawMaxIFDs {
		off := w.queue[0]
		w.queue = w.queue[1:]
		w.readIFD(off)
	}
	if len(w.ifds) == 0 {
		return nil, false
	}
	var best []byte
	var bestPx int64
	consider := func(off, n int64) {
		if off <= 0 || n <= 4 || off >= int64(len(data)) || n > int64(len(data))-off {
			return
		}
		j := data[off : off+n]
		if j[0] != 0xFF || j[1] != 0xD8 || j[2] != 0xFF {
			return
		}
		cfg, err := jpegdc.DecodeConfig(j)
		if err != nil {
			return // lossless sensor data (SOF3), or damaged
		}
		if px := int64(cfg.Width) * int64(cfg.Height); px > bestPx {
			best, bestPx = j, px
		}
	}
	for _, d := range w.ifds {
		if d.jifOff > 0 {
			consider(d.jifOff, d.jifLen)
		}
		if len(d.stripOffsets) > 0 && len(d.stripOffsets) == len(d.stripCounts) {
			// One JPEG may be split in contiguous strips.
			start, end := d.stripOffsets[0], d.stripOffsets[0]
			for i, o := range d.stripOffsets {
				if o != end {
					break
				}
				end = o + d.stripCounts[i]
			}
			consider(start, end-start)
		}
	}
	if best == nil {
		return nil, false
	}
	main := w.ifds[0]
	switch main.compression {
	case 0, 1, 5, 8, 32773, 32946: // uncompressed, LZW, deflate, PackBits: x/image/tiff decodes these
		if main.width*main.height > bestPx {
			return nil, false
		}
	}
	return best, true
}

func (w *rawWalker) readIFD(off int64) {
	d := w.data
	if off < 8 || off+2 > int64(len(d)) || w.visited[off] {
		return
	}
	w.visited[off] = true
	n := int64(w.bo.Uint16(d[off:]))
	if n == 0 || n > rawMaxEntries || off+2+12*n > int64(len(d)) {
		return
	}
	var info rawIFDInfo
	for i := int64(0); i < n; i++ {
		e := d[off+2+12*i : off+14+12*i]
		tag := w.bo.Uint16(e)
		switch tag {
		case 0x0100:
			info.width = w.first(e)
		case 0x0101:
			info.height = w.first(e)
		case 0x0103:
			info.compression = w.first(e)
		case 0x0111:
			info.stripOffsets = w.values(e, 64)
		case 0x0117:
			info.stripCounts = w.values(e, 64)
		case 0x0201:
			info.jifOff = w.first(e)
		case 0x0202:
			info.jifLen = w.first(e)
		case 0x014A: // SubIFDs
			w.queue = append(w.queue, w.values(e, 16)...)
		}
	}
	w.ifds = append(w.ifds, info)
	next := off + 2 + 12*n
	if next+4 <= int64(len(d)) {
		if o := int64(w.bo.Uint32(d[next:])); o != 0 {
			w.queue = append(w.queue, o)
		}
	}
}

// values reads up to limit SHORT/LONG (or IFD) values of entry e.
func (w *rawWalker) values(e []byte, limit int) []int64 {
	typ := w.bo.Uint16(e[2:])
	cnt := int64(w.bo.Uint32(e[4:]))
	var size int64
	switch typ {
	case 3:
		size = 2
	case 4, 13:
		size = 4
	default:
		return nil
	}
	if cnt <= 0 || cnt > int64(limit) {
		return nil
	}
	var p []byte
	if cnt*size <= 4 {
		p = e[8:12]
	} else {
		o := int64(w.bo.Uint32(e[8:]))
		if o < 0 || o+cnt*size > int64(len(w.data)) {
			return nil
		}
		p = w.data[o : o+cnt*size]
	}
	out := make([]int64, cnt)
	for i := range out {
		if size == 2 {
			out[i] = int64(w.bo.Uint16(p[2*i:]))
		} else {
			out[i] = int64(w.bo.Uint32(p[4*i:]))
		}
	}
	return out
}

func (w *rawWalker) first(e []byte) int64 {
	cnt := w.bo.Uint32(e[4:])
	if cnt == 0 {
		return 0
	}
	switch w.bo.Uint16(e[2:]) {
	case 3:
		if cnt <= 2 {
			return int64(w.bo.Uint16(e[8:]))
		}
		o := int64(w.bo.Uint32(e[8:]))
		if o+2 <= int64(len(w.data)) {
			return int64(w.bo.Uint16(w.data[o:]))
		}
	case 4, 13:
		if cnt == 1 {
			return int64(w.bo.Uint32(e[8:]))
		}
		o := int64(w.bo.Uint32(e[8:]))
		if o+4 <= int64(len(w.data)) {
			return int64(w.bo.Uint32(w.data[o:]))
		}
	}
	return 0
}
