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
// only the few tags the timestamp analysis needs. exifPayload then copies those
// validated tags into a small, well-formed TIFF of its own, and that payload is
// what goexif decodes (see exif.go).
//
// It is the one TIFF walker of the code base: RawPreview (raw_preview.go)
// walks the IFDs of camera RAW files with it too.

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
	tagBodySerial         = 0xA431 // EXIF 2.3 BodySerialNumber, in the Exif IFD
	tagCameraSerial       = 0xC62F // CameraSerialNumber (DNG, and some cameras), in IFD0
)

// tiffWanted lists the tags the walker keeps, per directory.
var tiffWantedIFD0 = map[uint16]bool{tagMake: true, tagModel: true, tagOrientation: true, tagDateTime: true, tagCameraSerial: true}
var tiffWantedExif = map[uint16]bool{
	tagDateTimeOriginal: true, tagDateTimeDigitized: true,
	tagOffsetTime: true, tagOffsetTimeOriginal: true, tagOffsetTimeDigit: true,
	tagSubSecTime: true, tagSubSecTimeOriginal: true, tagSubSecTimeDigit: true,
	tagBodySerial: true,
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
	// ContentID is Apple's Live Photo identifier from the maker note, ""
	// when there is none (see apple.go).
	ContentID string
}

// tiffSource is a bounded window [base, base+size) of a reader holding a TIFF.
// Malformations found while walking it are collected in problems.
type tiffSource struct {
	r        io.ReaderAt
	base     int64
	size     int64
	order    binary.ByteOrder
	problems []string
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

func (s *tiffSource) problem(format string, args ...any) {
	s.problems = append(s.problems, fmt.Sprintf(format, args...))
}

// openTIFF reads the TIFF header at [base, base+size) of r: the byte order,
// the magic number and the offset of IFD0.
func openTIFF(r io.ReaderAt, base, size int64) (src *tiffSource, magic uint16, ifd0 uint32, err error) {
	if size < 8 {
		return nil, 0, 0, fmt.Errorf("TIFF header truncated")
	}
	src = &tiffSource{r: r, base: base, size: size}
	hdr, err := src.read(0, 8)
	if err != nil {
		return nil, 0, 0, err
	}
	switch string(hdr[:2]) {
	case "II":
		src.order = binary.LittleEndian
	case "MM":
		src.order = binary.BigEndian
	default:
		return nil, 0, 0, fmt.Errorf("not a TIFF byte order mark")
	}
	return src, src.order.Uint16(hdr[2:]), src.order.Uint32(hdr[4:]), nil
}

// walkTIFF validates the TIFF at [base, base+size) of r and returns the wanted
// tags. Problems are malformations worth telling (informational); err is set
// when nothing usable could be read at all.
func walkTIFF(r io.ReaderAt, base, size int64) (t *tiffTags, problems []string, err error) {
	src, magic, ifd0, err := openTIFF(r, base, size)
	if err != nil {
		return nil, nil, fmt.Errorf("EXIF: %v", err)
	}
	switch magic {
	case 42, 0x4F52, 0x5352, 0x55: // TIFF, Olympus ORF (two forms), Panasonic RW2
	default:
		return nil, nil, fmt.Errorf("EXIF: bad TIFF magic number")
	}
	t = &tiffTags{Order: src.order, IFD0: map[uint16]tiffField{}, Exif: map[uint16]tiffField{}}
	visited := map[uint32]bool{}
	want0 := map[uint16]bool{}
	for k := range tiffWantedIFD0 {
		want0[k] = true
	}
	for k := range tiffWantedExif {
		want0[k] = true
	}
	var exifPtr uint32
	next, err := src.readIFD(ifd0, visited, src.keep(want0, t.IFD0, &exifPtr))
	if err != nil {
		return nil, src.problems, fmt.Errorf("EXIF: IFD0: %v", err)
	}
	// Follow the IFD chain only to validate it (goexif would, and loop on a cycle).
	for n := 1; next != 0; n++ {
		if n >= tiffMaxChainIFDs {
			src.problem("EXIF: more than %d IFDs in the chain, rest ignored", tiffMaxChainIFDs)
			break
		}
		var e error
		next, e = src.readIFD(next, visited, func(ifdEntry) {})
		if e != nil {
			src.problem("EXIF: IFD%d: %v", n, e)
			break
		}
	}
	if exifPtr != 0 {
		keep := src.keep(tiffWantedExif, t.Exif, nil)
		visit := func(e ifdEntry) {
			if e.Tag == tagMakerNote {
				t.ContentID = src.appleContentID(e)
				return
			}
			keep(e)
		}
		if _, e := src.readIFD(exifPtr, visited, visit); e != nil {
			src.problem("EXIF: Exif IFD: %v", e)
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
	return t, src.problems, nil
}

// keep returns the visitor that stores the wanted entries of an IFD into
// into; with exifPtr set it also takes the Exif IFD pointer.
func (s *tiffSource) keep(want map[uint16]bool, into map[uint16]tiffField, exifPtr *uint32) func(ifdEntry) {
	return func(e ifdEntry) {
		if exifPtr != nil && e.Tag == tagExifIFD {
			if (e.Type == 4 || e.Type == 13) && e.Count == 1 {
				*exifPtr = s.order.Uint32(e.Field[:])
			} else {
				s.problem("EXIF: Exif IFD pointer has a bad type")
			}
			return
		}
		if !want[e.Tag] {
			return
		}
		if e.Size > tiffMaxStringLen {
			s.problem("EXIF: tag 0x%04X value too long (%d bytes)", e.Tag, e.Size)
			return
		}
		val, err := s.value(e, 0, e.Size)
		if err != nil {
			s.problem("EXIF: tag 0x%04X: %v", e.Tag, err)
			return
		}
		into[e.Tag] = tiffField{Tag: e.Tag, Type: e.Type, Count: e.Count, Value: val}
	}
}

// ifdEntry is one IFD entry whose type is known, whose count is not zero and
// whose value lies inside the data: Size bytes, in Field itself when Size <= 4,
// else at the offset Field holds.
type ifdEntry struct {
	Tag, Type uint16
	Count     uint32
	Size      uint64 // count × type size
	Field     [4]byte
}

// readIFD validates one IFD at off and calls visit for each of its entries
// that is usable (see ifdEntry); the others are told in s.problems. It
// returns the offset of the next IFD, 0 at the end of the chain.
func (s *tiffSource) readIFD(off uint32, visited map[uint32]bool, visit func(ifdEntry)) (next uint32, err error) {
	if off < 8 {
		return 0, fmt.Errorf("IFD offset %d inside the header", off)
	}
	if uint64(off)+2 > uint64(s.size) {
		return 0, fmt.Errorf("IFD offset out of range")
	}
	if visited[off] {
		return 0, fmt.Errorf("IFD at %d visited twice (cycle)", off)
	}
	visited[off] = true
	nb, err := s.read(uint64(off), 2)
	if err != nil {
		return 0, err
	}
	n := uint64(s.order.Uint16(nb))
	if n == 0 {
		return 0, fmt.Errorf("empty IFD")
	}
	if n > tiffMaxEntries {
		return 0, fmt.Errorf("IFD has %d entries (more than %d)", n, tiffMaxEntries)
	}
	start := uint64(off) + 2
	if start+12*n > uint64(s.size) {
		return 0, fmt.Errorf("IFD entries run past the end of the data")
	}
	ents, err := s.read(start, 12*n)
	if err != nil {
		return 0, err
	}
	if nx, e := s.read(start+12*n, 4); e == nil {
		next = s.order.Uint32(nx)
	} // a missing next-IFD pointer is treated as the end of the chain
	for i := uint64(0); i < n; i++ {
		b := ents[12*i : 12*i+12]
		e := ifdEntry{Tag: s.order.Uint16(b[0:]), Type: s.order.Uint16(b[2:]), Count: s.order.Uint32(b[4:])}
		copy(e.Field[:], b[8:12])
		if int(e.Type) >= len(tiffTypeSize) || tiffTypeSize[e.Type] == 0 {
			s.problem("EXIF: tag 0x%04X has unknown type %d", e.Tag, e.Type)
			continue
		}
		if e.Count == 0 {
			continue
		}
		e.Size = uint64(e.Count) * tiffTypeSize[e.Type] // cannot overflow: < 2^36
		if e.Size > 4 {
			if valOff := uint64(s.order.Uint32(e.Field[:])); valOff+e.Size > uint64(s.size) {
				s.problem("EXIF: tag 0x%04X value (%d bytes at %d) out of range", e.Tag, e.Size, valOff)
				continue
			}
		}
		visit(e)
	}
	return next, nil
}

// value reads n bytes of an entry's value from byte from on; readIFD checked
// that the whole value lies inside the data.
func (s *tiffSource) value(e ifdEntry, from, n uint64) ([]byte, error) {
	if from+n > e.Size {
		return nil, fmt.Errorf("tag 0x%04X: %d bytes at %d beyond its %d-byte value", e.Tag, n, from, e.Size)
	}
	if e.Size <= 4 {
		return append([]byte(nil), e.Field[from:from+n]...), nil
	}
	return s.read(uint64(s.order.Uint32(e.Field[:]))+from, n)
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
