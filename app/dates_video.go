package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"shoebox/qtdate"
	"shoebox/safefs"
	"shoebox/store"
)

// WriteQuickTime is the operation (and the field shown) of a dates run
// that writes a video's own dates, asked for with --to exif: the creation
// times of its movie, track and media headers (package qtdate), in UTC as
// the QuickTime specification has them. The fields keep their width, so
// the new file is the old one with those bytes changed and nothing else,
// which Prove shows before it replaces the original. No second copy of the
// original is kept: the journal holds the old values (store.FieldPatch),
// and undo writes them back the same way, giving the original byte for
// byte.
const WriteQuickTime = "quicktime"

// isQuickTime says whether path is named like a QuickTime or MP4 movie.
func isQuickTime(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".mov", ".qt", ".mp4", ".m4v", ".3gp", ".3g2":
		return true
	}
	return false
}

// sidecarInstead is the note of a video whose dates go to its sidecar.
func sidecarInstead(why string) string { return why + ": written to its XMP sidecar instead" }

// planQuickTime plans writing c into the video at path, or says in words
// why it goes to the sidecar instead. A local time is never written as UTC:
// without its offset there is no instant to write.
func planQuickTime(path string, c *store.Correction) (*store.DatesEntry, string) {
	if c.Precision != store.PrecisionSecond {
		return nil, sidecarInstead("known only to the " + c.Precision + ", and QuickTime dates need a time of day")
	}
	v, err := ParseCandidateValue(c.Value)
	if err != nil {
		return nil, sidecarInstead("its date cannot be read (" + err.Error() + ")")
	}
	if !v.ZoneKnown {
		return nil, sidecarInstead("its time zone is unknown, and QuickTime dates are UTC")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, sidecarInstead("it cannot be read (" + describeFSError(err) + ")")
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, sidecarInstead("it cannot be read (" + describeFSError(err) + ")")
	}
	fields, err := qtdate.Locate(f, info.Size())
	if err != nil {
		return nil, sidecarInstead("its QuickTime dates cannot be written safely (" + err.Error() + ")")
	}
	utc := v.Wall.UTC()
	if utc.Year() < 1970 {
		// Valid by the specification, but so many programs once counted from
		// 1970 by mistake that readers (ExifTool among them) take any earlier
		// value for that mistake and show 1955 as 2021.
		return nil, sidecarInstead("before 1970, which programs reading QuickTime dates take for a clock error")
	}
	ps, err := qtdate.Set(fields, utc)
	if err != nil {
		return nil, sidecarInstead("its QuickTime dates cannot hold it (" + err.Error() + ")")
	}
	e := &store.DatesEntry{Field: WriteQuickTime, Target: path, New: utc.Format(time.RFC3339)}
	if fields[0].Value != 0 { // the movie header's creation time; 0 is "not set"
		e.Old = fields[0].Time().Format(time.RFC3339)
	}
	for _, p := range ps {
		e.Patches = append(e.Patches, store.FieldPatch{Box: p.Box, Track: p.Track, Name: p.Name,
			Offset: p.Offset, Width: p.Width, Old: p.Value, New: p.New})
	}
	return e, ""
}

// patchesOf are the journal's patches as qtdate writes them: from the old
// values to the new.
func patchesOf(e *store.DatesEntry) []qtdate.Patch {
	out := make([]qtdate.Patch, len(e.Patches))
	for i, p := range e.Patches {
		out[i] = qtdate.Patch{Field: qtdate.Field{Box: p.Box, Track: p.Track, Name: p.Name, Offset: p.Offset,
			Width: p.Width, Value: p.Old}, New: p.New}
	}
	return out
}

// writeQuickTime writes the new dates into a copy of the video beside it,
// proves the copy, records its checksum, and renames it over the original.
func (o datesOp) writeQuickTime(it store.ChangeItem) store.ChangeItem {
	e := it.Dates
	sum, err := o.k.patchVideo(it.Path, patchesOf(e), it.SHA256)
	switch {
	case errors.Is(err, errVideoChanged):
		return finish(it, store.ChangeSkipped, "changed while the date was being written, so it was left alone")
	case err != nil:
		return finish(it, store.ChangeError, "could not write the date into it; the file is untouched: "+err.Error())
	}
	e2 := *e
	e2.NewSHA256 = sum
	it.Dates = &e2
	if err := o.k.lib.db.PutChange(&it); err != nil { // the journal knows the new bytes before they are in place
		os.Remove(copyTemp(it.Path))
		return finish(it, store.ChangeError, "the library could not record the new file; the file is untouched: "+err.Error())
	}
	o.k.step("verified")
	if err := o.k.replaceVideo(it.Path); err != nil {
		if errors.Is(err, errVideoChanged) {
			return finish(it, store.ChangeSkipped, "changed while the date was being written, so it was left alone")
		}
		return finish(it, store.ChangeError, "could not put the new file in place; the file is untouched: "+err.Error())
	}
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}

// undoQuickTime writes the old dates back into the video the run wrote,
// the same way, and only when the result proves to be the original bytes.
func (k *changeKind) undoQuickTime(it store.ChangeItem) store.ChangeItem {
	e := it.Dates
	os.Remove(copyTemp(it.Path))
	sum, err := sha256File(context.Background(), it.Path)
	switch {
	case err != nil:
		return finish(it, store.ChangeError, "cannot read it: "+describeFSError(err))
	case sum == it.SHA256: // never replaced
	case e.NewSHA256 != "" && sum == e.NewSHA256:
		back, err := k.patchVideo(it.Path, qtdate.Revert(patchesOf(e)), e.NewSHA256)
		if err == nil && back != it.SHA256 {
			os.Remove(copyTemp(it.Path))
			err = errors.New("writing the old dates back would not give the original bytes")
		}
		if err == nil {
			err = k.replaceVideo(it.Path)
		}
		if err != nil {
			return finish(it, store.ChangeError, "could not put its old dates back; it was left as the run wrote it: "+err.Error())
		}
	default:
		return finish(it, store.ChangeError, fmt.Sprintf("%s was changed since the run, so it was left alone", ReadablePath(it.Path)))
	}
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}

// errVideoChanged: the video is not the bytes the patches were planned on.
var errVideoChanged = errors.New("the file changed while its dates were being written")

// patchVideo makes path's temporary copy with ps applied, with the
// original's permissions and modification time, flushed, and proves it
// against path, which must have the SHA-256 from. It returns the copy's
// SHA-256; on failure no copy is left.
func (k *changeKind) patchVideo(path string, ps []qtdate.Patch, from string) (string, error) {
	tmp := copyTemp(path)
	os.Remove(tmp) // only ever Shoebox's own leftover
	info, err := os.Stat(path)
	if err != nil {
		return "", errors.New(describeFSError(err))
	}
	if err := qtdate.WriteCopy(path, tmp, ps); err != nil {
		return "", err
	}
	if err := finishTemp(tmp, info); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("could not flush the new file: %s", describeFSError(err))
	}
	k.step("written")
	proof, err := proveVideo(path, tmp, ps)
	switch {
	case err != nil:
		os.Remove(tmp)
		return "", fmt.Errorf("the new file could not be shown to differ from it in its dates only: %w", err)
	case proof.OldSHA256 != from:
		os.Remove(tmp)
		return "", errVideoChanged
	}
	return proof.NewSHA256, nil
}

// proveVideo runs qtdate.Prove on two files.
func proveVideo(orig, patched string, ps []qtdate.Patch) (qtdate.Proof, error) {
	a, err := os.Open(orig)
	if err != nil {
		return qtdate.Proof{}, err
	}
	defer a.Close()
	b, err := os.Open(patched)
	if err != nil {
		return qtdate.Proof{}, err
	}
	defer b.Close()
	ai, err := a.Stat()
	if err != nil {
		return qtdate.Proof{}, err
	}
	bi, err := b.Stat()
	if err != nil {
		return qtdate.Proof{}, err
	}
	return qtdate.Prove(io.NewSectionReader(a, 0, ai.Size()), io.NewSectionReader(b, 0, bi.Size()), ps)
}

// replaceVideo renames path's proved copy over it (atomic: the old file or
// the new, never half). The copy has path's size and modification time, so
// a file that no longer has them was changed since the proof and is left.
func (k *changeKind) replaceVideo(path string) error {
	tmp := copyTemp(path)
	now, err1 := os.Lstat(path)
	made, err2 := os.Stat(tmp)
	if err1 != nil || err2 != nil || !now.Mode().IsRegular() || now.Size() != made.Size() || !now.ModTime().Equal(made.ModTime()) {
		os.Remove(tmp)
		return errVideoChanged
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return errors.New(describeFSError(err))
	}
	k.step("renamed")
	_ = safefs.SyncDir(filepath.Dir(path))
	return nil
}
