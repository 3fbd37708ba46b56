package meta

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"shoebox/internal/testimg"
	"shoebox/internal/testmp4"
)

// Fixture builders. The committed files under testdata/meta/ are made by
// TestGenerateMetaFixtures (SHOEBOX_GEN_FIXTURES=1 go test ./meta/ -run TestGenerateMetaFixtures);
// the HEIC one also needs heif-enc and exiftool (see testdata/README).

// fixtureDir holds the committed fixtures. They stay beside the analysis
// tests because those (and the timestamp tests) read them too.
const fixtureDir = "testdata" // the container samples; see testdata/README

type tEnt struct {
	tag, typ uint16
	count    uint32
	val      []byte
}

func asciiEnt(tag uint16, s string) tEnt {
	return tEnt{tag: tag, typ: 2, count: uint32(len(s) + 1), val: append([]byte(s), 0)}
}

func shortEnt(bo order, tag, v uint16) tEnt {
	return tEnt{tag: tag, typ: 3, count: 1, val: bo.AppendUint16(nil, v)}
}

// buildTIFF lays out: header (+ extra header bytes), IFD0, Exif IFD, values.
// The Exif IFD pointer is added to IFD0 when exifIFD is not empty.
func buildTIFF(bo order, extra []byte, ifd0, exifIFD []tEnt) []byte {
	var b []byte
	if bo == binary.LittleEndian {
		b = append(b, 'I', 'I', 42, 0)
	} else {
		b = append(b, 'M', 'M', 0, 42)
	}
	first := 8 + len(extra)
	b = bo.AppendUint32(b, uint32(first))
	b = append(b, extra...)
	n0 := len(ifd0)
	if len(exifIFD) > 0 {
		n0++
	}
	exifOff := first + 2 + 12*n0 + 4
	dataOff := exifOff
	if len(exifIFD) > 0 {
		dataOff += 2 + 12*len(exifIFD) + 4
	}
	var data []byte
	write := func(es []tEnt, withExif bool) {
		n := len(es)
		if withExif {
			n++
		}
		b = bo.AppendUint16(b, uint16(n))
		put := func(e tEnt) {
			b = bo.AppendUint16(b, e.tag)
			b = bo.AppendUint16(b, e.typ)
			b = bo.AppendUint32(b, e.count)
			if len(e.val) <= 4 {
				v := make([]byte, 4)
				copy(v, e.val)
				b = append(b, v...)
			} else {
				b = bo.AppendUint32(b, uint32(dataOff+len(data)))
				data = append(data, e.val...)
				if len(data)%2 == 1 {
					data = append(data, 0)
				}
			}
		}
		for _, e := range es {
			put(e)
		}
		if withExif {
			b = bo.AppendUint16(b, tagExifIFD)
			b = bo.AppendUint16(b, 4)
			b = bo.AppendUint32(b, 1)
			b = bo.AppendUint32(b, uint32(exifOff))
		}
		b = bo.AppendUint32(b, 0)
	}
	write(ifd0, len(exifIFD) > 0)
	if len(exifIFD) > 0 {
		write(exifIFD, false)
	}
	return append(b, data...)
}

// cameraTIFF is the EXIF of a camera photo with every date companion.
func cameraTIFF(bo order, extra []byte, ifd0Extra ...tEnt) []byte {
	ifd0 := append([]tEnt{
		asciiEnt(tagMake, "Canon"), asciiEnt(tagModel, "Canon EOS 5D Mark IV"),
		shortEnt(bo, tagOrientation, 6), asciiEnt(tagDateTime, "2019:07:05 09:00:00"),
	}, ifd0Extra...)
	return buildTIFF(bo, extra, ifd0, []tEnt{
		asciiEnt(tagDateTimeOriginal, "2019:07:04 15:30:12"), asciiEnt(tagDateTimeDigitized, "2019:07:04 15:30:12"),
		asciiEnt(tagOffsetTime, "+02:00"), asciiEnt(tagOffsetTimeOriginal, "+02:00"), asciiEnt(tagOffsetTimeDigit, "+02:00"),
		asciiEnt(tagSubSecTime, "00"), asciiEnt(tagSubSecTimeOriginal, "123"), asciiEnt(tagSubSecTimeDigit, "123"),
	})
}

func tinyImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 32), uint8(y * 32), 128, 255})
		}
	}
	return img
}

// jpegWithEXIF encodes a tiny JPEG and puts an APP1 Exif segment after SOI.
func jpegWithEXIF(t testing.TB, tiffData []byte) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, tinyImage(), &jpeg.Options{Quality: 50}); err != nil {
		t.Fatal(err)
	}
	j := buf.Bytes()
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(2+6+len(tiffData)))
	seg = append(seg, "Exif\x00\x00"...)
	seg = append(seg, tiffData...)
	out := append([]byte{}, j[:2]...)
	out = append(out, seg...)
	return append(out, j[2:]...)
}

// pngWithEXIF encodes a tiny PNG and puts an eXIf chunk after IHDR.
func pngWithEXIF(t testing.TB, tiffData []byte) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, tinyImage()); err != nil {
		t.Fatal(err)
	}
	p := buf.Bytes()
	ihdrEnd := 8 + 8 + 13 + 4
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, testimg.PNGChunk("eXIf", tiffData)...)
	return append(out, p[ihdrEnd:]...)
}

// rawProfileText is ImageMagick's hex encoding of an EXIF profile.
func rawProfileText(exif []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "\nexif\n%8d", len(exif))
	for i, c := range exif {
		if i%36 == 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%02x", c)
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// pngWithRawProfile puts the EXIF into a zTXt (compressed) or iTXt
// (uncompressed) "Raw profile type exif" chunk, as ImageMagick does.
func pngWithRawProfile(t testing.TB, tiffData []byte, typ string) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, tinyImage()); err != nil {
		t.Fatal(err)
	}
	p := buf.Bytes()
	text := rawProfileText(append([]byte("Exif\x00\x00"), tiffData...))
	data := []byte("Raw profile type exif\x00")
	switch typ {
	case "zTXt":
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(text)
		zw.Close()
		data = append(append(data, 0), z.Bytes()...)
	case "iTXt":
		data = append(append(data, 0, 0, 0, 0), text...)
	default:
		data = append(data, text...)
	}
	ihdrEnd := 8 + 8 + 13 + 4
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, testimg.PNGChunk("tEXt", []byte("Software\x00shoebox test"))...)
	out = append(out, testimg.PNGChunk(typ, data)...)
	return append(out, p[ihdrEnd:]...)
}

// webpLossless1x1 is a valid 1×1 lossless WebP bitstream (VP8L chunk payload).
var webpLossless1x1 = []byte{0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00}

func riffChunk(typ string, data []byte) []byte {
	c := append([]byte(typ), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	c = append(c, data...)
	if len(data)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

// webpWithEXIF builds an extended WebP: VP8X (EXIF flag), VP8L, EXIF.
func webpWithEXIF(tiffData []byte) []byte {
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 // EXIF present
	// canvas 1×1: width-1 and height-1 as 24-bit little endian = 0
	body := []byte("WEBP")
	body = append(body, riffChunk("VP8X", vp8x)...)
	body = append(body, riffChunk("VP8L", webpLossless1x1)...)
	body = append(body, riffChunk("EXIF", tiffData)...)
	return append([]byte("RIFF"), append(binary.LittleEndian.AppendUint32(nil, uint32(len(body))), body...)...)
}

// box, fullBoxHdr and mvhdBox are the shared MP4 builders (internal/testmp4).
func box(typ string, payload ...[]byte) []byte { return testmp4.Box(typ, payload...) }

func fullBoxHdr(version byte) []byte { return testmp4.FullBoxHeader(version) }

// mvhdBox makes an mvhd with the given creation time (seconds since 1904).
func mvhdBox(version byte, created uint64) []byte { return testmp4.MVHD(version, created, created) }

// appleMeta is a QuickTime moov/meta with keys and ilst holding creationdate.
func appleMeta(date string) []byte {
	return quickTimeMeta([2]string{"com.apple.quicktime.make", "Apple"}, [2]string{"com.apple.quicktime.creationdate", date})
}

// quickTimeMeta is a QuickTime moov/meta with keys and ilst holding the
// items given as key and UTF-8 value, in order.
func quickTimeMeta(items ...[2]string) []byte {
	hdlr := box("hdlr", fullBoxHdr(0), make([]byte, 4), []byte("mdta"), make([]byte, 12), []byte{0})
	data := func(s string) []byte {
		return box("data", binary.BigEndian.AppendUint32(nil, 1), make([]byte, 4), []byte(s))
	}
	var keyList, ilst []byte
	for i, it := range items {
		keyList = binary.BigEndian.AppendUint32(keyList, uint32(8+len(it[0])))
		keyList = append(keyList, "mdta"+it[0]...)
		ilst = append(ilst, box(string(binary.BigEndian.AppendUint32(nil, uint32(i+1))), data(it[1]))...)
	}
	keys := box("keys", fullBoxHdr(0), binary.BigEndian.AppendUint32(nil, uint32(len(items))), keyList)
	return box("meta", hdlr, keys, box("ilst", ilst))
}

var mp4EpochOffset = uint64(testmp4.EpochOffset) // seconds from 1904-01-01 to 1970-01-01

func mp4Fixture() []byte {
	ftyp := box("ftyp", []byte("isom"), binary.BigEndian.AppendUint32(nil, 512), []byte("isomiso2mp41"))
	moov := box("moov", mvhdBox(0, mp4EpochOffset+1562247012)) // 2019-07-04T13:30:12Z
	return append(append(ftyp, box("free")...), append(moov, box("mdat", make([]byte, 64))...)...)
}

func movFixture() []byte {
	ftyp := box("ftyp", []byte("qt  "), binary.BigEndian.AppendUint32(nil, 0), []byte("qt  "))
	moov := box("moov", mvhdBox(1, mp4EpochOffset+1562247012), appleMeta("2019-07-04T15:30:12+0200"))
	// mdat first, as many cameras write it: the walker must skip it by offset.
	return append(append(ftyp, box("mdat", make([]byte, 256))...), moov...)
}

// rafFixture is a Fujifilm RAF header with an embedded JPEG carrying EXIF.
func rafFixture(t testing.TB) []byte {
	j := jpegWithEXIF(t, cameraTIFF(binary.BigEndian, nil))
	b := make([]byte, 160)
	copy(b, "FUJIFILMCCD-RAW 0201FF383501")
	copy(b[28:], "X-T3")
	copy(b[60:], "0100")
	binary.BigEndian.PutUint32(b[84:], 160)
	binary.BigEndian.PutUint32(b[88:], uint32(len(j)))
	return append(b, j...)
}

// cr3Fixture is a Canon CR3 skeleton: ftyp crx, moov/uuid(Canon) with CMT1
// (IFD0 tags) and CMT2 (Exif tags in a TIFF of their own), and an mvhd.
func cr3Fixture() []byte {
	var le order = binary.LittleEndian
	cmt1 := buildTIFF(le, nil, []tEnt{asciiEnt(tagMake, "Canon"), asciiEnt(tagModel, "Canon EOS R5"),
		shortEnt(le, tagOrientation, 1), asciiEnt(tagDateTime, "2021:09:23 20:45:01")}, nil)
	cmt2 := buildTIFF(le, nil, []tEnt{asciiEnt(tagDateTimeOriginal, "2021:09:23 20:45:01"),
		asciiEnt(tagDateTimeDigitized, "2021:09:23 20:45:01"), asciiEnt(tagOffsetTimeOriginal, "+02:00"),
		asciiEnt(tagSubSecTimeOriginal, "42")}, nil)
	ftyp := box("ftyp", []byte("crx "), binary.BigEndian.AppendUint32(nil, 1), []byte("crx isom"))
	uuid := box("uuid", []byte(cr3UUID), box("CMT1", cmt1), box("CMT2", cmt2))
	moov := box("moov", uuid, mvhdBox(0, mp4EpochOffset+1632422701))
	return append(append(ftyp, moov...), box("mdat", make([]byte, 32))...)
}

// cr2Extra is the CR2 header tail: "CR", version 2.0, RAW IFD offset.
var cr2Extra = []byte{'C', 'R', 2, 0, 0, 0, 0, 0}

func TestGenerateMetaFixtures(t *testing.T) {
	if os.Getenv("SHOEBOX_GEN_FIXTURES") == "" {
		t.Skip("set SHOEBOX_GEN_FIXTURES=1 to regenerate testdata")
	}
	dir := filepath.Join(fixtureDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var le, be order = binary.LittleEndian, binary.BigEndian
	files := map[string][]byte{
		"camera_le.jpg": jpegWithEXIF(t, cameraTIFF(le, nil)),
		"camera_be.jpg": jpegWithEXIF(t, cameraTIFF(be, nil)),
		"zero_dates.jpg": jpegWithEXIF(t, buildTIFF(le, nil, []tEnt{asciiEnt(tagMake, "NIKON"), asciiEnt(tagDateTime, "garbage!")},
			[]tEnt{asciiEnt(tagDateTimeOriginal, "0000:00:00 00:00:00"), asciiEnt(tagDateTimeDigitized, "    :  :     :  :  ")})),
		"sample.cr2":     cameraTIFF(le, cr2Extra),
		"sample.dng":     cameraTIFF(le, nil, tEnt{tag: 0xC612, typ: 1, count: 4, val: []byte{1, 4, 0, 0}}),
		"sample.nef":     cameraTIFF(be, nil),
		"sample.png":     pngWithEXIF(t, cameraTIFF(be, nil)),
		"rawprofile.png": pngWithRawProfile(t, cameraTIFF(le, nil), "zTXt"),
		"sample.webp":    webpWithEXIF(cameraTIFF(le, nil)),
		"sample.mp4":     mp4Fixture(),
		"sample.raf":     rafFixture(t),
		"sample.cr3":     cr3Fixture(),
		"sample.mov":     movFixture(),
		// A Live Photo's two halves, paired by Apple's content identifier.
		"live.jpg": jpegWithEXIF(t, iPhoneTIFF(be, appleMakerNote(testContentID))),
		"live.mov": liveMOV(testContentID),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// HEIC: encode the PNG with heif-enc, then let exiftool write the EXIF.
	tmp := t.TempDir()
	var pbuf bytes.Buffer
	png.Encode(&pbuf, tinyImage())
	os.WriteFile(filepath.Join(tmp, "in.png"), pbuf.Bytes(), 0o644)
	heic := filepath.Join(dir, "sample.heic")
	run := func(name string, args ...string) {
		if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	run("heif-enc", "-q", "10", "-o", heic, filepath.Join(tmp, "in.png"))
	run("exiftool", "-q", "-overwrite_original", "-Make=Apple", "-Model=iPhone 12",
		"-DateTimeOriginal=2019:07:04 15:30:12", "-OffsetTimeOriginal=+02:00", "-SubSecTimeOriginal=123",
		"-CreateDate=2019:07:04 15:30:12", "-ModifyDate=2019:07:05 09:00:00", "-Orientation#=6", heic)
	writeThumbFixture(t, dir)
}

// order is a byte order that can also append.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}
