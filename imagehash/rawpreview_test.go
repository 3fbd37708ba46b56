package imagehash

import (
	"bytes"
	"context"
	"encoding/binary"
	"slices"
	"testing"

	"shoebox/meta"
)

// tiffBuilder lays out a TIFF: IFDs and blobs appended in order, offsets
// patched as they become known.
type tiffBuilder struct {
	bo  binary.ByteOrder
	buf []byte
}

type tiffEntry struct {
	tag, typ uint16
	vals     []uint32 // SHORT or LONG values
}

func newTIFF(bo binary.ByteOrder) *tiffBuilder {
	b := &tiffBuilder{bo: bo}
	if bo == binary.LittleEndian {
		b.buf = []byte("II*\x00\x00\x00\x00\x00")
	} else {
		b.buf = []byte("MM\x00*\x00\x00\x00\x00")
	}
	return b
}

// blob appends data (word aligned) and returns its offset.
func (b *tiffBuilder) blob(data []byte) uint32 {
	if len(b.buf)%2 == 1 {
		b.buf = append(b.buf, 0)
	}
	off := uint32(len(b.buf))
	b.buf = append(b.buf, data...)
	return off
}

// ifd appends an IFD and returns its offset; next is the next-IFD link.
func (b *tiffBuilder) ifd(entries []tiffEntry, next uint32) uint32 {
	// Out-of-line values first.
	type placed struct {
		e   tiffEntry
		off uint32
	}
	var ps []placed
	entries = slices.Clone(entries)
	slices.SortFunc(entries, func(a, b tiffEntry) int { return int(a.tag) - int(b.tag) })
	for _, e := range entries {
		size := 4
		if e.typ == 3 {
			size = 2
		}
		var off uint32
		if len(e.vals)*size > 4 {
			v := make([]byte, len(e.vals)*size)
			for i, x := range e.vals {
				if size == 2 {
					b.bo.PutUint16(v[2*i:], uint16(x))
				} else {
					b.bo.PutUint32(v[4*i:], x)
				}
			}
			off = b.blob(v)
		}
		ps = append(ps, placed{e, off})
	}
	d := make([]byte, 2+12*len(entries)+4)
	b.bo.PutUint16(d, uint16(len(entries)))
	for i, p := range ps {
		e := d[2+12*i:]
		b.bo.PutUint16(e, p.e.tag)
		b.bo.PutUint16(e[2:], p.e.typ)
		b.bo.PutUint32(e[4:], uint32(len(p.e.vals)))
		if p.off != 0 {
			b.bo.PutUint32(e[8:], p.off)
		} else if p.e.typ == 3 {
			for j, x := range p.e.vals {
				b.bo.PutUint16(e[8+2*j:], uint16(x))
			}
		} else if len(p.e.vals) == 1 {
			b.bo.PutUint32(e[8:], p.e.vals[0])
		}
	}
	b.bo.PutUint32(d[2+12*len(entries):], next)
	return b.blob(d)
}

func (b *tiffBuilder) setFirstIFD(off uint32) { b.bo.PutUint32(b.buf[4:], off) }

func long(tag uint16, v ...uint32) tiffEntry  { return tiffEntry{tag, 4, v} }
func short(tag uint16, v ...uint32) tiffEntry { return tiffEntry{tag, 3, v} }

// lossless is the start of a lossless (SOF3) JPEG as RAW sensor data is stored.
var lossless = []byte{0xFF, 0xD8, 0xFF, 0xC3, 0, 14, 14, 0x0b, 0xb8, 0x0f, 0xa0, 2, 1, 0x11, 0, 2, 0x11, 0, 0xFF, 0xD9}

func TestRawPreviewCR2Like(t *testing.T) {
	preview := readFixture(t, "d-420.jpg") // 1024x640
	thumb := readFixture(t, "a-half.jpg")  // 251x157
	b := newTIFF(binary.LittleEndian)
	pOff := b.blob(preview)
	tOff := b.blob(thumb)
	rOff := b.blob(bytes.Repeat(lossless, 50))
	raw := b.ifd([]tiffEntry{short(0x0103, 6), long(0x0111, rOff), long(0x0117, uint32(len(lossless)*50))}, 0)
	ifd1 := b.ifd([]tiffEntry{short(0x0103, 6), long(0x0201, tOff), long(0x0202, uint32(len(thumb)))}, raw)
	ifd0 := b.ifd([]tiffEntry{short(0x0100, 5472), short(0x0101, 3648), short(0x0103, 6),
		long(0x0111, pOff), long(0x0117, uint32(len(preview))), short(0x0112, 1)}, ifd1)
	b.setFirstIFD(ifd0)
	checkPreview(t, b.buf, preview)
}

func TestRawPreviewNEFLike(t *testing.T) {
	preview := readFixture(t, "d-420.jpg")
	b := newTIFF(binary.BigEndian)
	pOff := b.blob(preview)
	rgb := b.blob(make([]byte, 16*12*3))
	sensor := b.blob(make([]byte, 4096))
	sub1 := b.ifd([]tiffEntry{long(0x00FE, 1), short(0x0103, 6), long(0x0201, pOff), long(0x0202, uint32(len(preview)))}, 0)
	sub2 := b.ifd([]tiffEntry{long(0x00FE, 0), short(0x0100, 6016), short(0x0101, 4016), short(0x0103, 34713),
		long(0x0111, sensor), long(0x0117, 4096)}, 0)
	ifd0 := b.ifd([]tiffEntry{short(0x0100, 16), short(0x0101, 12), short(0x0103, 1), short(0x0106, 2),
		short(0x0115, 3), long(0x0111, rgb), long(0x0117, 16*12*3), long(0x014A, sub1, sub2)}, 0)
	b.setFirstIFD(ifd0)
	checkPreview(t, b.buf, preview)
}

func TestRawPreviewDNGStrips(t *testing.T) {
	// The preview is split into two contiguous strips.
	preview := readFixture(t, "f-prog.jpg") // 640x520 progressive
	b := newTIFF(binary.LittleEndian)
	half := len(preview) / 2
	s1 := b.blob(preview[:half])
	s2 := uint32(len(b.buf))
	b.buf = append(b.buf, preview[half:]...)
	sub := b.ifd([]tiffEntry{long(0x00FE, 1), short(0x0100, 640), short(0x0101, 520), short(0x0103, 7),
		long(0x0111, s1, s2), long(0x0117, uint32(half), uint32(len(preview)-half))}, 0)
	thumb := b.blob(make([]byte, 256*171*3))
	ifd0 := b.ifd([]tiffEntry{long(0x00FE, 1), short(0x0100, 256), short(0x0101, 171), short(0x0103, 1),
		long(0x0111, thumb), long(0x0117, 256*171*3), long(0x014A, sub)}, 0)
	b.setFirstIFD(ifd0)
	checkPreview(t, b.buf, preview)
}

func checkPreview(t *testing.T, file, preview []byte) {
	t.Helper()
	got, ok := meta.RawPreview(file)
	if !ok || !bytes.Equal(got, preview) {
		t.Fatalf("preview not found (ok=%v, %d bytes)", ok, len(got))
	}
	ctx := context.Background()
	want, err := HashImage(ctx, preview, "image/jpeg", 6, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := HashImage(ctx, file, "image/tiff", 6, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if h != want {
		t.Errorf("RAW hash %+v, preview's %+v", h, want)
	}
}

func TestRawPreviewNotForRealTIFF(t *testing.T) {
	// A TIFF whose main image is larger than its embedded JPEG thumbnail is
	// decoded as a TIFF.
	thumb := readFixture(t, "a-half.jpg")
	b := newTIFF(binary.LittleEndian)
	tOff := b.blob(thumb)
	pix := b.blob(make([]byte, 800*600))
	ifd1 := b.ifd([]tiffEntry{long(0x0201, tOff), long(0x0202, uint32(len(thumb)))}, 0)
	ifd0 := b.ifd([]tiffEntry{short(0x0100, 800), short(0x0101, 600), short(0x0103, 1), short(0x0106, 1),
		short(0x0102, 8), long(0x0111, pix), long(0x0117, 800*600), short(0x0116, 600)}, ifd1)
	b.setFirstIFD(ifd0)
	if _, ok := meta.RawPreview(b.buf); ok {
		t.Error("thumbnail chosen over the main image")
	}
	h, err := HashImage(context.Background(), b.buf, "image/tiff", 0, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if h.Width != 800 || h.Height != 600 {
		t.Errorf("hashed %dx%d", h.Width, h.Height)
	}
}

func TestRawPreviewHostile(t *testing.T) {
	// IFD loops, offsets past the end, huge counts: no preview, no panic.
	b := newTIFF(binary.LittleEndian)
	ifd0 := b.ifd([]tiffEntry{long(0x0201, 0xFFFFFF00), long(0x0202, 0xFFFF), long(0x014A, 8, 8, 8)}, 8)
	b.setFirstIFD(ifd0)
	b.bo.PutUint32(b.buf[len(b.buf)-4:], ifd0) // next IFD = itself
	if _, ok := meta.RawPreview(b.buf); ok {
		t.Error("preview found in garbage")
	}
	for i := 0; i < len(b.buf); i++ {
		meta.RawPreview(b.buf[:i])
	}
}
