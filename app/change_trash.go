package app

import (
	"context"
	"errors"
	"os"

	"shoebox/safefs"
	"shoebox/store"
	"shoebox/trash"
)

// trashOp moves a copy to the operating system's trash (package trash), so
// that the desktop's own Restore works as well as Shoebox's undo. The trash
// name is reserved (trash.Prepare) before the intent is stored, and the
// reservation is journaled with it.
type trashOp struct{ k *changeKind }

func (o trashOp) check(ctx context.Context, it store.ChangeItem) (store.ChangeItem, bool, error) {
	it, ok, err := o.k.checkFiles(ctx, it)
	if !ok || err != nil {
		return it, ok, err
	}
	e, err := trash.Prepare(it.Path, o.k.lib.opt.Trash)
	if err != nil {
		why := describeFSError(err)
		if errors.Is(err, trash.ErrNoTrash) {
			why = err.Error() + "; the quarantine can be used instead"
		}
		return finish(it, store.ChangeError, "cannot move it to the trash: "+why), false, nil
	}
	it.Dest, it.TrashInfo, it.Trash = e.File, e.Info, e.Trash
	return it, true, nil
}

func (o trashOp) act(it store.ChangeItem) store.ChangeItem {
	e := trashEntry(it)
	it = o.k.moveOut(it, func() error { return trash.Commit(e) })
	if it.State != store.ChangeDone {
		_ = trash.Abandon(e) // only drops the reservation if the file is not in the trash
	}
	return it
}

func (o trashOp) resume(it store.ChangeItem) store.ChangeItem { return o.act(it) }

func (o trashOp) abandon(it store.ChangeItem) { _ = trash.Abandon(trashEntry(it)) }

func trashEntry(it store.ChangeItem) trash.Entry {
	return trash.Entry{Original: it.Path, File: it.Dest, Info: it.TrashInfo, Trash: it.Trash}
}

// putBack moves a file from the quarantine or the trash back to its path,
// never replacing anything standing there.
func putBack(it store.ChangeItem) error {
	if it.Undoes == "trash" {
		return trash.Restore(trashEntry(it))
	}
	return safefs.RenameNoReplace(it.Dest, it.Path)
}

// dropTrashInfo removes what is left of a trash reservation once the file is
// back at its path (a .trashinfo whose file is not in the trash).
func dropTrashInfo(it store.ChangeItem) {
	if it.Undoes == "trash" && it.TrashInfo != "" {
		if _, err := os.Lstat(it.Dest); os.IsNotExist(err) {
			_ = trash.Abandon(trashEntry(it))
		}
	}
}
