package qtdate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// epochUnix is 1904-01-01T00:00:00Z in Unix seconds: where QuickTime and
// ISO BMFF dates count from.
const epochUnix = -2082844800

// Names of the two fields in each box.
const (
	Creation     = "creation_time"
	Modification = "modification_time"
)

// ErrNoMovie is returned for a file without a moov box.
var ErrNoMovie = errors.New("the file has no movie header (moov box): it is not a QuickTime or MP4 movie, or its header is missing")

// Field is one date field of the file.
type Field struct {
	Box    string // "mvhd", "tkhd" or "mdhd"
	Track  int    // the trak it belongs to, from 1 in file order; 0 for mvhd
	Name   string // Creation or Modification
	Offset int64  // where the value starts in the file
	Width  int    // 4 (a version 0 box) or 8 (version 1)
	Value  uint64 // seconds since 1904-01-01 UTC, as stored
}

// Time is the field's value as an instant in UTC; a zero value (which many
// programs write for "unknown") is 1904-01-01.
func (f Field) Time() time.Time {
	if f.Value > 1<<62 { // far beyond any real date; keeps the sum below from overflowing
		return time.Unix(1<<62, 0).UTC()
	}
	return time.Unix(int64(f.Value)+epochUnix, 0).UTC()
}

// box is one box's extent in the file.
type box struct {
	typ        string
	start, end int64 // the whole box
	body       int64 // where its payload starts
}

// readBox reads the header of the box at off inside a container ending at
// limit. Size 0 (the box runs to the end) is taken only at the top level,
// where the specification allows it.
func readBox(r io.ReaderAt, off, limit int64, top bool) (box, error) {
	var h [16]byte
	if limit-off < 8 {
		return box{}, fmt.Errorf("%d bytes at byte %d are too few for a box header: the file is truncated or damaged", limit-off, off)
	}
	if _, err := r.ReadAt(h[:8], off); err != nil {
		return box{}, fmt.Errorf("reading the box header at byte %d: %w", off, err)
	}
	size, typ, hdr := uint64(binary.BigEndian.Uint32(h[:4])), string(h[4:8]), int64(8)
	switch size {
	case 1:
		if limit-off < 16 {
			return box{}, fmt.Errorf("box %q at byte %d is cut off in its 64-bit size", typ, off)
		}
		if _, err := r.ReadAt(h[8:16], off+8); err != nil {
			return box{}, fmt.Errorf("reading the size of box %q at byte %d: %w", typ, off, err)
		}
		size, hdr = binary.BigEndian.Uint64(h[8:16]), 16
	case 0:
		if !top {
			return box{}, fmt.Errorf("box %q at byte %d has size 0, which only a box at the top of the file may have", typ, off)
		}
		size = uint64(limit - off)
	}
	if size < uint64(hdr) {
		return box{}, fmt.Errorf("box %q at byte %d claims %d bytes, less than its own header", typ, off, size)
	}
	if size > uint64(limit-off) {
		return box{}, fmt.Errorf("box %q at byte %d claims %d bytes, past the end of what holds it (byte %d): the file is truncated or damaged", typ, off, size, limit)
	}
	return box{typ: typ, start: off, end: off + int64(size), body: off + hdr}, nil
}

// children lists the boxes inside parent's payload.
func children(r io.ReaderAt, parent box) ([]box, error) {
	var out []box
	for off := parent.body; off < parent.end; {
		b, err := readBox(r, off, parent.end, false)
		if err != nil {
			return nil, fmt.Errorf("in %q: %w", parent.typ, err)
		}
		out = append(out, b)
		off = b.end
	}
	return out, nil
}

// one returns the single box of type typ among boxes.
func one(boxes []box, typ, where string) (box, error) {
	var found []box
	for _, b := range boxes {
		if b.typ == typ {
			found = append(found, b)
		}
	}
	switch len(found) {
	case 0:
		return box{}, fmt.Errorf("%s has no %q box", where, typ)
	case 1:
		return found[0], nil
	}
	return box{}, fmt.Errorf("%s has %d %q boxes where there should be one", where, len(found), typ)
}

// Locate finds every creation_time and modification_time of the movie
// header, of each track header and of each media header in the file of
// size bytes that r reads. It reads box headers and those three boxes'
// first bytes only.
func Locate(r io.ReaderAt, size int64) ([]Field, error) {
	var moov *box
	for off := int64(0); off < size; {
		b, err := readBox(r, off, size, true)
		if err != nil {
			return nil, err
		}
		if b.typ == "moov" {
			if moov != nil {
				return nil, fmt.Errorf("the file has two movie headers (moov boxes at bytes %d and %d); it is not clear which one players read", moov.start, b.start)
			}
			moov = &b
		}
		off = b.end
	}
	if moov == nil {
		return nil, ErrNoMovie
	}
	return movieFields(r, *moov)
}

// movieFields reads the fields of mvhd and of each trak's tkhd and mdhd.
func movieFields(r io.ReaderAt, moov box) ([]Field, error) {
	kids, err := children(r, moov)
	if err != nil {
		return nil, err
	}
	mvhd, err := one(kids, "mvhd", "the movie header")
	if err != nil {
		return nil, err
	}
	fields, err := dateFields(r, mvhd, 0)
	if err != nil {
		return nil, err
	}
	track := 0
	for _, trak := range kids {
		if trak.typ != "trak" {
			continue
		}
		track++
		where := fmt.Sprintf("track %d", track)
		tk, err := children(r, trak)
		if err != nil {
			return nil, err
		}
		tkhd, err := one(tk, "tkhd", where)
		if err != nil {
			return nil, err
		}
		mdia, err := one(tk, "mdia", where)
		if err != nil {
			return nil, err
		}
		md, err := children(r, mdia)
		if err != nil {
			return nil, err
		}
		mdhd, err := one(md, "mdhd", "the media of "+where)
		if err != nil {
			return nil, err
		}
		for _, b := range []box{tkhd, mdhd} {
			f, err := dateFields(r, b, track)
			if err != nil {
				return nil, err
			}
			fields = append(fields, f...)
		}
	}
	if track == 0 {
		return nil, errors.New("the movie has no tracks")
	}
	return fields, nil
}

// dateFields reads the two dates at the start of a full box (mvhd, tkhd,
// mdhd): version and flags, then creation_time and modification_time.
func dateFields(r io.ReaderAt, b box, track int) ([]Field, error) {
	var v [1]byte
	if b.end-b.body < 4 {
		return nil, fmt.Errorf("the %q box at byte %d is too short for its version", b.typ, b.start)
	}
	if _, err := r.ReadAt(v[:], b.body); err != nil {
		return nil, fmt.Errorf("reading the %q box at byte %d: %w", b.typ, b.start, err)
	}
	w := 4
	switch v[0] {
	case 0:
	case 1:
		w = 8
	default:
		return nil, fmt.Errorf("the %q box at byte %d has version %d; only versions 0 and 1 are known", b.typ, b.start, v[0])
	}
	if b.end-b.body < 4+2*int64(w) {
		return nil, fmt.Errorf("the %q box at byte %d is too short for its dates", b.typ, b.start)
	}
	buf := make([]byte, 2*w)
	if _, err := r.ReadAt(buf, b.body+4); err != nil {
		return nil, fmt.Errorf("reading the dates of the %q box at byte %d: %w", b.typ, b.start, err)
	}
	out := make([]Field, 2)
	for i, name := range []string{Creation, Modification} {
		out[i] = Field{Box: b.typ, Track: track, Name: name, Offset: b.body + 4 + int64(i*w), Width: w, Value: decode(buf[i*w : (i+1)*w])}
	}
	return out, nil
}

func decode(b []byte) uint64 {
	if len(b) == 4 {
		return uint64(binary.BigEndian.Uint32(b))
	}
	return binary.BigEndian.Uint64(b)
}

func encode(v uint64, width int) []byte {
	if width == 4 {
		return binary.BigEndian.AppendUint32(nil, uint32(v))
	}
	return binary.BigEndian.AppendUint64(nil, v)
}
