package exifdate

import (
	"bytes"
	"strings"
	"testing"
)

// TestUndoRestoresBytes: the saved segment turns every written fixture back
// into the original, byte for byte, whether it had EXIF or not.
func TestUndoRestoresBytes(t *testing.T) {
	for _, f := range fixtures(t) {
		saved, err := ExifSegment(f.b)
		if err != nil {
			t.Fatal(err)
		}
		if (saved != nil) != bytes.Contains(f.b, exifHeader) {
			t.Errorf("%s: saved %d bytes", f.name, len(saved))
		}
		cur := f.b
		for _, w := range dates()[:3] { // several writes, one undo back to the start
			if cur, _, err = SetJPEGDate(cur, w.d, w.opt); err != nil {
				t.Fatal(err)
			}
		}
		back, err := RestoreExifSegment(cur, saved)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if !bytes.Equal(back, f.b) {
			t.Errorf("%s: undo gave %d bytes, not the original %d", f.name, len(back), len(f.b))
		}
	}
}

func TestUndoRefusals(t *testing.T) {
	plain := plainJPEG(t)
	if _, err := RestoreExifSegment(plain, nil); err == nil || !strings.Contains(err.Error(), "no EXIF segment") {
		t.Errorf("no EXIF: %v", err)
	}
	written, _, err := SetJPEGDate(plain, dates()[0].d, dates()[0].opt)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := ExifSegment(written)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{saved[:len(saved)-1], {0xFF, 0xE1, 0, 2}, append([]byte{0xFF, 0xE2}, saved[2:]...)} {
		if _, err := RestoreExifSegment(written, bad); err == nil || !strings.Contains(err.Error(), "not one whole APP1") {
			t.Errorf("a broken saved segment: %v", err)
		}
	}
}
