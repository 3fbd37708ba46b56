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

// hardlinkOp replaces a copy with a hard link to the file kept: the copy's
// name stays and shows the same bytes, and its space is freed. Only for
// copies proven identical by SHA-256, on the kept file's volume. The link
// is made under a temporary name beside the copy (Dest, stored with the
// intent), checked, and then renamed over the copy; undo writes the bytes
// back as a file of their own (restoreLink).
type hardlinkOp struct{ k *changeKind }

func (o hardlinkOp) check(ctx context.Context, it store.ChangeItem) (store.ChangeItem, bool, error) {
	if it.SHA256 != it.KeepSHA256 {
		return finish(it, store.ChangeError, "is not the same bytes as the kept file: a hard link would replace it with another picture"), false, nil
	}
	it, ok, err := o.k.checkFiles(ctx, it)
	if !ok || err != nil {
		return it, ok, err
	}
	if same, err := safefs.SameVolume(it.Path, it.Keep); err != nil || !same {
		return finish(it, store.ChangeSkipped, "the kept file is on another volume: a hard link cannot reach it"), false, nil
	}
	keepID, _ := safefs.IDOf(it.Keep)
	if id, err := safefs.IDOf(it.Path); err == nil && id == keepID {
		return finish(it, store.ChangeSkipped, "is already the kept file under another name"), false, nil
	}
	it.Dest = filepath.Join(filepath.Dir(it.Path), fmt.Sprintf(".shoebox-link-%d-%d", it.JobID, it.Seq))
	return it, true, nil
}

func (o hardlinkOp) act(it store.ChangeItem) store.ChangeItem {
	keepID, err := safefs.IDOf(it.Keep)
	if err != nil {
		return finish(it, store.ChangeError, "the kept file cannot be read now: "+describeFSError(err))
	}
	if err := os.Link(it.Keep, it.Dest); err != nil {
		return finish(it, store.ChangeError, "could not make the link; the copy was left as it was: "+describeFSError(err))
	}
	o.k.step("linked")
	if id, err := safefs.IDOf(it.Dest); err != nil || id != keepID {
		os.Remove(it.Dest)
		return finish(it, store.ChangeError, "the link made is not the kept file; the copy was left as it was")
	}
	// The copy is looked at once more just before it is replaced.
	info, err := os.Lstat(it.Path)
	if err != nil || !info.Mode().IsRegular() || info.Size() != it.Size || info.ModTime().UnixNano() != it.MtimeNS {
		os.Remove(it.Dest)
		return finish(it, store.ChangeSkipped, "changed since the scan, just before it was replaced")
	}
	if err := os.Rename(it.Dest, it.Path); err != nil {
		os.Remove(it.Dest)
		return finish(it, store.ChangeError, "could not put the link in its place; the copy was left as it was: "+describeFSError(err))
	}
	o.k.step("replaced")
	_ = safefs.SyncDir(filepath.Dir(it.Path))
	return linkDone(it, keepID)
}

// resume finishes an item found started: a temporary link left over is
// removed; the copy is either still there (replace it now) or already the
// kept file.
func (o hardlinkOp) resume(it store.ChangeItem) store.ChangeItem {
	keepID, err := safefs.IDOf(it.Keep)
	if err != nil {
		return finish(it, store.ChangeError, "the kept file cannot be read now: "+describeFSError(err))
	}
	if id, err := safefs.IDOf(it.Dest); err == nil && id == keepID {
		os.Remove(it.Dest)
	}
	if id, err := safefs.IDOf(it.Path); err == nil && id == keepID {
		return linkDone(it, keepID)
	}
	info, err := os.Lstat(it.Path)
	if err != nil || info.Size() != it.Size || info.ModTime().UnixNano() != it.MtimeNS {
		return finish(it, store.ChangeError, "was found neither as it was nor replaced by the link")
	}
	if err := verify(it.Path, it.SHA256); err != nil {
		return finish(it, store.ChangeSkipped, "changed since the scan (its SHA-256 differs)")
	}
	return o.act(it)
}

func (hardlinkOp) abandon(store.ChangeItem) {}

func linkDone(it store.ChangeItem, keepID safefs.FileID) store.ChangeItem {
	if id, err := safefs.IDOf(it.Path); err != nil || id != keepID {
		return finish(it, store.ChangeError, "the link in its place is not the kept file")
	}
	if err := verify(it.Path, it.SHA256); err != nil {
		return finish(it, store.ChangeError, err.Error())
	}
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}

// restoreLink undoes a hard link: the bytes of the kept file are written to
// a temporary file beside Path, flushed, checked, given the copy's mode and
// mtime, and renamed over the link. Path must still be the kept file's link
// (or be missing); anything else standing there is left alone.
func (k *changeKind) restoreLink(it store.ChangeItem) store.ChangeItem {
	keepID, err := safefs.IDOf(it.Keep)
	if err != nil {
		return finish(it, store.ChangeError, "the kept file, whose bytes it shares, cannot be read now: "+describeFSError(err))
	}
	if id, err := safefs.IDOf(it.Dest); err == nil && id == keepID {
		os.Remove(it.Dest) // the temporary link of an apply that stopped before using it
	}
	id, err := safefs.IDOf(it.Path)
	switch {
	case err == nil && id != keepID:
		if verify(it.Path, it.SHA256) == nil {
			return finish(it, store.ChangeDone, "was already a file of its own")
		}
		return finish(it, store.ChangeError, fmt.Sprintf("something else now stands at %s; nothing was overwritten", ReadablePath(it.Path)))
	case err != nil && !os.IsNotExist(err):
		return finish(it, store.ChangeError, "cannot look at it: "+describeFSError(err))
	}
	tmp := filepath.Join(filepath.Dir(it.Path), fmt.Sprintf(".shoebox-restore-%d-%d", it.JobID, it.Seq))
	os.Remove(tmp) // a leftover of a run that stopped here
	if _, err := writeCopy(it.Keep, tmp, os.FileMode(it.Mode).Perm(), it.MtimeNS); err != nil {
		os.Remove(tmp)
		return finish(it, store.ChangeError, "could not write its bytes back: "+describeFSError(err))
	}
	k.step("copied back")
	if err := verify(tmp, it.SHA256); err != nil {
		os.Remove(tmp)
		return finish(it, store.ChangeError, err.Error())
	}
	if err := os.Rename(tmp, it.Path); err != nil {
		os.Remove(tmp)
		return finish(it, store.ChangeError, "could not put it back: "+describeFSError(err))
	}
	k.step("put back")
	_ = safefs.SyncDir(filepath.Dir(it.Path))
	if err := verify(it.Path, it.SHA256); err != nil {
		return finish(it, store.ChangeError, err.Error())
	}
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}
