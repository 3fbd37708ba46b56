package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"shoebox/safefs"
	"shoebox/store"
)

// restoreOp puts back what one item of a dups run changed. Path is where the
// file was, Dest where its bytes went. Nothing standing at Path is ever
// overwritten: that item is an error with the reason, and the bytes stay
// where they are.
type restoreOp struct{ k *changeKind }

func (o restoreOp) check(_ context.Context, it store.ChangeItem) (store.ChangeItem, bool, error) {
	return it, true, nil // what to do is decided by looking at the disk (act)
}

func (o restoreOp) act(it store.ChangeItem) store.ChangeItem {
	switch it.Undoes {
	case "hardlink":
		return o.k.restoreLink(it)
	case "quarantine", "trash":
		return o.k.moveBack(it)
	case "copy":
		return o.k.removeCopy(it)
	case WriteXMP, WriteMtime, WriteEXIF, WriteQuickTime: // dates_ops.go
		return o.k.undoDate(it)
	}
	return finish(it, store.ChangeError, fmt.Sprintf("cannot undo the operation %q", it.Undoes))
}

func (o restoreOp) resume(it store.ChangeItem) store.ChangeItem { return o.act(it) }

func (restoreOp) abandon(store.ChangeItem) {}

// moveBack moves a file from the quarantine or the trash back to its path,
// from wherever an earlier attempt got to, and verifies it.
func (k *changeKind) moveBack(it store.ChangeItem) store.ChangeItem {
	if it.Dest == "" && it.Undoes == "trash" {
		return k.restoreFromBin(it)
	}
	if it.Dest == "" {
		return finish(it, store.ChangeError, "the run did not record where the file went")
	}
	w := look(it.Path, it.Dest)
	switch {
	case w.same:
		// A rename that fell back to link and remove stopped half way.
		if err := os.Remove(it.Dest); err != nil {
			return finish(it, store.ChangeError, "could not finish putting it back: "+describeFSError(err))
		}
	case w.atPath && w.atDest:
		return finish(it, store.ChangeError, fmt.Sprintf("something else now stands at %s; nothing was overwritten, the file is still at %s",
			ReadablePath(it.Path), ReadablePath(it.Dest)))
	case w.atDest:
		if err := verify(it.Dest, it.SHA256); err != nil {
			return finish(it, store.ChangeError, "the file at "+ReadablePath(it.Dest)+" is not the one moved there; it was left alone")
		}
		if err := os.MkdirAll(filepath.Dir(it.Path), 0o755); err != nil {
			return finish(it, store.ChangeError, "cannot make its folder again: "+describeFSError(err))
		}
		if err := putBack(it); err != nil {
			return finish(it, store.ChangeError, "could not put it back: "+moveError(err))
		}
		k.step("put back")
		_ = safefs.SyncDir(filepath.Dir(it.Path))
	case w.atPath:
		// Never moved, or already put back: the bytes tell.
	default:
		return finish(it, store.ChangeError, fmt.Sprintf("the file is no longer at %s (was the quarantine or the trash emptied?)", ReadablePath(it.Dest)))
	}
	if err := verify(it.Path, it.SHA256); err != nil {
		return finish(it, store.ChangeError, err.Error())
	}
	dropTrashInfo(it)
	if it.Undoes == "quarantine" {
		removeEmptyParents(it.Dest)
	}
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}

// removeEmptyParents removes the folders a quarantined file was in, up to
// and including its run's folder, as long as they are empty: undo leaves no
// empty tree behind.
func removeEmptyParents(dest string) {
	sep := string(filepath.Separator)
	i := strings.LastIndex(dest, sep+"run-")
	if i < 0 {
		return
	}
	removeEmptyFolders(filepath.Dir(dest), dest[:i]) // up to the quarantine, which stays
}

// removeEmptyFolders removes dir and its parents while they are empty, up to
// top, which is kept. os.Remove never removes a folder that holds anything.
func removeEmptyFolders(dir, top string) {
	for ; dir != top && within(dir, top); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			return
		}
	}
}

// restoreFromBin undoes a move to the Windows Recycle Bin, where the shell
// chose the name: the trash package finds the file by its original path.
func (k *changeKind) restoreFromBin(it store.ChangeItem) store.ChangeItem {
	if _, err := os.Lstat(it.Path); err != nil {
		if err := putBack(it); err != nil {
			return finish(it, store.ChangeError, "could not take it out of the Recycle Bin: "+moveError(err))
		}
		k.step("put back")
	}
	if err := verify(it.Path, it.SHA256); err != nil {
		return finish(it, store.ChangeError, err.Error())
	}
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}
