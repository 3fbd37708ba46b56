package store

import (
	"os"

	bolt "go.etcd.io/bbolt"
)

// bbolt reads the library through a read-only shared memory map of the
// file, and the system counts every page of it a process has touched in
// its resident memory (RSS), for as long as the map lasts. A walk of a
// million records touches every page: 640 MB of a 669 MB library counted
// against the process, though the system may drop any of them at will.
//
// So a long read-only walk gives back the pages it has passed, at chunk
// boundaries (pageDropper): madvise(MADV_DONTNEED) on a read-only shared
// file map only unmaps the pages from this process; their bytes stay in the
// file and in the page cache, and the next read of one faults it back in,
// the same bytes. It is safe with other readers in the process (they fault
// the pages back) and with a writer: bbolt writes the file with pwrite,
// never through the map, and replaces the map only in a write
// transaction's commit, under its mmap lock, which waits for every read
// transaction; the drop is only ever made from inside one.
//
// Where the system has no such call (dropMapped, mapped_other.go), nothing
// is dropped: the walk is as before.

// dropAfter is how many bytes of records walks read between two drops
// (DB.dropAfter; tests make it smaller). A faulting page brings its
// neighbours in the page cache into the map with it (the kernel's
// fault-around, 64 KB), and the records of a bucket lie all over the file,
// so the resident part of the map grows by several times what was read. A
// drop throws away the neighbours not read yet, which fault again later:
// dropping more often costs more faults. Measured on dups at 1M files
// (peak RSS, CPU): no drops, 1,120 MB; every 64 MB read, 940 MB; every
// 8 MB, 665 MB; every 4 MB, 548 MB and about 4 s more CPU (16 s, under
// load). Giving back each page as a cursor leaves it, one madvise a page,
// kept the neighbours but cost 12 s of system time: each call flushes the
// address translations of every CPU the process runs on.
const dropAfter = 4 << 20

// pageDropper counts what walks read, across transactions (a walk in
// batches reads each batch in one of its own), and drops the map's pages
// from the process every dropAfter bytes, from inside the transaction
// that crosses the mark.
type pageDropper struct {
	db *DB
	tx *bolt.Tx
}

// read counts n bytes read from the map.
func (d pageDropper) read(n int) {
	if d.db != nil && d.db.passedMark(n) { // pageDropper{}: a walk that gives nothing back
		d.drop()
	}
}

// passedMark counts n bytes read from the map since the last drop and
// says whether they reach the mark for the next (DB.dropAfter, else the
// constant dropAfter).
func (db *DB) passedMark(n int) bool {
	limit := db.dropAfter
	if limit <= 0 {
		limit = dropAfter
	}
	return db.passed.Add(int64(n)) >= limit
}

// drop drops the map's pages from the process now, and starts counting
// again.
func (d pageDropper) drop() {
	if d.db == nil {
		return
	}
	d.db.passed.Store(0)
	dropMappedPages(d.tx)
}

// readScattered counts one record read by key where records lie all over
// the file (the files of duplicate groups): a page, mostly.
func (d pageDropper) readScattered() { d.read(os.Getpagesize()) }

// dropMappedPages unmaps from the process the pages of the library's map
// (up to the transaction's high-water mark), keeping the map itself. It
// must be called inside a transaction, which keeps bbolt from replacing
// the map meanwhile.
func dropMappedPages(tx *bolt.Tx) {
	size := tx.Size()
	if size <= 0 {
		return
	}
	dropMapped(tx.DB().Info().Data, size)
}

// wroteScattered counts n records rewritten in a write transaction just
// committed and, every dropAfter bytes (a page a record), drops the map's
// pages from inside a read transaction of its own. A scan's batches
// rewrite the pending records the listing stored all over the file, and
// bbolt reads each one's page through the map to find it: a first scan of
// a million files ended with 418 MB of the library resident.
func (db *DB) wroteScattered(n int) {
	if !db.passedMark(n * os.Getpagesize()) {
		return
	}
	_ = db.view(func(tx *bolt.Tx) error {
		pageDropper{db: db, tx: tx}.drop()
		return nil
	})
}
