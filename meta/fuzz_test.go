package meta

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"

	"shoebox/datetime"
)

// Fuzz targets for every container parser. Invariants: no panic, every
// candidate has a source, a detail and a value that parses back.

func checkMeta(t *testing.T, md Metadata) {
	t.Helper()
	for _, c := range md.Candidates {
		if c.Source == "" || c.Detail == "" {
			t.Fatalf("candidate without source/detail: %+v", c)
		}
		if _, ok := datetime.ParseValue(c.Value); !ok {
			t.Fatalf("candidate value %q does not parse", c.Value)
		}
	}
	if md.Orientation < 0 || md.Orientation > 8 {
		t.Fatalf("orientation %d", md.Orientation)
	}
	if md.ContentID != cleanContentID(md.ContentID) {
		t.Fatalf("content ID %q is not a clean identifier", md.ContentID)
	}
}

// addMakerNoteSeeds adds EXIF with Apple maker notes, good and hostile, in
// the form wrap gives them.
func addMakerNoteSeeds(f *testing.F, wrap func(tiffData []byte) []byte) {
	f.Add(wrap(iPhoneTIFF(binary.BigEndian, appleMakerNote(testContentID))))
	for _, mn := range hostileMakerNotes() {
		f.Add(wrap(iPhoneTIFF(binary.LittleEndian, mn)))
	}
}

func addFixtureSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		if b, err := os.ReadFile(filepath.Join(fixtureDir, n)); err == nil {
			f.Add(b)
		}
	}
	for _, b := range hostileInputs() {
		f.Add(b)
	}
}

func fuzzContainer(f *testing.F, read func(r io.ReaderAt, size int64, md *Metadata)) {
	f.Fuzz(func(t *testing.T, b []byte) {
		var md Metadata
		read(bytes.NewReader(b), int64(len(b)), &md)
		checkMeta(t, md)
		// Read (detecting the MIME type) on the same bytes must not panic either.
		checkMeta(t, Read(bytes.NewReader(b), int64(len(b)), ""))
	})
}

func FuzzTIFF(f *testing.F) {
	f.Add(cameraTIFF(binary.LittleEndian, nil))
	f.Add(cameraTIFF(binary.BigEndian, cr2Extra))
	addFixtureSeeds(f, "sample.cr2", "sample.nef", "sample.dng")
	addMakerNoteSeeds(f, func(b []byte) []byte { return b })
	fuzzContainer(f, func(r io.ReaderAt, size int64, md *Metadata) { readEXIF(r, 0, size, "fuzz", md) })
}

func FuzzJPEG(f *testing.F) {
	addFixtureSeeds(f, "camera_le.jpg", "camera_be.jpg", "zero_dates.jpg")
	addMakerNoteSeeds(f, func(b []byte) []byte { return jpegWithEXIF(f, b) })
	fuzzContainer(f, readJPEGMeta)
}

func FuzzPNG(f *testing.F) {
	addFixtureSeeds(f, "sample.png")
	fuzzContainer(f, readPNGMeta)
}

func FuzzWebP(f *testing.F) {
	addFixtureSeeds(f, "sample.webp")
	fuzzContainer(f, readWebPMeta)
}

func FuzzHEIF(f *testing.F) {
	addFixtureSeeds(f, "sample.heic")
	fuzzContainer(f, readHEIFMeta)
}

func FuzzVideo(f *testing.F) {
	addFixtureSeeds(f, "sample.mp4", "sample.mov")
	f.Add(liveMOV(testContentID))
	fuzzContainer(f, readVideoMeta)
}

func FuzzRAF(f *testing.F) {
	addFixtureSeeds(f, "sample.raf")
	fuzzContainer(f, readRAFMeta)
}

func FuzzCR3(f *testing.F) {
	addFixtureSeeds(f, "sample.cr3")
	fuzzContainer(f, readCR3Meta)
}
