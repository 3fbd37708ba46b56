package meta

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const testContentID = "8C3F1D2A-6B7E-4C55-9A0B-1D2E3F405162"

// appleMakerNote is an Apple maker note: "Apple iOS\0", version 1, "MM", then
// a big-endian IFD (offsets from the maker note's start) with the maker note
// version (0x0001) and the content identifier (0x0011).
func appleMakerNote(id string) []byte {
	bo := binary.BigEndian
	b := append([]byte(appleMakerNoteMagic), 0, 1, 'M', 'M')
	b = bo.AppendUint16(b, 2)
	dataOff := appleMakerNoteIFD + 2 + 2*12 + 4
	b = bo.AppendUint16(bo.AppendUint16(b, 0x0001), 9) // SLONG
	b = bo.AppendUint32(bo.AppendUint32(b, 1), 14)
	b = bo.AppendUint16(bo.AppendUint16(b, tagAppleContentID), 2)
	b = bo.AppendUint32(bo.AppendUint32(b, uint32(len(id)+1)), uint32(dataOff))
	b = bo.AppendUint32(b, 0)
	return append(append(b, id...), 0)
}

// iPhoneTIFF is the EXIF of an iPhone photo whose Exif IFD holds makerNote.
func iPhoneTIFF(bo order, makerNote []byte) []byte {
	return buildTIFF(bo, nil, []tEnt{asciiEnt(tagMake, "Apple"), asciiEnt(tagModel, "iPhone 12")}, []tEnt{
		asciiEnt(tagDateTimeOriginal, "2019:07:04 15:30:12"),
		{tag: tagMakerNote, typ: 7, count: uint32(len(makerNote)), val: makerNote},
	})
}

// liveMOV is an iPhone MOV whose QuickTime metadata holds id.
func liveMOV(id string) []byte {
	ftyp := box("ftyp", []byte("qt  "), binary.BigEndian.AppendUint32(nil, 0), []byte("qt  "))
	meta := quickTimeMeta([2]string{"com.apple.quicktime.make", "Apple"},
		[2]string{"com.apple.quicktime.content.identifier", id},
		[2]string{"com.apple.quicktime.creationdate", "2019-07-04T15:30:12+0200"})
	return append(append(ftyp, box("mdat", make([]byte, 64))...), box("moov", mvhdBox(0, mp4EpochOffset+1562247012), meta)...)
}

func TestContentIDFromJPEGMakerNote(t *testing.T) {
	for _, bo := range []order{binary.BigEndian, binary.LittleEndian} {
		j := jpegWithEXIF(t, iPhoneTIFF(bo, appleMakerNote(testContentID)))
		md := Read(bytes.NewReader(j), int64(len(j)), "image/jpeg")
		if md.ContentID != testContentID {
			t.Errorf("EXIF in %v: content ID %q, want %q (problems %v)", bo, md.ContentID, testContentID, md.Problems)
		}
		if md.Camera() != "Apple iPhone 12" || len(md.Candidates) != 1 {
			t.Errorf("the maker note disturbed the rest: camera %q, candidates %v", md.Camera(), md.Candidates)
		}
	}
}

func TestContentIDFromMOV(t *testing.T) {
	m := liveMOV(testContentID)
	md := Read(bytes.NewReader(m), int64(len(m)), "video/quicktime")
	if md.ContentID != testContentID {
		t.Fatalf("content ID %q, want %q (problems %v)", md.ContentID, testContentID, md.Problems)
	}
	if len(md.Candidates) != 2 {
		t.Errorf("candidates %v, want the creation date and mvhd", md.Candidates)
	}
	for _, bad := range []string{"", "   ", "has space", "bad\x01byte", strings.Repeat("A", contentIDMaxLen+1)} {
		m := liveMOV(bad)
		if md := Read(bytes.NewReader(m), int64(len(m)), "video/quicktime"); md.ContentID != "" {
			t.Errorf("identifier %q read as %q, want none", bad, md.ContentID)
		}
	}
	m = movFixture()
	if md := Read(bytes.NewReader(m), int64(len(m)), "video/quicktime"); md.ContentID != "" {
		t.Errorf("a MOV without the item has content ID %q", md.ContentID)
	}
}

// hostileMakerNotes are maker notes that must give no identifier and no panic.
func hostileMakerNotes() map[string][]byte {
	good := appleMakerNote(testContentID)
	be := binary.BigEndian
	set := func(at int, v []byte) []byte {
		b := append([]byte(nil), good...)
		copy(b[at:], v)
		return b
	}
	entry2 := appleMakerNoteIFD + 2 + 12 // the content identifier's entry
	return map[string][]byte{
		"truncated in the header":     good[:12],
		"truncated in the IFD":        good[:appleMakerNoteIFD+2+12],
		"truncated in the value":      good[:len(good)-10],
		"not Apple":                   set(0, []byte("Nikon\x00")),
		"no byte order mark":          set(12, []byte("XX")),
		"little endian mark, BE data": set(12, []byte("II")),
		"value offset past the end":   set(entry2+8, be.AppendUint32(nil, 0xFFFFFFF0)),
		"value count past the end":    set(entry2+4, be.AppendUint32(nil, 0x7FFFFFFF)),
		"huge entry count":            set(appleMakerNoteIFD, be.AppendUint16(nil, 0xFFFF)),
		"entries past the end":        set(appleMakerNoteIFD, be.AppendUint16(nil, 40)),
		"identifier not ASCII":        set(entry2+2, be.AppendUint16(nil, 7)),
		"identifier with control":     set(len(good)-5, []byte{0x01}),
		"empty identifier":            appleMakerNote(""),
	}
}

func TestContentIDRefusesBadMakerNotes(t *testing.T) {
	for name, mn := range hostileMakerNotes() {
		j := jpegWithEXIF(t, iPhoneTIFF(binary.BigEndian, mn))
		md := Read(bytes.NewReader(j), int64(len(j)), "image/jpeg")
		if md.ContentID != "" {
			t.Errorf("%s: content ID %q, want none", name, md.ContentID)
		}
		if len(md.Candidates) != 1 {
			t.Errorf("%s: the date was lost: %v %v", name, md.Candidates, md.Problems)
		}
	}
	// A maker note whose own offset points outside the EXIF data.
	tf := iPhoneTIFF(binary.BigEndian, appleMakerNote(testContentID))
	i := bytes.Index(tf, []byte{0x92, 0x7C, 0, 7})
	binary.BigEndian.PutUint32(tf[i+8:], uint32(len(tf)-20))
	j := jpegWithEXIF(t, tf)
	if md := Read(bytes.NewReader(j), int64(len(j)), "image/jpeg"); md.ContentID != "" {
		t.Errorf("a maker note out of the EXIF data gave %q", md.ContentID)
	}
}

// TestExiftoolReadsTheFixtures proves the fixtures are what an iPhone
// writes as far as exiftool knows: it reads the same identifier from them.
func TestExiftoolReadsTheFixtures(t *testing.T) {
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Skip("exiftool is not installed")
	}
	dir := t.TempDir()
	files := map[string][]byte{
		"IMG_0001.JPG": jpegWithEXIF(t, iPhoneTIFF(binary.BigEndian, appleMakerNote(testContentID))),
		"IMG_0001.MOV": liveMOV(testContentID),
	}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("exiftool", "-a", "-G1", "-s", "-MediaGroupUUID", "-ContentIdentifier", p).CombinedOutput()
		if err != nil {
			t.Fatalf("exiftool %s: %v\n%s", name, err, out)
		}
		if !strings.Contains(string(out), ": "+testContentID) {
			t.Errorf("exiftool does not read the identifier from %s:\n%s", name, out)
		}
	}
}

// TestContentIDInFilesExiftoolWrote reads the identifier from files exiftool
// wrote: a JPEG whose MediaGroupUUID it rewrote (it lays the maker note out
// again), and the HEIC sample with the Apple maker note copied into its Exif
// item.
func TestContentIDInFilesExiftoolWrote(t *testing.T) {
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Skip("exiftool is not installed")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src.jpg")
	if err := os.WriteFile(src, jpegWithEXIF(t, iPhoneTIFF(binary.LittleEndian, appleMakerNote(testContentID))), 0o644); err != nil {
		t.Fatal(err)
	}
	heic := filepath.Join(dir, "IMG_0001.HEIC")
	b, err := os.ReadFile(filepath.Join(fixtureDir, "sample.heic"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(heic, b, 0o644); err != nil {
		t.Fatal(err)
	}
	const rewritten = "0F0E0D0C-0B0A-4909-8807-060504030201"
	for _, args := range [][]string{
		{"-Apple:MediaGroupUUID=" + rewritten, src},
		{"-tagsFromFile", src, "-MakerNotes", heic},
	} {
		cmd := append([]string{"-q", "-overwrite_original"}, args...)
		if out, err := exec.Command("exiftool", cmd...).CombinedOutput(); err != nil {
			t.Fatalf("exiftool %v: %v\n%s", cmd, err, out)
		}
	}
	for path, mime := range map[string]string{src: "image/jpeg", heic: "image/heic"} {
		md := readMetaFile(t, path, mime)
		if md.ContentID != rewritten {
			t.Errorf("%s: content ID %q, want %q (problems %v)", filepath.Base(path), md.ContentID, rewritten, md.Problems)
		}
	}
}
