package exifdate

import (
	"bytes"
	"testing"
)

// FuzzSetJPEGDate feeds damaged JPEGs and EXIF to the writer: it must never
// panic, and whatever it accepts must pass the proof, read back as the date
// it was given, and undo to the input byte for byte.
func FuzzSetJPEGDate(f *testing.F) {
	plain := plainJPEG(f)
	for _, seed := range [][]byte{readFixture(f, iphoneFixture), plain, withJFIF(plain)} {
		f.Add(seed, uint8(0))
		f.Add(seed, uint8(3))
	}
	written, _, err := SetJPEGDate(plain, dates()[0].d, dates()[0].opt)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(written, uint8(1))
	ws := dates()
	f.Fuzz(func(t *testing.T, src []byte, which uint8) {
		w := ws[int(which)%len(ws)]
		in := bytes.Clone(src)
		out, _, err := SetJPEGDate(src, w.d, w.opt)
		if !bytes.Equal(in, src) {
			t.Fatal("SetJPEGDate changed its input")
		}
		if _, rerr := ReadJPEGDate(src); rerr != nil && err == nil {
			t.Fatalf("SetJPEGDate accepted EXIF that ReadJPEGDate refuses: %v", rerr)
		}
		if err != nil {
			if err.Error() == "" || out != nil {
				t.Fatalf("error %q with output %d bytes", err, len(out))
			}
			return
		}
		if perr := ProveImageUnchanged(src, out); perr != nil {
			t.Fatalf("accepted output fails the proof: %v", perr)
		}
		got, rerr := ReadJPEGDate(out)
		want, _ := Planned(w.d, w.opt)
		got.HadExif, want.HadExif = false, false
		if rerr != nil || got != want {
			t.Fatalf("reads back %+v (%v), want %+v", got, rerr, want)
		}
		saved, serr := ExifSegment(src)
		back, berr := RestoreExifSegment(out, saved)
		if serr != nil || berr != nil || !bytes.Equal(back, src) {
			t.Fatalf("undo does not give the input back: %v, %v", serr, berr)
		}
	})
}
