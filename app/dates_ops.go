package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"shoebox/safefs"
	"shoebox/store"
)

// datesOp writes one decided date: a sidecar (xmp), the modification time
// (mtime) or the file itself (exif; quicktime for a video, dates_video.go).
// Every byte written goes to a temporary file first, flushed and read back
// (or proved), then is renamed into place; the old
// bytes or time are in the journal (store.DatesEntry) before anything is
// touched, so undo puts them back exactly. A kill at any point leaves each
// file as it was or completely written.
type datesOp struct{ k *changeKind }

// EXIFDate is what LibraryOptions.EXIFWriter writes: the local wall-clock time and its
// UTC offset when known ("" when not: no OffsetTimeOriginal is written).
type EXIFDate struct {
	Wall   time.Time
	Offset string
}

func (o datesOp) check(ctx context.Context, it store.ChangeItem) (store.ChangeItem, bool, error) {
	if it.Dates == nil {
		return finish(it, store.ChangeError, "the run did not record what to write"), false, nil
	}
	e := it.Dates
	if it.Op != WriteMtime { // a time is set on the file as it is then, an in-file date written first included
		if reason, err := checkContent(ctx, it); reason != "" || err != nil {
			return finish(it, store.ChangeSkipped, reason), false, err
		}
	}
	switch it.Op {
	case WriteEXIF:
		return o.checkEXIF(it)
	case WriteQuickTime:
		return it, true, nil // its bytes were checked above; it keeps no second copy
	case WriteXMP:
		if state := sidecarState(e); state != "old" {
			return finish(it, store.ChangeSkipped, "its sidecar "+ReadablePath(e.Target)+" changed since the plan; it was left alone"), false, nil
		}
	case WriteMtime:
		if info, err := os.Lstat(it.Path); err != nil || !info.Mode().IsRegular() || info.ModTime().UnixNano() != e.OldMtimeNS {
			return finish(it, store.ChangeSkipped, "its modification time changed since the plan; it was left alone"), false, nil
		}
	}
	return it, true, nil
}

func (o datesOp) act(it store.ChangeItem) store.ChangeItem {
	e := it.Dates
	switch it.Op {
	case WriteXMP:
		if err := o.k.replaceBytes(e.Target, e.NewBytes, e.Existed, e.OldSHA256); err != nil {
			return finish(it, store.ChangeError, "could not write the sidecar "+ReadablePath(e.Target)+"; it is as it was: "+err.Error())
		}
	case WriteMtime:
		if err := setMtime(it.Path, e.NewMtimeNS); err != nil {
			return finish(it, store.ChangeError, "could not set its modification time: "+describeFSError(err))
		}
		o.k.step("mtime set")
	case WriteEXIF:
		return o.writeEXIF(it)
	case WriteQuickTime:
		return o.writeQuickTime(it)
	}
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}

// resume finishes an item found started: written in full is done; as it
// was, it is written again; anything else is someone else's and is left.
func (o datesOp) resume(it store.ChangeItem) store.ChangeItem {
	e := it.Dates
	switch it.Op {
	case WriteXMP:
		os.Remove(copyTemp(e.Target))
		switch sidecarState(e) {
		case "new":
			it.DoneAt = time.Now()
			return finish(it, store.ChangeDone, "")
		case "old":
			return o.act(it)
		}
		return finish(it, store.ChangeError, "its sidecar "+ReadablePath(e.Target)+" was changed by something else; it was left alone")
	case WriteMtime:
		return o.act(it) // setting a time is one step: doing it again is the same
	case WriteEXIF, WriteQuickTime:
		return o.resumeEXIF(it)
	}
	return finish(it, store.ChangeError, fmt.Sprintf("unknown operation %q", it.Op))
}

func (datesOp) abandon(store.ChangeItem) {}

// sidecarState says whether the target holds the old bytes (or is absent,
// as it was), the new ones, or something else.
func sidecarState(e *store.DatesEntry) string {
	data, err := os.ReadFile(e.Target)
	switch {
	case errors.Is(err, os.ErrNotExist) && !e.Existed:
		return "old"
	case err != nil:
		return "other"
	case sumOf(data) == e.NewSHA256:
		return "new"
	case e.Existed && sumOf(data) == e.OldSHA256:
		return "old"
	}
	return "other"
}

// replaceBytes puts data at target: into a temporary file beside it,
// flushed and read back, then renamed into place. A target that did not
// exist is never replaced (something that appeared meanwhile stays); one
// that did is replaced only while it still holds the bytes of oldSum.
func (k *changeKind) replaceBytes(target string, data []byte, existed bool, oldSum string) error {
	tmp := copyTemp(target)
	os.Remove(tmp) // only ever Shoebox's own leftover
	perm := os.FileMode(0o644)
	if info, err := os.Stat(target); err == nil && existed {
		perm = info.Mode().Perm() // an updated sidecar keeps its permissions
	}
	if err := writeTemp(tmp, data, perm); err != nil {
		os.Remove(tmp)
		return err
	}
	k.step("written")
	back, err := os.ReadFile(tmp)
	if err != nil || !bytes.Equal(back, data) {
		os.Remove(tmp)
		return fmt.Errorf("the temporary file did not read back as written")
	}
	k.step("verified")
	if existed {
		now, err := os.ReadFile(target)
		if err != nil || sumOf(now) != oldSum {
			os.Remove(tmp)
			return fmt.Errorf("%s changed meanwhile", ReadablePath(target))
		}
		err = os.Rename(tmp, target) // atomic: the old bytes or the new, never half
		if err != nil {
			os.Remove(tmp)
			return errors.New(describeFSError(err))
		}
	} else if err := safefs.RenameNoReplace(tmp, target); err != nil {
		os.Remove(tmp)
		return errors.New(moveError(err))
	}
	k.step("renamed")
	_ = safefs.SyncDir(filepath.Dir(target))
	return nil
}

// writeTemp writes data to a new file, flushed to disk.
func writeTemp(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return errors.New(describeFSError(err))
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return errors.New(describeFSError(err))
	}
	if err := f.Chmod(perm); err != nil { // whatever the umask made of it
		f.Close()
		return errors.New(describeFSError(err))
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return errors.New(describeFSError(err))
	}
	return f.Close()
}

// setMtime sets a file's modification time, leaving its access time.
func setMtime(path string, ns int64) error {
	return os.Chtimes(path, time.Time{}, time.Unix(0, ns))
}

// undoDate puts back what one item of a dates run wrote: the sidecar's old
// bytes (or no sidecar), the old modification time. What was changed by
// something else since is left alone, with the reason.
func (k *changeKind) undoDate(it store.ChangeItem) store.ChangeItem {
	e := it.Dates
	if e == nil {
		return finish(it, store.ChangeError, "the run did not record what it wrote")
	}
	switch it.Undoes {
	case WriteXMP:
		os.Remove(copyTemp(e.Target))
		switch sidecarState(e) {
		case "old":
			if e.Existed && e.OldMtimeNS != 0 { // a kill may have come between its bytes and its time
				_ = setMtime(e.Target, e.OldMtimeNS)
			}
		case "new":
			if err := k.restoreSidecar(e); err != nil {
				return finish(it, store.ChangeError, "could not put the sidecar "+ReadablePath(e.Target)+" back: "+err.Error())
			}
		default:
			return finish(it, store.ChangeError, "the sidecar "+ReadablePath(e.Target)+" was changed since the run, so it was left alone")
		}
	case WriteMtime:
		info, err := os.Stat(it.Path)
		switch {
		case err != nil:
			return finish(it, store.ChangeError, "cannot read it: "+describeFSError(err))
		case info.ModTime().UnixNano() == e.OldMtimeNS:
		case info.ModTime().UnixNano() != e.NewMtimeNS:
			return finish(it, store.ChangeError, "its modification time was changed since the run, so it was left alone")
		default:
			if err := setMtime(it.Path, e.OldMtimeNS); err != nil {
				return finish(it, store.ChangeError, "could not put its modification time back: "+describeFSError(err))
			}
			k.step("mtime put back")
		}
	case WriteEXIF:
		return k.undoEXIF(it)
	case WriteQuickTime:
		return k.undoQuickTime(it)
	default:
		return finish(it, store.ChangeError, fmt.Sprintf("cannot undo the operation %q", it.Undoes))
	}
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}

// restoreSidecar puts a sidecar's old bytes back, or removes one the run
// made, while it still holds what the run wrote.
func (k *changeKind) restoreSidecar(e *store.DatesEntry) error {
	if e.Existed {
		if err := k.replaceBytes(e.Target, e.OldBytes, true, e.NewSHA256); err != nil {
			return err
		}
		if e.OldMtimeNS != 0 {
			if err := setMtime(e.Target, e.OldMtimeNS); err != nil {
				return errors.New(describeFSError(err))
			}
		}
		return nil
	}
	if err := os.Remove(e.Target); err != nil {
		return errors.New(describeFSError(err))
	}
	k.step("removed")
	_ = safefs.SyncDir(filepath.Dir(e.Target))
	return nil
}
