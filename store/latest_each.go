package store

import (
	"bytes"
	"container/heap"
	"path/filepath"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// LatestOptions say which of the records LatestFiles picks EachLatest
// hands out, and how many it decodes at once.
type LatestOptions struct {
	// Status says, from a record's header, which statuses are handed out:
	// the record that stands for a path with another status is not handed
	// out, and is decoded only when that is needed to tell which record
	// stands (a damaged record stands for nothing). Default (nil): every
	// status.
	Status func(media.Status) bool
	// Batch is how many records are decoded at once, each batch read in a
	// read transaction of its own, closed before fn sees the batch.
	// Default (<= 0): DefaultEachBatch.
	Batch int
}

// EachLatest calls fn with the record that stands for each path the
// library knows, as LatestFiles picks it, path after path, never holding
// more than one batch of decoded records. The paths come in the order of
// their '/'-separated form: LatestFiles' order where the separator is '/'.
//
// Each root of each job lists its files in the order of their paths below
// the root, so the walk merges those ranges and meets every record of one
// path together: it keeps nothing per path, and a million files cost what
// one batch costs, where LatestFiles holds every record at once. A record
// is decoded only when it may stand for its path and one of the records
// that may stand has a status opt.Status asks for. A record that cannot be
// decoded is skipped and counted, as LatestFiles does, and the record
// standing before it stands: the walk goes on and ends with a
// *DamagedRecords error for all of them (a damaged record that could not
// have stood, an older one or one of a status not asked for, is not read,
// so not counted). An error from fn stops the walk and is returned.
func (db *DB) EachLatest(opt LatestOptions, fn func(FileRecord) error) error {
	if opt.Batch <= 0 {
		opt.Batch = DefaultEachBatch
	}
	if opt.Status == nil {
		opt.Status = func(media.Status) bool { return true }
	}
	var ranges []latestRange
	var bad skipped
	err := db.view(func(tx *bolt.Tx) error {
		ranges, bad = latestRanges(tx.Bucket(bucketFiles))
		return nil
	})
	if err != nil {
		return err
	}
	for done := false; !done; {
		var items []latestItem
		err := db.view(func(tx *bolt.Tx) error {
			items, done = nextLatest(tx.Bucket(bucketFiles), ranges, opt, &bad, pageDropper{db: db, tx: tx})
			return nil
		})
		if err != nil {
			return err
		}
		for _, r := range decodeLatest(items, opt, &bad) {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return bad.err(db.path)
}

// latestRange is the records of one job under one of its roots, in the
// order of their paths below the root.
type latestRange struct {
	prefix []byte // the job's ID and the root's index
	root   string // the root, as its records record it
	next   []byte // the key to read next; nil once the range is read
}

// latestRanges lists every job's roots' ranges of the files bucket. A range
// with no readable record (all gone, or damaged: those are counted) has
// nothing to hand out and is left out.
func latestRanges(files *bolt.Bucket) ([]latestRange, skipped) {
	var out []latestRange
	var bad skipped
	c := files.Cursor()
	for k, _ := c.First(); k != nil; {
		if len(k) < 10 {
			bad.add("file record", k, errBadKey)
			k, _ = c.Next()
			continue
		}
		job, root := be.Uint64(k), int(be.Uint16(k[8:]))
		if r := rootOfRange(files, job, root, &bad); r != "" {
			out = append(out, latestRange{prefix: bytes.Clone(k[:10]), root: r, next: bytes.Clone(k)})
		} else {
			countDamaged(files, k[:10], &bad)
		}
		switch {
		case root < 0xffff:
			k, _ = c.Seek(fileKey(job, root+1, ""))
		case job < ^uint64(0):
			k, _ = c.Seek(jobKey(job + 1))
		default:
			k = nil
		}
	}
	return out, bad
}

// countDamaged counts as damaged the records (not the gone marks) whose
// keys start with prefix: rootOfRange could decode none of them.
func countDamaged(files *bolt.Bucket, prefix []byte, bad *skipped) {
	c := files.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if !isGone(v) {
			bad.add("file record", k, errBadHeader)
		}
	}
}

// latestCursor reads one range in a transaction.
type latestCursor struct {
	r    *latestRange
	c    *bolt.Cursor
	k, v []byte
	path string // the '/'-separated absolute path k names: the merge's order
}

// at moves the cursor to k (or the first record after it that is not a
// gone mark), counting what it passes; false at the end of the range.
func (lc *latestCursor) at(k, v []byte, pages pageDropper) bool {
	for ; k != nil && bytes.HasPrefix(k, lc.r.prefix); k, v = lc.c.Next() {
		pages.read(len(v))
		if !isGone(v) {
			lc.k, lc.v = k, v
			lc.path = filepath.ToSlash(filepath.Join(lc.r.root, filepath.FromSlash(string(k[10:]))))
			return true
		}
	}
	lc.k, lc.v = nil, nil
	return false
}

// latestHeap orders the cursors by path, then by key: a path's records
// come in job order, as LatestFiles meets them.
type latestHeap []*latestCursor

func (h latestHeap) Len() int { return len(h) }
func (h latestHeap) Less(i, j int) bool {
	if h[i].path != h[j].path {
		return h[i].path < h[j].path
	}
	return bytes.Compare(h[i].k, h[j].k) < 0
}
func (h latestHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *latestHeap) Push(x any)   { *h = append(*h, x.(*latestCursor)) }
func (h *latestHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// latestItem is one path's records that may stand for it, copied out of
// the transaction, in the order they are tried: the first that decodes
// stands.
type latestItem []viewEntry

// nextLatest reads, from where each range stopped, the paths whose records
// make up the next batch to decode, and says whether every range is read.
func nextLatest(files *bolt.Bucket, ranges []latestRange, opt LatestOptions, bad *skipped, pages pageDropper) ([]latestItem, bool) {
	h := make(latestHeap, 0, len(ranges))
	for i := range ranges {
		if ranges[i].next == nil {
			continue
		}
		lc := &latestCursor{r: &ranges[i], c: files.Cursor()}
		if k, v := lc.c.Seek(ranges[i].next); lc.at(k, v, pages) {
			h = append(h, lc)
		}
	}
	heap.Init(&h)
	var items []latestItem
	var group []viewEntry
	for len(h) > 0 && len(items) < opt.Batch {
		group = group[:0]
		path := h[0].path
		for len(h) > 0 && h[0].path == path {
			lc := h[0]
			group = append(group, viewEntry{k: lc.k, v: lc.v})
			if k, v := lc.c.Next(); lc.at(k, v, pages) {
				heap.Fix(&h, 0)
			} else {
				heap.Pop(&h)
			}
		}
		if it := mayStand(group, opt.Status, bad); it != nil {
			items = append(items, it)
		}
	}
	for i := range ranges {
		ranges[i].next = nil
	}
	for _, lc := range h {
		lc.r.next = bytes.Clone(lc.k)
	}
	return items, len(h) == 0
}

// mayStand is, of one path's records in job order, those that may stand
// for it, in the order LatestFiles' rule tries them (the latest analysis,
// done or skipped, that decodes; else the latest record that decodes), cut
// after the last one whose status is asked for: if none before it decodes,
// what stands is not handed out. Nil when none is asked for.
func mayStand(group []viewEntry, asked func(media.Status) bool, bad *skipped) latestItem {
	var analysed, others []viewEntry
	for _, e := range group {
		st, _, err := fileHeader(e.v)
		switch {
		case err != nil:
			bad.add("file record", e.k, err)
		case st == media.StatusDone || st == media.StatusSkipped:
			analysed = append(analysed, e)
		default:
			others = append(others, e)
		}
	}
	var tried latestItem
	last := -1
	for _, list := range [][]viewEntry{analysed, others} {
		for i := len(list) - 1; i >= 0; i-- {
			st, _, _ := fileHeader(list[i].v)
			if asked(st) {
				last = len(tried)
			}
			tried = append(tried, list[i])
		}
	}
	if last < 0 {
		return nil
	}
	tried = tried[:last+1]
	for i := range tried {
		tried[i] = viewEntry{k: bytes.Clone(tried[i].k), v: bytes.Clone(tried[i].v)}
	}
	return tried
}

// decodeLatest decodes what stands for each item's path, the first records
// of all items together on every core (decodeEntries), and returns those
// whose status is asked for, in order.
func decodeLatest(items []latestItem, opt LatestOptions, bad *skipped) []FileRecord {
	first := make([]viewEntry, len(items))
	for i, it := range items {
		first[i] = it[0]
	}
	decoded := make([]FileRecord, len(items))
	errs := decodeEntries(first, decoded, bad)
	out := decoded[:0] // filled in place: out[j] is written after decoded[j] is read
	for i, it := range items {
		r, ok := decoded[i], errs[i] == nil
		for _, e := range it[1:] { // the first did not decode: the record before it stands
			if ok {
				break
			}
			r = FileRecord{}
			if err := decodeFile(e.k, e.v, &r); err != nil {
				bad.add("file record", e.k, err)
				continue
			}
			ok = true
		}
		if ok && opt.Status(r.Status) {
			out = append(out, r)
		}
	}
	clear(decoded[len(out):]) // what was left out is not kept alive by out's array
	return out
}
