package meta

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"runtime"
	"strings"
	"testing"
	"time"

	"shoebox/internal/testimg"
	"shoebox/media"
)

// rawTIFF builds a little-endian TIFF from raw IFDs: each IFD is a list of
// 12-byte entries and a next offset, placed at the given offsets.
type rawIFD struct {
	at      uint32
	entries [][4]uint32 // tag, type, count, value/offset
	next    uint32
}

func rawTIFF(size int, ifd0 uint32, ifds ...rawIFD) []byte {
	b := make([]byte, size)
	copy(b, "II*\x00")
	le := binary.LittleEndian
	le.PutUint32(b[4:], ifd0)
	for _, d := range ifds {
		p := d.at
		le.PutUint16(b[p:], uint16(len(d.entries)))
		p += 2
		for _, e := range d.entries {
			le.PutUint16(b[p:], uint16(e[0]))
			le.PutUint16(b[p+2:], uint16(e[1]))
			le.PutUint32(b[p+4:], e[2])
			le.PutUint32(b[p+8:], e[3])
			p += 12
		}
		le.PutUint32(b[p:], d.next)
	}
	return b
}

// hostileInputs are the shapes that make goexif allocate gigabytes, loop
// forever or panic, and truncated/oversized container boxes.
func hostileInputs() map[string][]byte {
	jpegOf := func(tiff []byte) []byte {
		seg := []byte{0xFF, 0xD8, 0xFF, 0xE1}
		seg = binary.BigEndian.AppendUint16(seg, uint16(8+len(tiff)))
		seg = append(seg, "Exif\x00\x00"...)
		return append(append(seg, tiff...), 0xFF, 0xD9)
	}
	in := map[string][]byte{
		// count × 4 overflows uint32 to 4: goexif would make([]int64, 0x40000001) = 8 GiB
		"huge count inline": rawTIFF(140, 8, rawIFD{at: 8, entries: [][4]uint32{{0x0112, 4, 0x40000001, 1}, {0x0132, 2, 20, 60}}}),
		"huge count offset": rawTIFF(140, 8, rawIFD{at: 8, entries: [][4]uint32{{0x010F, 2, 0xFFFFFFF0, 40}}}),
		"huge rational":     rawTIFF(140, 8, rawIFD{at: 8, entries: [][4]uint32{{0x011A, 5, 0x20000001, 40}}}),
		"cyclic IFD chain":  rawTIFF(140, 8, rawIFD{at: 8, entries: [][4]uint32{{0x0112, 3, 1, 1}}, next: 40}, rawIFD{at: 40, entries: [][4]uint32{{0x0112, 3, 1, 1}}, next: 8}),
		"self-linked IFD":   rawTIFF(140, 8, rawIFD{at: 8, entries: [][4]uint32{{0x0112, 3, 1, 1}}, next: 8}),
		"exif ptr to IFD0":  rawTIFF(140, 8, rawIFD{at: 8, entries: [][4]uint32{{0x8769, 4, 1, 8}}}),
		"exif ptr cycle":    rawTIFF(140, 8, rawIFD{at: 8, entries: [][4]uint32{{0x8769, 4, 1, 40}}}, rawIFD{at: 40, entries: [][4]uint32{{0x8769, 4, 1, 40}}, next: 40}),
		"IFD beyond end":    rawTIFF(140, 0x7FFFFFF0),
		"IFD in header":     rawTIFF(140, 2),
		"65535 entries":     []byte("II*\x00\x08\x00\x00\x00\xff\xff\x01\x00\x03\x00"),
		"unknown type":      rawTIFF(140, 8, rawIFD{at: 8, entries: [][4]uint32{{0x0132, 99, 20, 40}}}),
		"truncated IFD":     rawTIFF(14, 8),
		"header only":       []byte("II*\x00"),
	}
	for name, b := range in {
		if strings.HasPrefix(name, "huge") || strings.Contains(name, "cycl") || strings.Contains(name, "IFD") {
			in[name+" (in JPEG)"] = jpegOf(b)
		}
	}
	// Containers with lying lengths.
	in["mp4 moov larger than file"] = append(box("ftyp", []byte("isom"), make([]byte, 4)), binary.BigEndian.AppendUint32(nil, 0xFFFFFFF0)...)
	largeBox := binary.BigEndian.AppendUint32(nil, 1)
	largeBox = append(largeBox, "moov"...)
	largeBox = binary.BigEndian.AppendUint64(largeBox, 1<<62)
	in["mp4 64-bit size"] = append(box("ftyp", []byte("isom"), make([]byte, 4)), largeBox...)
	nested := mvhdBox(0, 1)
	for i := 0; i < 50; i++ {
		nested = box("udta", nested)
	}
	in["mp4 deep nesting"] = append(box("ftyp", []byte("isom"), make([]byte, 4)), box("moov", nested)...)
	many := box("ftyp", []byte("isom"), make([]byte, 4))
	for i := 0; i < 100000; i++ {
		many = append(many, 0, 0, 0, 8, 'f', 'r', 'e', 'e')
	}
	in["mp4 100k boxes"] = many
	in["mov meta huge keys"] = append(box("ftyp", []byte("qt  "), make([]byte, 4)), box("moov", box("meta",
		box("keys", fullBoxHdr(0), binary.BigEndian.AppendUint32(nil, 0xFFFFFFFF), binary.BigEndian.AppendUint32(nil, 0xFFFFFFFF))))...)
	heifHead := box("ftyp", []byte("heic"), make([]byte, 4), []byte("mif1heic"))
	ilocHuge := box("iloc", fullBoxHdr(1), []byte{0x44, 0x00}, []byte{0, 1}, []byte{0, 1, 0, 0, 0, 0, 0, 1},
		[]byte{0x7F, 0xFF, 0xFF, 0xF0, 0x7F, 0xFF, 0xFF, 0xF0})
	infe := box("infe", fullBoxHdr(2), []byte{0, 1, 0, 0}, []byte("Exif"), []byte{0})
	in["heic huge Exif extent"] = append(heifHead, box("meta", fullBoxHdr(0), box("iinf", fullBoxHdr(0), []byte{0, 1}, infe), ilocHuge)...)
	in["heic iloc count lies"] = append(heifHead, box("meta", fullBoxHdr(0), box("iinf", fullBoxHdr(0), []byte{0, 1}, infe),
		box("iloc", fullBoxHdr(2), []byte{0x44, 0x00}, []byte{0xFF, 0xFF, 0xFF, 0xFF}))...)
	in["heic meta larger than file"] = append(heifHead, binary.BigEndian.AppendUint32(nil, 0x7FFFFFFF)...)
	in["png chunk length lies"] = append([]byte("\x89PNG\r\n\x1a\n"), 0xFF, 0xFF, 0xFF, 0xF0, 'e', 'X', 'I', 'f', 0, 0, 0, 0)
	in["png eXIf with cyclic TIFF"] = append([]byte("\x89PNG\r\n\x1a\n"), testimg.PNGChunk("eXIf", in["cyclic IFD chain"])...)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte("\nexif\n 1000000\n"))
	zw.Write(make([]byte, 16<<20)) // a zlib bomb: 16 MiB of zeros, 8 times the cap
	zw.Close()
	in["png raw profile zlib bomb"] = append([]byte("\x89PNG\r\n\x1a\n"), testimg.PNGChunk("zTXt", append([]byte("Raw profile type exif\x00\x00"), z.Bytes()...))...)
	in["png raw profile huge length"] = append([]byte("\x89PNG\r\n\x1a\n"), testimg.PNGChunk("tEXt", []byte("Raw profile type exif\x00\nexif\n 99999999999\n4578"))...)
	in["webp chunk length lies"] = []byte("RIFF\xff\xff\xff\x7fWEBPEXIF\xf0\xff\xff\xffII*\x00")
	in["jpeg segment length lies"] = []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x', 'i', 'f', 0, 0}
	in["jpeg only fill bytes"] = append([]byte{0xFF, 0xD8}, bytes.Repeat([]byte{0xFF}, 1<<16)...)
	return in
}

// TestHostileShapesAreBounded feeds every hostile shape to Read (with
// the matching and a generic MIME type) and checks time and memory.
func TestHostileShapesAreBounded(t *testing.T) {
	for name, b := range hostileInputs() {
		for _, mime := range []string{"application/octet-stream", "image/tiff", "video/mp4"} {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			md := Read(bytes.NewReader(b), int64(len(b)), mime)
			el := time.Since(start)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			if el > 2*time.Second {
				t.Errorf("%s (%s): took %v", name, mime, el)
			}
			if alloc > 16<<20 {
				t.Errorf("%s (%s): allocated %d bytes", name, mime, alloc)
			}
			if len(md.Candidates) > 0 && !strings.Contains(name, "nesting") {
				t.Errorf("%s (%s): candidates from garbage: %+v", name, mime, md.Candidates)
			}
		}
	}
}

// TestHostileTIFFProblemsReported: the walker says what was wrong.
func TestHostileTIFFProblemsReported(t *testing.T) {
	in := hostileInputs()
	for name, want := range map[string]string{
		"huge count inline": "out of range",
		"cyclic IFD chain":  "visited twice",
		"self-linked IFD":   "visited twice",
		"exif ptr to IFD0":  "visited twice",
		"IFD beyond end":    "IFD offset out of range",
		"65535 entries":     "entries",
		"unknown type":      "unknown type",
	} {
		b := in[name]
		md := Read(bytes.NewReader(b), int64(len(b)), "image/tiff")
		if p := strings.Join(md.Problems, "|"); !strings.Contains(p, want) {
			t.Errorf("%s: problems %q, want %q", name, p, want)
		}
	}
	// The valid tag next to the huge one is still read.
	b := rawTIFF(140, 8, rawIFD{at: 8, entries: [][4]uint32{{0x0112, 4, 0x40000001, 1}, {0x0132, 2, 20, 60}}})
	copy(b[60:], "2019:07:04 15:30:12\x00")
	md := Read(bytes.NewReader(b), int64(len(b)), "image/tiff")
	if c, ok := candidate(md, media.KindEXIFModify); !ok || c.Value != "2019-07-04T15:30:12" {
		t.Errorf("valid tag beside a hostile one: %+v %v", md.Candidates, md.Problems)
	}
}

// TestEXIFPayloadIsSmallAndWellFormed: what goexif sees is our own compact
// TIFF, in the file's byte order, without the OffsetTime tags it has no names
// for (3 dates and 2 SubSecTimes are left in the Exif IFD).
func TestEXIFPayloadIsSmallAndWellFormed(t *testing.T) {
	b := cameraTIFF(binary.BigEndian, nil)
	tags, probs, err := walkTIFF(bytes.NewReader(b), 0, int64(len(b)))
	if err != nil || len(probs) > 0 {
		t.Fatal(err, probs)
	}
	p := exifPayload(tags)
	if len(p) > 4096 || string(p[:4]) != "MM\x00*" {
		t.Fatalf("payload %d bytes %q", len(p), p[:4])
	}
	again, probs, err := walkTIFF(bytes.NewReader(p), 0, int64(len(p)))
	if err != nil || len(probs) > 0 || len(again.IFD0) != 4 || len(again.Exif) != 5 {
		t.Errorf("payload does not re-validate: %v %v %d %d", err, probs, len(again.IFD0), len(again.Exif))
	}
}

// TestDateTimeOriginalInIFD0: some software writes Exif-IFD tags into IFD0.
func TestDateTimeOriginalInIFD0(t *testing.T) {
	b := buildTIFF(binary.LittleEndian, nil, []tEnt{asciiEnt(tagMake, "X"), asciiEnt(tagDateTimeOriginal, "2019:07:04 15:30:12"), asciiEnt(tagOffsetTimeOriginal, "-05:00")}, nil)
	md := Read(bytes.NewReader(b), int64(len(b)), "image/tiff")
	if c, ok := candidate(md, media.KindEXIFOriginal); !ok || c.Value != "2019-07-04T15:30:12-05:00" {
		t.Errorf("%+v %v", md.Candidates, md.Problems)
	}
}
