package testmp4

import (
	"encoding/binary"
	"time"
)

// EpochOffset is the number of seconds from 1904-01-01 (where QuickTime
// dates count from) to 1970-01-01.
const EpochOffset = 2082844800

// Seconds is t as QuickTime counts it: seconds since 1904-01-01 UTC.
func Seconds(t time.Time) uint64 { return uint64(t.Unix() + EpochOffset) }

var be = binary.BigEndian

// Box is a box with a 32-bit size.
func Box(typ string, payload ...[]byte) []byte {
	n := 8
	for _, p := range payload {
		n += len(p)
	}
	b := be.AppendUint32(nil, uint32(n))
	b = append(b, typ...)
	for _, p := range payload {
		b = append(b, p...)
	}
	return b
}

// LargeBox is a box whose size is in the 64-bit field (size 1).
func LargeBox(typ string, payload ...[]byte) []byte {
	n := 16
	for _, p := range payload {
		n += len(p)
	}
	b := be.AppendUint32(nil, 1)
	b = append(b, typ...)
	b = be.AppendUint64(b, uint64(n))
	for _, p := range payload {
		b = append(b, p...)
	}
	return b
}

// ToEndBox is a box of size 0: it runs to the end of the file.
func ToEndBox(typ string, payload ...[]byte) []byte {
	b := append(be.AppendUint32(nil, 0), typ...)
	for _, p := range payload {
		b = append(b, p...)
	}
	return b
}

// FullBoxHeader is a full box's version and (zero) flags.
func FullBoxHeader(version byte) []byte { return []byte{version, 0, 0, 0} }

// dates appends creation and modification times, 32 or 64 bits by version.
func dates(p []byte, version byte, created, modified uint64) []byte {
	if version == 1 {
		return be.AppendUint64(be.AppendUint64(p, created), modified)
	}
	return be.AppendUint32(be.AppendUint32(p, uint32(created)), uint32(modified))
}

// duration appends a duration, 32 or 64 bits by version.
func duration(p []byte, version byte, d uint64) []byte {
	if version == 1 {
		return be.AppendUint64(p, d)
	}
	return be.AppendUint32(p, uint32(d))
}

func matrix(p []byte) []byte {
	for _, v := range []uint32{0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000} {
		p = be.AppendUint32(p, v)
	}
	return p
}

// MVHD is a movie header box (ISO/IEC 14496-12 §8.2.2) with the given
// dates (seconds since 1904), time scale 600 and a duration of one second.
func MVHD(version byte, created, modified uint64) []byte {
	p := dates(FullBoxHeader(version), version, created, modified)
	p = duration(be.AppendUint32(p, 600), version, 600)
	p = be.AppendUint32(p, 0x00010000) // rate
	p = be.AppendUint16(p, 0x0100)     // volume
	p = append(p, make([]byte, 10)...)
	p = append(matrix(p), make([]byte, 24)...)
	p = be.AppendUint32(p, 2) // next track ID
	return Box("mvhd", p)
}

// TKHD is a track header box (§8.3.2) of track id, 640×480.
func TKHD(version byte, id uint32, created, modified uint64) []byte {
	p := dates([]byte{version, 0, 0, 3}, version, created, modified) // enabled, in movie
	p = be.AppendUint32(be.AppendUint32(p, id), 0)
	p = duration(p, version, 600)
	p = append(p, make([]byte, 16)...) // reserved, layer, group, volume, reserved
	p = matrix(p)
	return Box("tkhd", be.AppendUint32(be.AppendUint32(p, 640<<16), 480<<16))
}

// MDHD is a media header box (§8.4.2), time scale 600, language "und".
func MDHD(version byte, created, modified uint64) []byte {
	p := dates(FullBoxHeader(version), version, created, modified)
	p = duration(be.AppendUint32(p, 600), version, 600)
	return Box("mdhd", be.AppendUint16(be.AppendUint16(p, 0x55C4), 0))
}

// Trak is a track with its header and its media header, both with the
// given dates, and a video handler.
func Trak(version byte, id uint32, created, modified uint64) []byte {
	hdlr := Box("hdlr", FullBoxHeader(0), make([]byte, 4), []byte("vide"), make([]byte, 12), []byte("Video\x00"))
	return Box("trak", TKHD(version, id, created, modified), Box("mdia", MDHD(version, created, modified), hdlr))
}

// Movie describes a small movie file.
type Movie struct {
	Version           byte      // of every dated box: 0 (32-bit dates) or 1 (64-bit)
	Created, Modified time.Time // every box's dates
	Tracks            int       // default 1
	MoovAfterMdat     bool      // as many cameras write it
	MdatSize          int       // bytes of media data; default 256
	Brand             string    // default "isom"; "qt  " makes a QuickTime MOV
}

// Bytes is the whole file: ftyp, then moov and mdat in the order asked.
func (m Movie) Bytes() []byte {
	brand := m.Brand
	if brand == "" {
		brand = "isom"
	}
	tracks, size := m.Tracks, m.MdatSize
	if tracks == 0 {
		tracks = 1
	}
	if size == 0 {
		size = 256
	}
	c, mo := Seconds(m.Created), Seconds(m.Modified)
	moov := []byte{}
	moov = append(moov, MVHD(m.Version, c, mo)...)
	for i := range tracks {
		moov = append(moov, Trak(m.Version, uint32(i+1), c, mo)...)
	}
	mdat := make([]byte, size)
	for i := range mdat {
		mdat[i] = byte(i * 7)
	}
	ftyp := Box("ftyp", []byte(brand), be.AppendUint32(nil, 0x200), []byte(brand+"mp41"))
	if m.MoovAfterMdat {
		return append(append(ftyp, Box("mdat", mdat)...), Box("moov", moov)...)
	}
	return append(append(ftyp, Box("moov", moov)...), Box("mdat", mdat)...)
}
