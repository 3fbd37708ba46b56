package meta

import (
	"bytes"

	"shoebox/imagehash/jpegdc"
)

// RAW preview extraction. TIFF-based camera RAW files (CR2, NEF, ARW, DNG,
// and most others) carry one or more JPEG renditions of the picture next to
// the sensor data: IFD0's strips in a CR2, JPEGInterchangeFormat of IFD0/IFD1
// or of SubIFDs in NEF/ARW, SubIFD preview strips in a DNG. The decoder
// hashes the largest of them, which RawPreview finds. The walk is tiff.go's
// bounded walker: a fixed number of IFDs and entries, every offset checked
// against the data, no IFD visited twice.

const rawMaxIFDs = 64

type rawIFDInfo struct {
	width, height int64
	compression   int64
	stripOffsets  []int64
	stripCounts   []int64
	jifOff        int64
	jifLen        int64
}

// RawPreview returns the largest JPEG (decodable by the fast decoder)
// embedded in the TIFF structure of data, if it has at least as many pixels
// as the main (IFD0) image or if the main image is not something the TIFF
// decoder handles (camera RAW compression).
func RawPreview(data []byte) ([]byte, bool) {
	ifds := rawIFDs(data)
	if len(ifds) == 0 {
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
	for _, d := range ifds {
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
	main := ifds[0]
	switch main.compression {
	case 0, 1, 5, 8, 32773, 32946: // uncompressed, LZW, deflate, PackBits: x/image/tiff decodes these
		if main.width*main.height > bestPx {
			return nil, false
		}
	}
	return best, true
}

// rawIFDs walks IFD0, its chain and the SubIFDs (breadth first, IFD0 first)
// and returns what each says about the images it describes. IFDs the walker
// refuses are left out.
func rawIFDs(data []byte) []rawIFDInfo {
	src, magic, ifd0, err := openTIFF(bytes.NewReader(data), 0, int64(len(data)))
	if err != nil || magic != 42 {
		return nil
	}
	var ifds []rawIFDInfo
	visited := map[uint32]bool{}
	queue := []uint32{ifd0}
	for len(queue) > 0 && len(ifds) < rawMaxIFDs {
		off := queue[0]
		queue = queue[1:]
		var info rawIFDInfo
		next, err := src.readIFD(off, visited, func(e ifdEntry) {
			switch e.Tag {
			case 0x0100:
				info.width = src.first(e)
			case 0x0101:
				info.height = src.first(e)
			case 0x0103:
				info.compression = src.first(e)
			case 0x0111:
				info.stripOffsets = src.values(e, 64)
			case 0x0117:
				info.stripCounts = src.values(e, 64)
			case 0x0201:
				info.jifOff = src.first(e)
			case 0x0202:
				info.jifLen = src.first(e)
			case 0x014A: // SubIFDs
				for _, o := range src.values(e, 16) {
					queue = append(queue, uint32(o))
				}
			}
		})
		if err != nil {
			continue
		}
		ifds = append(ifds, info)
		if next != 0 {
			queue = append(queue, next)
		}
	}
	return ifds
}

// intSize is the byte size of the unsigned integer types a RAW walk reads
// (SHORT, LONG, IFD); 0 for the others.
func intSize(typ uint16) uint64 {
	switch typ {
	case 3:
		return 2
	case 4, 13:
		return 4
	}
	return 0
}

// values reads up to limit SHORT/LONG (or IFD) values of entry e.
func (s *tiffSource) values(e ifdEntry, limit uint32) []int64 {
	size := intSize(e.Type)
	if size == 0 || e.Count > limit {
		return nil
	}
	p, err := s.value(e, 0, e.Size)
	if err != nil {
		return nil
	}
	out := make([]int64, e.Count)
	for i := range out {
		out[i] = s.uint(p[uint64(i)*size:], size)
	}
	return out
}

// first reads the first SHORT/LONG (or IFD) value of entry e.
func (s *tiffSource) first(e ifdEntry) int64 {
	size := intSize(e.Type)
	if size == 0 {
		return 0
	}
	p, err := s.value(e, 0, size)
	if err != nil {
		return 0
	}
	return s.uint(p, size)
}

func (s *tiffSource) uint(p []byte, size uint64) int64 {
	if size == 2 {
		return int64(s.order.Uint16(p))
	}
	return int64(s.order.Uint32(p))
}
