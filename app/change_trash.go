package app

import (
	"context"

	"shoebox/store"
)

// trashOp: interim until the trash package lands.
type trashOp struct{ k *changeKind }

func (o trashOp) check(ctx context.Context, it store.ChangeItem) (store.ChangeItem, bool, error) {
	return finish(it, store.ChangeError, "the trash is not available yet"), false, nil
}
func (o trashOp) act(it store.ChangeItem) store.ChangeItem    { return it }
func (o trashOp) resume(it store.ChangeItem) store.ChangeItem { return it }

func putBack(it store.ChangeItem) error { return safefsRenameBack(it) }
