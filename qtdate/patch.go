package qtdate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"time"
)

// Patch is one field to write: where it lies and the value it must hold
// now (Field.Value), and the value written there (New).
type Patch struct {
	Field
	New uint64
}

// Seconds is t as a field of width bytes holds it: whole seconds since
// 1904-01-01 UTC (a fraction of a second is dropped). An instant before 1904,
// or past 2040-02-06T06:28:15Z for a 4-byte field, has no value.
func Seconds(t time.Time, width int) (uint64, error) {
	s := t.Unix() - epochUnix
	switch {
	case t.Unix() < epochUnix:
		return 0, fmt.Errorf("%s is before 1904, which QuickTime dates cannot hold", t.UTC().Format(time.RFC3339))
	case width == 4 && s > math.MaxUint32:
		return 0, fmt.Errorf("%s is after 2040-02-06T06:28:15Z, past what this file's 32-bit dates hold", t.UTC().Format(time.RFC3339))
	case width != 4 && width != 8:
		return 0, fmt.Errorf("a date field of %d bytes is not one QuickTime has", width)
	}
	return uint64(s), nil
}

// Set plans writing the instant t into fields (from Locate): every
// creation_time gets t; a modification_time is raised to t where it is
// earlier (a movie is not modified before it was made) and otherwise left
// as it is.
func Set(fields []Field, t time.Time) ([]Patch, error) {
	var out []Patch
	for _, f := range fields {
		v, err := Seconds(t, f.Width)
		if err != nil {
			return nil, err
		}
		if f.Name == Modification && f.Value >= v {
			continue
		}
		out = append(out, Patch{Field: f, New: v})
	}
	if len(out) == 0 {
		return nil, errors.New("the file has no date fields to write")
	}
	return out, nil
}

// Revert returns the patches that undo ps on the file ps were applied to:
// each field goes from its new value back to its old one.
func Revert(ps []Patch) []Patch {
	out := make([]Patch, len(ps))
	for i, p := range ps {
		out[i] = p
		out[i].Value, out[i].New = p.New, p.Value
	}
	return out
}

// checkPatches sorts ps by offset and refuses ones that overlap, run past
// size or do not fit their width.
func checkPatches(ps []Patch, size int64) ([]Patch, error) {
	if len(ps) == 0 {
		return nil, errors.New("nothing to write: no patches")
	}
	ps = append([]Patch(nil), ps...)
	sort.Slice(ps, func(a, b int) bool { return ps[a].Offset < ps[b].Offset })
	for i, p := range ps {
		if (p.Width != 4 && p.Width != 8) || p.Offset < 0 || p.Offset+int64(p.Width) > size {
			return nil, fmt.Errorf("the %s of %q at byte %d (%d bytes) does not lie inside the file", p.Name, p.Box, p.Offset, p.Width)
		}
		if p.Width == 4 && (p.New > math.MaxUint32 || p.Value > math.MaxUint32) {
			return nil, fmt.Errorf("the %s of %q at byte %d holds 32 bits only", p.Name, p.Box, p.Offset)
		}
		if i > 0 && ps[i-1].Offset+int64(ps[i-1].Width) > p.Offset {
			return nil, fmt.Errorf("two patches overlap at byte %d", p.Offset)
		}
	}
	return ps, nil
}

// WriteCopy makes dst (a new file; it must not exist) a copy of src with ps
// applied, flushed to disk. The copy is streamed, never held in memory.
// src must hold each patch's old value first, so that patches planned for
// other bytes are never applied. On failure dst is removed.
func WriteCopy(src, dst string, ps []Patch) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	if ps, err = checkPatches(ps, info.Size()); err != nil {
		return err
	}
	for _, p := range ps {
		got := make([]byte, p.Width)
		if _, err := in.ReadAt(got, p.Offset); err != nil {
			return fmt.Errorf("reading the %s of %q at byte %d: %w", p.Name, p.Box, p.Offset, err)
		}
		if decode(got) != p.Value {
			return fmt.Errorf("the %s of %q at byte %d is not the value planned from: the file changed since", p.Name, p.Box, p.Offset)
		}
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(dst)
		}
	}()
	n, err := io.Copy(out, in)
	if err != nil {
		return fmt.Errorf("copying the file: %w", err)
	}
	if n != info.Size() {
		return fmt.Errorf("copied %d bytes of %d: the file changed while it was copied", n, info.Size())
	}
	for _, p := range ps {
		if _, err := out.WriteAt(encode(p.New, p.Width), p.Offset); err != nil {
			return fmt.Errorf("writing the %s of %q at byte %d: %w", p.Name, p.Box, p.Offset, err)
		}
	}
	if err := out.Sync(); err != nil {
		return fmt.Errorf("flushing the copy to disk: %w", err)
	}
	return out.Close()
}

// Proof names the two files a proof was made on by their SHA-256.
type Proof struct {
	OldSHA256, NewSHA256 string
	Size                 int64
}

// proveChunk is how much of each file Prove holds at a time.
const proveChunk = 1 << 20

// Prove shows that patched is orig with exactly ps applied: both have the
// same length, orig holds each patch's old value and patched its new one,
// every other byte is the same, and the fields Locate finds in patched
// are the same fields, with the patched ones reading back their new
// values. Both are read in a stream once, and their checksums are returned.
func Prove(orig, patched *io.SectionReader, ps []Patch) (Proof, error) {
	size := orig.Size()
	if patched.Size() != size {
		return Proof{}, fmt.Errorf("the new file has %d bytes, the original %d", patched.Size(), size)
	}
	ps, err := checkPatches(ps, size)
	if err != nil {
		return Proof{}, err
	}
	for _, r := range []*io.SectionReader{orig, patched} {
		if _, err := r.Seek(0, io.SeekStart); err != nil {
			return Proof{}, err
		}
	}
	ho, hp := sha256.New(), sha256.New()
	a, b := make([]byte, proveChunk), make([]byte, proveChunk)
	for off := int64(0); off < size; off += proveChunk {
		n := int(min(proveChunk, size-off))
		if _, err := io.ReadFull(orig, a[:n]); err != nil {
			return Proof{}, fmt.Errorf("reading the original at byte %d: %w", off, err)
		}
		if _, err := io.ReadFull(patched, b[:n]); err != nil {
			return Proof{}, fmt.Errorf("reading the new file at byte %d: %w", off, err)
		}
		ho.Write(a[:n])
		hp.Write(b[:n])
		if err := compareChunk(a[:n], b[:n], off, ps); err != nil {
			return Proof{}, err
		}
	}
	if err := proveFields(orig, patched, ps); err != nil {
		return Proof{}, err
	}
	return Proof{OldSHA256: hex.EncodeToString(ho.Sum(nil)), NewSHA256: hex.EncodeToString(hp.Sum(nil)), Size: size}, nil
}

// compareChunk checks one chunk at off: the original's bytes with the
// patches laid over must be the new file's, and the original must hold
// each patch's old value.
func compareChunk(a, b []byte, off int64, ps []Patch) error {
	want := append([]byte(nil), a...)
	end := off + int64(len(a))
	for _, p := range ps {
		if p.Offset+int64(p.Width) <= off || p.Offset >= end {
			continue
		}
		oldB, newB := encode(p.Value, p.Width), encode(p.New, p.Width)
		for i := range p.Width {
			at := p.Offset + int64(i)
			if at < off || at >= end {
				continue
			}
			if a[at-off] != oldB[i] {
				return fmt.Errorf("the original's %s of %q at byte %d is not the old value planned from", p.Name, p.Box, p.Offset)
			}
			want[at-off] = newB[i]
		}
	}
	if bytes.Equal(want, b) {
		return nil
	}
	for i := range want {
		if want[i] != b[i] {
			return fmt.Errorf("the new file differs from the original at byte %d, outside the date fields or in one of them", off+int64(i))
		}
	}
	return nil
}

// proveFields locates the fields again in both files: the same fields at
// the same offsets, the patched ones with their new values.
func proveFields(orig, patched *io.SectionReader, ps []Patch) error {
	before, err := Locate(orig, orig.Size())
	if err != nil {
		return fmt.Errorf("the original: %w", err)
	}
	after, err := Locate(patched, patched.Size())
	if err != nil {
		return fmt.Errorf("the new file: %w", err)
	}
	if len(before) != len(after) {
		return fmt.Errorf("the new file has %d date fields, the original %d", len(after), len(before))
	}
	byOffset := map[int64]Patch{}
	for _, p := range ps {
		byOffset[p.Offset] = p
	}
	seen := 0
	for i, f := range after {
		want := before[i].Value
		if p, ok := byOffset[f.Offset]; ok {
			want, seen = p.New, seen+1
			if p.Width != f.Width || p.Box != f.Box || p.Name != f.Name {
				return fmt.Errorf("byte %d is the %s of %q, not the %s of %q that was planned", f.Offset, f.Name, f.Box, p.Name, p.Box)
			}
		}
		if f.Offset != before[i].Offset || f.Width != before[i].Width || f.Value != want {
			return fmt.Errorf("the %s of %q at byte %d does not read back the value intended", f.Name, f.Box, f.Offset)
		}
	}
	if seen != len(ps) {
		return fmt.Errorf("%d of the %d byte ranges written are not date fields", len(ps)-seen, len(ps))
	}
	return nil
}
