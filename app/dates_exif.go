package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"shoebox/safefs"
	"shoebox/store"
)

// The exif operation of a dates run: the dates written inside the file by
// LibraryOptions.EXIFWriter (writeJPEGDate), which makes the whole new file
// beside it.
// The original's bytes are kept under the run's quarantine by a second
// name (a hard link: they never move nor get copied) before the new file is
// renamed over the original, so undo renames them back, byte for byte.

// checkEXIF reserves where the original's bytes are kept (it.Dest, stored
// with the intent).
func (o datesOp) checkEXIF(it store.ChangeItem) (store.ChangeItem, bool, error) {
	dest, err := o.k.quarantinePath(it.Path)
	if err != nil {
		return finish(it, store.ChangeError, err.Error()), false, nil
	}
	it.Dest = dest
	return it, true, nil
}

// writeEXIF makes the new file, records its checksum, keeps the original's
// bytes and puts the new file in place.
func (o datesOp) writeEXIF(it store.ChangeItem) store.ChangeItem {
	e := it.Dates
	v, err := ParseCandidateValue(e.New)
	if err != nil {
		return finish(it, store.ChangeError, "its date cannot be read: "+err.Error())
	}
	info, err := os.Stat(it.Path)
	if err != nil {
		return finish(it, store.ChangeError, "cannot read it: "+describeFSError(err))
	}
	tmp := copyTemp(it.Path)
	os.Remove(tmp) // only ever Shoebox's own leftover
	failed := func(what string, err error) store.ChangeItem {
		os.Remove(tmp)
		return finish(it, store.ChangeError, what+"; the file is untouched: "+err.Error())
	}
	if err := o.k.lib.opt.EXIFWriter(it.Path, tmp, EXIFDate{Wall: v.Wall, Offset: v.Offset()}); err != nil {
		return failed("could not write the date into it", err)
	}
	if err := finishTemp(tmp, info); err != nil {
		return failed("could not flush the new file", err)
	}
	o.k.step("written")
	sum, err := sha256File(context.Background(), tmp)
	if err != nil {
		return failed("could not read the new file back", err)
	}
	e2 := *e
	e2.NewSHA256 = sum
	it.Dates = &e2
	if err := o.k.lib.db.PutChange(&it); err != nil { // the journal knows the new bytes before they are in place
		return failed("the library could not record the new file", err)
	}
	o.k.step("verified")
	return o.k.swapIn(it, tmp)
}

// finishTemp gives the new file the original's permissions and
// modification time (the dates inside change, not when the file did),
// flushed to disk.
func finishTemp(tmp string, orig os.FileInfo) error {
	if err := os.Chmod(tmp, orig.Mode().Perm()); err != nil {
		return err
	}
	if err := os.Chtimes(tmp, time.Time{}, orig.ModTime()); err != nil {
		return err
	}
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// swapIn keeps the original's bytes at it.Dest, then renames the new file
// over the original while it still has the scanned bytes.
func (k *changeKind) swapIn(it store.ChangeItem, tmp string) store.ChangeItem {
	if err := os.MkdirAll(filepath.Dir(it.Dest), 0o755); err != nil {
		os.Remove(tmp)
		return finish(it, store.ChangeError, "cannot make the folder its original bytes are kept in; the file is untouched: "+describeFSError(err))
	}
	if err := os.Link(it.Path, it.Dest); err != nil {
		if verify(it.Dest, it.SHA256) != nil { // a link made before a kill is fine
			os.Remove(tmp)
			return finish(it, store.ChangeError, "could not keep its original bytes; the file is untouched: "+describeFSError(err))
		}
	}
	_ = safefs.SyncDir(filepath.Dir(it.Dest))
	k.step("kept")
	if err := verify(it.Path, it.SHA256); err != nil {
		os.Remove(tmp)
		return finish(it, store.ChangeSkipped, "changed while the date was being written, so it was left alone")
	}
	if err := os.Rename(tmp, it.Path); err != nil { // atomic: the old file or the new, never half
		os.Remove(tmp)
		return finish(it, store.ChangeError, "could not put the new file in place; the file is untouched: "+describeFSError(err))
	}
	k.step("renamed")
	_ = safefs.SyncDir(filepath.Dir(it.Path))
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}

// resumeEXIF finishes an in-file item (exif or quicktime) found started,
// by what the file holds.
func (o datesOp) resumeEXIF(it store.ChangeItem) store.ChangeItem {
	os.Remove(copyTemp(it.Path))
	sum, err := sha256File(context.Background(), it.Path)
	switch {
	case err != nil:
		return finish(it, store.ChangeError, "cannot read it: "+describeFSError(err))
	case it.Dates.NewSHA256 != "" && sum == it.Dates.NewSHA256:
		it.DoneAt = time.Now()
		return finish(it, store.ChangeDone, "")
	case sum == it.SHA256:
		return o.act(it) // from the start: writeEXIF, or writeQuickTime for a video
	}
	return finish(it, store.ChangeError, "it was changed by something else while its date was being written; it was left alone")
}

// undoEXIF puts the original's bytes back over the file the run wrote, or
// drops the second name of an original the run never replaced.
func (k *changeKind) undoEXIF(it store.ChangeItem) store.ChangeItem {
	os.Remove(copyTemp(it.Path))
	sum, err := sha256File(context.Background(), it.Path)
	switch {
	case err != nil:
		return finish(it, store.ChangeError, "cannot read it: "+describeFSError(err))
	case sum == it.SHA256: // never replaced
		if it.Dest != "" && verify(it.Dest, it.SHA256) == nil {
			os.Remove(it.Dest)
			removeEmptyParents(it.Dest)
		}
	case it.Dates.NewSHA256 != "" && sum == it.Dates.NewSHA256:
		if err := verify(it.Dest, it.SHA256); err != nil {
			return finish(it, store.ChangeError, "its original bytes are not in the quarantine any more ("+err.Error()+"); the file was left as the run wrote it")
		}
		if err := os.Rename(it.Dest, it.Path); err != nil {
			return finish(it, store.ChangeError, "could not put its original bytes back: "+describeFSError(err))
		}
		k.step("put back")
		_ = safefs.SyncDir(filepath.Dir(it.Path))
		removeEmptyParents(it.Dest)
	default:
		return finish(it, store.ChangeError, fmt.Sprintf("%s was changed since the run, so it was left alone", ReadablePath(it.Path)))
	}
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}
