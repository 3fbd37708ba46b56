package store

import (
	"encoding/json"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// recoveredChanges gathers what Recover saves of the change runs: their
// journal items, without which a run could not be undone, and the library's
// preferences (its protected folders above all).
type recoveredChanges struct {
	items map[string]ChangeItem // by key
	prefs []byte
	lost  int
}

// add takes one changes-bucket entry; from a cut-off page (salvaged) it
// only fills a gap, or replaces an item less far along.
func (rc *recoveredChanges) add(k, v []byte, salvaged bool) bool {
	var c ChangeItem
	if len(k) != 16 || json.Unmarshal(v, &c) != nil || string(c.Key()) != string(k) {
		if !salvaged {
			rc.lost++
		}
		return false
	}
	old, ok := rc.items[string(k)]
	if ok && (!salvaged || changeRank(old.State) >= changeRank(c.State)) {
		return false
	}
	rc.items[string(k)] = c
	return true
}

// changeRank orders an item's states by how far along it is.
func changeRank(s ChangeState) int {
	switch s {
	case ChangePending:
		return 0
	case ChangeStarted:
		return 1
	}
	return 2
}

// salvage reads change items from pages cut off from the damaged tree.
func (rc *recoveredChanges) salvage(src string) int {
	n := 0
	_ = salvageLeaves(src, func(k, v []byte) {
		if len(k) == 16 && len(v) > 0 && v[0] == '{' && rc.add(k, v, true) {
			n++
		}
	})
	return n
}

// write stores the saved items and preferences in the new library.
func (rc *recoveredChanges) write(dst *DB) error {
	keys := make([]string, 0, len(rc.items))
	for k := range rc.items {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return dst.update(func(tx *bolt.Tx) error {
		for _, k := range keys {
			c := rc.items[k]
			if err := putChange(tx, &c); err != nil {
				return err
			}
		}
		if rc.prefs != nil {
			return tx.Bucket(bucketMeta).Put(keyPrefs, rc.prefs)
		}
		return nil
	})
}

// changeCounts counts a change run's items as FileCounts, so a recovered run
// and its journal agree.
func changeCounts(tx *bolt.Tx, jobID uint64) FileCounts {
	var c FileCounts
	b := tx.Bucket(bucketChanges)
	if b == nil {
		return c
	}
	prefix := u64(jobID)
	cur := b.Cursor()
	for k, v := cur.Seek(prefix); len(k) == 16 && string(k[:8]) == string(prefix); k, v = cur.Next() {
		var it ChangeItem
		if json.Unmarshal(v, &it) != nil {
			continue
		}
		c.Total++
		switch it.State {
		case ChangePending, ChangeStarted:
			c.Pending++
		case ChangeError:
			c.Error++
		case ChangeSkipped:
			c.Skipped++
		}
	}
	return c
}
