package qtdate

import (
	"bytes"
	"io"
	"testing"
	"time"

	"shoebox/internal/testmp4"
)

// FuzzLocate: no input makes Locate panic or report a field outside the
// file, and on whatever it accepts, Set, an in-memory patch and Prove agree.
func FuzzLocate(f *testing.F) {
	shot := time.Date(2019, 7, 4, 13, 30, 12, 0, time.UTC)
	for _, m := range []testmp4.Movie{
		{Created: shot, Modified: shot, MdatSize: 16},
		{Version: 1, Created: shot, Modified: shot, Tracks: 2, MoovAfterMdat: true, MdatSize: 16},
	} {
		f.Add(m.Bytes())
	}
	f.Add(append(testmp4.Box("ftyp", []byte("isom")), testmp4.ToEndBox("mdat", []byte{1, 2, 3})...))
	f.Add([]byte{0, 0, 0, 1, 'm', 'o', 'o', 'v', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		fields, err := Locate(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		for _, fd := range fields {
			if fd.Offset < 0 || fd.Offset+int64(fd.Width) > int64(len(b)) {
				t.Fatalf("field outside the file: %+v", fd)
			}
			_ = fd.Time()
		}
		ps, err := Set(fields, shot)
		if err != nil {
			return
		}
		out := bytes.Clone(b)
		for _, p := range ps {
			copy(out[p.Offset:], encode(p.New, p.Width))
		}
		sr := func(x []byte) *io.SectionReader { return io.NewSectionReader(bytes.NewReader(x), 0, int64(len(x))) }
		if _, err := Prove(sr(b), sr(out), ps); err != nil {
			t.Fatalf("a patch made as planned does not prove: %v", err)
		}
	})
}
