package app

import (
	"shoebox/store"
)

// organiseItems turns the files, in the run's order, into the run's
// journal: a copy for each file filed (followed, when moving, by the
// source's move to the quarantine or trash, checked against its verified
// copy), such a move for a duplicate or a file already in the library
// when moving (checked against the file holding its bytes), and for every
// other file an item stored finished, never acted on, that keeps its fate
// in the ledger.
func organiseItems(files []*orgFile, opt OrganiseOptions) []store.ChangeItem {
	var items []store.ChangeItem
	for _, f := range files {
		e := &store.OrganiseEntry{Fate: f.entry.Fate, Of: f.entry.Of, Root: opt.Dest}
		it := store.ChangeItem{Path: f.abs, Size: f.size, MtimeNS: f.mtime, SHA256: f.sum, Mode: f.mode,
			State: store.ChangePending, Organise: e}
		switch f.entry.Fate {
		case store.FateFiled, store.FateUnsorted:
			it.Op, it.Dest = "copy", f.entry.Dest
			e.MtimeNS = f.mtime
			if f.bundle != nil {
				e.MtimeNS = (&bundler{opt: opt}).copyMtime(f, f.bundle.primary)
			}
			items = append(items, it)
			if opt.Move {
				items = append(items, moveAfter(f, f.entry.Dest, e.MtimeNS, *e, opt.MoveTo))
			}
		case store.FateDuplicate, store.FateAlready:
			if opt.Move {
				items = append(items, moveAfter(f, f.entry.Of, f.keepMtime, *e, opt.MoveTo))
				continue
			}
			it.Op, it.State, it.Reason = "ledger", store.ChangeSkipped, f.entry.Reason
			items = append(items, it)
		default:
			it.Op, it.State, it.Reason = "ledger", store.ChangeSkipped, f.entry.Reason
			items = append(items, it)
		}
	}
	return items
}

// moveAfter moves a source to the quarantine or the trash (op) once the
// library holds its bytes at keep: the operation checks the source and keep
// again (size, mtime, SHA-256) just before it moves anything.
func moveAfter(f *orgFile, keep string, keepMtime int64, e store.OrganiseEntry, op string) store.ChangeItem {
	return store.ChangeItem{Op: op, Path: f.abs, Size: f.size, MtimeNS: f.mtime, SHA256: f.sum, Mode: f.mode,
		Keep: keep, KeepSize: f.size, KeepMtime: keepMtime, KeepSHA256: f.sum, State: store.ChangePending, Organise: &e}
}
