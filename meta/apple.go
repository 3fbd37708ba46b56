package meta

import (
	"encoding/binary"
	"strings"
)

// Apple's Live Photo content identifier: the one value an iPhone writes into
// both halves of a Live Photo, the still (HEIC or JPEG) and its MOV, so that
// they can be paired whatever their names.
//
// In the still it is tag 0x0011 of the Apple maker note (exiftool:
// Apple:MediaGroupUUID, named ContentIdentifier before 12.19). The maker note
// (EXIF tag 0x927C) starts "Apple iOS\0", a 2-byte version and a byte order
// mark, then an IFD whose offsets count from the start of the maker note. In
// the video it is the QuickTime metadata item
// com.apple.quicktime.content.identifier (see isobmff.go).
//
// A malformed maker note is not worth a problem report: it is Apple's private
// structure, and without an identifier the pair falls back to its names.

const (
	tagMakerNote        = 0x927C
	tagAppleContentID   = 0x0011
	appleMakerNoteMagic = "Apple iOS\x00"
	appleMakerNoteIFD   = 14  // magic, version, byte order mark
	contentIDMaxLen     = 128 // Apple writes a 36-character UUID
)

// appleContentID reads the content identifier from the maker note entry e of
// s, "" when e is not an Apple maker note or holds no usable identifier. It
// walks the maker note with the same bounded IFD reader, in a window of its
// own: nothing outside the maker note's validated value is ever read.
func (s *tiffSource) appleContentID(e ifdEntry) string {
	if e.Tag != tagMakerNote || e.Size < appleMakerNoteIFD+2 || e.Size > maxEXIFBlock || e.Type != 7 && e.Type != 1 {
		return ""
	}
	hdr, err := s.value(e, 0, appleMakerNoteIFD)
	if err != nil || string(hdr[:len(appleMakerNoteMagic)]) != appleMakerNoteMagic {
		return ""
	}
	mn := &tiffSource{r: s.r, base: s.base + int64(s.order.Uint32(e.Field[:])), size: int64(e.Size)}
	switch string(hdr[12:14]) {
	case "MM":
		mn.order = binary.BigEndian
	case "II":
		mn.order = binary.LittleEndian
	default:
		return ""
	}
	var id string
	_, _ = mn.readIFD(appleMakerNoteIFD, map[uint32]bool{}, func(f ifdEntry) {
		if f.Tag != tagAppleContentID || f.Type != 2 || f.Size > contentIDMaxLen+1 {
			return
		}
		if v, err := mn.value(f, 0, f.Size); err == nil {
			id, _ = tiffASCII(tiffField{Type: f.Type, Value: v})
		}
	})
	return cleanContentID(id)
}

// cleanContentID returns id when it can be an identifier (printable ASCII,
// not blank, at most contentIDMaxLen bytes), "" otherwise: a damaged value
// must not pair two files that have nothing to do with each other.
func cleanContentID(id string) string {
	id = strings.TrimSpace(id)
	if len(id) == 0 || len(id) > contentIDMaxLen {
		return ""
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7E {
			return ""
		}
	}
	return id
}
