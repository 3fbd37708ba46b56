package meta

import (
	"encoding/binary"
	"fmt"
	"io"
)

// A bounded, validating walker for the TIFF structure that carries EXIF.
//
// goexif trusts every length it reads: a 140-byte TIFF can make it allocate
// 16 GiB (count × type size overflows uint32), an IFD chain that cycles makes
// it loop forever, and its maker-note and thumbnail code panics on short data.
// So no untrusted byte reaches goexif. This walker reads the IFDs through an
// io.ReaderAt, checks every entry (known type, count × size in bounds, offsets
// in bounds, no IFD visited twice, caps on entries and directories) and keeps
// only the few tags the timestamp analysis needs. exifPayload then writes those
// validated tags into a small, well-formed TIFF of its own, and that payload is
// what goexif decodes (see exif.go).

const (
	tiffMaxEntries   = 1000 // entries in one IFD; real IFD0/Exif IFDs have < 100
	tiffMaxChainIFDs = 16   // IFD0, IFD1, … followed for validation
	tiffMaxStringLen = 256  // longest ASCII value we read (dates are 20 bytes)
)

// tiffTypeSize is the byte size of each TIFF field type (0 = unknown type).
var tiffTypeSize = [...]uint64{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4}

const (
	tagMake               = 0x010F
	tagModel              = 0x0110
	tagOrientation        = 0x0112
	tagDateTime           = 0x0132
	tagExifIFD            = 0x8769
	tagDateTimeOriginal   = 0x9003
	tagDateTimeDigitized  = 0x9004
	tagOffsetTime         = 0x9010
	tagOffsetTimeOriginal = 0x9011
	tagOffsetTimeDigit    = 0x9012
	tagSubSecTime         = 0x9290
	tagSubSecTimeOriginal = 0x9291
	tagSubSecTimeDigit    = 0x9292
)

// tiffWanted lists the tags the walker keeps, per directory.
var tiffWantedIFD0 = map[uint16]bool{tagMake: true, tagModel: true, tagOrientation: true, tagDateTime: true}
var tiffWantedExif = map[uint16]bool{
	tagDateTimeOriginal: true, tagDateTimeDigitized: true,
	tagOffsetTime: true, tagOffsetTimeOriginal: true, tagOffsetTimeDigit: true,
	tagSubSecTime: true, tagSubSecTimeOriginal: true, tagSubSecTimeDigit: true,
}

// tiffField is one validated IFD entry the analysis wants, with its value bytes.
type tiffField struct {
	Tag   uint16
	Type  uint16
	Count uint32
	Value []byte // count × type size bytes, in the file's byte order
}

// tiffTags is what walkTIFF found.
type tiffTags struct {
	Order binary.ByteOrder
	IFD0  map[uint16]tiffField
	Exif  map[uint16]tiffField
}

// tiffSource is a bounded window [base, base+size) of a reader holding a TIFF.
type tiffSource struct {
	r     io.ReaderAt
	base  int64
	size  int64
	order binary.ByteOrder
}

func (s *tiffSource) read(off, n uint64) ([]byte, error) {
	if n > uint64(s.size) || off > uint64(s.size)-n {
		return nil, fmt.Errorf("offset %d+%d beyond the %d-byte EXIF data", off, n, s.size)
	}
	b := make([]byte, n)
	if _, err := s.r.ReadAt(b, s.base+int64(off)); err != nil {
		return nil, fmt.Errorf("read at %d: %v", off, err)
	}
	return b, nil
}

// walkTIFF validates the TIFF at [base, base+size) of r and returns the wanted
// tags. Problems are malformations worth telling (informational); err is set
// when nothing usable could be read at all.
func walkTIFF(r io.ReaderAt, base, size int64) (t *tiffTags, problems []string, err error) {
	if size < 8 {
		return nil, nil, fmt.Errorf("EXIF: TIFF header truncated")
	}
	src := &tiffSource{r: r, base: base, size: size}
	hdr, err := src.read(0, 8)
	if err != nil {
		return nil, nil, fmt.Errorf("EXIF: %v", err)
	}
	switch string(hdr[:2]) {
	case "II":
		src.order = binary.LittleEndian
	case "MM":
		src.order = binary.BigEndian
	default:
		return nil, nil, fmt.Errorf("EXIF: not a TIFF byte order mark")
	}
	switch src.order.Uint16(hdr[2:]) {
	case 42, 0x4F52, 0x5352, 0x55: // TIFF, Olympus ORF (two forms), Panasonic RW2
	default:
		return nil, nil, fmt.Errorf("EXIF: bad TIFF magic number")
	}
	t = &tiffTags{Order: src.order, IFD0: map[uint16]tiffField{}, Exif: map[uint16]tiffField{}}
	visited := map[uint32]bool{}
	ifd0 := src.order.Uint32(hdr[4:])
	want0 := map[uint16]bool{}
	for k := range tiffWantedIFD0 {
		want0[k] = true
	}
	for k := range tiffWantedExif {
		want0[k] = true
	}
	next, exifPtr, probs, err := src.readIFD(ifd0, visited, want0, t.IFD0, true)
	problems = append(problems, probs...)
	if err != nil {
		return nil, problems, fmt.Errorf("EXIF: IFD0: %v", err)
	}
	// Follow the IFD chain only to validate it (goexif would, and loop on a cycle).
	for n := 1; next != 0; n++ {
		if n >= tiffMaxChainIFDs {
			problems = append(problems, fmt.Sprintf("EXIF: more than %d IFDs in the chain, rest ignored", tiffMaxChainIFDs))
			break
		}
		var e error
		next, _, probs, e = src.readIFD(next, visited, nil, nil, false)
		problems = append(problems, probs...)
		if e != nil {
			problems = append(problems, fmt.Sprintf("EXIF: IFD%d: %v", n, e))
			break
		}
	}
	if exifPtr != 0 {
		_, _, probs, e := src.readIFD(exifPtr, visited, tiffWantedExif, t.Exif, false)
		problems = append(problems, probs...)
		if e != nil {
			problems = append(problems, fmt.Sprintf("EXIF: Exif IFD: %v", e))
		}
	}
	// Some writers put Exif-IFD tags (DateTimeOriginal, …) in IFD0: use them
	// when the Exif IFD lacks them.
	for tag, f := range t.IFD0 {
		if tiffWantedExif[tag] {
			if _, ok := t.Exif[tag]; !ok {
				t.Exif[tag] = f
			}
			delete(t.IFD0, tag)
		}
	}
	return t, problems, nil
}

// readIFD validates one IFD at off and stores the wanted fields into keep.
// It returns the offset of the next IFD and, when findExif, the Exif IFD pointer.
func (s *tiffSource) readIFD(off uint32, visited map[uint32]bool, want map[uint16]bool, keep map[uint16]tiffField, findExif bool) (next, exifPtr uint32, problems []string, err error) {
	if off < 8 {
		return 0, 0, nil, fmt.Errorf("IFD offset %d inside the header", off)
	}
	if uint64(off)+2 > uint64(s.size) {
		return 0, 0, nil, fmt.Errorf("IFD offset out of range")
	}
	if visited[off] {
		return 0, 0, nil, fmt.Errorf("IFD at %d visited twice (cycle)", off)
	}
	visited[off] = true
	nb, err := s.read(uint64(off), 2)
	if err != nil {
		return 0, 0, nil, err
	}
	n := uint64(s.order.Uint16(nb))
	if n == 0 {
		return 0, 0, nil, fmt.Errorf("empty IFD")
	}
	if n > tiffMaxEntries {
		return 0, 0, nil, fmt.Errorf("IFD has %d entries (more than %d)", n, tiffMaxEntries)
	}
	start := uint64(off) + 2
	if start+12*n > uint64(s.size) {
		return 0, 0, nil, fmt.Errorf("IFD entries run past the end of the data")
	}
	ents, err := s.read(start, 12*n)
	if err != nil {
		return 0, 0, nil, err
	}
	if nx, e := s.read(start+12*n, 4); e == nil {
		next = s.order.Uint32(nx)
	} // a missing next-IFD pointer is treated as the end of the chain
	for i := uint64(0); i < n; i++ {
		e := ents[12*i : 12*i+12]
		tag := s.order.Uint16(e[0:])
		typ := s.order.Uint16(e[2:])
		count := s.order.Uint32(e[4:])
		if int(typ) >= len(tiffTypeSize) || tiffTypeSize[typ] == 0 {
			problems = append(problems, fmt.Sprintf("EXIF: tag 0x%04X has unknown type %d", tag, typ))
			continue
		}
		if count == 0 {
			continue
		}
		total := uint64(count) * tiffTypeSize[typ] // cannot overflow: < 2^36
		var valOff uint64
		inline := total <= 4
		if !inline {
			valOff = uint64(s.order.Uint32(e[8:]))
			if valOff+total > uint64(s.size) {
				problems = append(problems, fmt.Sprintf("EXIF: tag 0x%04X value (%d bytes at %d) out of range", tag, total, valOff))
				continue
			}
		}
		if findExif && tag == tagExifIFD {
			if (typ == 4 || typ == 13) && count == 1 {
				exifPtr = s.order.Uint32(e[8:])
			} else {
				problems = append(problems, "EXIF: Exif IFD pointer has a bad type")
			}
			continue
		}
		if !want[tag] {
			continue
		}
		if total > tiffMaxStringLen {
			problems = append(problems, fmt.Sprintf("EXIF: tag 0x%04X value too long (%d bytes)", tag, total))
			continue
		}
		var val []byte
		if inline {
			val = append([]byte(nil), e[8:8+total]...)
		} else {
			val, err = s.read(valOff, total)
			if err != nil {
				problems = append(problems, fmt.Sprintf("EXIF: tag 0x%04X: %v", tag, err))
				continue
			}
		}
		keep[tag] = tiffField{Tag: tag, Type: typ, Count: count, Value: val}
	}
	return next, exifPtr, problems, nil
}

// tiffASCII returns an ASCII/UNDEFINED field as a string cut at the first NUL.
func tiffASCII(f tiffField) (string, bool) {
	if f.Type != 2 && f.Type != 7 && f.Type != 1 {
		return "", false
	}
	b := f.Value
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	return string(b), true
}

// tiffUint returns the first value of a BYTE/SHORT/LONG field.
func tiffUint(f tiffField, order binary.ByteOrder) (uint32, bool) {
	switch f.Type {
	case 1:
		return uint32(f.Value[0]), true
	case 3:
		return uint32(order.Uint16(f.Value)), true
	case 4:
		return order.Uint32(f.Value), true
	}
	return 0, false
}
