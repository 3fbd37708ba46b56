package qtdate

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shoebox/internal/testmp4"
)

var (
	shot     = time.Date(2019, 7, 4, 13, 30, 12, 0, time.UTC)
	edited   = time.Date(2019, 7, 5, 9, 0, 0, 0, time.UTC)
	newShot  = time.Date(2018, 1, 2, 3, 4, 5, 0, time.UTC)
	laterOne = time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
)

func locate(t *testing.T, b []byte) []Field {
	t.Helper()
	fields, err := Locate(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return fields
}

// Every layout a camera or an editor writes: version 0 and 1 dates, the
// moov before or after the media data, two tracks. Six fields per track and
// movie header, each at an offset that holds its value.
func TestLocateFindsEveryField(t *testing.T) {
	for _, m := range []testmp4.Movie{
		{Version: 0, Created: shot, Modified: edited},
		{Version: 1, Created: shot, Modified: edited, MoovAfterMdat: true, Brand: "qt  "},
		{Version: 0, Created: shot, Modified: edited, Tracks: 2, MoovAfterMdat: true},
	} {
		b := m.Bytes()
		fields := locate(t, b)
		tracks := max(m.Tracks, 1)
		if len(fields) != 2+4*tracks {
			t.Fatalf("%+v: %d fields", m, len(fields))
		}
		boxes := map[string]int{}
		for _, f := range fields {
			boxes[f.Box]++
			want := shot
			if f.Name == Modification {
				want = edited
			}
			if !f.Time().Equal(want) || f.Width != 4*int(m.Version+1) {
				t.Errorf("%+v: %+v reads %v", m, f, f.Time())
			}
			if got := decode(b[f.Offset : f.Offset+int64(f.Width)]); got != f.Value {
				t.Errorf("%+v: the bytes at %d hold %d, not %d", m, f.Offset, got, f.Value)
			}
		}
		if boxes["mvhd"] != 2 || boxes["tkhd"] != 2*tracks || boxes["mdhd"] != 2*tracks {
			t.Errorf("%+v: fields by box %v", m, boxes)
		}
	}
}

// 64-bit box sizes (size 1) and a last box that runs to the end (size 0)
// are walked like any other.
func TestLocateBigAndToTheEndSizes(t *testing.T) {
	c, m := testmp4.Seconds(shot), testmp4.Seconds(edited)
	moov := testmp4.LargeBox("moov", testmp4.MVHD(1, c, m), testmp4.Trak(1, 1, c, m))
	ftyp := testmp4.Box("ftyp", []byte("isom\x00\x00\x02\x00isom"))
	for _, b := range [][]byte{
		append(append(ftyp, moov...), testmp4.ToEndBox("mdat", make([]byte, 100))...),
		append(append(ftyp, testmp4.LargeBox("mdat", make([]byte, 100))...), moov...),
	} {
		if fields := locate(t, b); len(fields) != 6 || !fields[0].Time().Equal(shot) {
			t.Errorf("fields %+v", fields)
		}
	}
}

// What is odd is refused, in words.
func TestLocateRefusesOddFiles(t *testing.T) {
	good := testmp4.Movie{Created: shot, Modified: edited}.Bytes()
	c := testmp4.Seconds(shot)
	ftyp := testmp4.Box("ftyp", []byte("isom\x00\x00\x02\x00isom"))
	mvhd := testmp4.MVHD(0, c, c)
	badVersion := testmp4.MVHD(2, c, c)
	for name, tc := range map[string]struct {
		b    []byte
		want string
	}{
		"no moov":        {append(ftyp, testmp4.Box("mdat", make([]byte, 10))...), "no movie header"},
		"two moovs":      {append(append([]byte{}, good...), testmp4.Box("moov", mvhd, testmp4.Trak(0, 1, c, c))...), "two movie headers"},
		"truncated":      {good[:len(good)-1], "truncated"},
		"cut header":     {append(append([]byte{}, good...), 0, 0, 0), "too few for a box header"},
		"no mvhd":        {append(ftyp, testmp4.Box("moov", testmp4.Trak(0, 1, c, c))...), `no "mvhd"`},
		"two mvhd":       {append(ftyp, testmp4.Box("moov", mvhd, mvhd, testmp4.Trak(0, 1, c, c))...), `2 "mvhd"`},
		"no tracks":      {append(ftyp, testmp4.Box("moov", mvhd)...), "no tracks"},
		"no tkhd":        {append(ftyp, testmp4.Box("moov", mvhd, testmp4.Box("trak", testmp4.Box("mdia", testmp4.MDHD(0, c, c))))...), `no "tkhd"`},
		"no mdhd":        {append(ftyp, testmp4.Box("moov", mvhd, testmp4.Box("trak", testmp4.TKHD(0, 1, c, c), testmp4.Box("mdia")))...), `no "mdhd"`},
		"version 2":      {append(ftyp, testmp4.Box("moov", badVersion, testmp4.Trak(0, 1, c, c))...), "version 2"},
		"short mvhd":     {append(ftyp, testmp4.Box("moov", testmp4.Box("mvhd", []byte{0, 0, 0, 0, 1, 2}), testmp4.Trak(0, 1, c, c))...), "too short"},
		"size 0 inside":  {append(ftyp, testmp4.Box("moov", mvhd, []byte{0, 0, 0, 0, 'f', 'r', 'e', 'e'})...), "size 0"},
		"smaller than 8": {append(ftyp, 0, 0, 0, 4, 'f', 'r', 'e', 'e'), "less than its own header"},
		"empty":          {nil, "no movie header"},
	} {
		_, err := Locate(bytes.NewReader(tc.b), int64(len(tc.b)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, tc.want)
		}
	}
}

func TestSecondsBounds(t *testing.T) {
	if s, err := Seconds(time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC), 4); err != nil || s != 0 {
		t.Errorf("1904: %d %v", s, err)
	}
	last := time.Date(2040, 2, 6, 6, 28, 15, 0, time.UTC)
	if s, err := Seconds(last, 4); err != nil || s != 0xFFFFFFFF {
		t.Errorf("the last 32-bit second: %d %v", s, err)
	}
	if _, err := Seconds(last.Add(time.Second), 4); err == nil || !strings.Contains(err.Error(), "32-bit") {
		t.Errorf("past 32 bits: %v", err)
	}
	if s, err := Seconds(last.Add(time.Second), 8); err != nil || s != 1<<32 {
		t.Errorf("past 32 bits in a 64-bit field: %d %v", s, err)
	}
	if _, err := Seconds(time.Date(1903, 12, 31, 23, 59, 59, 0, time.UTC), 8); err == nil || !strings.Contains(err.Error(), "before 1904") {
		t.Errorf("1903: %v", err)
	}
	// The same instant written from any zone is the same UTC second.
	tokyo := time.FixedZone("+09:00", 9*3600)
	a, _ := Seconds(time.Date(2019, 7, 4, 22, 30, 12, 0, tokyo), 4)
	if b, _ := Seconds(shot, 4); a != b || a != testmp4.Seconds(shot) {
		t.Errorf("zones: %d %d", a, b)
	}
}

// writeAndProve patches a copy of b on disk and proves it.
func writeAndProve(t *testing.T, b []byte, ps []Patch) (string, []byte, Proof) {
	t.Helper()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "a.mp4"), filepath.Join(dir, "b.mp4")
	if err := os.WriteFile(src, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteCopy(src, dst, ps); err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := Prove(io.NewSectionReader(bytes.NewReader(b), 0, int64(len(b))), io.NewSectionReader(bytes.NewReader(out), 0, int64(len(out))), ps)
	if err != nil {
		t.Fatal(err)
	}
	return dst, out, proof
}

// Set writes the instant into every creation time and raises a
// modification time only where it would be earlier; the copy is proved;
// reverting gives back the original byte for byte.
func TestSetWriteProveRevert(t *testing.T) {
	for _, v := range []byte{0, 1} {
		orig := testmp4.Movie{Version: v, Created: shot, Modified: edited, Tracks: 2, MoovAfterMdat: v == 1}.Bytes()
		for _, when := range []time.Time{newShot, laterOne} {
			ps, err := Set(locate(t, orig), when)
			if err != nil {
				t.Fatal(err)
			}
			_, out, proof := writeAndProve(t, orig, ps)
			for _, f := range locate(t, out) {
				want := when
				if f.Name == Modification && edited.After(when) {
					want = edited
				}
				if !f.Time().Equal(want) {
					t.Errorf("v%d %v: %s of %s reads %v", v, when, f.Name, f.Box, f.Time())
				}
			}
			if proof.Size != int64(len(orig)) || proof.OldSHA256 == proof.NewSHA256 {
				t.Errorf("proof %+v", proof)
			}
			_, back, undo := writeAndProve(t, out, Revert(ps))
			if !bytes.Equal(back, orig) || undo.NewSHA256 != proof.OldSHA256 {
				t.Fatalf("v%d: reverting did not give back the original", v)
			}
		}
	}
}

// Prove refuses a copy that differs anywhere else, a different length, a
// patch that is not a date field, and an original that no longer holds
// the old values.
func TestProveRefuses(t *testing.T) {
	orig := testmp4.Movie{Created: shot, Modified: edited, MdatSize: 3 << 20}.Bytes()
	ps, err := Set(locate(t, orig), newShot)
	if err != nil {
		t.Fatal(err)
	}
	_, good, _ := writeAndProve(t, orig, ps)
	sr := func(b []byte) *io.SectionReader { return io.NewSectionReader(bytes.NewReader(b), 0, int64(len(b))) }
	flip := func(at int) []byte { b := bytes.Clone(good); b[at] ^= 1; return b }
	bogus := append([]Patch(nil), ps...)
	bogus[0].Offset, bogus[0].Value, bogus[0].New = 100, uint64(binary.BigEndian.Uint32(orig[100:])), 7
	notADate := bytes.Clone(good)
	copy(notADate[100:], encode(7, 4))
	copy(notADate[ps[0].Offset:], encode(ps[0].Value, 4)) // the first planned field stays as it was
	for name, tc := range map[string]struct {
		orig, patched []byte
		ps            []Patch
		want          string
	}{
		"a byte in the media data": {orig, flip(len(good) - 5), ps, "differs"},
		"a byte past the first MB": {orig, flip(1<<20 + 3), ps, "differs"},
		"a date not intended":      {orig, flip(int(ps[0].Offset) + 3), ps, "differs"},
		"longer":                   {orig, append(bytes.Clone(good), 0), ps, "bytes"},
		"old value not there":      {good, good, ps, "old value"},
		"no patches":               {orig, orig, nil, "no patches"},
		"not a date field":         {orig, notADate, bogus, "not date fields"},
	} {
		if _, err := Prove(sr(tc.orig), sr(tc.patched), tc.ps); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

// WriteCopy refuses patches planned on other bytes and leaves no file.
func TestWriteCopyRefusesChangedSource(t *testing.T) {
	orig := testmp4.Movie{Created: shot, Modified: edited}.Bytes()
	ps, _ := Set(locate(t, orig), newShot)
	other := testmp4.Movie{Created: laterOne, Modified: laterOne}.Bytes()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "a.mp4"), filepath.Join(dir, "b.mp4")
	os.WriteFile(src, other, 0o644)
	if err := WriteCopy(src, dst, ps); err == nil || !strings.Contains(err.Error(), "changed since") {
		t.Fatalf("WriteCopy on other bytes: %v", err)
	}
	if _, err := os.Stat(dst); err == nil {
		t.Fatal("a refused copy was left behind")
	}
	os.WriteFile(dst, nil, 0o644)
	os.WriteFile(src, orig, 0o644)
	if err := WriteCopy(src, dst, ps); err == nil {
		t.Fatal("WriteCopy wrote over an existing file")
	}
}
